"""`[alarms]` and `[[alarms.alarm]]`: CloudWatch metric alarms evaluated on the lake.

    [alarms]
    account_id = "123456789012"   # the account and region named in each alarm's ARN and
    region = "us-east-1"          # in the "CloudWatch Alarm State Change" events

    [[alarms.alarm]]              # keys: describe-alarms' MetricAlarms fields, snake_case
    name = "RootAccountUsage"
    description = "CIS 1.7 / CloudWatch.1"
    namespace = "CISBenchmark"
    metric_name = "RootAccountUsageCount"
    dimensions = {}               # name -> value; must equal the metric's dimensions
    statistic = "Sum"             # SampleCount | Sum | Average | Minimum | Maximum | pNN
    period = 300                  # seconds, a multiple of 60
    evaluation_periods = 1        # N
    datapoints_to_alarm = 1       # M (default N)
    threshold = 1
    comparison_operator = "GreaterThanOrEqualToThreshold"
    treat_missing_data = "notBreaching"  # missing | notBreaching | breaching | ignore
    actions_enabled = true        # false: state changes are recorded but not delivered

Every error names the key (`alarms.alarm[2].period`) and the alarm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ctlake.config.keys import KeyPath, number, only, optional_string, string, table, tables
from ctlake.errors import BadInputError

STATISTICS = ("SampleCount", "Sum", "Average", "Minimum", "Maximum")
PERCENTILE = re.compile(r"^p(100(\.0+)?|\d{1,2}(\.\d{1,2})?)$")
OPERATORS = (
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
)
MISSING_DATA = ("missing", "notBreaching", "breaching", "ignore")
ALARM_KEYS = {
    "name",
    "description",
    "namespace",
    "metric_name",
    "dimensions",
    "statistic",
    "period",
    "evaluation_periods",
    "datapoints_to_alarm",
    "threshold",
    "comparison_operator",
    "treat_missing_data",
    "actions_enabled",
}
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class AlarmConfig:
    """One metric alarm, as CloudWatch's PutMetricAlarm takes it."""

    name: str
    namespace: str
    metric_name: str
    statistic: str
    period: int
    evaluation_periods: int
    threshold: float
    comparison_operator: str
    datapoints_to_alarm: int = 0  # 0: the same as evaluation_periods
    treat_missing_data: str = "missing"
    dimensions: tuple[tuple[str, str], ...] = ()  # sorted by name
    description: str = ""
    actions_enabled: bool = True

    def __post_init__(self) -> None:
        if not self.datapoints_to_alarm:
            object.__setattr__(self, "datapoints_to_alarm", self.evaluation_periods)

    @property
    def percentile(self) -> float | None:
        """0.99 for p99; None for the five plain statistics."""
        return float(self.statistic[1:]) / 100 if self.statistic.startswith("p") else None

    def to_toml(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "namespace": self.namespace,
            "metric_name": self.metric_name,
            "dimensions": dict(self.dimensions),
            "statistic": self.statistic,
            "period": self.period,
            "evaluation_periods": self.evaluation_periods,
            "datapoints_to_alarm": self.datapoints_to_alarm,
            "threshold": self.threshold,
            "comparison_operator": self.comparison_operator,
            "treat_missing_data": self.treat_missing_data,
            "actions_enabled": self.actions_enabled,
        }


@dataclass(frozen=True)
class AlarmsConfig:
    account_id: str = DEFAULT_ACCOUNT
    region: str = DEFAULT_REGION
    alarms: tuple[AlarmConfig, ...] = field(default_factory=tuple)

    def arn(self, name: str) -> str:
        return f"arn:aws:cloudwatch:{self.region}:{self.account_id}:alarm:{name}"

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> AlarmsConfig:
        data = table(value, path)
        only(data, {"account_id", "region", "alarm"}, path, "a key")
        account = string(data, "account_id", path, DEFAULT_ACCOUNT)
        if not re.fullmatch(r"\d{12}", account):
            raise (path / "account_id").expected("a 12-digit AWS account id", account)
        region = string(data, "region", path, DEFAULT_REGION)
        items = tables(data.get("alarm", []), path / "alarm")
        alarms = tuple(alarm_from_toml(item, path / "alarm" / i) for i, item in enumerate(items))
        seen: set[str] = set()
        for i, alarm in enumerate(alarms):
            if alarm.name in seen:
                raise (path / "alarm" / i / "name").problem(
                    f"two alarms share the name {alarm.name!r}"
                )
            seen.add(alarm.name)
        return cls(account, region, alarms)

    def to_toml(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "region": self.region,
            "alarm": [alarm.to_toml() for alarm in self.alarms],
        }


def alarm_from_toml(item: dict[str, Any], path: KeyPath) -> AlarmConfig:
    """Check and build one `[[alarms.alarm]]`; an error names the key and the alarm."""
    name = item.get("name") if isinstance(item.get("name"), str) else None
    try:
        return _alarm(item, path)
    except BadInputError as exc:
        if not name:
            raise
        # `<file>: alarms.alarm[2].period (alarm 'X'): expected ...`, as filters name theirs
        text, prefix = str(exc), path.where()
        cut = text.find(": ", len(prefix)) if text.startswith(prefix) else -1
        named = (
            f"{text[:cut]} (alarm {name!r}){text[cut:]}" if cut > 0 else f"{text} (alarm {name!r})"
        )
        raise BadInputError(named) from None


def _alarm(item: dict[str, Any], path: KeyPath) -> AlarmConfig:
    only(item, ALARM_KEYS, path, "a key of an alarm")
    statistic = string(item, "statistic", path, "Sum")
    if statistic not in STATISTICS and not PERCENTILE.match(statistic):
        raise (path / "statistic").expected(f"{' | '.join(STATISTICS)} or pNN (p99)", statistic)
    period = int(number(item.get("period", 300), path / "period", least=60, whole=True))
    if period % 60:
        raise (path / "period").expected("a multiple of 60 seconds", period)
    n = int(
        number(item.get("evaluation_periods", 1), path / "evaluation_periods", least=1, whole=True)
    )
    m = int(
        number(
            item.get("datapoints_to_alarm", n), path / "datapoints_to_alarm", least=1, whole=True
        )
    )
    if m > n:
        raise (path / "datapoints_to_alarm").expected(f"at most evaluation_periods ({n})", m)
    if "threshold" not in item:
        raise (path / "threshold").expected("a number")
    threshold = item["threshold"]
    if not isinstance(threshold, int | float) or isinstance(threshold, bool):
        raise (path / "threshold").expected("a number", threshold)
    operator = string(item, "comparison_operator", path)
    if operator not in OPERATORS:
        raise (path / "comparison_operator").expected(" | ".join(OPERATORS), operator)
    missing = string(item, "treat_missing_data", path, "missing")
    if missing not in MISSING_DATA:
        raise (path / "treat_missing_data").expected(" | ".join(MISSING_DATA), missing)
    enabled = item.get("actions_enabled", True)
    if not isinstance(enabled, bool):
        raise (path / "actions_enabled").expected("true or false", enabled)
    return AlarmConfig(
        name=string(item, "name", path),
        namespace=string(item, "namespace", path),
        metric_name=string(item, "metric_name", path),
        statistic=statistic,
        period=period,
        evaluation_periods=n,
        threshold=float(threshold),
        comparison_operator=operator,
        datapoints_to_alarm=m,
        treat_missing_data=missing,
        dimensions=_dimensions(item.get("dimensions", {}), path / "dimensions"),
        description=optional_string(item, "description", path) or "",
        actions_enabled=enabled,
    )


def _dimensions(value: Any, path: KeyPath) -> tuple[tuple[str, str], ...]:
    data = table(value, path)
    for key, item in data.items():
        if not isinstance(item, str) or not item:
            raise (path / key).expected("a non-empty string", item)
    return tuple(sorted(data.items()))
