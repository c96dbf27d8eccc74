"""Trino functions whose DuckDB spelling sqlglot does not give, or gives with another
meaning, and the check that every function left is one DuckDB has.

What changes, and why:

- `cardinality(x)` counts map entries too (sqlglot's ARRAY_LENGTH takes lists only).
- `slice(a, start, length)` takes a length; DuckDB's `list_slice` an inclusive end.
- `format_datetime` / `parse_datetime` take Java patterns (`yyyy-MM-dd`), not `%Y`.
- `to_iso8601(t)` -> `strftime` with the ISO pattern; `yow` -> `isoyear`.
- `json_extract_scalar`, `json_extract`, `json_array_get`, `json_array_contains` return NULL
  on text that is not JSON, and `json_extract_scalar` on objects and arrays, as on AWS
  (DuckDB would raise an error and stop the query).
- `is_json_scalar(j)` -> `json_type(j)` is not OBJECT or ARRAY.
"""

from __future__ import annotations

import re
from functools import cache

import duckdb
from sqlglot import exp

from ctlake.dialect.errors import LakeDialectError
from ctlake.resources import read_sql

ISO8601 = "%Y-%m-%dT%H:%M:%S.%gZ"
_JAVA_PATTERN = re.compile(r"'[^']*'|([a-zA-Z])\1*")
# fmt: off
_JAVA_TO_STRFTIME = {
    "yyyy": "%Y", "yy": "%y", "y": "%Y", "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%-m",
    "dd": "%d", "d": "%-d", "HH": "%H", "H": "%-H", "hh": "%I", "h": "%-I", "mm": "%M",
    "m": "%-M", "ss": "%S", "s": "%-S", "SSS": "%g", "SSSSSS": "%f", "a": "%p",
    "EEEE": "%A", "EEE": "%a", "E": "%a", "Z": "%z", "ZZ": "%z", "z": "%Z", "D": "%j",
}
# fmt: on
_NOT_SCALAR = ("OBJECT", "ARRAY")
_SPECIAL_FORMS = {"try"}  # DuckDB keywords that look like functions


def translate_functions(tree: exp.Expr) -> exp.Expr:
    """Rewrite the functions listed in the module docstring, everywhere in `tree`."""
    return tree.transform(_translate, copy=False)


def check_functions(tree: exp.Expr) -> exp.Expr:
    """Fail, naming it, on the first function DuckDB does not have."""
    known = duckdb_function_names()
    for node in tree.find_all(exp.Anonymous):
        name = str(node.this)
        if name.lower() not in known and name.lower() not in _SPECIAL_FORMS:
            raise LakeDialectError(
                f"lake dialect: function {name}() has no DuckDB equivalent in ctlake yet"
            )
    return tree


@cache
def duckdb_function_names() -> frozenset[str]:
    with duckdb.connect() as con:
        rows = con.execute(read_sql(__file__, "function_names")).fetchall()
    return frozenset(row[0] for row in rows)


def _translate(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.ArraySize):
        return _call("CARDINALITY", node.this)
    if isinstance(node, exp.ArraySlice):
        return _slice(node)
    if isinstance(node, exp.ParseDatetime):
        return _call("STRPTIME", node.this, _java_format(node.args.get("format"), "parse_datetime"))
    if isinstance(node, exp.JSONExtractScalar):
        return _json_scalar(node.this, node.expression)
    if isinstance(node, exp.JSONExtract):
        return _when_json(node.this, node)
    if isinstance(node, exp.JSONArrayContains):
        return _json_array_contains(node.this, node.expression)
    if isinstance(node, exp.Anonymous):
        return _translate_anonymous(node)
    return node


def _translate_anonymous(node: exp.Anonymous) -> exp.Expr:
    name = str(node.this).lower()
    args = node.expressions
    if name == "format_datetime" and len(args) == 2:
        return _call("STRFTIME", args[0], _java_format(args[1], "format_datetime"))
    if name == "to_iso8601" and len(args) == 1:
        return _call("STRFTIME", args[0], exp.Literal.string(ISO8601))
    if name == "yow" and len(args) == 1:
        return _call("ISOYEAR", args[0])
    if name == "json_array_get" and len(args) == 2:
        return _when_json(args[0], _call("JSON_EXTRACT", args[0], _array_path(args[1])))
    if name == "json_array_contains" and len(args) == 2:
        return _json_array_contains(args[0], args[1])
    if name == "is_json_scalar" and len(args) == 1:
        return _not_in(_call("JSON_TYPE", args[0]), _NOT_SCALAR)
    return node


def _json_scalar(document: exp.Expr, path: exp.Expr) -> exp.Expr:
    """Trino's json_extract_scalar: the scalar at `path`, else NULL (never an error)."""
    path_text = exp.Literal.string(path.sql(dialect="duckdb").strip("'"))
    valid = _call("JSON_VALID", document.copy())
    is_scalar = _not_in(_call("JSON_TYPE", document.copy(), path_text), _NOT_SCALAR)
    value = _call("JSON_EXTRACT_STRING", document.copy(), path_text.copy())
    return exp.Case(ifs=[exp.If(this=exp.and_(valid, is_scalar), true=value)])


def _json_array_contains(array: exp.Expr, value: exp.Expr) -> exp.Expr:
    items = _call("JSON_EXTRACT_STRING", array.copy(), exp.Literal.string("$[*]"))
    return _when_json(array, _call("LIST_CONTAINS", items, exp.cast(value.copy(), "VARCHAR")))


def _slice(node: exp.ArraySlice) -> exp.Expr:
    start, length = node.args.get("start"), node.args.get("end")
    if start is None or length is None:
        raise LakeDialectError("lake dialect: slice() needs an array, a start and a length")
    if start.is_int and length.is_int:
        end: exp.Expr = exp.Literal.number(int(start.this) + int(length.this) - 1)
    else:
        end = exp.Sub(
            this=exp.Add(this=start.copy(), expression=length.copy()),
            expression=exp.Literal.number(1),
        )
    return _call("LIST_SLICE", node.this, start, end)


def _array_path(index: exp.Expr) -> exp.Expr:
    if not index.is_int and not (isinstance(index, exp.Neg) and index.this.is_int):
        raise LakeDialectError("lake dialect: json_array_get() needs a literal index")
    value = int(index.sql())
    return exp.Literal.string(f"$[{value}]" if value >= 0 else f"$[#{value}]")


def _java_format(pattern: exp.Expr | None, function: str) -> exp.Expr:
    if not isinstance(pattern, exp.Literal) or not pattern.is_string:
        raise LakeDialectError(f"lake dialect: {function}() needs a literal format pattern")
    return exp.Literal.string(_JAVA_PATTERN.sub(_java_token, pattern.this))


def _java_token(match: re.Match[str]) -> str:
    token = match.group(0)
    if token.startswith("'"):
        return token[1:-1].replace("%", "%%") or "'"
    if token in _JAVA_TO_STRFTIME:
        return _JAVA_TO_STRFTIME[token]
    raise LakeDialectError(f"lake dialect: date pattern letter {token!r} is not supported")


def _call(name: str, *args: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _when_json(document: exp.Expr, value: exp.Expr) -> exp.Expr:
    """`value` where `document` is valid JSON, else NULL (DuckDB would raise an error)."""
    valid = _call("JSON_VALID", document.copy())
    return exp.Case(ifs=[exp.If(this=valid, true=value.copy())])


def _not_in(value: exp.Expr, options: tuple[str, ...]) -> exp.Expr:
    return exp.not_(exp.In(this=value, expressions=[exp.Literal.string(o) for o in options]))
