"""Committing one batch: DuckDB types, dedups and writes it; the catalog records it.

The steps follow the protocol in `ctlake.lake.store`: Parquet files written as `.tmp`, one
catalog transaction (the commit point), then the file moves. The catalog is opened once per
batch and closed after it, so readers wait at most one batch's commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ctlake.crashpoints import crash_point
from ctlake.db import arrow_table, scalar, sql_string
from ctlake.ingest.batch import Batch
from ctlake.lake import store, upgrade
from ctlake.lake.layout import Lake
from ctlake.lake.reader import SCHEMA_FILE
from ctlake.resources import read_sql

LAKE_SQL = store.__file__
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
PART_ROWS = pa.schema(
    [
        ("row_no", pa.int32()),
        ("file_no", pa.int32()),
        ("eventTime", pa.timestamp("us")),
        ("eventID", pa.string()),
    ]
)
PART = pa.schema(
    [
        ("j", pa.large_string()),
        ("lakeSource", pa.string()),
        ("eventTime", pa.timestamp("us")),
        ("lakeBatch", pa.int64()),
        ("eventID", pa.string()),
    ]
)
INGESTED_FILES = pa.schema(
    [
        ("source", pa.string()),
        ("size", pa.int64()),
        ("hash", pa.string()),
        ("kind", pa.string()),
        ("records", pa.int64()),
        ("batch_id", pa.int64()),
    ]
)


@dataclass
class BatchCounts:
    files: int = 0
    records: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    insights: int = 0


def work_connection(memory_limit: str = "1GB") -> duckdb.DuckDBPyConnection:
    """The in-memory DuckDB that types, dedups and writes batches."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # stdout carries data only
    con.execute("SET memory_limit = $m", {"m": memory_limit})
    # Kept on (the default): a partition file keeps the order its rows were handed over in
    # (sorted on the narrow keys), even when DuckDB types its record batches in parallel.
    con.execute("SET preserve_insertion_order = true")
    return con


def write_schema_file(lake: Lake, work: duckdb.DuckDBPyConnection) -> str:
    """Write `events/_schema.parquet`: no rows, every column, so `events` has its schema
    before the first event arrives; written again when this version's schema differs.
    Returns that schema (as `upgrade.file_schema` gives it)."""
    target = lake.root / SCHEMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = str(target) + ".tmp"
    staged = _Staged(work, Batch(), batch_id=0)
    staged.register_part(staged.part(None))
    typed = read_sql(LAKE_SQL, "type_events")
    work.execute(f"COPY ({typed}) TO {sql_string(tmp)} (FORMAT parquet)")
    current = upgrade.file_schema(work, tmp)
    if target.exists() and upgrade.file_schema(work, str(target)) == current:
        Path(tmp).unlink()
    else:
        Path(tmp).replace(target)
    return current


def commit(lake: Lake, work: duckdb.DuckDBPyConnection, batch: Batch) -> BatchCounts:
    """Decide the fate of every record of `batch` and store it; returns what happened.

    The catalog is opened once per batch and closed after it, so readers wait at most one
    batch's commit."""
    with lake.catalog() as catalog:
        batch_id = _next_batch_id(catalog)
        staged = _Staged(work, batch, batch_id)
        problems = staged.problems()
        insights = staged.insights()
        work.execute(read_sql(LAKE_SQL, "prune_batch"))
        files = store.live_files(catalog, staged.touched_dates())
        store.drop_stored_duplicates(work, lake, files)
        written = store.write_partitions(work, lake, batch_id, files, staged.partition_rows)
        crash_point("commit.staged")
        counts = _count(work, batch, problems.num_rows)
        catalog.execute("BEGIN TRANSACTION")
        counts.insights = _store_insights(catalog, insights)
        counts.stored += counts.insights
        counts.duplicates = counts.records - counts.stored - counts.quarantined
        _record_batch(catalog, batch_id, batch, counts, written, problems, work)
        crash_point("commit.recorded")
        catalog.execute("COMMIT")  # the commit point: what follows is replayed after a crash
        crash_point("commit.committed")
        store.apply_moves(lake, written.moves)
        crash_point("commit.moved")
        catalog.execute("DELETE FROM pending_moves WHERE batch_id = $b", {"b": batch_id})
    return counts


def _next_batch_id(catalog: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(catalog, "SELECT coalesce(max(batch_id), 0) + 1 FROM batches"))


class _Staged:
    """A batch loaded into the work connection.

    Only the narrow key table `batch_keys` (batch_keys.sql) is made at once; a record's
    JSON text is handed to DuckDB when its rows are written, already in eventTime order,
    so it is typed exactly once and never sorted or copied as a wide row."""

    def __init__(self, work: duckdb.DuckDBPyConnection, batch: Batch, batch_id: int) -> None:
        self.work, self.batch, self.batch_id = work, batch, batch_id
        self.texts = batch.texts()
        self.sources = pa.array([f.source for f in batch.files], pa.string())
        work.register("incoming_keys", batch.keys())
        work.register("batch_files", batch.batch_files())
        work.execute(read_sql(LAKE_SQL, "batch_keys"))
        work.unregister("incoming_keys")

    def register_part(self, part: pa.Table) -> None:
        # In record batches of a row group each: DuckDB types and encodes them on every core
        # and, writing with preserve_insertion_order, still puts them in the file in order.
        chunks = part.to_batches(max_chunksize=store.ROW_GROUP_ROWS)
        self.work.register("part", pa.Table.from_batches(chunks, part.schema))

    def part(self, rows: pa.Table | None) -> pa.Table:
        """The records of `rows` (row_no, file_no, eventTime, eventID) in the order given,
        as `part(j, lakeSource, eventTime, lakeBatch, eventID)`; None for no rows."""
        if rows is None:
            rows = PART_ROWS.empty_table()
        return pa.table(
            {
                "j": self.texts.take(rows["row_no"]),
                "lakeSource": self.sources.take(rows["file_no"]),
                "eventTime": rows["eventTime"],
                "lakeBatch": pa.repeat(pa.scalar(self.batch_id, pa.int64()), rows.num_rows),
                "eventID": rows["eventID"],
            },
            schema=PART,
        )

    def partition_rows(self, event_date: str, merged: list[str]) -> str:
        """The SQL of the typed rows to store in `event_date`'s partition, in time order:
        the batch's, and those of the `merged` files, re-typed from their eventJson."""
        rows = arrow_table(
            self.work.sql(read_sql(LAKE_SQL, "partition_rows"), params={"d": event_date})
        )
        part = self.part(rows)
        if merged:
            stored = arrow_table(
                self.work.sql(read_sql(LAKE_SQL, "stored_rows"), params={"paths": merged})
            )
            both = pa.concat_tables([part, stored.cast(PART)])
            order = pc.sort_indices(both, [("eventTime", "ascending"), ("eventID", "ascending")])
            part = both.take(order)
        self.register_part(part)
        return read_sql(LAKE_SQL, "type_events")

    def insights(self) -> pa.Table:
        """The batch's CloudTrail Insights records, shaped for aws_insights."""
        rows = arrow_table(self.work.sql(read_sql(LAKE_SQL, "insight_rows")))
        self.register_part(self.part(rows))
        return arrow_table(self.work.sql(read_sql(LAKE_SQL, "select_insights")))

    def touched_dates(self) -> list[str]:
        rows = self.work.execute("SELECT DISTINCT CAST(eventDate AS VARCHAR) FROM batch_keys")
        return [d for (d,) in rows.fetchall()]

    def problems(self) -> pa.Table:
        """Problems found while decoding plus records batch_keys.sql set aside."""
        found = arrow_table(self.work.sql(read_sql(LAKE_SQL, "quarantined_rows")))
        raws = self.texts.take(found["row_no"]).to_pylist()
        rows = self.batch.problems + list(
            zip(
                found["source"].to_pylist(),
                found["location"].to_pylist(),
                found["reason"].to_pylist(),
                raws,
                strict=True,
            )
        )
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return pa.table(
            {
                "batch_id": pa.array([self.batch_id] * len(rows), pa.int64()),
                "source": pa.array([r[0] for r in rows], pa.string()),
                "location": pa.array([r[1] for r in rows], pa.string()),
                "reason": pa.array([r[2] for r in rows], pa.string()),
                "raw": pa.array([r[3] for r in rows], pa.string()),
                "quarantined_at": pa.array([now] * len(rows), pa.timestamp("us")),
            }
        )


def _count(work: duckdb.DuckDBPyConnection, batch: Batch, quarantined: int) -> BatchCounts:
    return BatchCounts(
        files=len(batch.files),
        records=batch.records + len(batch.problems),
        stored=int(scalar(work, "SELECT count(*) FROM batch_keys")),
        quarantined=quarantined,
    )


def _store_insights(catalog: duckdb.DuckDBPyConnection, insights: pa.Table) -> int:
    if insights.num_rows == 0:
        return 0
    before = int(scalar(catalog, "SELECT count(*) FROM aws_insights"))
    catalog.register("new_insights", insights)
    catalog.execute("INSERT OR IGNORE INTO aws_insights BY NAME SELECT * FROM new_insights")
    catalog.unregister("new_insights")
    return int(scalar(catalog, "SELECT count(*) FROM aws_insights")) - before


def _manifest_tables(
    batch_id: int, batch: Batch, written: store.PartitionWrite
) -> dict[str, pa.Table]:
    """The catalog rows a batch adds, as Arrow tables named after their catalog table."""
    return {
        "lake_files": pa.Table.from_pylist(
            [
                {
                    "path": f.path,
                    "eventDate": f.event_date,
                    "rows": f.rows,
                    "bytes": f.bytes,
                    "batch_id": batch_id,
                }
                for f in written.added
            ],
            schema=LAKE_FILES,
        ),
        "pending_moves": pa.Table.from_pylist(
            [
                {"batch_id": batch_id, "action": m.action, "src": m.src, "dst": m.dst}
                for m in written.moves
            ],
            schema=PENDING_MOVES,
        ),
        "ingested_files": pa.Table.from_pylist(
            [
                {
                    "source": e.source,
                    "size": e.size,
                    "hash": e.hash,
                    "kind": e.kind,
                    "records": e.records,
                    "batch_id": batch_id,
                }
                for e in batch.files
            ],
            schema=INGESTED_FILES,
        ),
    }


def _record_batch(
    catalog: duckdb.DuckDBPyConnection,
    batch_id: int,
    batch: Batch,
    counts: BatchCounts,
    written: store.PartitionWrite,
    problems: pa.Table,
    work: duckdb.DuckDBPyConnection,
) -> None:
    span = work.execute("SELECT min(eventTime), max(eventTime) FROM batch_keys").fetchall()[0]
    catalog.execute(
        "INSERT INTO batches VALUES ($b, now()::TIMESTAMP, $f, $r, $s, $d, $q, $lo, $hi)",
        {
            "b": batch_id,
            "f": counts.files,
            "r": counts.records,
            "s": counts.stored,
            "d": counts.duplicates,
            "q": counts.quarantined,
            "lo": span[0],
            "hi": span[1],
        },
    )
    if written.removed:
        catalog.execute(
            "DELETE FROM lake_files WHERE path IN (SELECT unnest($p))", {"p": written.removed}
        )
    # A file read again (--force, or changed) replaces what its earlier reading recorded.
    sources = {"s": [entry.source for entry in batch.files]}
    catalog.execute("DELETE FROM quarantine WHERE source IN (SELECT unnest($s))", sources)
    catalog.execute("DELETE FROM ingested_files WHERE source IN (SELECT unnest($s))", sources)
    for name, rows in _manifest_tables(batch_id, batch, written).items():
        catalog.register("new_rows", rows)
        catalog.execute(f"INSERT INTO {name} BY NAME SELECT * FROM new_rows")
        catalog.unregister("new_rows")
    catalog.register("new_problems", problems)
    catalog.execute("INSERT INTO quarantine SELECT nextval('quarantine_seq'), * FROM new_problems")
    catalog.unregister("new_problems")
