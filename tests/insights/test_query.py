"""Time options of `ctlake insights list`: absolute UTC times and spans ago."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ctlake.errors import BadInputError
from ctlake.times import parse_time

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01", datetime(2024, 5, 1)),
        ("2024-05-01T12:30Z", datetime(2024, 5, 1, 12, 30)),
        ("2024-05-01T14:30:00+02:00", datetime(2024, 5, 1, 12, 30)),
        ("90m", datetime(2024, 5, 10, 10, 30)),
        ("12h", datetime(2024, 5, 10, 0, 0)),
        ("7d", datetime(2024, 5, 3, 12, 0)),
        ("1w", datetime(2024, 5, 3, 12, 0)),
    ],
)
def test_times_are_naive_utc(text: str, expected: datetime) -> None:
    assert parse_time(text, "--since", now=NOW) == expected


def test_no_time_is_no_filter() -> None:
    assert parse_time(None, "--since") is None


def test_a_bad_time_names_the_option() -> None:
    with pytest.raises(BadInputError, match=r"^--until 'soon': expected a UTC time"):
        parse_time("soon", "--until")
