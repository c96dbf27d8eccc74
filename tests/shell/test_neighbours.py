"""The shell wired to the real Lake dialect and saved-query library."""

from __future__ import annotations

from ctlake.lake import Lake
from ctlake.queries import load_queries
from ctlake.shell import seams
from tests.shell.conftest import exit_code, run


def test_the_shell_knows_every_saved_query_by_name() -> None:
    assert seams.saved_query_names() == sorted(load_queries())
    assert "access-denied" in seams.saved_query_names()


def test_lake_dialect_runs_cloudtrail_lake_sql(small_lake: Lake) -> None:
    sql = "SELECT eventName, COUNT(*) AS n FROM $EDS_ID WHERE eventTime > '2024-01-01' GROUP BY 1"
    result = run(small_lake, "sql", "--dialect", "lake", "-f", "csv", "-c", sql)
    assert result.exit_code == 0, result.output
    assert result.stdout == "eventName,n\nCreateUser,5\n"


def test_an_untranslatable_lake_statement_is_bad_input(small_lake: Lake) -> None:
    result = run(small_lake, "sql", "--dialect", "lake", "-c", "SELECT nosuchfn(1) FROM $EDS_ID")
    assert exit_code(result) == 3
    assert "-c: statement 1: lake dialect" in str(result.exception)


def test_run_names_the_saved_queries_when_one_is_unknown(small_lake: Lake) -> None:
    result = run(small_lake, "sql", "-c", ".run no-such-query")
    assert exit_code(result) == 3
    assert "no saved query named 'no-such-query' (saved queries: " in str(result.exception)


def test_run_binds_a_real_saved_query(small_lake: Lake) -> None:
    result = run(small_lake, "sql", "-c", ".run access-denied days=x")
    assert exit_code(result) == 3
    assert "parameter days" in str(result.exception)
    result = run(small_lake, "sql", "-f", "csv", "-c", ".run access-denied until=2024-06-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("identity,")
