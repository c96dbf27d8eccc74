"""`ctlake refresh` and `ctlake models`, in process: progress on stderr, data on stdout."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from ctlake.cli.app import app
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import WriteFile, make_record


def test_refresh_reports_each_model_and_one_summary_line(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", [make_record(n) for n in range(3)]))])
    result = CliRunner().invoke(app, ["--lake", str(lake.root), "refresh"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("refresh: minute_counts (incremental) full:")
    assert lines[-1].startswith("refresh: 11 of 11 models refreshed (8 full, 3 rebuild) in ")


def test_models_lists_kind_dependencies_and_high_water_mark(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", [make_record(0)]))])
    CliRunner().invoke(app, ["--lake", str(lake.root), "refresh"])
    result = CliRunner().invoke(app, ["--lake", str(lake.root), "models", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    rows = {r["model"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["minute_counts"]["kind"] == "incremental"
    assert rows["minute_counts"]["depends_on"] == "events"
    assert rows["minute_counts"]["high_water"] == "2024-05-01 12:01:00"
    assert rows["insight_events"]["depends_on"] == "insight_attributions, insight_periods"
    assert rows["insight_events"]["description"] == "The CloudTrail Insights records."
    assert rows["account_history"]["rows"] == "1"  # a view: counted when listed


def test_models_works_before_the_first_refresh(tmp_path: object) -> None:
    result = CliRunner().invoke(app, ["--lake", f"{tmp_path}/none", "models", "-f", "csv"])
    assert result.exit_code == 0
    assert "minute_flags" in result.stdout
