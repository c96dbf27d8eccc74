"""Detection quality on generated trails with labelled anomalies.

For each seed: generate a trail (default 21 days, 2 accounts), ingest it, refresh the
models, and score the insights against labels.json with `ctlake.insights.evaluate`. Prints
each figure beside its target and exits 1 if any target is missed:

- recall: labelled anomalies at >= 5x their baseline (measured in the lake) that an insight
  finds — target 100%;
- false insights: insights no label explains, per account-region-week — target <= 1;
- nightly job: insights on a labelled nightly job after its first three days — target 0;
- start error: minutes between a label's start and its insight's start — target <= 2;
- top identity: the insight's top attributed userIdentityArn is the injected actor — 100%.

Usage: /opt/venv/bin/python bench/detect.py [--seeds 1,2,3] [--days 21] [--work DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import stages

from ctlake.insights import evaluate
from ctlake.lake import Lake, reader

STRONG = 5.0  # recall counts labels at least this many times their baseline
GAP = "ApiCallGapInsight"  # a stop, not a surge: reported on its own row
START_TARGET = 2.0  # minutes


@dataclass
class Totals:
    strong: int = 0
    strong_found: int = 0
    weak_found: int = 0
    weak: int = 0
    gaps: int = 0
    gaps_found: int = 0
    unlabelled: int = 0
    account_region_weeks: float = 0.0
    nightly_jobs: int = 0
    nightly_early: int = 0
    nightly_late: int = 0
    start_errors: list[float] = field(default_factory=list)
    actors: int = 0
    actors_ok: int = 0
    misses: list[str] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)


def main() -> int:
    args = _parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ctlake-detect-"))
    totals = Totals()
    try:
        for seed in args.seeds:
            _run_seed(work / f"seed-{seed}", seed, args, totals)
    finally:
        if not args.work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return _report(totals)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=_ints, default=[1, 2, 3], help="comma-separated seeds")
    parser.add_argument("--days", type=int, default=21, help="days per trail (>= 21)")
    parser.add_argument("--accounts", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0, help="generator volume multiplier")
    parser.add_argument("--work", help="folder for trails and lakes (kept); default: temporary")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--reuse", action="store_true", help="with --work: reuse trails and lakes already there"
    )
    return parser.parse_args()


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _run_seed(folder: Path, seed: int, args: argparse.Namespace, totals: Totals) -> None:
    trail, lake = folder / "trail", Lake(folder / "lake")
    if args.reuse and (trail / "labels.json").is_file() and lake.exists():
        events = stages.Timed(stages.stored_events(lake), 0.0, 0.0)
    else:
        events = stages.in_child(stages.generate, trail, args.days, seed, args.accounts, args.scale)
        stages.in_child(stages.ingest, lake.root, [str(trail)])
    built = stages.in_child(stages.refresh, lake.root, True)
    labels, normal = evaluate.load_labels(trail / "labels.json")
    con = reader.connect(lake)
    try:
        found = evaluate.load_insights(con)
    finally:
        con.close()
    result = evaluate.evaluate(labels, found)
    first, last, pairs = stages.extent(lake)
    print(
        f"seed {seed}: {events.value:,} events, {len(labels)} labels, {len(found)} insights, "
        f"refresh {built.seconds:.1f}s",
        file=sys.stderr,
    )
    _score(lake, result, first, totals, seed)
    totals.account_region_weeks += pairs * max((last - first) / timedelta(days=7), 1 / 7)
    jobs, early, late = _nightly(normal, found, first)
    totals.nightly_jobs += jobs
    totals.nightly_early += early
    totals.nightly_late += late


def _score(
    lake: Lake, result: evaluate.Evaluation, first: datetime, totals: Totals, seed: int
) -> None:
    for match in result.matches:
        name = f"seed {seed} {match.label.id}"
        if match.label.insight_type == GAP:  # a stop, not a surge: no actor, no ratio
            totals.gaps += 1
            totals.gaps_found += match.found
            if not match.found:
                totals.misses.append(f"{name}: missed")
            continue
        ratio = match.label.ratio
        if ratio is None:
            ratio = stages.label_ratio(lake, match.label, first)
        strong = ratio >= STRONG
        totals.strong += strong
        totals.weak += not strong
        if match.found:
            totals.strong_found += strong
            totals.weak_found += not strong
            late = match.start_error_minutes() or 0.0
            totals.start_errors.append(late)
            if late > START_TARGET:
                totals.misses.append(f"{name}: insight starts {late:.0f} minutes off")
            ok = match.top_actor_ok()
            if ok is not None:
                totals.actors += 1
                totals.actors_ok += ok
                if not ok:
                    totals.misses.append(f"{name}: top actor differs")
        elif strong:
            totals.misses.append(f"{name}: missed")
    totals.unlabelled += len(result.unlabelled)
    totals.strays += [
        f"seed {seed} {f.insight_type} {f.account} {f.region} {f.source} {f.name} "
        f"{f.error_code or ''} {f.start:%Y-%m-%dT%H:%M}Z"
        for f in result.unlabelled
    ]


def _nightly(
    normal: list[dict[str, Any]], found: list[evaluate.Found], first: datetime
) -> tuple[int, int, int]:
    """(nightly jobs labelled, insights on them in their first three days, and after)."""
    jobs = early = late = 0
    for pattern in normal:
        text = " ".join(str(pattern.get(k, "")) for k in ("id", "kind", "description")).lower()
        if "nightly" not in text and "daily" not in text:
            continue
        begins = evaluate.parse_time(pattern["start"]) if pattern.get("start") else first
        cutoff = begins.replace(hour=0, minute=0, second=0) + timedelta(days=3)
        starts = [f.start for f in found if _on_pattern(pattern, f)]
        jobs += 1
        early += sum(1 for start in starts if start < cutoff)
        late += sum(1 for start in starts if start >= cutoff)
    return jobs, early, late


def _on_pattern(pattern: dict[str, Any], insight: evaluate.Found) -> bool:
    keys = {
        "accountId": insight.account,
        "awsRegion": insight.region,
        "eventSource": insight.source,
        "eventName": insight.name,
    }
    return all(pattern.get(key) in (None, value) for key, value in keys.items())


def _report(t: Totals) -> int:
    recall = t.strong_found / t.strong if t.strong else 1.0
    false_rate = t.unlabelled / t.account_region_weeks if t.account_region_weeks else 0.0
    worst_start = max(t.start_errors, default=0.0)
    median = statistics.median(t.start_errors) if t.start_errors else 0.0
    actors = t.actors_ok / t.actors if t.actors else 1.0
    rows = [
        ("recall (labels >= 5x baseline)", f"{recall:.0%} ({t.strong_found}/{t.strong})",
         "100%", recall >= 1.0),
        ("weaker labels found (info)", f"{t.weak_found}/{t.weak}", "-", True),
        ("gaps found (info)", f"{t.gaps_found}/{t.gaps}", "-", True),
        ("false insights / account-region-week", f"{false_rate:.2f} ({t.unlabelled})",
         "<= 1", false_rate <= 1.0),
        ("nightly jobs labelled (info)", str(t.nightly_jobs), "-", True),
        ("  insights on them in days 1-3 (info)", str(t.nightly_early), "-", True),
        ("  insights on them after day 3", str(t.nightly_late), "0", t.nightly_late == 0),
        ("start-time error, worst (minutes)", f"{worst_start:.1f}", "<= 2",
         worst_start <= START_TARGET),
        ("start-time error, median (minutes)", f"{median:.1f}", "-", True),
        ("top identity == injected actor", f"{actors:.0%} ({t.actors_ok}/{t.actors})", "100%",
         actors >= 1.0),
    ]  # fmt: skip
    print(f"{'figure':<40} {'measured':<18} {'target':<8} ok")
    for name, measured, target, ok in rows:
        print(f"{name:<40} {measured:<18} {target:<8} {'yes' if ok else 'NO'}")
    for line in t.misses + [f"unlabelled: {s}" for s in t.strays]:
        print(f"  {line}")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
