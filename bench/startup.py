"""How long the command line takes to start, beside a bare Python start.

Each command runs RUNS times in a fresh interpreter (`python -m ctlake ...`, output thrown
away); the median wall time is printed with its ratio to the median of `python -c pass`
measured in the same run, so a busy machine shifts both. A command that needs no engine
(`--help`, `query list`) should cost a small multiple of the bare start: it must not import
duckdb, pyarrow or sqlglot (tests/cli/test_startup.py checks that; this measures it).

Usage: python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "ctlake --help": ["-m", "ctlake", "--help"],
    "ctlake query list": ["-m", "ctlake", "query", "list"],
    "ctlake sql --help": ["-m", "ctlake", "sql", "--help"],
}


def median_seconds(args: list[str], runs: int) -> float:
    """The median wall time of `python ARGS`, over `runs` runs after one warm-up."""
    times = []
    for attempt in range(runs + 1):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL, check=True)
        if attempt:  # the first run warms the page cache and the bytecode files
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (median shown)")
    args = parser.parse_args()
    bare = None
    print(f"{'command':<20} {'median':>8} {'x bare':>7}   ({args.runs} runs each)")
    for label, argv in COMMANDS.items():
        seconds = median_seconds(argv, args.runs)
        bare = bare or seconds
        print(f"{label:<20} {seconds:>7.3f}s {seconds / bare:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
