"""Typed parameters of saved queries: declaring them, and turning `-p key=value` text into
the Python values DuckDB binds.

A parameter has a name, a type and, unless it is required, a default. Types:

    string     any text
    integer    whole number (`30`)
    number     decimal number (`0.5`)
    boolean    true/false, yes/no, on/off, 1/0
    timestamp  an ISO time (`2024-05-01`, `2024-05-01T12:00:00Z`, `+02:00` offsets are
               converted to UTC), or `now` / `today` (UTC), resolved when the query runs
    date       an ISO date, or `today`
    list       comma-separated text (`us-east-1,eu-west-1`), bound as VARCHAR[]

Values are converted once, here, and bound by DuckDB (`$name`); they never become SQL
text. Every mistake is one line naming the parameter and its type, because that is what
the person typing `-p` needs to fix it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ctlake.errors import BadInputError

TYPES = ("string", "integer", "number", "boolean", "timestamp", "date", "list")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()  # the default of a parameter that must be given


@dataclass(frozen=True)
class Parameter:
    """One declared parameter. `default` is kept as written (`now` stays `now`) and is
    converted each time the query is bound."""

    name: str
    type: str
    default: Any = REQUIRED
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def convert(self, raw: Any) -> Any:
        """`raw` (text from the command line, or a YAML / Python value) as this type."""
        if raw is None:
            return None
        try:
            return _CONVERTERS[self.type](raw)
        except (ValueError, TypeError) as exc:
            raise BadInputError(
                f"parameter {self.name}: expected {_article(self.type)} {self.type}"
                f"{_FORMAT_HINT.get(self.type, '')}, got {raw!r}"
            ) from exc

    def default_value(self) -> Any:
        return None if self.required else self.convert(self.default)

    def describe(self) -> str:
        """`name (type, default 30)`: how `query show` and errors name a parameter."""
        default = "required" if self.required else f"default {_show(self.default)}"
        return f"{self.name} ({self.type}, {default})"


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`["days=7", "ip=192.0.2.1"]` -> `{"days": "7", "ip": "192.0.2.1"}`."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BadInputError(f"parameter {item!r}: expected NAME=VALUE (e.g. -p days=7)")
        values[name.strip()] = value
    return values


def _to_string(raw: Any) -> str:
    if isinstance(raw, dict | list):
        raise TypeError("not text")
    return str(raw)


def _to_integer(raw: Any) -> int:
    if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
        raise TypeError("not an integer")
    return int(raw.strip() if isinstance(raw, str) else raw)


def _to_number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise TypeError("not a number")
    return float(raw)


def _to_boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError("not a boolean")


def _to_timestamp(raw: Any) -> dt.datetime:
    """A naive UTC datetime, the type of `events.eventTime`."""
    if isinstance(raw, dt.datetime):
        parsed = raw
    elif isinstance(raw, dt.date):
        parsed = dt.datetime(raw.year, raw.month, raw.day)
    else:
        text = str(raw).strip()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if text.lower() == "now":
            return now
        if text.lower() == "today":
            return now.replace(hour=0, minute=0, second=0, microsecond=0)
        parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def _to_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if text.lower() == "today":
        return dt.datetime.now(dt.UTC).date()
    return dt.date.fromisoformat(text)


def _to_list(raw: Any) -> list[str]:
    if isinstance(raw, list | tuple):
        return [_to_string(item) for item in raw]
    return [part.strip() for part in str(raw).split(",") if part.strip()]


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "string": _to_string,
    "integer": _to_integer,
    "number": _to_number,
    "boolean": _to_boolean,
    "timestamp": _to_timestamp,
    "date": _to_date,
    "list": _to_list,
}
_FORMAT_HINT = {
    "timestamp": " (ISO time such as 2024-05-01T12:00:00Z, or now/today)",
    "date": " (YYYY-MM-DD or today)",
    "boolean": " (true/false)",
    "list": " (comma-separated values)",
}


def _article(type_name: str) -> str:
    return "an" if type_name[0] in "aeiou" else "a"


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value) or "(empty)"
    if value is None:
        return "null"
    return str(value)
