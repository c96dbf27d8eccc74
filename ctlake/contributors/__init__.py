"""CloudWatch Contributor Insights rules, run over the lake (`ctlake contributors`)."""

from ctlake.contributors.report import Query, build, parse_period, summary
from ctlake.contributors.rule import Filter, Rule, RuleError, load_rule, parse_rule

__all__ = [
    "Filter",
    "Query",
    "Rule",
    "RuleError",
    "build",
    "load_rule",
    "parse_period",
    "parse_rule",
    "summary",
]
