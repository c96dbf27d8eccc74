"""Bringing a lake's event files up to the schema this ctlake writes.

The typed columns of `events` are fixed when a file is written (type_events.sql). When a
release adds a field (`userIdentity.sessionContext.ec2IssuedInVPC`), files written before
lack it, and old and new files must not mix: a reader over many Parquet files takes the
schema of one of them, so a new field would be dropped, or an old file unreadable under a
wider view. So the first writer after an upgrade (ingest, under the write lock) re-types
every file whose schema is not the current one from its `eventJson` — the record as
CloudTrail wrote it, so old events gain the new fields' values as well — and replaces it
through the commit protocol of `ctlake.lake.store`: a `.tmp` file, one catalog
transaction recording the move, the rename (a crash is rolled forward by `recover`).

`lake_meta` row `events_schema` holds the schema every file has, so a writer compares one
row, and reads the files' footers only when it differs. Until a writer has run, a reader
of an older lake sees its files' schema; the Lake dialect reads a field missing there from
`eventJson` (ctlake.dialect.paths).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from ctlake.db import render_sql, scalar, sql_string
from ctlake.lake import store
from ctlake.lake.layout import Lake
from ctlake.resources import read_sql

SCHEMA_KEY = "events_schema"
Progress = Callable[[str], None]


def file_schema(con: duckdb.DuckDBPyConnection, path: str) -> str:
    """The columns and types of the Parquet file at `path`, as one comparable text."""
    rows = con.execute(read_sql(__file__, "file_schema"), {"file": path}).fetchall()
    return ", ".join(f"{name} {kind}" for name, kind in rows)


def upgrade_events(
    lake: Lake, work: duckdb.DuckDBPyConnection, current: str, progress: Progress | None = None
) -> int:
    """Re-type every event file whose schema is not `current` (the schema file's); returns
    how many were. The caller holds the lake's write lock."""
    with lake.catalog() as catalog:
        recorded = scalar(catalog, "SELECT value FROM lake_meta WHERE key = $k", {"k": SCHEMA_KEY})
        paths = [
            p for (p,) in catalog.execute("SELECT path FROM lake_files ORDER BY path").fetchall()
        ]
    if recorded == current:
        return 0
    stale = [p for p in paths if file_schema(work, str(lake.root / p)) != current]
    if stale and progress is not None:
        progress(f"ingest: upgrading {len(stale)} event files to this version's schema")
    for path in stale:
        _retype(lake, work, path)
    with lake.catalog() as catalog:
        catalog.execute(
            "INSERT OR REPLACE INTO lake_meta VALUES ($k, $v)", {"k": SCHEMA_KEY, "v": current}
        )
    return len(stale)


def _retype(lake: Lake, work: duckdb.DuckDBPyConnection, path: str) -> None:
    """Write `path` again from its eventJson, then swap it in through the catalog."""
    target = lake.root / path
    tmp = path + ".tmp"
    work.execute(render_sql(read_sql(__file__, "upgrade_part"), file=str(target)))
    typed = read_sql(__file__, "type_events")
    work.execute(f"COPY ({typed}) TO {sql_string(str(lake.root / tmp))} ({store.PARQUET_OPTIONS})")
    work.execute("DROP VIEW part")
    size = (lake.root / tmp).stat().st_size
    with lake.catalog() as catalog:
        batch_id = scalar(catalog, "SELECT batch_id FROM lake_files WHERE path = $p", {"p": path})
        catalog.execute("BEGIN TRANSACTION")
        catalog.execute("UPDATE lake_files SET bytes = $b WHERE path = $p", {"b": size, "p": path})
        catalog.execute(
            "INSERT INTO pending_moves VALUES ($b, 'publish', $s, $d)",
            {"b": batch_id, "s": tmp, "d": path},
        )
        catalog.execute("COMMIT")  # the commit point: recover() finishes the rename
        store.apply_moves(lake, [store.FileMove("publish", tmp, path)])
        catalog.execute("DELETE FROM pending_moves WHERE dst = $d", {"d": path})
