"""A hand-computed insight, field by field, and the shape of AWS's own records.

The fixture: alice calls SendCommand every two hours from day 0 (29 calls, the last at
day 2 08:00), then at day 2 10:00 seven users make 34 calls in one minute. At 10:00 the
account has two whole days of history, so the baseline is [day 0 10:00, day 2 10:00):
24 calls in 2880 minutes, zero minutes counted = 1/120 a minute.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from ctlake.lake import Lake, reader
from ctlake.models import refresh
from tests.insights.trail import Trail, day

CORPUS = Path("/work/shared/corpus")
STREAMALERT = CORPUS / "streamalert/raw/rules/classifier/cloudtrail/cloudtrail_insights.json"
USERS = {"u1": 10, "u2": 8, "u3": 6, "u4": 4, "u5": 3, "u6": 2, "u7": 1}


def arn(user: str) -> str:
    return f"arn:aws:iam::111122223333:user/{user}"


@pytest.fixture(scope="module")
def golden_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    tmp = tmp_path_factory.mktemp("golden")
    lake = Lake(tmp / "lake")
    t = Trail()
    t.every(day(0), day(2 + 9 / 24), minutes=120, arn=arn("alice"), agent="console.amazonaws.com")
    for user, count in USERS.items():
        error = "ThrottlingException" if user == "u2" else None
        t.burst(day(2 + 10 / 24), count, arn=arn(user), error=error)
    t.call(day(2 + 11 / 24), source="sts.amazonaws.com", name="Heartbeat")  # data goes on
    t.ingest(lake, tmp / "in")
    refresh(lake)
    return lake


@pytest.fixture(scope="module")
def records(golden_lake: Lake) -> list[dict[str, Any]]:
    con = reader.connect(golden_lake)
    try:
        rows = con.execute(
            "SELECT eventJson FROM insight_events ORDER BY insightStart, state DESC"
        ).fetchall()
    finally:
        con.close()
    return [orjson.loads(r[0]) for r in rows]


def test_one_insight_with_a_start_and_an_end_record(records: list[dict[str, Any]]) -> None:
    assert [r["insightDetails"]["state"] for r in records] == ["Start", "End"]
    start, end = records
    assert start["sharedEventID"] == end["sharedEventID"]
    assert start["eventID"] != end["eventID"]
    assert (start["eventTime"], end["eventTime"]) == (
        "2024-05-03T10:00:00Z",
        "2024-05-03T10:01:00Z",
    )


def test_statistics_count_zero_minutes_over_whole_days(records: list[dict[str, Any]]) -> None:
    for record in records:
        stats = record["insightDetails"]["insightContext"]["statistics"]
        assert stats == {
            "baseline": {"average": 0.0083333333},
            "insight": {"average": 34.0},
            "insightDuration": 1,
            "baselineDuration": 2880,
        }


def test_attributions_rank_the_top_five_and_sum_the_rest_as_other(
    records: list[dict[str, Any]],
) -> None:
    attributions = records[0]["insightDetails"]["insightContext"]["attributions"]
    assert attributions == [
        {
            "attribute": "userIdentityArn",
            "insight": [{"value": arn(u), "average": float(n)} for u, n in list(USERS.items())[:5]]
            + [{"value": "Other", "average": 3.0}],
            "baseline": [{"value": arn("alice"), "average": 0.0083333333}],
        },
        {
            "attribute": "userAgent",
            "insight": [{"value": "aws-cli/2.15.0", "average": 34.0}],
            "baseline": [{"value": "console.amazonaws.com", "average": 0.0083333333}],
        },
        {
            "attribute": "errorCode",
            "insight": [
                {"value": "null", "average": 26.0},
                {"value": "ThrottlingException", "average": 8.0},
            ],
            "baseline": [{"value": "null", "average": 0.0083333333}],
        },
    ]


def test_the_record_fields_are_cloudtrails(records: list[dict[str, Any]]) -> None:
    start = records[0]
    assert list(start) == [
        "eventVersion",
        "eventTime",
        "awsRegion",
        "eventID",
        "eventType",
        "recipientAccountId",
        "sharedEventID",
        "insightDetails",
        "eventCategory",
    ]
    assert (start["eventType"], start["eventCategory"]) == ("AwsCloudTrailInsight", "Insight")
    details = start["insightDetails"]
    assert list(details) == ["state", "eventSource", "eventName", "insightType", "insightContext"]
    assert details["insightType"] == "ApiCallRateInsight"
    assert len(start["eventID"]) == 36 and start["eventID"].count("-") == 4


def shape(value: Any) -> Any:
    """The keys (in order) and value types of a JSON document, lists by their first item."""
    if isinstance(value, dict):
        return [(k, shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "number" if isinstance(value, int | float) else type(value).__name__


@pytest.mark.skipif(not STREAMALERT.exists(), reason="needs the shared corpus")
def test_the_record_has_the_shape_of_a_real_aws_insight(records: list[dict[str, Any]]) -> None:
    example = orjson.loads(STREAMALERT.read_bytes())[0]["data"]["Records"][0]
    assert shape(records[0]) == shape(example)


CONTRACT = {
    "insight_events": "eventID VARCHAR, sharedEventID VARCHAR, state VARCHAR, "
    "eventTime TIMESTAMP, recipientAccountId VARCHAR, awsRegion VARCHAR, eventSource VARCHAR, "
    "eventName VARCHAR, insightType VARCHAR, errorCode VARCHAR, insightStart TIMESTAMP, "
    "insightEnd TIMESTAMP, baselineAverage DOUBLE, insightAverage DOUBLE, "
    "baselineDuration BIGINT, insightDuration BIGINT, eventJson VARCHAR",
    "insight_attributions": "sharedEventID VARCHAR, attribute VARCHAR, scope VARCHAR, "
    "rank INTEGER, value VARCHAR, average DOUBLE",
    "minute_counts": "series_type VARCHAR, recipientAccountId VARCHAR, awsRegion VARCHAR, "
    "eventSource VARCHAR, eventName VARCHAR, errorCode VARCHAR, minute TIMESTAMP, n BIGINT",
}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_the_contract_tables_have_exactly_the_agreed_columns(golden_lake: Lake, table: str) -> None:
    con = reader.connect(golden_lake)
    try:
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = $t ORDER BY ordinal_position",
            {"t": table},
        ).fetchall()
    finally:
        con.close()
    assert ", ".join(f"{name} {kind}" for name, kind in columns) == CONTRACT[table]


def key_paths(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        return {p for k, v in value.items() for p in key_paths(v, f"{prefix}.{k}")} | {prefix}
    if isinstance(value, list):
        return set().union(*(key_paths(v, prefix + "[]") for v in value)) | {prefix}
    return {prefix}


PLASO = CORPUS / "plaso/plaso_aws_cloudtrail_records.jsonl"


@pytest.mark.skipif(not PLASO.exists(), reason="needs the shared corpus")
def test_every_field_of_the_older_aws_insights_is_in_ours(records: list[dict[str, Any]]) -> None:
    ours = set().union(*(key_paths(r) for r in records))
    lines = PLASO.read_text().splitlines()
    theirs = [orjson.loads(line) for line in lines if "AwsCloudTrailInsight" in line]
    assert theirs
    for record in theirs:
        assert key_paths(record) <= ours
