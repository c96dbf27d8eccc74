"""kill -9 `ctlake run` at every crash point of the model runner, the outbox and the batch;
the next run completes it exactly: every event stored once, the insights those of a clean
build, every insight delivered once to every sink (a webhook on 127.0.0.1 counting POSTs by
idempotency key, a folder in the S3 layout, an EventBridge JSON Lines file).

The trail is the compact scenario of tests/insights/test_incremental.py (three days, bursts
and a gap), in 6-hour files and two parts. The lake has run once, without sinks, on the
first part (the first two days); the killed run ingests the rest, refreshes incrementally
and delivers every insight to the sinks, which are new. bench/crash_soak.py kills at random
moments instead."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ctlake.batch.run import run_batch
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from ctlake.models import refresh
from tests.batch.conftest import Receiver, write_config
from tests.batch.test_run import folder_records
from tests.conftest import killed_at
from tests.insights.test_incremental import RECORDS
from tests.insights.trail import Trail, day

SINKS = {  # kind: (name, settings), in the order deliveries are made (config.SINK_KINDS)
    "folder": ("s3", 'path = "s3"'),
    "eventbridge": ("eb", 'path = "eventbridge.jsonl"'),
    "webhook": ("hook", 'url = "{url}"\nretries = 0'),
}
EVERY_SINK = tuple(SINKS)
EVERY_INSIGHT = -1


@dataclass(frozen=True)
class Case:
    kill: str  # CTLAKE_CRASH_AT
    sinks: tuple[str, ...] = EVERY_SINK  # configured; the first is delivered to first
    posts: int = 0  # POSTs the webhook had when the kill came (or EVERY_INSIGHT)
    repeats: int = 0  # POSTs the kill makes the next run repeat

    @property
    def id(self) -> str:
        return self.kill if self.sinks == EVERY_SINK else f"{self.kill}({self.sinks[0]})"


CASES = [
    Case("run.started"),
    Case("refresh.mid_model"),  # the first incremental model: its window deleted
    Case("refresh.between_models:5"),
    Case("refresh.states_saved"),
    Case("refresh.committed"),
    Case("outbox.enqueuing"),
    Case("outbox.enqueued"),
    Case("deliver.sent:2"),  # the second folder file written, not marked: rewritten whole
    Case("deliver.marked"),
    Case("deliver.sent:2", sinks=("eventbridge", "webhook")),  # lines found, not re-appended
    Case("deliver.marked", sinks=("eventbridge", "webhook")),
    # POSTed, not marked: the one repeat a kill can cause (the receiver dedups by key)
    Case("deliver.sent", sinks=("webhook",), posts=1, repeats=1),
    Case("deliver.marked:2", sinks=("webhook",), posts=2),
    Case("run.finishing", posts=EVERY_INSIGHT),
]


@dataclass(frozen=True)
class Reference:
    events: int
    quarantined: int
    insights: list[tuple[Any, ...]]  # insight_events, every column, in order

    @property
    def ids(self) -> list[str]:
        return sorted(row[0] for row in self.insights)


def write_parts(folder: Path) -> list[Path]:
    """The scenario's records in 6-hour files, in two folders split at day 2, each with one
    record to quarantine."""
    parts = [folder / "part1", folder / "part2"]
    files: dict[Path, list[Any]] = {}
    for record in RECORDS:
        when = datetime.fromisoformat(record["eventTime"].rstrip("Z"))
        part = parts[when >= day(2)]
        files.setdefault(part / f"{when:%Y-%m-%dT}{when.hour // 6 * 6:02d}.json", []).append(record)
    for part in parts:
        files[part / "broken.json"] = [{"eventID": f"no-time-{part.name}"}]
    for path, records in files.items():
        Trail().write(path, records)
    return parts


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_parts(tmp_path_factory.mktemp("crash"))


@pytest.fixture(scope="module")
def reference(parts: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The whole trail ingested and built in one go, in this process."""
    lake = Lake(tmp_path_factory.mktemp("clean") / "lake")
    ingest(lake, [str(p) for p in parts])
    refresh(lake)
    con = reader.connect(lake)
    try:
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
        insights = con.execute("SELECT * FROM insight_events ORDER BY ALL").fetchall()
    finally:
        con.close()
    assert len(insights) >= 6, "the scenario should give insights"
    return Reference(int(events), int(quarantined), insights)


@pytest.fixture(scope="module")
def first_part(parts: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lake that has run once, without sinks, on the first part."""
    lake = Lake(tmp_path_factory.mktemp("first") / "lake")
    write_config(lake.root, sources(parts[:1]))
    run_batch(lake)
    return lake.root


def sources(parts: list[Path]) -> str:
    return "[sources]\npaths = [" + ", ".join(f'"{p}"' for p in parts) + "]\n"


def config(parts: list[Path], url: str, kinds: tuple[str, ...]) -> str:
    sinks = "".join(
        f'[[sinks.{kind}]]\nname = "{SINKS[kind][0]}"\n{SINKS[kind][1].format(url=url)}\n'
        for kind in kinds
    )
    return sources(parts) + sinks


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_run_killed_at_each_crash_point_is_completed_exactly_by_the_next_run(
    tmp_path: Path,
    parts: list[Path],
    first_part: Path,
    receiver: Receiver,
    reference: Reference,
    case: Case,
) -> None:
    lake = Lake(tmp_path / "lake")
    shutil.copytree(first_part, lake.root)
    write_config(lake.root, config(parts, receiver.url, case.sinks))
    killed_at(case.kill, lake.root, "-q", "run")
    posted = len(reference.ids) if case.posts == EVERY_INSIGHT else case.posts
    assert sum(receiver.posts.values()) == posted  # the kill landed where the point says

    summary = run_batch(lake)
    assert summary.delivery is not None
    assert (summary.delivery.failed, summary.delivery.deferred) == (0, 0)
    assert_exact(lake, reference, case.sinks)
    # Every insight reached every sink once; only a kill between a POST and its record
    # repeats that one POST.
    if "webhook" in case.sinks:
        assert sorted(receiver.posts) == reference.ids
        assert sum(receiver.posts.values()) == len(reference.ids) + case.repeats
    if "folder" in case.sinks:
        assert sorted(folder_records(lake.root / "s3")) == reference.ids
    if "eventbridge" in case.sinks:
        lines = (lake.root / "eventbridge.jsonl").read_text().splitlines()
        assert sorted(json.loads(line)["id"] for line in lines) == reference.ids


def assert_exact(lake: Lake, reference: Reference, kinds: tuple[str, ...]) -> None:
    """Every event once, the quarantine and the insights those of the clean build, every
    outbox row delivered, the killed run logged as such, no file left over."""
    con = reader.connect(lake)
    try:
        events = con.execute("SELECT count(*), count(DISTINCT eventID) FROM events").fetchall()
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
        insights = con.execute("SELECT * FROM insight_events ORDER BY ALL").fetchall()
        outbox = con.execute("SELECT sink, state, count(*) FROM outbox GROUP BY ALL").fetchall()
        runs = con.execute("SELECT result FROM run_log ORDER BY run_id").fetchall()
        pending = con.execute("SELECT count(*) FROM pending_moves").fetchall()[0][0]
    finally:
        con.close()
    assert events == [(reference.events, reference.events)]
    assert (quarantined, pending) == (reference.quarantined, 0)
    assert insights == reference.insights
    assert Counter({(s, st): n for s, st, n in outbox}) == Counter(
        {(SINKS[kind][0], "delivered"): len(reference.ids) for kind in kinds}
    )
    first, killed, last = (result for (result,) in runs)
    assert (first, killed) == ("partial", "killed") and last in ("ok", "partial")
    assert not list((lake.root / "events").glob("*/*.tmp"))
