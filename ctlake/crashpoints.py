"""Named crash points: where a test can kill ctlake between two steps of its work.

`crash_point(name)` marks a step boundary of the lake's commit protocol, the model runner,
the outbox or the batch. It does nothing unless the environment variable `CTLAKE_CRASH_AT`,
read once when this module is imported, names that point: `commit.committed` kills the
process the first time it gets there, `commit.committed:3` the third time. The kill is a
real `kill -9` of the process by itself — no exception, no cleanup, no atexit, no flushed
buffers — so the next run meets exactly what a power cut or the OOM killer leaves. Unset
(always, outside the crash tests) a crash point costs a call and one comparison.

`POINTS` names every point and the state a kill there leaves. The crash tests
(tests/lake/test_crash_safety.py, tests/batch/test_crash.py) kill at each of them and check
that running the same command again completes the work exactly: nothing lost, nothing
doubled, every delivery made once. A point not in `POINTS` is refused, and a test fails
when a point is never reached, so the list and the code cannot drift apart.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter

from ctlake.errors import BadInputError

ENV = "CTLAKE_CRASH_AT"

POINTS: dict[str, str] = {
    # The lake's commit protocol (ctlake.lake.store, ctlake.lake.commit).
    "commit.staged": "a batch's Parquet files written as .tmp; the catalog not yet touched",
    "commit.recorded": "the batch recorded in the catalog transaction, not yet committed",
    "commit.committed": "the batch committed (the commit point); no file moved yet",
    "commit.removing": "a file a compaction (or retention) replaces is about to be deleted; "
    "the moves before it are made",
    "commit.moved": "every file move made; the batch's pending moves not yet forgotten",
    "recover.replayed": "a crashed batch's moves replayed at start-up, not yet forgotten",
    "retention.committed": "expired partitions dropped from the catalog, files not deleted",
    # The model runner (ctlake.models): one transaction for the whole refresh.
    "refresh.mid_model": "a model's old rows deleted, its new rows not yet inserted",
    "refresh.between_models": "a model written; the next not begun",
    "refresh.states_saved": "every model and run state written, not yet committed",
    "refresh.committed": "the refresh committed, not yet checkpointed (changes in the WAL)",
    # The outbox and the deliveries (ctlake.delivery), whatever is delivered to any sink.
    "outbox.enqueuing": "new records copied to the outbox, their rows per sink not yet "
    "added; not committed",
    "outbox.enqueued": "the outbox committed; nothing sent",
    "deliver.sent": "one delivery made (POST answered, file written, line appended, "
    "command done) but not yet marked delivered",
    "deliver.marked": "a delivery marked delivered; the next not begun",
    # The alarm evaluation (ctlake.cloudwatch.alarms.evaluate): one transaction.
    "alarms.evaluated": "every alarm evaluated, its state changes and their events written "
    "to the catalog, not yet committed",
    "alarms.recorded": "the state changes and their outbox events committed; no outbox row "
    "per sink yet, nothing sent",
    # The batch (ctlake.batch.run).
    "run.started": "the run logged as running; no step begun",
    "run.finishing": "every step done; the run not yet logged as finished",
}


def _parse(spec: str | None) -> tuple[str, int] | None:
    """`name` or `name:N` as (name, N); None when unset."""
    if not spec:
        return None
    name, _, nth = spec.partition(":")
    if not nth:
        return name, 1
    return name, int(nth) if nth.isdigit() else 0  # 0: refused when first reached


_TARGET = _parse(os.environ.get(ENV))
_reached: Counter[str] = Counter()
_lock = threading.Lock()  # ingest commits on a worker thread


def crash_point(name: str) -> None:
    """Kill this process with SIGKILL if `CTLAKE_CRASH_AT` asks for `name` now."""
    if _TARGET is None:
        return
    _check(name)


def _check(name: str) -> None:
    target, nth = _TARGET or ("", 0)
    if target not in POINTS or nth < 1:
        raise BadInputError(
            f"{ENV}={os.environ.get(ENV)!r}: expected a crash point NAME or NAME:N (N >= 1); "
            f"points: {', '.join(POINTS)}"
        )
    if name not in POINTS:
        raise ValueError(f"crash point {name!r} is not listed in ctlake.crashpoints.POINTS")
    if name != target:
        return
    with _lock:
        _reached[name] += 1
        if _reached[name] == nth:
            os.write(2, f"crash point {name}:{nth} reached: SIGKILL\n".encode())
            os.kill(os.getpid(), signal.SIGKILL)
