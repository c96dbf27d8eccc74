"""`ctlake run` as a real process: one batch, idempotent, every sink served once."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from ctlake.errors import ExitCode
from ctlake.lake import Lake, reader
from tests.batch.conftest import Receiver, ctlake, write_config


def lake_counts(lake_dir: Path) -> tuple[int, set[str]]:
    con = reader.connect(Lake(lake_dir))
    try:
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        ids = {r[0] for r in con.execute("SELECT eventID FROM insight_events").fetchall()}
    finally:
        con.close()
    return int(events), ids


def folder_records(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*.json.gz"):
        found += [r["eventID"] for r in json.loads(gzip.decompress(path.read_bytes()))["Records"]]
    return found


@pytest.mark.slow
def test_a_second_run_with_nothing_new_changes_nothing_and_delivers_nothing(
    tmp_path: Path, trail: Path, receiver: Receiver
) -> None:
    lake_dir = tmp_path / "lake"
    write_config(
        lake_dir,
        f"""
[sources]
paths = ["{trail}"]
[[sinks.webhook]]
url = "{receiver.url}"
[[sinks.folder]]
path = "s3"
[[sinks.eventbridge]]
path = "eventbridge.jsonl"
[reports]
folder = "reports"
[[reports.query]]
query = "events-by-day"
every = "1h"
""",
    )
    first = ctlake(lake_dir, "run")
    assert first.returncode == ExitCode.PARTIAL, first.stderr  # the trail has broken files
    assert first.stderr.count("\n") >= 1 and "run 1:" in first.stderr
    events, insights = lake_counts(lake_dir)
    assert insights, "the generated trail should give some insights"
    assert set(receiver.posts) == insights and set(receiver.posts.values()) == {1}
    assert sorted(folder_records(lake_dir / "s3")) == sorted(insights)
    lines = (lake_dir / "eventbridge.jsonl").read_text().splitlines()
    envelopes = [json.loads(line) for line in lines]
    assert sorted(e["id"] for e in envelopes) == sorted(insights)
    assert {e["detail-type"] for e in envelopes} == {"AWS Insight via CloudTrail"}
    assert len(list((lake_dir / "reports" / "events-by-day").glob("*.csv"))) == 1

    second = ctlake(lake_dir, "run")
    assert second.returncode == ExitCode.OK, second.stderr
    assert "0 new files, 0 events stored" in second.stderr
    assert "0 new insight records, 0 deliveries" in second.stderr
    assert lake_counts(lake_dir) == (events, insights)
    assert set(receiver.posts.values()) == {1}
    assert len((lake_dir / "eventbridge.jsonl").read_text().splitlines()) == len(insights)
    assert len(list((lake_dir / "reports" / "events-by-day").glob("*.csv"))) == 1

    status = ctlake(lake_dir, "status")
    assert status.returncode == 0, status.stderr
    assert "last run: #2" in status.stdout and ": ok (exit 0)" in status.stdout
    assert "deliveries: 0 pending" in status.stdout
    assert receiver.url not in status.stdout or "/hook" in status.stdout
