"""Keyed models: rows in groups named by a key, recomputed group by group.

    kind: keyed
    key: [sharedEventID, scope]      # the columns naming a group of rows
    keys_from: attribution_windows   # the model with one row per key
    key_time: window_end             # its column: the latest input time a key's rows read

For outputs whose rows have no time of their own to window on (an insight's attributions
depend on events in its baseline days before and on how long it lasted), and which must not
be rebuilt whole on every refresh. The model's SQL computes the rows of the keys in
`keys_from`; a full build runs it as it is. An incremental run, whose `start` is the
earliest upstream change, recomputes the keys in scope:

- keys whose `key_time` is at or after `start`, or NULL (not settled yet);
- keys whose `keys_from` row is new or changed since the model last ran (`model_keys` keeps
  a hash of each row it was built from), which also covers keys that had no rows;

deletes the rows of those keys and of keys no longer in `keys_from`, and inserts the
model's rows of the keys in scope. While the SQL runs, a temporary view named `keys_from`
shadows the table with only the keys in scope, so the SQL reads what those keys need and
nothing else; with no key in scope it does not run at all.

This equals a full build when the rows of a key depend only on its `keys_from` row and on
inputs at or before its `key_time`: any other key's inputs have not changed since it was
built. `tests/insights/test_incremental.py` checks it on the shipped models.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from ctlake.crashpoints import crash_point
from ctlake.db import scalar
from ctlake.models.project import Model
from ctlake.models.window import Plan
from ctlake.models.write import affected, check_grain, insert_checked, q

SCOPE = "keyed_scope"  # temporary table: the keys an incremental run recomputes


def write_keyed(
    con: duckdb.DuckDBPyConnection, model: Model, sql: str, plan: Plan, rows_before: int
) -> int:
    """Write the keyed `model` for `plan`; the rows its table holds afterwards."""
    name, source = q(model.name), q(model.header.keys_from or "")
    in_source = f"EXISTS (SELECT 1 FROM {source} AS f WHERE {_same_key(model, 'f', 'm')})"
    if plan.action == "full":
        rows = affected(
            con, f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM ({sql}) AS m WHERE {in_source}"
        )
        check_grain(con, model)
        _remember_keys(con, model)
        return rows
    params = {"start": plan.start, "model": model.name}
    in_scope = affected(con, f"CREATE OR REPLACE TEMP TABLE {SCOPE} AS {_scope_sql(model)}", params)
    rows = rows_before + _replace_scope(con, model, sql, in_scope)
    # no try/finally: after an error the refresh rolls back, which drops temporary objects
    # too, and a statement in an aborted transaction would hide the error
    con.execute(f"DROP TABLE temp.main.{SCOPE}")
    return rows


def _scope_sql(model: Model) -> str:
    keys = ", ".join(f"f.{q(c)}" for c in model.header.key)
    time = f"f.{q(model.header.key_time or '')}"
    return (
        f"SELECT {keys} FROM {q(model.header.keys_from or '')} AS f "
        f"WHERE {time} >= $start OR {time} IS NULL OR md5(CAST(f AS VARCHAR)) NOT IN "
        "(SELECT row_hash FROM model_keys WHERE model = $model)"
    )


def _replace_scope(con: duckdb.DuckDBPyConnection, model: Model, sql: str, in_scope: int) -> int:
    """Delete the rows of keys in scope (`in_scope` of them) or gone, insert those of the
    keys in scope; the change in the number of rows."""
    if not in_scope and not _keys_gone(con, model):
        return 0  # no key new, changed, recent or gone: every row stays as it is
    name, source = q(model.name), q(model.header.keys_from or "")
    scoped = f"EXISTS (SELECT 1 FROM {SCOPE} AS s WHERE {_same_key(model, 's', 't')})"
    kept = f"EXISTS (SELECT 1 FROM {source} AS f WHERE {_same_key(model, 'f', 't')})"
    deleted = affected(con, f"DELETE FROM {name} AS t WHERE {scoped} OR NOT {kept}")
    crash_point("refresh.mid_model")
    inserted = 0
    if in_scope:
        # when the grain holds the key, a duplicate is among the rows of the keys in scope
        scope_holds_keys = set(model.header.key) <= set(model.header.grain)
        with _shadowed(con, model):
            rows = f"SELECT * FROM ({sql}) AS t WHERE {scoped}"
            inserted = insert_checked(con, model, rows, only_new_keys=scope_holds_keys)
    _remember_keys(con, model)
    return inserted - deleted


def _keys_gone(con: duckdb.DuckDBPyConnection, model: Model) -> bool:
    """Whether `model_keys` holds hashes of rows no longer in `keys_from` (with no key in
    scope, every row of `keys_from` has its hash there, so counting is enough)."""
    source = q(model.header.keys_from or "")
    sql = (
        "SELECT (SELECT count(*) FROM model_keys WHERE model = $m) "
        f"<> (SELECT count(*) FROM {source})"
    )
    return bool(scalar(con, sql, {"m": model.name}))


@contextmanager
def _shadowed(con: duckdb.DuckDBPyConnection, model: Model) -> Iterator[None]:
    """For the block: a temporary view named `keys_from` with only the keys in scope
    (dropped after the block; after an error, by the refresh's rollback)."""
    view = q(model.header.keys_from or "")
    database = q(str(scalar(con, "SELECT current_database()")))
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT f.* FROM {database}.main.{view} AS f "
        f"WHERE EXISTS (SELECT 1 FROM {SCOPE} AS s WHERE {_same_key(model, 's', 'f')})"
    )
    yield
    con.execute(f"DROP VIEW temp.main.{view}")


def _remember_keys(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Record a hash of each `keys_from` row: the rows the model is now built from."""
    params = {"model": model.name}
    con.execute("DELETE FROM model_keys WHERE model = $model", params)
    con.execute(
        "INSERT INTO model_keys (model, row_hash) "
        f"SELECT $model, md5(CAST(f AS VARCHAR)) FROM {q(model.header.keys_from or '')} AS f",
        params,
    )


def _same_key(model: Model, left: str, right: str) -> str:
    return " AND ".join(
        f"{left}.{q(c)} IS NOT DISTINCT FROM {right}.{q(c)}" for c in model.header.key
    )
