"""How long the command line takes to start, beside a bare Python start.

Each command runs RUNS times in a fresh interpreter (`python -m ctlake ...`, output thrown
away); the median wall time and the median CPU time (user + system, which other work on a
busy machine disturbs less) are printed with their ratio to those of `python -c pass`
measured in the same run, and beside a bare two-command Typer app (the framework's floor).
A command that needs no engine (`--help`, `query list`) should cost a small multiple of the
bare start: it must not import duckdb, pyarrow or sqlglot (tests/cli/test_startup.py checks
that; this measures it). Typer itself costs several bare starts (it loads pydantic to
convert option values), so the Typer app is the floor ctlake can reach.

Usage: python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

# The framework's own floor: a Typer app of two commands with a few typed options, which is
# what any Typer command line pays before it does anything of its own.
TYPER_APP = """
import sys
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer(rich_markup_mode=None)
@app.command()
def one(path: Annotated[Path, typer.Option()] = Path("."), n: int = 3) -> None: ...
@app.command()
def two(name: str = "x") -> None: ...
sys.argv = ["app", "--help"]
app()
"""

COMMANDS: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "typer app --help": ["-c", TYPER_APP],
    "ctlake --help": ["-m", "ctlake", "--help"],
    "ctlake query list": ["-m", "ctlake", "query", "list"],
    "ctlake sql --help": ["-m", "ctlake", "sql", "--help"],
}


def median_seconds(args: list[str], runs: int) -> tuple[float, float]:
    """The median wall and CPU seconds of `python ARGS`, over `runs` runs after a warm-up."""
    walls, cpus = [], []
    for attempt in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if attempt:  # the first run warms the page cache and the bytecode files
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (median shown)")
    args = parser.parse_args()
    print(f"{'command':<20} {'wall':>8} {'x bare':>7} {'cpu':>8} {'x bare':>7}  ({args.runs} runs)")
    bare: tuple[float, float] | None = None
    for label, argv in COMMANDS.items():
        wall, cpu = median_seconds(argv, args.runs)
        bare = bare or (wall, cpu)
        print(
            f"{label:<20} {wall:>7.3f}s {wall / bare[0]:>7.1f} {cpu:>7.3f}s {cpu / bare[1]:>7.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
