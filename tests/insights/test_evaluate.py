"""Scoring insights against labelled anomalies (used by `ctlake demo` and bench/detect.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import orjson

from ctlake.demo import DemoResult, report
from ctlake.insights.evaluate import Found, evaluate, load_labels
from ctlake.lake import Lake

LABELS = {
    "anomalies": [
        {
            "id": "sendcommand-burst",
            "description": "15 SendCommand calls in five minutes",
            "insightType": "ApiCallRateInsight",
            "accountId": "111122223333",
            "awsRegion": "us-east-1",
            "eventSource": "ssm.amazonaws.com",
            "eventName": "SendCommand",
            "errorCode": None,
            "start": "2024-05-03T05:50:00Z",
            "end": "2024-05-03T05:55:00Z",
            "actorArn": "arn:aws:iam::111122223333:user/mallory",
        },
        {
            "id": "console-bruteforce",
            "description": "failed ConsoleLogin burst",
            "insightType": "ApiErrorRateInsight",
            "accountId": "111122223333",
            "awsRegion": "us-east-1",
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "errorCode": "Failed authentication",
            "start": "2024-05-04T02:00:00Z",
            "end": "2024-05-04T02:20:00Z",
            "actorArn": None,
        },
    ],
    "normal_patterns": [{"id": "nightly-backup"}],
}
SEND = Found(
    shared_id="s1",
    insight_type="ApiCallRateInsight",
    account="111122223333",
    region="us-east-1",
    source="ssm.amazonaws.com",
    name="SendCommand",
    error_code=None,
    start=datetime(2024, 5, 3, 5, 52),
    end=datetime(2024, 5, 3, 5, 57),
    baseline=0.0442,
    average=3.0,
    top_actor="arn:aws:iam::111122223333:user/mallory",
)


def labels_file(tmp_path: Path) -> Path:
    path = tmp_path / "labels.json"
    path.write_bytes(orjson.dumps(LABELS))
    return path


def test_an_insight_on_the_same_series_overlapping_the_window_finds_the_label(
    tmp_path: Path,
) -> None:
    labels, normal = load_labels(labels_file(tmp_path))
    result = evaluate(labels, [SEND])
    assert [m.found for m in result.matches] == [True, False]
    assert result.matches[0].start_error_minutes() == 2.0
    assert result.matches[0].top_actor_ok() is True
    assert [label.id for label in result.missed] == ["console-bruteforce"]
    assert result.unlabelled == [] and normal == [{"id": "nightly-backup"}]


def test_an_insight_elsewhere_in_time_or_account_is_unlabelled(tmp_path: Path) -> None:
    labels, _ = load_labels(labels_file(tmp_path))
    late = replace(
        SEND, shared_id="late", start=datetime(2024, 5, 3, 7), end=datetime(2024, 5, 3, 8)
    )
    other = replace(SEND, shared_id="other", account="444455556666")
    result = evaluate(labels, [late, other])
    assert not result.matches[0].found
    assert [f.shared_id for f in result.unlabelled] == ["late", "other"]


def test_a_few_minutes_of_tolerance_around_the_label_window(tmp_path: Path) -> None:
    labels, _ = load_labels(labels_file(tmp_path))
    just_after = replace(SEND, start=datetime(2024, 5, 3, 5, 59), end=datetime(2024, 5, 3, 6, 2))
    assert evaluate(labels, [just_after]).matches[0].found


def test_error_rate_needs_the_same_error_code(tmp_path: Path) -> None:
    labels, _ = load_labels(labels_file(tmp_path))
    login = replace(
        SEND,
        shared_id="login",
        insight_type="ApiErrorRateInsight",
        source="signin.amazonaws.com",
        name="ConsoleLogin",
        start=datetime(2024, 5, 4, 2, 1),
        end=datetime(2024, 5, 4, 2, 15),
    )
    wrong = replace(login, error_code="AccessDenied")
    right = replace(login, error_code="Failed authentication")
    assert not evaluate(labels, [wrong]).matches[1].found
    assert evaluate(labels, [right]).matches[1].found


def test_the_other_insight_type_on_the_same_api_is_explained_not_found(tmp_path: Path) -> None:
    labels, _ = load_labels(labels_file(tmp_path))
    errors = replace(SEND, shared_id="e", insight_type="ApiErrorRateInsight", error_code="X")
    result = evaluate(labels, [errors])
    assert not result.matches[0].found
    assert [f.shared_id for f in result.matches[0].related] == ["e"]
    assert result.unlabelled == []


def test_the_demo_report_puts_each_insight_beside_its_label(tmp_path: Path) -> None:
    labels, _ = load_labels(labels_file(tmp_path))
    stray = replace(SEND, shared_id="stray", account="444455556666")
    result = DemoResult(tmp_path, Lake(tmp_path / "lake"), 1000, evaluate(labels, [SEND, stray]))
    lines = report(result)
    assert lines[0].startswith("1 of 2 labelled anomalies found, 1 missed, 1 insights without")
    assert lines[2] == "FOUND   sendcommand-burst: 15 SendCommand calls in five minutes"
    assert lines[4].startswith(
        "  insight  ApiCallRateInsight 111122223333 us-east-1 ssm.amazonaws.com SendCommand "
        "2024-05-03T05:52-05:57Z baseline 0.0442/min, insight 3/min (68x)"
    )
    assert any(line.startswith("MISSED  console-bruteforce") for line in lines)
    assert any(line.startswith("UNLABELLED  ApiCallRateInsight 444455556666") for line in lines)


def test_the_demo_report_wraps_at_words_under_each_first_field(tmp_path: Path) -> None:
    labels, _ = load_labels(labels_file(tmp_path))
    result = DemoResult(tmp_path, Lake(tmp_path / "lake"), 1000, evaluate(labels, [SEND]))
    wide, narrow = report(result), report(result, 60)
    assert all(len(line) <= 60 for line in narrow if " " in line.strip())
    assert " ".join(" ".join(narrow).split()) == " ".join(" ".join(wide).split())  # no word cut
    label_at = next(i for i, line in enumerate(narrow) if line.startswith("  label    "))
    assert narrow[label_at + 1].startswith(" " * 11) and narrow[label_at + 1][11] != " "
