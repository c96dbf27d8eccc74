"""Committing a batch of events to the lake, exactly once and crash-safe.

A batch is committed in three steps:

1. Parquet files are written beside their final place under a `.tmp` name, which no
   reader's glob (`*.parquet`) matches.
2. One catalog transaction records everything: the batch, the new live-file list, the
   source-file manifest, quarantine rows, AWS Insights records, and the file moves still
   to make (`pending_moves`). This is the commit point.
3. The moves are made (rename `.tmp` to final, delete compacted files) and forgotten.

A crash before step 2 leaves only `.tmp` files, which `recover` deletes; the source files
are not in the manifest, so the same command reads them again. A crash after step 2 is
rolled forward by `recover`, which replays the moves (each is idempotent).

Exactly once: `eventID` is the key. A batch is decided on its narrow key table
`batch_keys` (one row per record: row number, eventID, eventTime, eventDate) before any
event is written: duplicates inside the batch are dropped by prune_batch.sql, duplicates of
stored events are found in the partition they must share (the same eventID has the same
eventTime, so the same eventDate).

No small-file explosion: a partition holds at most `MAX_FILES_PER_PARTITION` files; the
batch that would exceed it rewrites the partition as one file sorted by eventTime.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ctlake.db import scalar, sql_string
from ctlake.lake.layout import Lake

MAX_FILES_PER_PARTITION = 4
# zstd level 1: as small as the default level on CloudTrail JSON and three times faster.
PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 100000"


@dataclass(frozen=True)
class FileMove:
    action: str  # 'publish' or 'remove'
    src: str | None  # lake-relative
    dst: str  # lake-relative


@dataclass(frozen=True)
class WrittenFile:
    path: str  # lake-relative final name
    event_date: str
    rows: int
    bytes: int


@dataclass(frozen=True)
class PartitionWrite:
    """The files a batch adds to the lake and the ones it replaces."""

    added: list[WrittenFile]
    removed: list[str]
    moves: list[FileMove]


def live_files(catalog: duckdb.DuckDBPyConnection, dates: Iterable[str]) -> dict[str, list[str]]:
    """The live Parquet files (lake-relative) of each of `dates`."""
    wanted = sorted(set(dates))
    found: dict[str, list[str]] = {d: [] for d in wanted}
    if not wanted:
        return found
    rows = catalog.execute(
        "SELECT CAST(eventDate AS VARCHAR), path FROM lake_files "
        "WHERE CAST(eventDate AS VARCHAR) IN (SELECT unnest($dates)) ORDER BY path",
        {"dates": wanted},
    ).fetchall()
    for event_date, path in rows:
        found[event_date].append(path)
    return found


def drop_stored_duplicates(
    work: duckdb.DuckDBPyConnection, lake: Lake, files: dict[str, list[str]]
) -> None:
    """Delete from `batch_keys` every event whose eventID the lake already holds."""
    paths = [str(lake.root / p) for paths in files.values() for p in paths]
    if paths:
        work.execute(
            "DELETE FROM batch_keys WHERE eventID IN "
            "(SELECT eventID FROM read_parquet($paths, hive_partitioning = false))",
            {"paths": paths},
        )


def write_partitions(
    work: duckdb.DuckDBPyConnection,
    lake: Lake,
    batch_id: int,
    files: dict[str, list[str]],
    new_rows: Callable[[str], str],
) -> PartitionWrite:
    """Write the batch's events, one sorted file per touched partition, as `.tmp` files.

    `new_rows(date)` gives the SQL of the batch's rows for that date, in eventTime order."""
    added: list[WrittenFile] = []
    removed: list[str] = []
    moves: list[FileMove] = []
    for event_date, existing in sorted(files.items()):
        compact = len(existing) + 1 > MAX_FILES_PER_PARTITION
        final = f"events/eventDate={event_date}/part-{batch_id:08d}.parquet"
        rows = _write_partition_file(
            work, lake, new_rows(event_date), final + ".tmp", existing if compact else []
        )
        if rows == 0 and not compact:
            (lake.root / (final + ".tmp")).unlink()
            continue
        size = (lake.root / (final + ".tmp")).stat().st_size
        added.append(WrittenFile(final, event_date, rows, size))
        moves.append(FileMove("publish", final + ".tmp", final))
        if compact:
            removed.extend(existing)
            moves.extend(FileMove("remove", None, old) for old in existing)
    return PartitionWrite(added, removed, moves)


def _write_partition_file(
    work: duckdb.DuckDBPyConnection,
    lake: Lake,
    new_rows: str,
    target: str,
    merge_with: list[str],
) -> int:
    """COPY one partition's new rows (plus `merge_with` files) sorted by eventTime.

    The new rows come sorted, so only a merge with older files sorts (rare: compaction)."""
    path = lake.root / target
    path.parent.mkdir(parents=True, exist_ok=True)
    params: dict[str, object] = {}
    source = new_rows
    if merge_with:
        source = (
            f"SELECT * FROM ({new_rows} UNION ALL BY NAME "
            "SELECT * FROM read_parquet($old, hive_partitioning = false)) "
            "ORDER BY eventTime, eventID"
        )
        params["old"] = [str(lake.root / p) for p in merge_with]
    work.execute(f"COPY ({source}) TO {sql_string(str(path))} ({PARQUET_OPTIONS})", params)
    return int(
        scalar(
            work,
            "SELECT count(*) FROM read_parquet($p, hive_partitioning = false)",
            {"p": str(path)},
        )
    )


def apply_moves(lake: Lake, moves: Iterable[FileMove]) -> None:
    """Make the file moves of a committed batch; safe to repeat after a crash."""
    for move in moves:
        dst = lake.root / move.dst
        if move.action == "publish" and move.src is not None:
            src = lake.root / move.src
            if src.exists():
                src.replace(dst)
        elif move.action == "remove":
            dst.unlink(missing_ok=True)
    _fsync_dir(lake.events_dir)


def recover(lake: Lake, catalog: duckdb.DuckDBPyConnection) -> int:
    """Finish the moves of a batch committed before a crash; drop uncommitted files.

    Returns the number of files it had to deal with."""
    rows = catalog.execute(
        "SELECT action, src, dst FROM pending_moves ORDER BY batch_id, action"
    ).fetchall()
    apply_moves(lake, [FileMove(a, s, d) for a, s, d in rows])
    catalog.execute("DELETE FROM pending_moves")
    live = {p for (p,) in catalog.execute("SELECT path FROM lake_files").fetchall()}
    strays = [
        path
        for path in lake.events_dir.glob("*/*")
        if path.is_file()
        and not path.name.startswith("_")
        and str(path.relative_to(lake.root)) not in live
    ]
    for path in strays:
        path.unlink(missing_ok=True)
    return len(rows) + len(strays)


def _fsync_dir(path: Path) -> None:
    if path.is_dir():
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
