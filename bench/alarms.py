"""Alarm evaluation on the bench lake: what evaluating the CIS pack's 15 alarms costs
after a refresh, against the refresh itself, and whether an hourly evaluation stays flat.

1. Generate the 21-day bench trail (~940k events; reused with --work DIR --reuse).
2. Lake "whole": ingest all but the trail's last hour with the CIS pack (metric filters
   and alarms, data/cis/cis.toml) in its ctlake.toml, build every model in full, then
   evaluate the alarms over the whole history (a new alarm replays from the first event).
   Figure: those seconds over the full refresh's. Target: <= 0.25 (a new alarm's whole
   history, here ~3,300 state changes written, costs a fraction of the build it follows).
3. Ingest the last hour, refresh, evaluate: the hourly evaluation's seconds.
4. Lake "half": the same with the trail's first half. Target: the hourly evaluation on
   "whole" at most 1.25x the one on "half" (flat: an hour costs what an hour holds).

Every stage runs in its own process (bench/stages.py); each evaluation is timed --repeat
times from copies of the same lake, and the median counts.

Usage: python bench/alarms.py [--work DIR] [--reuse] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import refresh as bench_refresh
import stages

from ctlake.cloudwatch.alarms.evaluate import evaluate_alarms
from ctlake.config import CONFIG_FILE, load
from ctlake.lake import Lake

ROOT = Path(__file__).resolve().parents[1]
CIS = ROOT / "data" / "cis" / "cis.toml"
RATIO_TARGET = 0.25  # full alarm evaluation / full refresh
FLAT_TARGET = 1.25  # hourly evaluation on the whole lake over the half lake


def evaluate(lake_root: Path) -> tuple[int, int]:
    """Evaluate the lake's alarms (a stage: runs in a child); (alarms, state changes)."""
    config = load(lake_root)
    summary = evaluate_alarms(Lake(lake_root), config.alarms, config.metrics)
    return summary.alarms, summary.changes


def main() -> int:
    args = _parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ctlake-alarms-"))
    try:
        trail = work / "trail"
        if not (args.reuse and (trail / "labels.json").is_file()):
            shutil.rmtree(trail, ignore_errors=True)
            stages.in_child(stages.generate, trail, args.days, args.seed, args.accounts, 1.0)
        early, last_hour = bench_refresh._split_last_hour(trail)
        half, half_hour = _first_half(early)
        whole = _build(work / "whole", early, last_hour, args.repeat)
        halved = _build(work / "half", half, half_hour, args.repeat)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return _report(whole, halved)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--accounts", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", help="folder for the trail and lakes (kept)")
    parser.add_argument("--reuse", action="store_true", help="reuse the trail in --work")
    parser.add_argument("--repeat", type=int, default=3, help="time each evaluation this often")
    return parser.parse_args()


def _first_half(files: list[str]) -> tuple[list[str], list[str]]:
    """The files of the first half of the trail's days, and those of the hour after."""
    stamped = sorted((_stamp(f), f) for f in files)
    middle = stamped[len(stamped) // 2][0]
    hour_before = bench_refresh._minus_hour(middle)
    before = [f for stamp, f in stamped if stamp <= hour_before]
    hour = [f for stamp, f in stamped if hour_before < stamp <= middle]
    return before, hour


def _stamp(path: str) -> str:
    """The delivery time in a CloudTrail file's name (20240501T1205Z)."""
    match = bench_refresh.STAMP.search(Path(path).name)
    assert match is not None, path  # _split_last_hour kept only stamped files
    return match.group(1)


class Built:
    def __init__(self, events: int, refresh: float, full: list[float], hourly: list[float]):
        self.events, self.refresh = events, refresh
        self.full, self.hourly = statistics.median(full), statistics.median(hourly)


def _build(folder: Path, files: list[str], hour: list[str], repeat: int) -> Built:
    lake = folder / "lake"
    shutil.rmtree(folder, ignore_errors=True)
    lake.mkdir(parents=True)
    shutil.copy(CIS, lake / CONFIG_FILE)
    events = stages.in_child(stages.ingest, lake, files).value
    refresh = stages.in_child(stages.refresh, lake, True).seconds
    full = _repeat(lake, repeat)
    events += stages.in_child(stages.ingest, lake, hour).value
    stages.in_child(stages.refresh, lake, False)
    hourly = _repeat(lake, repeat)
    print(f"{folder.name}: {events:,} events", file=sys.stderr)
    return Built(events, refresh, full, hourly)


def _repeat(lake: Path, repeat: int) -> list[float]:
    """Evaluate the alarms of `lake` `repeat` times, each from a copy of it as it was (the
    lake itself is evaluated last and keeps the result); the seconds of each."""
    runs = stages.on_copies(lake, repeat, evaluate)
    for run in runs:
        print(f"  {run.value[0]} alarms, {run.value[1]} changes", file=sys.stderr)
    return [run.seconds for run in runs]


def _report(whole: Built, half: Built) -> int:
    ratio = whole.full / whole.refresh
    flat = whole.hourly / half.hourly
    rows = [
        ("events (whole / half)", f"{whole.events:,} / {half.events:,}", "-", True),
        ("full refresh (s)", f"{whole.refresh:.2f}", "-", True),
        ("alarms, whole history (s)", f"{whole.full:.3f}", "-", True),
        ("alarms / full refresh", f"{ratio:.3f}", f"<= {RATIO_TARGET}", ratio <= RATIO_TARGET),
        ("hourly alarms whole (s)", f"{whole.hourly:.3f}", "-", True),
        ("hourly alarms half (s)", f"{half.hourly:.3f}", "-", True),
        ("hourly whole / half", f"{flat:.2f}", f"<= {FLAT_TARGET}", flat <= FLAT_TARGET),
    ]
    return stages.print_figures(rows)


if __name__ == "__main__":
    sys.exit(main())
