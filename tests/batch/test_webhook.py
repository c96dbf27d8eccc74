"""A webhook that is down (connection refused, then HTTP 500) keeps its deliveries pending
without failing the batch; when it comes back, the next run delivers each insight once."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from ctlake.errors import ExitCode
from tests.batch.conftest import Receiver, ctlake, write_config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def config(trail: Path, url: str) -> str:
    return f"""
[sources]
paths = ["{trail}"]
[[sinks.webhook]]
name = "alerts"
url = "{url}"
retries = 1
backoff = 0.05
[[sinks.folder]]
path = "s3"
"""


@pytest.mark.slow
def test_a_webhook_down_then_back_gets_every_insight_once(
    tmp_path: Path, trail: Path, receiver: Receiver, expected: tuple[int, set[str]]
) -> None:
    lake_dir = tmp_path / "lake"
    refused = f"http://127.0.0.1:{free_port()}/hook?token=s3cr3t"
    write_config(lake_dir, config(trail, refused))
    down = ctlake(lake_dir, "run")
    assert down.returncode == ExitCode.PARTIAL
    assert "cannot reach the webhook" in down.stderr and "left pending" in down.stderr
    assert "s3cr3t" not in down.stderr
    status = ctlake(lake_dir, "status")
    insights = expected[1]
    assert f"deliveries: {len(insights)} pending" in status.stdout
    assert "alerts webhook http://127.0.0.1" in status.stdout and "s3cr3t" not in status.stdout

    receiver.status = 500
    write_config(lake_dir, config(trail, receiver.url))
    failing = ctlake(lake_dir, "run")
    assert failing.returncode == ExitCode.PARTIAL and "HTTP 500" in failing.stderr
    assert not receiver.posts

    receiver.status = 200
    back = ctlake(lake_dir, "run")
    assert back.returncode == ExitCode.OK, back.stderr
    assert set(receiver.posts) == insights and set(receiver.posts.values()) == {1}
