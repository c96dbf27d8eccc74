"""One ingest batch: records gathered from many files, committed in one transaction.

The batch holds JSON text, not Python objects, and is flushed when it reaches
`max_bytes`, which bounds memory whatever the size of the input. DuckDB does the typing
(`transform_events.sql`), the dedup and the Parquet writing; the catalog commit and the file
moves follow the protocol in `ctlake.lake.store`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import orjson
import pyarrow as pa

from ctlake.db import arrow_table, scalar, sql_string
from ctlake.ingest.decode import Decoded
from ctlake.lake import store
from ctlake.lake.layout import Lake
from ctlake.lake.reader import SCHEMA_FILE
from ctlake.resources import read_sql

LAKE_SQL = store.__file__
INSIGHT_EVENT_TYPE = "AwsCloudTrailInsight"


@dataclass
class FileEntry:
    source: str
    size: int
    hash: str
    kind: str  # records | quarantined
    records: int


@dataclass
class BatchCounts:
    files: int = 0
    records: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    insights: int = 0


@dataclass
class Batch:
    """Records and problems gathered for one commit."""

    max_bytes: int = 64 * 1024 * 1024
    texts: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    problems: list[tuple[str, str | None, str, str | None]] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    nbytes: int = 0

    def add_file(self, source: str, size: int, digest: str, decoded: Decoded) -> None:
        if decoded.file_problem is not None:
            self.problems.append((source, None, decoded.file_problem, decoded.file_raw))
            self.files.append(FileEntry(source, size, digest, "quarantined", 1))
            return
        for problem in decoded.problems:
            self.problems.append((source, problem.location, problem.reason, problem.raw))
        for record in decoded.records:
            text = orjson.dumps(record.body).decode()
            self.texts.append(text)
            self.sources.append(source)
            self.locations.append(record.location)
            is_insight = record.body.get("eventType") == INSIGHT_EVENT_TYPE
            self.kinds.append("insight" if is_insight else "event")
            self.nbytes += len(text)
        total = len(decoded.records) + len(decoded.problems)
        self.files.append(FileEntry(source, size, digest, "records", total))

    @property
    def full(self) -> bool:
        return self.nbytes >= self.max_bytes

    @property
    def empty(self) -> bool:
        return not self.files

    def staged(self) -> pa.Table:
        return pa.table(
            {
                "j": pa.array(self.texts, pa.string()),
                "lakeSource": pa.array(self.sources, pa.string()),
                "location": pa.array(self.locations, pa.string()),
                "kind": pa.array(self.kinds, pa.string()),
            }
        )


def work_connection(memory_limit: str = "2GB") -> duckdb.DuckDBPyConnection:
    """The in-memory DuckDB that types, dedups and writes batches."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET memory_limit = $m", {"m": memory_limit})
    con.execute("SET preserve_insertion_order = false")
    return con


def write_schema_file(lake: Lake, work: duckdb.DuckDBPyConnection) -> None:
    """Write `events/_schema.parquet`: no rows, every column, so `events` has its schema
    before the first event arrives."""
    target = lake.root / SCHEMA_FILE
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    _stage(work, Batch(), batch_id=0)
    tmp = str(target) + ".tmp"
    work.execute(
        f"COPY (SELECT * EXCLUDE (eventDate) FROM batch_events) TO {sql_string(tmp)} "
        "(FORMAT parquet)"
    )
    Path(tmp).replace(target)


def commit(lake: Lake, work: duckdb.DuckDBPyConnection, batch: Batch) -> BatchCounts:
    """Type, dedup and store `batch`; returns what happened to its records."""
    with lake.catalog() as catalog:
        batch_id = _next_batch_id(catalog)
        _stage(work, batch, batch_id)
        files = store.live_files(catalog, _touched_dates(work))
    store.drop_stored_duplicates(work, lake, files)
    written = store.write_partitions(work, lake, batch_id, files)
    work.execute(read_sql(LAKE_SQL, "select_insights"), {"batch_id": batch_id})
    insights = arrow_table(work.table("batch_insights"))
    problems = _problems_table(work, batch, batch_id)
    counts = _count(work, batch, problems.num_rows)
    with lake.catalog() as catalog:
        catalog.execute("BEGIN TRANSACTION")
        counts.insights = _store_insights(catalog, insights)
        counts.stored += counts.insights
        counts.duplicates = counts.records - counts.stored - counts.quarantined
        _record_batch(catalog, batch_id, batch, counts, written, problems, work)
        catalog.execute("COMMIT")
    store.apply_moves(lake, written.moves)
    with lake.catalog() as catalog:
        catalog.execute("DELETE FROM pending_moves WHERE batch_id = $b", {"b": batch_id})
    return counts


def _next_batch_id(catalog: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(catalog, "SELECT coalesce(max(batch_id), 0) + 1 FROM batches"))


def _stage(work: duckdb.DuckDBPyConnection, batch: Batch, batch_id: int) -> None:
    """Load the batch into DuckDB and run validation and typing: tables `checked`
    (every record, with the reason it cannot be stored) and `batch_events`."""
    work.register("incoming", batch.staged())
    try:
        work.execute("CREATE OR REPLACE TEMP TABLE staged AS SELECT * FROM incoming")
    finally:
        work.unregister("incoming")
    work.execute(read_sql(LAKE_SQL, "validate_records"))
    work.execute(read_sql(LAKE_SQL, "transform_events"), {"batch_id": batch_id})


def _touched_dates(work: duckdb.DuckDBPyConnection) -> list[str]:
    rows = work.execute("SELECT DISTINCT CAST(eventDate AS VARCHAR) FROM batch_events")
    return [d for (d,) in rows.fetchall()]


def _problems_table(work: duckdb.DuckDBPyConnection, batch: Batch, batch_id: int) -> pa.Table:
    """Problems found while decoding plus records the validation SQL set aside."""
    found = work.execute(
        "SELECT lakeSource, location, reason, j FROM checked WHERE reason IS NOT NULL"
    ).fetchall()
    rows = batch.problems + [(s, loc, r, j) for s, loc, r, j in found]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return pa.table(
        {
            "batch_id": pa.array([batch_id] * len(rows), pa.int64()),
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
        records=len(batch.texts) + len(batch.problems),
        stored=int(scalar(work, "SELECT count(*) FROM batch_events")),
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


def _record_batch(
    catalog: duckdb.DuckDBPyConnection,
    batch_id: int,
    batch: Batch,
    counts: BatchCounts,
    written: store.PartitionWrite,
    problems: pa.Table,
    work: duckdb.DuckDBPyConnection,
) -> None:
    span = work.execute("SELECT min(eventTime), max(eventTime) FROM batch_events").fetchall()[0]
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
    for f in written.added:
        catalog.execute(
            "INSERT INTO lake_files VALUES ($p, CAST($d AS DATE), $r, $s, $b)",
            {"p": f.path, "d": f.event_date, "r": f.rows, "s": f.bytes, "b": batch_id},
        )
    for m in written.moves:
        catalog.execute(
            "INSERT INTO pending_moves VALUES ($b, $a, $s, $d)",
            {"b": batch_id, "a": m.action, "s": m.src, "d": m.dst},
        )
    # A file read again (--force) replaces what its earlier reading set aside.
    catalog.execute(
        "DELETE FROM quarantine WHERE source IN (SELECT unnest($s))",
        {"s": [entry.source for entry in batch.files]},
    )
    for entry in batch.files:
        catalog.execute(
            "INSERT OR REPLACE INTO ingested_files VALUES ($s, $z, $h, $k, $r, $b)",
            {
                "s": entry.source,
                "z": entry.size,
                "h": entry.hash,
                "k": entry.kind,
                "r": entry.records,
                "b": batch_id,
            },
        )
    catalog.register("new_problems", problems)
    catalog.execute("INSERT INTO quarantine SELECT nextval('quarantine_seq'), * FROM new_problems")
    catalog.unregister("new_problems")
