"""Logs Insights functions -> DuckDB expressions.

`SCALARS` are the row functions (`tolower`, `datefloor`, `ispresent`, ...), `AGGREGATES`
those of `stats` (`count`, `pct`, `earliest`, ...). Each takes the call's arguments, both
as compiled `Value`s and as written (a period such as `5m` or the percentile of `pct` is
read from the text), and returns a `Value`. A function CloudWatch has and ctlake does not
is one error naming it; the README's Logs Insights page lists both sets.

Numbers: CloudWatch reads a field as a number where a number is needed, so numeric
functions read text with `TRY_CAST(... AS DOUBLE)` (NULL when it is not a number), as
CloudWatch ignores such values.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

from sqlglot import exp

from ctlake.cloudwatch.logs_insights.errors import LogsInsightsError
from ctlake.cloudwatch.logs_insights.fields import BOOL, NUMBER, TEXT, TIME, Value, column
from ctlake.cloudwatch.logs_insights.syntax import Call, Duration, Node, Number, Star, Str

Handler = Callable[[Call, Sequence[Value]], Value]
DOUBLE = exp.DataType.build("DOUBLE")
VARCHAR = exp.DataType.build("VARCHAR")
TIMESTAMP = exp.DataType.build("TIMESTAMP")
# CloudWatch's functions that ctlake does not translate: named in the error.
UNSUPPORTED = (
    "isValidIp", "isValidIpV6", "isIpv6InSubnet", "jsonParse", "jsonStringify", "sortsFirst",
    "sortsLast", "unmask", "hash", "base64Encode", "base64Decode", "sanitize", "split",
)  # fmt: skip


def fn(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def as_number(value: Value) -> exp.Expr:
    if value.kind == NUMBER:
        return value.sql
    if value.kind == TIME:
        return fn("epoch_ms", value.sql)
    return exp.TryCast(this=value.sql, to=DOUBLE)


def as_text(value: Value) -> exp.Expr:
    if value.kind == TEXT:
        return value.sql
    return exp.cast(value.sql, VARCHAR)


def as_time(value: Value) -> exp.Expr:
    if value.kind == TIME:
        return value.sql
    if value.kind == NUMBER:  # epoch milliseconds, as CloudWatch's times are
        return fn("make_timestamp", exp.Mul(this=value.sql, expression=exp.Literal.number(1000)))
    return exp.TryCast(this=value.sql, to=TIMESTAMP)


# -- scalar functions ----------------------------------------------------------------------


def _arity(call: Call, least: int, most: int | None) -> None:
    count = len(call.args)
    if count < least or (most is not None and count > most):
        if most == least:
            expected = f"{least} argument{'s' if least != 1 else ''}"
        elif most is None:
            expected = f"at least {least} arguments"
        else:
            expected = f"{least} to {most} arguments"
        raise LogsInsightsError(f"{call.text}: {call.name} takes {expected}, got {count}")


def _text_fn(sql_name: str, arity: int = 1) -> Handler:
    def handler(call: Call, args: Sequence[Value]) -> Value:
        _arity(call, arity, arity)
        return Value(fn(sql_name, *(as_text(a) for a in args)), TEXT)

    return handler


def _number_fn(sql_name: str, least: int = 1, most: int | None = 1) -> Handler:
    def handler(call: Call, args: Sequence[Value]) -> Value:
        _arity(call, least, most)
        return Value(fn(sql_name, *(as_number(a) for a in args)), NUMBER)

    return handler


def _ispresent(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    return Value(exp.Not(this=exp.Is(this=args[0].sql, expression=exp.Null())), BOOL)


def _isempty(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    return Value(fn("coalesce", exp.EQ(this=as_text(args[0]), expression=exp.Literal.string("")),
                    exp.true()), BOOL)  # fmt: skip


def _isblank(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    trimmed = fn("trim", as_text(args[0]))
    return Value(fn("coalesce", exp.EQ(this=trimmed, expression=exp.Literal.string("")),
                    exp.true()), BOOL)  # fmt: skip


def _coalesce(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, None)
    kinds = {a.kind for a in args}
    if len(kinds) == 1:
        return Value(fn("coalesce", *(a.sql for a in args)), kinds.pop())
    return Value(fn("coalesce", *(as_text(a) for a in args)), TEXT)


def _concat(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, None)
    return Value(fn("concat", *(as_text(a) for a in args)), TEXT)


def _strlen(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    return Value(fn("length", as_text(args[0])), NUMBER)


def _substr(call: Call, args: Sequence[Value]) -> Value:
    """substr(s, start [, length]): `start` counts from 0 in CloudWatch, from 1 in SQL."""
    _arity(call, 2, 3)
    start = exp.Add(this=fn("floor", as_number(args[1])), expression=exp.Literal.number(1))
    parts = [as_text(args[0]), exp.cast(start, exp.DataType.build("BIGINT"))]
    if len(args) == 3:
        parts.append(exp.cast(fn("floor", as_number(args[2])), exp.DataType.build("BIGINT")))
    return Value(fn("substring", *parts), TEXT)


def _replace(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 3, 3)
    return Value(fn("replace", *(as_text(a) for a in args)), TEXT)


def _strcontains(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 2, 2)
    return Value(fn("contains", as_text(args[0]), as_text(args[1])), BOOL)


def _period_seconds(call: Call, node: Node) -> float:
    if isinstance(node, Duration):
        return node.seconds
    raise LogsInsightsError(
        f"{call.text}: expected a period such as 5m, 1h or 1d, got {node.text or 'nothing'}"
    )


def floor_time(time: exp.Expr, seconds: float) -> exp.Expr:
    """`time` rounded down to a multiple of `seconds` since the epoch (UTC)."""
    micros = exp.Literal.number(round(seconds * 1_000_000))
    epoch = fn("epoch_us", time)
    return fn("make_timestamp", exp.Mul(this=exp.IntDiv(this=epoch, expression=micros),
                                        expression=micros))  # fmt: skip


def _bin(call: Call, args: Sequence[Value]) -> Value:
    """bin(period): @timestamp rounded down to the period (epoch-aligned)."""
    _arity(call, 1, 1)
    return Value(floor_time(column("eventTime"), _period_seconds(call, call.args[0])), TIME)


def _datefloor(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 2, 2)
    return Value(floor_time(as_time(args[0]), _period_seconds(call, call.args[1])), TIME)


def _dateceil(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 2, 2)
    seconds = _period_seconds(call, call.args[1])
    time = as_time(args[0])
    floored = floor_time(time, seconds)
    step = exp.Interval(this=exp.Literal.string(str(round(seconds * 1_000_000))),
                        unit=exp.var("MICROSECONDS"))  # fmt: skip
    ceiling = exp.If(this=exp.EQ(this=floored, expression=time), true=floored,
                     false=exp.Add(this=floored, expression=step))  # fmt: skip
    return Value(ceiling, TIME)


def _from_millis(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    millis = exp.cast(as_number(args[0]), exp.DataType.build("BIGINT"))
    return Value(fn("make_timestamp", exp.Mul(this=millis, expression=exp.Literal.number(1000))),
                 TIME)  # fmt: skip


def _to_millis(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    return Value(fn("epoch_ms", as_time(args[0])), NUMBER)


# A dotted quad whose parts are 0-255, written as CloudTrail writes sourceIPAddress.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
IPV4 = rf"{_OCTET}(\.{_OCTET}){{3}}"


def _ipv4(text: exp.Expr) -> tuple[exp.Expr, exp.Expr]:
    """(is `text` an IPv4 address, its value as a number), the number read only where the
    text is one (a CASE around it)."""
    valid = fn("coalesce", fn("regexp_full_match", text, exp.Literal.string(IPV4)), exp.false())
    parts = fn("string_split", text.copy(), exp.Literal.string("."))
    number: exp.Expr = exp.Literal.number(0)
    for index in range(1, 5):
        octet = exp.TryCast(this=fn("list_extract", parts.copy(), exp.Literal.number(index)),
                            to=exp.DataType.build("BIGINT"))  # fmt: skip
        weight = exp.Literal.number(256 ** (4 - index))
        number = exp.Add(this=number, expression=exp.Mul(this=octet, expression=weight))
    return valid, number


def _is_valid_ipv4(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    return Value(_ipv4(as_text(args[0]))[0], BOOL)


def _in_ipv4_subnet(call: Call, args: Sequence[Value]) -> Value:
    """isIpv4InSubnet(ip, "10.0.0.0/8"): the subnet is a text literal, read here once."""
    _arity(call, 2, 2)
    subnet = call.args[1]
    try:
        if not isinstance(subnet, Str):
            raise ValueError
        network = ipaddress.ip_network(subnet.value, strict=False)
    except ValueError:
        raise LogsInsightsError(
            f'{call.text}: expected a subnet such as "10.0.0.0/8" as the second argument'
        ) from None
    if not isinstance(network, ipaddress.IPv4Network):
        raise LogsInsightsError(f"{call.text}: IPv6 subnets are not supported by ctlake")
    valid, number = _ipv4(as_text(args[0]))
    inside = exp.Between(this=number, low=exp.Literal.number(int(network.network_address)),
                         high=exp.Literal.number(int(network.broadcast_address)))  # fmt: skip
    return Value(exp.If(this=valid, true=inside, false=exp.false()), BOOL)


SCALARS: dict[str, Handler] = {
    "ispresent": _ispresent,
    "isempty": _isempty,
    "isblank": _isblank,
    "coalesce": _coalesce,
    "concat": _concat,
    "strlen": _strlen,
    "tolower": _text_fn("lower"),
    "toupper": _text_fn("upper"),
    "trim": _text_fn("trim"),
    "ltrim": _text_fn("ltrim"),
    "rtrim": _text_fn("rtrim"),
    "substr": _substr,
    "replace": _replace,
    "strcontains": _strcontains,
    "abs": _number_fn("abs"),
    "ceil": _number_fn("ceil"),
    "floor": _number_fn("floor"),
    "log": _number_fn("ln"),
    "sqrt": _number_fn("sqrt"),
    "greatest": _number_fn("greatest", 1, None),
    "least": _number_fn("least", 1, None),
    "bin": _bin,
    "datefloor": _datefloor,
    "dateceil": _dateceil,
    "frommillis": _from_millis,
    "tomillis": _to_millis,
    "isvalidipv4": _is_valid_ipv4,
    "isipv4insubnet": _in_ipv4_subnet,
    "isipinsubnet": _in_ipv4_subnet,
}


# -- aggregate functions -------------------------------------------------------------------


def _count(call: Call, args: Sequence[Value]) -> Value:
    if not call.args or isinstance(call.args[0], Star):
        return Value(exp.Count(this=exp.Star()), NUMBER)
    _arity(call, 1, 1)
    return Value(exp.Count(this=args[0].sql), NUMBER)


def _count_distinct(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 1, 1)
    return Value(exp.Count(this=exp.Distinct(expressions=[args[0].sql])), NUMBER)


def _numeric_agg(sql_name: str) -> Handler:
    def handler(call: Call, args: Sequence[Value]) -> Value:
        _arity(call, 1, 1)
        return Value(fn(sql_name, as_number(args[0])), NUMBER)

    return handler


def _extreme(sql_name: str) -> Handler:
    """min/max: of times a time (min(@timestamp)), of anything else a number."""

    def handler(call: Call, args: Sequence[Value]) -> Value:
        _arity(call, 1, 1)
        if args[0].kind == TIME:
            return Value(fn(sql_name, args[0].sql), TIME)
        return Value(fn(sql_name, as_number(args[0])), NUMBER)

    return handler


def _pct(call: Call, args: Sequence[Value]) -> Value:
    _arity(call, 2, 2)
    percentile = call.args[1]
    if not isinstance(percentile, Number) or not 0 <= percentile.value <= 100:
        raise LogsInsightsError(
            f"{call.text}: expected a percentile between 0 and 100 as the second argument"
        )
    fraction = exp.Literal.number(percentile.value / 100)
    return Value(fn("quantile_cont", as_number(args[0]), fraction), NUMBER)


def _by_time(sql_name: str) -> Handler:
    """earliest/latest: the value of the event with the lowest/highest @timestamp."""

    def handler(call: Call, args: Sequence[Value]) -> Value:
        _arity(call, 1, 1)
        return Value(fn(sql_name, args[0].sql, column("eventTime")), args[0].kind)

    return handler


AGGREGATES: dict[str, Handler] = {
    "count": _count,
    "count_distinct": _count_distinct,
    "sum": _numeric_agg("sum"),
    "avg": _numeric_agg("avg"),
    "min": _extreme("min"),
    "max": _extreme("max"),
    "pct": _pct,
    "percentile": _pct,
    "stddev": _numeric_agg("stddev_samp"),
    "earliest": _by_time("arg_min"),
    "latest": _by_time("arg_max"),
}


def unsupported(name: str) -> LogsInsightsError:
    """The error for a function this translation does not have."""
    lowered = {n.lower(): n for n in UNSUPPORTED}
    if name.lower() in lowered:
        return LogsInsightsError(f"function {lowered[name.lower()]} is not supported by ctlake")
    return LogsInsightsError(f"unknown function {name}")
