"""`ctlake demo`: the whole product in one command, on data made for it.

It generates a trail with labelled anomalies (the seeds' use cases: a burst of SendCommand,
an IAM CreateUser surge, a brute-force of failed ConsoleLogins, a nightly job that is not an
anomaly, ...), ingests it into a fresh lake, refreshes the insight models and scores what
the models found against the labels (`ctlake.insights.evaluate`). The lake is configured
with the CIS console sign-in failures metric filter and its CloudWatch alarm
(`ctlake/cloudwatch/alarms/demo_alarm.toml`), evaluated after the refresh as `ctlake run`
does: the report shows the alarm firing on the brute force. The stages are each one call
into the library — `generate_trail`, `ingest`, `refresh_models`, `evaluate_alarms` — so
the demo shows exactly what a user would run by hand, and its timings are the product's.
"""

from __future__ import annotations

import re
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ctlake.cloudwatch.alarms.history import StateChange
from ctlake.insights import evaluate
from ctlake.lake import Lake, reader

DEMO_CONFIG = Path(__file__).resolve().parent / "cloudwatch" / "alarms" / "demo_alarm.toml"

Progress = Callable[[str], None]


@dataclass
class DemoResult:
    trail: Path
    lake: Lake
    events: int
    evaluation: evaluate.Evaluation
    seconds: dict[str, float] = field(default_factory=dict)
    alarms: list[StateChange] = field(default_factory=list)  # the alarms' state changes
    labels: list[evaluate.Label] = field(default_factory=list)


def refresh_models(lake: Lake, progress: Progress | None = None, full: bool = False) -> None:
    """Bring every model of `lake` up to date (the runner's Python API, as `ctlake refresh`
    calls it); `full` rebuilds from scratch instead of refreshing incrementally."""
    from ctlake.models import refresh

    refresh(lake, full=full, progress=progress)


def run_demo(
    directory: Path,
    *,
    days: int = 14,
    seed: int = 7,
    accounts: int = 1,
    progress: Progress | None = None,
) -> DemoResult:
    """Generate, ingest, refresh and evaluate under `directory` (trail/ and lake/)."""
    from ctlake.cloudwatch.alarms.evaluate import evaluate_alarms
    from ctlake.cloudwatch.alarms.history import state_changes
    from ctlake.config import load
    from ctlake.generate import generate_trail
    from ctlake.ingest import ingest

    say = progress or (lambda _message: None)
    trail, lake = directory / "trail", Lake(directory / "lake")
    seconds: dict[str, float] = {}
    started = time.monotonic()
    say(f"demo: generating {days} days of CloudTrail logs into {trail}")
    summary = generate_trail(trail, days=days, seed=seed, accounts=accounts, progress=progress)
    seconds["generate"] = _lap(started)
    say(f"demo: ingesting {summary.events:,} events into the lake at {lake.root}")
    started = time.monotonic()
    ingest(lake, [str(trail / "AWSLogs")], progress=progress)  # not labels.json beside it
    seconds["ingest"] = _lap(started)
    (lake.root / "ctlake.toml").write_text(DEMO_CONFIG.read_text(encoding="utf-8"))
    say("demo: refreshing the insight models and the metric filters")
    started = time.monotonic()
    refresh_models(lake, progress=progress)
    seconds["refresh"] = _lap(started)
    say("demo: evaluating the alarms")
    started = time.monotonic()
    config = load(lake.root)
    with lake.write_lock():  # as `ctlake run` holds it
        evaluate_alarms(lake, config.alarms, config.metrics)
    seconds["alarms"] = _lap(started)
    labels, _normal = evaluate.load_labels(trail / "labels.json")
    evaluation = score(lake, trail / "labels.json")
    return DemoResult(trail, lake, summary.events, evaluation, seconds, state_changes(lake), labels)


def score(lake: Lake, labels_path: Path) -> evaluate.Evaluation:
    """The lake's insights against the labelled anomalies in `labels_path`."""
    labels, _normal = evaluate.load_labels(labels_path)
    con = reader.connect(lake)
    try:
        found = evaluate.load_insights(con)
    finally:
        con.close()
    return evaluate.evaluate(labels, found)


def report(result: DemoResult, width: int | None = None) -> list[str]:
    """What the demo prints: each insight beside the anomaly it found, then the misses and
    the insights no label explains. With a `width` (a terminal's), long lines wrap at words
    under their first field, so an ARN or an id is never split; without, one line each."""
    lines = _report_lines(result)
    return lines if width is None else [part for line in lines for part in _wrap(line, width)]


def _wrap(line: str, width: int) -> list[str]:
    lead = _LEAD.match(line)
    indent = " " * (lead.end() if lead else 0)
    wrapped = textwrap.wrap(
        line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return wrapped or [line]


# A line's first field ("FOUND   ", "  label    ", "UNLABELLED  "): its continuation lines
# start under the text that follows it.
_LEAD = re.compile(r"^\s*\S+\s+")


def _report_lines(result: DemoResult) -> list[str]:
    ev = result.evaluation
    found = sum(1 for m in ev.matches if m.found)
    lines = [
        f"{found} of {len(ev.matches)} labelled anomalies found, {len(ev.missed)} missed, "
        f"{len(ev.unlabelled)} insights without a label "
        f"({result.events:,} events, lake at {result.lake.root}).",
        "",
    ]
    for match in ev.matches:
        lines += _match_lines(match)
    for insight in ev.unlabelled:
        lines += ["UNLABELLED  " + _insight_line(insight), ""]
    lines += _alarm_lines(result)
    lines += [
        "Explore:",
        f"  ctlake --lake {result.lake.root} insights list",
        f"  ctlake --lake {result.lake.root} insights show ID --png insight.png",
    ]
    names = sorted({change.alarm for change in result.alarms})
    lines += [f"  ctlake --lake {result.lake.root} alarms history {name}" for name in names]
    return lines


def _alarm_lines(result: DemoResult) -> list[str]:
    """Each time an alarm went to ALARM, with the labelled anomaly it fell in, if any."""
    fired = [c for c in result.alarms if c.new_state == "ALARM"]
    if not result.alarms:
        return []
    lines = [f"CloudWatch alarms: {len(fired)} went to ALARM."]
    for change in fired:
        during = [
            label.id
            for label in result.labels
            if label.start <= change.timestamp <= label.end + _PERIOD_SLACK
        ]
        lines.append(
            f"ALARM   {change.alarm} at {change.timestamp:%Y-%m-%dT%H:%M}Z"
            + (f" during {', '.join(during)}" if during else "")
            + f": {change.reason}"
        )
    return [*lines, ""]


_PERIOD_SLACK = timedelta(minutes=10)  # an alarm fires at the end of its period


def _match_lines(match: evaluate.Match) -> list[str]:
    label = match.label
    status = "FOUND " if match.found else "MISSED"
    code = f" {label.error_code}" if label.error_code else ""
    lines = [
        f"{status}  {label.id}: {label.description}",
        f"  label    {label.insight_type} {label.account} {label.region} "
        f"{label.source} {label.name}{code} {_span(label.start, label.end)}"
        + (f" actor {label.actor}" if label.actor else ""),
    ]
    for insight in match.insights:
        lines.append("  insight  " + _insight_line(insight))
    for insight in match.related:
        lines.append("  also     " + _insight_line(insight))
    return [*lines, ""]


def _insight_line(insight: evaluate.Found) -> str:
    ratio = f"{insight.average / insight.baseline:.0f}x" if insight.baseline > 0 else "new"
    code = f" {insight.error_code}" if insight.error_code else ""
    span = (
        f"{insight.start:%Y-%m-%dT%H:%M}Z-(still open)"
        if insight.ongoing
        else _span(insight.start, insight.end)
    )
    return (
        f"{insight.insight_type} {insight.account} {insight.region} {insight.source} "
        f"{insight.name}{code} {span} baseline "
        f"{insight.baseline:.4g}/min, insight {insight.average:.4g}/min ({ratio}), "
        f"top actor {insight.top_actor}, id {insight.shared_id}"
    )


def _span(start: datetime, end: datetime) -> str:
    tail = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%dT%H:%M}"
    return f"{start:%Y-%m-%dT%H:%M}-{tail}Z"


def _lap(started: float) -> float:
    return round(time.monotonic() - started, 1)
