"""Small helpers around DuckDB used across the library, so each lives in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # types only: importing this module must not load the engine
    import duckdb
    import pyarrow as pa


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> Any:
    """The single value `sql` returns (None for no row). Fetches every row, as DuckDB 2
    requires before the connection runs anything else."""
    rows = con.execute(sql, params or {}).fetchall()
    return rows[0][0] if rows else None


def arrow_table(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """`relation` as an Arrow table (DuckDB 2 renamed `arrow()` to `to_arrow_table()`)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()


def sql_string(value: str) -> str:
    """`value` as a SQL string literal, for the few places a statement cannot take a bound
    parameter (view definitions, COPY targets)."""
    return "'" + value.replace("'", "''") + "'"


def render_sql(text: str, **literals: str) -> str:
    """`text` with each `{{ name }}` replaced by the SQL string literal of `literals[name]`."""
    for name, value in literals.items():
        text = text.replace("{{ " + name + " }}", sql_string(value))
    if "{{" in text:
        raise ValueError(f"unfilled placeholder in SQL: {text[text.index('{{') :][:40]}")
    return text
