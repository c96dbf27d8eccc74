"""`-p key=value` text becomes typed values, and every mistake names the parameter."""

from __future__ import annotations

import datetime as dt

import pytest

from ctlake.errors import BadInputError
from ctlake.queries.params import Parameter, parse_assignments


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        ("string", "192.0.2.1", "192.0.2.1"),
        ("integer", "30", 30),
        ("integer", " 7 ", 7),
        ("number", "0.25", 0.25),
        ("boolean", "yes", True),
        ("boolean", "False", False),
        ("timestamp", "2024-05-01", dt.datetime(2024, 5, 1)),
        ("timestamp", "2024-05-01T12:30:00Z", dt.datetime(2024, 5, 1, 12, 30)),
        ("timestamp", "2024-05-01T12:30:00+02:00", dt.datetime(2024, 5, 1, 10, 30)),
        ("timestamp", "2024-05-01 12:30:00.250", dt.datetime(2024, 5, 1, 12, 30, 0, 250000)),
        ("date", "2024-05-01", dt.date(2024, 5, 1)),
        ("list", "us-east-1, eu-west-1", ["us-east-1", "eu-west-1"]),
        ("list", "", []),
    ],
)
def test_text_converts_to_the_declared_type(kind: str, text: str, value: object) -> None:
    assert Parameter("p", kind).convert(text) == value


def test_yaml_values_convert_too() -> None:
    assert Parameter("p", "list").convert(["AssumeRole", 3]) == ["AssumeRole", "3"]
    assert Parameter("p", "integer").convert(30) == 30
    assert Parameter("p", "timestamp").convert(dt.date(2024, 5, 1)) == dt.datetime(2024, 5, 1)


def test_now_and_today_are_utc_and_resolved_when_converted() -> None:
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    now = Parameter("until", "timestamp").convert("now")
    assert before <= now <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = Parameter("until", "timestamp").convert("today")
    assert today == now.replace(hour=0, minute=0, second=0, microsecond=0)
    assert Parameter("d", "date").convert("today") == dt.datetime.now(dt.UTC).date()


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("integer", "abc", "parameter p: expected an integer, got 'abc'"),
        ("integer", "1.5", "parameter p: expected an integer, got '1.5'"),
        ("number", "many", "parameter p: expected a number, got 'many'"),
        ("boolean", "maybe", "parameter p: expected a boolean (true/false), got 'maybe'"),
        ("timestamp", "yesterday", "parameter p: expected a timestamp (ISO time"),
        ("date", "2024-13-01", "parameter p: expected a date (YYYY-MM-DD or today)"),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_parameter_and_type(
    kind: str, text: str, message: str
) -> None:
    with pytest.raises(BadInputError) as error:
        Parameter("p", kind).convert(text)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_assignments_split_on_the_first_equals_sign() -> None:
    assert parse_assignments(["days=7", "filter=a=b", "empty="]) == {
        "days": "7",
        "filter": "a=b",
        "empty": "",
    }


def test_an_assignment_without_equals_sign_is_an_error() -> None:
    with pytest.raises(BadInputError, match="expected NAME=VALUE"):
        parse_assignments(["days"])


def test_describe_shows_type_and_default() -> None:
    assert Parameter("days", "integer", 30).describe() == "days (integer, default 30)"
    assert Parameter("ip", "string").describe() == "ip (string, required)"
    assert Parameter("r", "list", ["a", "b"]).describe() == "r (list, default a,b)"
