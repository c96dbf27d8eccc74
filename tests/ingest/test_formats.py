"""Every input format README.md lists under `ctlake ingest` is read, and odd but valid
values are normalized."""

from __future__ import annotations

import datetime as dt
import gzip
import subprocess
import sys
from pathlib import Path

import orjson

from ctlake.db import scalar
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from tests.conftest import WriteFile, make_record

FIXTURES = Path(__file__).parent.parent / "fixtures" / "inputs"


def query(lake: Lake, sql: str) -> list[tuple[object, ...]]:
    return reader.connect(lake).execute(sql).fetchall()


def test_envelopes_lookup_events_and_json_lines_are_all_read(lake: Lake) -> None:
    summary = ingest(lake, [str(FIXTURES)])
    assert summary.records == 7
    assert (summary.stored, summary.quarantined) == (6, 1)
    ids = [r[0] for r in query(lake, "SELECT eventID FROM events ORDER BY eventID")]
    assert ids == [f"11111111-2222-3333-4444-{n:012d}" for n in range(1, 7)]


def test_a_bad_json_line_is_quarantined_with_its_line_number(lake: Lake) -> None:
    ingest(lake, [str(FIXTURES / "lake-export.jsonl")])
    rows = query(lake, "SELECT location, reason, raw FROM quarantine")
    assert rows == [("line 2", "invalid JSON on this line", "{not json")]


def test_offsets_and_fractional_seconds_are_normalized_to_utc(lake: Lake) -> None:
    ingest(lake, [str(FIXTURES)])
    times = dict(query(lake, "SELECT right(eventID, 1), eventTime FROM events"))
    assert times["2"] == dt.datetime(2024, 5, 1, 10, 0, 2)  # written as 21:00:02+11:00
    assert times["4"] == dt.datetime(2024, 5, 1, 10, 0, 4, 123456)


def test_true_strings_become_booleans_and_maps_hold_the_values(lake: Lake) -> None:
    ingest(lake, [str(FIXTURES / "eventbridge.json")])
    row = query(
        lake,
        "SELECT readOnly, managementEvent, requestParameters['bucketName'], "
        "userIdentity.sessionContext.sessionIssuer.userName, resources[1].ARN, "
        "tlsDetails.tlsVersion FROM events",
    )[0]
    assert row == (False, True, "bucket-1", "Admin", "arn:aws:s3:::bucket-1", "TLSv1.3")


def test_nested_request_parameters_are_kept_as_json_text(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", [make_record(1)]))])
    tags = scalar(reader.connect(lake), "SELECT requestParameters['tags'] FROM events")
    assert orjson.loads(tags) == [{"key": "team", "value": "x"}]


def test_the_original_record_is_kept_whole_in_event_json(
    lake: Lake, write_records: WriteFile
) -> None:
    record = make_record(1, someFutureField={"a": [1, 2]})
    ingest(lake, [str(write_records("a.json", [record]))])
    stored = scalar(reader.connect(lake), "SELECT eventJson FROM events")
    assert orjson.loads(stored) == record


def test_insights_records_go_to_aws_insights_not_events(
    lake: Lake, write_records: WriteFile
) -> None:
    insight = {
        "eventVersion": "1.08",
        "eventTime": "2024-05-01T10:00:00Z",
        "awsRegion": "us-east-1",
        "eventID": "insight-1",
        "eventType": "AwsCloudTrailInsight",
        "recipientAccountId": "111122223333",
        "sharedEventID": "shared-1",
        "insightDetails": {"state": "Start", "eventName": "CreateUser"},
        "eventCategory": "Insight",
    }
    ingest(lake, [str(write_records("CloudTrail-Insight/x.json.gz", [insight, make_record(1)]))])
    assert query(lake, "SELECT count(*) FROM events") == [(1,)]
    assert query(lake, "SELECT eventID, insightDetails->>'$.state' FROM aws_insights") == [
        ("insight-1", "Start")
    ]


def test_s3_trees_with_an_organization_id_are_walked_and_digests_skipped(
    lake: Lake, tmp_path: Path
) -> None:
    base = tmp_path / "AWSLogs" / "o-abc123" / "111122223333"
    data = base / "CloudTrail" / "us-east-1" / "2024" / "05" / "01"
    digest = base / "CloudTrail-Digest" / "us-east-1" / "2024" / "05" / "01"
    for folder in (data, digest):
        folder.mkdir(parents=True)
    name = "111122223333_CloudTrail_us-east-1_20240501T1200Z_abcdefghijklmnop.json.gz"
    (data / name).write_bytes(gzip.compress(orjson.dumps({"Records": [make_record(1)]})))
    (digest / "digest.json.gz").write_bytes(gzip.compress(b'{"digestPublicKeyFingerprint":"x"}'))
    summary = ingest(lake, [str(tmp_path / "AWSLogs")])
    assert (summary.files_read, summary.digests_skipped, summary.stored) == (1, 1, 1)


def test_broken_files_are_quarantined_whole_with_the_reason(lake: Lake, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    good = gzip.compress(orjson.dumps({"Records": [make_record(1)]}))
    (folder / "truncated.json.gz").write_bytes(good[: len(good) // 2])
    (folder / "invalid.json").write_bytes(b'{"Records": [ {"eventID": ')
    (folder / "other.json").write_bytes(b'{"foo": 1}')
    summary = ingest(lake, [str(folder)])
    assert (summary.files_quarantined, summary.records, summary.quarantined) == (3, 3, 3)
    reasons = dict(query(lake, "SELECT regexp_extract(source, '[^/]+$'), reason FROM quarantine"))
    assert reasons["truncated.json.gz"].startswith("truncated or corrupt gzip")
    assert reasons["invalid.json"].startswith("invalid JSON")
    assert reasons["other.json"].startswith("not CloudTrail: a JSON object with keys foo")


def test_standard_input_is_read_with_a_dash(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    lines = b"\n".join(orjson.dumps(make_record(n)) for n in range(3))
    result = subprocess.run(
        [sys.executable, "-m", "ctlake", "--lake", str(lake_dir), "ingest", "-"],
        input=lines,
        capture_output=True,
        check=True,
    )
    assert result.stdout == b""  # stdout is for data; the summary goes to stderr
    assert b"records in 3 = stored 3 + duplicates 0 + quarantined 0" in result.stderr


def test_a_gzip_of_several_members_is_read_whole(lake: Lake, tmp_path: Path) -> None:
    lines = [orjson.dumps(make_record(n)) + b"\n" for n in range(4)]
    path = tmp_path / "two-members.json.gz"
    path.write_bytes(gzip.compress(b"".join(lines[:2])) + gzip.compress(b"".join(lines[2:])))
    summary = ingest(lake, [str(path)])
    assert (summary.records, summary.stored) == (4, 4)
