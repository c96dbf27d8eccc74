"""CloudWatch Logs filter patterns as SQL predicates over the lake's `events` view.

    compile_pattern('{ $.eventName = "ConsoleLogin" && $.errorCode = "*" }')

returns one sqlglot boolean expression over a row of `events` (TRUE when the record matches,
never NULL); `value_expression('$.requestParameters.durationSeconds')` the DOUBLE a metric
filter counts for a record (NULL when absent or not a number); `text_expression('$.eventName')`
a field's text, as a dimension's value (NULL when absent, null, an object or an array).
Selectors read the lake's typed columns where it has them, so these are cheaper than JSON
functions on `eventJson`. Both raise PatternError, one
line naming the column and what was expected. The syntax, how selectors map to the lake's
columns and where the semantics differ from CloudWatch's: docs/filter-patterns.md.

Pipeline: text -> `syntax.parse_pattern` (Lark grammar, plain dataclasses) ->
`compile.predicate` (sqlglot), with `fields.resolve` choosing the column of each selector.
"""

from __future__ import annotations

from sqlglot import exp

from ctlake.cloudwatch.patterns.compile import field_number, field_text, predicate
from ctlake.cloudwatch.patterns.fields import resolve
from ctlake.cloudwatch.patterns.syntax import (
    PatternError,
    Selector,
    parse_metric_value,
    parse_pattern,
)

__all__ = [
    "PatternError",
    "compile_pattern",
    "parse_pattern",
    "text_expression",
    "value_expression",
]


def compile_pattern(text: str) -> exp.Expr:
    """The predicate over `events` of filter pattern `text` (empty: every event)."""
    return predicate(parse_pattern(text))


def value_expression(text: str) -> exp.Expr:
    """A metric filter's value (`$.path` or a number) as a DOUBLE expression over `events`."""
    value = parse_metric_value(text)
    if isinstance(value, Selector):
        return field_number(resolve(value))
    return exp.cast(exp.Literal.number(value.text.lstrip("+")), exp.DataType.Type.DOUBLE)


def text_expression(text: str) -> exp.Expr:
    """A `$.path` of the record as a VARCHAR expression over `events` (a dimension's value)."""
    value = parse_metric_value(text)
    if not isinstance(value, Selector):
        raise PatternError(f"field {text.strip()!r}: expected a selector like $.eventName")
    return field_text(resolve(value))
