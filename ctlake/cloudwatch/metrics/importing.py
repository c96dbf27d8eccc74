"""`ctlake metrics import FILE`: a CloudWatch setup as it is, into the lake's ctlake.toml.

FILE is the JSON `aws logs describe-metric-filters` prints (`{"metricFilters": [...]}`).
Each filter becomes a `[[metrics.filter]]` table (see ctlake/config/metrics.py for the
keys); fields ctlake has no use for (creationTime, applyOnTransformedLogs, ...) are left
out. Every definition is checked — the same checks as the configuration's, and its pattern
compiled — and each bad one is one line naming the filter and the describe-metric-filters
field. Nothing is written when any is bad. A filter already in ctlake.toml with the same
definition is skipped (importing a file twice changes nothing); one with the same name and
another definition is an error.

The tables are appended to the file as TOML text, so its comments and layout stay as they
are; the whole new text is checked before it replaces the file (atomically).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ctlake.config import (
    CONFIG_FILE,
    KeyPath,
    MetricFilter,
    MetricsConfig,
    appended,
    load,
)
from ctlake.config.metrics import metric_filter
from ctlake.errors import BadInputError

FILTERS_KEY = "metricFilters"
TRANSFORM = "metricTransformations[0]"
# ctlake.toml key -> the describe-metric-filters field it comes from
FIELDS = {
    "name": "filterName",
    "pattern": "filterPattern",
    "log_group": "logGroupName",
    "namespace": f"{TRANSFORM}.metricNamespace",
    "metric_name": f"{TRANSFORM}.metricName",
    "value": f"{TRANSFORM}.metricValue",
    "default_value": f"{TRANSFORM}.defaultValue",
    "unit": f"{TRANSFORM}.unit",
    "dimensions": f"{TRANSFORM}.dimensions",
}


@dataclass
class ImportPlan:
    """What an import would do: the filters to add and those already there."""

    added: list[MetricFilter] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        raise BadInputError(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not valid JSON: {exc}") from None


def plan_import(path: Path, data: Any, existing: MetricsConfig) -> ImportPlan:
    """Check every filter of describe-metric-filters' `data` (read from `path`) against
    `existing`; the problems are lines naming the filter and the field."""
    items = data.get(FILTERS_KEY) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise BadInputError(
            f"{path}: expected the JSON of `aws logs describe-metric-filters` "
            f'(an object with a "{FILTERS_KEY}" list)'
        )
    known = {f.name: f for f in existing.filters}
    plan = ImportPlan()
    seen: set[str] = set()
    for i, item in enumerate(items):
        at = KeyPath(path) / f"{FILTERS_KEY}[{i}]"
        try:
            candidate = _filter(item, at)
        except BadInputError as exc:
            plan.problems.append(str(exc))
            continue
        if candidate.name in seen:
            plan.problems.append(f"{at.where()}: filter {candidate.name!r} is in the file twice")
        elif candidate.name in known and known[candidate.name] != candidate:
            plan.problems.append(
                f"{at.where()}: filter {candidate.name!r} is already in {CONFIG_FILE} with "
                "another definition: remove it there to import this one"
            )
        elif candidate.name in known:
            plan.unchanged.append(candidate.name)
        else:
            plan.added.append(candidate)
        seen.add(candidate.name)
    return plan


def _filter(item: Any, at: KeyPath) -> MetricFilter:
    """One describe-metric-filters entry as a checked MetricFilter, its pattern compiled."""
    from ctlake.cloudwatch.patterns import PatternError, compile_pattern

    if not isinstance(item, dict):
        raise at.expected("a metric filter object", item)
    name = item.get("filterName")
    if not isinstance(name, str) or not name:
        raise (at / "filterName").expected("a non-empty string", name)
    transforms = item.get("metricTransformations")
    if not isinstance(transforms, list) or len(transforms) != 1:
        raise BadInputError(
            f"{(at / 'metricTransformations').where()} (filter {name!r}): expected a list of "
            "exactly one metric transformation"
        )
    transform = transforms[0] if isinstance(transforms[0], dict) else {}
    data: dict[str, Any] = {
        "name": name,
        "pattern": item.get("filterPattern"),
        "namespace": transform.get("metricNamespace"),
        "metric_name": transform.get("metricName"),
        "value": transform.get("metricValue"),
    }
    optional = {
        "default_value": transform.get("defaultValue"),
        "unit": transform.get("unit"),
        "log_group": item.get("logGroupName"),
        "dimensions": transform.get("dimensions"),
    }
    data.update({k: v for k, v in optional.items() if v is not None})
    result = metric_filter(data, at, FIELDS)
    try:
        compile_pattern(result.pattern)
    except PatternError as exc:
        raise BadInputError(f"{(at / 'filterPattern').where()} (filter {name!r}): {exc}") from None
    return result


def toml_text(filters: list[MetricFilter], source: Path) -> str:
    """The `[[metrics.filter]]` tables of `filters`, headed by a comment naming the file."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# imported by `ctlake metrics import` from {source.name} on {when}"]
    for f in filters:
        lines.append("[[metrics.filter]]")
        for key, value in f.to_toml().items():
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if "'" not in text and "\n" not in text and text.isprintable():
        return f"'{text}'"  # a literal string: patterns keep their quotes unescaped
    return json.dumps(text)  # JSON's escaping is valid TOML


def import_filters(lake_root: Path, source: Path) -> ImportPlan:
    """Add the metric filters of describe-metric-filters' JSON `source` to the lake's
    ctlake.toml; raises one BadInputError (after the plan's problems) when any is bad."""
    from ctlake.insights.records import atomic_write

    config = load(lake_root)
    plan = plan_import(source, read_json(source), config.metrics)
    if plan.problems or not plan.added:
        return plan
    path = lake_root / CONFIG_FILE
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = appended(old, toml_text(plan.added, source))
    _check_text(path, new)
    atomic_write(path, new.encode())
    load(lake_root)  # what was written loads
    return plan


def _check_text(path: Path, text: str) -> None:
    """The file's new text is TOML and its metrics section loads."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(
            f"{path}: the imported filters cannot be appended to this file ({exc}); "
            "add them by hand"
        ) from None
    MetricsConfig.from_toml(data.get("metrics", {}), KeyPath(path) / "metrics")
