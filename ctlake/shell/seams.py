"""The shell's seam to two neighbours: the Lake (Trino) dialect and the saved queries.

`ctlake.dialect.lake.to_duckdb(sql, con) -> str` translates CloudTrail Lake SQL, and
`ctlake.queries` loads saved queries and binds their parameters to `(sql, params)`. Both
are imported lazily, here only, so the shell works (and says "unavailable") in a tree or
an install without them, and so nothing else in the shell depends on their exact shape.
"""

from __future__ import annotations

import importlib
from typing import Any

from ctlake.errors import BadInputError


class UnavailableError(BadInputError):
    """A feature whose module is not in this build of ctlake."""


def _function(module: str, name: str, feature: str) -> Any:
    """`module.name`, or UnavailableError when the module (or that name in it) is absent."""
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module.startswith(exc.name):
            raise  # the module is there but one of its own imports is not: a real bug
        found = None
    if found is None:
        raise UnavailableError(f"{feature}: not available in this build ({module}.{name})")
    return found


def lake_dialect_available() -> bool:
    try:
        _function("ctlake.dialect.lake", "to_duckdb", "the lake dialect")
    except UnavailableError:
        return False
    return True


def to_duckdb(sql: str, con: Any, line: int = 1, column: int = 1) -> str:
    """`sql` in CloudTrail Lake's dialect, as DuckDB SQL over the lake `con` reads. `sql`
    starts at `line` and `column` of the script it came from: an error that names a place
    in `sql` (it has `.shifted(line, column)`) is raised naming the script's place instead."""
    translate = _function("ctlake.dialect.lake", "to_duckdb", "the lake dialect")
    try:
        return str(translate(sql, con))
    except BadInputError as exc:
        shifted = getattr(exc, "shifted", None)
        if shifted is None:
            raise
        raise shifted(line, column) from exc


def saved_query_names() -> list[str]:
    """Names of the saved queries, [] when the queries library is unavailable or broken."""
    try:
        queries = _function("ctlake.queries", "load_queries", "saved queries")()
    except Exception:  # completion must never break the prompt
        return []
    return sorted(_names(queries))


def bind_saved(name: str, args: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """The SQL of saved query `name` and its parameters, bound from `args` (text values,
    converted by the saved query's typed parameters)."""
    queries = _function("ctlake.queries", "load_queries", "saved queries")()
    bind = _function("ctlake.queries", "bind", "saved queries")
    sql, params = bind(_find(queries, name), args)
    return str(sql), dict(params)


def _names(queries: Any) -> list[str]:
    if isinstance(queries, dict):
        return [str(key) for key in queries]
    return [str(query.name) for query in queries]


def _find(queries: Any, name: str) -> Any:
    if isinstance(queries, dict):
        found = queries.get(name)
    else:
        found = next((query for query in queries if query.name == name), None)
    if found is None:
        known = ", ".join(sorted(_names(queries))) or "none"
        raise BadInputError(f"no saved query named {name!r} (saved queries: {known})")
    return found
