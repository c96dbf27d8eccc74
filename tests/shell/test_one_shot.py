"""`ctlake sql` one-shot: -c, a FILE, piped stdin; formats, --output, and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from ctlake.errors import ExitCode
from ctlake.lake import Lake
from tests.shell.conftest import exit_code, run

COUNT = "SELECT eventName, count(*) AS n FROM events GROUP BY 1"


def test_dash_c_writes_csv_to_stdout(small_lake: Lake) -> None:
    result = run(small_lake, "sql", "-c", COUNT, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "eventName,n\nCreateUser,5\n"


def test_dash_c_runs_each_statement_in_order(small_lake: Lake) -> None:
    result = run(small_lake, "sql", "-f", "jsonl", "-c", "SELECT 1 AS a; SELECT 'x;y' AS b;")
    assert [orjson.loads(line) for line in result.stdout.splitlines()] == [{"a": 1}, {"b": "x;y"}]


def test_a_file_of_statements_runs_like_dash_c(small_lake: Lake, tmp_path: Path) -> None:
    script = tmp_path / "q.sql"
    script.write_text("-- the users\nSELECT count(*) AS n\nFROM events;\n")
    result = run(small_lake, "sql", str(script), "--format", "csv")
    assert result.stdout == "n\n5\n"


def test_piped_stdin_runs_statements_and_dot_commands(small_lake: Lake) -> None:
    stdin = ".mode json\nSELECT count(*) AS n FROM events;\n.mode csv\nSELECT 2 AS m;\n"
    result = run(small_lake, "sql", stdin=stdin)
    assert result.exit_code == 0, result.output
    assert result.stdout == '[\n\t{"n":5}\n]\nm\n2\n'


def test_output_file_holds_every_result(small_lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "out" / "r.csv"
    result = run(
        small_lake, "sql", "-f", "csv", "-o", str(target), "-c", "SELECT 1 AS a; SELECT 2 AS b"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text() == "a\n1\nb\n2\n"
    assert result.stderr == f"sql: wrote 2 rows to {target}\n"


def test_each_output_file_gets_its_line(small_lake: Lake, tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    script = (
        f"SELECT 1 AS a;\n.output {second}\nSELECT * FROM events;\n"
        "CREATE TEMP TABLE t AS SELECT 1;\n"  # no rows: counted as none
    )
    result = run(small_lake, "sql", "-f", "csv", "-o", str(first), "-c", script)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"sql: wrote 1 row to {first}",
        f"sql: wrote 5 rows to {second}",
    ]


def test_parquet_output_is_written_by_duckdb(small_lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "r.parquet"
    result = run(small_lake, "sql", "-f", "parquet", "-o", str(target), "-c", f"SELECT 1; {COUNT}")
    assert target.read_bytes()[:4] == b"PAR1"
    assert result.stderr == f"sql: wrote 1 row to {target}\n"  # the last result, alone


def test_a_bad_statement_exits_3_naming_the_statement(small_lake: Lake) -> None:
    result = run(small_lake, "sql", "-c", "SELECT 1; SELEC 2; SELECT 3")
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert "-c: statement 2: SQL error: Parser Error" in str(result.exception)


def test_statements_that_return_nothing_are_run_quietly_in_csv(small_lake: Lake) -> None:
    sql = "CREATE TEMP TABLE t AS SELECT 7 AS v; SELECT v FROM t"
    result = run(small_lake, "sql", "-f", "csv", "-c", sql)
    assert result.stdout == "v\n7\n"


def test_an_unknown_dialect_is_bad_input(small_lake: Lake) -> None:
    result = run(small_lake, "sql", "--dialect", "mysql", "-c", "SELECT 1")
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert "--dialect: expected duckdb, lake, logs-insights" in str(result.exception)


def test_a_missing_file_is_bad_input(small_lake: Lake, tmp_path: Path) -> None:
    result = run(small_lake, "sql", str(tmp_path / "nope.sql"))
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert "cannot read" in str(result.exception)


def test_a_lake_syntax_error_names_the_scripts_line_column_and_text(
    small_lake: Lake, tmp_path: Path
) -> None:
    script = tmp_path / "q.sql"
    script.write_text(
        "/* Count the users.\nReplace <EDS ID> with your store. */\n"
        "SELECT 1;\nSELECT eventName\nFROM <EDS ID>\nWHERE eventName = = 'CreateUser'\n"
    )
    result = run(small_lake, "sql", "--dialect", "lake", str(script))
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert str(result.exception) == (
        f"{script}: statement 2: lake dialect: syntax error at line 6, column 19 near '=': "
        "expected an expression here"
    )


def test_a_lake_syntax_error_is_one_plain_line_on_stderr(small_lake: Lake) -> None:
    sql = "SELECT eventName FROM $EDS_ID WHERE"
    lake = str(small_lake.root)
    done = subprocess.run(
        [sys.executable, "-m", "ctlake", "--lake", lake, "sql", "--dialect", "lake", "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.BAD_INPUT and done.stdout == ""
    assert done.stderr == (
        "error: -c: statement 1: lake dialect: syntax error at line 1, column 31 "
        "near 'WHERE': expected an expression here\n"
    )
    assert "\x1b" not in done.stderr and "Token" not in done.stderr


@pytest.mark.parametrize("dialect", ["duckdb", "lake"])
def test_a_comment_never_closed_is_bad_input_naming_where_it_opens(
    small_lake: Lake, dialect: str
) -> None:
    sql = "SELECT count(*) FROM events;\nSELECT 1 /* the rest\nof the file"
    result = run(small_lake, "sql", "--dialect", dialect, "-f", "csv", "-c", sql)
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert result.stdout == "count_star()\n5\n"
    assert str(result.exception) == (
        "-c: unclosed comment: the /* at line 2, column 10 has no closing */"
    )
