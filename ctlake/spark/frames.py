"""Moving tables between the lake and Spark: the `events` view over the Parquet files,
catalog tables (model outputs, config tables) as Spark temporary views, and Spark results
as Arrow tables DuckDB can write or print.

The catalog is a DuckDB file on the driver: what Spark reads from it goes through Arrow,
so it should be small next to `events` (minute counts and insights are; see docs/scale.md
for where that stops holding).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from ctlake.db import arrow_table
from ctlake.lake import Lake

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import DataFrame, SparkSession


def define_events(spark: SparkSession, lake: Lake) -> None:
    """The temporary view `events` over the lake's Hive-partitioned Parquet (`eventDate`
    from the folder names; `_schema.parquet` is skipped, as Spark skips `_` files)."""
    folder = lake.files.uri("events")
    frame = spark.read.option("basePath", folder).parquet(folder)
    frame.createOrReplaceTempView("events")


def from_catalog(spark: SparkSession, con: duckdb.DuckDBPyConnection, name: str) -> None:
    """The catalog table or view `name` (as `con` sees it) as a Spark temporary view."""
    table = arrow_table(con.table(name))
    spark.createDataFrame(table).createOrReplaceTempView(name)


def to_arrow(frame: DataFrame) -> pa.Table:
    """The rows of `frame` as Arrow, timestamps as DuckDB's: Spark's are instants (UTC, the
    session's zone), the lake's are naive UTC, so the zone is dropped, not the time."""
    table = frame.toArrow()
    fields = [
        pa.field(f.name, pa.timestamp(f.type.unit), f.nullable)
        if pa.types.is_timestamp(f.type) and f.type.tz is not None
        else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))
