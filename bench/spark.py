"""Spark against DuckDB on the same trail: events/s per core, and the ratio.

Stage `ingest`: one generated trail through `ctlake ingest --engine E` for each engine, a
fresh lake and a process of its own each time (Spark on `local[--cores]`), median of
`--repeat`; a SparkSession made and stopped alone gives the start-up every Spark command
pays. Prints the seconds, events/s per core (DuckDB on every core of the machine, which it
uses; Spark on its cores, also without the start-up: the steady rate a long-running job
approaches), Spark's figure over DuckDB's, and the lake's bytes per stored event: the
figures docs/scale.md starts from.

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

Usage: python bench/spark.py ingest [--days 7 --scale 0.5] [--cores 2] [--repeat 2]
       python bench/spark.py refresh [--days 8] [--scale 0.3] [--work DIR]
The machine is shared and noisy: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
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
        return ingest_stage(work, args) if args.stage == "ingest" else refresh_stage(work, args)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=["ingest", "refresh"])
    parser.add_argument("--days", type=int, default=8)
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", help="folder for the trail and lakes (kept)")
    parser.add_argument("--cores", type=int, default=2, help="ingest: Spark on local[CORES]")
    parser.add_argument("--repeat", type=int, default=2, help="ingest: runs per engine")
    return parser.parse_args()


STARTUP = """
import sys
from ctlake.config.engine import SparkConfig
from ctlake.spark.session import spark_session
spark_session(SparkConfig(sys.argv[1])).stop()
"""
STORED = re.compile(r"stored (\d+)")


def ingest_stage(work: Path, args: argparse.Namespace) -> int:
    trail = work / "trail"
    stages.in_child(stages.generate, trail, args.days, args.seed, 1, args.scale)
    master = f"local[{args.cores}]"
    env = {**os.environ, "CTLAKE_SPARK_MASTER": master}
    startup = statistics.median(
        _run([sys.executable, "-c", STARTUP, master], env)[0] for _ in range(args.repeat)
    )
    timed = {e: _ingest_runs(e, trail, work, env, args.repeat) for e in ("duckdb", "spark")}
    events = timed["duckdb"][1]
    if timed["spark"][1] != events:
        raise SystemExit(f"the engines stored {events} and {timed['spark'][1]} events")
    files = [p for p in trail.rglob("*") if p.is_file() and p.name != "labels.json"]
    input_bytes = sum(p.stat().st_size for p in files)
    cores = {"duckdb": os.cpu_count() or 1, "spark": args.cores}
    print(f"trail: {events:,} events stored, {input_bytes / events:.0f} bytes/event of input")
    print(f"Spark session start-up: {startup:.1f}s (median); Spark on {master}")
    rates = {}
    for engine, (seconds, _, size) in timed.items():
        rates[engine] = events / seconds / cores[engine]
        line = f"ingest on {engine}: {seconds:.1f}s, {rates[engine]:,.0f} events/s per core"
        if engine == "spark":
            rates["steady"] = events / max(seconds - startup, 1e-9) / cores[engine]
            line += f" ({rates['steady']:,.0f} without the session start)"
        print(f"{line}; lake {size / events:.0f} bytes/event")
    ratio, steady = rates["spark"] / rates["duckdb"], rates["steady"] / rates["duckdb"]
    print(f"ingest: spark / duckdb = {ratio:.3f} ({steady:.3f} without the session start)")
    return 0


def _ingest_runs(
    engine: str, trail: Path, work: Path, env: dict[str, str], repeat: int
) -> tuple[float, int, int]:
    """Median seconds of `ctlake ingest --engine ENGINE` from a fresh lake, the events
    it stored, and the bytes of the lake's event files."""
    seconds = []
    for i in range(repeat):
        lake = work / f"ingest-{engine}-{i}"
        shutil.rmtree(lake, ignore_errors=True)
        command = [sys.executable, "-m", "ctlake", "--lake", str(lake), "-q", "ingest"]
        took, output = _run([*command, "--engine", engine, str(trail / "AWSLogs")], env)
        seconds.append(took)
    stored = int(STORED.findall(output)[-1])
    size = sum(p.stat().st_size for p in (lake / "events").glob("eventDate=*/*.parquet"))
    return statistics.median(seconds), stored, size


def _run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - started
    if done.returncode not in (0, 6):  # 6: some input quarantined, as generated trails have
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return took, done.stdout + done.stderr


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
