"""What `ctlake models` shows: each model with its kind, description, dependencies and run
state (high-water mark, rows, last refresh), as an Arrow table a query can format."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ctlake.lake import Lake
from ctlake.models.config import load_config
from ctlake.models.project import load_project
from ctlake.models.state import ModelState, load_states
from ctlake.resources import bundled_dir


def model_table(lake: Lake, folder: Path | None = None) -> pa.Table:
    """One row per model, upstream first."""
    config = load_config(lake.root)
    models = load_project(folder or bundled_dir("sql"), config.values)
    states = _states(lake)
    rows = []
    for position, model in enumerate(models, start=1):
        state = states.get(model.name)
        rows.append(
            {
                "position": position,
                "model": model.name,
                "kind": model.kind,
                "depends_on": ", ".join(model.depends_on + model.sources),
                "high_water": state.high_water if state else None,
                "rows": state.rows if state else None,
                "refreshed_at": state.refreshed_at if state else None,
                "seconds": round(state.seconds, 3) if state else None,
                "description": _first_sentence(model.header.description),
                "path": str(model.path),
            }
        )
    return pa.Table.from_pylist(rows, schema=_SCHEMA)


_SCHEMA = pa.schema(
    [
        ("position", pa.int32()),
        ("model", pa.string()),
        ("kind", pa.string()),
        ("depends_on", pa.string()),
        ("high_water", pa.timestamp("us")),
        ("rows", pa.int64()),
        ("refreshed_at", pa.timestamp("us")),
        ("seconds", pa.float64()),
        ("description", pa.string()),
        ("path", pa.string()),
    ]
)


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _states(lake: Lake) -> dict[str, ModelState]:
    if not lake.exists():
        return {}
    with lake.catalog(read_only=True) as con:
        return load_states(con)


def connect_listing(lake: Lake, folder: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the table `model_list` registered."""
    con = duckdb.connect()
    con.register("model_list", model_table(lake, folder))
    return con
