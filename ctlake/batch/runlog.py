"""The run log of `ctlake run` in the catalog (`run_log`), read by `ctlake status`.

A run writes its row when it starts ('running') and again when it ends, each a short
transaction. A row still 'running' when the next run takes the write lock belonged to a
process that died (kill -9, power cut): the next run marks it 'killed'.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from ctlake.delivery.mask import mask_text
from ctlake.lake import Lake
from ctlake.resources import read_sql


@dataclass(frozen=True)
class RunRecord:
    run_id: int
    pid: int
    every_s: int | None  # the interval of the schedule that ran it, if any
    started_at: datetime
    finished_at: datetime | None
    result: str
    exit_code: int | None
    summary: str | None
    error: str | None


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_tables(catalog: duckdb.DuckDBPyConnection) -> None:
    catalog.execute(read_sql(__file__, "batch_tables"))


def start(lake: Lake, every: timedelta | None = None) -> int:
    """Record the start of a run (call under the write lock); returns its id. `every`: the
    interval of the schedule running it, for `ctlake status` to say when the next is due."""
    with lake.catalog() as catalog:
        ensure_tables(catalog)
        catalog.begin()
        every_s = int(every.total_seconds()) if every else None
        params = {"pid": os.getpid(), "every_s": every_s, "now": utc_now()}
        run_id = int(catalog.execute(read_sql(__file__, "run_start"), params).fetchall()[0][0])
        catalog.commit()
    return run_id


def finish(
    lake: Lake, run_id: int, result: str, exit_code: int, summary: str, error: str | None = None
) -> None:
    """Record the end of a run; the error is stored masked (an exception can quote a URL)."""
    params = {
        "run_id": run_id,
        "now": utc_now(),
        "result": result,
        "exit_code": exit_code,
        "summary": summary,
        "error": mask_text(error) if error else None,
    }
    with lake.catalog() as catalog:
        catalog.execute(read_sql(__file__, "run_finish"), params)


def last_run(con: duckdb.DuckDBPyConnection) -> RunRecord | None:
    """The latest run, from a catalog or reader connection; None before the first."""
    from ctlake.delivery.outbox import has_table

    if not has_table(con, "run_log"):
        return None
    rows = con.execute(read_sql(__file__, "last_run")).fetchall()
    return RunRecord(*rows[0]) if rows else None
