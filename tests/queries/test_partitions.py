"""Time-bounded queries read only the eventDate partitions their window needs, as DuckDB's
own profile of the query reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ctlake.dialect import to_duckdb
from ctlake.lake import Lake, reader
from ctlake.queries import load_query
from tests.queries import scenario


def files_read(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], tmp: Path) -> int:
    """How many Parquet files DuckDB opened to answer `sql`."""
    profile = tmp / "profile.json"
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"PRAGMA profiling_output = '{profile}'")
    con.execute(sql, params).fetchall()
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
    return len(list(lake.events_dir.glob("eventDate=*/*.parquet")))


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
