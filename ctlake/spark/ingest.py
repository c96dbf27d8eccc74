"""`ctlake ingest --engine spark`: the DuckDB ingest's promises, with the work spread over
Spark's executors.

The driver finds the files (`ctlake.ingest.sources`), holds the lake's write lock and its
catalog, and commits; the executors read, decode, judge and type (`ctlake.spark.tasks`,
the DuckDB ingest's own code). Files are taken in batches of about `batch_bytes` of input,
each committed through the lake's commit protocol exactly as a DuckDB batch is:

1. Spark decodes the batch's files in parallel into one row per file, problem and record;
2. records are deduplicated by eventID (the first copy read wins), Insights records set
   apart, and records whose eventID a live file of their partition holds are dropped;
3. each touched partition gets one file sorted by (eventTime, eventID), merged with its
   smallest files when it would pass `MAX_FILES_PER_PARTITION` (the same compaction rule),
   written by Spark to the staging folder of the lake's data root (`store.STAGING`), where
   no reader looks;
4. the driver records files, manifest, quarantine and Insights in one catalog transaction
   (`ctlake.lake.commit.commit_batch`), whose moves take each staged file to its final
   place: one rename, or one copy on an object store.

A driver killed at any point leaves staged files only or a committed batch whose moves
are replayed; the next writer of either engine does both (`store.recover`): the same
command then completes the work exactly, as with DuckDB. Either engine reads and extends
what the other wrote. The data root may be a folder or a URL (`[lake] data`): Spark reads
and writes it by URI through its Hadoop connector, the driver moves files through
`ctlake.lake.files`.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ctlake.config.engine import SparkConfig
from ctlake.db import arrow_table
from ctlake.errors import BadInputError, LakeError
from ctlake.ingest import commit as ingest_commit
from ctlake.ingest.commit import INGESTED_FILES
from ctlake.ingest.pipeline import IngestSummary, Progress
from ctlake.ingest.sources import STDIN, SourceFile, file_size, find_sources
from ctlake.lake import commit as lake_commit
from ctlake.lake import events, store, upgrade
from ctlake.lake.commit import BatchCounts, BatchManifest
from ctlake.lake.layout import Lake
from ctlake.resources import read_sql
from ctlake.spark import tasks

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

INSIGHT = "AwsCloudTrailInsight"


@dataclass(frozen=True)
class InputFile:
    file_no: int
    source: str
    size: int
    data: bytes | None  # standard input, read by the driver; None: read by an executor


def ingest(
    lake: Lake,
    paths: Sequence[str],
    config: SparkConfig,
    *,
    force: bool = False,
    progress: Progress | None = None,
    batch_bytes: int = 256 * 1024 * 1024,
    wait_seconds: float = 0.0,
    require_logs: bool = False,
) -> IngestSummary:
    """Ingest every CloudTrail file under `paths` into `lake` on Spark; the contract of
    `ctlake.ingest.pipeline.ingest`, with `batch_bytes` counted in input file bytes."""
    from ctlake.spark.session import spark_session

    found = find_sources(paths)
    if require_logs and found.nothing:
        raise BadInputError(found.nothing_line())
    summary = IngestSummary(passed_over=found.passed_over, empty=found.empty)
    started = time.monotonic()
    spark = spark_session(config)
    with lake.write_lock(wait_seconds):
        with lake.catalog() as catalog:
            store.recover(lake, catalog)
            known = _known_by_source(catalog, force)
        work = events.work_connection(lake)
        try:
            schema = events.write_schema_file(lake, work)
            upgrade.upgrade_events(lake, work, schema, progress)
            summary.digests_skipped = sum(1 for s in found.files if s.is_digest)
            logs = [s for s in found.files if not s.is_digest]
            inputs = _inputs(logs)
            summary.files_skipped += len(logs) - len(inputs)  # a file named twice: once
            for chunk in _batches(inputs, batch_bytes):
                _Batch(spark, lake, work, chunk, known).run(summary)
                if progress is not None:
                    progress(f"ingest: {summary.records:,} records, batch committed")
        finally:
            work.close()
    summary.seconds = time.monotonic() - started
    return summary


def _known_by_source(catalog: duckdb.DuckDBPyConnection, force: bool) -> dict[str, list[str]]:
    """`size:hash` of every ingested version of each path; nothing with `force`."""
    known: dict[str, list[str]] = {}
    if not force:
        rows = catalog.execute(read_sql(ingest_commit.__file__, "known_files")).fetchall()
        for source, size, digest in rows:
            known.setdefault(source, []).append(f"{size}:{digest}")
    return known


def _inputs(logs: list[SourceFile]) -> list[InputFile]:
    """The files to read, each once, numbered in the order read (the first copy of a
    duplicated event is the one read first, as with DuckDB)."""
    first: dict[str, SourceFile] = {}
    for log in logs:
        first.setdefault(log.name, log)
    inputs: list[InputFile] = []
    for source in first.values():
        if source.name == STDIN:
            data = sys.stdin.buffer.read()
            inputs.append(InputFile(len(inputs), source.name, len(data), data))
        else:
            size = source.size if source.size is not None else file_size(source.name)
            inputs.append(InputFile(len(inputs), source.name, size, None))
    return inputs


def _batches(inputs: list[InputFile], batch_bytes: int) -> Iterator[list[InputFile]]:
    chunk: list[InputFile] = []
    size = 0
    for item in inputs:
        chunk.append(item)
        size += item.size
        if size >= batch_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class _Batch:
    """One batch of input files, from Spark's decoding to the catalog's commit."""

    def __init__(
        self,
        spark: SparkSession,
        lake: Lake,
        work: duckdb.DuckDBPyConnection,
        files: list[InputFile],
        known: dict[str, list[str]],
    ) -> None:
        self.spark, self.lake, self.work, self.files, self.known = spark, lake, work, files, known

    def run(self, summary: IngestSummary) -> None:
        from pyspark import StorageLevel

        with self.lake.catalog() as catalog:
            self.batch_id = lake_commit.next_batch_id(catalog)
        decoded = self._decode().persist(StorageLevel.MEMORY_AND_DISK)
        try:
            # Files and problems are few beside records: one job brings both to the driver.
            columns = ["kind", "file_no", "source", "size", "hash", "file_kind", "file_records"]
            small = decoded.filter("kind <> 'record'").select(*columns, "location", "reason", "raw")
            found = _sorted(small.toArrow(), "file_no")
            read = found.filter(pc.is_in(found["kind"], pa.array(["file", "skipped"])))
            skipped = sum(1 for kind in read["kind"].to_pylist() if kind == "skipped")
            summary.files_skipped += skipped
            if skipped == read.num_rows:
                return  # nothing new: no batch, as with DuckDB
            problems = self._problems(found.filter(pc.equal(found["kind"], "problem")))
            self._commit(decoded, read.filter(pc.equal(read["kind"], "file")), problems, summary)
        finally:
            decoded.unpersist()

    def _decode(self) -> DataFrame:
        from pyspark.sql.pandas.types import from_arrow_schema

        rows = [(f.file_no, f.source, self.known.get(f.source, []), f.data) for f in self.files]
        frame = self.spark.createDataFrame(rows, from_arrow_schema(tasks.FILES))
        slices = max(1, min(len(rows), self.spark.sparkContext.defaultParallelism * 2))
        return frame.repartition(slices).mapInArrow(
            tasks.decode_files, from_arrow_schema(tasks.DECODED)
        )

    def _commit(
        self, decoded: DataFrame, read: pa.Table, problems: pa.Table, summary: IngestSummary
    ) -> None:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        records = decoded.filter("kind = 'record'")
        insights = self._insights(records)
        first = Window.partitionBy("eventID").orderBy("file_no", "ordinal")
        kept = (
            records.withColumn("copy_no", F.row_number().over(first))
            .filter(F.col("copy_no") == 1)
            .filter(~F.col("eventType").eqNullSafe(INSIGHT))
            .persist(StorageLevel.MEMORY_AND_DISK)  # read by three jobs: shuffled once
        )
        try:
            dates = sorted(str(r[0]) for r in kept.select("eventDate").distinct().collect())
            decoded.unpersist()  # all that is still needed of it is in `kept` now
            with self.lake.catalog() as catalog:
                live = store.live_files(catalog, dates)
            new = self._drop_stored(kept, live)
            stored, first_time, last_time = new.agg(
                F.count(F.lit(1)), F.min("eventTime"), F.max("eventTime")
            ).collect()[0]
            written = self._write(self._part(new).unionByName(self._merged(live)), live)
        finally:
            kept.unpersist()
        counts = BatchCounts(
            files=read.num_rows,
            records=int(pc.sum(read["file_records"]).as_py() or 0),
            stored=int(stored),
            quarantined=problems.num_rows,
        )
        manifest = BatchManifest(
            self.batch_id,
            counts,
            (first_time, last_time),
            self._sources(read),
            problems,
            insights,
        )
        with self.lake.catalog() as catalog:
            counts = lake_commit.commit_batch(self.lake, catalog, manifest, written)
        self.lake.files.remove_tree(store.STAGING)  # moved; what is left is Spark's markers
        quarantined_files = sum(1 for k in read["file_kind"].to_pylist() if k == "quarantined")
        summary.add(counts, quarantined_files)

    def _drop_stored(self, kept: DataFrame, live: dict[str, list[store.LiveFile]]) -> DataFrame:
        """`kept` without the events whose eventID the partitions' live files hold."""
        paths = [self._uri(f.path) for files in live.values() for f in files]
        if not paths:
            return kept
        stored = self.spark.read.parquet(*paths).select("eventID")
        return kept.join(stored, "eventID", "left_anti")

    def _part(self, new: DataFrame, *extra: str) -> DataFrame:
        """The batch's events as `part` rows (events.PART) with their eventDate, and the
        `extra` columns of `new`."""
        from pyspark.sql import functions as F

        return new.select(
            "j",
            F.col("source").alias("lakeSource"),
            "eventTime",
            F.lit(self.batch_id).cast("bigint").alias("lakeBatch"),
            "eventID",
            "eventDate",
            *extra,
        )

    def _merged(self, live: dict[str, list[store.LiveFile]]) -> DataFrame:
        """The stored events of the files the batch's new files absorb, as `part` rows:
        typed again exactly as they were, keeping their source and batch."""
        from pyspark.sql import functions as F
        from pyspark.sql.pandas.types import from_arrow_schema

        empty = self.spark.createDataFrame([], from_arrow_schema(tasks.DECODED))
        frame = self._part(empty)
        for event_date, files in live.items():
            paths = [self._uri(f.path) for f in store.files_to_merge(files)]
            if paths:
                rows = self.spark.read.parquet(*paths).select(
                    F.col("eventJson").alias("j"),
                    "lakeSource",
                    F.col("eventTime").cast("timestamp_ntz").alias("eventTime"),
                    "lakeBatch",
                    "eventID",
                    F.lit(event_date).cast("date").alias("eventDate"),
                )
                frame = frame.unionByName(rows)
        return frame

    def _write(
        self, part: DataFrame, live: dict[str, list[store.LiveFile]]
    ) -> store.PartitionWrite:
        """Type and write the partitions' new files to the staging folder (step 1 of the
        commit protocol); each one's move to its final place is recorded with the batch."""
        from pyspark.sql import functions as F
        from pyspark.sql.pandas.types import from_arrow_schema

        files = self.lake.files
        typed = part.mapInArrow(tasks.type_rows, from_arrow_schema(tasks.typed_schema()))
        (
            typed.withColumn("eventDate", F.to_date("eventTime"))
            # One task, hence one file, per partition, sorted as a partition file is; the
            # writer keeps this order (its own sort on eventDate is satisfied already).
            .repartition("eventDate")
            .sortWithinPartitions("eventDate", "eventTime", "eventID")
            .write.partitionBy("eventDate")
            .option("compression", "zstd")
            .option("parquet.compression.codec.zstd.level", "1")
            .parquet(files.uri(store.STAGING))
        )
        added, removed, moves = [], [], []
        for event_date, existing in sorted(live.items()):
            staged = files.files(f"{store.STAGING}/eventDate={event_date}/*.parquet")
            if len(staged) > 1:
                raise LakeError(f"Spark wrote {len(staged)} files for eventDate={event_date}")
            if not staged:
                continue  # every event of the date was stored already, nothing to merge
            merged = [f.path for f in store.files_to_merge(existing)]
            final = f"events/eventDate={event_date}/part-{self.batch_id:08d}.parquet"
            rows = files.parquet_rows(staged[0])
            added.append(store.WrittenFile(final, event_date, rows, files.size(staged[0])))
            moves.append(store.FileMove("publish", staged[0], final))
            removed.extend(merged)
            moves.extend(store.FileMove("remove", None, old) for old in merged)
        return store.PartitionWrite(added, removed, moves)

    def _problems(self, found: pa.Table) -> pa.Table:
        """The batch's quarantine rows: files and records set aside, with reason and raw."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        n = found.num_rows
        return pa.table(
            {
                "batch_id": pa.array([self.batch_id] * n, pa.int64()),
                "source": found["source"],
                "location": found["location"],
                "reason": found["reason"],
                "raw": found["raw"],
                "quarantined_at": pa.array([now] * n, pa.timestamp("us")),
            }
        )

    def _sources(self, read: pa.Table) -> pa.Table:
        return pa.table(
            {
                "source": read["source"],
                "size": read["size"],
                "hash": read["hash"],
                "kind": read["file_kind"],
                "records": read["file_records"],
                "batch_id": pa.array([self.batch_id] * read.num_rows, pa.int64()),
            },
            schema=INGESTED_FILES,
        )

    def _insights(self, records: DataFrame) -> pa.Table:
        """The batch's CloudTrail Insights records (the first copy of each), shaped for
        aws_insights by the DuckDB ingest's own statement."""
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        first = Window.partitionBy("eventID").orderBy("file_no", "ordinal")
        rows = (
            records.filter(F.col("eventType") == INSIGHT)
            .withColumn("copy_no", F.row_number().over(first))
            .filter(F.col("copy_no") == 1)
        )
        found = self._part(rows, "file_no", "ordinal").toArrow()
        part = found.sort_by([("file_no", "ascending"), ("ordinal", "ascending")])
        events.register_part(self.work, part.select(events.PART.names).cast(events.PART))
        return arrow_table(self.work.sql(read_sql(ingest_commit.__file__, "select_insights")))

    def _uri(self, relative: str) -> str:
        return self.lake.files.uri(relative)


def _sorted(table: pa.Table, column: str) -> pa.Table:
    return table.sort_by([(column, "ascending")])
