"""The insight thresholds: `<lake>/ctlake.toml`, table `[insights]`.

    [insights]
    rate_factor = 4.0             # a window must exceed 4x the baseline average ...
    [[insights.override]]         # per API: eventSource, optional eventName, any threshold
    eventSource = "ssm.amazonaws.com"
    min_count = 20
    [[insights.suppress]]         # never report these (every key optional, missing = any)
    eventSource = "s3.amazonaws.com"
    insightType = "ApiCallRateInsight"

Every value is checked here (unknown key or wrong type = BadInputError naming the file and
the key), so a typo never silently falls back to a default. The globals reach the models as
Jinja values; overrides and suppressions become the catalog tables `insight_overrides` and
`insight_suppressions`, which the SQL joins. The meaning of each threshold is documented in
`sql/README.md`.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctlake.errors import BadInputError

CONFIG_FILE = "ctlake.toml"

# name -> (default, type). Types are int or float; ints are accepted where floats are.
DEFAULTS: dict[str, tuple[float | int, type]] = {
    "learning_days": (1, int),  # no insight before the account has this many whole days
    "window_minutes": (5, int),  # rolling window the counts are summed over
    "rate_factor": (4.0, float),  # window sum must exceed this x baseline average x window
    "min_count": (10, int),  # ... and be at least this many calls/errors
    "time_of_day_factor": (2.0, float),  # ... and exceed this x the same-time-of-day level
    "time_of_day_days": (3, int),  # the level recurring on this many baseline days
    "time_of_day_slot_minutes": (30, int),  # same time of day = this slot or its neighbours
    "period_tolerance_minutes": (5, int),  # flagged minutes this close form one period
    "onset_gap_minutes": (0, int),  # Start moves back over elevated minutes this far apart
    "gap_factor": (4.0, float),  # a gap this x the longest usual interval is an insight
    "gap_min_per_day": (24, int),  # a series is periodic with this many active minutes/day
    "gap_min_minutes": (60, int),  # ... and a gap must last at least this long
}
AT_LEAST_ONE = {"window_minutes", "time_of_day_days", "time_of_day_slot_minutes"}
OVERRIDABLE = ("rate_factor", "min_count", "time_of_day_factor")
OVERRIDE_KEYS = {"eventSource", "eventName", *OVERRIDABLE}
SUPPRESS_KEYS = {
    "recipientAccountId",
    "awsRegion",
    "eventSource",
    "eventName",
    "insightType",
    "errorCode",
    "reason",
}


@dataclass(frozen=True)
class InsightConfig:
    """Validated thresholds, per-API overrides and suppressions."""

    values: dict[str, float | int] = field(default_factory=lambda: _defaults())
    overrides: list[dict[str, Any]] = field(default_factory=list)
    suppressions: list[dict[str, Any]] = field(default_factory=list)

    def digest(self) -> str:
        """A hash of everything: a model is rebuilt in full when its config changed."""
        text = json.dumps([self.values, self.overrides, self.suppressions], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _defaults() -> dict[str, float | int]:
    return {name: default for name, (default, _) in DEFAULTS.items()}


def load_config(lake_root: Path) -> InsightConfig:
    """The config of the lake at `lake_root` (defaults when it has no ctlake.toml)."""
    path = lake_root / CONFIG_FILE
    if not path.is_file():
        return InsightConfig()
    try:
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not valid TOML: {exc}") from exc
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], where: str) -> InsightConfig:
    """Validate the parsed TOML `data`; `where` names the file in errors."""
    from ctlake.config import SECTIONS  # the lake's config loader; it imports this module

    _only(data, set(SECTIONS), where, "")
    section = data.get("insights", {})
    if not isinstance(section, dict):
        raise BadInputError(f"{where}: [insights] must be a table")
    _only(section, {*DEFAULTS, "override", "suppress"}, where, "insights.")
    values = _defaults()
    for name, value in section.items():
        if name in DEFAULTS:
            values[name] = _number(value, DEFAULTS[name][1], where, f"insights.{name}")
            if name in AT_LEAST_ONE and values[name] < 1:
                raise BadInputError(f"{where}: insights.{name} must be at least 1")
    overrides = [
        _override(item, where, i) for i, item in enumerate(_tables(section, "override", where))
    ]
    seen: set[tuple[str, str | None]] = set()
    for index, row in enumerate(overrides):
        api = (row["eventSource"], row["eventName"])
        if api in seen:
            raise BadInputError(
                f"{where}: insights.override[{index}] repeats {api[0]} {api[1] or ''}"
            )
        seen.add(api)
    suppressions = [
        _suppression(item, where, i) for i, item in enumerate(_tables(section, "suppress", where))
    ]
    return InsightConfig(values, overrides, suppressions)


def _tables(section: dict[str, Any], name: str, where: str) -> list[dict[str, Any]]:
    items = section.get(name, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise BadInputError(f"{where}: insights.{name} must be an array of tables [[...]]")
    return items


def _override(item: dict[str, Any], where: str, index: int) -> dict[str, Any]:
    key = f"insights.override[{index}]"
    _only(item, OVERRIDE_KEYS, where, key + ".")
    if not isinstance(item.get("eventSource"), str):
        raise BadInputError(f"{where}: {key}.eventSource is required (a string)")
    row: dict[str, Any] = {"eventSource": item["eventSource"]}
    row["eventName"] = _text(item.get("eventName"), where, key + ".eventName")
    for name in OVERRIDABLE:
        value = item.get(name)
        row[name] = None if value is None else _number(value, DEFAULTS[name][1], where, name)
    return row


def _suppression(item: dict[str, Any], where: str, index: int) -> dict[str, Any]:
    key = f"insights.suppress[{index}]"
    _only(item, SUPPRESS_KEYS, where, key + ".")
    if not item:
        raise BadInputError(f"{where}: {key} is empty and would suppress every insight")
    return {name: _text(item.get(name), where, f"{key}.{name}") for name in sorted(SUPPRESS_KEYS)}


def _only(table: dict[str, Any], allowed: set[str], where: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise BadInputError(
                f"{where}: unknown key {prefix}{key} "
                f"(expected one of: {', '.join(sorted(allowed))})"
            )


def _number(value: Any, kind: type, where: str, key: str) -> float | int:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or (kind is int and not isinstance(value, int)) or value < 0:
        raise BadInputError(f"{where}: {key} must be a non-negative {kind.__name__}, got {value!r}")
    return float(value) if kind is float else int(value)


def _text(value: Any, where: str, key: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise BadInputError(f"{where}: {key} must be a string, got {value!r}")
    return value
