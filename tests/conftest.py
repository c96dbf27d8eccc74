"""Shared fixtures: a fresh lake folder per test, helpers to write CloudTrail files, running
ctlake until a crash point kills it, and waiting for a condition instead of a while."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from ctlake.crashpoints import ENV as CRASH_ENV
from ctlake.lake import Lake
from tests.s3 import s3_bucket, s3_endpoint

# Fixtures defined once, here, for every test module: a module importing a session fixture
# itself would get a definition (and an S3 server) of its own.
__all__ = ["s3_bucket", "s3_endpoint"]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


def lake_of(folder: Path, records: list[dict[str, Any]]) -> Lake:
    """A lake in `folder/lake` holding `records`, ingested from one Records file."""
    from ctlake.ingest import ingest

    source = folder / "records.json"
    source.write_bytes(orjson.dumps({"Records": records}))
    lake = Lake(folder / "lake")
    ingest(lake, [str(source)])
    return lake


def make_record(n: int, **fields: Any) -> dict[str, Any]:
    """A small, valid CloudTrail record; `fields` override or add keys."""
    record: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLE",
            "arn": "arn:aws:iam::111122223333:user/alice",
            "accountId": "111122223333",
            "userName": "alice",
        },
        "eventTime": f"2024-05-01T12:{n // 60 % 60:02d}:{n % 60:02d}Z",
        "eventSource": "iam.amazonaws.com",
        "eventName": "CreateUser",
        "awsRegion": "us-east-1",
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"userName": f"user{n}", "tags": [{"key": "team", "value": "x"}]},
        "responseElements": {"user": {"userName": f"user{n}", "path": "/"}},
        "requestID": f"req-{n}",
        "eventID": f"00000000-0000-0000-0000-{n:012d}",
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": "111122223333",
        "eventCategory": "Management",
    }
    record.update(fields)
    return record


WriteFile = Callable[..., Path]


@pytest.fixture
def write_records(tmp_path: Path) -> WriteFile:
    """Write `{"Records": [...]}` to a file under tmp_path/in (gzipped if name ends .gz)."""

    def write(name: str, records: list[Any]) -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = orjson.dumps({"Records": records})
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        return path

    return write


def killed_at(spec: str, lake_dir: Path, *args: str, timeout: float = 120) -> str:
    """Run `ctlake --lake LAKE_DIR ARGS` as a process with `CTLAKE_CRASH_AT=spec` and check
    that the crash point killed it (SIGKILL, at that point); returns its stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "ctlake", "--lake", str(lake_dir), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), CRASH_ENV: spec},
        timeout=timeout,
        check=False,
    )
    point, _, nth = spec.partition(":")
    assert done.returncode == -signal.SIGKILL, (
        f"{spec} was never reached (exit {done.returncode}): {done.stderr[-2000:]}"
    )
    assert f"crash point {point}:{nth or 1} reached" in done.stderr, done.stderr[-2000:]
    return done.stderr


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds. For
    waiting on another process: the condition itself, never a guess of how long it takes."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting until {what}")
        time.sleep(0.01)


def has_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (Linux: its /proc/PID/fd links)."""
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    target = str(path.resolve())
    for fd in fds:
        try:
            if os.readlink(fd) == target:
                return True
        except OSError:
            continue  # closed while we looked
    return False


def lake_rows(lake: Lake, sql: str) -> list[tuple[Any, ...]]:
    """The rows `sql` gives on a reader connection of `lake`."""
    from ctlake.lake import reader

    con = reader.connect(lake)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()
