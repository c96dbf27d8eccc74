"""The statements the runner wraps around a model's SQL, built as sqlglot expressions.

Their shape varies with the model (its name, kind, time column, grain, key), so they are
built, not written: identifiers are quoted by sqlglot, values (a window's bounds, a model's
name as data) are `$name` parameters bound by DuckDB. The model's own SQL goes in as the text it
was rendered to (a `str` where a query goes: sqlglot's generator writes strings as they
are): parsing it on every refresh would cost more than running most incremental windows,
and it is checked once, by `project.referenced_tables`.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlglot
from sqlglot import exp
from sqlglot.generator import Generator

_KINDS = {"table": "TABLE", "view": "VIEW"}


class _Generator(Generator):
    """sqlglot's own SQL, which for these statements is DuckDB's, with DuckDB's `$name`
    parameters. Not the `duckdb` dialect: loading it costs about 25 ms, a tenth of an
    hourly refresh (bench/README.md); tests/models/test_dml.py checks both write the same."""

    NAMED_PLACEHOLDER_TOKEN = "$"


def sql(expression: exp.Expr) -> str:
    """`expression` as DuckDB SQL."""
    return _Generator().generate(expression)


def table(name: str, db: str | None = None, catalog: str | None = None) -> exp.Table:
    """The quoted table `[catalog.][db.]name`."""
    return exp.Table(
        this=exp.to_identifier(name, quoted=True),
        db=exp.to_identifier(db, quoted=True) if db else None,
        catalog=exp.to_identifier(catalog, quoted=True) if catalog else None,
    )


def column(name: str, alias: str | None = None) -> exp.Column:
    """The quoted column `[alias.]name`."""
    return exp.Column(
        this=exp.to_identifier(name, quoted=True),
        table=exp.to_identifier(alias) if alias else None,
    )


def param(name: str) -> exp.Placeholder:
    """The bound parameter `$name`."""
    return exp.Placeholder(this=name)


def rows_of(query: str | exp.Expr, alias: str, where: exp.Expr | None = None) -> exp.Select:
    """`SELECT * FROM (query) AS alias [WHERE where]`; a string `query` is a model's SQL."""
    source = exp.Subquery(this=query, alias=exp.TableAlias(this=exp.to_identifier(alias)))
    select = exp.Select(expressions=[exp.Star()]).from_(source, copy=False)
    return select.where(where, copy=False) if where is not None else select


def create_as(
    kind: str, name: str, query: str | exp.Expr, *, temporary: bool = False
) -> exp.Create:
    """`CREATE OR REPLACE [TEMP] TABLE|VIEW name AS query`."""
    properties = exp.Properties(expressions=[exp.TemporaryProperty()]) if temporary else None
    return exp.Create(
        this=table(name), kind=kind.upper(), expression=query, replace=True, properties=properties
    )


def drop(kind: str, name: str, *, temporary: bool = False) -> exp.Expr:
    """`DROP TABLE|VIEW name`; a temporary one is named in DuckDB's `temp.main`."""
    target = table(name, "main", "temp") if temporary else table(name)
    # parsed, not built: sqlglot's Drop holds its target in `this` or in `tables` by version
    statement = sqlglot.parse_one(f"DROP {_KINDS[kind]} t")
    statement.find(exp.Table).replace(target)  # type: ignore[union-attr]
    return statement


def delete(name: str, where: exp.Expr | None = None, alias: str | None = None) -> exp.Delete:
    """`DELETE FROM name [AS alias] [WHERE where]`."""
    target = table(name)
    if alias:
        target.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return exp.Delete(this=target, where=exp.Where(this=where) if where is not None else None)


def insert(name: str, query: str | exp.Expr, returning: Sequence[str] = ()) -> exp.Insert:
    """`INSERT INTO name query [RETURNING columns]`."""
    statement = exp.Insert(this=table(name), expression=query)
    if returning:
        statement.set("returning", exp.Returning(expressions=[column(c) for c in returning]))
    return statement


def in_window(time_column: str) -> exp.Expr:
    """`(time >= $start AND time < $end) OR time IS NULL`: a row of the window `[start,
    end)`, or one not settled yet (which belongs to every window)."""
    time = column(time_column)
    bounded = exp.and_(
        exp.GTE(this=time, expression=param("start")),
        exp.LT(this=time.copy(), expression=param("end")),
    )
    return exp.or_(exp.Paren(this=bounded), exp.Is(this=time.copy(), expression=exp.Null()))


def duplicate_key(name: str, grain: Sequence[str]) -> exp.Select:
    """One key of `grain` that two rows of table `name` share, if any."""
    columns = [column(c) for c in grain]
    return (
        exp.Select(expressions=columns)
        .from_(table(name), copy=False)
        .group_by(*[c.copy() for c in columns], copy=False)
        .having(
            exp.GT(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(1)), copy=False
        )
        .limit(1, copy=False)
    )


def count_rows(name: str) -> exp.Select:
    """`SELECT count(*) FROM name`."""
    return exp.Select(expressions=[exp.Count(this=exp.Star())]).from_(table(name), copy=False)


def same_key(key: Sequence[str], left: str, right: str) -> exp.Expr:
    """`left.k IS NOT DISTINCT FROM right.k` for every column k of `key`."""
    return exp.and_(
        *(exp.NullSafeEQ(this=column(c, left), expression=column(c, right)) for c in key)
    )


def exists(source: exp.Table, alias: str, where: exp.Expr) -> exp.Exists:
    """`EXISTS (SELECT 1 FROM source AS alias WHERE where)`."""
    aliased = source.copy()
    aliased.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    select = exp.Select(expressions=[exp.Literal.number(1)]).from_(aliased, copy=False)
    return exp.Exists(this=select.where(where, copy=False))


def row_hash(alias: str) -> exp.Expr:
    """`md5(CAST(alias AS TEXT))`: a hash of a whole row (TEXT is VARCHAR in DuckDB)."""
    whole_row = exp.Column(this=exp.to_identifier(alias))
    return exp.MD5(this=exp.Cast(this=whole_row, to=exp.DataType.build("TEXT")))
