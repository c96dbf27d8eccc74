"""Writing one model's rows: the fixed wrappers around its SQL, and the grain check.

- view: `CREATE OR REPLACE VIEW` when its definition is new (`Plan.replace`), else nothing:
  a view always shows the current data (and is not counted: counting runs its query);
- table: `CREATE OR REPLACE TABLE ... AS` when its definition is new, else `DELETE` all
  rows and `INSERT` the model's (the catalog's schema stays as it is, which keeps DuckDB's
  checkpoint at the end of the refresh small);
- incremental built in full: `CREATE OR REPLACE TABLE ... AS`;
- incremental: `DELETE` the window `[start, end)` on `time_column`, `INSERT` the model's
  rows of that window. Rows whose time is NULL (not settled, e.g. an open gap) belong to
  every window: each run deletes and recomputes them;
- keyed: see `keyed` (which uses the helpers here).

Then the `grain` is checked unique among the rows written, and a violation is an error
naming a duplicated key. When the rows written are all the rows that could share a key
(a table refilled, an incremental window whose grain holds the time column, the keys a
keyed model recomputed), the INSERT returns their grain and Python checks it: an
incremental refresh of a few hundred rows then costs no extra statement. Otherwise (a
build with CREATE TABLE AS, a grain without the time column) a query over the table checks
it. Python builds only these wrappers (`dml`: sqlglot expressions, quoted identifiers,
bound parameters); the model's SQL is its file, rendered by `render.render`. Each function
returns the number of rows the model's table holds afterwards (0 for a view), from the
counts DuckDB returns, so no extra `count(*)` is needed.
"""

from __future__ import annotations

from typing import Any

import duckdb
from sqlglot import exp

from ctlake.crashpoints import crash_point
from ctlake.errors import BadInputError
from ctlake.models import dml
from ctlake.models.project import Model
from ctlake.models.window import Plan


def write_model(
    con: duckdb.DuckDBPyConnection, model: Model, sql: str, plan: Plan, rows_before: int
) -> int:
    """Write the view, table or incremental `model` for `plan`; the rows its table holds
    afterwards. DuckDB errors propagate (the runner names the model file)."""
    if model.kind == "view":
        if plan.replace:
            con.execute(dml.sql(dml.create_as("view", model.name, sql)))
        return 0  # a view stores no rows; `ctlake models` counts what it shows when listed
    if model.kind == "table":
        if plan.replace:
            rows = affected(con, dml.create_as("table", model.name, sql))
            check_grain(con, model)
            return rows
        con.execute(dml.sql(dml.delete(model.name)))
        crash_point("refresh.mid_model")
        return insert_checked(con, model, sql)
    return _write_incremental(con, model, sql, plan, rows_before)


def _write_incremental(
    con: duckdb.DuckDBPyConnection, model: Model, sql: str, plan: Plan, rows_before: int
) -> int:
    window = dml.in_window(model.header.time_column or "")
    params = {"start": plan.start, "end": plan.end}
    rows = dml.rows_of(sql, "m", window)
    if plan.action == "full":
        total = affected(con, dml.create_as("table", model.name, rows), params)
        check_grain(con, model)
        return total
    deleted = affected(con, dml.delete(model.name, window.copy()), params)
    crash_point("refresh.mid_model")
    # a duplicate key with the time in it must share the time: it is among the window's rows
    window_holds_keys = model.header.time_column in model.header.grain
    inserted = insert_checked(con, model, rows, params, only_new_keys=window_holds_keys)
    return rows_before - deleted + inserted


def insert_checked(
    con: duckdb.DuckDBPyConnection,
    model: Model,
    rows: str | exp.Expr,
    params: dict[str, Any] | None = None,
    *,
    only_new_keys: bool = True,
) -> int:
    """INSERT the rows of the query `rows` into `model`'s table and check the grain; the
    number inserted. `only_new_keys`: no row left in the table can share a key with them, so
    the grain the INSERT returns is checked in Python; else the whole table is checked."""
    grain = model.header.grain
    if not (only_new_keys and grain):
        inserted = affected(con, dml.insert(model.name, rows), params)
        check_grain(con, model)
        return inserted
    statement = dml.insert(model.name, rows, returning=grain)
    keys = con.execute(dml.sql(statement), params or {}).fetchall()
    repeated = _first_repeated(keys)
    if repeated is not None:
        _raise_duplicate(model, repeated)
    return len(keys)


def _first_repeated(keys: list[tuple[Any, ...]]) -> tuple[Any, ...] | None:
    seen: set[tuple[Any, ...]] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return None


def check_grain(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Raise when two rows of `model`'s table share the grain."""
    grain = model.header.grain
    if not grain:
        return
    rows = con.execute(dml.sql(dml.duplicate_key(model.name, grain))).fetchall()
    if rows:
        _raise_duplicate(model, rows[0])


def _raise_duplicate(model: Model, key: tuple[Any, ...]) -> None:
    pairs = ", ".join(f"{c}={v!r}" for c, v in zip(model.header.grain, key, strict=True))
    raise BadInputError(f"model {model.name}: grain is not unique, duplicated key: {pairs}")


def affected(
    con: duckdb.DuckDBPyConnection, statement: exp.Expr, params: dict[str, Any] | None = None
) -> int:
    """Run a CREATE TABLE AS, INSERT or DELETE; the number of rows it wrote or deleted."""
    rows = con.execute(dml.sql(statement), params or {}).fetchall()
    return int(rows[0][0]) if rows else 0
