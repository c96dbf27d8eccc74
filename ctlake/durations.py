"""Durations, one syntax everywhere: a whole number and a unit, `30s`, `5m`, `2h`, `7d`, `2w`.

ctlake.toml (`schedule.every`, `reports.query.every`), the model headers (`lookback`) and
the command line (`--every`, `--period`, `--since 7d`) all read durations here. Model headers
used to spell them out (`30 minutes`, `1 hour`, `8 days`, or a bare number of minutes); those
still read, with one deprecation line on stderr naming the file, the key and the new spelling.
"""

from __future__ import annotations

import re
import sys
from datetime import timedelta
from typing import Any

from ctlake.errors import BadInputError

EXAMPLES = "30s, 5m, 2h, 7d or 2w"
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_OLD = re.compile(r"^\s*(\d+)\s*(second|minute|hour|day|week)s?\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_warned: set[str] = set()  # deprecation lines already shown by this process


def read_duration(text: str) -> timedelta | None:
    """`text` as a timedelta when it is `<n><unit>`, else None."""
    match = _DURATION.match(text)
    if match is None:
        return None
    return timedelta(seconds=int(match.group(1)) * _SECONDS[match.group(2)])


def parse_duration(value: Any, where: str, *, zero: bool = False) -> timedelta:
    """`value` as a timedelta; `where` names it in the error (`<file>: <key>`). A zero
    duration is an error unless `zero`."""
    found = read_duration(value) if isinstance(value, str) else None
    if found is None or (not found and not zero):
        hint = _old_spelling(value)
        written = f" (write {format_duration(hint)})" if hint is not None else ""
        raise BadInputError(
            f"{where}: expected a duration such as {EXAMPLES}, got {value!r}{written}"
        )
    return found


def parse_duration_or_old(value: Any, where: str, *, zero: bool = False) -> timedelta:
    """As `parse_duration`, but an old spelling (`30 minutes`, or a bare number of minutes)
    is read too, with one deprecation line on stderr saying how to write it now."""
    old = None if isinstance(value, str) and read_duration(value) else _old_spelling(value)
    if old is None or (not old and not zero):
        return parse_duration(value, where, zero=zero)
    line = f"warning: {where}: {value!r} is deprecated, write {format_duration(old)}"
    if line not in _warned:
        _warned.add(line)
        print(line, file=sys.stderr, flush=True)
    return old


def format_duration(value: timedelta) -> str:
    """A timedelta as the shortest duration text `parse_duration` reads back."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s" if seconds else "0m"


def _old_spelling(value: Any) -> timedelta | None:
    """A duration in the spelling model headers used to take: `30 minutes`, `1 hour`, or a
    whole number of minutes."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return timedelta(minutes=value)
    match = _OLD.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    unit = match.group(2)[0]
    return timedelta(seconds=int(match.group(1)) * _SECONDS[unit])
