"""Tree rewrites from CloudTrail Lake (Trino) meaning to DuckDB meaning.

`REWRITES` is the pipeline `ctlake.dialect.lake.to_duckdb` applies, in order, to the tree
sqlglot parsed. Each step takes and returns a tree and does one thing; the function
translations live in `ctlake.dialect.functions`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from sqlglot import exp

from ctlake.dialect.errors import LakeDialectError
from ctlake.dialect.functions import check_functions, translate_functions
from ctlake.dialect.partitions import add_partition_bounds

__all__ = ["REWRITES", "LakeDialectError"]

EVENTS = "events"
# Event data store names that are valid SQL identifiers: the documented placeholder
# (`event_data_store_ID`), names used in AWS's samples (`EDS1`, `edsID`), a quoted id.
STORE_NAME = re.compile(
    r"(?i)^(?:eds[\w-]*|event_?data_?store(?:_?id)?|[a-z0-9]+(?:-[a-z0-9]+){2,}|arn:aws.*)$"
)
# Columns that are timestamps in CloudTrail Lake. CloudTrail Lake compares them with
# strings ('2023-01-22 00:00:00'); here the string becomes a typed TIMESTAMP literal.
TIME_COLUMNS = {"eventtime", "insightstart", "insightend"}
# A timestamp on AWS but text in the lake (as CloudTrail writes it): compared as a time.
TEXT_TIME_COLUMNS = {"creationdate"}
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)


def rename_stores(tree: exp.Expr) -> exp.Expr:
    """`FROM event_data_store_ID` (or `EDS1`, `"a1b2c3d4-..."`) reads `events`; a name that
    other clauses use as a qualifier stays usable as the alias."""
    qualifiers = {col.table.lower() for col in tree.find_all(exp.Column) if col.table}
    for table in tree.find_all(exp.Table):
        name = table.name
        if table.args.get("db") or not STORE_NAME.match(name) or name.lower() == EVENTS:
            continue
        table.set("this", exp.to_identifier(EVENTS))
        if not table.alias and name.lower() in qualifiers:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(name)))
    return tree


def cast_time_literals(tree: exp.Expr) -> exp.Expr:
    """`eventTime > '2023-01-22 00:00:00'` compares with a TIMESTAMP, as CloudTrail Lake does."""
    for node in list(tree.find_all(*_COMPARISONS, exp.Between, exp.In)):
        subject = node.this
        if isinstance(node, exp.Between | exp.In):
            others = [node.args.get("low"), node.args.get("high"), *node.expressions]
        else:
            others = [node.expression]
            if not _is_time(subject) and _is_time(node.expression):
                subject, others = node.expression, [node.this]
        if not _is_time(subject):
            continue
        for other in others:
            if isinstance(other, exp.Literal) and other.is_string:
                other.replace(timestamp_literal(other.this))
        if subject.name.lower() in TEXT_TIME_COLUMNS:
            subject.replace(exp.TryCast(this=subject.copy(), to=exp.DataType.build("TIMESTAMP")))
    return tree


def timestamp_literal(text: str) -> exp.Expr:
    """`CAST('<UTC time>' AS TIMESTAMP)` for an ISO time string (offsets become UTC)."""
    try:
        parsed = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return exp.cast(exp.Literal.string(text), "TIMESTAMP")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return exp.cast(exp.Literal.string(parsed.isoformat(sep=" ")), "TIMESTAMP")


def unnest_rows(tree: exp.Expr) -> exp.Expr:
    """Trino expands `UNNEST(resources) AS t(accountId, type, arn)` into one column per
    row field, and zips `UNNEST(a, b)`; DuckDB does both in a LATERAL select."""
    for unnest in list(tree.find_all(exp.Unnest)):
        alias = unnest.args.get("alias")
        columns = alias.columns if alias else []
        args = unnest.expressions
        if not isinstance(unnest.parent, exp.From | exp.Join) or unnest.args.get("offset"):
            continue
        if len(args) == 1 and len(columns) > 1:
            depth = exp.PropertyEQ(
                this=exp.to_identifier("max_depth"), expression=exp.Literal.number(2)
            )
            selects: list[exp.Expr] = [exp.Explode(this=args[0].copy(), expressions=[depth])]
        elif len(args) > 1:
            selects = [exp.Explode(this=arg.copy()) for arg in args]
        else:
            continue
        subquery = exp.Subquery(this=exp.Select(expressions=selects))
        unnest.replace(exp.Lateral(this=subquery, alias=alias.copy() if alias else None))
    return tree


def events_names(select: exp.Select) -> set[str]:
    """The names (alias or `events`) by which `select` reads `events` directly."""
    sources = [select.args.get("from_") or select.args.get("from")]
    sources += [join for join in select.args.get("joins") or []]
    names = set()
    for source in sources:
        table = source.this if source is not None else None
        if (
            isinstance(table, exp.Table)
            and table.name.lower() == EVENTS
            and not table.args.get("db")
        ):
            names.add((table.alias or EVENTS).lower())
    return names


def _is_time(node: exp.Expr | None) -> bool:
    return isinstance(node, exp.Column | exp.Dot) and node.name.lower() in (
        TIME_COLUMNS | TEXT_TIME_COLUMNS
    )


REWRITES: list[Callable[[exp.Expr], exp.Expr]] = [
    rename_stores,
    cast_time_literals,
    unnest_rows,
    translate_functions,
    add_partition_bounds,
    check_functions,
]
