"""Staging one decoded batch: deciding each record's fate, then handing the lake what to
store.

The transaction itself is the lake's (`ctlake.lake.store`, `ctlake.lake.commit`). Here the
batch is loaded into the work connection as the narrow key table `batch_keys`
(batch_keys.sql); records set aside, Insights records and duplicates are sorted out on it,
and each partition's rows are handed over as `part` rows (`ctlake.lake.events.PART`). A
record's JSON text reaches DuckDB only when its rows are written, already in eventTime
order, so it is typed exactly once and never sorted or copied as a wide row. The catalog
is opened once per batch and closed after it, so readers wait at most one batch's commit.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from ctlake.db import arrow_table
from ctlake.ingest.batch import Batch
from ctlake.lake import commit as lake_commit
from ctlake.lake import events, store
from ctlake.lake.commit import BatchCounts, BatchManifest
from ctlake.lake.layout import Lake
from ctlake.resources import read_sql

__all__ = ["BatchCounts", "commit"]

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


def commit(lake: Lake, work: duckdb.DuckDBPyConnection, batch: Batch) -> BatchCounts:
    """Decide the fate of every record of `batch` and store it; returns what happened."""
    with lake.catalog() as catalog:
        batch_id = lake_commit.next_batch_id(catalog)
        staged = _Staged.load(work, batch, batch_id)
        problems = staged.problems()
        insights = staged.insights()
        work.execute(read_sql(__file__, "prune_batch"))
        files = store.live_files(catalog, staged.touched_dates())
        store.drop_stored_duplicates(work, lake, files)
        written = store.write_partitions(work, lake, batch_id, files, staged.partition_rows)
        manifest = staged.manifest(problems, insights)
        return lake_commit.commit_batch(lake, catalog, manifest, written)


class _Staged:
    """A batch loaded into the work connection (see `load`)."""

    def __init__(self, work: duckdb.DuckDBPyConnection, batch: Batch, batch_id: int) -> None:
        self.work, self.batch, self.batch_id = work, batch, batch_id
        self.texts = batch.texts()
        self.sources = pa.array([f.source for f in batch.files], pa.string())

    @classmethod
    def load(cls, work: duckdb.DuckDBPyConnection, batch: Batch, batch_id: int) -> _Staged:
        """Make `batch_keys` for `batch` in `work`: only the narrow keys, at once."""
        work.register("incoming_keys", batch.keys())
        work.register("batch_files", batch.batch_files())
        work.execute(read_sql(__file__, "batch_keys"))
        work.unregister("incoming_keys")
        return cls(work, batch, batch_id)

    def part(self, rows: pa.Table) -> pa.Table:
        """The records of `rows` (row_no, file_no, eventTime, eventID) in the order given,
        as `part` rows (events.PART)."""
        return pa.table(
            {
                "j": self.texts.take(rows["row_no"]),
                "lakeSource": self.sources.take(rows["file_no"]),
                "eventTime": rows["eventTime"],
                "lakeBatch": pa.repeat(pa.scalar(self.batch_id, pa.int64()), rows.num_rows),
                "eventID": rows["eventID"],
            },
            schema=events.PART,
        )

    def partition_rows(self, event_date: str) -> pa.Table:
        """The batch's rows to store in `event_date`'s partition, in time order."""
        sql = read_sql(__file__, "partition_rows")
        return self.part(arrow_table(self.work.sql(sql, params={"d": event_date})))

    def insights(self) -> pa.Table:
        """The batch's CloudTrail Insights records, shaped for aws_insights."""
        rows = arrow_table(self.work.sql(read_sql(__file__, "insight_rows")))
        events.register_part(self.work, self.part(rows))
        return arrow_table(self.work.sql(read_sql(__file__, "select_insights")))

    def touched_dates(self) -> list[str]:
        rows = self.work.execute(read_sql(__file__, "touched_dates"))
        return [d for (d,) in rows.fetchall()]

    def manifest(self, problems: pa.Table, insights: pa.Table) -> BatchManifest:
        """What the catalog records of the batch, once its duplicates are dropped."""
        stored, first, last = self.work.execute(read_sql(__file__, "batch_span")).fetchall()[0]
        counts = BatchCounts(
            files=len(self.batch.files),
            records=self.batch.records + len(self.batch.problems),
            stored=int(stored),
            quarantined=problems.num_rows,
        )
        sources = pa.Table.from_pylist(
            [
                {
                    "source": e.source,
                    "size": e.size,
                    "hash": e.hash,
                    "kind": e.kind,
                    "records": e.records,
                    "batch_id": self.batch_id,
                }
                for e in self.batch.files
            ],
            schema=INGESTED_FILES,
        )
        return BatchManifest(self.batch_id, counts, (first, last), sources, problems, insights)

    def problems(self) -> pa.Table:
        """Problems found while decoding plus records batch_keys.sql set aside."""
        found = arrow_table(self.work.sql(read_sql(__file__, "quarantined_rows")))
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
