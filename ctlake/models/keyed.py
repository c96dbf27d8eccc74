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

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb
from sqlglot import exp

from ctlake.crashpoints import crash_point
from ctlake.db import scalar
from ctlake.models import dml
from ctlake.models.project import Model
from ctlake.models.window import Plan
from ctlake.models.write import affected, check_grain, insert_checked
from ctlake.resources import read_sql

Query = str | Callable[[], str]  # a model's SQL, or a function giving it when it runs
SCOPE = "keyed_scope"  # temporary table: the keys an incremental run recomputes


def write_keyed(
    con: duckdb.DuckDBPyConnection, model: Model, sql: Query, plan: Plan, rows_before: int
) -> int:
    """Write the keyed `model` for `plan`; the rows its table holds afterwards. `sql` may
    be a function giving the SQL: it is called only where the SQL runs (with `keys_from`
    shadowed by the keys in scope), so an engine computing the rows elsewhere (Spark)
    reads those keys only, and nothing when no key is in scope."""
    if plan.action == "full":
        built = dml.rows_of(_text(sql), "m", _in_source(model, "m"))
        total = affected(con, dml.create_as("table", model.name, built))
        check_grain(con, model)
        _remember_keys(con, model)
        return total
    params = {"start": plan.start, "model": model.name}
    scope = dml.create_as("table", SCOPE, _scope_query(model), temporary=True)
    in_scope = affected(con, scope, params)
    rows = rows_before + _replace_scope(con, model, sql, in_scope)
    # no try/finally: after an error the refresh rolls back, which drops temporary objects
    # too, and a statement in an aborted transaction would hide the error
    con.execute(dml.sql(dml.drop("table", SCOPE, temporary=True)))
    return rows


def _text(sql: Query) -> str:
    return sql if isinstance(sql, str) else sql()


def _in_source(model: Model, alias: str) -> exp.Exists:
    """The row `alias` has a key that `keys_from` holds."""
    source = dml.table(model.header.keys_from or "")
    return dml.exists(source, "f", dml.same_key(model.header.key, "f", alias))


def _in_scope(model: Model, alias: str) -> exp.Exists:
    """The row `alias` has a key in scope."""
    return dml.exists(dml.table(SCOPE), "s", dml.same_key(model.header.key, "s", alias))


def _scope_query(model: Model) -> exp.Select:
    """The keys of `keys_from` whose `key_time` is at or after $start or NULL, or whose row
    the model was not built from (its hash is not in `model_keys` for $model)."""
    source = dml.table(model.header.keys_from or "")
    source.set("alias", exp.TableAlias(this=exp.to_identifier("f")))
    time = dml.column(model.header.key_time or "", "f")
    built_from = (
        exp.Select(expressions=[exp.column("row_hash")])
        .from_("model_keys", copy=False)
        .where(exp.EQ(this=exp.column("model"), expression=dml.param("model")), copy=False)
    )
    recent = exp.or_(
        exp.GTE(this=time, expression=dml.param("start")),
        exp.Is(this=time.copy(), expression=exp.Null()),
        exp.Not(this=exp.In(this=dml.row_hash("f"), query=exp.Subquery(this=built_from))),
    )
    keys = [dml.column(c, "f") for c in model.header.key]
    return exp.Select(expressions=keys).from_(source, copy=False).where(recent, copy=False)


def _replace_scope(con: duckdb.DuckDBPyConnection, model: Model, sql: Query, in_scope: int) -> int:
    """Delete the rows of keys in scope (`in_scope` of them) or gone, insert those of the
    keys in scope; the change in the number of rows."""
    if not in_scope and not _keys_gone(con, model):
        return 0  # no key new, changed, recent or gone: every row stays as it is
    gone = exp.or_(_in_scope(model, "t"), exp.Not(this=_in_source(model, "t")))
    deleted = affected(con, dml.delete(model.name, gone, alias="t"))
    crash_point("refresh.mid_model")
    inserted = 0
    if in_scope:
        # when the grain holds the key, a duplicate is among the rows of the keys in scope
        scope_holds_keys = set(model.header.key) <= set(model.header.grain)
        with _shadowed(con, model):
            rows = dml.rows_of(_text(sql), "t", _in_scope(model, "t"))
            inserted = insert_checked(con, model, rows, only_new_keys=scope_holds_keys)
    _remember_keys(con, model)
    return inserted - deleted


def _keys_gone(con: duckdb.DuckDBPyConnection, model: Model) -> bool:
    """Whether `model_keys` holds hashes of rows no longer in `keys_from` (with no key in
    scope, every row of `keys_from` has its hash there, so counting is enough)."""
    remembered = scalar(con, read_sql(__file__, "count_model_keys"), {"model": model.name})
    return bool(remembered != scalar(con, dml.sql(dml.count_rows(model.header.keys_from or ""))))


@contextmanager
def _shadowed(con: duckdb.DuckDBPyConnection, model: Model) -> Iterator[None]:
    """For the block: a temporary view named `keys_from` with only the keys in scope
    (dropped after the block; after an error, by the refresh's rollback)."""
    name = model.header.keys_from or ""
    database = str(scalar(con, read_sql(__file__, "current_database")))
    source = dml.table(name, "main", database)
    source.set("alias", exp.TableAlias(this=exp.to_identifier("f")))
    every_column = exp.Column(this=exp.Star(), table=exp.to_identifier("f"))
    keys = exp.Select(expressions=[every_column]).from_(source, copy=False)
    keys = keys.where(_in_scope(model, "f"), copy=False)
    con.execute(dml.sql(dml.create_as("view", name, keys, temporary=True)))
    yield
    con.execute(dml.sql(dml.drop("view", name, temporary=True)))


def _remember_keys(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Record a hash of each `keys_from` row: the rows the model is now built from."""
    params = {"model": model.name}
    con.execute(read_sql(__file__, "forget_model_keys"), params)
    source = dml.table(model.header.keys_from or "")
    source.set("alias", exp.TableAlias(this=exp.to_identifier("f")))
    hashes = exp.Select(expressions=[dml.param("model"), dml.row_hash("f")]).from_(
        source, copy=False
    )
    target = exp.Schema(
        this=dml.table("model_keys"),
        expressions=[exp.to_identifier("model"), exp.to_identifier("row_hash")],
    )
    con.execute(dml.sql(exp.Insert(this=target, expression=hashes)), params)
