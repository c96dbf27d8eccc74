"""Alarm evaluation on a lake whose `metric_points` is written by hand (the contract of
the metrics model): history on event time, the events in the outbox, late data, a changed
definition, percentiles, and delivery through the existing sinks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from ctlake.cloudwatch.alarms.evaluate import evaluate_alarms
from ctlake.config import Sink
from ctlake.config.alarms import AlarmConfig, AlarmsConfig
from ctlake.config.metrics import MetricsConfig
from ctlake.delivery.deliver import deliver
from ctlake.lake import Lake

T0 = datetime(2026, 3, 1, 10, 0)
NO_FILTERS = MetricsConfig()  # metric_points is written by hand here

METRIC_POINTS = """
CREATE TABLE IF NOT EXISTS metric_points (
    namespace VARCHAR, metric_name VARCHAR, dimensions VARCHAR, minute TIMESTAMP,
    sample_count BIGINT, sum DOUBLE, minimum DOUBLE, maximum DOUBLE, "values" DOUBLE[]
)"""


def alarm(**kw: object) -> AlarmConfig:
    values = dict(
        name="IAMPolicyChanges",
        namespace="CISBenchmark",
        metric_name="IAMPolicyChangeCount",
        statistic="Sum",
        period=300,
        evaluation_periods=1,
        datapoints_to_alarm=1,
        threshold=1.0,
        comparison_operator="GreaterThanOrEqualToThreshold",
        treat_missing_data="notBreaching",
    )
    values.update(kw)
    return AlarmConfig(**values)  # type: ignore[arg-type]


def config(*alarms: AlarmConfig) -> AlarmsConfig:
    return AlarmsConfig("111122223333", "eu-west-1", alarms or (alarm(),))


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path / "lake")


def load(lake: Lake, minutes: dict[int, list[float]], first: int = 0, last: int = 60) -> None:
    """Metric values at minutes after T0, and a batch covering minutes first..last."""
    with lake.catalog() as catalog:
        catalog.execute(METRIC_POINTS)
        for minute, values in minutes.items():
            catalog.execute(
                "INSERT INTO metric_points VALUES ('CISBenchmark', 'IAMPolicyChangeCount', "
                "'{}', ?, ?, ?, ?, ?, ?)",
                [
                    T0 + timedelta(minutes=minute),
                    len(values),
                    sum(values),
                    min(values),
                    max(values),
                    values,
                ],
            )
        batch = catalog.execute("SELECT count(*) + 1 FROM batches").fetchone()[0]
        catalog.execute(
            "INSERT INTO batches VALUES (?, now(), 1, 1, 1, 0, 0, ?, ?)",
            [batch, T0 + timedelta(minutes=first), T0 + timedelta(minutes=last, seconds=30)],
        )


def history(lake: Lake) -> list[tuple[str, str, str, bool]]:
    with lake.catalog() as catalog:
        rows = catalog.execute(
            "SELECT strftime(timestamp, '%H:%M'), old_state, new_state, late "
            "FROM alarm_history ORDER BY seq"
        ).fetchall()
    return [tuple(r) for r in rows]


def test_a_burst_fires_the_alarm_then_it_returns_to_ok(lake: Lake) -> None:
    load(lake, {12: [1.0, 1.0]})  # two policy changes at 10:12
    summary = evaluate_alarms(lake, config(), NO_FILTERS)
    # 10:05 first evaluation (no data: OK), 10:15 the burst, OK when out of the range (3)
    assert history(lake) == [
        ("10:05", "INSUFFICIENT_DATA", "OK", False),
        ("10:15", "OK", "ALARM", False),
        ("10:30", "ALARM", "OK", False),
    ]
    assert summary.changes == 3 and summary.in_alarm == []
    again = evaluate_alarms(lake, config(), NO_FILTERS)  # nothing new: nothing recorded
    assert again.changes == 0 and len(history(lake)) == 3


def test_each_change_is_a_cloudwatch_alarm_state_change_event(lake: Lake) -> None:
    load(lake, {12: [2.0]})
    evaluate_alarms(lake, config(), NO_FILTERS)
    with lake.catalog() as catalog:
        rows = catalog.execute(
            "SELECT eventJson, kind FROM delivery_events ORDER BY eventTime"
        ).fetchall()
    event = json.loads(rows[1][0])
    assert {kind for _, kind in rows} == {"alarm"}
    assert event["detail-type"] == "CloudWatch Alarm State Change"
    assert event["source"] == "aws.cloudwatch" and event["account"] == "111122223333"
    assert event["resources"] == [
        "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:IAMPolicyChanges"
    ]
    assert event["time"] == "2026-03-01T10:15:00Z"
    detail = event["detail"]
    assert detail["alarmName"] == "IAMPolicyChanges"
    assert detail["state"]["value"] == "ALARM" and detail["previousState"]["value"] == "OK"
    assert json.loads(detail["state"]["reasonData"])["recentDatapoints"] == [2.0]
    assert detail["state"]["reason"].startswith("Threshold Crossed: 1 out of the last 1")
    metric = detail["configuration"]["metrics"][0]["metricStat"]
    assert metric["metric"]["name"] == "IAMPolicyChangeCount" and metric["period"] == 300


def test_actions_disabled_records_history_but_delivers_nothing(lake: Lake) -> None:
    load(lake, {12: [2.0]})
    evaluate_alarms(lake, config(alarm(actions_enabled=False)), NO_FILTERS)
    assert len(history(lake)) == 3
    with lake.catalog() as catalog:
        assert catalog.execute("SELECT count(*) FROM delivery_events").fetchone() == (0,)


def test_late_events_fire_the_alarm_they_would_have_fired_without_rewriting(lake: Lake) -> None:
    load(lake, {})
    evaluate_alarms(lake, config(), NO_FILTERS)
    assert history(lake) == [("10:05", "INSUFFICIENT_DATA", "OK", False)]
    # a later batch brings events of 10:22 (already evaluated) and up to 11:30
    load(lake, {22: [3.0]}, first=20, last=90)
    summary = evaluate_alarms(lake, config(), NO_FILTERS)
    assert history(lake)[1:] == [
        ("10:25", "OK", "ALARM", True),
        ("10:40", "ALARM", "OK", True),
    ]
    assert summary.late == 2
    with lake.catalog() as catalog:
        reason = catalog.execute("SELECT reason FROM alarm_history WHERE seq = 2").fetchone()[0]
    assert reason.startswith("Late data: Threshold Crossed")


def test_late_events_inside_the_unevaluated_span_are_no_correction(lake: Lake) -> None:
    load(lake, {}, last=30)
    evaluate_alarms(lake, config(), NO_FILTERS)
    load(lake, {42: [3.0]}, first=31, last=60)
    summary = evaluate_alarms(lake, config(), NO_FILTERS)
    assert summary.late == 0 and history(lake)[-2:] == [
        ("10:45", "OK", "ALARM", False),
        ("11:00", "ALARM", "OK", False),
    ]


def test_a_changed_definition_adds_at_most_one_change(lake: Lake) -> None:
    load(lake, {58: [1.0]})
    evaluate_alarms(lake, config(), NO_FILTERS)
    assert history(lake)[-1] == ("11:00", "OK", "ALARM", False)
    evaluate_alarms(lake, config(alarm(threshold=5.0)), NO_FILTERS)
    assert history(lake)[-1][1:] == ("ALARM", "OK", False)
    with lake.catalog() as catalog:
        reason = catalog.execute("SELECT reason FROM alarm_history ORDER BY seq DESC").fetchone()
    assert reason[0].startswith("Configuration updated")


def test_a_changed_metric_filter_is_a_new_definition_not_late_data(lake: Lake) -> None:
    from ctlake.config import KeyPath

    def filters(pattern: str) -> MetricsConfig:
        table = {
            "filter": [
                {
                    "name": "F",
                    "pattern": pattern,
                    "namespace": "CISBenchmark",
                    "metric_name": "IAMPolicyChangeCount",
                    "value": "1",
                }
            ]
        }
        return MetricsConfig.from_toml(table, KeyPath(Path("ctlake.toml")) / "metrics")

    load(lake, {58: [1.0]})
    evaluate_alarms(lake, config(), filters("{ $.eventName = PutUserPolicy }"))
    before = history(lake)
    with lake.catalog() as catalog:  # the model recomputed the metric's whole history
        catalog.execute("DELETE FROM metric_points")
    evaluate_alarms(lake, config(), filters("{ $.eventName = PutRolePolicy }"))
    assert history(lake)[: len(before)] == before
    assert history(lake)[len(before) :] == [("11:00", "ALARM", "OK", False)]


@pytest.mark.parametrize(
    ("statistic", "threshold", "fires"),
    [
        ("Sum", 10, True),
        ("Sum", 11, False),
        ("SampleCount", 4, True),
        ("Average", 2.5, True),
        ("Average", 2.6, False),
        ("Maximum", 4, True),
        ("Minimum", 1.5, False),
        ("p50", 2.5, True),
        ("p90", 3.7, True),
        ("p90", 3.8, False),
    ],
)
def test_statistics_over_a_period(
    lake: Lake, statistic: str, threshold: float, fires: bool
) -> None:
    load(lake, {10: [1.0, 2.0], 12: [3.0, 4.0]})  # one 5-minute period: 1, 2, 3, 4
    evaluate_alarms(
        lake, config(alarm(statistic=statistic, threshold=float(threshold))), NO_FILTERS
    )
    states = [row[2] for row in history(lake)]
    assert ("ALARM" in states) == fires


def test_the_sinks_deliver_alarm_events(lake: Lake, tmp_path: Path) -> None:
    load(lake, {12: [2.0]})
    evaluate_alarms(lake, config(), NO_FILTERS)
    eb = tmp_path / "eb.jsonl"
    sinks = (
        Sink("eventbridge", "eb", str(eb)),
        Sink("folder", "s3", str(tmp_path / "s3")),
    )
    summary = deliver(lake, sinks)
    assert summary.delivered == 6 and summary.found == 0
    lines = [json.loads(line) for line in eb.read_text().splitlines()]
    assert [e["detail"]["state"]["value"] for e in lines] == ["OK", "ALARM", "OK"]
    assert all(e["detail-type"] == "CloudWatch Alarm State Change" for e in lines)
    files = sorted((tmp_path / "s3").rglob("*.json"))
    assert len(files) == 3
    assert files[0].parent == tmp_path / "s3/CloudWatchAlarms/111122223333/eu-west-1/2026/03/01"
    assert deliver(lake, sinks).delivered == 0  # exactly once


def test_a_slack_webhook_gets_one_line_per_alarm_change(lake: Lake) -> None:
    from ctlake.delivery.outbox import due, enqueue
    from ctlake.delivery.sinks import slack_text

    load(lake, {12: [2.0]})
    evaluate_alarms(lake, config(), NO_FILTERS)
    enqueue(lake, ["hook"])
    work, _ = due(lake, ["hook"])
    texts = [slack_text(json.loads(d.event_json)) for d in work if d.kind == "alarm"]
    assert texts[1] == (
        "CloudWatch alarm IAMPolicyChanges is ALARM (was OK) in account 111122223333 "
        "eu-west-1 at 2026-03-01T10:15:00Z: Threshold Crossed: 1 out of the last 1 datapoints "
        "[2 (01/03/26 10:10:00)] was greater than or equal to the threshold (1) (minimum 1 "
        "datapoint for OK -> ALARM transition)."
    )


def test_history_recorded_with_actions_disabled_is_never_delivered(lake: Lake) -> None:
    load(lake, {12: [2.0]})
    evaluate_alarms(lake, config(alarm(actions_enabled=False)), NO_FILTERS)
    evaluate_alarms(lake, config(), NO_FILTERS)  # enabled now: not a new definition
    load(lake, {72: [2.0]}, first=61, last=90)  # a later burst, at 11:12
    evaluate_alarms(lake, config(), NO_FILTERS)
    with lake.catalog() as catalog:
        sent = catalog.execute(
            "SELECT strftime(eventTime, '%H:%M'), state FROM delivery_events ORDER BY eventTime"
        ).fetchall()
    assert len(history(lake)) == 5 and sent == [("11:15", "ALARM"), ("11:30", "OK")]


def test_the_run_line_counts_alarms_changes_and_those_in_alarm(lake: Lake) -> None:
    load(lake, {58: [2.0]})
    summary = evaluate_alarms(lake, config(), NO_FILTERS)
    assert summary.line() == "1 alarm evaluated, 2 state changes, 1 in ALARM"
