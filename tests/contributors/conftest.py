"""A lake of 14 events with known contributors, and the rule examples.

| n       | time  | who          | eventName         | errorCode                   | also       |
|---------|-------|--------------|-------------------|-----------------------------|------------|
| 0-2     | 12:00 | alice (user) | CreateUser        |                             |            |
| 3-6     | 12:00 | app (role)   | AssumeRole        |                             | duration   |
| 60-61   | 12:01 | bob (user)   | DescribeInstances | Client.RequestLimitExceeded |            |
| 120     | 12:02 | bob          | RunInstances      | UnauthorizedOperation       |            |
| 420-421 | 12:07 | carol        | GetObject         | AccessDenied                | bytes      |
| 660     | 12:11 | alice        | DeleteUser        | AccessDenied                |            |
| 661     | 12:11 | bob          | DescribeInstances | Client.RequestLimitExceeded |            |
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner, Result

from ctlake.cli.app import app
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import make_record

RULES = Path(__file__).resolve().parents[2] / "data" / "contributor-rules"
ALICE = "arn:aws:iam::111122223333:user/alice"
BOB = "arn:aws:iam::111122223333:user/bob"
CAROL = "arn:aws:iam::111122223333:user/carol"
APP = "arn:aws:sts::111122223333:assumed-role/app/session"
ROLE_A = "arn:aws:iam::111122223333:role/a"
ROLE_B = "arn:aws:iam::111122223333:role/b"


def _who(arn: str) -> dict[str, Any]:
    kind = "AssumedRole" if ":assumed-role/" in arn else "IAMUser"
    return {"type": kind, "arn": arn, "accountId": "111122223333", "principalId": "AID"}


def _event(n: int, arn: str, name: str, error: str | None = None, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"userIdentity": _who(arn), "eventName": name, **extra}
    if error:
        fields["errorCode"] = error
    return make_record(n, **fields)


def assume_role_requests() -> list[dict[str, Any]]:
    """Role A asks for 7200 s and 43200 s; role B for 900 s and 3600 s (not over an hour)."""
    return [
        {"roleArn": ROLE_A, "durationSeconds": 7200},
        {"roleArn": ROLE_B, "durationSeconds": 900},
        {"roleArn": ROLE_A, "durationSeconds": 43200},
        {"roleArn": ROLE_B, "durationSeconds": 3600},
    ]


def events() -> list[dict[str, Any]]:
    throttled = "Client.RequestLimitExceeded"
    s3 = {"eventSource": "s3.amazonaws.com", "managementEvent": False, "readOnly": True}
    return [
        *[_event(n, ALICE, "CreateUser") for n in range(3)],
        *[
            _event(n, APP, "AssumeRole", eventSource="sts.amazonaws.com", requestParameters=ask)
            for n, ask in zip(range(3, 7), assume_role_requests(), strict=True)
        ],
        *[_event(n, BOB, "DescribeInstances", throttled) for n in (60, 61)],
        _event(120, BOB, "RunInstances", "UnauthorizedOperation"),
        _event(420, CAROL, "GetObject", "AccessDenied", **s3, additionalEventData={"bytes": 100}),
        _event(421, CAROL, "GetObject", "AccessDenied", **s3, additionalEventData={"bytes": 250}),
        _event(660, ALICE, "DeleteUser", "AccessDenied"),
        _event(661, BOB, "DescribeInstances", throttled),
    ]


@pytest.fixture(scope="package")
def contributors_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """Read-only for the tests, so one for the package keeps them fast."""
    folder = tmp_path_factory.mktemp("contributors")
    source = folder / "a.json"
    source.write_bytes(orjson.dumps({"Records": events()}))
    lake = Lake(folder / "lake")
    ingest(lake, [str(source)])
    return lake


def run(lake: Lake, *args: str) -> Result:
    return CliRunner().invoke(app, ["--lake", str(lake.root), "contributors", *args])
