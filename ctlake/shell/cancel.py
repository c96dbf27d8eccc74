"""Running a query so that Ctrl-C cancels it cleanly.

Python delivers SIGINT to the main thread, and only between bytecodes: while DuckDB runs a
query in C, a KeyboardInterrupt waits, or DuckDB's own handler turns it into a bare
RuntimeError. So the query runs in a worker thread, and the main thread waits on an Event
(`Event.wait`, not `Thread.join`: a join interrupted by Ctrl-C can lose track of its
thread) and answers Ctrl-C with `con.interrupt()`, which makes DuckDB stop the query and
raise InterruptException in the worker. The shell then reports "query cancelled" and
prompts again; a one-shot run (`reraise=True`) ends as any interrupted command does.

With `--engine spark` the query runs on Spark's JVM, which ignores SIGINT and which
`con.interrupt()` does not reach: Ctrl-C also cancels the statement's Spark jobs
(`SparkQueries.cancel`; PySpark's own SIGINT handler does too, but only when the session
was made on the main thread), and the statement fails as "query cancelled", not with the
cancelled job's error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from ctlake.spark.queries import SparkQueries

Work = Callable[[], None]


def cancellable(
    con: duckdb.DuckDBPyConnection, *, reraise: bool, spark: SparkQueries | None = None
) -> Callable[[Work], None]:
    """A runner for `Session.runner`: `work` in a thread, Ctrl-C interrupting `con` (and
    cancelling the statement `spark` runs, given one)."""

    def run(work: Work) -> None:
        failure: list[BaseException] = []
        finished = threading.Event()
        interrupted = False

        def target() -> None:
            try:
                work()
            except BaseException as exc:  # handed to the main thread below
                failure.append(exc)
            finally:
                finished.set()

        threading.Thread(target=target, name="ctlake-query", daemon=True).start()
        while not finished.is_set():
            try:
                finished.wait(0.1)
            except KeyboardInterrupt:
                interrupted = True
            if interrupted:  # again each turn: a query that had not begun yet is caught too
                con.interrupt()
                if spark is not None:
                    spark.cancel()
        if interrupted and reraise:
            raise KeyboardInterrupt
        if failure:
            raise failure[0]

    return run
