"""Step 2 of the commit protocol (see `ctlake.lake.store`): the one catalog transaction
that makes a change to the lake's files real, then the moves it records.

Three writers change the files, each through `_commit`: an ingest batch (new and
compacted files, with the batch's manifest, quarantine and Insights records), retention
(expired files removed) and the schema upgrade (a file re-typed in place). Each records
the new live-file list and its pending moves in the transaction; the moves are made after
it and forgotten, and `store.recover` replays them after a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from ctlake.crashpoints import crash_point
from ctlake.db import scalar
from ctlake.lake import store
from ctlake.lake.layout import Lake
from ctlake.resources import read_sql

RETENTION_BATCH = -1  # pending_moves.batch_id of retention's moves
LAKE_FILES = pa.schema(
    [
        ("path", pa.string()),
        ("eventDate", pa.string()),
        ("rows", pa.int64()),
        ("bytes", pa.int64()),
        ("batch_id", pa.int64()),
    ]
)
PENDING_MOVES = pa.schema(
    [("batch_id", pa.int64()), ("action", pa.string()), ("src", pa.string()), ("dst", pa.string())]
)
REPLACED_FILES = pa.schema([("path", pa.string())])


@dataclass
class BatchCounts:
    """An ingest batch's row of table `batches`: where its records went."""

    files: int = 0
    records: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    insights: int = 0


@dataclass(frozen=True)
class BatchManifest:
    """What an ingest batch records beside its files: its counts (`stored` not counting
    Insights records yet), the eventTime span it stores, and Arrow tables shaped for
    `ingested_files` (sources read), `quarantine` (but the id) and `aws_insights`."""

    batch_id: int
    counts: BatchCounts
    span: tuple[object, object]
    sources: pa.Table
    problems: pa.Table
    insights: pa.Table


def next_batch_id(catalog: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(catalog, read_sql(__file__, "next_batch_id")))


def commit_batch(
    lake: Lake,
    catalog: duckdb.DuckDBPyConnection,
    manifest: BatchManifest,
    written: store.PartitionWrite,
) -> BatchCounts:
    """Commit an ingest batch whose files `written` are staged; returns its final counts."""
    crash_point("commit.staged")
    counts = manifest.counts

    def record(catalog: duckdb.DuckDBPyConnection) -> None:
        counts.insights = _store_insights(catalog, manifest.insights)
        counts.stored += counts.insights
        counts.duplicates = counts.records - counts.stored - counts.quarantined
        _record_batch(catalog, manifest)
        crash_point("commit.recorded")

    _commit(catalog, manifest.batch_id, written, record)
    crash_point("commit.committed")
    store.apply_moves(lake, written.moves)
    crash_point("commit.moved")
    _forget(catalog, manifest.batch_id)
    return counts


def remove_files(lake: Lake, catalog: duckdb.DuckDBPyConnection, paths: list[str]) -> None:
    """Take the live files `paths` out of the lake and delete them (retention)."""
    moves = [store.FileMove("remove", None, path) for path in paths]
    _commit(catalog, RETENTION_BATCH, store.PartitionWrite([], paths, moves), None)
    crash_point("retention.committed")
    store.apply_moves(lake, moves)
    _forget(catalog, RETENTION_BATCH)


def replace_file(lake: Lake, catalog: duckdb.DuckDBPyConnection, path: str, tmp: str) -> None:
    """Swap the staged file `tmp` in for the live file `path` (the same events re-typed),
    keeping its batch and partition."""
    event_date, rows, batch_id = catalog.execute(
        read_sql(__file__, "live_file"), {"path": path}
    ).fetchall()[0]
    size = lake.files.size(tmp)
    added = store.WrittenFile(path, event_date, rows, size)
    move = store.FileMove("publish", tmp, path)
    _commit(catalog, batch_id, store.PartitionWrite([added], [path], [move]), None)
    store.apply_moves(lake, [move])
    catalog.execute(read_sql(__file__, "forget_move"), {"dst": path})


def _commit(
    catalog: duckdb.DuckDBPyConnection,
    batch_id: int,
    change: store.PartitionWrite,
    record: Callable[[duckdb.DuckDBPyConnection], None] | None,
) -> None:
    """The transaction: the live-file list and the pending moves of `change`, then
    `record` (the writer's own rows). Its COMMIT is the commit point: what follows it is replayed
    after a crash."""
    tables = {
        "replaced_files": pa.Table.from_pylist(
            [{"path": p} for p in change.removed], REPLACED_FILES
        ),
        "new_lake_files": pa.Table.from_pylist(
            [
                {
                    "path": f.path,
                    "eventDate": f.event_date,
                    "rows": f.rows,
                    "bytes": f.bytes,
                    "batch_id": batch_id,
                }
                for f in change.added
            ],
            LAKE_FILES,
        ),
        "new_pending_moves": pa.Table.from_pylist(
            [
                {"batch_id": batch_id, "action": m.action, "src": m.src, "dst": m.dst}
                for m in change.moves
            ],
            PENDING_MOVES,
        ),
    }
    catalog.begin()
    with _registered(catalog, tables):
        catalog.execute(read_sql(__file__, "record_files"))
    if record is not None:
        record(catalog)
    catalog.commit()


def _forget(catalog: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    catalog.execute(read_sql(__file__, "forget_moves"), {"batch_id": batch_id})


def _store_insights(catalog: duckdb.DuckDBPyConnection, insights: pa.Table) -> int:
    """Store the Insights records not stored yet; returns how many were new."""
    if insights.num_rows == 0:
        return 0
    before = int(scalar(catalog, read_sql(__file__, "count_insights")))
    with _registered(catalog, {"new_insights": insights}):
        catalog.execute(read_sql(__file__, "insert_insights"))
    return int(scalar(catalog, read_sql(__file__, "count_insights"))) - before


def _record_batch(catalog: duckdb.DuckDBPyConnection, manifest: BatchManifest) -> None:
    counts = manifest.counts
    batch = pa.table(
        {
            "batch_id": pa.array([manifest.batch_id], pa.int64()),
            "files": pa.array([counts.files], pa.int64()),
            "records": pa.array([counts.records], pa.int64()),
            "stored": pa.array([counts.stored], pa.int64()),
            "duplicates": pa.array([counts.duplicates], pa.int64()),
            "quarantined": pa.array([counts.quarantined], pa.int64()),
            "min_event_time": pa.array([manifest.span[0]], pa.timestamp("us")),
            "max_event_time": pa.array([manifest.span[1]], pa.timestamp("us")),
        }
    )
    tables = {
        "new_batch": batch,
        "new_ingested_files": manifest.sources,
        "new_problems": manifest.problems,
    }
    with _registered(catalog, tables):
        catalog.execute(read_sql(__file__, "record_batch"))


@contextmanager
def _registered(catalog: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table]) -> Iterator[None]:
    """Arrow tables visible to `catalog` by name for the duration of a block."""
    for name, table in tables.items():
        catalog.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            catalog.unregister(name)
