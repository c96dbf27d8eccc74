"""A webhook that is down (connection refused, then HTTP 500) keeps its deliveries pending
without failing the batch; when it comes back, the next run delivers each insight once. A
URL with user:password@ posts with HTTP Basic authentication."""

from __future__ import annotations

import base64
import socket
from datetime import datetime
from pathlib import Path

import pytest

from ctlake.config import load
from ctlake.delivery.outbox import Delivery
from ctlake.delivery.sinks import SinkError, post_webhook
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


def test_userinfo_is_sent_as_basic_authentication_not_in_the_url(
    tmp_path: Path, receiver: Receiver
) -> None:
    url = receiver.url.replace("//", "//ops%40example.com:Pa55:w0rd@") + "?token=t0kenValue"
    write_config(tmp_path, f'[[sinks.webhook]]\nname = "w"\nurl = "{url}"\nretries = 0\n')
    sink = load(tmp_path).sinks[0]
    delivery = Delivery("w", "e-1", "111122223333", "us-east-1", datetime(2024, 5, 1), "{}", 0)
    post_webhook(sink, delivery)
    basic = "Basic " + base64.b64encode(b"ops@example.com:Pa55:w0rd").decode()
    assert receiver.seen == [("/hook?token=t0kenValue", basic)] and receiver.posts["e-1"] == 1

    receiver.status = 403
    with pytest.raises(SinkError) as refused:
        post_webhook(sink, delivery)
    assert str(refused.value) == "HTTP 403 Forbidden" and refused.value.permanent
