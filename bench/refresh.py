"""Model refresh speed: full build, incremental refresh, and how both scale.

1. Generate a 21-day trail (2 accounts; the generator spreads them over its regions) of at
   least 750k events; the scale is calibrated on a three-day trail first.
2. Ingest all but its last hour (timed: the ingest reference), build the models in full.
3. Ingest the last hour and refresh incrementally. Target: < 0.3 s.
4. Full build / ingest of the same trail. Target: < 1.
5. The same on a trail with twice the events. Targets: full build <= 2.2x the first; the
   hourly refresh flat, at most 1.25x the first's: what an hour costs must not grow with
   the lake (what users wait for each hour), whatever the full build takes.

Every stage runs in its own process, so each peak RSS is that stage's own. Each refresh is
timed --repeat times (default 3), each time from a copy of the same lake, and the median
counts: the machine is shared, and one refresh of a few tenths of a second is easily
doubled by a neighbour's burst.

Usage: /opt/venv/bin/python bench/refresh.py [--days 21] [--min-events 750000] [--work DIR]
       [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import stages

from ctlake.lake import Lake

CALIBRATION_DAYS = 3
STAMP = re.compile(r"_(\d{8}T\d{4}Z)_")
HOURLY_TARGET = 0.3  # seconds: an hourly refresh on the bench lake
FLAT_TARGET = 1.25  # the hourly refresh on twice the events, over the first's


@dataclass
class Build:
    events: int
    ingest: stages.Timed
    full: stages.Timed
    incremental: stages.Timed


def main() -> int:
    args = _parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ctlake-refresh-"))
    try:
        scale = args.scale or _calibrate(work / "calibrate", args)
        print(f"scale {scale:.2f} for >= {args.min_events:,} events", file=sys.stderr)
        one = _build(work / "x1", scale, args)
        two = _build(work / "x2", scale * 2, args)
    finally:
        if not args.work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return _report(one, two, args.min_events)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=21)
    parser.add_argument("--accounts", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-events", type=int, default=750_000)
    parser.add_argument("--scale", type=float, help="skip calibration, use this scale")
    parser.add_argument("--work", help="folder for trails and lakes (kept); default: temporary")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--reuse", action="store_true", help="with --work: reuse the trails already there"
    )
    parser.add_argument("--repeat", type=int, default=3, help="time each refresh this often")
    return parser.parse_args()


def _calibrate(folder: Path, args: argparse.Namespace) -> float:
    """The generator scale that gives at least --min-events over --days."""
    days = CALIBRATION_DAYS
    events = stages.in_child(stages.generate, folder, days, args.seed, args.accounts, 1.0).value
    shutil.rmtree(folder, ignore_errors=True)
    per_day = events / days
    wanted = args.min_events * 1.1 / (max(per_day, 1) * args.days)
    return max(1.0, math.ceil(wanted * 10) / 10)


def _build(folder: Path, scale: float, args: argparse.Namespace) -> Build:
    trail, lake = folder / "trail", Lake(folder / "lake")
    shutil.rmtree(lake.root, ignore_errors=True)
    if not (args.reuse and (trail / "labels.json").is_file()):
        shutil.rmtree(trail, ignore_errors=True)
        stages.in_child(stages.generate, trail, args.days, args.seed, args.accounts, scale)
    early, last_hour = _split_last_hour(trail)
    ingested = stages.in_child(stages.ingest, lake.root, early)
    full = _median_refresh(lake.root, True, args.repeat)
    events = ingested.value + stages.in_child(stages.ingest, lake.root, last_hour).value
    incremental = _median_refresh(lake.root, False, args.repeat)
    print(f"{folder.name}: {events:,} events stored", file=sys.stderr)
    return Build(events, ingested, full, incremental)


def _median_refresh(lake_root: Path, full: bool, repeat: int) -> stages.Timed:
    """Refresh the lake (which keeps the result), and `repeat - 1` copies of it as it was
    before; the run with the median time."""
    before, trial = lake_root.with_name("lake-before"), lake_root.with_name("lake-trial")
    if repeat > 1:
        shutil.rmtree(before, ignore_errors=True)
        shutil.copytree(lake_root, before)
    runs = [stages.in_child(stages.refresh, lake_root, full)]
    for _ in range(repeat - 1):
        shutil.rmtree(trial, ignore_errors=True)
        shutil.copytree(before, trial)
        runs.append(stages.in_child(stages.refresh, trial, full))
    shutil.rmtree(before, ignore_errors=True)
    shutil.rmtree(trial, ignore_errors=True)
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def _split_last_hour(trail: Path) -> tuple[list[str], list[str]]:
    """The trail's log files before its last hour, and those of the last hour (by the
    delivery timestamp in CloudTrail's file names)."""
    files = sorted(
        (match.group(1), str(path))
        for path in trail.rglob("*.json.gz")
        if "CloudTrail-Digest" not in str(path) and (match := STAMP.search(path.name))
    )
    if not files:
        raise SystemExit(f"no CloudTrail log files under {trail}")
    last = files[-1][0]
    hour_before = _minus_hour(last)
    early = [path for stamp, path in files if stamp <= hour_before]
    recent = [path for stamp, path in files if stamp > hour_before]
    return early, recent


def _minus_hour(stamp: str) -> str:
    moment = datetime.strptime(stamp, "%Y%m%dT%H%MZ") - timedelta(hours=1)
    return moment.strftime("%Y%m%dT%H%MZ")


def _report(one: Build, two: Build, min_events: int) -> int:
    incr_ratio = one.incremental.seconds / one.full.seconds
    incr_ratio_two = two.incremental.seconds / two.full.seconds
    ingest_ratio = one.full.seconds / one.ingest.seconds
    events_ratio = two.events / one.events
    scale_ratio = two.full.seconds / one.full.seconds
    flat = two.incremental.seconds / one.incremental.seconds
    at_twice = scale_ratio * 2 / events_ratio  # extrapolated linearly to exactly 2x events
    peak = max(t.peak_rss_mb for t in (one.ingest, one.full, one.incremental, two.full))
    rows = [
        ("events stored (x1 / x2)", f"{one.events:,} / {two.events:,}", f">= {min_events:,}",
         one.events >= min_events),
        ("ingest x1 (s)", f"{one.ingest.seconds:.1f}", "-", True),
        ("full build x1 (s)", f"{one.full.seconds:.2f}", "-", True),
        ("incremental after 1 hour (s)", f"{one.incremental.seconds:.2f}", "< 0.3",
         one.incremental.seconds < HOURLY_TARGET),
        ("incremental / full", f"{incr_ratio:.1%}", "-", True),
        ("full build / ingest", f"{ingest_ratio:.2f}", "< 1", ingest_ratio < 1),
        ("full build x2 (s)", f"{two.full.seconds:.2f}", "-", True),
        ("incremental x2 (s), / full x2",
         f"{two.incremental.seconds:.2f}, {incr_ratio_two:.1%}", "-", True),
        ("incremental x2 / x1", f"{flat:.2f}", f"<= {FLAT_TARGET}", flat <= FLAT_TARGET),
        ("full x2 / full x1", f"{scale_ratio:.2f} for {events_ratio:.2f}x events", "-", True),
        ("  same, per 2x events", f"{at_twice:.2f}", "<= 2.2", at_twice <= 2.2),
        ("peak RSS full build x1 / x2 (MiB)",
         f"{one.full.peak_rss_mb:.0f} / {two.full.peak_rss_mb:.0f}", "-", True),
        ("peak RSS any stage (MiB)", f"{peak:.0f}", "-", True),
    ]  # fmt: skip
    print(f"{'figure':<36} {'measured':<26} {'target':<12} ok")
    for name, measured, target, ok in rows:
        print(f"{name:<36} {measured:<26} {target:<12} {'yes' if ok else 'NO'}")
    _breakdown(one)
    return 0 if all(ok for *_, ok in rows) else 1


def _breakdown(build: Build) -> None:
    """Per model: seconds in the full build and in the incremental refresh; then the time
    each spent outside the models."""
    incremental = {name: (action, sec) for name, action, sec in build.incremental.value}
    print(f"\n{'model':<24} {'full (s)':>9} {'incremental (s)':>16}  action")
    for name, _action, seconds in build.full.value:
        action, inc = incremental.get(name, ("-", 0.0))
        print(f"{name:<24} {seconds:>9.3f} {inc:>16.3f}  {action}")
    # what a refresh costs besides its models: opening DuckDB and the catalog, the run
    # state, the commit and closing; the same whatever the window holds
    full_models = sum(seconds for *_, seconds in build.full.value)
    inc_models = sum(seconds for _, seconds in incremental.values())
    print(f"{'all models':<24} {full_models:>9.3f} {inc_models:>16.3f}")
    print(
        f"{'outside the models':<24} {build.full.seconds - full_models:>9.3f} "
        f"{build.incremental.seconds - inc_models:>16.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
