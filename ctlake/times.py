"""Times given on the command line (`--since`, `--until`, ...): one parser for every command.

ISO 8601 dates and date-times (offsets converted to UTC) or a span back from now, a
duration as everywhere in ctlake (`90m`, `12h`, `7d`, `2w`: `ctlake.durations`); the result
is a naive UTC datetime, like `events.eventTime`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ctlake.durations import read_duration
from ctlake.errors import BadInputError


def parse_time(text: str | None, option: str, now: datetime | None = None) -> datetime | None:
    """`text` as a naive UTC datetime: ISO 8601 (date or date-time) or `<n>s|m|h|d|w` ago."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    span = read_duration(value)
    if span is not None:
        moment = (now or datetime.now(UTC)) - span
        return moment.replace(tzinfo=None) if moment.tzinfo else moment
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadInputError(
            f"{option} {text!r}: expected a UTC time such as 2024-05-01, 2024-05-01T12:30Z "
            "or a span ago such as 90m, 12h, 7d"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed
