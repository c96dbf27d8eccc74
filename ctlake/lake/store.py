"""The lake's commit protocol: how a batch of events is stored, exactly once and crash-safe.

A batch is committed in three steps:

1. Parquet files are written beside their final place under a `.tmp` name, which no
   reader's glob (`*.parquet`) matches.
2. One catalog transaction records everything: the batch, the new live-file list, the
   source-file manifest, quarantine rows, AWS Insights records, and the file moves still
   to make (`pending_moves`). This is the commit point.
3. The moves are made (rename `.tmp` to final, delete compacted files) and forgotten.

A crash before step 2 leaves only `.tmp` files, which `recover` deletes; the source files
are not in the manifest, so the same command reads them again. A crash after step 2 is
rolled forward by `recover`, which replays the moves (each is idempotent). Every boundary
between these steps is a named crash point (`ctlake.crashpoints`: `commit.*`,
`recover.replayed`), and tests/lake/test_crash_safety.py kills ingest at each of them.

This module stages files (step 1), makes and replays the moves (step 3) and keeps
partitions small; `ctlake.lake.commit` runs the transaction (step 2) for ingest, retention
and the schema upgrade alike. Ingest (`ctlake.ingest.commit`) decodes and stages: it
builds the batch's narrow key table and hands each partition's rows over as the rows of
`ctlake.lake.events.PART`.

Exactly once: `eventID` is the key. A batch is decided on its narrow key table
`batch_keys` (one row per record: row number, eventID, eventTime, eventDate) before any
event is written: duplicates inside the batch are dropped by ingest (prune_batch.sql),
duplicates of stored events here (`drop_stored_duplicates`), in the partition they must
share (the same eventID has the same eventTime, so the same eventDate).

No small-file explosion: a partition holds at most `MAX_FILES_PER_PARTITION` files. The
batch that would exceed it merges its rows with the partition's smallest files into one
sorted file, so the big files of a day are rarely rewritten while late deliveries and
small batches are folded together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ctlake.crashpoints import crash_point
from ctlake.db import arrow_table
from ctlake.errors import LakeError
from ctlake.lake import events
from ctlake.lake.layout import Lake
from ctlake.resources import read_sql

MAX_FILES_PER_PARTITION = 4
# Under the data root: an engine's output before its commit (Spark writes a batch there;
# its moves take the files to their final places). Cleared by `recover` once no committed
# move needs it. Not under events/, where readers look.
STAGING = ".staging"


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
class LiveFile:
    path: str  # lake-relative
    rows: int


@dataclass(frozen=True)
class PartitionWrite:
    """The files a transaction adds to the lake, the ones it replaces, and the moves that
    make it so on disk."""

    added: list[WrittenFile]
    removed: list[str]
    moves: list[FileMove]


def live_files(
    catalog: duckdb.DuckDBPyConnection, dates: Iterable[str]
) -> dict[str, list[LiveFile]]:
    """The live Parquet files of each of `dates`."""
    wanted = sorted(set(dates))
    found: dict[str, list[LiveFile]] = {d: [] for d in wanted}
    if not wanted:
        return found
    rows = catalog.execute(read_sql(__file__, "live_files"), {"dates": wanted}).fetchall()
    for event_date, path, count in rows:
        found[event_date].append(LiveFile(path, int(count)))
    return found


def drop_stored_duplicates(
    work: duckdb.DuckDBPyConnection, lake: Lake, files: dict[str, list[LiveFile]]
) -> None:
    """Delete from `batch_keys` every event whose eventID the lake already holds."""
    paths = [lake.files.location(f.path) for live in files.values() for f in live]
    if paths:
        work.execute(read_sql(__file__, "drop_stored_duplicates"), {"paths": paths})


def write_partitions(
    work: duckdb.DuckDBPyConnection,
    lake: Lake,
    batch_id: int,
    files: dict[str, list[LiveFile]],
    new_rows: Callable[[str], pa.Table],
) -> PartitionWrite:
    """Write the batch's events, one sorted file per touched partition, as `.tmp` files.

    `new_rows(date)` gives the batch's rows for that date as `part` rows (events.PART),
    in eventTime order; a partition at its file limit gets them merged with the rows of
    its smallest files."""
    added: list[WrittenFile] = []
    removed: list[str] = []
    moves: list[FileMove] = []
    for event_date, existing in sorted(files.items()):
        merged = [f.path for f in files_to_merge(existing)]
        final = f"events/eventDate={event_date}/part-{batch_id:08d}.parquet"
        tmp = final + ".tmp"
        rows_in = new_rows(event_date)
        if merged:
            rows_in = _merge(rows_in, stored_rows(work, [lake.files.location(p) for p in merged]))
        events.register_part(work, rows_in)
        rows = events.write_events(work, lake.files, tmp)
        if rows == 0 and not merged:
            lake.files.remove(tmp)
            continue
        added.append(WrittenFile(final, event_date, rows, lake.files.size(tmp)))
        moves.append(FileMove("publish", final + ".tmp", final))
        removed.extend(merged)
        moves.extend(FileMove("remove", None, old) for old in merged)
    return PartitionWrite(added, removed, moves)


def stored_rows(work: duckdb.DuckDBPyConnection, paths: list[str]) -> pa.Table:
    """The events of the files `paths` as the `part` rows they were typed from, so a merge
    types them again exactly as they were, keeping their source and batch."""
    rows = work.sql(read_sql(__file__, "stored_rows"), params={"paths": paths})
    return arrow_table(rows).cast(events.PART)


def _merge(new: pa.Table, stored: pa.Table) -> pa.Table:
    """The rows of both, in the order of a partition file: eventTime, then eventID."""
    both = pa.concat_tables([new, stored])
    return both.take(pc.sort_indices(both, [("eventTime", "ascending"), ("eventID", "ascending")]))


def files_to_merge(existing: list[LiveFile]) -> list[LiveFile]:
    """The files a new one must absorb to keep its partition within the limit: the
    smallest, so a merge costs what the late or small deliveries weigh, not the day."""
    excess = len(existing) + 1 - MAX_FILES_PER_PARTITION
    if excess <= 0:
        return []
    return sorted(existing, key=lambda f: (f.rows, f.path))[:excess]


def apply_moves(lake: Lake, moves: Iterable[FileMove]) -> None:
    """Make the file moves of a committed batch; safe to repeat after a crash."""
    for move in moves:
        if move.action == "publish" and move.src is not None:
            lake.files.move(move.src, move.dst)
        elif move.action == "remove":
            crash_point("commit.removing")
            lake.files.remove(move.dst)
    lake.files.sync("events")


def recover(lake: Lake, catalog: duckdb.DuckDBPyConnection) -> int:
    """Finish the moves of a batch committed before a crash; drop uncommitted files.

    Returns the number of files it had to deal with."""
    rows = catalog.execute(read_sql(__file__, "pending_moves")).fetchall()
    apply_moves(lake, [FileMove(a, s, d) for a, s, d in rows])
    if rows:
        crash_point("recover.replayed")
    catalog.execute(read_sql(__file__, "forget_all_moves"))
    lake.files.remove_tree(STAGING)
    live = {p for (p,) in catalog.execute(read_sql(__file__, "live_paths")).fetchall()}
    present = lake.files.files("events/eventDate=*/*")
    _check_present(lake, live, set(present))
    strays = [path for path in present if path not in live]
    for path in strays:
        lake.files.remove(path)
    return len(rows) + len(strays)


def _check_present(lake: Lake, live: set[str], present: set[str]) -> None:
    """Refuse to go on when live files are missing: the data location is not this lake's
    (a changed `[lake] data`), or files were deleted behind its back. Sweeping strays
    there could delete another lake's files, and every read would fail on the missing."""
    missing = sorted(live - present)
    if missing:
        raise LakeError(
            f"{len(missing):,} of the lake's {len(live):,} event files are not in "
            f"{lake.files} (first: {missing[0]}): point [lake] data in "
            f"{lake.root / 'ctlake.toml'} at the folder or URL that holds them"
        )
