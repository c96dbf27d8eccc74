"""What each model's SQL costs DuckDB before and while it runs, on its last window.

For a lake refreshed at least once incrementally (`bench/refresh.py` leaves one in
`WORK/x1/lake`), each model's SQL is rendered for the window of the last refresh and run
REPEAT times in one process (warm: no first-touch costs); the best run is reported, split
into parsing (timed as the Python client's statement extraction), binding and optimizing
(DuckDB's profiler: `planner`, `optimizer`) and the rest (physical plan and execution).
Views (nothing to run) and keyed models (whose SQL runs only for the keys in scope) are
left out.
The sum of the first three is what a refresh pays for its queries however few rows the
window holds: it explains why an hourly refresh cannot go much below a fixed fraction of a
second.

Usage: /opt/venv/bin/python bench/compile.py LAKE [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from ctlake.config import load
from ctlake.db import render_sql
from ctlake.lake import Lake, reader
from ctlake.models import dml
from ctlake.models.project import load_project
from ctlake.models.render import render
from ctlake.models.state import load_states
from ctlake.resources import bundled_dir, read_sql

Timings = tuple[float, float, float, float, float]  # ms: total, parse, bind, optimize, rest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lake", help="a lake refreshed at least once incrementally")
    parser.add_argument("--repeat", type=int, default=5, help="runs per model (best is shown)")
    args = parser.parse_args()
    lake = Lake(Path(args.lake))
    config = load(lake.root).insights
    con = reader.connect(lake)
    states = load_states(con)
    window = states["minute_counts"]
    start, end = window.window_start, window.high_water
    if start is None or end is None:
        print(f"{lake.root}: minute_counts has no window yet: refresh first", file=sys.stderr)
        return 2
    print(f"window [{start:%Y-%m-%d %H:%M}, {end:%Y-%m-%d %H:%M}), best of {args.repeat} (ms)")
    print(f"{'model':<22} {'parse':>6} {'bind':>6} {'optimize':>9} {'rest':>6} {'total':>6}")
    totals = [0.0] * 5
    with tempfile.TemporaryDirectory() as folder:
        profile = Path(folder) / "profile.json"
        con.execute(read_sql(__file__, "profiling_on"))
        con.execute(render_sql(read_sql(__file__, "profiling_output"), path=str(profile)))
        con.execute(read_sql(__file__, "profiling_off"))
        for model in load_project(bundled_dir("sql"), config.values):
            if model.kind in ("view", "keyed"):  # a keyed model's SQL runs on its keys in scope
                continue
            sql = render(model.path, model.text, start, end, config.values)
            row = min(_run(con, sql, profile) for _ in range(args.repeat))
            totals = [a + b for a, b in zip(totals, row, strict=True)]
            print(f"{model.name:<22} " + " ".join(_cells(row)))
    print(f"{'all models':<22} " + " ".join(_cells(tuple(totals))))
    return 0


def _run(con: duckdb.DuckDBPyConnection, sql: str, profile: Path) -> Timings:
    """(total, parse, bind, optimize, rest) in ms of one warm run of `sql`."""
    began = time.perf_counter()
    con.extract_statements(sql)
    parse = time.perf_counter() - began
    statement = dml.sql(dml.create_as("table", "compiled", sql, temporary=True))
    con.execute(read_sql(__file__, "profiling_on"))
    began = time.perf_counter()
    con.execute(statement)
    run = time.perf_counter() - began
    con.execute(read_sql(__file__, "profiling_off"))
    report = json.loads(profile.read_text())
    bind = report["planner"]["total_time"]
    optimize = report["optimizer"]["total_time"]
    ms = [1000 * v for v in (run, parse, bind, optimize, run - parse - bind - optimize)]
    return ms[0], ms[1], ms[2], ms[3], ms[4]


def _cells(row: tuple[float, ...]) -> list[str]:
    total, parse, bind, optimize, rest = row
    widths = ((parse, 6), (bind, 6), (optimize, 9), (rest, 6), (total, 6))
    return [f"{value:>{width}.1f}" for value, width in widths]


if __name__ == "__main__":
    sys.exit(main())
