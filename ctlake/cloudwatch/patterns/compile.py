"""A parsed filter pattern -> one sqlglot boolean predicate over a row of `events`.

JSON comparisons read the selector's field where `fields.resolve` finds it (a typed column
whenever the lake has one) as text, as numbers through TRY_CAST (NULL, so no match, when the
text is not a number), and as `*` wildcards through LIKE; a `%regex%` is a search
(regexp_matches), as CloudWatch's standalone `%AUTHORIZED%` finds "UNAUTHORIZED". Term
patterns search the record as CloudTrail delivered it (`eventJson`, compact JSON, the text
CloudWatch Logs holds as the event's message), case-sensitively.

A field that is absent or JSON null never satisfies `=`, `!=` or a numeric comparison, so a
sub-predicate may be NULL; since patterns have no negation of a sub-expression, NULL acts as
FALSE through `&&`/`||`, and the whole predicate is COALESCEd to FALSE once at the top.
Expressions are built with copy=False: the tree is new, nothing is shared.
"""

from __future__ import annotations

from sqlglot import exp

from ctlake.cloudwatch.patterns.fields import RECORD, Field, InJson, MapKey, Typed, resolve
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


def predicate(pattern: Pattern) -> exp.Expr:
    """The SQL predicate of `pattern`: TRUE exactly for the rows it matches, never NULL."""
    if isinstance(pattern, Terms):
        return _terms(pattern)
    return exp.func("COALESCE", _json(pattern.expr), exp.false())


def field_text(field: Field) -> exp.Expr:
    """The field's value as VARCHAR: NULL when absent or JSON null; an object or array as
    its JSON text."""
    if isinstance(field, Typed):
        if field.kind == "boolean":
            return exp.cast(field.expr, exp.DataType.Type.VARCHAR, copy=False)
        return field.expr
    if isinstance(field, MapKey):
        return _map_value(field)
    return _guard(field, _fn("json_extract_string", field.source, _str(field.path)))


def field_number(field: Field) -> exp.Expr:
    """The field's value as DOUBLE, NULL when absent or not a number."""
    return exp.TryCast(this=field_text(field), to=exp.DataType.build("DOUBLE"))


def _json(node: JsonExpr) -> exp.Expr:
    if isinstance(node, All):
        return exp.and_(*(_json(part) for part in node.parts), copy=False)
    if isinstance(node, Any_):
        return exp.or_(*(_json(part) for part in node.parts), copy=False)
    if isinstance(node, Check):
        return _check(resolve(node.selector), node.check)
    return _compare(resolve(node.selector), node.op, node.value)


def _compare(field: Field, op: str, value: Value) -> exp.Expr:
    if value.kind == "number":
        number = exp.Literal.number(value.text.lstrip("+"))
        return COMPARISONS[op](this=field_number(field), expression=number)
    text = field_text(field)
    if value.kind == "regex":
        found: exp.Expr = exp.RegexpLike(this=text, expression=_str(value.text))
    elif value.text == "*":
        return exp.not_(exp.Is(this=text, expression=exp.null()), copy=False)
    elif "*" in value.text:
        found = exp.Escape(
            this=exp.Like(this=text, expression=_str(_like(value.text))), expression=_str("\\")
        )
    else:
        return COMPARISONS[op](this=text, expression=_str(value.text))
    return found if op == "=" else exp.not_(found, copy=False)


def _like(text: str) -> str:
    """A LIKE pattern for a value whose `*` are wildcards (`\\` escapes LIKE's own)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _check(field: Field, check: str) -> exp.Expr:
    if check in ("true", "false"):
        if isinstance(field, Typed) and field.kind == "boolean":
            return exp.EQ(this=field.expr, expression=exp.Boolean(this=check == "true"))
        return exp.EQ(this=field_text(field), expression=_str(check))
    if isinstance(field, MapKey):
        has_key = _fn("map_contains", field.map, _str(field.key))
        if check == "null":
            return exp.and_(has_key, exp.Is(this=_map_value(field), expression=exp.null()))
        return exp.func("COALESCE", exp.not_(has_key, copy=False), exp.true())
    if isinstance(field, Typed):
        if check == "not_exists":
            # The lake keeps no difference between absent and null in typed fields; a
            # CloudTrail record leaves a field out rather than writing null.
            return exp.Is(this=field.expr, expression=exp.null())
        path = _record_path(field)
        return exp.and_(
            exp.Is(this=field.expr, expression=exp.null()),
            exp.EQ(
                this=_fn("json_type", exp.column(RECORD, quoted=True), _str(path)),
                expression=_str("NULL"),
            ),
        )
    kind = _guard(field, _fn("json_type", field.source, _str(field.path)))
    if check == "null":
        return exp.EQ(this=kind, expression=_str("NULL"))
    return exp.Is(this=kind, expression=exp.null())


def _record_path(field: Typed) -> str:
    from ctlake.cloudwatch.patterns.fields import json_path

    return json_path(field.selector.steps)


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


def _map_value(field: MapKey) -> exp.Expr:
    return exp.Bracket(this=field.map, expressions=[_str(field.key)])


def _guard(field: InJson, value: exp.Expr) -> exp.Expr:
    """`value`, computed only when the field's source is JSON text: a map value may be a
    plain string, and reading JSON from it would fail. The test is one character, so the
    JSON is parsed only where there is JSON."""
    if not field.guarded:
        return value
    first = exp.Left(this=field.source, expression=exp.Literal.number(1))
    is_json = exp.In(this=first, expressions=[_str(c) for c in JSON_OPENERS])
    return exp.Case(ifs=[exp.If(this=is_json, true=value)])


def _fn(name: str, *args: exp.Expr) -> exp.Expr:
    return exp.Anonymous(this=name, expressions=list(args))


def _str(text: str) -> exp.Literal:
    return exp.Literal.string(text)
