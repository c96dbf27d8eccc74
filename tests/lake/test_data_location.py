"""`[lake] data`: the Parquet files in another folder or on object storage, the catalog in
the lake folder. A lake on S3 (a local S3 server, reached through s3fs as AWS would be)
stores and answers exactly what a local lake does, survives a kill at the steps of the
commit protocol, and a data location that does not hold the lake's files is refused
before anything there is touched."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import orjson
import pytest

from ctlake.batch.retention import apply_retention
from ctlake.errors import ExitCode, LakeError
from ctlake.ingest import ingest
from ctlake.lake import Lake, store
from ctlake.models import refresh
from tests.batch.conftest import ctlake
from tests.conftest import killed_at, lake_rows, make_record
from tests.lake.test_crash_safety import BATCH_MB, Trail, write_trail
from tests.s3 import s3

BATCH_BYTES = BATCH_MB * 1024 * 1024


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Trail:
    return write_trail(tmp_path_factory.mktemp("data") / "trail")


def on_s3(folder: Path, bucket: str) -> Lake:
    """A lake folder whose ctlake.toml puts its data in `bucket`, as a user writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ctlake.toml").write_text(f'[lake]\ndata = "s3a://{bucket}/trail-lake"\n')
    return Lake.locate(folder)


def test_a_lake_on_s3_stores_and_answers_what_a_local_lake_does(
    tmp_path: Path, trail: Trail, s3_bucket: str
) -> None:
    local, remote = Lake(tmp_path / "local"), on_s3(tmp_path / "remote", s3_bucket)
    summaries = [
        ingest(lake, [str(trail.folder)], batch_bytes=BATCH_BYTES) for lake in (local, remote)
    ]
    assert summaries[1].line() == summaries[0].line()
    assert sorted(p.name for p in remote.root.iterdir()) == [
        ".write.lock",
        "catalog.duckdb",
        "ctlake.toml",
    ]
    assert_same_events(local, remote)
    for lake in (local, remote):
        refresh(lake)
    assert lake_rows(local, "SELECT * FROM insight_events ORDER BY ALL") == lake_rows(
        remote, "SELECT * FROM insight_events ORDER BY ALL"
    )
    again = ingest(remote, [str(trail.folder)])
    assert (again.files_skipped, again.records) == (summaries[0].files_read, 0)

    first = min(trail.per_day)
    removed = apply_retention(remote, 1, date_after(first))
    assert removed.partitions == 1
    assert not s3().glob(f"{s3_bucket}/trail-lake/events/eventDate={first}/*")
    assert_listed_files_are_the_stored_ones(remote)


CRASHES = ["commit.staged:5", "commit.committed:5", "commit.removing:2"]


@pytest.mark.parametrize("spec", CRASHES)
def test_a_kill_during_a_commit_on_s3_is_completed_by_the_next_ingest(
    tmp_path: Path, trail: Trail, s3_bucket: str, spec: str
) -> None:
    lake = on_s3(tmp_path / "lake", s3_bucket)
    killed_at(spec, lake.root, "ingest", str(trail.folder), "--batch-mb", str(BATCH_MB))
    ingest(lake, [str(trail.folder)], batch_bytes=BATCH_BYTES)
    stored = lake_rows(
        lake,
        "SELECT CAST(eventDate AS VARCHAR), count(*), count(DISTINCT eventID) "
        "FROM events GROUP BY ALL ORDER BY 1",
    )
    assert stored == [(day, n, n) for day, n in trail.per_day.items()]
    assert lake_rows(lake, "SELECT count(*) FROM quarantine") == [(trail.bad,)]
    assert_listed_files_are_the_stored_ones(lake)
    assert not s3().glob(f"{s3_bucket}/trail-lake/**/*.tmp")


def test_data_in_another_folder_keeps_only_the_catalog_in_the_lake_folder(
    tmp_path: Path, trail: Trail
) -> None:
    folder = tmp_path / "lake"
    folder.mkdir()
    (folder / "ctlake.toml").write_text('[lake]\ndata = "../parquet"\n')
    done = ctlake(folder, "ingest", str(trail.folder))
    assert done.returncode == ExitCode.PARTIAL, done.stderr  # the trail's bad records
    assert not (folder / "events").exists()
    assert sorted(p.name for p in (tmp_path / "parquet" / "events").iterdir())[-1] == (
        f"eventDate={max(trail.per_day)}"
    )
    counted = ctlake(folder, "sql", "-c", "SELECT count(*) AS n FROM events", "-f", "csv")
    assert counted.stdout.splitlines() == ["n", str(trail.unique)]
    status = ctlake(folder, "status")
    assert f"data: {tmp_path / 'parquet'}" in status.stdout.splitlines()


def test_a_data_location_without_the_lakes_files_is_refused_and_left_alone(
    tmp_path: Path, trail: Trail
) -> None:
    """Pointing `[lake] data` elsewhere without moving the files would otherwise sweep
    whatever is there as strays and fail on every read; moving them is what works."""
    first, other = tmp_path / "first", tmp_path / "other"
    lake = Lake(tmp_path / "lake", str(first))
    ingest(lake, [str(trail.folder)])
    other.mkdir()
    (other / "events" / "eventDate=2024-05-01").mkdir(parents=True)
    unrelated = other / "events" / "eventDate=2024-05-01" / "someone-elses.parquet"
    unrelated.write_bytes(b"PAR1")
    moved = Lake(lake.root, str(other))
    with pytest.raises(LakeError, match=r"event files are not in .*other.*\[lake\] data"):
        ingest(moved, [str(trail.folder)])
    assert unrelated.exists()

    shutil.rmtree(other)
    shutil.copytree(first, other)
    shutil.rmtree(first)
    again = ingest(moved, [str(trail.folder)])
    assert again.records == 0
    assert lake_rows(moved, "SELECT count(*) FROM events") == [(trail.unique,)]


def test_config_show_masks_credentials_and_a_bad_location_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "lake"
    folder.mkdir()
    config = folder / "ctlake.toml"
    config.write_text(
        '[lake]\ndata = "s3a://AKIAEXAMPLEKEY:very-secret-value@bucket/ctlake-2024"\n'
        '[lake.options]\nsecret = "another-secret"\nrequester_pays = true\n'
    )
    shown = ctlake(folder, "config", "show")
    assert shown.returncode == 0, shown.stderr
    assert "very-secret-value" not in shown.stdout and "another-secret" not in shown.stdout
    assert 'data = "s3a://***@bucket/ctlake-2024"' in shown.stdout
    assert "requester_pays = true" in shown.stdout

    config.write_text('[lake]\ndata = "nosuchfs://bucket/x"\n')
    source = tmp_path / "trail.json"
    source.write_bytes(orjson.dumps({"Records": [make_record(1)]}))
    failed = ctlake(folder, "ingest", str(source))
    assert failed.returncode == ExitCode.BAD_INPUT
    assert failed.stderr.strip().splitlines() == [
        "error: [lake] data: no filesystem for nosuchfs:// (Protocol not known: nosuchfs)"
    ]
    config.write_text('[lake]\nfolder = "x"\n')
    failed = ctlake(folder, "sql", "-c", "SELECT 1")
    assert f"{config}: unknown key lake.folder" in failed.stderr


def assert_same_events(a: Lake, b: Lake) -> None:
    """The same events, row for row (EXCEPT ALL both ways)."""
    con = duckdb.connect()
    for lake in (a, b):
        lake.files.register(con)
    views = [
        f"SELECT * FROM read_parquet('{lake.files.location('events/*/*.parquet')}', "
        "hive_partitioning = true)"
        for lake in (a, b)
    ]
    for left, right in ((0, 1), (1, 0)):
        query = f"SELECT count(*) FROM ({views[left]} EXCEPT ALL {views[right]})"
        assert con.sql(query).fetchall() == [(0,)]
    assert con.sql(f"SELECT count(*) FROM ({views[0]})").fetchall() != [(0,)]
    con.close()


def assert_listed_files_are_the_stored_ones(lake: Lake) -> None:
    """The catalog's live files are the event files in the bucket, no more, no fewer."""
    listed = {path for (path,) in lake_rows(lake, "SELECT path FROM lake_files")}
    assert set(lake.files.files("events/*/*")) == listed
    for day in {path.split("/")[1] for path in listed}:
        assert len(lake.files.files(f"events/{day}/*")) <= store.MAX_FILES_PER_PARTITION


def date_after(day: str) -> object:
    from datetime import date, timedelta

    return date.fromisoformat(day) + timedelta(days=2)
