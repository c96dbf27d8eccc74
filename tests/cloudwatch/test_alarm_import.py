"""describe-alarms JSON to [[alarms.alarm]]: the fields mapped, every bad one a line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctlake.cli.app import app
from ctlake.cloudwatch.alarms.importing import alarms_from_describe
from ctlake.config import load
from ctlake.errors import BadInputError

DESCRIBED = {
    "MetricAlarms": [
        {
            "AlarmName": "CIS-3.1-UnauthorizedAPICalls",
            "AlarmArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:CIS-3.1",
            "AlarmDescription": "Unauthorized API calls",
            "ActionsEnabled": True,
            "AlarmActions": ["arn:aws:sns:us-east-1:123456789012:cis-alarms"],
            "OKActions": [],
            "StateValue": "OK",
            "MetricName": "UnauthorizedAPICalls",
            "Namespace": "LogMetrics",
            "Statistic": "Sum",
            "Dimensions": [],
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 1.0,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "TreatMissingData": "notBreaching",
        },
        {
            "AlarmName": "SlowCalls",
            "MetricName": "Latency",
            "Namespace": "App",
            "ExtendedStatistic": "p99",
            "Dimensions": [{"Name": "Api", "Value": "GetObject"}],
            "Period": 60,
            "EvaluationPeriods": 5,
            "DatapointsToAlarm": 3,
            "Threshold": 250.0,
            "ComparisonOperator": "GreaterThanThreshold",
        },
    ],
    "CompositeAlarms": [],
}


def test_metric_alarms_become_alarm_configs() -> None:
    first, second = alarms_from_describe(DESCRIBED)
    assert first.name == "CIS-3.1-UnauthorizedAPICalls"
    assert (first.namespace, first.metric_name, first.statistic) == (
        "LogMetrics",
        "UnauthorizedAPICalls",
        "Sum",
    )
    assert (first.period, first.evaluation_periods, first.datapoints_to_alarm) == (300, 1, 1)
    assert first.treat_missing_data == "notBreaching" and first.description.startswith("Unauth")
    assert second.statistic == "p99" and second.percentile == 0.99
    assert second.dimensions == (("Api", "GetObject"),)
    assert (second.evaluation_periods, second.datapoints_to_alarm) == (5, 3)
    assert second.treat_missing_data == "missing"  # CloudWatch's default


def test_every_bad_definition_is_one_line_naming_the_alarm_and_the_field() -> None:
    bad = {
        "MetricAlarms": [
            {**DESCRIBED["MetricAlarms"][0], "AlarmName": "A", "Period": 90},
            {"AlarmName": "B", "Metrics": [{"Id": "m1", "Expression": "m2 * 2"}]},
            DESCRIBED["MetricAlarms"][1],
        ],
        "CompositeAlarms": [{"AlarmName": "C", "AlarmRule": "ALARM(A)"}],
    }
    with pytest.raises(BadInputError) as error:
        alarms_from_describe(bad, "alarms.json")
    assert str(error.value).split("\n") == [
        "alarms.json: MetricAlarms[0].Period (alarm 'A'): expected a multiple of 60 seconds, "
        "got 90",
        "alarms.json: MetricAlarms[1].Metrics (alarm 'B'): metric-math alarms are not "
        "supported (one metric per alarm)",
        "alarms.json: CompositeAlarms[0] (alarm 'C'): composite alarms are not supported",
    ]


def test_other_json_is_refused() -> None:
    with pytest.raises(BadInputError, match="expected the JSON of `aws cloudwatch describe"):
        alarms_from_describe({"metricFilters": []}, "f.json")


def metrics_import(lake_dir: Path, file: Path) -> str:
    result = CliRunner().invoke(app, ["--lake", str(lake_dir), "metrics", "import", str(file)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.stderr


def test_metrics_import_appends_the_alarms_to_ctlake_toml_once(tmp_path: Path) -> None:
    (tmp_path / "ctlake.toml").write_text("# mine\n[retention]\ndays = 30\n")
    source = tmp_path / "alarms.json"
    source.write_text(json.dumps(DESCRIBED))
    said = metrics_import(tmp_path, source)
    assert "imported 2 alarm(s)" in said
    config = load(tmp_path)
    assert config.alarms.alarms == tuple(alarms_from_describe(DESCRIBED))
    assert (tmp_path / "ctlake.toml").read_text().startswith("# mine\n")
    assert "imported 0 alarm(s)" in metrics_import(tmp_path, source)  # nothing twice
    assert len(load(tmp_path).alarms.alarms) == 2


def test_metrics_import_writes_nothing_when_an_alarm_is_bad(tmp_path: Path) -> None:
    source = tmp_path / "alarms.json"
    bad = {"MetricAlarms": [DESCRIBED["MetricAlarms"][1], {"AlarmName": "X", "Period": 7}]}
    source.write_text(json.dumps(bad))
    with pytest.raises(BadInputError, match="1 bad definition"):
        metrics_import(tmp_path, source)
    assert not (tmp_path / "ctlake.toml").exists()
