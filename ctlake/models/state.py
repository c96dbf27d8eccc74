"""Run state of the models, in the catalog table `model_state`.

The state rows are written in the refresh's one transaction with the models' data, so a
crash leaves either the old data with the old state or the new data with the new state; the
next refresh then recomputes exactly what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from ctlake.models.config import InsightConfig
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


COLUMNS = "model, kind, high_water, last_batch, window_start, rows, refreshed_at, seconds, digest"


def ensure_tables(con: duckdb.DuckDBPyConnection, config: InsightConfig) -> None:
    """Create `model_state` if needed and rewrite the config tables from `config`."""
    con.execute(read_sql(__file__, "model_state"))
    con.execute(read_sql(__file__, "config_tables"))
    for row in config.overrides:
        con.execute(
            "INSERT INTO insight_overrides BY NAME SELECT "
            "$eventSource AS eventSource, $eventName AS eventName, "
            "$rate_factor AS rate_factor, $min_count AS min_count, "
            "$time_of_day_factor AS time_of_day_factor",
            row,
        )
    for row in config.suppressions:
        names = ", ".join(f"${k} AS {k}" for k in sorted(row))
        con.execute(f"INSERT INTO insight_suppressions BY NAME SELECT {names}", row)


def table_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the connection's current database has a table or view `name`."""
    return bool(con.execute(read_sql(__file__, "model_exists"), {"name": name}).fetchall()[0][0])


def load_states(con: duckdb.DuckDBPyConnection) -> dict[str, ModelState]:
    """Every model's state; empty when no refresh has run yet."""
    if not table_exists(con, "model_state"):
        return {}
    rows = con.execute(read_sql(__file__, "load_states")).fetchall()
    return {row[0]: ModelState(*row) for row in rows}


def save_state(con: duckdb.DuckDBPyConnection, state: ModelState) -> None:
    """Replace the state row of `state.model` (call inside the refresh's transaction)."""
    con.execute("DELETE FROM model_state WHERE model = $m", {"m": state.model})
    con.execute(
        f"INSERT INTO model_state ({COLUMNS}) VALUES "
        "($model, $kind, $high_water, $last_batch, $window_start, $rows, $refreshed_at, "
        "$seconds, $digest)",
        state.__dict__,
    )
