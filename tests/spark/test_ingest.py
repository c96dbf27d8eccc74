"""`ingest --engine spark` stores what the DuckDB ingest stores: the same events row for row
(EXCEPT ALL both ways), the same quarantine and manifest, the same files and layout, in one
batch or many, with late and duplicate deliveries, across a killed driver; and either
engine carries on a lake the other wrote."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import orjson
import pytest

from ctlake.config.engine import SparkConfig
from ctlake.generate import generate_trail
from ctlake.ingest import IngestSummary
from ctlake.ingest import ingest as duckdb_ingest
from ctlake.lake import Lake, reader
from ctlake.lake.store import MAX_FILES_PER_PARTITION, STAGING
from ctlake.spark.ingest import ingest as spark_ingest
from tests.conftest import ROOT, killed_at, make_record

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

FORMATS = ROOT / "tests" / "fixtures" / "inputs"
INSIGHT = "AwsCloudTrailInsight"


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated two-day delivery tree (with its broken files and duplicate deliveries),
    beside every other input format and a file of CloudTrail Insights records."""
    out = tmp_path_factory.mktemp("trail")
    generate_trail(out, days=2, seed=11, scale=0.02)
    other = out / "other"
    shutil.copytree(FORMATS, other)
    insight = make_record(
        1, eventType=INSIGHT, eventCategory="Insight", insightDetails={"state": "Start"}
    )
    api = make_record(2, eventTime="2024-05-01T12:00:02+02:00")  # an offset, made UTC
    (other / "insights.json").write_bytes(orjson.dumps({"Records": [insight, insight, api]}))
    return out


def paths(trail: Path) -> list[str]:
    return [str(trail / "AWSLogs"), str(trail / "other")]


def test_one_run_stores_what_duckdb_stores(
    spark: SparkSession, spark_config: SparkConfig, trail: Path, tmp_path: Path
) -> None:
    by_duckdb, by_spark = Lake(tmp_path / "duckdb"), Lake(tmp_path / "spark")
    expected = duckdb_ingest(by_duckdb, paths(trail))
    got = spark_ingest(by_spark, paths(trail), spark_config)
    assert got.line() == expected.line()
    assert got.insights == 1 and got.quarantined > 0 and got.duplicates > 0
    assert_same_lake(by_duckdb, by_spark)
    assert same_files(by_duckdb, by_spark)
    assert not by_spark.files.exists(STAGING)

    again = spark_ingest(by_spark, paths(trail), spark_config)
    assert (again.files_skipped, again.records) == (expected.files_read, 0)


def test_standard_input_is_read_by_the_driver_and_stored_alike(
    spark: SparkSession,
    spark_config: SparkConfig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = (FORMATS / "eventbridge.json").read_bytes()
    by_duckdb, by_spark = Lake(tmp_path / "duckdb"), Lake(tmp_path / "spark")
    summaries = []
    for run in (
        lambda: duckdb_ingest(by_duckdb, ["-"]),
        lambda: spark_ingest(by_spark, ["-"], spark_config),
    ):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        summaries.append(run())
    assert summaries[1].line() == summaries[0].line()
    assert summaries[1].stored > 0
    assert_same_lake(by_duckdb, by_spark)


def test_batches_with_late_and_duplicate_deliveries(
    spark: SparkSession, spark_config: SparkConfig, trail: Path, tmp_path: Path
) -> None:
    """Day one, ingested by DuckDB in small batches into both lakes, fills its partition
    to the file limit; then, in several batches per engine, day two with late files of day
    one and day one's files delivered again under other names: Spark compacts the
    partition DuckDB wrote as DuckDB does."""
    days = sorted((trail / "AWSLogs").glob("*/CloudTrail/*/*/*/*"))
    day_one, day_two = sorted(days[0].iterdir()), sorted(days[1].iterdir())
    first = copy_files(day_one[:100], tmp_path / "first")
    later = copy_files(day_two[:20] + day_one[100:130], tmp_path / "later")
    copy_files(day_one[:30], tmp_path / "later" / "again")  # the same events, other files
    shutil.copy(FORMATS / "lookup-events.json", later / "lookup.json")
    by_duckdb, by_spark = Lake(tmp_path / "duckdb"), Lake(tmp_path / "spark")
    for lake in (by_duckdb, by_spark):
        duckdb_ingest(lake, [str(first)], batch_bytes=128 * 1024)
    assert list(files_per_partition(by_spark).values()) == [MAX_FILES_PER_PARTITION]
    before = batches(by_spark)
    expected = duckdb_ingest(by_duckdb, [str(later)], batch_bytes=256 * 1024)
    got = spark_ingest(by_spark, [str(later)], spark_config, batch_bytes=64 * 1024)
    assert counts(got) == counts(expected)
    assert got.duplicates > 0  # of stored events, and within the delivery
    assert batches(by_spark) - before >= 2
    assert_same_lake(by_duckdb, by_spark, columns="* EXCLUDE (lakeBatch)")
    assert max(files_per_partition(by_spark).values()) == MAX_FILES_PER_PARTITION

    # Either engine carries on the other's lake: day two's first files under new names.
    again = copy_files(day_two[:20], tmp_path / "again")
    assert counts(duckdb_ingest(by_spark, [str(again)])) == counts(
        spark_ingest(by_duckdb, [str(again)], spark_config)
    )
    assert_same_lake(by_duckdb, by_spark, columns="* EXCLUDE (lakeBatch)")


def test_data_files_in_another_folder_named_by_a_file_uri(
    spark: SparkSession, spark_config: SparkConfig, trail: Path, tmp_path: Path
) -> None:
    """`[lake] data` as a URI: Spark writes and reads the data root by it, the driver
    moves files there, and only the catalog stays in the lake folder; DuckDB reads the
    result as it reads a lake of its own."""
    data = tmp_path / "data"
    by_duckdb = Lake(tmp_path / "duckdb")
    by_spark = Lake(tmp_path / "spark", data.as_uri())
    expected = duckdb_ingest(by_duckdb, paths(trail))
    got = spark_ingest(by_spark, paths(trail), spark_config)
    assert got.line() == expected.line()
    assert_same_lake(by_duckdb, by_spark)
    assert sorted(p.name for p in by_spark.root.iterdir()) == [".write.lock", "catalog.duckdb"]
    assert sorted(p.name for p in data.iterdir()) == ["events"]  # staging cleared
    con = reader.connect(by_spark)
    try:
        stored = expected.stored - expected.insights  # Insights records: aws_insights
        assert con.sql("SELECT count(*) FROM events").fetchall() == [(stored,)]
    finally:
        con.close()


def copy_files(files: list[Path], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copy(file, folder / file.name)
    return folder


def test_a_killed_driver_then_the_same_command_gives_exact_counts(
    spark: SparkSession, spark_config: SparkConfig, trail: Path, tmp_path: Path
) -> None:
    """A real `ctlake ingest --engine spark` killed (SIGKILL) in its second batch just
    after the commit point, its files not yet moved; the same command run again rolls the
    batch forward, skips its files and completes the rest exactly. (Every crash point of
    the protocol both engines share is killed at in tests/lake/test_crash_safety.py; a
    Spark process takes seconds to start, so one point here.)"""
    point = "commit.committed:2"
    source = [str(trail / "AWSLogs")]  # 2.2 MB of files: three batches of 1 MB
    by_duckdb, by_spark = Lake(tmp_path / "duckdb"), Lake(tmp_path / "spark")
    expected = duckdb_ingest(by_duckdb, source)
    args = ["ingest", "--engine", "spark", "--batch-mb", "1", *source]
    killed_at(point, by_spark.root, *args, timeout=300)
    resumed = spark_ingest(by_spark, source, spark_config, batch_bytes=1024 * 1024)
    assert resumed.files_read + resumed.files_skipped == expected.files_read
    assert_same_lake(by_duckdb, by_spark, columns="* EXCLUDE (lakeBatch)")
    totals = catalog_totals(by_spark)
    assert totals == catalog_totals(by_duckdb)


def counts(summary: IngestSummary) -> list[int]:
    return [
        summary.files_read,
        summary.files_skipped,
        summary.files_quarantined,
        summary.records,
        summary.stored,
        summary.duplicates,
        summary.quarantined,
        summary.insights,
    ]


def assert_same_lake(a: Lake, b: Lake, columns: str = "*") -> None:
    """Equal events (EXCEPT ALL both ways, and as many), quarantine, manifest, Insights."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    views = {}
    for name, lake in (("a", a), ("b", b)):
        files = lake.files.location("events/*/*.parquet")
        views[name] = f"SELECT {columns} FROM read_parquet('{files}', hive_partitioning = true)"
        con.execute(f"ATTACH '{lake.catalog_path}' AS {name}_cat (READ_ONLY)")
    for left, right in (("a", "b"), ("b", "a")):
        extra = f"SELECT count(*) FROM ({views[left]} EXCEPT ALL {views[right]})"
        assert con.execute(extra).fetchall() == [(0,)], f"events only in lake {left}"
    counts = [con.execute(f"SELECT count(*) FROM ({views[n]})").fetchall() for n in "ab"]
    assert counts[0] == counts[1] and counts[0] != [(0,)]
    for table, cols in (
        ("quarantine", "source, location, reason, raw"),
        ("ingested_files", "source, size, hash, kind, records"),
        ("aws_insights", "* EXCLUDE (lakeBatch)"),
    ):
        rows = [
            con.sql(f"SELECT {cols} FROM {n}_cat.{table} ORDER BY ALL").fetchall() for n in "ab"
        ]
        assert rows[0] == rows[1], table
    con.close()


def same_files(a: Lake, b: Lake) -> bool:
    """The same file names, rows and column types, sorted the same way: the same layout."""
    con = duckdb.connect()
    found = []
    for lake in (a, b):
        con.execute(f"ATTACH '{lake.catalog_path}' AS cat (READ_ONLY)")
        files = con.sql("SELECT path, eventDate, rows FROM cat.lake_files ORDER BY 1").fetchall()
        con.execute("DETACH cat")
        shapes = []
        for path, _, _ in files:
            file = lake.files.location(path)
            described = con.sql(f"DESCRIBE SELECT * FROM read_parquet('{file}')").fetchall()
            order = con.sql(f"SELECT eventTime, eventID FROM read_parquet('{file}')").fetchall()
            shapes.append((described, order == sorted(order)))
        found.append((files, shapes))
    return found[0] == found[1] and all(ordered for _, ordered in found[0][1])


def files_per_partition(lake: Lake) -> dict[str, int]:
    return {
        p.name: len(list(p.glob("*.parquet"))) for p in (lake.root / "events").glob("eventDate=*")
    }


def batches(lake: Lake) -> int:
    with lake.catalog(read_only=True) as catalog:
        row = catalog.execute("SELECT count(*) FROM batches").fetchone()
    return int(row[0]) if row else 0


def catalog_totals(lake: Lake) -> tuple[object, ...]:
    with lake.catalog(read_only=True) as catalog:
        row = catalog.execute(
            "SELECT sum(files), sum(records), sum(stored), sum(duplicates), sum(quarantined) "
            "FROM batches"
        ).fetchone()
    assert row is not None
    return tuple(row)
