"""What the benchmarks share: each stage (generate, ingest, refresh) run in a fresh child
process, so its wall time and peak RSS are its own and not the sum of everything before it.

The stages are the library's public calls — `ctlake.generate.generate_trail`,
`ctlake.ingest.ingest`, `ctlake.models.refresh` — exactly what the CLI runs. They are
imported with this module (in the child too, before the clock starts), so a stage's time
is its work, not Python's imports.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from ctlake.generate import generate_trail
from ctlake.ingest import ingest as run_ingest
from ctlake.insights.evaluate import CALL_RATE, ERROR_RATE, Label
from ctlake.lake import Lake, reader
from ctlake.models import refresh as run_refresh
from ctlake.resources import read_sql

T = TypeVar("T")
BASELINE = timedelta(days=7)


@dataclass(frozen=True)
class Timed:
    value: Any
    seconds: float
    peak_rss_mb: float


def _measure(fn: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, float, float]:
    _quiet_stdout()
    started = time.perf_counter()
    value = fn(*args)
    seconds = time.perf_counter() - started
    return value, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _quiet_stdout() -> None:
    """Send the child's fd 1 to /dev/null: DuckDB draws progress bars there on long queries,
    which would bury the benchmark's figures."""
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def in_child(fn: Callable[..., Any], *args: Any) -> Timed:
    """Run `fn(*args)` in a new process; its result, wall seconds and peak RSS (MiB)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        value, seconds, rss = pool.submit(_measure, fn, args).result()
    return Timed(value, seconds, rss)


def on_copies(lake: Path, repeat: int, fn: Callable[..., Any], *args: Any) -> list[Timed]:
    """`in_child(fn, copy, *args)` `repeat` times, each on a fresh copy of `lake` as it is
    now; the last run is on `lake` itself, which keeps its result."""
    before = lake.with_name("lake-before")
    shutil.rmtree(before, ignore_errors=True)
    shutil.copytree(lake, before)
    runs = []
    for i in range(repeat):
        target = lake if i == repeat - 1 else lake.with_name("lake-trial")
        if target != lake:
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(before, target)
        runs.append(in_child(fn, target, *args))
        if target != lake:
            shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(before, ignore_errors=True)
    return runs


def print_figures(rows: list[tuple[str, str, str, bool]]) -> int:
    """The (figure, measured, target, met) rows as a table on stdout; 0 when every target
    is met, else 1 (the benchmark's exit status)."""
    print(f"{'figure':<34} {'measured':<22} {'target':<10} ok")
    for name, measured, target, ok in rows:
        print(f"{name:<34} {measured:<22} {target:<10} {'yes' if ok else 'NO'}")
    return 0 if all(ok for *_, ok in rows) else 1


def generate(out: Path, days: int, seed: int, accounts: int, scale: float) -> int:
    """Generate a trail; the number of events written."""
    return int(generate_trail(out, days=days, seed=seed, accounts=accounts, scale=scale).events)


def ingest(lake_root: Path, paths: list[str]) -> int:
    """Ingest `paths` into the lake at `lake_root`; the number of events stored."""
    return int(run_ingest(Lake(lake_root), paths).stored)


def refresh(lake_root: Path, full: bool) -> list[tuple[str, str, float]]:
    """Refresh the models of the lake at `lake_root`; (model, action, seconds) of each."""
    summary = run_refresh(Lake(lake_root), full=full)
    return [(run.name, run.action, run.seconds) for run in summary.runs]


def stored_events(lake: Lake) -> int:
    """How many events the lake holds."""
    con = reader.connect(lake)
    try:
        return int(con.execute(read_sql(__file__, "count_events")).fetchall()[0][0])
    finally:
        con.close()


def extent(lake: Lake) -> tuple[datetime, datetime, int]:
    """The first and last minute with data, and how many account-region pairs there are."""
    con = reader.connect(lake)
    try:
        row = con.execute(read_sql(__file__, "lake_extent")).fetchall()[0]
    finally:
        con.close()
    return row[0], row[1], int(row[2])


def label_ratio(lake: Lake, label: Label, first_minute: datetime) -> float:
    """The label's rate during its window over the baseline rate of the (up to) seven whole
    days before it, as the lake measures them; infinite for a series never seen before."""
    days = min(BASELINE, label.start - first_minute) // timedelta(days=1)
    base_start = label.start - timedelta(days=max(days, 0))
    params = {
        "series_type": "errors" if label.insight_type == ERROR_RATE else "calls",
        "account": label.account,
        "region": label.region,
        "source": label.source,
        "name": label.name,
        "error_code": label.error_code if label.insight_type != CALL_RATE else None,
        "start": label.start,
        "end": label.end,
        "base_start": base_start,
    }
    con = reader.connect(lake)
    try:
        during, before = con.execute(read_sql(__file__, "label_rates"), params).fetchall()[0]
    finally:
        con.close()
    window = max((label.end - label.start) / timedelta(minutes=1), 1.0)
    baseline_minutes = (label.start - base_start) / timedelta(minutes=1)
    rate = float(during) / window
    baseline = float(before) / baseline_minutes if baseline_minutes > 0 else 0.0
    return rate / baseline if baseline > 0 else float("inf")
