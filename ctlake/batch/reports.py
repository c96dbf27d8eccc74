"""Scheduled reports: saved queries written to timestamped CSV files by `ctlake run`.

Each `[[reports.query]]` of ctlake.toml names a saved query, its parameters and an
interval. A report is due when it never ran or ran at least `every` ago (`report_runs` in
the catalog); it is written to `<folder>/<name>/<name>_<YYYYMMDDTHHMMSSZ>.csv` through a
temporary name, by `ctlake.queries.run_query` (DuckDB's COPY, the bytes `ctlake query run
--format csv` writes), and recorded after the file is in place. A kill in between writes
the same report again at the next run, to a new timestamp: never a half file.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from ctlake.batch.runlog import ensure_tables, utc_now
from ctlake.config import Report, Reports
from ctlake.errors import BadInputError
from ctlake.lake import Lake, reader
from ctlake.output import Format
from ctlake.queries import load_queries, run_query
from ctlake.resources import read_sql


def due_reports(lake: Lake, config: Reports, now: datetime) -> list[Report]:
    """The configured reports whose interval has passed."""
    if not config.queries:
        return []
    with lake.catalog() as catalog:
        ensure_tables(catalog)
        rows = catalog.execute(read_sql(__file__, "report_last_runs")).fetchall()
    last = dict(rows)
    return [r for r in config.queries if r.name not in last or now - last[r.name] >= r.every]


def write_reports(lake: Lake, config: Reports, reports: list[Report]) -> list[Path]:
    """Write each of `reports` now; returns the files written."""
    if not reports:
        return []
    queries = load_queries()
    written = []
    for report in reports:
        if report.query not in queries:
            raise BadInputError(
                f"{report.where}.query: no saved query named {report.query!r} "
                "(see `ctlake query list`)"
            )
        now = utc_now()
        target = config.folder / report.name / f"{report.name}_{now:%Y%m%dT%H%M%SZ}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.tmp")
        con = reader.connect(lake)
        try:
            run_query(con, queries[report.query], report.params, Format.CSV, temp)
        finally:
            con.close()
        os.replace(temp, target)
        with lake.catalog() as catalog:
            params = {"report": report.name, "ran_at": now, "file": str(target)}
            catalog.execute(read_sql(__file__, "report_ran"), params)
        written.append(target)
    return written
