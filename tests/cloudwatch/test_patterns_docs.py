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

from ctlake.cloudwatch.patterns import PatternError, compile_pattern, parse_pattern
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
    ("{ $.sourceIPAddress != 123.123.* }", {"trail"}),
    ('{ $.arrayKey[0] = "value" }', {"trail"}),
    ("{ $.eventType = %Trail% }", {"trail"}),
    ("{ $.arrayKey[*] = %val.{2}% }", {"trail"}),
    (r"{ $.* = %111\.111\.111\.1[0-9]{1,2}% }", {"trail"}),
    ("{ $.['cluster.name'] = \"c\" }", {"trail"}),
    ("{ $.SomeObject IS NULL }", {"trail"}),
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
