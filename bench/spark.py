"""Spark against DuckDB: the same generated trail through both engines, events/s per core.

    python bench/spark.py [--work DIR] [--days 7] [--scale 0.5] [--cores 2] [--repeat 2]

One generated S3-layout trail; for each engine, in processes of their own, from a fresh
lake each time:

  ingest   `ctlake ingest --engine E TRAIL` (Spark on `local[CORES]`);
  refresh  `ctlake refresh --engine E` on the lake that ingest made (a full build);
  startup  a SparkSession made and stopped, the fixed cost every Spark command pays.

It prints, per stage and engine, the median wall time, events/s per core (Spark: also with
its start-up taken out, the steady rate a long-running cluster job approaches), the ratio
Spark/DuckDB of the per-core rates, and the lake's bytes per stored event — the figures
docs/scale.md starts from. DuckDB is counted on every core of the machine (it uses them
all), Spark on CORES. The machine is shared and noisy: compare the ratios, not the seconds.
A stage an engine cannot run in this build is reported as such, with its error.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

STARTUP = """
import sys
from ctlake.config.engine import SparkConfig
from ctlake.spark.session import spark_session
spark_session(SparkConfig(sys.argv[1])).stop()
"""
STORED = re.compile(r"stored (\d+)")


@dataclass
class Run:
    seconds: float
    output: str
    ok: bool


def run(command: list[str], env: dict[str, str]) -> Run:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - started
    return Run(seconds, done.stdout + done.stderr, done.returncode in (0, 6))


def ctlake(lake: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ctlake", "--lake", str(lake), "-q", *args]


def generate(work: Path, days: int, scale: float) -> Path:
    from ctlake.generate import generate_trail

    out = work / f"trail-{days}d-{scale}"
    if not (out / "labels.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        generate_trail(out, days=days, seed=1, scale=scale)
    return out


def lake_bytes(lake: Path) -> int:
    return sum(p.stat().st_size for p in (lake / "events").glob("eventDate=*/*.parquet"))


def measure(engine: str, trail: Path, work: Path, env: dict[str, str], repeat: int) -> dict:
    """Median seconds of ingest and refresh on `engine`, events stored, lake bytes."""
    result: dict = {"ingest": [], "refresh": [], "errors": {}}
    for i in range(repeat):
        lake = work / f"lake-{engine}-{i}"
        shutil.rmtree(lake, ignore_errors=True)
        ingest = run(ctlake(lake, "ingest", "--engine", engine, str(trail / "AWSLogs")), env)
        if not ingest.ok:
            raise SystemExit(f"ingest --engine {engine} failed:\n{ingest.output[-3000:]}")
        result["ingest"].append(ingest.seconds)
        result["events"] = int(STORED.findall(ingest.output)[-1])
        result["bytes"] = lake_bytes(lake)
        refresh = run(ctlake(lake, "refresh", "--engine", engine), env)
        if refresh.ok:
            result["refresh"].append(refresh.seconds)
        else:
            result["errors"]["refresh"] = refresh.output.strip().splitlines()[-1:]
    return result


def per_core(events: int, seconds: float, cores: int) -> float:
    return events / max(seconds, 1e-9) / cores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ctlake-bench-spark"))
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--cores", type=int, default=2, help="Spark master local[CORES]")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from ctlake.spark.session import missing_runtime

    if problem := missing_runtime():
        raise SystemExit(problem)
    args.work.mkdir(parents=True, exist_ok=True)
    master = f"local[{args.cores}]"
    env = {**os.environ, "CTLAKE_SPARK_MASTER": master}
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    duck_cores = os.cpu_count() or 1
    trail = generate(args.work, args.days, args.scale)
    input_bytes = sum(p.stat().st_size for p in (trail / "AWSLogs").rglob("*") if p.is_file())
    print(f"python {sys.version.split()[0]}, {duck_cores} cores; Spark on {master}")

    startup = statistics.median(
        run([sys.executable, "-c", STARTUP, master], env).seconds for _ in range(args.repeat)
    )
    results = {e: measure(e, trail, args.work, env, args.repeat) for e in ("duckdb", "spark")}
    events = results["duckdb"]["events"]
    if results["spark"]["events"] != events:
        raise SystemExit(f"engines stored {events} and {results['spark']['events']} events")
    print(f"trail: {events:,} events stored, {input_bytes / 2**20:.1f} MB of input files")
    print(f"Spark session start-up: {startup:.1f} s (median)")
    for engine, r in results.items():
        print(f"lake ({engine}): {r['bytes'] / events:.0f} bytes/event")
    rates: dict[str, dict[str, float]] = {}
    for stage in ("ingest", "refresh"):
        for engine, cores in (("duckdb", duck_cores), ("spark", args.cores)):
            r = results[engine]
            if not r[stage]:
                print(f"{stage:8} {engine:7} not run: {' '.join(r['errors'].get(stage, []))}")
                continue
            seconds = statistics.median(r[stage])
            rate = per_core(events, seconds, cores)
            rates.setdefault(stage, {})[engine] = rate
            line = f"{stage:8} {engine:7} {seconds:7.1f} s  {rate:9,.0f} events/s/core"
            if engine == "spark":
                steady = per_core(events, seconds - startup, cores)
                rates[stage]["spark_steady"] = steady
                line += f"  ({steady:,.0f} without start-up)"
            print(line)
        if {"duckdb", "spark"} <= rates.get(stage, {}).keys():
            ratio = rates[stage]["spark"] / rates[stage]["duckdb"]
            steady = rates[stage]["spark_steady"] / rates[stage]["duckdb"]
            print(f"{stage:8} Spark/DuckDB per core = {ratio:.2f} ({steady:.2f} without start-up)")


if __name__ == "__main__":
    main()
