"""The CloudTrail Lake dialect: run the SQL people wrote for AWS CloudTrail Lake on the lake.

    to_duckdb("SELECT eventName, COUNT(*) FROM $EDS_ID WHERE eventTime > '2023-01-22 00:00:00'
               GROUP BY 1")  ->  DuckDB SQL over the `events` view

CloudTrail Lake SQL is Trino (Presto). The translation is a pipeline of plain steps:

1. `FROM` / `JOIN` targets that are not valid SQL are replaced by `events` before parsing:
   event data store ids (`a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`), EDS ARNs
   (`arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/...`), and the placeholders
   people paste from samples (`$EDS_ID`, `${EDS_ID}`, `<EDS ID>`, `<event-data-store-ID>`).
   String literals and comments are left alone.
2. sqlglot parses the text as Trino (one SELECT statement, as CloudTrail Lake allows).
3. `ctlake.dialect.rewrites.REWRITES` change the tree where Trino and DuckDB differ in
   meaning, not just in spelling: store names that are valid identifiers
   (`event_data_store_ID`, `EDS1`, a quoted UUID), timestamps compared with strings,
   `UNNEST` of rows into columns, `cardinality` of maps, `slice`, Java date formats,
   JSON functions that return NULL on bad input, and `eventDate` bounds derived from
   `eventTime` bounds so DuckDB reads only the partitions a query needs.
4. sqlglot writes DuckDB SQL. A construct with no DuckDB equivalent (an unknown function,
   an untranslatable expression) is one `LakeDialectError` naming it.

Column names resolve as on AWS: DuckDB identifiers are case-insensitive, so `eventtime`,
`eventTime` and `useridentity.sessioncontext.sessionissuer.arn` all work.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, UnsupportedError

from ctlake.dialect.errors import LakeDialectError
from ctlake.dialect.rewrites import REWRITES

__all__ = ["LakeDialectError", "to_duckdb"]

EVENTS = "events"
_STORE_TOKEN = re.compile(
    r"""(?ix)
    \b(?P<keyword>FROM|JOIN)(?P<space>\s+)
    (?P<store>
        <[^<>\n]*>                                          # <EDS ID>, <event-data-store-ID>
      | \$\{?\w+\}?                                         # $EDS_ID, ${EDS_ID}
      | arn:aws[\w-]*:cloudtrail:[\w-]*:\d*:eventdatastore/[\w-]+   # an EDS ARN
      | [a-z0-9_]+(?:-[a-z0-9_]+)+                          # an EDS id: a1b2c3d4-5678-...
    )
    """
)
# Quoted strings, quoted identifiers and comments: never rewritten by step 1.
_OPAQUE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)


def to_duckdb(sql: str) -> str:
    """The DuckDB SQL for one CloudTrail Lake (Trino) SELECT statement."""
    tree = _parse(replace_store_names(sql))
    for rewrite in REWRITES:
        tree = rewrite(tree)
    try:
        return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise LakeDialectError(
            f"lake dialect: cannot run this on DuckDB: {_one_line(exc)}"
        ) from exc


def replace_store_names(sql: str) -> str:
    """`sql` with event data store ids, ARNs and pasted placeholders after FROM / JOIN
    replaced by `events` (string literals and comments untouched)."""
    out: list[str] = []
    position = 0
    for opaque in _OPAQUE.finditer(sql):
        out.append(_STORE_TOKEN.sub(_to_events, sql[position : opaque.start()]))
        out.append(opaque.group(0))
        position = opaque.end()
    out.append(_STORE_TOKEN.sub(_to_events, sql[position:]))
    return "".join(out)


def _to_events(match: re.Match[str]) -> str:
    return f"{match.group('keyword')}{match.group('space')}{EVENTS}"


def _parse(sql: str) -> exp.Expr:
    try:
        statements = [s for s in sqlglot.parse(sql, read="trino") if s is not None]
    except ParseError as exc:
        raise LakeDialectError(f"lake dialect: not valid Trino SQL: {_one_line(exc)}") from exc
    if len(statements) != 1:
        raise LakeDialectError(
            f"lake dialect: expected one SELECT statement, got {len(statements)} statements"
        )
    tree = statements[0]
    if not isinstance(tree, exp.Query):
        kind = type(tree).__name__.upper()
        raise LakeDialectError(
            f"lake dialect: only SELECT statements are allowed (as in CloudTrail Lake), got {kind}"
        )
    return tree


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
