"""Connections for reading the lake: what `ctlake sql`, saved queries and the models see.

A reader is an in-memory DuckDB with the catalog attached read-only (its tables — model
outputs, `aws_insights`, `quarantine`, ... — resolve by bare name) and a temporary view
`events` over the Parquet files. Nothing a reader does can change the lake.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from ctlake.db import render_sql
from ctlake.lake.layout import SCHEMA_FILE, Lake, attach_catalog
from ctlake.resources import read_sql

EVENT_FILES = "events/*/*.parquet"  # every live event file; staged ones end in .tmp


def connect(lake: Lake, *, writable_catalog: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory connection where the lake's tables and `events` can be queried."""
    lake.require()
    con = duckdb.connect()
    con.execute(read_sql(__file__, "session"))
    lake.files.register(con)
    attach_catalog(con, lake, read_only=not writable_catalog)
    define_events_view(con, lake)
    return con


def detach_catalog(con: duckdb.DuckDBPyConnection) -> None:
    """Let go of the catalog file, so a batch can write it while `con` stays open."""
    con.execute(read_sql(__file__, "detach"))


@contextmanager
def catalog_attached(con: duckdb.DuckDBPyConnection, lake: Lake) -> Iterator[None]:
    """The catalog attached (read-only) for the duration of the block only.

    DuckDB lets no process write a database file another process has open, even
    read-only; a shell left open for hours must not stall the scheduled batch."""
    attach_catalog(con, lake, read_only=True)
    try:
        yield
    finally:
        detach_catalog(con)


def define_events_view(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    """(Re)define `events` from the Parquet files present now."""
    # The files as SQL literals, not bound: DuckDB binds no parameter in a view.
    if lake.files.files(EVENT_FILES):
        files = lake.files.location(EVENT_FILES)
        con.execute(render_sql(read_sql(__file__, "events_view"), files=files))
    else:
        schema = lake.files.location(SCHEMA_FILE)
        con.execute(render_sql(read_sql(__file__, "events_view_empty"), schema_file=schema))
