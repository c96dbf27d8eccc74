"""Alarms from the JSON `aws cloudwatch describe-alarms` prints.

`alarms_from_describe(data)` turns its `MetricAlarms` into `AlarmConfig`s (the fields of
`[[alarms.alarm]]`: AlarmName -> name, ExtendedStatistic -> statistic, ...), checked as the
configuration is. Every bad definition is reported, one line each naming the alarm and the
field: a metric-math or anomaly-detection alarm (`Metrics`, `ThresholdMetricId`) and a
composite alarm are refused, since ctlake evaluates single-metric alarms only. Fields that
say where CloudWatch sends notifications (AlarmActions, OKActions, ...) and the alarm's
current state are not imported: the sinks deliver, and the lake has its own state.

`import_alarms` appends them to the lake's ctlake.toml for `ctlake metrics import FILE`,
which dispatches on the JSON's top-level key (`metricFilters` or `MetricAlarms` /
`CompositeAlarms`).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctlake.config import CONFIG_FILE, appended, load
from ctlake.config.alarms import AlarmConfig, AlarmsConfig, alarm_from_toml
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


def is_describe_alarms(data: Any) -> bool:
    """Whether parsed JSON is describe-alarms' output (its top-level keys)."""
    return isinstance(data, dict) and (
        isinstance(data.get("MetricAlarms"), list) or isinstance(data.get("CompositeAlarms"), list)
    )


def alarms_from_describe(data: Any, source: str = "describe-alarms JSON") -> list[AlarmConfig]:
    """The metric alarms of describe-alarms' output `data` (parsed JSON); a BadInputError
    with one line per bad definition when any is."""
    alarms, problems = _read(data, source)
    if problems:
        raise BadInputError("\n".join(problems))
    return alarms


def _read(data: Any, source: str) -> tuple[list[AlarmConfig], list[str]]:
    if not is_describe_alarms(data):
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
    return alarms, problems


@dataclass
class AlarmImportPlan:
    """What an import does: the alarms added, those already there, the bad ones."""

    added: list[AlarmConfig] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def import_alarms(lake_root: Path, source: Path, data: Any) -> AlarmImportPlan:
    """Append the metric alarms of describe-alarms' `data` (read from `source`) to the
    lake's ctlake.toml as `[[alarms.alarm]]` tables; nothing is written when any is bad
    (`problems`, one line each). An alarm already there with the same definition is
    skipped; one with the same name and another definition is a problem."""
    from ctlake.insights.records import atomic_write

    config = load(lake_root)
    alarms, problems = _read(data, str(source))
    plan = AlarmImportPlan(problems=problems)
    known = {alarm.name: alarm for alarm in config.alarms.alarms}
    for alarm in alarms:
        if alarm.name not in known:
            plan.added.append(alarm)
            known[alarm.name] = alarm
        elif known[alarm.name] == alarm:
            plan.unchanged.append(alarm.name)
        else:
            plan.problems.append(
                f"{source}: alarm {alarm.name!r} is already in {CONFIG_FILE} with another "
                "definition: remove it there to import this one"
            )
    if plan.problems or not plan.added:
        return plan
    path = lake_root / CONFIG_FILE
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = appended(old, toml_text(plan.added, source))
    _check(new, path)
    atomic_write(path, new.encode())
    return plan


def toml_text(alarms: list[AlarmConfig], source: Path) -> str:
    """The `[[alarms.alarm]]` tables of `alarms`, headed by a comment naming the file."""
    lines = [f"# imported by `ctlake metrics import` from {source.name}"]
    for alarm in alarms:
        lines.append("[[alarms.alarm]]")
        lines += [f"{key} = {_value(value)}" for key, value in alarm.to_toml().items()]
        lines.append("")
    return "\n".join(lines)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value))  # JSON's string escaping is valid TOML


def _check(text: str, path: Path) -> None:
    """The new text is TOML whose alarms load (errors name `path`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(
            f"{path}: the imported alarms cannot be appended to this file ({exc}); add them by hand"
        ) from None
    AlarmsConfig.from_toml(data.get("alarms", {}), KeyPath(path) / "alarms")


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
