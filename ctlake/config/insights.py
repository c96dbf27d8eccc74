"""`[insights]`: the thresholds of the insight models, per-API overrides and suppressions.

    [insights]
    rate_factor = 4.0             # a window must exceed 4x the baseline average ...
    [[insights.override]]         # per API: eventSource, optional eventName, any threshold
    eventSource = "ssm.amazonaws.com"
    min_count = 20
    [[insights.suppress]]         # never report these (every key optional, missing = any)
    eventSource = "s3.amazonaws.com"
    insightType = "ApiCallRateInsight"

The globals reach the models as Jinja values; overrides and suppressions become the catalog
tables `insight_overrides` and `insight_suppressions`, which the SQL joins. The meaning of
each threshold is documented in `sql/README.md`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ctlake.config.keys import KeyPath, number, only, optional_string, table, tables

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


def _defaults() -> dict[str, float | int]:
    return {name: default for name, (default, _) in DEFAULTS.items()}


@dataclass(frozen=True)
class InsightConfig:
    """Validated thresholds, per-API overrides and suppressions."""

    values: dict[str, float | int] = field(default_factory=_defaults)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    suppressions: list[dict[str, Any]] = field(default_factory=list)

    def digest(self) -> str:
        """A hash of everything: a model is rebuilt in full when its config changed."""
        text = json.dumps([self.values, self.overrides, self.suppressions], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> InsightConfig:
        data = table(value, path)
        only(data, {*DEFAULTS, "override", "suppress"}, path)
        values = _defaults()
        for name, given in data.items():
            if name in DEFAULTS:
                values[name] = _threshold(name, given, path / name)
        overrides = [
            _override(item, path / "override" / i)
            for i, item in enumerate(tables(data.get("override", []), path / "override"))
        ]
        _check_unique(overrides, path / "override")
        suppressions = [
            _suppression(item, path / "suppress" / i)
            for i, item in enumerate(tables(data.get("suppress", []), path / "suppress"))
        ]
        return cls(values, overrides, suppressions)

    def to_toml(self) -> dict[str, Any]:
        """Every threshold in effect, and the overrides and suppressions as written."""

        def given(row: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in row.items() if v is not None}

        shown: dict[str, Any] = dict(self.values)
        if self.overrides:
            shown["override"] = [given(row) for row in self.overrides]
        if self.suppressions:
            shown["suppress"] = [given(row) for row in self.suppressions]
        return shown


def _threshold(name: str, value: Any, path: KeyPath) -> float | int:
    whole = DEFAULTS[name][1] is int
    return number(value, path, least=1 if name in AT_LEAST_ONE else 0, whole=whole)


def _override(item: dict[str, Any], path: KeyPath) -> dict[str, Any]:
    only(item, OVERRIDE_KEYS, path)
    source = item.get("eventSource")
    if not isinstance(source, str) or not source:
        what = "the eventSource these thresholds apply to (a string)"
        if source is None:
            raise (path / "eventSource").expected(what)
        raise (path / "eventSource").expected(what, source)
    row: dict[str, Any] = {"eventSource": source}
    row["eventName"] = optional_string(item, "eventName", path)
    for name in OVERRIDABLE:
        row[name] = None if item.get(name) is None else _threshold(name, item[name], path / name)
    return row


def _check_unique(overrides: list[dict[str, Any]], path: KeyPath) -> None:
    seen: dict[tuple[str, str | None], int] = {}
    for index, row in enumerate(overrides):
        api = (row["eventSource"], row["eventName"])
        if api in seen:
            named = " ".join(a for a in api if a)
            raise (path / index).problem(
                f"repeats {named} ({path / seen[api]}): expected one override per API"
            )
        seen[api] = index


def _suppression(item: dict[str, Any], path: KeyPath) -> dict[str, Any]:
    only(item, SUPPRESS_KEYS, path)
    if not item:
        keys = ", ".join(sorted(SUPPRESS_KEYS))
        raise path.expected(f"at least one of {keys} (an empty one would suppress everything)")
    return {name: optional_string(item, name, path) for name in sorted(SUPPRESS_KEYS)}
