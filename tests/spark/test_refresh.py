"""`refresh --engine spark` gives the insight records, attributions and metric filters'
datapoints DuckDB gives: in a full build and in an incremental refresh after a second batch
with late and repeated deliveries, on the scenario of the incremental tests (a gap, call
bursts, an error burst)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from ctlake.lake import Lake, reader
from ctlake.models import refresh
from tests.insights.test_incremental import RECORDS
from tests.insights.trail import Trail, day

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# what the rest of ctlake reads (series ids are each engine's own hash: left out)
COMPARED = {
    "insight_events": "SELECT * FROM insight_events",
    "insight_attributions": "SELECT * FROM insight_attributions",
    "minute_counts": "SELECT * FROM minute_counts",
    "insight_periods": "SELECT * EXCLUDE (series_id) FROM insight_periods",
    "metric_points": "SELECT * FROM metric_points",
}
# Metric filters of each kind the model compiles: a count with a default value, a count by
# a dimension, and a value read from the record.
FILTERS = """
[[metrics.filter]]
name = "AccessDenied"
pattern = '{ $.errorCode = "AccessDenied" }'
namespace = "Trail"
metric_name = "Denied"
value = "1"
default_value = 0

[[metrics.filter]]
name = "CallsBySource"
pattern = '{ $.eventName = "*" }'
namespace = "Trail"
metric_name = "Calls"
value = "1"
dimensions = { Source = "$.eventSource" }

[[metrics.filter]]
name = "Ssm"
pattern = '"ssm.amazonaws.com"'
namespace = "Trail"
metric_name = "SsmEventVersion"
value = "$.eventVersion"
"""
CUT = (day(2).replace(hour=5, minute=2)).strftime("%Y-%m-%dT%H:%M:%SZ")  # a burst going on

Snapshot = dict[str, list[tuple[Any, ...]]]


def two_batches() -> list[list[dict[str, Any]]]:
    """The records up to CUT, then the rest with every 7th earlier record delivered late
    and every 11th delivered again."""
    ordered = sorted(RECORDS, key=lambda r: r["eventTime"])
    first = [r for i, r in enumerate(ordered) if r["eventTime"] < CUT and i % 7]
    late = [r for i, r in enumerate(ordered) if r["eventTime"] < CUT and not i % 7]
    again = [r for i, r in enumerate(ordered) if r["eventTime"] < CUT and not i % 11]
    return [first, [r for r in ordered if r["eventTime"] >= CUT] + late + again]


def snapshot(lake: Lake) -> Snapshot:
    con = reader.connect(lake)
    try:
        return {
            name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in COMPARED.items()
        }
    finally:
        con.close()


def steps(folder: Path, engine: str) -> list[Snapshot]:
    """Ingest each batch and refresh on `engine`: the tables after each refresh."""
    lake = Lake(folder / "lake")
    taken = []
    (folder / "lake").mkdir()
    (folder / "lake" / "ctlake.toml").write_text(FILTERS)
    for number, records in enumerate(two_batches()):
        Trail().ingest_records(lake, folder / "in", f"b{number}.json", records)
        refresh(lake, engine=engine)
        taken.append(snapshot(lake))
    return taken


@pytest.fixture(scope="module")
def both(spark: SparkSession, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return {e: steps(tmp_path_factory.mktemp(e), e) for e in ("duckdb", "spark")}


def test_a_full_build_on_spark_gives_duckdbs_insights(both: dict[str, Any]) -> None:
    duckdb_first, spark_first = both["duckdb"][0], both["spark"][0]
    assert duckdb_first["insight_events"]  # the first batch already holds insights
    assert {row[1] for row in duckdb_first["metric_points"]} == {
        "Denied",
        "Calls",
        "SsmEventVersion",
    }
    assert spark_first == duckdb_first


def test_an_incremental_refresh_on_spark_gives_duckdbs_insights(both: dict[str, Any]) -> None:
    duckdb_last, spark_last = both["duckdb"][1], both["spark"][1]
    assert len(duckdb_last["insight_events"]) > len(both["duckdb"][0]["insight_events"])
    assert spark_last == duckdb_last
