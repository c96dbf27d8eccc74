"""Logs Insights commands -> one DuckDB SELECT over `events`.

A query is a pipeline; the compiler keeps the SELECT being built (a `Stage`) and adds each
command to it, starting a new stage over the previous one (as a subquery) only when the
command must see the previous one's result: a `filter` after a `limit`, anything after
`stats`. Names a command defines (`fields x as y`, `parse ... as y`, `stats ... as y`) are
kept as expressions and substituted where used, so a plain query stays one SELECT whose
conditions DuckDB pushes into the Parquet scan.

Defaults, as CloudWatch's: the columns are those of `fields`/`display`, else (without
`stats`) `@timestamp` and `@message`; events are sorted newest first (`@timestamp desc`)
unless `sort` says otherwise, `stats` results by their groups; at most 10,000 rows unless
`limit` says otherwise (up to 100,000). The time range (`since`, `until`) bounds
`eventTime` and the `eventDate` partitions read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlglot import exp

from ctlake.cloudwatch.logs_insights import functions as fns
from ctlake.cloudwatch.logs_insights import syntax as ast
from ctlake.cloudwatch.logs_insights.errors import LogsInsightsError
from ctlake.cloudwatch.logs_insights.fields import (
    BOOL,
    NUMBER,
    TEXT,
    TIME,
    Value,
    column,
    resolve,
    typed_fields,
)

DEFAULT_LIMIT = 10_000
MAX_LIMIT = 100_000
DEFAULT_COLUMNS = ("@timestamp", "@message")
EVENTS = "events"
_COMPARE = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}
_ARITHMETIC = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul, "/": exp.Div, "%": exp.Mod}
_NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z_])")


@dataclass
class Stage:
    """One SELECT of the pipeline. `over_events`: its rows are events (CloudTrail field
    names resolve); otherwise they are the rows of `stats`, and only its columns exist."""

    source: exp.Expr
    over_events: bool
    names: dict[str, Value] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    where: list[exp.Expr] = field(default_factory=list)
    order: list[exp.Ordered] = field(default_factory=list)
    default_order: list[exp.Ordered] = field(default_factory=list)
    qualify: exp.Expr | None = None
    limit: int | None = None
    depth: int = 0  # stages below this one: names the subqueries

    @property
    def closed(self) -> bool:
        """Whether rows were already cut (limit, dedup): later filters see the cut rows."""
        return self.limit is not None or self.qualify is not None


def compile_query(
    query: str, since: datetime | None = None, until: datetime | None = None
) -> exp.Select:
    """The DuckDB SELECT for Logs Insights `query` over events in [since, until)."""
    commands = ast.parse(query)
    stage = Stage(exp.to_table(EVENTS), over_events=True, where=_time_range(since, until))
    display: tuple[str, ...] | None = None
    deduped = False
    for command in commands:
        if deduped and not isinstance(command, ast.Limit):
            raise LogsInsightsError("only limit can follow dedup (as in CloudWatch)")
        if isinstance(command, ast.Display):
            display = tuple(f.name for f in command.fields)
            continue
        deduped = deduped or isinstance(command, ast.Dedup)
        stage = _apply(stage, command)
    return _final(stage, display)


def _apply(stage: Stage, command: ast.Command) -> Stage:
    if isinstance(command, ast.Fields):
        stage = _open(stage)
        for item in command.items:
            stage.names[item.name] = _value(stage, item.expr)
            _show(stage, item.name)
    elif isinstance(command, ast.Parse):
        stage = _open(stage)
        _parse(stage, command)
    elif isinstance(command, ast.Filter):
        stage = _open(stage)
        stage.where.append(_condition(stage, command.condition))
    elif isinstance(command, ast.Stats):
        stage = _stats(_open(stage), command)
    elif isinstance(command, ast.Sort):
        stage = _open(stage)
        stage.order = [_ordered(_value(stage, k.expr).sql, k.descending) for k in command.keys]
    elif isinstance(command, ast.Dedup):
        _dedup(stage, command)
    elif isinstance(command, ast.Limit):
        if not 1 <= command.count <= MAX_LIMIT:
            raise LogsInsightsError(f"limit {command.count}: expected 1 to {MAX_LIMIT}")
        stage.limit = min(stage.limit or command.count, command.count)
    return stage


# -- stages ---------------------------------------------------------------------------------


def _open(stage: Stage) -> Stage:
    """`stage` if it can take another command, else a new stage over its rows."""
    return _wrap(stage) if stage.closed else stage


def _wrap(stage: Stage) -> Stage:
    """A stage reading `stage`'s rows: with events, every column of the event plus the
    names defined so far (a name that is also a column replaces it)."""
    alias = f"_stage{stage.depth + 1}"
    columns = [exp.alias_(v.sql, name, quoted=True) for name, v in stage.names.items()]
    if stage.over_events:
        # DuckDB's names are case-insensitive: `fields x as eventname` replaces eventName.
        taken = {name.lower() for name in stage.names}
        replaced = [column(n) for n in _columns() if n.lower() in taken]
        star = exp.Star(except_=replaced) if replaced else exp.Star()
        columns = [star, *columns]
    select = _select(stage, columns, stage.order or stage.default_order)
    names = {name: Value(exp.column(name, table=alias, quoted=True), v.kind)
             for name, v in stage.names.items()}  # fmt: skip
    return Stage(
        exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias))),
        stage.over_events,
        names=names,
        shown=list(stage.shown),
        order=[o.copy() for o in stage.order] if stage.over_events else [],
        default_order=[o.copy() for o in stage.default_order],
        depth=stage.depth + 1,
    )


def _columns() -> list[str]:
    return [*typed_fields(), "eventTime", "eventJson", "lakeSource", "lakeBatch", "eventDate"]


def _select(stage: Stage, columns: Sequence[exp.Expr], order: Sequence[exp.Ordered]) -> exp.Select:
    select = exp.select(*columns, copy=False).from_(stage.source, copy=False)
    if stage.where:
        select = select.where(*stage.where, copy=False)
    if stage.qualify is not None:
        select = select.qualify(stage.qualify, copy=False)
    if order:
        select = select.order_by(*order, copy=False)
    if stage.limit is not None:
        select = select.limit(stage.limit, copy=False)
    return select


def _final(stage: Stage, display: tuple[str, ...] | None) -> exp.Select:
    shown = list(display or stage.shown or (DEFAULT_COLUMNS if stage.over_events else ()))
    columns = [exp.alias_(_lookup(stage, name).sql, name, quoted=True) for name in shown]
    order = stage.order or stage.default_order
    if stage.over_events and not stage.order:
        order = _newest_first()
    limited = replace(stage, limit=min(stage.limit or DEFAULT_LIMIT, MAX_LIMIT))
    return _select(limited, columns, order)


def _show(stage: Stage, name: str) -> None:
    if name not in stage.shown:
        stage.shown.append(name)


def _time_range(since: datetime | None, until: datetime | None) -> list[exp.Expr]:
    """eventTime in [since, until), and the eventDate partitions that range needs."""
    bounds: list[exp.Expr] = []
    timestamp, date = exp.DataType.build("TIMESTAMP"), exp.DataType.build("DATE")
    if since is not None:
        value = exp.cast(exp.Literal.string(since.isoformat(sep=" ")), timestamp)
        bounds.append(exp.GTE(this=column("eventTime"), expression=value))
        day = exp.cast(exp.Literal.string(since.date().isoformat()), date)
        bounds.append(exp.GTE(this=column("eventDate"), expression=day))
    if until is not None:
        value = exp.cast(exp.Literal.string(until.isoformat(sep=" ")), timestamp)
        bounds.append(exp.LT(this=column("eventTime"), expression=value))
        day = exp.cast(exp.Literal.string(until.date().isoformat()), date)
        bounds.append(exp.LTE(this=column("eventDate"), expression=day))
    return bounds


def _newest_first() -> list[exp.Ordered]:
    """CloudWatch's default order. Events of the same time come in any order, as there: a
    tie-breaker (eventID) cost a quarter of a selective query's time on the bench lake."""
    return [_ordered(column("eventTime"), True)]


def _ordered(sql: exp.Expr, descending: bool) -> exp.Ordered:
    # CloudWatch puts events without the field last either way.
    return exp.Ordered(this=sql, desc=descending, nulls_first=False)


# -- commands -------------------------------------------------------------------------------


def _stats(stage: Stage, command: ast.Stats) -> Stage:
    groups = [(g.name, _value(stage, g.expr)) for g in command.groups]
    aggregates = []
    for item in command.aggregates:
        if not _has_aggregate(item.expr):
            raise LogsInsightsError(
                f"stats {item.expr.text}: expected an aggregate function such as count(*), "
                f"sum(x), pct(x, 90) ({', '.join(fns.AGGREGATES)})"
            )
        aggregates.append((item.name, _value(stage, item.expr, aggregate=True)))
    outputs = [*groups, *aggregates]
    columns = [exp.alias_(v.sql, name, quoted=True) for name, v in outputs]
    select = _select(replace(stage, limit=None, qualify=None), columns, [])
    if groups:
        select = select.group_by(*(v.sql.copy() for _, v in groups), copy=False)
    alias = f"_stats{stage.depth + 1}"
    names = {name: Value(exp.column(name, table=alias, quoted=True), v.kind)
             for name, v in outputs}  # fmt: skip
    return Stage(
        exp.Subquery(this=select, alias=exp.TableAlias(this=exp.to_identifier(alias))),
        over_events=False,
        names=names,
        shown=[name for name, _ in outputs],
        default_order=[_ordered(names[name].sql.copy(), False) for name, _ in groups],
        depth=stage.depth + 1,
    )


def _has_aggregate(node: ast.Node) -> bool:
    if isinstance(node, ast.Call):
        return node.name.lower() in fns.AGGREGATES or any(_has_aggregate(a) for a in node.args)
    if isinstance(node, ast.Binary):
        return _has_aggregate(node.left) or _has_aggregate(node.right)
    if isinstance(node, ast.Negate):
        return _has_aggregate(node.item)
    return False


def _dedup(stage: Stage, command: ast.Dedup) -> None:
    """Keep the first event of each combination of values, in the sort order (default
    newest first); an event missing one of the fields is always kept."""
    keys = [_value(stage, f).sql for f in command.fields]
    order = stage.order or stage.default_order
    if stage.over_events and not stage.order:
        order = _newest_first()
    window = exp.Window(
        this=exp.RowNumber(),
        partition_by=[k.copy() for k in keys],
        order=exp.Order(expressions=[o.copy() for o in order]) if order else None,
    )
    first = exp.EQ(this=window, expression=exp.Literal.number(1))
    missing = [exp.Is(this=k.copy(), expression=exp.Null()) for k in keys]
    stage.qualify = exp.or_(*missing, first, copy=False)


def _parse(stage: Stage, command: ast.Parse) -> None:
    text = fns.as_text(_value(stage, command.source))
    if isinstance(command.pattern, ast.Regex):
        if command.names:
            raise LogsInsightsError(
                "parse with a regular expression names its fields in the expression "
                "((?<name>...)), not with as"
            )
        pattern = _NAMED_GROUP.sub("(?P<", command.pattern.pattern)
        try:
            groups = re.compile(pattern).groupindex
        except re.error as exc:
            raise LogsInsightsError(f"parse {command.pattern.text}: {exc}") from None
        if not groups:
            raise LogsInsightsError(
                f"parse {command.pattern.text}: expected named groups such as (?<user>\\S+)"
            )
        targets = dict(groups)
    else:
        pattern, targets = _glob(command)
    matches = fns.fn("regexp_matches", text, exp.Literal.string(pattern))
    for name, index in targets.items():
        found = fns.fn("regexp_extract", text.copy(), exp.Literal.string(pattern),
                       exp.Literal.number(index))  # fmt: skip
        stage.names[name] = Value(exp.If(this=matches.copy(), true=found), TEXT)


def _glob(command: ast.Parse) -> tuple[str, dict[str, int]]:
    """A glob (`"user=*, id=*"`) as a regular expression: each `*` matches as few
    characters as it can, the last one at the end of the pattern as many."""
    parts = command.pattern.value.split("*") if isinstance(command.pattern, ast.Str) else []
    stars = len(parts) - 1
    if stars == 0 or stars != len(command.names):
        raise LogsInsightsError(
            f"parse {command.pattern.text}: {stars} '*' but {len(command.names)} names after as"
        )
    regex = re.escape(parts[0])
    for i, literal in enumerate(parts[1:], start=1):
        greedy = i == stars and literal == ""
        regex += ("(.*)" if greedy else "(.*?)") + re.escape(literal)
    return regex, {name: i for i, name in enumerate(command.names, start=1)}


# -- expressions ----------------------------------------------------------------------------


def _lookup(stage: Stage, name: str) -> Value:
    if name in stage.names:
        return replace(stage.names[name], sql=stage.names[name].sql.copy())
    if stage.over_events:
        return resolve(name)
    if name == "@timestamp":  # `stats ... by bin(1h) | sort @timestamp`: the time bins
        times = [v for v in stage.names.values() if v.kind == TIME]
        if times:
            return replace(times[0], sql=times[0].sql.copy())
    known = ", ".join(stage.names) or "none"
    raise LogsInsightsError(f"field {name} does not exist after stats (its fields: {known})")


def _value(stage: Stage, node: ast.Node, aggregate: bool = False) -> Value:
    """`node` as SQL over `stage`'s rows; aggregate functions only when `aggregate`."""
    if not stage.over_events and node.text in stage.names and not isinstance(node, ast.Field):
        return _lookup(stage, node.text)  # `sort bin(5m)` after `stats ... by bin(5m)`
    if isinstance(node, ast.Field):
        return _lookup(stage, node.name)
    if isinstance(node, ast.Number):
        return Value(exp.Literal.number(node.value), NUMBER)
    if isinstance(node, ast.Str):
        return Value(exp.Literal.string(node.value), TEXT)
    if isinstance(node, ast.Call):
        return _call(stage, node, aggregate)
    if isinstance(node, ast.Binary) and node.op in _COMPARE:
        return _compare(stage, node, aggregate)
    if isinstance(node, ast.Binary):
        left = fns.as_number(_value(stage, node.left, aggregate))
        right = fns.as_number(_value(stage, node.right, aggregate))
        if node.op == "^":
            return Value(fns.fn("pow", left, right), NUMBER)
        return Value(_ARITHMETIC[node.op](this=left, expression=right), NUMBER)
    if isinstance(node, ast.Negate):
        return Value(exp.Neg(this=fns.as_number(_value(stage, node.item, aggregate))), NUMBER)
    if isinstance(node, ast.Logical | ast.Not | ast.Like | ast.In):
        return Value(_condition(stage, node, aggregate), BOOL)
    if isinstance(node, ast.Regex):
        raise LogsInsightsError(f"{node.text}: a regular expression goes after like or =~")
    if isinstance(node, ast.Duration):
        raise LogsInsightsError(f"{node.text}: a period goes in bin(), datefloor(), dateceil()")
    raise LogsInsightsError(f"{node.text}: not a value")


def _call(stage: Stage, node: ast.Call, aggregate: bool) -> Value:
    name = node.name.lower()
    if name in fns.AGGREGATES:
        if not aggregate:
            raise LogsInsightsError(f"{node.text}: {node.name} is a stats function")
        args = [_value(stage, a) for a in node.args if not isinstance(a, ast.Star)]
        return fns.AGGREGATES[name](node, args)
    if name not in fns.SCALARS:
        raise fns.unsupported(node.name)
    if name == "bin" and not stage.over_events:
        raise LogsInsightsError(f"{node.text}: bin() needs events, not the rows of stats")
    # A period (`5m`) is no value: the function reads it from the call as written.
    args = [_argument(stage, a, aggregate) for a in node.args]
    return fns.SCALARS[name](node, args)


def _argument(stage: Stage, node: ast.Node, aggregate: bool) -> Value:
    if isinstance(node, ast.Duration | ast.Star):
        return Value(exp.Null(), TEXT)
    return _value(stage, node, aggregate)


def _compare(stage: Stage, node: ast.Binary, aggregate: bool) -> Value:
    """Numbers when either side is one, times when either is a time, else text."""
    left = _value(stage, node.left, aggregate)
    right = _value(stage, node.right, aggregate)
    kinds = {left.kind, right.kind}
    if NUMBER in kinds:
        pair = fns.as_number(left), fns.as_number(right)
    elif TIME in kinds:
        pair = fns.as_time(left), fns.as_time(right)
    else:
        pair = fns.as_text(left), fns.as_text(right)
    return Value(_COMPARE[node.op](this=pair[0], expression=pair[1]), BOOL)


def _condition(stage: Stage, node: ast.Node, aggregate: bool = False) -> exp.Expr:
    if isinstance(node, ast.Logical):
        items = [_condition(stage, item, aggregate) for item in node.items]
        joined = exp.and_(*items, copy=False) if node.op == "and" else exp.or_(*items, copy=False)
        return exp.Paren(this=joined)
    if isinstance(node, ast.Not):
        return exp.Not(this=exp.Paren(this=_condition(stage, node.item, aggregate)))
    if isinstance(node, ast.Like):
        text = fns.as_text(_value(stage, node.item, aggregate))
        if isinstance(node.pattern, ast.Regex):
            found = fns.fn("regexp_matches", text, exp.Literal.string(node.pattern.pattern))
        else:
            found = fns.fn("contains", text, exp.Literal.string(node.pattern.value))
        return exp.Not(this=found) if node.negated else found
    if isinstance(node, ast.In):
        return _in(stage, node, aggregate)
    value = _value(stage, node, aggregate)
    if value.kind != BOOL:
        raise LogsInsightsError(
            f"{node.text}: expected a condition (a comparison, like, in, ispresent(...))"
        )
    return value.sql


def _in(stage: Stage, node: ast.In, aggregate: bool) -> exp.Expr:
    item = _value(stage, node.item, aggregate)
    values = [_value(stage, v, aggregate) for v in node.values]
    numeric = bool(values) and all(v.kind == NUMBER for v in values)
    convert = fns.as_number if numeric else fns.as_text
    found = exp.In(this=convert(item), expressions=[convert(v) for v in values])
    return exp.Not(this=found) if node.negated else found


def to_sql(query: str, since: datetime | None = None, until: datetime | None = None) -> str:
    """The DuckDB SQL text of `compile_query(query, since, until)`."""
    return compile_query(query, since, until).sql(dialect="duckdb")
