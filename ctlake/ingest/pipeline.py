"""`ctlake ingest`: read CloudTrail files into the lake, exactly once.

The contract, checked by the tests: every record read is stored, recognised as a duplicate
of a stored event, or quarantined with its reason —

    records in = stored + duplicates + quarantined

— and a file already ingested (same path, size and content hash) is skipped unless
`force`. A crash at any moment leaves a lake that the same command completes exactly.

"Nothing new" (files found, all already ingested) is a normal outcome; "nothing CloudTrail
here" (a path holding no log file at all) is recorded in the summary (`empty`), and is an
error only when the caller says every path must hold some (`require_logs`, as
`ctlake ingest` does: a user pointed it at the wrong folder). A scheduled run keeps going:
its source may simply be empty yet.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb

from ctlake.errors import BadInputError
from ctlake.ingest import commit
from ctlake.ingest.batch import Batch
from ctlake.ingest.decode import decode
from ctlake.ingest.sources import (
    EmptyPath,
    SourceFile,
    by_extension,
    content_hash,
    find_sources,
    with_data,
)
from ctlake.lake import events, store, upgrade
from ctlake.lake.layout import Lake
from ctlake.resources import read_sql

Progress = Callable[[str], None]


@dataclass
class IngestSummary:
    files_read: int = 0
    files_skipped: int = 0
    files_quarantined: int = 0
    digests_skipped: int = 0
    records: int = 0
    stored: int = 0
    duplicates: int = 0
    quarantined: int = 0
    insights: int = 0
    seconds: float = 0.0
    passed_over: Counter[str] = field(default_factory=Counter)  # by extension
    empty: list[EmptyPath] = field(default_factory=list)  # paths with no log file

    def line(self) -> str:
        files = (
            f"files read {self.files_read}, skipped {self.files_skipped} (already ingested), "
            f"quarantined {self.files_quarantined}; digest files skipped {self.digests_skipped}; "
        )
        if passed := sum(self.passed_over.values()):
            files += f"other files passed over {passed} ({by_extension(self.passed_over)}); "
        return (
            files
            + f"records in {self.records} = stored {self.stored} + duplicates {self.duplicates} "
            f"+ quarantined {self.quarantined}"
            + (f" ({self.insights} AWS Insights records)" if self.insights else "")
        )

    def add(self, counts: commit.BatchCounts, files_quarantined: int) -> None:
        self.files_read += counts.files
        self.files_quarantined += files_quarantined
        self.records += counts.records
        self.stored += counts.stored
        self.duplicates += counts.duplicates
        self.quarantined += counts.quarantined
        self.insights += counts.insights


def ingest(
    lake: Lake,
    paths: Sequence[str],
    *,
    force: bool = False,
    progress: Progress | None = None,
    batch_bytes: int = 64 * 1024 * 1024,
    wait_seconds: float = 0.0,
    require_logs: bool = False,
) -> IngestSummary:
    """Ingest every CloudTrail file under `paths` into `lake`; with `require_logs`, paths
    that hold no CloudTrail log file at all are a BadInputError, raised before the lake is
    touched."""
    found = find_sources(paths)
    if require_logs and found.nothing:
        raise BadInputError(found.nothing_line())
    sources = found.files
    summary = IngestSummary(passed_over=found.passed_over, empty=found.empty)
    started = time.monotonic()
    with lake.write_lock(wait_seconds):
        with lake.catalog() as catalog:
            store.recover(lake, catalog)
            known = _known_files(catalog)
        with _Committer(lake, summary) as committer:
            schema = events.write_schema_file(lake, committer.work)
            upgrade.upgrade_events(lake, committer.work, schema, progress)
            ticker = _Ticker(progress, len(sources), started)
            batch = Batch(max_bytes=batch_bytes)
            for source, data in with_data(sources):
                if data is None:  # a digest
                    summary.digests_skipped += 1
                elif not _stage(source, data, batch, known, force):
                    summary.files_skipped += 1
                elif batch.full:
                    committer.submit(batch)
                    batch = Batch(max_bytes=batch_bytes)
                ticker.tick(summary, batch)
            if not batch.empty:
                committer.submit(batch)
    summary.seconds = time.monotonic() - started
    return summary


def _stage(
    source: SourceFile, data: bytes, batch: Batch, known: set[tuple[str, int, str]], force: bool
) -> bool:
    """Add `source` (holding `data`) to the batch unless it was already ingested; False
    when skipped."""
    digest = content_hash(data)
    if not force and (source.name, len(data), digest) in known:
        return False
    known.add((source.name, len(data), digest))
    batch.add_file(source.name, len(data), digest, decode(data))
    return True


class _Committer:
    """Commits batches one at a time on a worker thread, so the next batch is decoded (in
    Python) while DuckDB types and writes the previous one: two cores, both busy. Commits
    stay strictly sequential, which the crash-safety protocol relies on."""

    def __init__(self, lake: Lake, summary: IngestSummary) -> None:
        self.lake, self.summary = lake, summary
        self.pending: Future[None] | None = None

    def __enter__(self) -> _Committer:
        self.work = events.work_connection(self.lake)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctlake-commit")
        return self

    def submit(self, batch: Batch) -> None:
        self.wait()
        self.pending = self.pool.submit(self._commit, batch)

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # re-raises the commit's error, if any

    def _commit(self, batch: Batch) -> None:
        counts = commit.commit(self.lake, self.work, batch)
        self.summary.add(counts, sum(1 for f in batch.files if f.kind == "quarantined"))

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.wait()
        finally:
            self.pool.shutdown(wait=True)
            self.work.close()


def _known_files(catalog: duckdb.DuckDBPyConnection) -> set[tuple[str, int, str]]:
    rows = catalog.execute(read_sql(__file__, "known_files")).fetchall()
    return {(s, int(z), h) for s, z, h in rows}


class _Ticker:
    """Progress on stderr, at most once a second: files, events, events per second."""

    def __init__(self, progress: Progress | None, total: int, started: float) -> None:
        self.progress, self.total, self.started = progress, total, started
        self.seen = 0
        self.last = started

    def tick(self, summary: IngestSummary, batch: Batch) -> None:
        self.seen += 1
        now = time.monotonic()
        if self.progress is None or now - self.last < 1.0:
            return
        self.last = now
        events = summary.records + batch.records
        rate = events / max(now - self.started, 1e-9)
        self.progress(
            f"ingest: {self.seen}/{self.total} files, {events:,} records, {rate:,.0f} records/s"
        )
