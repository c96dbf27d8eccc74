"""Saved-query benchmark: every query in queries/ on a lake of ~10M events.

    python bench/queries.py [--work DIR] [--events 10000000] [--days 30] [--runs 3]

The lake: a trail from `ctlake.generate.generate_trail` (--days days, one account) is
ingested once (the seed, cached in --work), then each eventDate partition is written again
with every event repeated until the lake holds about --events events: the same accounts,
identities, APIs and daily rhythm at a higher volume, sorted by eventTime as ingest sorts.
Generating and ingesting 10M events directly would take most of an hour; the volume is
what the queries feel. The script prints what it built.

Each query runs with its defaults, `until` = the end of the data and the busiest IP /
principal for required parameters, --runs times on a fresh 2-thread connection; the median
of its runs is its time. Printed: each query's time and its ratio to a reference measured
in the same run (a full-lake GROUP BY eventSource, eventName: the cost of reading
everything), then the median and the slowest query against the targets: median < 1 s,
slowest < 5 s on 2 cores. Queries whose tables `ctlake refresh` has not built are skipped.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from ctlake.db import render_sql
from ctlake.errors import LakeError
from ctlake.lake import Lake, reader
from ctlake.queries import SavedQuery, load_queries
from ctlake.queries.run import require_tables
from ctlake.resources import read_sql

# As the lake writes its event files (ctlake/lake/sql/write_events.sql).
PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 32768"

THREADS = 2
TARGET_MEDIAN_S = 1.0
TARGET_SLOWEST_S = 5.0


def seed_lake(work: Path, days: int) -> Lake:
    """A generated trail, ingested; built once and reused."""
    from ctlake.generate import generate_trail
    from ctlake.ingest import ingest

    lake = Lake(work / f"seed-{days}d" / "lake")
    if lake.exists():
        return lake
    trail = lake.root.parent / "trail"
    shutil.rmtree(lake.root.parent, ignore_errors=True)
    started = time.perf_counter()
    generate_trail(trail, days=days, seed=1, accounts=1, broken_files=False)
    ingest(lake, [str(trail)])
    print(f"seed: generated and ingested {days} days in {time.perf_counter() - started:.0f} s")
    return lake


def amplified_lake(seed: Lake, work: Path, events: int) -> Lake:
    """`seed` with each partition's events repeated to reach about `events` in all."""
    con = reader.connect(seed)
    seed_events = int(con.execute(read_sql(__file__, "queries_examples")).fetchall()[0][3])
    con.close()
    copies = max(1, math.ceil(events / seed_events))
    lake = Lake(work / f"lake-{seed_events}x{copies}")
    if lake.exists():
        return lake
    shutil.rmtree(lake.root, ignore_errors=True)
    (lake.root / "events").mkdir(parents=True)
    shutil.copy2(seed.catalog_path, lake.catalog_path)
    shutil.copy2(seed.root / "events" / "_schema.parquet", lake.root / "events" / "_schema.parquet")
    started = time.perf_counter()
    with duckdb.connect() as con:
        for partition in sorted((seed.root / "events").glob("eventDate=*")):
            (lake.root / "events" / partition.name).mkdir()
            source = str(partition / "*.parquet")
            target = str(lake.root / "events" / partition.name / "part-bench.parquet")
            select = render_sql(read_sql(__file__, "queries_amplify"), source=source)
            con.execute(f"COPY ({select}) TO '{target}' ({PARQUET_OPTIONS})", {"copies": copies})
    print(f"lake: {seed_events:,} seed events x {copies} copies in "
          f"{time.perf_counter() - started:.0f} s -> {lake.root}")  # fmt: skip
    return lake


def connect(lake: Lake) -> duckdb.DuckDBPyConnection:
    con = reader.connect(lake)
    con.execute(f"SET threads = {THREADS}")
    return con


def timed(lake: Lake, sql: str, params: dict[str, Any], runs: int) -> tuple[float, int]:
    """The median wall time of `runs` runs, each on a fresh connection with every row
    fetched, and the number of rows."""
    times, rows = [], 0
    for _ in range(runs):
        con = connect(lake)
        started = time.perf_counter()
        rows = len(con.execute(sql, params).fetchall())
        times.append(time.perf_counter() - started)
        con.close()
    return statistics.median(times), rows


def values_for(query: SavedQuery, examples: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in examples.items() if k in query.placeholders}


def run_all(lake: Lake, runs: int) -> None:
    con = connect(lake)
    row = con.execute(read_sql(__file__, "queries_examples")).fetchall()[0]
    examples = {"until": row[0], "ip": row[1], "principal": row[2]}
    print(f"ip = {row[1]}, principal = {row[2]}")
    print(f"load average {os.getloadavg()[0]:.1f} (the machine is shared: compare ratios)")
    print(f"events: {row[3]:,} over {row[4]} days; until = {row[0]}; {THREADS} threads; "
          f"duckdb {duckdb.__version__}; {os.cpu_count()} cores")  # fmt: skip
    reference, _ = timed(lake, read_sql(__file__, "queries_reference"), {}, runs)
    print(f"reference (full-lake GROUP BY API): {reference:.3f} s\n")
    results: dict[str, float] = {}
    for name, query in load_queries().items():
        try:
            require_tables(con, query)
        except LakeError as exc:
            print(f"{name:32} skipped: {exc}")
            continue
        sql, params = query.bind(values_for(query, examples))
        results[name], rows = timed(lake, sql, params, runs)
        ratio = results[name] / reference
        print(f"{name:32} {results[name]:7.3f} s   x{ratio:5.2f} reference   {rows:>9,} rows")
    con.close()
    report(results)
    print(f"load average {os.getloadavg()[0]:.1f}")


def report(results: dict[str, float]) -> None:
    median = statistics.median(results.values())
    slowest = max(results, key=lambda name: results[name])
    print(f"\n{len(results)} queries run")
    print(f"median  {median:7.3f} s   target < {TARGET_MEDIAN_S} s   "
          f"{'OK' if median < TARGET_MEDIAN_S else 'MISSED'}")  # fmt: skip
    print(f"slowest {results[slowest]:7.3f} s   target < {TARGET_SLOWEST_S} s   "
          f"{'OK' if results[slowest] < TARGET_SLOWEST_S else 'MISSED'}  ({slowest})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ctlake-bench"))
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    lake = amplified_lake(seed_lake(args.work, args.days), args.work, args.events)
    run_all(lake, args.runs)


if __name__ == "__main__":
    sys.exit(main())
