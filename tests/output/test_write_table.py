"""`write_result` in the table format: fitted to a terminal, whole in a pipe or a file,
and one line on stderr when a table is too wide for the terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from ctlake import output
from ctlake.output import Format, write_result

ARN = "arn:aws:sts::123456789012:assumed-role/" + "p" * 40 + "/role-session-Admin"
SQL = f"SELECT '{ARN}' AS principal, 123456789012345 AS calls"
WIDE = "SELECT " + ", ".join(f"'value number {n}' AS column_{n}" for n in range(9))


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_a_pipe_gets_every_value_whole(
    con: duckdb.DuckDBPyConnection, capsys: pytest.CaptureFixture[str]
) -> None:
    write_result(con, SQL, None, Format.TABLE)
    out, err = capsys.readouterr()
    assert out.splitlines()[2] == f"{ARN}  123456789012345"
    assert err == ""


def test_a_terminal_gets_the_table_fitted_to_its_width(
    con: duckdb.DuckDBPyConnection,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(output, "terminal_width", lambda: 60)
    write_result(con, SQL, None, Format.TABLE)
    out, err = capsys.readouterr()
    assert out.splitlines()[2] == "arn:aws:sts::…pppppppppp/role-session-Admin  123456789012345"
    assert err == ""


def test_a_table_too_wide_for_the_terminal_says_so_on_stderr(
    con: duckdb.DuckDBPyConnection,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(output, "terminal_width", lambda: 80)
    write_result(con, WIDE, None, Format.TABLE)
    out, err = capsys.readouterr()
    assert out.splitlines()[:3] == [
        "-[ 1 ]" + "-" * 74,
        "column_0  value number 0",
        "column_1  value number 1",
    ]
    assert err == (
        "table: 62 characters wider than the terminal, so each row is shown as a record; "
        "use -f csv or -f json for a row a line\n"
    )


def test_a_table_written_to_a_file_goes_there_whole(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(output, "terminal_width", lambda: 40)
    target = tmp_path / "out.txt"
    write_result(con, SQL, None, Format.TABLE, target)
    assert target.read_text().splitlines()[2] == f"{ARN}  123456789012345"
    assert capsys.readouterr() == ("", "")


def test_only_a_terminal_has_a_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False)
    assert output.terminal_width() is None
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert output.terminal_width() == 80


def test_csv_keeps_exact_amounts_where_the_table_shows_cents(
    con: duckdb.DuckDBPyConnection, capsys: pytest.CaptureFixture[str]
) -> None:
    sql = "SELECT CAST(0.878601 AS DECIMAL(18, 6)) AS insights_usd"
    write_result(con, sql, None, Format.CSV)
    write_result(con, sql, None, Format.TABLE)
    assert capsys.readouterr().out.splitlines() == [
        "insights_usd",
        "0.878601",
        "insights_usd",
        "------------",
        "       $0.88",
    ]
