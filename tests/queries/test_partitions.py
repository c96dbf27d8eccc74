"""Time-bounded queries read only the eventDate partitions their window needs, as DuckDB's
own profile of the query reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ctlake.dialect import to_duckdb
from ctlake.lake import Lake, reader
from ctlake.output import Format
from ctlake.queries import SavedQuery, load_queries, load_query
from ctlake.shell import Session, Settings
from tests.queries import scenario


def files_read(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], tmp: Path) -> int:
    """How many Parquet files DuckDB opened to answer `sql`."""
    return profiled(con, tmp, lambda: con.execute(sql, params).fetchall())


def profiled(con: duckdb.DuckDBPyConnection, tmp: Path, work: Callable[[], object]) -> int:
    """How many Parquet files DuckDB opened for the last statement `work` ran on `con`."""
    profile = tmp / "profile.json"
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"PRAGMA profiling_output = '{profile}'")
    work()
    con.execute("PRAGMA disable_profiling")
    return sum(_files(json.loads(profile.read_text())))


def _files(node: Any) -> list[int]:
    found: list[int] = []
    if isinstance(node, dict):
        info = node.get("extra_info")
        if isinstance(info, dict) and "Total Files Read" in info:
            found.append(int(info["Total Files Read"]))
        for child in node.values():
            found += _files(child)
    elif isinstance(node, list):
        for child in node:
            found += _files(child)
    return found


@pytest.fixture
def con(scenario_lake: Lake) -> duckdb.DuckDBPyConnection:
    return reader.connect(scenario_lake)


def partitions(lake: Lake) -> int:
    return len(list((lake.root / "events").glob("eventDate=*/*.parquet")))


def test_the_scenario_lake_has_a_file_per_day(scenario_lake: Lake) -> None:
    assert partitions(scenario_lake) == 8


@pytest.mark.parametrize(("days", "expected"), [("1", 1), ("2", 2), ("30", 8)])
def test_a_saved_query_reads_only_the_days_of_its_window(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, days: str, expected: int
) -> None:
    sql, params = load_query("iam-users-created").bind({"until": scenario.UNTIL, "days": days})
    assert files_read(con, sql, params, tmp_path) == expected


def test_a_query_on_a_window_with_no_data_reads_no_file(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    sql, params = load_query("top-api-calls").bind({"until": "2023-01-01", "days": "7"})
    assert files_read(con, sql, params, tmp_path) == 0


def test_the_lake_dialect_prunes_partitions_from_event_time_bounds(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, scenario_lake: Lake
) -> None:
    lake_sql = "SELECT count(*) FROM $EDS_ID WHERE eventTime >= '2024-05-06 00:00:00'"
    assert files_read(con, to_duckdb(lake_sql), {}, tmp_path) == 2
    between = (
        "SELECT eventName FROM event_data_store_ID "
        "WHERE eventTime BETWEEN '2024-05-03 00:00:00' AND '2024-05-04 23:59:59'"
    )
    assert files_read(con, to_duckdb(between), {}, tmp_path) == 2
    unbounded = "SELECT count(*) FROM <EDS ID> WHERE eventName = 'CreateUser'"
    assert files_read(con, to_duckdb(unbounded), {}, tmp_path) == partitions(scenario_lake)


@pytest.mark.parametrize("dialect", ["duckdb", "lake"])
def test_sql_typed_at_the_shell_reads_only_the_days_of_its_window(
    con: duckdb.DuckDBPyConnection,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    dialect: str,
) -> None:
    session = Session(con, Settings(fmt=Format.CSV, dialect=dialect))
    sql = "SELECT count(*) AS n FROM events WHERE eventTime >= TIMESTAMP '2024-05-06 00:00:00'"
    assert profiled(con, tmp_path, lambda: session.run_sql(sql)) == 2
    unbounded = "SELECT count(*) AS n FROM events WHERE eventTime IS NOT NULL"
    read_all = profiled(con, tmp_path, lambda: session.run_sql(unbounded))
    assert read_all == partitions_of(con)
    assert capsys.readouterr().out.startswith("n\n")


def partitions_of(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(DISTINCT eventDate) FROM events").fetchone()[0])


QUERIES = load_queries()
# Saved queries over `events` with a `days` window; new-api-calls reads a second window
# (its baseline) before the first.
WINDOWED = sorted(
    name for name, q in QUERIES.items() if "events" in q.tables and "days" in q.placeholders
)
# The saved queries that read the events alone (the others read what `ctlake refresh` builds,
# which this lake has not).
OVER_EVENTS = sorted(name for name, q in QUERIES.items() if q.tables <= {"events"})
EXAMPLES = {"ip": "203.0.113.5", "principal": "mallory", "baseline_days": "1"}


def example_values(query: SavedQuery, days: str) -> dict[str, str]:
    given = {k: v for k, v in EXAMPLES.items() if k in query.placeholders}
    return {**given, "until": scenario.UNTIL, "days": days}


def test_most_saved_queries_have_a_window() -> None:
    assert len(WINDOWED) >= 35


@pytest.mark.parametrize("name", WINDOWED)
def test_every_windowed_saved_query_reads_only_the_days_of_its_window(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, name: str
) -> None:
    query = QUERIES[name]
    sql, params = query.bind(example_values(query, "1"))
    expected = 3 if name == "new-api-calls" else 1  # its day, plus the baseline's two
    assert files_read(con, sql, params, tmp_path) == expected


@pytest.mark.parametrize("name", OVER_EVENTS)
@pytest.mark.parametrize("days", ["1", "3", "30"])
def test_partition_bounds_never_change_a_saved_querys_result(
    con: duckdb.DuckDBPyConnection, name: str, days: str
) -> None:
    query = QUERIES[name]
    values = example_values(query, days) if "days" in query.placeholders else {}
    sql, params = query.bind({k: v for k, v in values.items() if k in query.placeholders})
    assert sql != query.sql or "days" not in query.placeholders
    assert con.execute(sql, params).fetchall() == con.execute(query.sql, params).fetchall()
