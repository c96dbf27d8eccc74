"""A metric filter as the SQL pieces the model `metric_points` runs for it.

`compile_filter` turns one `[[metrics.filter]]` into sqlglot expressions over a row of
`events`: `where` (the pattern's predicate, and every dimension present: CloudWatch publishes
no datapoint for an event lacking a dimension's field; a dimension's text is read as the
patterns read a field, from the lake's typed columns where it has them), `value` (DOUBLE;
NULL when a `$.path` value is absent or not a number, and such an event gives no datapoint)
and `dimensions` (compact JSON object, keys sorted, '{}' without dimensions). A pattern that
does not compile is one BadInputError naming the filter. `template_values` renders them for
DuckDB as the Jinja value `metric_filters` of the model: SQL text made by sqlglot, never
pasted together from the configuration's strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from ctlake.config.metrics import MetricFilter, MetricsConfig
from ctlake.errors import BadInputError

DIALECT = "duckdb"
NO_DIMENSIONS = "{}"


@dataclass(frozen=True)
class CompiledFilter:
    filter: MetricFilter
    where: exp.Expr
    value: exp.Expr
    dimensions: exp.Expr


def compile_filter(metric_filter: MetricFilter) -> CompiledFilter:
    """The SQL of `metric_filter`; its pattern's errors name the filter."""
    from ctlake.cloudwatch.patterns import (
        PatternError,
        compile_pattern,
        text_expression,
        value_expression,
    )

    try:
        predicate = compile_pattern(metric_filter.pattern)
        value = (
            value_expression(metric_filter.value)
            if metric_filter.value_is_field
            else exp.cast(exp.Literal.number(metric_filter.value), exp.DataType.Type.DOUBLE)
        )
        fields = {
            name: text_expression(path) for name, path in sorted(metric_filter.dimensions.items())
        }
    except PatternError as exc:
        raise BadInputError(f"metric filter {metric_filter.name!r}: {exc}") from None
    where = exp.and_(
        exp.paren(predicate, copy=False),
        *(exp.Not(this=exp.Is(this=e, expression=exp.Null())) for e in fields.values()),
        copy=False,
    )
    return CompiledFilter(metric_filter, where, value, dimensions_json(fields))


def compile_filters(config: MetricsConfig) -> list[CompiledFilter]:
    return [compile_filter(f) for f in config.filters]


def dimensions_json(fields: dict[str, exp.Expr]) -> exp.Expr:
    """to_json of a struct of the dimensions, names sorted (compact JSON on both engines,
    which sqlglot writes as Spark's to_json(struct(...)); DuckDB's json_object is not
    Spark's), or '{}' without dimensions."""
    if not fields:
        return exp.Literal.string(NO_DIMENSIONS)
    members = [
        exp.PropertyEQ(this=exp.to_identifier(name, quoted=True), expression=fields[name])
        for name in sorted(fields)
    ]
    return exp.func("to_json", exp.Struct(expressions=members))


def template_values(filters: list[CompiledFilter]) -> list[dict[str, str | None]]:
    """The model's `metric_filters`: per filter, SQL text for its metric's namespace and
    name (string literals), `where`, `value`, `dimensions` and `default` (a DOUBLE literal,
    or None without a default value)."""
    values = []
    for item in filters:
        f = item.filter
        default = None
        if f.default_value is not None:
            literal = exp.Literal.number(repr(f.default_value))
            default = exp.cast(literal, exp.DataType.Type.DOUBLE).sql(DIALECT)
        values.append(
            {
                "namespace": exp.Literal.string(f.namespace).sql(DIALECT),
                "metric_name": exp.Literal.string(f.metric_name).sql(DIALECT),
                "where": item.where.sql(DIALECT),
                "value": item.value.sql(DIALECT),
                "dimensions": item.dimensions.sql(DIALECT),
                "default": default,
            }
        )
    return values
