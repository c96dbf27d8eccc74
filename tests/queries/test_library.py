"""Saved query files: headers are checked, parameters are declared exactly as used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ctlake.errors import BadInputError
from ctlake.queries import SavedQuery, load_queries, load_query, parse_query

QUERIES = load_queries()
REQUIRED_QUERIES = [
    "iam-users-created",
    "api-calls-from-ip",
    "console-signin-failures",
    "console-logins-without-mfa",
    "root-account-activity",
    "access-keys-created",
    "kms-keys-external-origin",
    "rds-instances-created",
    "rds-instances-modified",
    "top-api-calls",
    "throttled-calls",
    "access-denied",
    "long-assume-role-sessions",
    "critical-changes",
    "cross-account-access",
    "calls-outside-allowed-regions",
    "top-errors",
    "insights-top-identities",
    "principal-timeline",
]
GOOD_HEADER = """/*
description: Users created.
tags: [iam]
parameters:
  days:
    type: integer
    default: 30
  who:
    type: string
*/
SELECT * FROM events WHERE eventTime > now() - CAST($days AS INTEGER) * INTERVAL 1 DAY
    AND userIdentity.userName = $who;
"""


def write(tmp_path: Path, text: str, name: str = "q.sql") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_library_ships_at_least_thirty_queries_including_the_asked_for_ones() -> None:
    assert len(QUERIES) >= 30
    assert set(REQUIRED_QUERIES) <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_parameters_a_query_uses_are_exactly_those_it_declares(name: str) -> None:
    query = QUERIES[name]
    assert query.placeholders == {p.name for p in query.parameters}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_time_bounded_queries_state_only_their_event_time_window(name: str) -> None:
    query = QUERIES[name]
    if "until" in query.placeholders and "events" in query.tables:
        assert "eventTime >=" in query.sql and "eventDate BETWEEN" not in query.sql
        assert "eventDate >= CAST(CAST(" in query.runnable_sql  # what bind gives to run
    if "until" in query.placeholders:
        assert {"days", "until"} <= query.placeholders
        assert query.parameter("until").default == "now"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_a_query_ends_without_a_line_comment_so_it_can_be_wrapped(name: str) -> None:
    assert "--" not in QUERIES[name].sql.splitlines()[-1]


def test_a_header_is_parsed_into_description_tags_and_typed_parameters(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, GOOD_HEADER, "users.sql"))
    assert (query.name, query.description, query.tags) == ("users", "Users created.", ("iam",))
    assert [p.describe() for p in query.parameters] == [
        "days (integer, default 30)",
        "who (string, required)",
    ]
    assert query.sql.startswith("SELECT") and not query.sql.endswith(";")


def test_bind_converts_text_fills_defaults_and_adds_the_partition_bounds(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, GOOD_HEADER))
    sql, params = query.bind({"who": "bob"})
    assert "$who" in sql and "bob" not in sql
    assert sql == (
        "SELECT * FROM events WHERE (eventTime > NOW() - CAST($days AS INT) * INTERVAL '1' DAY "
        "AND userIdentity.userName = $who) AND eventDate >= "
        "CAST(CAST(NOW() - CAST($days AS INT) * INTERVAL '1' DAY AS TIMESTAMP) AS DATE)"
    )
    assert params == {"days": 30, "who": "bob"}
    assert query.bind({"who": "bob", "days": "7"})[1]["days"] == 7


def test_bind_names_a_missing_parameter_and_its_type(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, GOOD_HEADER))
    with pytest.raises(BadInputError, match=r"missing parameter who \(string\); give -p who="):
        query.bind({})


def test_bind_names_an_unknown_parameter_and_lists_the_known_ones(tmp_path: Path) -> None:
    query = parse_query(write(tmp_path, GOOD_HEADER))
    with pytest.raises(BadInputError, match=r"no parameter 'dayz'; it takes days \(integer"):
        query.bind({"who": "bob", "dayz": "1"})


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("description: x\nowner: me", "unknown header key 'owner'"),
        (
            "description: x\nparameters:\n  d:\n    type: integer\n    dflt: 1",
            "unknown key of parameter d: 'dflt'",
        ),
        ("description: x\nparameters:\n  d:\n    type: int", "type 'int' is not one of string"),
        (
            "description: x\nparameters:\n  d:\n    type: integer\n    default: lots",
            "default of parameter d: expected an integer",
        ),
        ("tags: [x]", "header key description: expected a sentence"),
        ("description: x\ntags: iam", "header key tags: expected a list"),
        ("description: [unclosed", "header is not valid YAML"),
    ],
)
def test_a_bad_header_is_an_error_naming_the_file_and_key(
    tmp_path: Path, header: str, message: str
) -> None:
    path = write(tmp_path, f"/*\n{header}\n*/\nSELECT 1")
    with pytest.raises(BadInputError) as error:
        parse_query(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_a_file_without_a_header_or_sql_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="no header"):
        parse_query(write(tmp_path, "SELECT 1"))
    with pytest.raises(BadInputError, match="no SQL after the header"):
        parse_query(write(tmp_path, "/*\ndescription: x\n*/\n"))


def test_an_optional_parameter_defaults_to_null(tmp_path: Path) -> None:
    text = (
        "/*\ndescription: x\nparameters:\n  a:\n    type: string\n    default: null\n*/\nSELECT $a"
    )
    assert parse_query(write(tmp_path, text)).bind()[1] == {"a": None}


def test_tables_lists_what_the_query_reads_without_its_ctes() -> None:
    assert QUERIES["new-api-calls"].tables == {"events"}
    assert QUERIES["insights-top-identities"].tables == {"insight_events", "insight_attributions"}


def test_load_query_suggests_close_names() -> None:
    with pytest.raises(BadInputError, match="did you mean top-api-calls"):
        load_query("top-api-call")


def test_until_defaults_to_now_so_reports_can_be_rerun_on_old_logs() -> None:
    query: SavedQuery = QUERIES["iam-users-created"]
    params = query.bind()[1]
    assert params["days"] == 30
    assert abs(params["until"] - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds() < 60
    assert query.bind({"until": "2024-05-08"})[1]["until"] == dt.datetime(2024, 5, 8)
