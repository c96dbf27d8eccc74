"""The events schema, and writing event files: the one way a Parquet file of `events` is
made, whether by ingest, by a compaction, by an upgrade or for the schema file.

Rows to write are handed over as the Arrow table `part` (schema `PART`): each record's
JSON text, its source, time and batch. type_events.sql types them into the columns of
`events`, as they are written, so a record is parsed once.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from ctlake.db import scalar
from ctlake.lake.files import LakeFiles
from ctlake.lake.layout import SCHEMA_FILE, Lake
from ctlake.resources import read_sql

ROW_GROUP_ROWS = 32768  # the ROW_GROUP_SIZE of write_events.sql (why: see there)
PART = pa.schema(
    [
        ("j", pa.large_string()),
        ("lakeSource", pa.string()),
        ("eventTime", pa.timestamp("us")),
        ("lakeBatch", pa.int64()),
        ("eventID", pa.string()),
    ]
)


def work_connection(
    lake: Lake | None = None, memory_limit: str = "1GB"
) -> duckdb.DuckDBPyConnection:
    """The in-memory DuckDB that types, dedups and writes batches; with `lake`, one that
    reaches its data files wherever they are."""
    con = duckdb.connect()
    con.execute(read_sql(__file__, "work_session"), {"memory_limit": memory_limit})
    if lake is not None:
        lake.files.register(con)
    return con


def register_part(work: duckdb.DuckDBPyConnection, part: pa.Table) -> None:
    """Hand `part` (schema PART, rows in the order to write) to `work` as table `part`."""
    # In record batches of a row group each: DuckDB types and encodes them on every core
    # and, writing with preserve_insertion_order, still puts them in the file in order.
    chunks = part.to_batches(max_chunksize=ROW_GROUP_ROWS)
    work.register("part", pa.Table.from_batches(chunks, part.schema))


def write_events(work: duckdb.DuckDBPyConnection, files: LakeFiles, target: str) -> int:
    """Type the rows of `part` and write them to the data file `target` (relative to the
    data root of `files`); returns how many there are."""
    files.prepare(target)
    location = files.location(target)
    work.sql(read_sql(__file__, "type_events")).create_view("typed_part", replace=True)
    work.execute(read_sql(__file__, "write_events"), {"file": location})
    return int(scalar(work, read_sql(__file__, "count_rows"), {"file": location}))


def file_schema(con: duckdb.DuckDBPyConnection, path: str) -> str:
    """The columns and types of the Parquet file at `path`, as one comparable text."""
    rows = con.execute(read_sql(__file__, "file_schema"), {"file": path}).fetchall()
    return ", ".join(f"{name} {kind}" for name, kind in rows)


def write_schema_file(lake: Lake, work: duckdb.DuckDBPyConnection) -> str:
    """Write `events/_schema.parquet`: no rows, every column, so `events` has its schema
    before the first event arrives; written again when this version's schema differs.
    Returns that schema (as `file_schema` gives it)."""
    files, tmp = lake.files, SCHEMA_FILE + ".tmp"
    register_part(work, PART.empty_table())
    write_events(work, files, tmp)
    current = file_schema(work, files.location(tmp))
    if files.exists(SCHEMA_FILE) and file_schema(work, files.location(SCHEMA_FILE)) == current:
        files.remove(tmp)
    else:
        files.move(tmp, SCHEMA_FILE)
    return current
