"""Every example of AWS's "Filter pattern syntax for metric filters, subscription filters,
filter log events, and Live Tail" page, on the page's own example events: the SQL predicate
matches the events the page says it matches, and the reference matcher agrees.

Each example log event is a record of `events` (the unstructured ones as a record whose
only text is the message, so a term search sees nothing else that would match).
"""

from __future__ import annotations

from typing import Any

import duckdb
import orjson
import pytest

from ctlake.cloudwatch.patterns import (
    PatternError,
    compile_pattern,
    parse_pattern,
    text_expression,
    value_expression,
)
from tests.cloudwatch.events import events_table
from tests.cloudwatch.matcher import matches

# "JSON log event" of the page (the strings and numbers section).
TRAIL = {
    "eventType": "UpdateTrail",
    "sourceIPAddress": "111.111.111.111",
    "arrayKey": ["value", "another value"],
    "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
    "SomeObject": None,
    "cluster.name": "c",
}
# "JSON object" of the compound-expression section.
USERS = {
    "user": {"id": 1, "email": "John.Stiles@example.com"},
    "users": [
        {"id": 2, "email": "John.Doe@example.com"},
        {"id": 3, "email": "Jane.Doe@example.com"},
    ],
    "actions": ["GET", "PUT", "DELETE"],
    "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
}
# The numeric examples name fields of no example event: one event that satisfies each.
NUMBERS = {
    "bandwidth": 80,
    "latency": 20,
    "refreshRate": 60,
    "responseTime": 5,
    "errorCode": 400,
    "number": [1000],
}
# "Using values in log events to increment a metric's value" (the page's earlier version).
LATENCY = {"latency": 50, "requestType": "GET"}
MESSAGES = [
    "[ERROR 400] BAD REQUEST",
    "[ERROR 401] UNAUTHORIZED REQUEST",
    "[ERROR 419] MISSING ARGUMENTS",
    "[ERROR 420] INVALID ARGUMENTS",
    "[ERROR 500] INTERNAL SERVER ERROR",
    "[SUCCESS 200] AUTHORIZED REQUEST",
    "[INFO] REQUEST FAILED",
    "[WARN] UNAUTHORIZED REQUEST",
]
EVENTS: dict[str, dict[str, Any]] = {
    "trail": TRAIL,
    "users": USERS,
    "numbers": NUMBERS,
    "latency": LATENCY,
    **{f"message{n}": {"m": message} for n, message in enumerate(MESSAGES)},
}
M = [f"message{n}" for n in range(len(MESSAGES))]

# (pattern, the events it matches), in the page's order.
EXAMPLES: list[tuple[str, set[str]]] = [
    ("%AUTHORIZED%", {M[1], M[5], M[7]}),
    ("ERROR", {M[0], M[1], M[2], M[3], M[4]}),
    ("ERROR ARGUMENTS", {M[2], M[3]}),
    ("?ERROR ?ARGUMENTS", {M[0], M[1], M[2], M[3], M[4]}),
    ("?ERROR ?ARGUMENTS REQUEST", {M[0], M[1], M[5], M[6], M[7]}),
    ('"INTERNAL SERVER ERROR"', {M[4]}),
    ("ERROR -ARGUMENTS", {M[0], M[1], M[4]}),
    ('" "', set(EVENTS)),
    ('{ $.eventType = "UpdateTrail" }', {"trail"}),
    ("{ $.bandwidth > 75 }", {"numbers"}),
    ("{ $.latency < 50 }", {"numbers"}),
    ("{ $.refreshRate >= 60 }", {"numbers"}),
    ("{ $.responseTime <= 5 }", {"numbers"}),
    ("{ $.errorCode = 400}", {"numbers"}),
    ("{ $.errorCode != 500 }", {"numbers"}),
    ("{ $.number[0] = 1e+3 }", {"numbers"}),
    ("{ $.number[0] != 1e-3 }", {"numbers"}),
    # the same two with their signs swapped, as the page's earlier version had them
    ("{ $.number[0] = 1e-3 }", set()),
    ("{ $.number[0] != 1e+3 }", set()),
    ("{ $.sourceIPAddress != 123.123.* }", {"trail"}),
    ('{ $.arrayKey[0] = "value" }', {"trail"}),
    ("{ $.objectList[1].id = 2 }", {"trail"}),
    ("{ $.eventType = %Trail% }", {"trail"}),
    ("{ $.arrayKey[*] = %val.{2}% }", {"trail"}),
    (r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }", {"trail"}),
    ("{ $.['cluster.name'] = \"c\" }", {"trail"}),
    ("{ $.SomeObject IS NULL }", {"trail"}),
    ('{ $.eventType = "*" && $.sourceIPAddress != 123.123.* }', {"trail"}),
    ("{ $.latency = * }", {"numbers", "latency"}),
    ("{ $.SomeOtherObject NOT EXISTS }", set(EVENTS)),
    ('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', {"users"}),
    (
        '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch"'
        ' && $.actions[2] = "nonmatch" }',
        {"users"},
    ),
    (
        '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch")'
        ' && $.actions[2] = "nonmatch" }',
        set(),
    ),
    ('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', set()),
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return events_table([{"eventID": name, **record} for name, record in EVENTS.items()])


@pytest.mark.parametrize(("pattern", "expected"), EXAMPLES, ids=[p for p, _ in EXAMPLES])
def test_the_documented_example_matches_the_documented_events(
    con: duckdb.DuckDBPyConnection, pattern: str, expected: set[str]
) -> None:
    where = compile_pattern(pattern).sql("duckdb")
    found = {row[0] for row in con.execute(f"SELECT eventID FROM events WHERE {where}").fetchall()}
    assert found == expected


@pytest.mark.parametrize(("pattern", "expected"), EXAMPLES, ids=[p for p, _ in EXAMPLES])
def test_the_reference_matcher_reads_the_documentation_the_same_way(
    con: duckdb.DuckDBPyConnection, pattern: str, expected: set[str]
) -> None:
    rows = con.execute("SELECT eventID, eventJson FROM events").fetchall()
    parsed = parse_pattern(pattern)
    found = {name for name, text in rows if matches(parsed, orjson.loads(text), text)}
    assert found == expected


def test_the_documented_metric_value_and_dimension_read_the_example_events(
    con: duckdb.DuckDBPyConnection,
) -> None:
    value = value_expression("$.latency").sql("duckdb")
    dimension = text_expression("$.eventType").sql("duckdb")
    where = compile_pattern("{ $.latency = * }").sql("duckdb")
    rows = con.execute(f"SELECT eventID, {value} FROM events WHERE {where} ORDER BY 1").fetchall()
    assert rows == [("latency", 50.0), ("numbers", 20.0)]
    named = con.execute(f"SELECT {dimension} FROM events WHERE eventID = 'trail'").fetchall()
    assert named == [("UpdateTrail",)]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{ $.SomeObject IS NOT NULL }", "unexpected 'NOT'"),
        ("{ $.SomeObject EXISTS }", "unexpected 'EXISTS'"),
        ("%something!%", "'!' is not allowed in a CloudWatch regex"),
        ("{ $.a = %x% && $.b = %y% && $.c = %z% }", "3 %regex% values"),
        ("{ $.a[*].b[*] = 1 }", "has 2 wildcards"),
        ("{ $.a[*] = 1 || $.b[*] = 1 || $.c.* = 1 || $.* = 1 }", "4 wildcard selectors"),
        ("[w1=ERROR, w2]", "space-delimited patterns"),
    ],
)
def test_what_the_page_says_is_not_supported_is_refused(pattern: str, message: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    assert message in str(caught.value)


# The page's "Supported regular expressions" examples: (regex, values it matches, values
# it does not), tried as `{ $.m = %regex% }` so that ^ and $ anchor at the value.
REGEXES: list[tuple[str, list[str], list[str]]] = [
    ("^[hc]at", ["hat", "cat"], ["that", "bat"]),
    ("[hc]at$", ["hat", "cat"], ["hats"]),
    ("colou?r", ["color", "colour"], ["colr"]),
    ("[abc]", ["a", "b", "c"], ["x"]),
    ("[a-z]", ["q"], ["Q", "7"]),
    ("[abcx-z]", ["a", "b", "c", "x", "y", "z"], ["d", "w"]),
    ("a{3,5}", ["aaa", "aaaa", "aaaaa"], ["aa"]),
    ("gra|ey", ["gray", "grey"], ["gry"]),
    (
        "^starting|^initializing|^shutting down",
        ["starting up", "initializing cache", "shutting down"],
        ["skipping initializing cache"],
    ),
    (r"\[.\]", ["[a]", "[b]", "[7]", "[@]", "[]]", "[ ]"], ["[]", "a"]),
    (r"10\.10\.0\.1", ["10.10.0.1"], ["10010,051"]),
    ("10.10.0.1", ["10.10.0.1", "10010,051"], ["10.10"]),
    ("ab*c", ["ac", "abc", "abbbc"], ["ab"]),
    ("ab[0-9]*", ["ab", "ab0", "ab129"], ["a"]),
    ("ab+c", ["abc", "abbc", "abbbc"], ["ac"]),
    (".at", ["hat", "cat", "bat", "4at", "#at", " at"], ["at"]),
    (r"\d", ["7"], ["x"]),
    (r"\D", ["x"], ["7"]),
    (r"\s", ["a b"], ["ab"]),
    (r"\S", ["a"], [" "]),
    (r"\w", ["a", "_", "0"], ["-"]),
    (r"\W", ["-"], ["a"]),
    (r"\x3A", [":"], ["x"]),
]


@pytest.mark.parametrize(("regex", "matched", "missed"), REGEXES, ids=[r for r, *_ in REGEXES])
def test_the_documented_regex_matches_what_the_page_says(
    regex: str, matched: list[str], missed: list[str]
) -> None:
    values = [*matched, *missed]
    con = events_table([{"eventID": str(n), "m": value} for n, value in enumerate(values)])
    where = compile_pattern(f"{{ $.m = %{regex}% }}").sql("duckdb")
    found = {int(r[0]) for r in con.execute(f"SELECT eventID FROM events WHERE {where}").fetchall()}
    assert {values[n] for n in found} == set(matched)
