"""DuckDB SQL as Spark SQL: sqlglot's transpiler, plus the functions it cannot map.

The models and queries are written once, in DuckDB's dialect and the portable subset
(docs/models.md, Portability); Spark runs what this gives. sqlglot maps DuckDB's
`hash(...)` to Spark's `hash(...)`, a 32-bit murmur3 that would collide on a large lake,
so it becomes Spark's 64-bit `xxhash64(...)`. Neither value is stable across engines (nor
across DuckDB versions): a model that keys on one is rebuilt in full when the engine
changes (its run digest names the engine, see `ctlake.models.runner.model_digest`).

DuckDB's JSON functions, which the Lake dialect writes for Trino's (`ctlake.dialect.functions`)
and users write in DuckDB SQL, become Spark expressions with DuckDB's answers
(`sql/json_*.sql`): `json_valid` and `json_type` read the text as a Spark VARIANT,
`json_extract` keeps a string's quotes, and `json_extract_string` of a path ending in
`[*]` is a list of strings. sqlglot's own mapping gives `get_json_object` for all but
the first, which Spark lacks, and the last, where it returns text, not a list.
`json_extract_string` of any other path stays sqlglot's `get_json_object`: the same text.
A JSON path Spark cannot follow (a JSON pointer `/a/b`, `[#-1]`, a `[*]` inside the path,
a path that is not a constant) is a one-line error naming it.
"""

from __future__ import annotations

from functools import cache

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import UnsupportedError

from ctlake.errors import BadInputError
from ctlake.resources import read_sql
from ctlake.sqltext import blank_comments


def to_spark(sql: str, where: str, read: str = "duckdb") -> str:
    """The single statement `sql` (in dialect `read`) as Spark SQL. `where` names its
    source (a model file, `-c`) in the one-line error a statement sqlglot cannot read or
    write gives."""
    try:
        tree = sqlglot.parse_one(sql, read=read)
        tree = tree.transform(_spark_functions)
        return tree.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
    except sqlglot.errors.SqlglotError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise BadInputError(f"{where}: cannot run on Spark: {detail}") from exc


def _spark_functions(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Anonymous):
        return _spark_anonymous(node)
    if isinstance(node, exp.JSONType):
        return _json_type(node)
    if isinstance(node, exp.JSONExtractScalar) and _ends_in_wildcard(node.expression):
        return _template("json_strings", document=node.this, path=_path(node.expression))
    if isinstance(node, exp.JSONExtractScalar) and _is_constant(node.expression):
        _path(node.expression)  # a path DuckDB follows and get_json_object does not: refused
        return node
    if isinstance(node, exp.JSONExtract):
        return _template("json_extract", document=node.this, path=_path(node.expression))
    return node


def _spark_anonymous(node: exp.Anonymous) -> exp.Expr:
    name, args = str(node.this).lower(), node.expressions
    if name == "hash":
        return exp.Anonymous(this="xxhash64", expressions=args)
    if name == "json_valid" and len(args) == 1:
        return _template("json_valid", document=args[0])
    return node


def _json_type(node: exp.JSONType) -> exp.Expr:
    """DuckDB's json_type(document[, path]), from the VARIANT at `path`."""
    value: exp.Expr = exp.Anonymous(this="TRY_PARSE_JSON", expressions=[node.this.copy()])
    path = node.args.get("expression")
    if path is not None:
        value = exp.Anonymous(this="TRY_VARIANT_GET", expressions=[value, _path(path)])
    return _template("json_type", value=value)


def _path(given: exp.Expr) -> exp.Literal:
    """DuckDB's JSON path `given` as the Spark literal both get_json_object and variant_get
    follow; a wildcard is allowed only at its end (the caller decides what it means)."""
    if not _is_constant(given):
        raise UnsupportedError(f"JSON path {given.sql(dialect='duckdb')} (not a constant)")
    path = given
    if isinstance(given, exp.Literal):
        path = Dialect.get_or_raise("duckdb").to_json_path(given) or given
    if not isinstance(path, exp.JSONPath):
        raise UnsupportedError(f"JSON path {given.sql(dialect='duckdb')}")
    steps = path.expressions[:-1] if _ends_in_wildcard(path) else path.expressions
    if any(step.find(exp.JSONPathWildcard) for step in steps):
        raise UnsupportedError(f"JSON path {path.sql(dialect='spark')} (a [*] before its end)")
    followed = exp.JSONPath(expressions=[step.copy() for step in steps])
    return exp.Literal.string(followed.sql(dialect="spark")[1:-1].replace("\\'", "'"))


def _is_constant(path: exp.Expr) -> bool:
    return isinstance(path, exp.JSONPath) or path.is_string


def _ends_in_wildcard(path: exp.Expr) -> bool:
    return (
        isinstance(path, exp.JSONPath)
        and bool(path.expressions)
        and bool(path.expressions[-1].find(exp.JSONPathWildcard))
    )


def _template(name: str, **values: exp.Expr) -> exp.Expr:
    """The Spark expression in `sql/<name>.sql`, each `:key` placeholder a copy of
    `values[key]`."""
    return _parsed(name).transform(lambda node: _filled(node, values))


def _filled(node: exp.Expr, values: dict[str, exp.Expr]) -> exp.Expr:
    if isinstance(node, exp.Placeholder) and node.name in values:
        return values[node.name].copy()
    return node


@cache
def _parsed(name: str) -> exp.Expr:
    return sqlglot.parse_one(blank_comments(read_sql(__file__, name)), read="spark")
