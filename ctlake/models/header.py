"""A model file's header: YAML inside the first `/* */` comment.

    /*
    kind: incremental          # view | table | incremental | keyed
    time_column: minute        # incremental: the column the window [start, end) applies to
    lookback: 1h               # incremental: re-process this much before the high-water mark
    key: [sharedEventID]       # keyed: columns naming a group of rows recomputed together
    keys_from: insight_periods # keyed: the model with one row per key
    key_time: insightEnd       # keyed: column of keys_from, the latest input time of a key
    grain: [series_type, minute]   # columns that identify a row (checked unique)
    description: Calls and errors per series and minute.
    depends_on: [other_model]  # only where sqlglot cannot see the dependency
    */

Unknown keys, wrong types and missing required values are BadInputError naming the file
and the key: a typo must never make a model silently behave differently. `lookback` is a
duration as everywhere in ctlake (`0m`, `30m`, `1h`, `8d`); the old spellings (`30 minutes`,
a bare number of minutes) still read, with a deprecation line (`ctlake.durations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from ctlake.durations import parse_duration_or_old
from ctlake.errors import BadInputError

KINDS = ("view", "table", "incremental", "keyed")
KEYS = {
    "kind",
    "time_column",
    "lookback",
    "key",
    "keys_from",
    "key_time",
    "grain",
    "description",
    "depends_on",
}
KEYED_KEYS = ("key", "keys_from", "key_time")
_COMMENT = re.compile(r"\A\s*/\*(.*?)\*/", re.DOTALL)
# libyaml's safe loader when PyYAML was built with it: ten times faster, same results
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class ModelHeader:
    kind: str
    description: str
    time_column: str | None = None
    lookback: timedelta = timedelta(0)
    grain: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    key: tuple[str, ...] = ()
    keys_from: str | None = None
    key_time: str | None = None


def parse_header(path: Path, text: str) -> ModelHeader:
    """The validated header of the model file `path` whose content is `text`."""
    match = _COMMENT.match(text)
    if match is None:
        raise BadInputError(f"{path}: a model starts with a /* YAML header */ comment")
    try:
        data = yaml.load(match.group(1), Loader=_LOADER) or {}
    except yaml.YAMLError as exc:
        raise BadInputError(f"{path}: header is not valid YAML: {_one_line(exc)}") from exc
    if not isinstance(data, dict):
        raise BadInputError(f"{path}: header must be YAML key: value pairs")
    for key in data:
        if key not in KEYS:
            raise BadInputError(
                f"{path}: unknown header key {key!r} (expected one of: {', '.join(sorted(KEYS))})"
            )
    return _build(path, data)


def _build(path: Path, data: dict[str, Any]) -> ModelHeader:
    kind = data.get("kind")
    if kind not in KINDS:
        raise BadInputError(f"{path}: header key 'kind' must be one of {', '.join(KINDS)}")
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise BadInputError(f"{path}: header key 'description' is required (one sentence)")
    time_column = data.get("time_column")
    if time_column is not None and not isinstance(time_column, str):
        raise BadInputError(f"{path}: header key 'time_column' must be a column name")
    if kind == "incremental" and time_column is None:
        raise BadInputError(f"{path}: header key 'time_column' is required for incremental")
    _check_keyed(path, kind, data)
    return ModelHeader(
        kind=kind,
        description=" ".join(description.split()),
        time_column=time_column,
        lookback=parse_duration_or_old(
            data.get("lookback", "0m"), f"{path}: header key 'lookback'", zero=True
        ),
        grain=_names(data.get("grain", []), f"{path}: header key 'grain'"),
        depends_on=_names(data.get("depends_on", []), f"{path}: header key 'depends_on'"),
        key=_names(data.get("key", []), f"{path}: header key 'key'"),
        keys_from=data.get("keys_from"),
        key_time=data.get("key_time"),
    )


def _check_keyed(path: Path, kind: str, data: dict[str, Any]) -> None:
    """`key`, `keys_from` and `key_time` belong to keyed models, which need all three."""
    for name in KEYED_KEYS:
        present = data.get(name) not in (None, [], "")
        if kind == "keyed" and not present:
            raise BadInputError(f"{path}: header key {name!r} is required for keyed")
        if kind != "keyed" and name in data:
            raise BadInputError(f"{path}: header key {name!r} is only for kind keyed")
        if name != "key" and present and not isinstance(data[name], str):
            raise BadInputError(f"{path}: header key {name!r} must be a name")


def _names(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInputError(f"{where} must be a list of names")
    return tuple(value)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
