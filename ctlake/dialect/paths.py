"""Struct paths the lake's schema does not know, read from the record itself.

CloudTrail adds subfields over time (`userIdentity.sessionContext.ec2IssuedInVPC` came
after many lakes were made). Each event keeps its raw record in `eventJson`, so a path
like `userIdentity.sessionContext.someNewField` whose last known step is a struct becomes

    json_extract_string(eventJson, '$."userIdentity"."sessionContext"."someNewField"')

(text, as CloudTrail Lake shows nested values; NULL where the record has no such field).
Known steps take the schema's spelling, so `useridentity.sessioncontext.x` finds
`$.userIdentity.sessionContext.x`; the unknown steps are looked up as written, since JSON
keys are case-sensitive.

Why resolve here, against the schema of the lake being queried, rather than run the query
and catch DuckDB's binder error: the translation stays a pure function of the SQL and the
schema, a query runs once, no engine error text is parsed (it changes between DuckDB
versions), every unknown path of a statement is handled at once, and any other binder
error is left as DuckDB reports it. Only paths under a struct column of `events` read
directly by the same SELECT are resolved: an unknown top-level column, or a path under a
map or a scalar, stays an error, so a misspelt column is still reported.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
from duckdb.sqltypes import DuckDBPyType
from sqlglot import exp

from ctlake.dialect.rewrites import EVENTS, events_names

Schema = Mapping[str, DuckDBPyType]  # column name -> type, as `events` has them
RECORD = "eventJson"


def events_schema(con: duckdb.DuckDBPyConnection) -> dict[str, DuckDBPyType]:
    """The columns of `events` on `con` and their types ({} when there is no `events`)."""
    try:
        relation = con.table(EVENTS)
    except duckdb.Error:
        return {}
    return dict(zip(relation.columns, relation.types, strict=True))


def resolve_paths(tree: exp.Expr, schema: Schema) -> exp.Expr:
    """Replace each struct path unknown to `schema` by its value in the raw record."""
    columns = {name.lower(): (name, kind) for name, kind in schema.items()}
    if RECORD.lower() not in columns:
        return tree
    for node in list(tree.find_all(exp.Column, exp.Dot)):
        if _is_outermost(node):
            _resolve(node, columns)
    return tree


def _resolve(node: exp.Expr, columns: dict[str, tuple[str, DuckDBPyType]]) -> None:
    parts = _parts(node)
    select = node.find_ancestor(exp.Select)
    if parts is None or select is None:
        return
    names = events_names(select)
    qualifier = parts[0] if len(parts) > 2 and parts[0].lower() in names else None
    path = parts[1:] if qualifier else parts
    if not names or (qualifier is None and len(names) > 1) or len(path) < 2:
        return
    found = columns.get(path[0].lower())
    if found is None or found[1].id != "struct":
        return
    json_path = _json_path(found, path)
    if json_path is None:
        return
    value = exp.Anonymous(
        this="JSON_EXTRACT_STRING",
        expressions=[exp.column(RECORD, table=qualifier), exp.Literal.string(json_path)],
    )
    if node.parent is select and node in select.expressions:
        node.replace(exp.alias_(value, parts[-1], quoted=True))
    else:
        node.replace(value)


def _json_path(found: tuple[str, DuckDBPyType], path: list[str]) -> str | None:
    """The JSON path of `path` when a step of it is unknown to a struct of the schema; None
    when the schema knows it all, or it goes on under something that is not a struct."""
    name, kind = found
    spelled = [name]
    for step, part in enumerate(path[1:], start=1):
        if kind.id != "struct":
            return None
        children = {
            child.lower(): (child, sub)
            for child, sub in kind.children
            if isinstance(sub, DuckDBPyType)  # a struct's children are (name, type)
        }
        if part.lower() not in children:
            return "$" + "".join(f'."{key}"' for key in spelled + path[step:])
        child, kind = children[part.lower()]
        spelled.append(child)
    return None


def _parts(node: exp.Expr) -> list[str] | None:
    """The names of a dotted reference (`e.userIdentity.sessionContext.x`), else None."""
    if isinstance(node, exp.Column):
        parts = node.parts
        return [part.name for part in parts] if all(p.name for p in parts) else None
    if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Identifier):
        inner = _parts(node.this)
        return None if inner is None else [*inner, node.expression.name]
    return None


def _is_outermost(node: exp.Expr) -> bool:
    """Not the inner part of a longer dotted reference."""
    parent = node.parent
    return not (isinstance(parent, exp.Dot) and parent.this is node)
