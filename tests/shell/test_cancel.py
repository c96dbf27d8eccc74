"""Ctrl-C during a query interrupts DuckDB: the shell goes on, a one-shot run stops."""

from __future__ import annotations

import _thread
import signal
import threading
from collections.abc import Iterator

import duckdb
import pytest

from ctlake.shell.cancel import cancellable

ENDLESS = "SELECT count(*) FROM range(10000000000000) t(x) WHERE x % 7 = 3"


@pytest.fixture(autouse=True)
def sigint_raises() -> Iterator[None]:
    """Python's own SIGINT handler, as an interactive ctlake has: a process started in the
    background (a CI job, `cmd &`) inherits SIGINT ignored, and Python then installs none."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def ctrl_c_soon() -> None:
    """Ctrl-C shortly, while the endless query (which only an interrupt can end) is running
    in the worker and the main thread waits for it: SIGINT's effect on the main thread, as
    the terminal's would be, without leaving to the kernel which of the process's threads
    (an S3 client's, a test server's) receives it."""
    threading.Timer(0.3, _thread.interrupt_main, (signal.SIGINT,)).start()


def test_in_the_shell_ctrl_c_interrupts_the_query() -> None:
    con = duckdb.connect()
    run = cancellable(con, reraise=False)
    ctrl_c_soon()
    with pytest.raises(duckdb.InterruptException):
        run(lambda: con.execute(ENDLESS).fetchall())
    assert con.execute("SELECT 1").fetchall() == [(1,)]  # the connection is usable again


def test_in_a_one_shot_run_ctrl_c_interrupts_and_stops() -> None:
    con = duckdb.connect()
    run = cancellable(con, reraise=True)
    ctrl_c_soon()
    with pytest.raises(KeyboardInterrupt):
        run(lambda: con.execute(ENDLESS).fetchall())


def test_an_error_in_the_query_reaches_the_caller() -> None:
    con = duckdb.connect()
    with pytest.raises(duckdb.ParserException):
        cancellable(con, reraise=True)(lambda: con.execute("SELEC 1").fetchall())


def test_a_ctrl_c_before_the_query_begins_still_cancels_it() -> None:
    con = duckdb.connect()
    run = cancellable(con, reraise=False)
    ctrl_c_soon()

    def late_start() -> None:
        threading.Event().wait(0.6)  # the Ctrl-C comes while this thread has not queried yet
        con.execute(ENDLESS).fetchall()

    with pytest.raises(duckdb.InterruptException):
        run(late_start)
