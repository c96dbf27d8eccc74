"""Metric filters on the bench lake: what the model `metric_points` costs with the CIS
monitoring filters, against the insight models, and how its hourly refresh scales.

1. Generate the 21-day bench trail (~940k events; reused with --work DIR --reuse).
2. Lake "whole": ingest all but the trail's last hour, with the metric filters of --filters
   (default: the 15 of data/cis/cis.toml; its other sections are left out) in its
   ctlake.toml, and build every model in full. Figure: the
   seconds of metric_points over those of the insight models (every other model) in the
   same build. Target: <= 0.5.
3. Ingest the last hour and refresh: metric_points' seconds.
4. Lake "half": the same with the second half of the trail only (its files from the middle
   on), then the same last hour: the lake holds half the events, the hour exactly the same
   ones. Target: the hourly metric refresh on "whole" at most 1.25x the one on "half"
   (flat: what an hour costs must not grow with the lake).

Every stage runs in its own process (bench/stages.py); each refresh is timed --repeat times
from copies of the same lake, and the median counts.

Usage: python bench/metrics.py [--work DIR] [--reuse] [--filters FILE] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import tomllib
from pathlib import Path

import refresh as bench_refresh
import stages

from ctlake.batch.config_text import to_toml
from ctlake.config import CONFIG_FILE

ROOT = Path(__file__).resolve().parents[1]
CIS = ROOT / "data" / "cis" / "cis.toml"
MODEL = "metric_points"
RATIO_TARGET = 0.5  # metric model / insight models, full build
FLAT_TARGET = 1.25  # hourly metric refresh on the whole lake over the half lake


def main() -> int:
    args = _parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ctlake-metrics-"))
    filters = Path(args.filters)
    if not filters.is_file():
        raise SystemExit(f"{filters}: no such file (the filters to measure)")
    try:
        trail = work / "trail"
        if not (args.reuse and (trail / "labels.json").is_file()):
            shutil.rmtree(trail, ignore_errors=True)
            stages.in_child(stages.generate, trail, args.days, args.seed, args.accounts, 1.0)
        early, last_hour = bench_refresh._split_last_hour(trail)
        whole = _build(work / "whole", early, last_hour, filters, args.repeat)
        halved = _build(work / "half", _second_half(early), last_hour, filters, args.repeat)
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
    parser.add_argument("--filters", default=str(CIS), help="a ctlake.toml of metric filters")
    parser.add_argument("--repeat", type=int, default=3, help="time each refresh this often")
    return parser.parse_args()


def _second_half(files: list[str]) -> list[str]:
    """The later half of `files`, by the delivery time in their names."""
    stamped = sorted((_stamp(f), f) for f in files)
    middle = stamped[len(stamped) // 2][0]
    return [f for stamp, f in stamped if stamp >= middle]


def _stamp(path: str) -> str:
    match = bench_refresh.STAMP.search(Path(path).name)
    if match is None:
        raise SystemExit(f"{path}: no delivery time in the file name")
    return match.group(1)


class Built:
    def __init__(self, events: int, full: list[stages.Timed], hourly: list[stages.Timed]):
        self.events = events
        self.metric_full = statistics.median(_seconds(run.value, MODEL) for run in full)
        self.insights_full = statistics.median(
            sum(s for name, _, s in run.value if name != MODEL) for run in full
        )
        self.hourly = statistics.median(_seconds(run.value, MODEL) for run in hourly)
        # the whole refresh as a user waits for it: every model, the filters' compilation,
        # opening and committing the catalog
        self.hourly_wall = statistics.median(run.seconds for run in hourly)


def _seconds(run: list[tuple[str, str, float]], model: str) -> float:
    return next(seconds for name, _, seconds in run if name == model)


def _build(folder: Path, files: list[str], hour: list[str], filters: Path, repeat: int) -> Built:
    lake = folder / "lake"
    shutil.rmtree(folder, ignore_errors=True)
    lake.mkdir(parents=True)
    (lake / CONFIG_FILE).write_text(_filters_only(filters))
    events = stages.in_child(stages.ingest, lake, files).value
    full = _repeat(lake, True, repeat)
    events += stages.in_child(stages.ingest, lake, hour).value
    hourly = _repeat(lake, False, repeat)
    print(f"{folder.name}: {events:,} events", file=sys.stderr)
    return Built(events, full, hourly)


def _filters_only(path: Path) -> str:
    """The `[[metrics.filter]]` tables of the TOML file `path`, as a ctlake.toml."""
    filters = tomllib.loads(path.read_text(encoding="utf-8")).get("metrics", {}).get("filter")
    if not filters:
        raise SystemExit(f"{path}: no [[metrics.filter]] to measure")
    return to_toml({"metrics": {"filter": filters}})


def _repeat(lake: Path, full: bool, repeat: int) -> list[stages.Timed]:
    """Refresh `lake` `repeat` times, each from a copy of it as it was (the lake itself
    is refreshed last and keeps the result)."""
    return stages.on_copies(lake, repeat, stages.refresh, full)


def _report(whole: Built, half: Built) -> int:
    ratio = whole.metric_full / whole.insights_full
    flat = whole.hourly / half.hourly
    rows = [
        ("events (whole / half)", f"{whole.events:,} / {half.events:,}", "-", True),
        ("full: metric_points (s)", f"{whole.metric_full:.2f}", "-", True),
        ("full: insight models (s)", f"{whole.insights_full:.2f}", "-", True),
        ("metric_points / insights", f"{ratio:.2f}", f"<= {RATIO_TARGET}", ratio <= RATIO_TARGET),
        ("hourly metric_points whole (s)", f"{whole.hourly:.3f}", "-", True),
        ("hourly metric_points half (s)", f"{half.hourly:.3f}", "-", True),
        ("hourly whole / half", f"{flat:.2f}", f"<= {FLAT_TARGET}", flat <= FLAT_TARGET),
        ("hourly refresh, all models (s)", f"{whole.hourly_wall:.2f} / {half.hourly_wall:.2f}",
         "-", True),
    ]  # fmt: skip
    return stages.print_figures(rows)


if __name__ == "__main__":
    sys.exit(main())
