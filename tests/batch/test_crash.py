"""kill -9 `ctlake run` at random moments; the next run completes it exactly: every event
stored once, every insight delivered to every sink (a webhook on 127.0.0.1 counting POSTs by
idempotency key, a folder in the S3 layout, an EventBridge JSON Lines file)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from ctlake.errors import ExitCode
from ctlake.lake import Lake, reader
from tests.batch.conftest import Receiver, ctlake, start, write_config
from tests.batch.test_run import folder_records, lake_counts

KILLS = 4


def sinks_config(trail: Path, url: str) -> str:
    return f"""
[sources]
paths = ["{trail}"]
[[sinks.webhook]]
url = "{url}"
retries = 0
[[sinks.folder]]
path = "s3"
[[sinks.eventbridge]]
path = "eventbridge.jsonl"
"""


@pytest.mark.slow
def test_runs_killed_at_random_moments_are_completed_exactly_by_the_next_run(
    tmp_path: Path, trail: Path, receiver: Receiver, expected: tuple[int, set[str]]
) -> None:
    lake_dir = tmp_path / "lake"
    write_config(lake_dir, sinks_config(trail, receiver.url))
    receiver.delay = 0.02  # a slowish webhook: kills land in deliveries too
    rng = random.Random(20261121)
    for _ in range(KILLS):
        process = start(lake_dir, "-q", "run")
        time.sleep(rng.uniform(0.5, 4.0))
        process.kill()  # SIGKILL: no cleanup of any kind
        process.communicate()

    final = ctlake(lake_dir, "run")
    assert final.returncode in (ExitCode.OK, ExitCode.PARTIAL), final.stderr

    events, insights = expected
    assert lake_counts(lake_dir) == (events, insights)
    con = reader.connect(Lake(lake_dir))
    try:
        distinct = con.execute("SELECT count(DISTINCT eventID) FROM events").fetchall()[0][0]
        results = [r[0] for r in con.execute("SELECT result FROM run_log").fetchall()]
    finally:
        con.close()
    assert distinct == events
    assert "running" not in results
    # Every insight reached the webhook; a kill between a POST and its record can repeat
    # that one POST (the receiver dedups by Idempotency-Key), never more than once a kill.
    assert set(receiver.posts) == insights
    assert sum(receiver.posts.values()) - len(insights) <= KILLS
    assert sorted(folder_records(lake_dir / "s3")) == sorted(insights)
    lines = (lake_dir / "eventbridge.jsonl").read_text().splitlines()
    assert sorted(json.loads(line)["id"] for line in lines) == sorted(insights)
