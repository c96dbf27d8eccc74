"""The shell's seam to its neighbours: the Lake (Trino) and Logs Insights dialects and the
saved queries.

`to_duckdb` translates CloudTrail Lake SQL, naming the script's own place in an error;
`insights_to_duckdb` a CloudWatch Logs Insights query;
`saved_query_names` and `bind_saved` give the shell the saved queries by name. The
neighbours ship in the same package; they are reached through here so the rest of the
shell depends on these functions only. The shell is imported when `ctlake sql`
runs, never to build the command line, so importing them at the top costs `ctlake --help`
nothing (tests/cli/test_startup.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from ctlake.dialect import LakeDialectError
from ctlake.dialect import to_duckdb as lake_to_duckdb
from ctlake.errors import BadInputError
from ctlake.queries import SavedQuery, load_queries


def to_duckdb(sql: str, con: duckdb.DuckDBPyConnection, line: int = 1, column: int = 1) -> str:
    """`sql` in CloudTrail Lake's dialect, as DuckDB SQL over the lake `con` reads. `sql`
    starts at `line` and `column` of the script it came from: an error that names a place
    in `sql` is raised naming the script's place instead."""
    try:
        return lake_to_duckdb(sql, con)
    except LakeDialectError as exc:
        shifted = exc.shifted(line, column)
        if shifted is exc:
            raise
        raise shifted from exc


def insights_to_duckdb(query: str, since: datetime | None, until: datetime | None) -> str:
    """Logs Insights `query` as DuckDB SQL over the events in [since, until)."""
    from ctlake.cloudwatch.logs_insights import to_sql  # lark: only when a query is read

    return to_sql(query, since, until)


def saved_query_names() -> list[str]:
    """Names of the saved queries, [] when they cannot be read (a broken query file):
    completion must never break the prompt."""
    try:
        return sorted(load_queries())
    except BadInputError:
        return []


def bind_saved(name: str, args: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The SQL of saved query `name` and its parameters, bound from `args` (text values,
    converted by the saved query's typed parameters)."""
    return _find(load_queries(), name).bind(args)


def _find(queries: dict[str, SavedQuery], name: str) -> SavedQuery:
    found = queries.get(name)
    if found is None:
        known = ", ".join(sorted(queries)) or "none"
        raise BadInputError(f"no saved query named {name!r} (saved queries: {known})")
    return found
