"""`ctlake run` with `[engine] name = "spark"` ingests and refreshes on Spark: the lake it
leaves holds the events, insights and metric filters' datapoints a DuckDB run gives, and
its models were computed by Spark (their run digest names the engine)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ctlake.batch.run import run_batch
from ctlake.generate import generate_trail
from ctlake.lake import Lake, reader

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

CONFIG = """
[sources]
paths = ["{trail}"]

[engine]
name = "{engine}"

[[metrics.filter]]
name = "AccessDenied"
pattern = '{{ $.errorCode = "AccessDenied*" }}'
namespace = "Trail"
metric_name = "Denied"
value = "1"
"""
COMPARED = (
    "SELECT * EXCLUDE (eventJson) FROM events",
    "SELECT * FROM insight_events",
    "SELECT * FROM metric_points",
)


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trail")
    generate_trail(out, days=3, seed=5, scale=0.02)
    return out / "AWSLogs"


def run_on(engine: str, folder: Path, trail: Path) -> Lake:
    lake = Lake(folder / engine)
    lake.root.mkdir()
    (lake.root / "ctlake.toml").write_text(CONFIG.format(trail=trail, engine=engine))
    summary = run_batch(lake)
    assert summary.ingest is not None and summary.ingest.stored > 0
    return lake


def rows(lake: Lake, sql: str) -> list[tuple[object, ...]]:
    con = reader.connect(lake)
    try:
        return sorted(con.execute(sql).fetchall(), key=repr)
    finally:
        con.close()


def test_a_run_with_the_spark_engine_leaves_the_lake_a_duckdb_run_leaves(
    spark: SparkSession, trail: Path, tmp_path: Path
) -> None:
    by_duckdb, by_spark = run_on("duckdb", tmp_path, trail), run_on("spark", tmp_path, trail)
    for sql in COMPARED:
        assert rows(by_spark, sql) == rows(by_duckdb, sql), sql
    assert rows(by_duckdb, "SELECT * FROM metric_points")
    # the engine is part of each model's run digest: every model was computed by Spark
    digests = "SELECT model, digest FROM model_state"
    assert not set(rows(by_spark, digests)) & set(rows(by_duckdb, digests))
