"""A lake with two known insights, written straight into the contract tables.

The insights CLI reads `insight_events`, `insight_attributions` and `minute_counts`; these
fixtures create them with a few hand-made rows (what the brief's contract promises), so the
tests check the user-facing half without depending on what the detector finds:

- CALL: ApiCallRateInsight on iam CreateUser, 111122223333 us-east-1,
  2024-05-01 12:00-12:05, baseline 0.05/min, 4 calls/min; 20 matching events ingested.
- ERROR: ApiErrorRateInsight on ssm SendCommand AccessDenied, 444455556666 us-west-2,
  2024-05-02 03:10-03:13, baseline 0.0017/min, 18 errors/min.
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

SQL = Path(__file__).parent / "sql"
CALL = dict(
    shared="0a1b2c3d-0000-4000-8000-000000000001",
    start_id="0a1b2c3d-0000-4000-8000-0000000000a1",
    end_id="0a1b2c3d-0000-4000-8000-0000000000e1",
    account="111122223333",
    region="us-east-1",
    source="iam.amazonaws.com",
    name="CreateUser",
    type="ApiCallRateInsight",
    error=None,
    start="2024-05-01 12:00:00",
    end="2024-05-01 12:05:00",
    baseline=0.05,
    first=4.0,
    average=4.0,
    minutes=5,
)
ERROR = dict(
    shared="0a1b2c3d-0000-4000-8000-000000000002",
    start_id="0a1b2c3d-0000-4000-8000-0000000000a2",
    end_id="0a1b2c3d-0000-4000-8000-0000000000e2",
    account="444455556666",
    region="us-west-2",
    source="ssm.amazonaws.com",
    name="SendCommand",
    type="ApiErrorRateInsight",
    error="AccessDenied",
    start="2024-05-02 03:10:00",
    end="2024-05-02 03:13:00",
    baseline=0.0017,
    first=20.0,
    average=18.0,
    minutes=3,
)
ATTRIBUTIONS = [
    ("userIdentityArn", "insight", 1, "arn:aws:iam::111122223333:user/alice", 3.0),
    ("userIdentityArn", "insight", 2, "arn:aws:iam::111122223333:user/bob", 1.0),
    ("userIdentityArn", "baseline", 1, "arn:aws:iam::111122223333:user/alice", 0.04),
    ("userIdentityArn", "baseline", 2, "arn:aws:iam::111122223333:user/carol", 0.01),
    ("userAgent", "insight", 1, "aws-cli/2.15.0", 4.0),
    ("userAgent", "baseline", 1, "aws-cli/2.15.0", 0.05),
    ("errorCode", "insight", 1, "null", 4.0),
    ("errorCode", "baseline", 1, "null", 0.05),
]


def cloudtrail_record(spec: dict[str, Any], state: str) -> dict[str, Any]:
    """The CloudTrail Insights record of one fixture insight, Start or End."""
    at = spec["start"] if state == "Start" else spec["end"]
    details: dict[str, Any] = {
        "state": state,
        "eventSource": spec["source"],
        "eventName": spec["name"],
        "insightType": spec["type"],
        "insightContext": {
            "statistics": {
                "baseline": {"average": spec["baseline"]},
                "insight": {"average": spec["first"] if state == "Start" else spec["average"]},
                **({"insightDuration": spec["minutes"]} if state == "End" else {}),
                "baselineDuration": 10080,
            },
            "attributions": [],
        },
    }
    if spec["error"]:
        details["errorCode"] = spec["error"]
    return {
        "eventVersion": "1.08",
        "eventTime": at.replace(" ", "T") + "Z",
        "awsRegion": spec["region"],
        "eventID": spec["start_id"] if state == "Start" else spec["end_id"],
        "eventType": "AwsCloudTrailInsight",
        "recipientAccountId": spec["account"],
        "sharedEventID": spec["shared"],
        "insightDetails": details,
        "eventCategory": "Insight",
    }


def event_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for state in ("Start", "End"):
        rows.append(
            {
                "eventID": spec["start_id"] if state == "Start" else spec["end_id"],
                "sharedEventID": spec["shared"],
                "state": state,
                "eventTime": spec["start"] if state == "Start" else spec["end"],
                "recipientAccountId": spec["account"],
                "awsRegion": spec["region"],
                "eventSource": spec["source"],
                "eventName": spec["name"],
                "insightType": spec["type"],
                "errorCode": spec["error"],
                "insightStart": spec["start"],
                "insightEnd": spec["end"],
                "baselineAverage": spec["baseline"],
                "insightAverage": spec["first"] if state == "Start" else spec["average"],
                "baselineDuration": 10080,
                "insightDuration": spec["minutes"],
                "eventJson": orjson.dumps(cloudtrail_record(spec, state)).decode(),
            }
        )
    return rows


def minute_rows() -> list[tuple[Any, ...]]:
    call = ("calls", CALL["account"], CALL["region"], CALL["source"], CALL["name"], None)
    err = ("errors", ERROR["account"], ERROR["region"], ERROR["source"], ERROR["name"])
    rows: list[tuple[Any, ...]] = [
        (*call, "2024-05-01 11:00:00", 1),
        (*call, "2024-05-01 11:30:00", 1),
    ]
    rows += [(*call, f"2024-05-01 12:0{m}:00", 4) for m in range(5)]
    rows += [
        (*err, "AccessDenied", f"2024-05-02 03:1{m}:00", n) for m, n in enumerate([20, 18, 16])
    ]
    return rows


def create_insight_tables(lake: Lake, specs: list[dict[str, Any]]) -> None:
    """Create the contract tables in `lake`'s catalog holding the insights of `specs`."""
    with lake.catalog() as con:
        con.execute((SQL / "contract_tables.sql").read_text())
        insert = (SQL / "insert_event.sql").read_text()
        for spec in specs:
            for row in event_rows(spec):
                con.execute(insert, row)
        if CALL in specs:
            con.executemany(
                (SQL / "insert_attribution.sql").read_text(),
                [(CALL["shared"], *row) for row in ATTRIBUTIONS],
            )
        con.executemany((SQL / "insert_minute.sql").read_text(), minute_rows())


@pytest.fixture(scope="session")
def insight_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """A lake with 20 CreateUser events at 12:00-12:05 and a few outside, and two insights.
    Built once: the tests only read it (export writes elsewhere)."""
    root = tmp_path_factory.mktemp("insights")
    inside = [make_record(i * 15) for i in range(20)]
    outside = [make_record(600 + i) for i in range(3)]
    trail = root / "in" / "trail.json"
    trail.parent.mkdir()
    trail.write_bytes(orjson.dumps({"Records": inside + outside}))
    lake = Lake(root / "lake")
    ingest(lake, [str(trail)])
    create_insight_tables(lake, [CALL, ERROR])
    return lake


def run(lake: Lake, *args: str) -> Result:
    """`ctlake --lake LAKE ARGS...` in-process."""
    return CliRunner().invoke(app, ["--lake", str(lake.root), *args])
