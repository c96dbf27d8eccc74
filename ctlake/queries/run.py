"""Running a saved query against the lake: bind its parameters, check that the tables it
reads exist, write the result through `ctlake.output.write_result` (so a CSV is the same
bytes whichever command writes it).

Some queries read tables that other parts of ctlake build (`insight_events`,
`insight_attributions` come from `ctlake refresh`). On a lake where they do not exist yet
the query fails with one line saying which table is missing and how to build it, instead
of DuckDB's catalog error.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctlake.errors import LakeError
from ctlake.output import Format, write_result
from ctlake.queries.library import SavedQuery
from ctlake.resources import read_sql

if TYPE_CHECKING:  # types only: `query list` loads this package without the engine
    import duckdb

    from ctlake.spark.queries import SparkQueries

BUILT_BY = {
    "insight_events": "ctlake refresh",
    "insight_attributions": "ctlake refresh",
    "minute_counts": "ctlake refresh",
}


def run_query(
    con: duckdb.DuckDBPyConnection,
    query: SavedQuery,
    values: Mapping[str, Any] | None,
    fmt: Format,
    output: Path | None = None,
    spark: SparkQueries | None = None,
) -> int:
    """Run `query` with `values` (text or typed) and write the result as `fmt`; returns
    the number of rows written. With `spark`, the query runs on Spark and DuckDB writes
    its rows."""
    sql, params = query.bind(values)
    require_tables(con, query)
    if spark is not None:
        return write_result(con, spark.result(sql, params), None, fmt, output)
    return write_result(con, sql, params, fmt, output)


def require_tables(con: duckdb.DuckDBPyConnection, query: SavedQuery) -> None:
    """Fail with one clear line if `query` reads a table this lake does not have yet."""
    present = {row[0] for row in con.execute(read_sql(__file__, "table_names")).fetchall()}
    for table in sorted(query.tables - present):
        how = BUILT_BY.get(table)
        hint = f": run `{how}` to build it" if how else ""
        raise LakeError(f"query {query.name} reads table {table}, not in this lake yet{hint}")
