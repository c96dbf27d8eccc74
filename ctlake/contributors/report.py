"""Running a Contributor Insights rule over the lake: top contributors overall or per period.

`build(rule, query, name)` renders one of the SQL templates in `sql/` (Jinja decides only
the shape: how many keys and filters, which operator) and returns `(sql, params)`; every
value of the rule -- JSON paths, filter values, the time range, N, the period -- is a bound
parameter. A path that names a typed VARCHAR column of `events` (`$.eventName`,
`$.userIdentity.arn`, ...) reads that column, so a rule over the usual fields never parses
the records' JSON; any other path is looked up in `eventJson` with json_extract_string.
Both give the same text, so the choice only changes speed (`typed=False` forces JSON).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import duckdb
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ctlake.contributors.rule import LIST_OPERATORS, Rule
from ctlake.durations import read_duration
from ctlake.errors import BadInputError
from ctlake.resources import PACKAGE_DIR

# JSON paths held verbatim, as VARCHAR, in a column of `events` (identifiers, not SQL).
_STRING_COLUMNS = [
    "eventVersion",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestID",
    "eventID",
    "eventType",
    "apiVersion",
    "recipientAccountId",
    "sharedEventID",
    "vpcEndpointId",
    "vpcEndpointAccountId",
    "eventCategory",
]
_IDENTITY = ["type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy"]
_ISSUER = ["type", "principalId", "arn", "accountId", "userName"]
TYPED_FIELDS: dict[str, tuple[str, ...]] = {
    **{f"$.{c}": (c,) for c in _STRING_COLUMNS},
    **{f"$.userIdentity.{c}": ("userIdentity", c) for c in _IDENTITY},
    **{
        f"$.userIdentity.sessionContext.sessionIssuer.{c}": (
            "userIdentity",
            "sessionContext",
            "sessionIssuer",
            c,
        )
        for c in _ISSUER
    },
}


@dataclass(frozen=True)
class Query:
    """What to report: the time range [since, until), how many, and per which period."""

    since: datetime | None = None
    until: datetime | None = None
    top: int = 10
    period: timedelta | None = None


def parse_period(text: str | None) -> timedelta | None:
    """`30s`, `5m`, `1h`, `1d` as a timedelta (None when not given)."""
    if text is None:
        return None
    period = read_duration(text)
    if not period:
        raise BadInputError(f"--period {text!r}: expected a span such as 1m, 5m, 1h or 1d")
    return period


def build(
    rule: Rule, query: Query, template: str, *, typed: bool = True
) -> tuple[str, dict[str, Any]]:
    """The SQL text of `template` ("top", "top_per_period" or "summary") and its params."""
    if query.top < 1:
        raise BadInputError(f"--top {query.top}: expected a positive number")
    params: dict[str, Any] = {"since": query.since, "until": query.until}
    keys = [_field(path, f"key{i}", params, typed) for i, path in enumerate(rule.keys)]
    for key, path in zip(keys, rule.keys, strict=True):
        key["label"] = quote_identifier(path.removeprefix("$."))
    filters = [_filter(flt, i, params, typed) for i, flt in enumerate(rule.filters)]
    value = _field(rule.value_of, "value_of", params, typed) if rule.value_of else None
    if template != "summary":
        params["top"] = query.top
    if template == "top_per_period":
        if query.period is None:
            raise BadInputError("a per-period report needs --period")
        params["period_seconds"] = int(query.period.total_seconds())
    sql = (
        _environment()
        .get_template(f"{template}.sql")
        .render(
            keys=keys,
            filters=filters,
            value=value,
            value_label=quote_identifier("count" if rule.aggregate == "Count" else "sum"),
        )
    )
    return sql, params


def summary(con: duckdb.DuckDBPyConnection, rule: Rule, query: Query) -> tuple[int, int, float]:
    """(events matched, distinct contributors, aggregate total) over the time range."""
    sql, params = build(rule, query, "summary")
    events, contributors, total = con.execute(sql, params).fetchall()[0]
    return int(events), int(contributors), float(total)


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _field(path: str, param: str, params: dict[str, Any], typed: bool) -> dict[str, Any]:
    column = TYPED_FIELDS.get(path) if typed else None
    if column is not None:
        return {"column": ".".join(quote_identifier(part) for part in column), "param": None}
    params[param] = path
    return {"column": None, "param": param}


def _filter(flt: Any, index: int, params: dict[str, Any], typed: bool) -> dict[str, Any]:
    names = [f"f{index}_{j}" for j in range(len(flt.values))]
    params.update(zip(names, flt.values, strict=True))
    return {
        "field": _field(flt.match, f"f{index}_match", params, typed),
        "operator": flt.operator,
        "params": names,
        "numeric": flt.operator not in LIST_OPERATORS and isinstance(flt.values[0], float),
    }


@cache
def _environment() -> Environment:
    folder = PACKAGE_DIR / "contributors" / "sql"
    return Environment(
        loader=FileSystemLoader(str(folder)),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
