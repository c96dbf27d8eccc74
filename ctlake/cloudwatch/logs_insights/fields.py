"""Logs Insights field names -> SQL over the lake's `events`.

CloudWatch Logs discovers every field of a CloudTrail record by its JSON path: `eventName`,
`userIdentity.arn`, `responseElements.keyMetadata.keyId`, `resources.0.ARN` (arrays by
index). Here each path reads the cheapest place that holds it:

- a typed column (`eventName`), a struct field (`userIdentity.sessionContext.sessionIssuer.arn`);
- a key of a map column (`requestParameters.bucketName` -> `requestParameters['bucketName']`),
  and below it the key's value, which the lake keeps as JSON text
  (`responseElements.keyMetadata.keyId` ->
  `json_extract_string(responseElements['keyMetadata'], '$."keyId"')`);
- anything else from the record itself, `eventJson`, as CloudWatch would find it there.

The lake's typed columns are those of `ctlake/lake/sql/type_events.sql` (read from its
`json_transform` spec, so a field typed there is read typed here). Values are text, as in
CloudWatch (booleans `true`/`false`, `eventTime` as the record writes it), except the
discovered fields: `@timestamp` is the event time, `@message` the record as CloudTrail
delivers it to CloudWatch Logs (compact JSON, its keys in the record's order: what the
lake keeps in `eventJson`), `@logStream` `<account>_CloudTrail_<region>`, the name of the
stream CloudTrail writes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlglot import exp

from ctlake.cloudwatch.logs_insights.errors import LogsInsightsError

TYPE_EVENTS = Path(__file__).resolve().parents[2] / "lake" / "sql" / "type_events.sql"
RECORD = "eventJson"
# The spec is the one string literal json_transform takes in type_events.sql.
_SPEC = re.compile(r"json_transform\(j,\s*'(?P<spec>\{.*?\})'\)", re.DOTALL)
UNSUPPORTED_DISCOVERED = ("@log", "@ptr", "@ingestionTime", "@entity")

TEXT, NUMBER, TIME, BOOL = "text", "number", "time", "bool"


@dataclass(frozen=True)
class Value:
    """A SQL expression and what it holds: text, number, time or bool (a condition)."""

    sql: exp.Expr
    kind: str


@cache
def typed_fields() -> dict[str, Any]:
    """The typed fields of `events`: name -> "VARCHAR" | "BOOLEAN" | "MAP(...)" | {struct}
    | [list]."""
    match = _SPEC.search(TYPE_EVENTS.read_text())
    if match is None:  # pragma: no cover - the lake's own file, checked by the tests
        raise RuntimeError(f"{TYPE_EVENTS}: no json_transform spec found")
    spec: dict[str, Any] = json.loads(match.group("spec"))
    return spec


def column(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


def resolve(name: str) -> Value:
    """The value of CloudTrail field `name` on a row of `events`."""
    if name.startswith("@"):
        return _discovered(name)
    if name == "eventTime":
        return Value(_function("strftime", column("eventTime"), "%Y-%m-%dT%H:%M:%SZ"), TEXT)
    path = name.split(".")
    spec = typed_fields()
    head = spec.get(path[0])
    if head is None:
        return _from_record(path)
    return _typed(column(path[0]), head, path, 1)


def _discovered(name: str) -> Value:
    if name == "@timestamp":
        return Value(column("eventTime"), TIME)
    if name == "@message":
        return Value(column(RECORD), TEXT)
    if name == "@logStream":
        stream = exp.func(
            "concat", column("recipientAccountId"), exp.Literal.string("_CloudTrail_"),
            column("awsRegion"),
        )  # fmt: skip
        return Value(stream, TEXT)
    if name in UNSUPPORTED_DISCOVERED:
        raise LogsInsightsError(
            f"field {name} is not supported by ctlake (supported: @timestamp, @message, @logStream)"
        )
    raise LogsInsightsError(
        f"unknown field {name}: CloudTrail's discovered fields are @timestamp, @message, @logStream"
    )


def _typed(sql: exp.Expr, kind: Any, path: list[str], depth: int) -> Value:
    """Walk `path[depth:]` down from `sql`, of type `kind` in the spec."""
    if isinstance(kind, dict):
        if depth == len(path):
            return _from_record(path)  # a whole object: its JSON text
        if path[depth] not in kind:
            return _from_record(path)
        step = exp.func("struct_extract", sql, exp.Literal.string(path[depth]))
        return _typed(step, kind[path[depth]], path, depth + 1)
    if isinstance(kind, str) and kind.startswith("MAP"):
        if depth == len(path):
            return _from_record(path)
        value = exp.Bracket(this=sql, expressions=[exp.Literal.string(path[depth])])
        if depth + 1 == len(path):
            return Value(value, TEXT)
        return Value(_function("json_extract_string", value, json_path(path[depth + 1 :])), TEXT)
    if depth < len(path) or isinstance(kind, list):
        return _from_record(path)
    if kind == "BOOLEAN":
        return Value(exp.cast(sql, exp.DataType.build("VARCHAR")), TEXT)
    return Value(sql, TEXT)


def _from_record(path: list[str]) -> Value:
    return Value(_function("json_extract_string", column(RECORD), json_path(path)), TEXT)


def json_path(path: list[str]) -> str:
    """`["resources", "0", "ARN"]` -> `$."resources"[0]."ARN"` (CloudWatch flattens arrays
    by index)."""
    parts = ["$"]
    for step in path:
        if step.isdigit():
            parts.append(f"[{int(step)}]")
        else:
            parts.append("." + json.dumps(step))
    return "".join(parts)


def _function(name: str, *args: exp.Expr | str) -> exp.Expr:
    values = [exp.Literal.string(a) if isinstance(a, str) else a for a in args]
    return exp.Anonymous(this=name, expressions=values)
