"""Where a selector's value is in a row of `events`: `$.path` -> a `Field`.

The lake types CloudTrail's fields into columns (ctlake/lake/sql/type_events.sql), and a
typed column is far cheaper to read than the record's JSON, so a selector follows the typed
schema as long as it can:

- a scalar column or struct field (`$.eventName`, `$.userIdentity.type`): the column;
- a key of a map column (`$.requestParameters.bucketName`): the map's value, text as the
  lake keeps it; deeper steps (`$.requestParameters.policy.Version`) are a JSON path into
  that value, read only when the value is a JSON object or array;
- an index into a list of structs (`$.resources[0].ARN`): that element (JSON counts from 0,
  DuckDB lists from 1);
- anything else (a key the schema does not type, a timestamp whose text form matters, a
  step under a scalar, a selector with a wildcard `[*]` or `.*`): the JSON path in
  `eventJson`, the record as CloudTrail delivered it.

The schema is read from the typing query itself, the structure its `json_transform` is
given (ctlake/lake/sql/type_events.sql), so it cannot drift from what the lake writes; and
reading it costs no DuckDB (binding the query took a second on a busy machine, at every
start of a process that compiles a pattern).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlglot import exp

from ctlake.cloudwatch.patterns.syntax import Selector, Step, Wildcard
from ctlake.resources import PACKAGE_DIR, read_sql
from ctlake.sqltext import tokens

RECORD = "eventJson"
# The module whose sql/ holds the typing query, named without importing it: it loads
# DuckDB and pyarrow, which compiling a pattern does not need.
EVENTS_MODULE = str(PACKAGE_DIR / "lake" / "events.py")
SCALARS = {"VARCHAR": "text", "BOOLEAN": "boolean"}
# A field's kind: "text", "boolean", "map" or "other" (a scalar type compared by its JSON
# text), a dict (a struct: field -> kind) or a one-element list (a list of that kind).
Kind = str | dict[str, Any] | list[Any]


@dataclass(frozen=True)
class Typed:
    """A typed column or struct field; `kind` "text" or "boolean". NULL stands for both an
    absent field and a JSON null (the lake does not keep the difference)."""

    expr: exp.Expr
    kind: str
    selector: Selector


@dataclass(frozen=True)
class MapKey:
    """`key` of the map column `map`: NULL value for a JSON null, no key when absent."""

    map: exp.Expr
    key: str


@dataclass(frozen=True)
class InJson:
    """JSON path `path` inside the JSON text `source`; `guarded` when `source` may be a
    plain string (a map value) rather than a JSON object or array; `many` when the path has
    a wildcard, so it selects a list of values."""

    source: exp.Expr
    path: str
    guarded: bool
    many: bool = False


Field = Typed | MapKey | InJson


@cache
def lake_schema() -> dict[str, Kind]:
    """The fields the lake types, and their kinds: the structure `type_events.sql` hands
    to `json_transform`, the one string literal of the query that is a JSON object."""
    sql = read_sql(EVENTS_MODULE, "type_events")
    for token in tokens(sql):
        literal = sql[token.start + 1 : token.end - 1].replace("''", "'")
        if token.kind == "quoted" and sql[token.start] == "'" and literal.lstrip()[:1] == "{":
            return {name: _kind(kind) for name, kind in json.loads(literal).items()}
    raise AssertionError("type_events.sql hands json_transform no structure")


def _kind(spec: Any) -> Kind:
    if isinstance(spec, dict):
        return {name: _kind(sub) for name, sub in spec.items()}
    if isinstance(spec, list):
        return [_kind(spec[0])]
    name = str(spec).upper()
    return "map" if name.startswith("MAP(") else SCALARS.get(name, "other")


def resolve(selector: Selector) -> Field:
    """Where `selector`'s value is read from (see the module docstring)."""
    steps = selector.steps
    schema = lake_schema()
    if selector.wildcards:
        return _in_record(selector)
    if not steps or not isinstance(steps[0], str) or steps[0] not in schema:
        return _in_record(selector)
    expr: exp.Expr = exp.column(steps[0], quoted=True)
    kind = schema[steps[0]]
    for position, step in enumerate(steps[1:], start=1):
        if kind == "map" and isinstance(step, str):
            value = exp.Bracket(this=expr, expressions=[exp.Literal.string(step)])
            rest = steps[position + 1 :]
            if not rest:
                return MapKey(expr, step)
            return InJson(value, json_path(rest), guarded=True)
        child = _child(kind, step)
        if child is None:
            return _in_record(selector)
        expr, kind = _step(expr, step), child
    if kind in ("text", "boolean"):
        return Typed(expr, str(kind), selector)
    return _in_record(selector)


def _child(kind: Kind, step: Step) -> Kind | None:
    """The kind one `step` under `kind`, when the lake types it (exact spelling: JSON keys
    are case-sensitive, DuckDB's struct fields are not)."""
    if isinstance(kind, dict) and isinstance(step, str):
        return kind.get(step)
    if isinstance(kind, list) and isinstance(step, int):
        return kind[0]
    return None


def _step(expr: exp.Expr, step: Step) -> exp.Expr:
    if isinstance(step, int):
        return exp.Anonymous(this="list_extract", expressions=[expr, exp.Literal.number(step + 1)])
    assert isinstance(step, str)  # wildcards never reach the typed columns
    return exp.Anonymous(this="struct_extract", expressions=[expr, exp.Literal.string(step)])


def _in_record(selector: Selector) -> InJson:
    record = exp.column(RECORD, quoted=True)
    return InJson(record, json_path(selector.steps), guarded=False, many=selector.wildcards > 0)


def json_path(steps: tuple[Step, ...]) -> str:
    """DuckDB's JSON path for `steps`, each key quoted (keys may hold any character)."""
    return "$" + "".join(_path_step(step) for step in steps)


def _path_step(step: Step) -> str:
    if isinstance(step, Wildcard):
        return "[*]" if step.index else ".*"
    if isinstance(step, int):
        return f"[{step}]"
    return '."' + step.replace('"', '\\"') + '"'
