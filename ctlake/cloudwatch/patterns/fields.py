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

The schema is read from the typing query itself (run on no rows), so it cannot drift from
what the lake writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb
from duckdb.sqltypes import DuckDBPyType
from sqlglot import exp

from ctlake.cloudwatch.patterns.syntax import Selector, Step, Wildcard
from ctlake.lake.events import PART, register_part
from ctlake.resources import read_sql

RECORD = "eventJson"
SCALARS = {"varchar": "text", "boolean": "boolean"}
LAKE_ONLY = {RECORD, "lakeSource", "lakeBatch"}  # columns of the lake, not of CloudTrail


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
def lake_schema() -> dict[str, DuckDBPyType]:
    """The columns of `events` and their types, from the typing query run on no rows."""
    con = duckdb.connect()
    try:
        register_part(con, PART.empty_table())
        relation = con.sql(read_sql(_events_module(), "type_events"))
        columns = zip(relation.columns, relation.types, strict=True)
        return {name: kind for name, kind in columns if name not in LAKE_ONLY}
    finally:
        con.close()


def _events_module() -> str:
    from ctlake.lake import events

    return events.__file__


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
        if kind.id == "map" and isinstance(step, str):
            value = exp.Bracket(this=expr, expressions=[exp.Literal.string(step)])
            rest = steps[position + 1 :]
            if not rest:
                return MapKey(expr, step)
            return InJson(value, json_path(rest), guarded=True)
        child = _child(kind, step)
        if child is None:
            return _in_record(selector)
        expr, kind = _step(expr, step), child
    if kind.id in SCALARS:
        return Typed(expr, SCALARS[kind.id], selector)
    return _in_record(selector)


def _child(kind: DuckDBPyType, step: Step) -> DuckDBPyType | None:
    """The type one `step` under `kind`, when the schema types it (exact spelling: JSON keys
    are case-sensitive, DuckDB's struct fields are not)."""
    if kind.id == "struct" and isinstance(step, str):
        children = {name: sub for name, sub in kind.children if isinstance(sub, DuckDBPyType)}
        return children.get(step)
    if kind.id == "list" and isinstance(step, int):
        return kind.child
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
