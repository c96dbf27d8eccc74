"""Writing one model's rows: the fixed wrappers around its SQL, and the grain check.

- view: `CREATE OR REPLACE VIEW` when its definition is new (`Plan.replace`), else nothing:
  a view always shows the current data;
- table: `CREATE OR REPLACE TABLE ... AS` when its definition is new, else `DELETE` all
  rows and `INSERT` the model's (the catalog's schema stays as it is, which keeps DuckDB's
  checkpoint at the end of the refresh small);
- incremental built in full: `CREATE OR REPLACE TABLE ... AS`;
- incremental: `DELETE` the window `[start, end)` on `time_column`, `INSERT` the model's
  rows of that window. Rows whose time is NULL (not settled, e.g. an open gap) belong to
  every window: each run deletes and recomputes them. The two parts of the window are
  separate statements so that each is a plain filter DuckDB can push into the scan;
- keyed: see `keyed` (which uses the helpers here).

Then the `grain` is checked unique among the rows written (within the window when the grain
holds the time column, within the keys recomputed for a keyed model) and a violation is an
error naming a duplicated key. Python writes only these wrappers, with quoted identifiers
and bound parameters; the model's SQL is its file, rendered by `render.render`. Each
function returns the number of rows the model's table holds afterwards, from the counts
DuckDB returns, so no extra `count(*)` is needed.
"""

from __future__ import annotations

from typing import Any

import duckdb

from ctlake.db import scalar
from ctlake.errors import BadInputError
from ctlake.models.project import Model
from ctlake.models.window import Plan


def write_model(
    con: duckdb.DuckDBPyConnection, model: Model, sql: str, plan: Plan, rows_before: int
) -> int:
    """Write the view, table or incremental `model` for `plan`; the rows its table holds
    afterwards. DuckDB errors propagate (the runner names the model file)."""
    name = q(model.name)
    if model.kind == "view":
        if plan.replace:
            con.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
        return int(scalar(con, f"SELECT count(*) FROM {name}"))
    if model.kind == "table":
        if plan.replace:
            rows = affected(con, f"CREATE OR REPLACE TABLE {name} AS {sql}")
        else:
            con.execute(f"DELETE FROM {name}")
            rows = affected(con, f"INSERT INTO {name} {sql}")
        check_grain(con, model)
        return rows
    return _write_incremental(con, model, sql, plan, rows_before)


def _write_incremental(
    con: duckdb.DuckDBPyConnection, model: Model, sql: str, plan: Plan, rows_before: int
) -> int:
    name, column = q(model.name), q(model.header.time_column or "")
    settled = f"{column} >= $start AND {column} < $end"
    unsettled = f"{column} IS NULL"
    params = {"start": plan.start, "end": plan.end}
    rows = f"SELECT * FROM ({sql}) AS m WHERE ({settled}) OR {unsettled}"
    if plan.action == "full":
        total = affected(con, f"CREATE OR REPLACE TABLE {name} AS {rows}", params)
        check_grain(con, model)
        return total
    deleted = affected(con, f"DELETE FROM {name} WHERE {settled}", params)
    deleted += affected(con, f"DELETE FROM {name} WHERE {unsettled}")
    total = rows_before - deleted + affected(con, f"INSERT INTO {name} {rows}", params)
    if model.header.time_column in model.header.grain:
        # a duplicate must share the time, so only the window's rows need checking
        rows_written = f"SELECT * FROM {name} WHERE {settled} UNION ALL " + (
            f"SELECT * FROM {name} WHERE {unsettled}"
        )
        check_grain(con, model, rows_written, params)
    else:
        check_grain(con, model)
    return total


def check_grain(
    con: duckdb.DuckDBPyConnection,
    model: Model,
    rows_sql: str | None = None,
    params: dict[str, Any] | None = None,
) -> None:
    """Raise when two rows of `model` (of `rows_sql`, default all) share the grain."""
    grain = model.header.grain
    if not grain:
        return
    columns = ", ".join(q(c) for c in grain)
    source = f"({rows_sql})" if rows_sql else q(model.name)
    rows = con.execute(
        f"SELECT {columns} FROM {source} AS t GROUP BY {columns} HAVING count(*) > 1 LIMIT 1",
        params or {},
    ).fetchall()
    if rows:
        key = ", ".join(f"{c}={v!r}" for c, v in zip(grain, rows[0], strict=True))
        raise BadInputError(f"model {model.name}: grain is not unique, duplicated key: {key}")


def affected(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> int:
    """Run a CREATE TABLE AS, INSERT or DELETE; the number of rows it wrote or deleted."""
    rows = con.execute(sql, params or {}).fetchall()
    return int(rows[0][0]) if rows else 0


def q(name: str) -> str:
    """`name` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
