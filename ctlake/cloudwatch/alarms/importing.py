"""Alarms from the JSON `aws cloudwatch describe-alarms` prints.

`alarms_from_describe(data)` turns its `MetricAlarms` into `AlarmConfig`s (the fields of
`[[alarms.alarm]]`: AlarmName -> name, ExtendedStatistic -> statistic, ...), checked as the
configuration is. Every bad definition is reported, one line each naming the alarm and the
field: a metric-math or anomaly-detection alarm (`Metrics`, `ThresholdMetricId`) and a
composite alarm are refused, since ctlake evaluates single-metric alarms only. Fields that
say where CloudWatch sends notifications (AlarmActions, OKActions, ...) and the alarm's
current state are not imported: the sinks deliver, and the lake has its own state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ctlake.config.alarms import AlarmConfig, alarm_from_toml
from ctlake.config.keys import KeyPath
from ctlake.errors import BadInputError

# describe-alarms field -> [[alarms.alarm]] key
FIELDS = {
    "AlarmName": "name",
    "AlarmDescription": "description",
    "ActionsEnabled": "actions_enabled",
    "Namespace": "namespace",
    "MetricName": "metric_name",
    "Statistic": "statistic",
    "ExtendedStatistic": "statistic",
    "Period": "period",
    "EvaluationPeriods": "evaluation_periods",
    "DatapointsToAlarm": "datapoints_to_alarm",
    "Threshold": "threshold",
    "ComparisonOperator": "comparison_operator",
    "TreatMissingData": "treat_missing_data",
}
UNSUPPORTED = {
    "Metrics": "metric-math alarms are not supported (one metric per alarm)",
    "ThresholdMetricId": "anomaly-detection alarms are not supported",
}


def alarms_from_describe(data: Any, source: str = "describe-alarms JSON") -> list[AlarmConfig]:
    """The metric alarms of describe-alarms' output `data` (parsed JSON); a BadInputError
    with one line per bad definition when any is."""
    if not isinstance(data, dict) or not (
        isinstance(data.get("MetricAlarms"), list) or isinstance(data.get("CompositeAlarms"), list)
    ):
        raise BadInputError(f"{source}: expected the JSON of `aws cloudwatch describe-alarms`")
    alarms: list[AlarmConfig] = []
    problems: list[str] = []
    for i, item in enumerate(data.get("MetricAlarms") or []):
        where = f"{source}: MetricAlarms[{i}]"
        try:
            alarms.append(_alarm(item, where))
        except BadInputError as exc:
            problems.append(str(exc))
    for i, item in enumerate(data.get("CompositeAlarms") or []):
        name = item.get("AlarmName") if isinstance(item, dict) else None
        problems.append(
            f"{source}: CompositeAlarms[{i}] (alarm {name!r}): composite alarms are not supported"
        )
    if problems:
        raise BadInputError("\n".join(problems))
    return alarms


def _alarm(item: Any, where: str) -> AlarmConfig:
    if not isinstance(item, dict):
        raise BadInputError(f"{where}: expected an object, got {item!r}")
    name = item.get("AlarmName")
    for key, why in UNSUPPORTED.items():
        if item.get(key):
            raise BadInputError(f"{where}.{key} (alarm {name!r}): {why}")
    fields = {FIELDS[k]: v for k, v in item.items() if k in FIELDS and v is not None}
    dimensions = item.get("Dimensions") or []
    if not isinstance(dimensions, list) or not all(
        isinstance(d, dict) and {"Name", "Value"} <= set(d) for d in dimensions
    ):
        raise BadInputError(
            f"{where}.Dimensions (alarm {name!r}): expected a list of {{Name, Value}}"
        )
    fields["dimensions"] = {d["Name"]: d["Value"] for d in dimensions}
    path = KeyPath(Path(where.partition(": ")[0]), (where.partition(": ")[2],))
    try:
        return alarm_from_toml(fields, path)
    except BadInputError as exc:  # name the field as the JSON spells it
        spelled = {key: field for field, key in FIELDS.items() if field != "ExtendedStatistic"}
        if "ExtendedStatistic" in item:
            spelled["statistic"] = "ExtendedStatistic"
        text = str(exc)
        for key, field in spelled.items():
            text = text.replace(f"].{key} (", f"].{field} (")
        raise BadInputError(text) from None
