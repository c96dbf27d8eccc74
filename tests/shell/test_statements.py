"""Statements end at a `;` outside quotes and comments; the shell knows an unfinished one."""

from __future__ import annotations

import re

import pytest

from ctlake.errors import BadInputError
from ctlake.shell.session import script_items, script_parts
from ctlake.shell.statements import is_complete, split_statements


def test_semicolons_split_statements_and_the_tail_is_kept() -> None:
    split = split_statements("SELECT 1; SELECT 2;\nSELECT")
    assert split.statements == ["SELECT 1", "SELECT 2"]
    assert split.rest == "\nSELECT"


@pytest.mark.parametrize(
    "text",
    [
        "SELECT 'a;b' AS s;",
        'SELECT 1 AS "x;y";',
        "SELECT 'it''s; fine';",
        "SELECT 1 -- not the end;\n;",
        "SELECT /* ; */ 1;",
    ],
)
def test_a_semicolon_in_quotes_or_comments_does_not_end_a_statement(text: str) -> None:
    assert len(split_statements(text).statements) == 1


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("", True),
        ("SELECT 1", False),
        ("SELECT 1;", True),
        ("SELECT 1;  -- done", True),
        ("SELECT 'open;", False),
        ("SELECT 1\nFROM t;\n", True),
    ],
)
def test_a_statement_is_complete_once_a_semicolon_ends_it(text: str, complete: bool) -> None:
    assert is_complete(text) is complete


def test_a_script_mixes_dot_commands_and_statements_in_order() -> None:
    text = ".mode csv\nSELECT 1;\nSELECT\n  2;\n.timer on\nSELECT 3"
    assert list(script_items(text)) == [
        ".mode csv",
        "SELECT 1",
        "SELECT\n  2",
        ".timer on",
        "SELECT 3",
    ]


def test_a_dot_inside_a_statement_is_sql_not_a_command() -> None:
    assert list(script_items("SELECT\n.5 AS x;")) == ["SELECT\n.5 AS x"]


HEADER = "/* \nThis query lists things.\nReplace <EDS ID> with your store; or not.\n*/\n"


def test_a_leading_multi_line_comment_is_read_whole_before_the_statement() -> None:
    assert list(script_items(HEADER + "\nSELECT 1")) == ["SELECT 1"]
    assert list(script_items(HEADER + "SELECT 1;\nSELECT 2;")) == ["SELECT 1", "SELECT 2"]
    assert list(script_items(HEADER[:-1] + " SELECT 1")) == [HEADER[:-1] + " SELECT 1"]


def test_comments_before_inside_and_after_a_statement_stay_comments() -> None:
    text = "-- first\n-- second; still a comment\nSELECT 1 -- one\n  /* two;\n */ + 1;\n-- after;\n"
    assert list(script_items(text)) == ["SELECT 1 -- one\n  /* two;\n */ + 1"]


def test_a_dot_line_inside_a_comment_or_a_string_is_not_a_command() -> None:
    text = "/*\n.mode csv\n*/ SELECT 1;\nSELECT '\n.tables\n';"
    assert list(script_items(text)) == ["/*\n.mode csv\n*/ SELECT 1", "SELECT '\n.tables\n'"]


@pytest.mark.parametrize(
    "text", ["/* open", "/* \nThis query", "SELECT 1; /* note", "SELECT 1 /* a */ /* b"]
)
def test_an_open_comment_is_not_complete(text: str) -> None:
    assert is_complete(text) is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT 1;\nSELECT 2 /* never\nclosed", "the /* at line 2, column 10 has no closing */"),
        ("SELECT 1;\n\n  SELECT 'x", "unclosed quote: the ' at line 3, column 10 has no closing '"),
        ('SELECT "a', """unclosed quote: the " at line 1, column 8 has no closing \""""),
    ],
)
def test_a_comment_or_quote_left_open_at_the_end_is_an_error_naming_it(
    text: str, message: str
) -> None:
    with pytest.raises(BadInputError, match=re.escape(message)):
        list(script_items(text))


def test_each_statement_knows_where_it_starts_in_the_script() -> None:
    parts = list(script_parts("-- c\nSELECT 1; SELECT\n 2;\n.mode csv\n  SELECT 3"))
    assert [(p.text, p.line, p.column) for p in parts] == [
        ("SELECT 1", 2, 1),
        ("SELECT\n 2", 2, 11),
        (".mode csv", 4, 1),
        ("SELECT 3", 5, 3),
    ]
