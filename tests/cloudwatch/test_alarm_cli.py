"""`ctlake alarms list|history` and the alarm line of `ctlake status`, on a lake `ctlake run`
built from a trail with three bursts of IAM policy changes."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctlake.batch.run import run_batch
from ctlake.cli.app import app
from ctlake.errors import BadInputError
from ctlake.lake import Lake
from tests.batch.conftest import write_config
from tests.cloudwatch.test_alarm_crash import sources, write_parts
from tests.insights.trail import Trail, day

QUIET = """
[[alarms.alarm]]
name = "NeverFires"
namespace = "CISBenchmark"
metric_name = "NoSuchMetric"
threshold = 1
comparison_operator = "GreaterThanThreshold"
"""


@pytest.fixture(scope="module")
def lake_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("alarm-cli")
    lake = Lake(folder / "lake")
    write_config(lake.root, sources(write_parts(folder)) + QUIET)
    run_batch(lake)
    return lake.root


def ctlake(lake_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--lake", str(lake_dir), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.stdout


def test_list_shows_each_alarm_state_since_and_reason(lake_dir: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ctlake(lake_dir, "alarms", "list", "-f", "csv"))))
    assert [r["name"] for r in rows] == ["IAMPolicyChanges", "NeverFires"]
    assert list(rows[0]) == ["name", "state", "since", "reason"]
    # the last burst is at 04:32; three empty periods later the alarm is OK again
    assert rows[0]["state"] == "OK" and rows[0]["since"] == "2024-05-01T04:50:00Z"
    # a metric with no datapoint, missing data treated as missing: INSUFFICIENT_DATA
    assert rows[1]["state"] == "INSUFFICIENT_DATA"


def test_history_lists_the_state_changes_in_order(lake_dir: Path) -> None:
    text = ctlake(lake_dir, "alarms", "history", "IAMPolicyChanges", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["timestamp", "old_state", "new_state", "reason"]
    changes = [(r["timestamp"][11:16], r["new_state"]) for r in rows]
    assert changes == [
        ("00:05", "OK"),
        ("01:05", "ALARM"),
        ("01:20", "OK"),
        ("03:05", "ALARM"),
        ("03:20", "OK"),
        ("04:35", "ALARM"),
        ("04:50", "OK"),
    ]
    assert rows[1]["reason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints [3 ")


def test_history_of_an_unknown_alarm_is_one_readable_line(lake_dir: Path) -> None:
    with pytest.raises(BadInputError, match=r"^no alarm 'Nope': `ctlake alarms list`"):
        ctlake(lake_dir, "alarms", "history", "Nope")


def test_status_counts_the_alarms_in_alarm(lake_dir: Path) -> None:
    assert "alarms: 0 in ALARM of 2\n" in ctlake(lake_dir, "status")


def test_status_names_the_alarms_in_alarm(tmp_path: Path) -> None:
    trail = Trail()
    # events up to 01:00: the period of the burst (00:55-01:00) is complete, evaluated
    trail.every(day(0), day(0) + timedelta(minutes=61), minutes=10, name="DescribeInstances")
    trail.burst(day(0) + timedelta(minutes=56), 2, source="iam.amazonaws.com", name="PutUserPolicy")
    trail.write(tmp_path / "trail" / "t.json", trail.records)
    lake = Lake(tmp_path / "lake")
    write_config(lake.root, sources([tmp_path / "trail"]))
    run_batch(lake)
    assert "alarms: 1 in ALARM of 1 (IAMPolicyChanges)\n" in ctlake(lake.root, "status")
    listed = ctlake(lake.root, "alarms", "list", "-f", "csv")
    assert "IAMPolicyChanges,ALARM,2024-05-01T01:00:00Z," in listed


def test_a_catalog_older_than_the_alarms_lists_them_unevaluated(tmp_path: Path) -> None:
    trail = Trail()
    trail.call(day(0))
    trail.write(tmp_path / "trail" / "t.json", trail.records)
    lake = Lake(tmp_path / "lake")
    write_config(lake.root, sources([tmp_path / "trail"]))
    run_batch(lake)
    with lake.catalog() as catalog:  # as a lake made before alarms existed
        catalog.execute("DROP TABLE alarm_state; DROP TABLE alarm_history")
    rows = list(csv.DictReader(io.StringIO(ctlake(lake.root, "alarms", "list", "-f", "csv"))))
    assert [(r["name"], r["state"], r["since"]) for r in rows] == [
        ("IAMPolicyChanges", "INSUFFICIENT_DATA", "")
    ]
    assert "alarms: 0 in ALARM of 1" in ctlake(lake.root, "status")
    with pytest.raises(BadInputError, match="has not been evaluated yet: run `ctlake run`"):
        ctlake(lake.root, "alarms", "history", "IAMPolicyChanges")
