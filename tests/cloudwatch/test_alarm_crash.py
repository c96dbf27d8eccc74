"""kill -9 `ctlake run` between the alarm evaluation and the deliveries; the next run
completes it exactly: each state change recorded once (the history of a clean run), each
"CloudWatch Alarm State Change" event delivered once to every sink (a webhook on 127.0.0.1
counting POSTs by idempotency key, a folder, an EventBridge JSON Lines file).

The trail: six hours of background calls and three bursts of IAM policy changes, in two
parts split at 02:00. The lake has run once, without sinks, on the first part; the killed
run ingests the rest, refreshes the metric, evaluates the alarm and delivers every event
(the first part's too: the sinks are new)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ctlake.batch.run import run_batch
from ctlake.lake import Lake
from tests.batch.conftest import Receiver, write_config
from tests.conftest import killed_at
from tests.insights.trail import Trail, day

SINKS = {
    "folder": ("s3", 'path = "s3"'),
    "eventbridge": ("eb", 'path = "eventbridge.jsonl"'),
    "webhook": ("hook", 'url = "{url}"\nretries = 0'),
}
ALARM = """
[[metrics.filter]]
name = "IAMPolicyChanges"
pattern = '{ ($.eventName = PutUserPolicy) || ($.eventName = DeleteUserPolicy) }'
namespace = "CISBenchmark"
metric_name = "IAMPolicyChangeCount"
value = "1"

[alarms]
account_id = "111122223333"
[[alarms.alarm]]
name = "IAMPolicyChanges"
namespace = "CISBenchmark"
metric_name = "IAMPolicyChangeCount"
statistic = "Sum"
period = 300
evaluation_periods = 1
threshold = 1
comparison_operator = "GreaterThanOrEqualToThreshold"
treat_missing_data = "notBreaching"
"""


@dataclass(frozen=True)
class Case:
    kill: str
    sinks: tuple[str, ...] = tuple(SINKS)
    repeats: int = 0  # POSTs the kill makes the next run repeat


CASES = [
    Case("alarms.evaluated"),
    Case("alarms.recorded"),
    Case("outbox.enqueued"),
    Case("deliver.sent:2", sinks=("folder", "eventbridge")),  # an alarm file rewritten
    Case("deliver.sent", sinks=("webhook",), repeats=1),
    Case("deliver.marked:2", sinks=("webhook",)),
]


def write_parts(folder: Path) -> list[Path]:
    trail = Trail()
    trail.every(day(0), day(0) + timedelta(hours=6), minutes=10, name="DescribeInstances")
    for hour in (1, 3, 4.5):
        start = day(0) + timedelta(hours=hour, minutes=2)
        trail.burst(start, 3, source="iam.amazonaws.com", name="PutUserPolicy")
    parts = [folder / "part1", folder / "part2"]
    cut = day(0) + timedelta(hours=2)
    for part, keep in zip(parts, (lambda t: t < cut, lambda t: t >= cut), strict=True):
        records = [r for r in trail.records if keep(_when(r))]
        Trail().write(part / "trail.json", records)
    return parts


def _when(record: dict[str, str]) -> datetime:
    return datetime.fromisoformat(record["eventTime"].rstrip("Z"))


def sources(parts: list[Path]) -> str:
    return "[sources]\npaths = [" + ", ".join(f'"{p}"' for p in parts) + "]\n" + ALARM


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_parts(tmp_path_factory.mktemp("alarm-crash"))


@pytest.fixture(scope="module")
def reference(parts: list[Path], tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    """The alarm history of one clean run over the whole trail."""
    lake = Lake(tmp_path_factory.mktemp("clean") / "lake")
    write_config(lake.root, sources(parts))
    run_batch(lake)
    found = history(lake)
    assert [row[2] for row in found].count("ALARM") == 3, found
    return found


@pytest.fixture(scope="module")
def first_part(parts: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = Lake(tmp_path_factory.mktemp("first") / "lake")
    write_config(lake.root, sources(parts[:1]))
    run_batch(lake)
    return lake.root


def history(lake: Lake) -> list[tuple]:
    with lake.catalog() as catalog:
        return catalog.execute(
            "SELECT timestamp, old_state, new_state, late, event_id FROM alarm_history ORDER BY seq"
        ).fetchall()


def config(parts: list[Path], url: str, kinds: tuple[str, ...]) -> str:
    sinks = "".join(
        f'[[sinks.{kind}]]\nname = "{SINKS[kind][0]}"\n{SINKS[kind][1].format(url=url)}\n'
        for kind in kinds
    )
    return sinks + sources(parts)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.kill}({','.join(c.sinks)})")
def test_alarm_events_are_delivered_exactly_once_across_a_kill(
    tmp_path: Path,
    parts: list[Path],
    first_part: Path,
    reference: list[tuple],
    receiver: Receiver,
    case: Case,
) -> None:
    lake = Lake(tmp_path / "lake")
    shutil.copytree(first_part, lake.root)
    write_config(lake.root, config(parts, receiver.url, case.sinks))
    killed_at(case.kill, lake.root, "-q", "run")

    summary = run_batch(lake)
    assert summary.delivery is not None
    assert (summary.delivery.failed, summary.delivery.deferred) == (0, 0)
    assert history(lake) == reference  # each change recorded once, as a clean run does
    ids = sorted(row[4] for row in reference)
    with lake.catalog() as catalog:
        outbox = catalog.execute(
            "SELECT sink, count(*) FILTER (o.state = 'delivered'), count(*) FROM outbox AS o "
            "JOIN delivery_events USING (eventID) WHERE kind = 'alarm' GROUP BY 1"
        ).fetchall()
    assert sorted(outbox) == sorted((SINKS[k][0], len(ids), len(ids)) for k in case.sinks)
    if "webhook" in case.sinks:
        alarm_posts = {k: n for k, n in receiver.posts.items() if k in ids}
        assert sorted(alarm_posts) == ids
        assert sum(alarm_posts.values()) == len(ids) + case.repeats
    if "eventbridge" in case.sinks:
        lines = [json.loads(x) for x in (lake.root / "eventbridge.jsonl").read_text().splitlines()]
        alarm_lines = [e["id"] for e in lines if e["source"] == "aws.cloudwatch"]
        assert sorted(alarm_lines) == ids
    if "folder" in case.sinks:
        files = list((lake.root / "s3" / "CloudWatchAlarms").rglob("*.json"))
        assert sorted(json.loads(f.read_text())["id"] for f in files) == ids
