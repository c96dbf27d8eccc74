"""Spark against DuckDB on the same trail: events/s per core, and the ratio.

Stage `refresh` (the models):
1. Generate a trail (--days, --scale), ingest all but its last hour with DuckDB.
2. Build the models in full on each engine, from two copies of that lake; then ingest the
   last hour into both and refresh incrementally on each engine.
3. Print, per engine and refresh, the seconds, the events read per second per core, and
   Spark's figure over DuckDB's (the reference, measured in the same run).

Each refresh runs in its own process. Spark's session start (seconds, once per process)
is timed apart and left out of the refresh's figure: a scheduled batch pays it once, and
on a cluster the executors are already up. Cores: what each engine was given, all of this
machine's (DuckDB's threads, Spark's `local[*]`).

Usage: /opt/venv/bin/python bench/spark.py refresh [--days 8] [--scale 0.3] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import refresh as refresh_bench
import stages

from ctlake.config import SparkConfig
from ctlake.lake import Lake
from ctlake.models import refresh as run_refresh


def main() -> int:
    args = _parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ctlake-spark-"))
    try:
        return refresh_stage(work, args)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=["refresh"])
    parser.add_argument("--days", type=int, default=8)
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", help="folder for the trail and lakes (kept)")
    return parser.parse_args()


def refresh_stage(work: Path, args: argparse.Namespace) -> int:
    trail = work / "trail"
    stages.in_child(stages.generate, trail, args.days, args.seed, 1, args.scale)
    early, last_hour = refresh_bench._split_last_hour(trail)  # the refresh bench's cut
    base = Lake(work / "base")
    events = stages.in_child(stages.ingest, base.root, early).value
    lakes = {}
    for engine in ("duckdb", "spark"):
        lakes[engine] = work / engine
        shutil.copytree(base.root, lakes[engine])
    full = {e: stages.in_child(timed_refresh, lakes[e], e, True).value for e in lakes}
    added = {e: stages.in_child(stages.ingest, lakes[e], last_hour).value for e in lakes}["spark"]
    incremental = {e: stages.in_child(timed_refresh, lakes[e], e, False).value for e in lakes}
    cores = os.cpu_count() or 1
    total = events + added
    print(f"trail: {total:,} events ({added:,} in the last hour), {cores} cores")
    _report("full build", events, full, cores)
    _report("hourly refresh", events + added, incremental, cores)
    return 0


def timed_refresh(root: Path, engine: str, full: bool) -> tuple[float, float]:
    """(seconds to start Spark, seconds to refresh) of a refresh on `engine`."""
    started = time.perf_counter()
    if engine == "spark":
        from ctlake.spark.session import spark_session

        spark_session(SparkConfig("local[*]", {"spark.sql.shuffle.partitions": "4"}))
    session = time.perf_counter() - started
    started = time.perf_counter()
    run_refresh(Lake(root), full=full, engine=engine)
    return session, time.perf_counter() - started


def _report(what: str, events: int, timed: dict[str, tuple[float, float]], cores: int) -> None:
    rates = {e: events / max(seconds, 1e-9) / cores for e, (_, seconds) in timed.items()}
    for engine, (session, seconds) in timed.items():
        start = f" (+{session:.1f}s session start)" if engine == "spark" else ""
        print(f"{what} on {engine}: {seconds:.2f}s{start}, {rates[engine]:,.0f} events/s per core")
    print(f"{what}: spark / duckdb = {rates['spark'] / rates['duckdb']:.3f}")


if __name__ == "__main__":
    sys.exit(main())
