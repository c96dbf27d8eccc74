"""DuckDB SQL as Spark SQL: sqlglot's transpiler, plus the one function it cannot map.

The models and queries are written once, in DuckDB's dialect and the portable subset
(docs/models.md, Portability); Spark runs what this gives. sqlglot maps DuckDB's
`hash(...)` to Spark's `hash(...)`, a 32-bit murmur3 that would collide on a large lake,
so it becomes Spark's 64-bit `xxhash64(...)`. Neither value is stable across engines (nor
across DuckDB versions): a model that keys on one is rebuilt in full when the engine
changes (its run digest names the engine, see `ctlake.models.runner.model_digest`).
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from ctlake.errors import BadInputError


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
    if isinstance(node, exp.Anonymous) and str(node.this).lower() == "hash":
        return exp.Anonymous(this="xxhash64", expressions=node.expressions)
    return node
