"""Bringing a lake's event files up to the schema this ctlake writes.

The typed columns of `events` are fixed when a file is written (type_events.sql). When a
release adds a field (`userIdentity.sessionContext.ec2IssuedInVPC`), files written before
lack it, and old and new files must not mix: a reader over many Parquet files takes the
schema of one of them, so a new field would be dropped, or an old file unreadable under a
wider view. So the first writer after an upgrade (ingest, under the write lock) re-types
every file whose schema is not the current one from its `eventJson` — the record as
CloudTrail wrote it, so old events gain the new fields' values as well — and replaces it
through the lake's commit protocol (`ctlake.lake.commit.replace_file`): a `.tmp` file, one
catalog transaction recording the move, the rename (a crash is rolled forward by `recover`).

`lake_meta` row `events_schema` holds the schema every file has, so a writer compares one
row, and reads the files' footers only when it differs. Until a writer has run, a reader
of an older lake sees its files' schema; the Lake dialect reads a field missing there from
`eventJson` (ctlake.dialect.paths).
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from ctlake.db import render_sql, scalar
from ctlake.lake import commit, events
from ctlake.lake.layout import Lake
from ctlake.resources import read_sql

SCHEMA_KEY = "events_schema"
Progress = Callable[[str], None]


def upgrade_events(
    lake: Lake, work: duckdb.DuckDBPyConnection, current: str, progress: Progress | None = None
) -> int:
    """Re-type every event file whose schema is not `current` (the schema file's); returns
    how many were. The caller holds the lake's write lock."""
    with lake.catalog() as catalog:
        recorded = scalar(catalog, read_sql(__file__, "schema_version"), {"key": SCHEMA_KEY})
        paths = [p for (p,) in catalog.execute(read_sql(__file__, "live_paths")).fetchall()]
    if recorded == current:
        return 0
    stale = [p for p in paths if events.file_schema(work, lake.files.location(p)) != current]
    if stale and progress is not None:
        progress(f"ingest: upgrading {len(stale)} event files to this version's schema")
    for path in stale:
        _retype(lake, work, path)
    with lake.catalog() as catalog:
        catalog.execute(
            read_sql(__file__, "set_schema_version"), {"key": SCHEMA_KEY, "schema": current}
        )
    return len(stale)


def _retype(lake: Lake, work: duckdb.DuckDBPyConnection, path: str) -> None:
    """Write `path` again from its eventJson, then swap it in through the catalog."""
    tmp = path + ".tmp"
    # A view over the file, not a bound parameter: DuckDB binds no parameter in a view.
    work.execute(render_sql(read_sql(__file__, "upgrade_part"), file=lake.files.location(path)))
    events.write_events(work, lake.files, tmp)
    work.execute(read_sql(__file__, "drop_part"))
    with lake.catalog() as catalog:
        commit.replace_file(lake, catalog, path, tmp)
