"""`[[metrics.filter]]`: CloudWatch metric filters, run on the lake by the model
`sql/05_metrics/metric_points.sql`.

    [[metrics.filter]]
    name = "RootAccountUsage"                      # describe-metric-filters: filterName
    pattern = '{ $.userIdentity.type = "Root" }'   # filterPattern (CloudWatch's syntax)
    namespace = "CISBenchmark"                     # metricTransformations[0].metricNamespace
    metric_name = "RootAccountUsageCount"          # metricName
    value = "1"                                    # metricValue: "1", a number or "$.path"
    default_value = 0                              # defaultValue (optional)
    unit = "Count"                                 # unit (optional)
    log_group = "CloudTrail/logs"                  # logGroupName (optional, kept as a note)
    dimensions = { EventName = "$.eventName" }     # at most 3, each a "$.path" of the record

The keys mirror what `aws logs describe-metric-filters` prints, in ctlake.toml's snake case,
so `ctlake metrics import` writes exactly these. Checks as CloudWatch's: a filter name is
unique, a metric has at most three dimensions, and a filter with dimensions has no default
value. The pattern itself is compiled (ctlake.cloudwatch.patterns) when the lake's metric
model runs and by `ctlake metrics`, so its syntax errors name the filter there too; here
only its presence is checked, which keeps loading the configuration free of the pattern
compiler.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ctlake.config.keys import KeyPath, only, optional_string, string, table, tables
from ctlake.errors import BadInputError

FILTER_KEYS = {
    "name",
    "pattern",
    "namespace",
    "metric_name",
    "value",
    "default_value",
    "unit",
    "log_group",
    "dimensions",
}
MAX_DIMENSIONS = 3
# CloudWatch's StandardUnit values (PutMetricData, MetricTransformation.unit).
UNITS = (
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
)
# A field of the record: `$.a.b`, `$.a[0].b`, as metric values and dimensions name them.
FIELD_PATH = re.compile(r"\$(\.[A-Za-z0-9_]+|\[\d+\])+")


@dataclass(frozen=True)
class MetricFilter:
    """One metric filter: which events (`pattern`) give which value to which metric."""

    name: str
    pattern: str
    namespace: str
    metric_name: str
    value: str = "1"  # "1", another number as text, or a "$.path" of the record
    default_value: float | None = None
    unit: str | None = None
    log_group: str | None = None
    dimensions: dict[str, str] = field(default_factory=dict)  # name -> "$.path"

    @property
    def metric(self) -> str:
        """NAMESPACE/NAME, as `ctlake metrics show` takes it."""
        return f"{self.namespace}/{self.metric_name}"

    @property
    def value_is_field(self) -> bool:
        return self.value.startswith("$")

    def digest(self) -> str:
        """A hash of the definition: what the metric points it gives were computed with."""
        text = json.dumps(asdict(self), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "pattern": self.pattern,
            "namespace": self.namespace,
            "metric_name": self.metric_name,
            "value": self.value,
        }
        if self.default_value is not None:
            data["default_value"] = self.default_value
        if self.unit is not None:
            data["unit"] = self.unit
        if self.log_group is not None:
            data["log_group"] = self.log_group
        if self.dimensions:
            data["dimensions"] = dict(self.dimensions)
        return data


@dataclass(frozen=True)
class MetricsConfig:
    filters: tuple[MetricFilter, ...] = ()

    def digest(self) -> str:
        """A hash of every filter's definition, in order: the metric model is rebuilt
        when it changes."""
        text = json.dumps([f.digest() for f in self.filters])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def metrics(self) -> list[str]:
        """The distinct NAMESPACE/NAME of the filters, sorted."""
        return sorted({f.metric for f in self.filters})

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> MetricsConfig:
        data = table(value, path)
        only(data, {"filter"}, path, "a key")
        items = tables(data.get("filter", []), path / "filter")
        filters = [metric_filter(item, path / "filter" / i) for i, item in enumerate(items)]
        seen: dict[str, int] = {}
        for i, item in enumerate(filters):
            if item.name in seen:
                raise (path / "filter" / i / "name").problem(
                    f"filter {item.name!r} is also defined at filter[{seen[item.name]}]"
                )
            seen[item.name] = i
        return cls(tuple(filters))

    def to_toml(self) -> dict[str, Any]:
        return {"filter": [f.to_toml() for f in self.filters]}


def metric_filter(
    data: dict[str, Any], path: KeyPath, fields: Mapping[str, str] | None = None
) -> MetricFilter:
    """One `[[metrics.filter]]` table, checked; errors name the filter and the key (or, with
    `fields`, the name a key has where the definition came from: `ctlake metrics import`
    names describe-metric-filters' fields)."""
    only(data, FILTER_KEYS, path, "a key")
    name = string(data, "name", path)
    at = _Named(path, name, fields or {})
    pattern = data.get("pattern")
    if not isinstance(pattern, str):  # "" is CloudWatch's match-everything pattern
        raise at.expected("pattern", "a string (the filter pattern)", pattern)
    namespace = _required(data, "namespace", at)
    metric_name = _required(data, "metric_name", at)
    value = metric_value(data.get("value", "1"), at)
    default = data.get("default_value")
    if default is not None and not _is_number(default):
        raise at.expected("default_value", "a number", default)
    unit = optional_string(data, "unit", path)
    if unit is not None and unit not in UNITS:
        raise at.expected("unit", f"one of {', '.join(UNITS)}", unit)
    log_group = optional_string(data, "log_group", path)
    dimensions = _dimensions(data.get("dimensions", {}), at)
    if dimensions and default is not None:
        raise at.problem("default_value", "a filter with dimensions cannot have a default value")
    return MetricFilter(
        name,
        pattern,
        namespace,
        metric_name,
        value,
        None if default is None else float(default),
        unit,
        log_group,
        dimensions,
    )


def metric_value(value: Any, at: _Named) -> str:
    """The metric value as text: a number ("1", "2.5") or a field path ("$.a.b")."""
    if _is_number(value):
        return _number_text(float(value))
    if isinstance(value, str):
        text = value.strip()
        if FIELD_PATH.fullmatch(text):
            return text
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return _number_text(number)
    raise at.expected("value", "a number or a field such as $.requestParameters.size", value)


class _Named:
    """Where a filter's key sits, with the filter's name in every message:
    `<file>: metrics.filter[2].unit (filter 'RootUsage'): expected ...`."""

    def __init__(self, path: KeyPath, name: str, fields: Mapping[str, str]):
        self.path, self.name, self.fields = path, name, fields

    def where(self, key: str) -> str:
        head, dot, rest = key.partition(".")
        field = self.fields.get(head, head) + dot + rest
        return f"{(self.path / field).where()} (filter {self.name!r})"

    def problem(self, key: str, text: str) -> BadInputError:
        return BadInputError(f"{self.where(key)}: {text}")

    def expected(self, key: str, what: str, got: Any) -> BadInputError:
        return self.problem(key, f"expected {what}, got {got!r}")


def _required(data: dict[str, Any], key: str, at: _Named) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise at.expected(key, "a non-empty string", value)
    return value


def _dimensions(value: Any, at: _Named) -> dict[str, str]:
    if not isinstance(value, dict):
        raise at.expected("dimensions", 'a table of name = "$.path"', value)
    if len(value) > MAX_DIMENSIONS:
        raise at.problem("dimensions", f"at most {MAX_DIMENSIONS} dimensions, got {len(value)}")
    dimensions: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(item, str) or not FIELD_PATH.fullmatch(item.strip()):
            raise at.expected(f"dimensions.{key}", "a field such as $.eventName", item)
        dimensions[key] = item.strip()
    return dimensions


def _is_number(value: Any) -> bool:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return is_number and math.isfinite(value)


def _number_text(value: float) -> str:
    """1.0 -> "1", 2.5 -> "2.5": the shortest text that reads back as the same number."""
    return str(int(value)) if value.is_integer() else repr(value)
