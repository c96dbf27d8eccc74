"""A parsed filter pattern -> one sqlglot boolean predicate over a row of `events`.

JSON comparisons read the selector's field where `fields.resolve` finds it (a typed column
whenever the lake has one) as text; numbers compare through TRY_CAST (NULL, so no match,
when the text is not a number); `*` in a value is a LIKE wildcard; a `%regex%` is a search
(regexp_matches), as CloudWatch's `{ $.eventType = %Trail% }` matches "UpdateTrail". A
selector that points to an object or array has no text, so it matches nothing, as in
CloudWatch. A selector with a wildcard (`$.a[*]`, `$.*`) matches when any of the values it
selects does. Term patterns search the record as CloudTrail delivered it (`eventJson`,
compact JSON: the text CloudWatch Logs holds as the event's message), case-sensitively.

A field that is absent or JSON null never satisfies `=`, `!=` or a numeric comparison, so a
sub-predicate may be NULL; since patterns have no negation of a sub-expression, NULL acts as
FALSE through `&&`/`||`, and the whole predicate is COALESCEd to FALSE once at the top.
Expressions are built with copy=False: the tree is new, nothing is shared.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from ctlake.cloudwatch.patterns.fields import (
    RECORD,
    Field,
    InJson,
    MapKey,
    Typed,
    json_path,
    resolve,
)
from ctlake.cloudwatch.patterns.syntax import (
    All,
    Any_,
    Check,
    JsonExpr,
    Pattern,
    Term,
    Terms,
    Value,
)

JSON_OPENERS = ("{", "[")
COMPARISONS: dict[str, type[exp.Binary]] = {
    "=": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}
Leaf = Callable[[exp.Expr], exp.Expr]  # a field's text -> a condition on it


def predicate(pattern: Pattern) -> exp.Expr:
    """The SQL predicate of `pattern`: TRUE exactly for the rows it matches, never NULL."""
    if isinstance(pattern, Terms):
        return _terms(pattern)
    return exp.func("COALESCE", _json(pattern.expr), exp.false())


def field_number(field: Field) -> exp.Expr:
    """The field's value as DOUBLE, NULL when absent or not a number (for a selector with a
    wildcard, the first value it selects)."""
    return _to_double(field_text(field))


def field_text(field: Field) -> exp.Expr:
    """The field's value as VARCHAR, NULL when absent, null, an object or an array (for a
    selector with a wildcard, the first value it selects)."""
    if isinstance(field, InJson) and field.many:
        first = exp.Bracket(this=_values(field), expressions=[exp.Literal.number(1)])
        return _json_text(first)
    return _field_text(field)


def _json(node: JsonExpr) -> exp.Expr:
    if isinstance(node, All):
        return exp.and_(*(_json(part) for part in node.parts), copy=False)
    if isinstance(node, Any_):
        return exp.or_(*(_json(part) for part in node.parts), copy=False)
    if isinstance(node, Check):
        return _check(resolve(node.selector), node.check)
    return _on_text(resolve(node.selector), _comparison(node.op, node.value))


def _on_text(field: Field, leaf: Leaf) -> exp.Expr:
    """`leaf` on the field's text; for a wildcard selector, on any of its values."""
    if isinstance(field, InJson) and field.many:
        value = exp.to_identifier("v")
        test = exp.Lambda(this=leaf(_json_text(exp.column(value))), expressions=[value])
        matched = _fn("list_filter", _values(field), test)
        return exp.GT(this=_fn("len", matched), expression=exp.Literal.number(0))
    return leaf(_field_text(field))


def _comparison(op: str, value: Value) -> Leaf:
    if value.kind == "number":
        number = exp.Literal.number(value.text.lstrip("+"))
        return lambda text: COMPARISONS[op](this=_to_double(text), expression=number)
    if value.kind == "regex":
        pattern = _str(value.text)
        return _negated(op, lambda text: exp.RegexpLike(this=text, expression=pattern))
    if value.text == "*":
        return lambda text: exp.not_(exp.Is(this=text, expression=exp.null()), copy=False)
    if "*" in value.text:
        like = _str(_like(value.text))
        return _negated(
            op,
            lambda text: exp.Escape(
                this=exp.Like(this=text, expression=like), expression=_str("\\")
            ),
        )
    literal = _str(value.text)
    return lambda text: COMPARISONS[op](this=text, expression=literal)


def _negated(op: str, leaf: Leaf) -> Leaf:
    if op == "=":
        return leaf
    return lambda text: exp.not_(leaf(text), copy=False)


def _like(text: str) -> str:
    """A LIKE pattern for a value whose `*` are wildcards (`\\` escapes LIKE's own)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _check(field: Field, check: str) -> exp.Expr:
    if isinstance(field, InJson):
        return _check_json(field, check)
    if check in ("true", "false"):
        if isinstance(field, Typed) and field.kind == "boolean":
            return exp.EQ(this=field.expr, expression=exp.Boolean(this=check == "true"))
        return exp.EQ(this=_field_text(field), expression=_str(check))
    if isinstance(field, MapKey):
        has_key = _fn("map_contains", field.map, _str(field.key))
        if check == "null":
            return exp.and_(has_key, exp.Is(this=_map_value(field), expression=exp.null()))
        return exp.func("COALESCE", exp.not_(has_key, copy=False), exp.true())
    absent = exp.Is(this=field.expr, expression=exp.null())
    if check == "not_exists":
        # The lake keeps no difference between absent and null in typed fields, and a
        # CloudTrail record leaves a field out rather than writing null: read as absent.
        # (Asking the record would read eventJson for every row: see docs.)
        return absent
    record = exp.column(RECORD, quoted=True)
    record_type = _fn("json_type", record, _str(json_path(field.selector.steps)))
    return exp.and_(absent, exp.EQ(this=record_type, expression=_str("NULL")))


def _check_json(field: InJson, check: str) -> exp.Expr:
    """IS NULL / NOT EXISTS / IS TRUE / IS FALSE on JSON: by the value's JSON text, which
    tells null, true and false from the strings "null", "true", "false"."""
    if field.many:
        values = _values(field)
        if check == "not_exists":
            return exp.EQ(this=_fn("len", values), expression=exp.Literal.number(0))
        name = exp.to_identifier("v")
        test = exp.Lambda(
            this=exp.EQ(this=exp.column(name), expression=_str(check)),
            expressions=[name],
        )
        matched = _fn("list_filter", values, test)
        return exp.GT(this=_fn("len", matched), expression=exp.Literal.number(0))
    value = _guard(field, _fn("json_extract", field.source, _str(field.path)))
    if check == "not_exists":
        return exp.Is(this=value, expression=exp.null())
    as_text = exp.cast(value, exp.DataType.Type.VARCHAR, copy=False)
    return exp.EQ(this=as_text, expression=_str(check))  # JSON's null, true, false


def _terms(pattern: Terms) -> exp.Expr:
    parts = [_term(term) for term in pattern.required]
    if pattern.optional:
        parts.append(exp.or_(*(_term(term) for term in pattern.optional), copy=False))
    parts.extend(exp.not_(_term(term), copy=False) for term in pattern.excluded)
    return exp.and_(*parts, copy=False) if parts else exp.true()


def _term(term: Term) -> exp.Expr:
    message = exp.column(RECORD, quoted=True)
    if term.regex:
        return exp.RegexpLike(this=message, expression=_str(term.text))
    return _fn("contains", message, _str(term.text))


def _field_text(field: Field) -> exp.Expr:
    """The field's value as VARCHAR: NULL when absent, JSON null, an object or an array."""
    if isinstance(field, Typed):
        if field.kind == "boolean":
            return exp.cast(field.expr, exp.DataType.Type.VARCHAR, copy=False)
        return field.expr
    if isinstance(field, MapKey):
        # A map value holding an object or an array is its JSON text: no text, as in
        # CloudWatch (a string value that begins with { or [ is taken for one too).
        value = _map_value(field)
        return exp.Case(ifs=[exp.If(this=_is_json(value), true=exp.null())], default=value)
    scalar = _fn("json_value", field.source, _str(field.path))
    return _guard(field, _fn("json_extract_string", scalar, _str("$")))


def _values(field: InJson) -> exp.Expr:
    """The JSON values a wildcard selector selects (an empty list when none)."""
    return _fn("json_extract", field.source, _str(field.path))


def _json_text(value: exp.Expr) -> exp.Expr:
    """The text of one JSON value: NULL for null, an object or an array."""
    return _fn("json_extract_string", _fn("json_value", value, _str("$")), _str("$"))


def _to_double(text: exp.Expr) -> exp.Expr:
    return exp.TryCast(this=text, to=exp.DataType.build("DOUBLE"))


def _map_value(field: MapKey) -> exp.Expr:
    return exp.Bracket(this=field.map, expressions=[_str(field.key)])


def _is_json(text: exp.Expr) -> exp.Expr:
    """Whether `text` begins like a JSON object or array: one character, no parsing."""
    first = exp.Left(this=text, expression=exp.Literal.number(1))
    return exp.In(this=first, expressions=[_str(c) for c in JSON_OPENERS])


def _guard(field: InJson, value: exp.Expr) -> exp.Expr:
    """`value`, computed only when the field's source is JSON text: a map value may be a
    plain string, and reading JSON from it would fail."""
    if not field.guarded:
        return value
    return exp.Case(ifs=[exp.If(this=_is_json(field.source), true=value)])


def _fn(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _str(text: str) -> exp.Literal:
    return exp.Literal.string(text)
