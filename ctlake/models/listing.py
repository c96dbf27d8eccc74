"""What `ctlake models` shows: each model with its kind, description, dependencies and run
state (high-water mark, rows, last refresh), as an Arrow table a query can format."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ctlake.config import load
from ctlake.db import scalar
from ctlake.lake import Lake
from ctlake.models import dml
from ctlake.models.project import load_project
from ctlake.models.state import ModelState, load_states
from ctlake.resources import bundled_dir


def model_table(lake: Lake, folder: Path | None = None) -> pa.Table:
    """One row per model, upstream first."""
    config = load(lake.root).insights
    models = load_project(folder or bundled_dir("sql"), config.values)
    states, view_rows = _states(lake, [m.name for m in models if m.kind == "view"])
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
                "rows": view_rows.get(model.name) if model.kind == "view" else _rows(state),
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


def _rows(state: ModelState | None) -> int | None:
    return state.rows if state else None


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def _states(lake: Lake, views: list[str]) -> tuple[dict[str, ModelState], dict[str, int | None]]:
    """The models' states, and the rows each view in `views` shows now (a refresh does not
    count them: a view's rows are its query's, computed when read)."""
    if not lake.exists():
        return {}, {}
    with lake.catalog(read_only=True) as con:
        states = load_states(con)
        return states, {v: _count(con, v) for v in views if v in states}


def _count(con: duckdb.DuckDBPyConnection, view: str) -> int | None:
    try:
        return int(scalar(con, dml.sql(dml.count_rows(view))))
    except duckdb.Error:  # a view over `events`, which only readers define
        return None


def connect_listing(lake: Lake, folder: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the table `model_list` registered."""
    con = duckdb.connect()
    con.register("model_list", model_table(lake, folder))
    return con
