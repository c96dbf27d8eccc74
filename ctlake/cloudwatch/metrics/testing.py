"""`ctlake metrics test PATTERN`: CloudWatch's "Test pattern" on the lake — how many events
a filter pattern matches, and the first of them.

The statements are `sql/test_pattern.sql` and `sql/count_matches.sql`; the pattern's
predicate, compiled by ctlake.cloudwatch.patterns, takes the place of their column
`pattern_matches` (a sqlglot tree, never pasted text). Events are taken in eventTime order,
so the first matches are the oldest in the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import sqlglot
from sqlglot import exp

from ctlake.errors import BadInputError
from ctlake.resources import read_sql

PLACEHOLDER = "pattern_matches"


@dataclass(frozen=True)
class PatternTest:
    rows_sql: str  # the first $limit matching events, oldest first
    count_sql: str  # (matched, tried)
    params: dict[str, Any]

    def count(self, con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
        """(events matching, events tried) in the test's time range."""
        params = {k: v for k, v in self.params.items() if k != "limit"}
        matched, tried = con.execute(self.count_sql, params).fetchall()[0]
        return int(matched or 0), int(tried)


def pattern_test(
    pattern: str, since: datetime | None, until: datetime | None, limit: int
) -> PatternTest:
    """The queries of the events `pattern` matches in [since, until); a pattern that does
    not compile is one BadInputError naming it."""
    from ctlake.cloudwatch.patterns import PatternError, compile_pattern

    if limit < 0:
        raise BadInputError(f"--limit {limit}: expected a whole number >= 0")
    try:
        predicate = compile_pattern(pattern)
    except PatternError as exc:
        raise BadInputError(f"pattern {pattern!r}: {exc}") from None
    return PatternTest(
        _with_predicate("test_pattern", predicate),
        _with_predicate("count_matches", predicate),
        {"since": since, "until": until, "limit": limit},
    )


def _with_predicate(name: str, predicate: exp.Expr) -> str:
    tree = sqlglot.parse_one(read_sql(__file__, name), read="duckdb")
    holes = [c for c in tree.find_all(exp.Column) if c.name == PLACEHOLDER and not c.table]
    if len(holes) != 1:
        raise AssertionError(f"{name}.sql must use the column {PLACEHOLDER} exactly once")
    holes[0].replace(exp.paren(predicate.copy(), copy=False))
    return tree.sql(dialect="duckdb")
