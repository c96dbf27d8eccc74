"""`refresh`: run the models of `sql/` against a lake, upstream first.

Under the lake's write lock, on a reader connection whose catalog is writable, each model
is planned (`window.plan_model`) and written (`write`, `keyed`); the states are saved at
the end. The whole refresh is one transaction: a failing model (or a kill) leaves every
model and its state as before, so no downstream model can miss the window an upstream one
already recomputed.

What a refresh costs beyond the models' own SQL is kept small, because an incremental
refresh after an hour of data is a few tenths of a second. Two shortcuts, each measured on
the bench lake (bench/README.md), are worth their invalidation rules: the model files are
parsed with sqlglot only when they changed (`model_sources`, about 120 ms an hour), and
after a refresh that built no model in full the catalog is not checkpointed on close (25
ms on the bench lake, 160 ms on twice its size): the changes stay in the write-ahead log,
committed all the same (data and states together), replayed by the next process that opens
the catalog and checkpointed by the next that writes it, or by DuckDB itself once the log
reaches its checkpoint threshold. Besides, what ingest added is read once per distinct
last batch, row counts come from the statements' own counts (views are not counted), and
the states are written in two statements. With metric filters configured, their compiled
SQL is cached in the catalog (`metric_filter_sql`, ctlake/cloudwatch/metrics/cache.py): a
refresh with nothing new that compiles the 15 CIS filters (loading Lark and building the
pattern grammar first) takes 0.20 s of CPU, one that finds them cached 0.08 s.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from sqlglot import exp

from ctlake.config import InsightConfig, MetricsConfig, load
from ctlake.crashpoints import crash_point
from ctlake.errors import BadInputError, first_line
from ctlake.lake import Lake, reader
from ctlake.models import dml
from ctlake.models.keyed import write_keyed
from ctlake.models.project import Model, load_project, parse_digest
from ctlake.models.render import render, template_names
from ctlake.models.state import (
    ModelState,
    ensure_tables,
    existing_tables,
    load_sources,
    load_states,
    save_sources,
    save_states,
)
from ctlake.models.window import Plan, data_end, earliest, plan_model
from ctlake.models.write import write_model
from ctlake.resources import bundled_dir, read_sql

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from ctlake.spark.models import SparkModels

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ModelRun:
    name: str
    kind: str
    action: str
    start: datetime
    end: datetime
    rows: int
    seconds: float


@dataclass
class RefreshSummary:
    runs: list[ModelRun] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        ran = [r for r in self.runs if r.action != "skip"]
        kinds = {a: sum(r.action == a for r in ran) for a in ("full", "incremental", "rebuild")}
        detail = ", ".join(f"{n} {a}" for a, n in kinds.items() if n)
        return f"{len(ran)} of {len(self.runs)} models refreshed ({detail or 'all up to date'})"


def refresh(
    lake: Lake,
    *,
    full: bool = False,
    wait_seconds: float = 0.0,
    progress: Progress | None = None,
    folder: Path | None = None,
    insights: InsightConfig | None = None,
    metrics: MetricsConfig | None = None,
    engine: str = "duckdb",
) -> RefreshSummary:
    """Bring every model of `folder` (default: the shipped `sql/`) up to date, with the
    thresholds `insights` and the metric filters `metrics` (default: the lake's
    ctlake.toml). `engine` "spark" runs the models' SELECTs on Spark
    (`ctlake.spark.models`); the catalog is written the same way."""
    say = progress or (lambda _message: None)
    lake.require()
    if insights is None or metrics is None:
        loaded = load(lake.root)
        insights, metrics = insights or loaded.insights, metrics or loaded.metrics
    config = insights
    began = time.monotonic()
    summary = RefreshSummary()
    spark = _spark(lake, engine)  # seconds to start: not while holding the lock
    with lake.write_lock(wait_seconds):
        con = reader.connect(lake, writable_catalog=True)
        try:
            con.begin()
            try:
                ensure_tables(con, config)
                values = template_values(con, insights, metrics)
                models = _load_models(con, folder or bundled_dir("sql"), values)
                run = _Run(con, config, values, full, _executor(lake, con, spark))
                for model in models:
                    summary.runs.append(run.model(model))
                    say(_progress_line(summary.runs[-1]))
                    crash_point("refresh.between_models")
                save_states(con, run.states)
                crash_point("refresh.states_saved")
                con.commit()
            except BaseException:
                con.rollback()
                raise
            crash_point("refresh.committed")
            if not any(r.action == "full" for r in summary.runs):
                con.execute(read_sql(__file__, "skip_checkpoint"))
        finally:
            con.close()
    summary.seconds = time.monotonic() - began
    return summary


def template_values(
    con: duckdb.DuckDBPyConnection, insights: InsightConfig, metrics: MetricsConfig
) -> dict[str, object]:
    """What the model templates may read: the thresholds and the compiled metric filters
    (a pattern that does not compile is an error naming its filter), compiled only when the
    catalog's cache does not hold them (ctlake/cloudwatch/metrics/cache.py)."""
    from ctlake.cloudwatch.metrics import cache

    values: dict[str, object] = dict(insights.values)
    values["metric_filters"] = cache.template_values(con, metrics)
    return values


def _spark(lake: Lake, engine: str) -> SparkSession | None:
    """The Spark session of `[spark]` when `engine` is Spark."""
    if engine == "duckdb":
        return None
    from ctlake.spark.session import spark_session

    return spark_session(load(lake.root).spark)


def _executor(
    lake: Lake, con: duckdb.DuckDBPyConnection, spark: SparkSession | None
) -> SparkModels | None:
    """What runs the models' SELECTs: None for DuckDB (the catalog connection itself)."""
    if spark is None:
        return None
    from ctlake.spark.models import SparkModels

    return SparkModels(spark, lake, con)


def _load_models(
    con: duckdb.DuckDBPyConnection, folder: Path, values: dict[str, object]
) -> list[Model]:
    """The project, parsing only the files the catalog's parse cache does not know."""
    known = load_sources(con)
    parsed = dict(known)
    models = load_project(folder, values, parsed)
    used = {d: parsed[d] for d in (parse_digest(m.text, values) for m in models)}
    if used != known:
        save_sources(con, used)
    return models


class _Run:
    """One refresh: what every model's plan needs, gathered once, and the states to save."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        config: InsightConfig,
        values: dict[str, object],
        full: bool,
        executor: SparkModels | None = None,
    ):
        self.con, self.config, self.values = con, config, values
        self.full, self.executor = full, executor
        self.states_before = load_states(con, created=True)
        self._tables: dict[str, str] | None = None
        self.changed: dict[str, datetime | None] = {}
        self.batches: dict[int, tuple[int | None, datetime | None, datetime | None]] = {}
        self.states: list[ModelState] = []

    def upstream(self, last_batch: int) -> tuple[int | None, datetime | None, datetime | None]:
        """(newest batch, earliest event of the batches after `last_batch`, newest event)."""
        if last_batch not in self.batches:
            sql = read_sql(__file__, "upstream_batches")
            row = self.con.execute(sql, {"last_batch": last_batch}).fetchall()[0]
            self.batches[last_batch] = (row[0], row[1], row[2])
        return self.batches[last_batch]

    def existing(self, name: str) -> str | None:
        """What the catalog holds under a model's name: 'table', 'view' or None (the
        catalog is listed once per refresh)."""
        if self._tables is None:
            self._tables = existing_tables(self.con)
        return self._tables.get(name.lower())

    def model(self, model: Model) -> ModelRun:
        """Plan and, unless it is up to date, write `model`."""
        state = self.states_before.get(model.name)
        last_batch = state.last_batch if state and state.last_batch is not None else -1
        latest_batch, events_change, latest_event = self.upstream(last_batch)
        upstream = earliest(*(self.changed[dep] for dep in model.depends_on))
        if "events" in model.sources:
            upstream = earliest(upstream, events_change)
        digest = model_digest(model, self.config, self.values, spark=self.executor is not None)
        existing = self.existing(model.name)
        target = _catalog_kind(model.kind)
        plan = plan_model(
            model,
            state,
            full=self.full,
            digest=digest,
            table_exists=existing == target,
            run_end=data_end(latest_event),
            upstream_change=upstream,
        )
        rows_before = state.rows if state else 0
        if self.executor is not None and model.kind == "view":
            # Spark's view of it is per session: defined on every run, changed or not
            sql = render(model.path, model.text, plan.start, plan.end, self.values)
            self.executor.view(model, sql)
        if plan.action == "skip":
            self.changed[model.name] = None
            return ModelRun(model.name, model.kind, "skip", plan.start, plan.end, rows_before, 0.0)
        began = time.monotonic()
        if existing is not None and existing != target:  # the model changed kind
            self.con.execute(dml.sql(dml.drop(existing, model.name)))
        rows = _write(self.con, model, plan, self.values, rows_before, self.executor)
        seconds = time.monotonic() - began
        self.changed[model.name] = plan.changed_from
        self.states.append(
            ModelState(
                model.name,
                model.kind,
                plan.end if model.kind == "incremental" else None,
                latest_batch,
                plan.start,
                rows,
                datetime.now(UTC).replace(tzinfo=None, microsecond=0),
                seconds,
                digest,
            )
        )
        return ModelRun(model.name, model.kind, plan.action, plan.start, plan.end, rows, seconds)


def _catalog_kind(kind: str) -> str:
    return "view" if kind == "view" else "table"


def model_digest(
    model: Model,
    config: InsightConfig,
    values: dict[str, object] | None = None,
    *,
    spark: bool = False,
) -> str:
    """What a model's rows were computed with: its SQL, the config, and the engine and its
    version (whose hash function gives the series ids: a new one, or the other engine, must
    rebuild every model). A model whose template reads the metric filters has their
    compiled SQL in it too, so a changed filter rebuilds that model's history (and only
    that model's)."""
    engine = duckdb.__version__
    if spark:
        import pyspark

        engine = f"spark {pyspark.__version__}"
    parts = [model.text, config.digest(), engine]
    extra = sorted(template_names(model.text) & set(values or {}) - set(config.values))
    if extra and values is not None:
        parts.append(json.dumps({name: values[name] for name in extra}, sort_keys=True))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _write(
    con: duckdb.DuckDBPyConnection,
    model: Model,
    plan: Plan,
    values: dict[str, object],
    rows_before: int,
    executor: SparkModels | None,
) -> int:
    sql = render(model.path, model.text, plan.start, plan.end, values)
    try:
        if executor is not None and model.kind == "keyed":
            return write_keyed(
                con, model, lambda: _on_spark(executor, model, sql), plan, rows_before
            )
        if executor is not None and model.kind != "view":
            sql = _on_spark(executor, model, sql)
        writer = write_keyed if model.kind == "keyed" else write_model
        return writer(con, model, sql, plan, rows_before)
    except duckdb.Error as exc:
        detail = first_line(exc)
        if isinstance(exc, duckdb.CatalogException) and f" {model.name} " in detail:
            detail += " (was it dropped outside ctlake? `ctlake refresh --full` rebuilds it)"
        raise BadInputError(f"{model.path}: model {model.name} failed: {detail}") from exc


def _on_spark(executor: SparkModels, model: Model, sql: str) -> str:
    """A SELECT of the rows Spark computed for `model`'s rendered `sql`."""
    return dml.sql(exp.select("*").from_(dml.table(executor.rows(model, sql))))


def _progress_line(run: ModelRun) -> str:
    if run.action == "skip":
        return f"refresh: {run.name} ({run.kind}) up to date"
    if run.kind == "view":
        return f"refresh: {run.name} (view) {run.action}"
    window = ""
    if run.action == "incremental":
        window = f" [{run.start:%Y-%m-%d %H:%M}, {run.end:%Y-%m-%d %H:%M})"
    return (
        f"refresh: {run.name} ({run.kind}) {run.action}{window}: "
        f"{run.rows:,} rows in {run.seconds:.2f}s"
    )
