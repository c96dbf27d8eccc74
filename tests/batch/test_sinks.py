"""The sinks' own guarantees: deterministic S3 names, EventBridge envelopes, a torn JSON
Lines tail cut off, and the retry schedule of failed deliveries."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from ctlake.config import Sink
from ctlake.delivery.outbox import retry_delay
from ctlake.delivery.sinks import (
    eventbridge_envelope,
    eventbridge_ids,
    folder_file,
    slack_text,
    window_of,
)

RECORD = {
    "eventVersion": "1.07",
    "eventTime": "2024-05-01T12:07:00Z",
    "awsRegion": "us-east-1",
    "eventID": "e-1",
    "eventType": "AwsCloudTrailInsight",
    "recipientAccountId": "111122223333",
    "sharedEventID": "s-1",
    "eventCategory": "Insight",
    "insightDetails": {
        "state": "Start",
        "eventSource": "ssm.amazonaws.com",
        "eventName": "SendCommand",
        "insightType": "ApiCallRateInsight",
        "insightContext": {
            "statistics": {"baseline": {"average": 0.04}, "insight": {"average": 3}}
        },
    },
}


def test_the_folder_sink_names_files_in_cloudtrails_s3_layout(tmp_path: Path) -> None:
    sink = Sink("folder", "s3", str(tmp_path))
    window = window_of(datetime(2024, 5, 1, 12, 7, 31))
    assert window == datetime(2024, 5, 1, 12, 5)
    path = folder_file(sink, "111122223333", "us-east-1", window)
    relative = path.relative_to(tmp_path).as_posix()
    assert relative.startswith(
        "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/05/01/"
        "111122223333_CloudTrail-Insight_us-east-1_20240501T1205Z_"
    )
    assert relative.endswith(".json.gz") and len(relative.rsplit("_", 1)[1]) == 16 + len(".json.gz")
    assert folder_file(sink, "111122223333", "us-east-1", window) == path  # deterministic


def test_an_eventbridge_event_wraps_the_record() -> None:
    event = eventbridge_envelope(RECORD)
    assert (
        event["detail-type"] == "AWS Insight via CloudTrail" and event["source"] == "aws.cloudtrail"
    )
    assert (event["id"], event["account"], event["region"]) == ("e-1", "111122223333", "us-east-1")
    assert event["time"] == "2024-05-01T12:07:00Z" and event["resources"] == []
    assert event["detail"] is RECORD and event["version"] == "0"


def test_a_torn_last_line_of_the_eventbridge_file_is_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "eb.jsonl"
    path.write_text(json.dumps({"id": "a"}) + "\n" + '{"id": "b", "det')
    assert eventbridge_ids(path) == {"a"}
    assert path.read_text() == json.dumps({"id": "a"}) + "\n"


def test_the_slack_summary_names_the_insight() -> None:
    text = slack_text(RECORD)
    assert "ApiCallRateInsight on ssm.amazonaws.com SendCommand" in text
    assert "111122223333 us-east-1" in text and "baseline 0.04/min" in text


def test_failed_deliveries_are_retried_at_the_next_runs_then_back_off_to_an_hour() -> None:
    assert [retry_delay(n) for n in range(5)] == [timedelta(0)] * 5
    assert retry_delay(5) == timedelta(seconds=30) and retry_delay(6) == timedelta(seconds=60)
    assert retry_delay(40) == timedelta(hours=1)
