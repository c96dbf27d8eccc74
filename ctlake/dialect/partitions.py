"""Partition bounds from time bounds: a query states its `eventTime` window, and reads only
the `eventDate` partitions that window needs.

The events of date D are stored under `eventDate=D`, and `eventDate` is the date of
`eventTime` on every row. So an AND-ed condition `eventTime >= t` implies
`eventDate >= date(t)` (likewise `>`, `<`, `<=`, `=` and `BETWEEN`); adding the implied
condition never changes a result, and DuckDB, which knows nothing of that link, then
opens only the partitions the window needs. Every query ctlake runs goes through here:
the Lake dialect's translation (`rewrites.REWRITES`), the saved queries and what is typed
at `ctlake sql` (`with_partition_bounds`).

A condition counts only when it is certain to be about the lake's `events`:
- it is one of the conditions AND-ed at the top of a WHERE (not under OR or NOT);
- its column is `eventTime` of a table `events` read in that SELECT (by name or alias,
  `temp.events` too), not of a common table expression or subquery of that name; an
  unqualified `eventTime` counts only when `events` is the SELECT's one source;
- the other side is a value fixed for the whole query: literals, bound parameters
  by name or number (`$until`, `$1`), casts, intervals, arithmetic, `now()`; not a
  column, subquery, aggregate, window, a function whose value changes from call to call
  (`random()`), nor a positional `?` (a copy of it would take the next value given).
The bound compares `eventDate` with `CAST(CAST(value AS TIMESTAMP) AS DATE)`: the date of
the value as DuckDB compares it with the TIMESTAMP `eventTime`.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, OptimizeError, ParseError, SqlglotError, TokenError
from sqlglot.optimizer.scope import Scope, traverse_scope

EVENTS = "events"
EVENT_TIME = "eventtime"
# Where the readers' `events` view lives (a TEMP view): (catalog, db) as a query names it.
_EVENTS_PLACES = {("", ""), ("", "temp"), ("temp", "main")}
_COMPARISONS = (exp.EQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_MIRRORED: dict[type[exp.Expr], type[exp.Expr]] = {
    exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE, exp.EQ: exp.EQ,
}  # fmt: skip
# eventTime > t  =>  eventDate >= date(t): a later time can fall on the same date.
_ON_DATES: dict[type[exp.Expr], type[exp.Expr]] = {
    exp.GT: exp.GTE, exp.GTE: exp.GTE, exp.LT: exp.LTE, exp.LTE: exp.LTE, exp.EQ: exp.EQ,
}  # fmt: skip
_NOT_FIXED = (exp.Column, exp.Query, exp.AggFunc, exp.Window, exp.Rand, exp.Randn, exp.Uuid)
_VOLATILE = {"random", "uuid", "gen_random_uuid", "nextval", "currval", "setseed"}


def with_partition_bounds(sql: str) -> str:
    """DuckDB SQL `sql` (one statement) with the `eventDate` bounds its `eventTime` bounds
    imply. `sql` itself when there are none, or when it is not one query sqlglot can read
    and write back (DuckDB then runs exactly what was given)."""
    try:
        statements = sqlglot.parse(sql, read="duckdb")
    except (ParseError, TokenError):
        return sql
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        return sql
    tree = statements[0]
    if not _add_bounds(tree):
        return sql
    try:
        return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError:
        return sql


def add_partition_bounds(tree: exp.Expr) -> exp.Expr:
    """`tree` with the `eventDate` bounds its `eventTime` bounds imply, added in place."""
    _add_bounds(tree)
    return tree


def _add_bounds(tree: exp.Expr) -> int:
    """Add the bounds to each SELECT of `tree`; how many were added."""
    try:
        scopes = traverse_scope(tree)
    except OptimizeError:  # a shape sqlglot cannot scope: leave the query as it is
        return 0
    added = 0
    for scope in scopes:
        select = scope.expression
        if not isinstance(select, exp.Select):
            continue
        where = select.args.get("where")
        names = _events_names(scope)
        if where is None or not names:
            continue
        single = len(scope.selected_sources) == 1
        bounds = [
            bound
            for conjunct in _conjuncts(where.this)
            for bound in _date_bounds(conjunct, names, single)
        ]
        if bounds:
            select.where(*bounds, copy=False)
            added += len(bounds)
    return added


def _events_names(scope: Scope) -> set[str]:
    """The names (alias, or `events`) by which the SELECT of `scope` reads `events`."""
    names = set()
    for name, (_node, source) in scope.selected_sources.items():
        if (
            isinstance(source, exp.Table)
            and source.name.lower() == EVENTS
            and (source.catalog.lower(), source.db.lower()) in _EVENTS_PLACES
        ):
            names.add(name.lower())
    return names


def _conjuncts(condition: exp.Expr) -> list[exp.Expr]:
    """The conditions AND-ed at the top of `condition`, parentheses removed."""
    condition = condition.unnest()
    if isinstance(condition, exp.And):
        return [part.unnest() for part in condition.flatten()]
    return [condition]


def _date_bounds(node: exp.Expr, names: set[str], single: bool) -> list[exp.Expr]:
    if isinstance(node, exp.Between):
        column = _event_time(node.this, names, single)
        low, high = node.args.get("low"), node.args.get("high")
        if column is None or not (_fixed(low) and _fixed(high)) or node.args.get("symmetric"):
            return []
        return [exp.GTE(this=_date(column), expression=_day(low)),
                exp.LTE(this=_date(column), expression=_day(high))]  # fmt: skip
    if not isinstance(node, _COMPARISONS):
        return []
    kind: type[exp.Expr] = type(node)
    left, right = node.this, node.expression
    if _event_time(left, names, single) is None:
        left, right, kind = right, left, _MIRRORED[kind]
    column = _event_time(left, names, single)
    if column is None or not _fixed(right):
        return []
    return [_ON_DATES[kind](this=_date(column), expression=_day(right))]


def _event_time(node: exp.Expr | None, names: set[str], single: bool) -> exp.Column | None:
    if not isinstance(node, exp.Column) or node.name.lower() != EVENT_TIME:
        return None
    if node.args.get("db") or node.args.get("catalog"):
        return None
    if node.table:
        return node if node.table.lower() in names else None
    return node if single else None


def _fixed(node: exp.Expr | None) -> bool:
    """A value that is the same for every row and every evaluation in the query."""
    if node is None:
        return False
    for part in node.walk():
        if isinstance(part, _NOT_FIXED):
            return False
        if isinstance(part, exp.Anonymous) and part.name.lower() in _VOLATILE:
            return False
        if isinstance(part, exp.Placeholder) and not part.args.get("this"):
            return False  # `?`: a copy would take the next positional value, not this one
    return True


def _date(column: exp.Column) -> exp.Column:
    return exp.column("eventDate", table=column.table or None)


def _day(value: exp.Expr | None) -> exp.Expr:
    assert value is not None
    return exp.cast(exp.cast(value.copy(), "TIMESTAMP"), "DATE")
