"""The models on Spark: the executor seam of `ctlake refresh --engine spark`.

The runner (`ctlake.models.runner`) plans every model, renders its SQL and writes its rows
into the DuckDB catalog exactly as with DuckDB; only where a model's SELECT runs changes.
`SparkModels.rows` runs the rendered SELECT on Spark (transpiled by sqlglot) and hands
DuckDB the rows as an Arrow table under a name the runner's statements read, so windows,
grain checks, keyed scopes, states and crash safety stay the runner's. The inputs a model
reads come from where they live: `events` from the lake's Parquet, upstream models and the
config tables from the catalog (as Arrow, see `frames`), a view model as a Spark view of
its own SQL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctlake.errors import BadInputError, first_line
from ctlake.lake import Lake
from ctlake.spark.frames import define_events, from_catalog, to_arrow
from ctlake.spark.transpile import to_spark

if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import DataFrame, SparkSession

    from ctlake.models.project import Model


class SparkModels:
    """Runs models' SELECTs on `spark` for a refresh holding the catalog connection `con`."""

    def __init__(self, spark: SparkSession, lake: Lake, con: duckdb.DuckDBPyConnection):
        self.spark, self.con = spark, con
        define_events(spark, lake)
        self._in_spark: set[str] = {"events"}  # the views Spark holds and that are current

    def view(self, model: Model, sql: str) -> None:
        """Define the view `model` in Spark (its catalog view is the runner's)."""
        self._inputs(model)
        self._run(model, sql).createOrReplaceTempView(model.name)
        self._in_spark.add(model.name)

    def rows(self, model: Model, sql: str) -> str:
        """Run `model`'s rendered SELECT on Spark; the name under which `con` now reads its
        rows (an Arrow table, until the connection closes)."""
        self._inputs(model)
        keys = model.header.keys_from
        if keys:  # a keyed model: the keys in scope, as the catalog shadows them now
            from_catalog(self.spark, self.con, keys)
        table = to_arrow(self._run(model, sql))
        if keys:  # Spark's `keys` holds only some keys now: the next reader redefines it
            self._in_spark.discard(keys)
        name = f"spark_rows_{model.name}"
        self.con.register(name, table)
        # the runner writes the model's table next: read it again when a model needs it
        self._in_spark.discard(model.name)
        return name

    def _inputs(self, model: Model) -> None:
        for name in (*model.depends_on, *model.sources):
            if name not in self._in_spark:
                from_catalog(self.spark, self.con, name)
                self._in_spark.add(name)

    def _run(self, model: Model, sql: str) -> DataFrame:
        from pyspark.errors import PySparkException

        statement = to_spark(sql, str(model.path))
        try:
            return self.spark.sql(statement)
        except PySparkException as exc:
            raise BadInputError(
                f"{model.path}: model {model.name} failed on Spark: {first_line(exc)}"
            ) from exc
