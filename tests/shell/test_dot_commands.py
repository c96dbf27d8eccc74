"""The shell's dot-commands and its error handling, driven through `Session.handle`."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ctlake.lake import Lake, reader
from ctlake.output import Format
from ctlake.shell import Session, Settings, seams


@pytest.fixture
def session(small_lake: Lake) -> Iterator[Session]:
    con = reader.connect(small_lake)
    yield Session(con, Settings(fmt=Format.CSV), err=io.StringIO())
    con.close()


def said(session: Session) -> str:
    assert isinstance(session.err, io.StringIO)
    return session.err.getvalue()


def test_tables_lists_the_catalog_and_the_events_view(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    session.handle(".tables")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "name,kind,columns"
    assert any(line.startswith("events,view,") for line in lines)
    assert any(line.startswith("quarantine,base table,") for line in lines)


def test_schema_shows_the_columns_of_a_table(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    session.handle(".schema events")
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["column,type,nullable", "eventVersion,VARCHAR,YES", lines[2]]
    assert "eventTime,TIMESTAMP,YES" in lines


def test_schema_of_an_unknown_table_is_an_error_naming_it(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    session.handle(".schema nosuch")
    session.handle(".schema event")
    assert said(session).splitlines() == [
        "error: .schema: no table or view named 'nosuch'; see .tables",
        "error: .schema: no table or view named 'event'; did you mean events?",
    ]
    assert capsys.readouterr().out == ""  # not an empty table


def test_an_error_is_one_line_and_the_session_goes_on(
    session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    session.handle("SELECT nope FROM events;")
    session.handle("SELECT 1 AS ok;")
    assert said(session).count("\n") == 1
    assert said(session).startswith('error: SQL error: Binder Error: Referenced column "nope"')
    assert capsys.readouterr().out == "ok\n1\n"
    assert not session.done


def test_mode_output_and_back_to_stdout(
    session: Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.jsonl"
    session.handle(f".mode jsonl\n.output {target}\nSELECT 1 AS a;\nSELECT 2 AS a;\n.output")
    session.handle("SELECT 3 AS a;")
    assert target.read_text() == '{"a":1}\n{"a":2}\n'
    assert capsys.readouterr().out == '{"a":3}\n'


def test_timer_reports_each_statement(session: Session) -> None:
    session.handle(".timer on\nSELECT 1;")
    assert said(session).startswith("Run Time: ")


def test_wrong_arguments_say_what_is_expected(session: Session) -> None:
    for line in (".mode xml", ".timer maybe", ".schema", ".dialect trino", ".bogus"):
        session.handle(line)
    assert said(session).splitlines() == [
        "error: .mode: expected one of table|csv|json|jsonl|parquet, got 'xml'",
        "error: .timer: expected on or off, got 'maybe'",
        "error: .schema: usage: .schema TABLE",
        "error: .dialect: expected duckdb, lake or logs-insights, got 'trino'",
        "error: unknown command .bogus (try .help)",
    ]


def test_quit_ends_the_session(session: Session) -> None:
    session.handle(".quit")
    assert session.done


def test_help_lists_every_command(session: Session) -> None:
    session.handle(".help")
    for command in (".tables", ".schema", ".mode", ".output", ".run", ".dialect", ".timer"):
        assert command in said(session)


def test_run_binds_a_saved_query_with_its_parameters(
    session: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[tuple[str, dict[str, str]]] = []

    def bind(name: str, args: dict[str, str]) -> tuple[str, dict[str, Any]]:
        calls.append((name, args))
        return "SELECT count(*) AS n FROM events WHERE eventName = $name", {"name": args["name"]}

    monkeypatch.setattr(seams, "bind_saved", bind)
    session.handle(".run by-name name=CreateUser")
    assert calls == [("by-name", {"name": "CreateUser"})]
    assert capsys.readouterr().out == "n\n5\n"


def test_run_needs_name_equals_value(session: Session) -> None:
    session.handle(".run q oops")
    assert said(session) == "error: .run: expected parameters as name=value, got 'oops'\n"


def test_lake_dialect_goes_through_the_translator(
    session: Session, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(seams, "to_duckdb", lambda sql, *place: sql.replace("$EDS_ID", "events"))
    session.handle(".dialect lake\nSELECT count(*) AS n FROM $EDS_ID;")
    assert capsys.readouterr().out == "n\n5\n"
