"""Ingest benchmark: ctlake ingest against the parse floor and a naive DuckDB read_json.

    python bench/ingest.py [--work DIR] [--days 21] [--accounts 2] [--skip-naive]

On a generated S3-layout trail (>= 500k events in >= 30k small files), and on one twice as
large (twice the accounts), each step in its own process so its peak RSS is its own:

  (a) floor   gunzip + json.loads of every file, in one Python process: the least any
              Python loader must do;
  (b) ingest  `ctlake ingest` into a fresh lake;
  (c) naive   DuckDB `read_json` over the same files, unnest Records, write Parquet.

Targets: ingest <= 2.0x floor; naive >= 3x ingest; ingest peak RSS <= 1.5 GB and flat as the
input doubles. The machine is shared and noisy: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

NAIVE = """
import duckdb, sys
con = duckdb.connect()
con.execute("SET preserve_insertion_order = false")
con.execute(
    "COPY (SELECT unnest(Records, max_depth := 2) FROM read_json(?, format = 'auto', "
    "maximum_object_size = 268435456)) TO '" + sys.argv[2] + "' (FORMAT parquet)",
    [sys.argv[1]],
)
"""


def floor(trail: Path) -> None:
    """The floor, run as `bench/ingest.py --floor TRAIL` in a process of its own."""
    records = 0
    for path in sorted(trail.rglob("*.json.gz")):
        if "CloudTrail-Digest" in path.parts:
            continue
        try:
            records += len(json.loads(gzip.decompress(path.read_bytes()))["Records"])
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            continue  # a broken file: the floor does not set it aside, it just moves on
    print(records)


def timed(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes) and stdout of `command`, run to completion."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 6):
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return seconds, usage.ru_maxrss * 1024, out + err


def generate(work: Path, days: int, accounts: int) -> Path:
    from ctlake.generate import generate_trail

    out = work / f"trail-{days}d-{accounts}a"
    if not (out / "labels.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        # No broken files: the naive read_json fails the whole statement on one.
        generate_trail(out, days=days, seed=1, accounts=accounts, broken_files=False)
    return out


def measure(trail: Path, work: Path, skip_naive: bool) -> dict[str, float]:
    files = sum(1 for p in trail.rglob("*.json.gz") if "CloudTrail-Digest" not in p.parts)
    timed([sys.executable, __file__, "--floor", str(trail)])  # warm the page cache: every
    # step below then reads the files from memory, none pays for the disk alone
    floor_s, floor_rss, out = timed([sys.executable, __file__, "--floor", str(trail)])
    records = int(out.split()[0])
    lake = work / f"lake-{trail.name}"
    shutil.rmtree(lake, ignore_errors=True)
    ingest_s, ingest_rss, _ = timed(
        [sys.executable, "-m", "ctlake", "--lake", str(lake), "-q", "ingest", str(trail)]
    )
    result = {
        "records": records,
        "files": files,
        "floor_s": floor_s,
        "ingest_s": ingest_s,
        "ingest_rss_mb": ingest_rss / 2**20,
        "floor_rss_mb": floor_rss / 2**20,
    }
    if not skip_naive:
        # AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>
        glob = str(trail / "AWSLogs" / "*" / "CloudTrail" / "*" / "*" / "*" / "*" / "*.json.gz")
        target = work / "naive.parquet"
        naive_s, naive_rss, _ = timed([sys.executable, "-c", NAIVE, glob, str(target)])
        result |= {"naive_s": naive_s, "naive_rss_mb": naive_rss / 2**20}
    return result


def report(label: str, r: dict[str, float]) -> None:
    print(f"\n{label}: {int(r['records']):,} records in {int(r['files']):,} files")
    print(f"  (a) floor   {r['floor_s']:7.1f} s   peak RSS {r['floor_rss_mb']:6.0f} MB")
    print(f"  (b) ingest  {r['ingest_s']:7.1f} s   peak RSS {r['ingest_rss_mb']:6.0f} MB")
    if "naive_s" in r:
        print(f"  (c) naive   {r['naive_s']:7.1f} s   peak RSS {r['naive_rss_mb']:6.0f} MB")
    print(f"  ingest / floor = {r['ingest_s'] / r['floor_s']:.2f}   (target <= 2.0)")
    if "naive_s" in r:
        print(f"  naive / ingest = {r['naive_s'] / r['ingest_s']:.2f}   (target >= 3.0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ctlake-bench"))
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--accounts", type=int, default=2)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(args.floor)
        return
    import duckdb

    args.work.mkdir(parents=True, exist_ok=True)
    print(f"duckdb {duckdb.__version__}, python {sys.version.split()[0]}, {os.cpu_count()} cores")
    base = measure(generate(args.work, args.days, args.accounts), args.work, args.skip_naive)
    report("input", base)
    double = measure(generate(args.work, args.days, 2 * args.accounts), args.work, args.skip_naive)
    report("input x2", double)
    growth = double["ingest_rss_mb"] / base["ingest_rss_mb"]
    print(f"\npeak RSS x2 / x1 = {growth:.2f} (target: flat, <= 1.5 GB)")


if __name__ == "__main__":
    main()
