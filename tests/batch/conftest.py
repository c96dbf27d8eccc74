"""Helpers for the batch tests: a small generated trail, a lake configured to ingest it,
a webhook receiver on 127.0.0.1 that counts POSTs by idempotency key, and `ctlake` run as
a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ctlake.generate import generate_trail

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two days of one account in two regions, small: about 1,200 files, some insights."""
    out = tmp_path_factory.mktemp("trail")
    generate_trail(out, days=2, scale=0.1, seed=5)
    return out / "AWSLogs"


class Receiver:
    """An HTTP server counting POSTs per Idempotency-Key; `status` is what it answers;
    `seen` holds each request's path and Authorization header."""

    def __init__(self) -> None:
        self.posts: Counter[str] = Counter()
        self.seen: list[tuple[str, str | None]] = []
        self.status = 200
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.seen.append((self.path, self.headers.get("Authorization")))
                    if receiver.status == 200:
                        receiver.posts[self.headers.get("Idempotency-Key", "")] += 1
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def write_config(lake_dir: Path, text: str) -> None:
    lake_dir.mkdir(parents=True, exist_ok=True)
    (lake_dir / "ctlake.toml").write_text(text)


def ctlake_args(lake_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "ctlake", "--lake", str(lake_dir), *args]


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def ctlake(lake_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ctlake as a real process and wait for it."""
    return subprocess.run(
        ctlake_args(lake_dir, *args),
        capture_output=True,
        text=True,
        env=env(),
        timeout=timeout,
        check=False,
    )


def start(lake_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ctlake_args(lake_dir, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )


@pytest.fixture(scope="session")
def expected(trail: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, set[str]]:
    """(events, insight eventIDs) of the trail, from ingest and refresh in this process."""
    from ctlake.ingest import ingest
    from ctlake.lake import Lake
    from ctlake.models import refresh
    from tests.batch.test_run import lake_counts

    lake = Lake(tmp_path_factory.mktemp("reference") / "lake")
    ingest(lake, [str(trail)])
    refresh(lake)
    return lake_counts(lake.root)
