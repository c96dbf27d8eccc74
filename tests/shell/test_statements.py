"""Statements end at a `;` outside quotes and comments; the shell knows an unfinished one."""

from __future__ import annotations

import pytest

from ctlake.shell.session import script_items
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
