"""`refresh`: run the models of `sql/` against a lake, upstream first.

Under the lake's write lock, on a reader connection whose catalog is writable, each model
is planned (`window.plan_model`) and then written with its state row:

- view: `CREATE OR REPLACE VIEW`;
- table, or an incremental model built in full: `CREATE OR REPLACE TABLE ... AS`;
- incremental: `DELETE` the window `[start, end)` on `time_column`, `INSERT` the model's
  rows of that window.

Then the `grain` is checked unique (within the window when the grain holds the time column)
and a violation is an error naming a duplicated key. The whole refresh is one transaction:
a failing model (or a kill) leaves every model and its state as before, so no downstream
model can miss the window an upstream one already recomputed. Python writes
only these fixed wrappers, with quoted identifiers and bound parameters; the model's SQL is
its file, rendered by `render.render`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ctlake.db import scalar
from ctlake.errors import BadInputError, first_line
from ctlake.lake import Lake, reader
from ctlake.models.config import InsightConfig, load_config
from ctlake.models.project import Model, load_project
from ctlake.models.render import render
from ctlake.models.state import ModelState, ensure_tables, load_states, save_state, table_exists
from ctlake.models.window import Plan, data_end, earliest, plan_model
from ctlake.resources import bundled_dir, read_sql

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
) -> RefreshSummary:
    """Bring every model of `folder` (default: the shipped `sql/`) up to date."""
    say = progress or (lambda _message: None)
    lake.require()
    config = load_config(lake.root)
    models = load_project(folder or bundled_dir("sql"), config.values)
    began = time.monotonic()
    summary = RefreshSummary()
    with lake.write_lock(wait_seconds):
        con = reader.connect(lake, writable_catalog=True)
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                ensure_tables(con, config)
                states = load_states(con)
                changed: dict[str, datetime | None] = {}
                for model in models:
                    run = _refresh_model(con, model, states.get(model.name), config, full, changed)
                    summary.runs.append(run)
                    say(_progress_line(run))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.close()
    summary.seconds = time.monotonic() - began
    return summary


def _refresh_model(
    con: duckdb.DuckDBPyConnection,
    model: Model,
    state: ModelState | None,
    config: InsightConfig,
    full: bool,
    changed: dict[str, datetime | None],
) -> ModelRun:
    last_batch = state.last_batch if state and state.last_batch is not None else -1
    batches = con.execute(read_sql(__file__, "upstream_batches"), {"last_batch": last_batch})
    latest_batch, events_change, latest_event = batches.fetchall()[0]
    upstream = earliest(*(changed[dep] for dep in model.depends_on))
    if "events" in model.sources:
        upstream = earliest(upstream, events_change)
    digest = hashlib.sha256((model.text + config.digest()).encode()).hexdigest()[:16]
    plan = plan_model(
        model,
        state,
        full=full,
        digest=digest,
        table_exists=table_exists(con, model.name),
        run_end=data_end(latest_event),
        upstream_change=upstream,
    )
    changed[model.name] = plan.changed_from
    if plan.action == "skip":
        rows = state.rows if state else 0
        return ModelRun(model.name, model.kind, "skip", plan.start, plan.end, rows, 0.0)
    began = time.monotonic()
    sql = render(model.path, model.text, plan.start, plan.end, config.values)
    _write(con, model, sql, plan)
    _check_grain(con, model, plan)
    rows = int(scalar(con, f"SELECT count(*) FROM {_q(model.name)}"))
    seconds = time.monotonic() - began
    high_water = plan.end if model.kind == "incremental" else None
    save_state(
        con,
        ModelState(
            model.name,
            model.kind,
            high_water,
            latest_batch,
            plan.start,
            rows,
            datetime.now(UTC).replace(tzinfo=None, microsecond=0),
            seconds,
            digest,
        ),
    )
    return ModelRun(model.name, model.kind, plan.action, plan.start, plan.end, rows, seconds)


def _write(con: duckdb.DuckDBPyConnection, model: Model, sql: str, plan: Plan) -> None:
    name = _q(model.name)
    window = {"start": plan.start, "end": plan.end}
    try:
        if model.kind == "view":
            con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
        elif model.kind == "table":
            con.execute(f"CREATE OR REPLACE TABLE {name} AS {sql}")
        else:
            column = _q(model.header.time_column or "")
            rows = f"SELECT * FROM ({sql}) AS m WHERE {column} >= $start AND {column} < $end"
            if plan.action == "full":
                con.execute(f"CREATE OR REPLACE TABLE {name} AS {rows}", window)
            else:
                con.execute(
                    f"DELETE FROM {name} WHERE {column} >= $start AND {column} < $end", window
                )
                con.execute(f"INSERT INTO {name} {rows}", window)
    except duckdb.Error as exc:
        raise BadInputError(f"{model.path}: model {model.name} failed: {first_line(exc)}") from exc


def _check_grain(con: duckdb.DuckDBPyConnection, model: Model, plan: Plan) -> None:
    grain = model.header.grain
    if not grain or model.kind == "view":
        return
    columns = ", ".join(_q(c) for c in grain)
    where, params = "", {}
    column = model.header.time_column
    if model.kind == "incremental" and column in grain:
        where = f" WHERE {_q(column)} >= $start AND {_q(column)} < $end"
        params = {"start": plan.start, "end": plan.end}
    rows = con.execute(
        f"SELECT {columns} FROM {_q(model.name)}{where} "
        f"GROUP BY {columns} HAVING count(*) > 1 LIMIT 1",
        params,
    ).fetchall()
    if rows:
        key = ", ".join(f"{c}={v!r}" for c, v in zip(grain, rows[0], strict=True))
        raise BadInputError(f"model {model.name}: grain is not unique, duplicated key: {key}")


def _progress_line(run: ModelRun) -> str:
    if run.action == "skip":
        return f"refresh: {run.name} ({run.kind}) up to date"
    window = ""
    if run.action == "incremental":
        window = f" [{run.start:%Y-%m-%d %H:%M}, {run.end:%Y-%m-%d %H:%M})"
    return (
        f"refresh: {run.name} ({run.kind}) {run.action}{window}: "
        f"{run.rows:,} rows in {run.seconds:.2f}s"
    )


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
