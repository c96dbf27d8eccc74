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
_MIRRORED: dict[type[exp.Binary], type[exp.Binary]] = {
    exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE,
}  # fmt: skip
_INCLUSIVE: dict[type[exp.Binary], type[exp.Binary]] = {exp.GT: exp.GTE, exp.LT: exp.LTE}


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


def add_partition_bounds(tree: exp.Expr) -> exp.Expr:
    """Add `eventDate` bounds implied by `eventTime` bounds (eventDate is the date of
    eventTime), so DuckDB prunes the partitions a query cannot need."""
    for select in list(tree.find_all(exp.Select)):
        names = events_names(select)
        where = select.args.get("where")
        if not names or where is None:
            continue
        single = not select.args.get("joins")
        condition = where.this.unnest()
        conjuncts = list(condition.flatten()) if isinstance(condition, exp.And) else [condition]
        bounds = [
            bound for conjunct in conjuncts for bound in _date_bounds(conjunct, names, single)
        ]
        if bounds:
            select.where(*bounds, copy=False)
    return tree


def _date_bounds(node: exp.Expr, names: set[str], single: bool) -> list[exp.Expr]:
    if isinstance(node, exp.Between):
        low, high = node.args.get("low"), node.args.get("high")
        column = _event_time(node.this, names, single)
        if column is None or not (_constant(low) and _constant(high)):
            return []
        return [
            exp.GTE(this=_date(column), expression=_as_date(low)),
            exp.LTE(this=_date(column), expression=_as_date(high)),
        ]
    if not isinstance(node, _COMPARISONS) or isinstance(node, exp.NEQ):
        return []
    left, right = node.this, node.expression
    kind: type[exp.Binary] = type(node)
    if _event_time(left, names, single) is None:
        left, right, kind = right, left, _MIRRORED.get(kind, kind)
    column = _event_time(left, names, single)
    if column is None or not _constant(right):
        return []
    date_kind = _INCLUSIVE.get(kind, kind)  # eventTime > t  =>  eventDate >= date(t)
    return [date_kind(this=_date(column), expression=_as_date(right))]


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


def _event_time(node: exp.Expr | None, names: set[str], single: bool) -> exp.Column | None:
    if not isinstance(node, exp.Column) or node.name.lower() != "eventtime":
        return None
    if node.table:
        return node if node.table.lower() in names else None
    return node if single else None


def _constant(node: exp.Expr | None) -> bool:
    if node is None:
        return False
    kinds = (exp.Column, exp.Query, exp.AggFunc, exp.Window)
    return not isinstance(node, kinds) and next(node.find_all(*kinds), None) is None


def _date(column: exp.Column) -> exp.Column:
    return exp.column("eventDate", table=column.table or None)


def _as_date(value: exp.Expr | None) -> exp.Expr:
    assert value is not None
    return exp.cast(value.copy(), "DATE")


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
