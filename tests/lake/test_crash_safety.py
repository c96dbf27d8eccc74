"""A kill at any step of the commit protocol leaves a lake that the same command, run again,
completes exactly: every crash point of `ctlake.lake.store`, `ctlake.lake.commit` and
retention, one kill -9 each (bench/crash_soak.py kills at random moments instead)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import orjson
import pytest

from ctlake.batch.run import run_batch
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader, store
from tests.conftest import killed_at, make_record

# 100 files of 100 records in three daily partitions, 1 MB batches: 7 batches, the fifth the
# first to compact (a partition then holds MAX_FILES_PER_PARTITION files).
FILES, PER_FILE, DUPLICATE_EVERY, BAD_EVERY, DAYS = 100, 100, 7, 50, 3
BATCH_MB = 1
COMPACTING = 5  # the first batch that merges files


@dataclass(frozen=True)
class Trail:
    folder: Path
    records: int
    unique: int
    bad: int
    per_day: dict[str, int]  # unique events by eventDate


def write_trail(folder: Path) -> Trail:
    """Files with cross-file duplicates and bad records."""
    folder.mkdir(parents=True)
    unique: dict[int, str] = {}
    bad = 0
    for f in range(FILES):
        records: list[object] = []
        for i in range(PER_FILE):
            n = f * PER_FILE + i
            if n % BAD_EVERY == 0:
                records.append({"eventID": f"bad-{n}"})  # no eventTime: quarantined
                bad += 1
                continue
            if n % DUPLICATE_EVERY == 0 and n >= PER_FILE:
                n -= PER_FILE  # the same event again, one file later
            day = f"2024-05-0{1 + n % DAYS}"
            records.append(make_record(n, eventTime=f"{day}T{n % 24:02d}:{n % 60:02d}:00Z"))
            unique[n] = day
        path = folder / f"f{f:04d}.json.gz"
        path.write_bytes(gzip.compress(orjson.dumps({"Records": records})))
    per_day = {d: sum(1 for v in unique.values() if v == d) for d in sorted(set(unique.values()))}
    return Trail(folder, FILES * PER_FILE, len(unique), bad, per_day)


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Trail:
    return write_trail(tmp_path_factory.mktemp("crash") / "trail")


@dataclass(frozen=True)
class Case:
    kills: tuple[str, ...]  # CTLAKE_CRASH_AT of each killed `ctlake ingest`, in turn
    batches: int  # batches the catalog holds after the kills

    @property
    def id(self) -> str:
        return "+".join(self.kills)


C = COMPACTING
CASES = [
    Case(("commit.staged",), 0),  # the very first batch of a new lake
    Case((f"commit.staged:{C}",), C - 1),  # the compacting batch: its merged file is a .tmp
    Case((f"commit.recorded:{C}",), C - 1),
    Case((f"commit.committed:{C}",), C),
    Case(("commit.removing:2",), C),  # a partition compacted; the next one's new file only
    Case((f"commit.moved:{C}",), C),
    Case((f"commit.committed:{C}", "recover.replayed"), C),  # killed again while recovering
]
RETENTION_KILL = "retention.committed"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_kill_at_each_step_of_the_commit_protocol_is_completed_by_the_next_ingest(
    tmp_path: Path, trail: Trail, case: Case
) -> None:
    lake = Lake(tmp_path / "lake")
    args = ("ingest", str(trail.folder), "--batch-mb", str(BATCH_MB))
    for spec in case.kills:
        killed_at(spec, lake.root, *args)
    assert catalog_batches(lake) == case.batches  # the kill landed where the point says

    ingest(lake, [str(trail.folder)], batch_bytes=BATCH_MB * 1024 * 1024)
    assert_exact(lake, trail, trail.per_day)
    con = reader.connect(lake)
    try:
        # records in = stored + duplicates + quarantined, over all batches, each counted once
        totals = con.execute(
            "SELECT count(*), sum(records), sum(stored), sum(duplicates), sum(quarantined) "
            "FROM batches"
        ).fetchall()[0]
        read = con.execute("SELECT count(*), sum(records) FROM ingested_files").fetchall()[0]
    finally:
        con.close()
    duplicates = trail.records - trail.unique - trail.bad
    assert totals[1:] == (trail.records, trail.unique, duplicates, trail.bad)
    assert totals[0] >= COMPACTING + 1
    assert read == (FILES, trail.records)


def test_a_kill_between_retention_commit_and_file_deletion_is_completed_by_the_next_run(
    tmp_path: Path, trail: Trail
) -> None:
    lake = Lake(tmp_path / "lake")
    ingest(lake, [str(trail.folder)], batch_bytes=BATCH_MB * 1024 * 1024)
    first, *kept = sorted(trail.per_day)
    today = datetime.now(UTC).date()
    days = (today - date.fromisoformat(kept[0])).days  # the first day alone is past retention
    (lake.root / "ctlake.toml").write_text(
        f'[sources]\npaths = ["{trail.folder}"]\n[retention]\ndays = {days}\n'
    )
    killed_at(RETENTION_KILL, lake.root, "run")
    assert any(
        (lake.root / "events" / f"eventDate={first}").glob("*.parquet")
    )  # dropped, not yet deleted

    run_batch(lake)
    assert_exact(lake, trail, {d: n for d, n in trail.per_day.items() if d != first})


def assert_exact(lake: Lake, trail: Trail, per_day: dict[str, int]) -> None:
    """Every event of `per_day` stored once, the quarantine exact, no file left over."""
    con = reader.connect(lake)
    try:
        stored = con.execute(
            "SELECT CAST(eventDate AS VARCHAR), count(*), count(DISTINCT eventID) "
            "FROM events GROUP BY ALL ORDER BY 1"
        ).fetchall()
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
        pending = con.execute("SELECT count(*) FROM pending_moves").fetchall()[0][0]
        listed = {p for (p,) in con.execute("SELECT path FROM lake_files").fetchall()}
    finally:
        con.close()
    assert stored == [(d, n, n) for d, n in per_day.items()]
    assert (quarantined, pending) == (trail.bad, 0)
    on_disk = {str(p.relative_to(lake.root)) for p in (lake.root / "events").glob("*/*.parquet")}
    assert listed == on_disk
    assert not list((lake.root / "events").glob("*/*.tmp"))
    for day in per_day:
        assert len(list((lake.root / "events" / f"eventDate={day}").glob("*.parquet"))) <= (
            store.MAX_FILES_PER_PARTITION
        )


def catalog_batches(lake: Lake) -> int:
    """The batches a killed ingest left committed (0 when it died before the catalog)."""
    if not lake.catalog_path.exists():
        return 0
    con = duckdb.connect(str(lake.catalog_path), read_only=True)
    try:
        tables = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'batches'")
        if not tables.fetchall()[0][0]:
            return 0
        return int(con.execute("SELECT count(*) FROM batches").fetchall()[0][0])
    finally:
        con.close()
