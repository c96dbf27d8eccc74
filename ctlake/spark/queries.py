"""Queries on Spark: `ctlake sql --engine spark` and `ctlake query run --engine spark`.

A statement is written for DuckDB (or in the Lake dialect, which `ctlake.dialect` turns
into DuckDB SQL first); `SparkQueries.result` transpiles it with sqlglot, runs it on Spark
over the lake's Parquet (`events`) and the catalog tables it names, and registers the rows
in the command's DuckDB connection. The command then writes them with `write_result` as it
writes a DuckDB result, so every output format is the same code, and the same bytes for the
same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import duckdb
import sqlglot
from sqlglot import exp

from ctlake.errors import BadInputError, first_line
from ctlake.lake import Lake
from ctlake.spark.frames import define_events, from_catalog, to_arrow
from ctlake.spark.transpile import to_spark

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def spark_queries(lake: Lake, con: duckdb.DuckDBPyConnection) -> SparkQueries:
    """Queries on the Spark session `[spark]` in the lake's ctlake.toml describes."""
    from ctlake.config import load
    from ctlake.spark.session import spark_session

    return SparkQueries(spark_session(load(lake.root).spark), lake, con)


RESULT = "spark_result"  # the name the rows of the last statement have in DuckDB


class SparkQueries:
    """Runs one query at a time on `spark`, for the DuckDB connection `con` of a command."""

    def __init__(self, spark: SparkSession, lake: Lake, con: duckdb.DuckDBPyConnection):
        self.spark, self.con = spark, con
        define_events(spark, lake)
        self._in_spark = {"events"}
        self._cancelled = False  # set by `cancel`, from the thread that waits on `result`

    def result(self, sql: str, params: Mapping[str, Any] | None = None) -> str:
        """Run the DuckDB query `sql` (with `$name` parameters `params`) on Spark; a query
        `con` reads its rows with."""
        from pyspark.errors import PySparkException

        self._cancelled = False
        statement = to_spark(sql, "SQL")
        self._tables(sql)
        try:
            table = to_arrow(self.spark.sql(statement, args=dict(params or {}) or None))
        except Exception as exc:
            # a cancelled job fails in whichever layer it was (py4j, the Arrow stream)
            if self._cancelled:
                raise BadInputError("query cancelled") from None
            if isinstance(exc, PySparkException):
                raise BadInputError(f"SQL error on Spark: {first_line(exc)}") from exc
            raise
        self.con.register(RESULT, table)
        return exp.select("*").from_(RESULT).sql(dialect="duckdb")

    def cancel(self) -> None:
        """Cancel the Spark jobs of the statement `result` runs (Ctrl-C in the shell,
        from another thread); `result` then fails as "query cancelled". One statement runs
        at a time, so every job of the session is that statement's."""
        self._cancelled = True
        self.spark.sparkContext.cancelAllJobs()

    def _tables(self, sql: str) -> None:
        """The catalog tables `sql` reads, as Spark views (`events` is the Parquet's)."""
        tree = sqlglot.parse_one(sql, read="duckdb")
        if not isinstance(tree, exp.Query):
            raise BadInputError("--engine spark runs queries (SELECT, WITH ...) only")
        ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
        for table in tree.find_all(exp.Table):
            name = table.name
            if name.lower() in ctes or name in self._in_spark:
                continue
            try:
                from_catalog(self.spark, self.con, name)
            except duckdb.CatalogException:
                continue  # not in the lake either: Spark's error names it
            self._in_spark.add(name)
