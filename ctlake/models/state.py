"""Run state of the models, in the catalog tables `model_state`, `model_keys` and
`model_sources` (see sql/model_state.sql).

The state rows are written in the refresh's one transaction with the models' data, so a
crash leaves either the old data with the old state or the new data with the new state; the
next refresh then recomputes exactly what is missing. `model_sources` is only a cache of
what parsing the model files found: losing it costs one parse, never a wrong result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime

import duckdb

from ctlake.config import InsightConfig
from ctlake.resources import read_sql


@dataclass(frozen=True)
class ModelState:
    model: str
    kind: str
    high_water: datetime | None
    last_batch: int | None
    window_start: datetime | None
    rows: int
    refreshed_at: datetime
    seconds: float
    digest: str


def ensure_tables(con: duckdb.DuckDBPyConnection, config: InsightConfig) -> None:
    """Create the state and config tables if needed and refill the config tables from
    `config`."""
    con.execute(read_sql(__file__, "model_state"))
    con.execute(read_sql(__file__, "config_tables"))
    for row in config.overrides:
        con.execute(read_sql(__file__, "insert_override"), row)
    for row in config.suppressions:
        con.execute(read_sql(__file__, "insert_suppression"), row)


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the connection's current database has a table or view `name`."""
    return bool(con.execute(read_sql(__file__, "model_exists"), {"name": name}).fetchall()[0][0])


def existing_tables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The tables and views of the current database: lower-cased name -> 'table' | 'view'."""
    rows = con.execute(read_sql(__file__, "existing_tables")).fetchall()
    return {name: kind for name, kind in rows}


def load_states(con: duckdb.DuckDBPyConnection, *, created: bool = False) -> dict[str, ModelState]:
    """Every model's state; empty when no refresh has run yet. `created`: the caller ran
    `ensure_tables`, so the table exists."""
    if not created and not table_exists(con, "model_state"):
        return {}
    rows = con.execute(read_sql(__file__, "load_states")).fetchall()
    return {row[0]: ModelState(*row) for row in rows}


def save_states(con: duckdb.DuckDBPyConnection, states: list[ModelState]) -> None:
    """Replace the state rows of `states` (call inside the refresh's transaction)."""
    if not states:
        return
    columns = {f.name: [getattr(s, f.name) for s in states] for f in fields(ModelState)}
    con.execute(read_sql(__file__, "delete_states"), {"m": columns["model"]})
    con.execute(read_sql(__file__, "save_states"), columns)


def load_sources(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The parse cache: digest -> the tables the model file reads."""
    rows = con.execute(read_sql(__file__, "load_sources")).fetchall()
    return {digest: json.loads(tables) for digest, tables in rows}


def save_sources(con: duckdb.DuckDBPyConnection, parsed: dict[str, list[str]]) -> None:
    """Replace the parse cache with `parsed` (this refresh's files only)."""
    con.execute(read_sql(__file__, "clear_sources"))
    digests = sorted(parsed)
    tables = [json.dumps(parsed[d]) for d in digests]
    con.execute(read_sql(__file__, "save_sources"), {"digests": digests, "tables": tables})
