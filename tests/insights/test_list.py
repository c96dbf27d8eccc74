"""`ctlake insights list`: filters, and each output format."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from ctlake.errors import BadInputError, LakeError
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import WriteFile, make_record
from tests.insights.conftest import CALL, ERROR, run

CSV_HEADER = (
    "eventTime,state,insightType,account,region,eventSource,eventName,errorCode,"
    "baselineAverage,insightAverage,insightDuration,sharedEventID"
)


def test_csv_lists_each_record_oldest_first_with_its_statistics(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "list", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        CSV_HEADER,
        "2024-05-01T12:00:00Z,Start,ApiCallRateInsight,111122223333,us-east-1,"
        f"iam.amazonaws.com,CreateUser,,0.05,4.0,5,{CALL['shared']}",
        "2024-05-01T12:05:00Z,End,ApiCallRateInsight,111122223333,us-east-1,"
        f"iam.amazonaws.com,CreateUser,,0.05,4.0,5,{CALL['shared']}",
        "2024-05-02T03:10:00Z,Start,ApiErrorRateInsight,444455556666,us-west-2,"
        f"ssm.amazonaws.com,SendCommand,AccessDenied,0.0017,20.0,3,{ERROR['shared']}",
        "2024-05-02T03:13:00Z,End,ApiErrorRateInsight,444455556666,us-west-2,"
        f"ssm.amazonaws.com,SendCommand,AccessDenied,0.0017,18.0,3,{ERROR['shared']}",
    ]


def test_json_is_an_array_of_cloudtrail_insights_records(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    records = orjson.loads(result.stdout)
    assert isinstance(records, list) and len(records) == 4
    assert [r["insightDetails"]["state"] for r in records] == ["Start", "End"] * 2
    for record in records:
        assert record["eventType"] == "AwsCloudTrailInsight"
        assert record["eventCategory"] == "Insight"
        assert {"eventID", "sharedEventID", "recipientAccountId", "awsRegion"} <= set(record)
        assert "statistics" in record["insightDetails"]["insightContext"]


def test_jsonl_gives_one_record_a_line(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "list", "--format", "jsonl", "--state", "End")
    lines = result.stdout.splitlines()
    assert [orjson.loads(line)["eventID"] for line in lines] == [CALL["end_id"], ERROR["end_id"]]


@pytest.mark.parametrize(
    ("options", "shared_ids"),
    [
        (["--type", "ApiErrorRateInsight"], [ERROR["shared"]]),
        (["--source", "iam.amazonaws.com"], [CALL["shared"]]),
        (["--name", "SendCommand"], [ERROR["shared"]]),
        (["--account", "111122223333"], [CALL["shared"]]),
        (["--region", "us-west-2"], [ERROR["shared"]]),
        (["--since", "2024-05-01T12:04Z"], [CALL["shared"], ERROR["shared"]]),
        (["--since", "2024-05-01T12:05:00Z"], [ERROR["shared"]]),
        (["--until", "2024-05-02"], [CALL["shared"]]),
        (["--since", "2024-05-03"], []),
    ],
)
def test_filters_select_whole_insights(
    insight_lake: Lake, options: list[str], shared_ids: list[str]
) -> None:
    result = run(
        insight_lake, "insights", "list", "--format", "jsonl", "--state", "Start", *options
    )
    assert result.exit_code == 0, result.output
    assert [
        orjson.loads(line)["sharedEventID"] for line in result.stdout.splitlines()
    ] == shared_ids


def test_json_with_no_match_is_an_empty_array(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "list", "--format", "json", "--region", "eu-north-1")
    assert result.stdout == "[]\n"


def test_output_writes_the_file_instead_of_stdout(insight_lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "out" / "insights.json"
    result = run(insight_lake, "insights", "list", "-f", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(orjson.loads(target.read_bytes())) == 4
    assert result.stderr == f"insights: wrote 4 records to {target}\n"


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_output_of_rows_says_how_many(insight_lake: Lake, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"insights.{fmt}"
    result = run(insight_lake, "insights", "list", "-f", fmt, "--state", "End", "-o", str(target))
    assert result.stderr == f"insights: wrote 2 rows to {target}\n"
    header_lines = {"csv": 1, "table": 2}[fmt]  # a table's header is underlined
    assert len(target.read_text().splitlines()) == header_lines + 2


def test_a_bad_time_is_a_one_line_error_naming_the_option(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "list", "--since", "last tuesday")
    assert isinstance(result.exception, BadInputError)
    assert str(result.exception).startswith("--since 'last tuesday': expected a UTC time")


def test_a_lake_without_models_says_to_refresh(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", [make_record(1)]))])
    result = run(lake, "insights", "list")
    assert isinstance(result.exception, LakeError)
    assert "run `ctlake refresh`" in str(result.exception)


def test_the_table_keeps_every_column_whole(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "list", "--state", "Start", "--region", "us-east-1")
    header, rule, row = result.stdout.splitlines()
    assert header.split() == CSV_HEADER.split(",")
    assert [set(dashes) for dashes in rule.split()] == [{"-"}] * len(CSV_HEADER.split(","))
    assert row.split() == [
        "2024-05-01T12:00:00Z",
        "Start",
        "ApiCallRateInsight",
        "111122223333",
        "us-east-1",
        "iam.amazonaws.com",
        "CreateUser",
        "NULL",
        "0.05",
        "4.0",
        "5",
        CALL["shared"],
    ]
