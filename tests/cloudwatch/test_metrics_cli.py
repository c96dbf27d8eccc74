"""`ctlake metrics list|show|test|import`, in process: data on stdout, counts and errors on
stderr, one line per problem."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ctlake.cli import app as app_module
from ctlake.config import load
from ctlake.ingest import ingest
from ctlake.lake import Lake
from ctlake.models import refresh
from tests.cloudwatch.test_metrics_model import records
from tests.conftest import WriteFile, lake_of

FIXTURE = Path(__file__).parent / "fixtures" / "describe-metric-filters.json"


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str


_capture: list[tuple[pytest.MonkeyPatch, pytest.CaptureFixture[str]]] = []


@pytest.fixture(autouse=True)
def _through_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    """`run` goes through `main()`, the boundary that turns errors into a line and a code."""
    monkeypatch.delenv("CTLAKE_LAKE", raising=False)
    _capture.append((monkeypatch, capsys))
    yield
    _capture.pop()


def run(lake: Lake, *args: str) -> Result:
    """`ctlake --lake LAKE ARGS...` as a user runs it: exit code, stdout, stderr."""
    monkeypatch, capsys = _capture[-1]
    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["ctlake", "--lake", str(lake.root), *args])
    with pytest.raises(SystemExit) as stop:
        app_module.main()
    captured = capsys.readouterr()
    return Result(int(stop.value.code or 0), captured.out, captured.err)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """The model's fixture records, the fixture's filters imported, refreshed (the tests
    only read it)."""
    from ctlake.cloudwatch.metrics.importing import import_filters

    lake = lake_of(tmp_path_factory.mktemp("metrics"), records())
    assert len(import_filters(lake.root, FIXTURE).added) == 3
    refresh(lake)
    return lake


def rows(result: Result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_import_writes_the_filters_and_keeps_the_file(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    path = lake.root / "ctlake.toml"
    path.write_text("# my settings\n[schedule]\nevery = '10m'  # hourly is too slow\n")
    result = run(lake, "metrics", "import", str(FIXTURE))
    assert result.exit_code == 0, result.stderr
    assert "imported 3 metric filter(s)" in result.stderr
    text = path.read_text()
    assert text.startswith("# my settings\n[schedule]\nevery = '10m'  # hourly is too slow\n")
    config = load(lake.root)
    assert config.schedule.every.total_seconds() == 600
    seconds = config.metrics.filters[1]
    assert seconds.name == "AssumeRoleDuration"
    assert seconds.value == "$.requestParameters.durationSeconds"
    assert seconds.unit == "Seconds" and seconds.log_group == "CloudTrail/DefaultLogGroup"
    assert config.metrics.filters[0].default_value == 0.0
    assert config.metrics.filters[2].dimensions == {"EventName": "$.eventName"}
    again = run(lake, "metrics", "import", str(FIXTURE))
    assert again.exit_code == 0 and "imported 0 metric filter(s)" in again.stderr
    assert "3 already there" in again.stderr and path.read_text() == text


def describe(*filters: dict[str, Any]) -> dict[str, Any]:
    return {"metricFilters": list(filters)}


def good(name: str = "F", **transform: Any) -> dict[str, Any]:
    metric = {"metricName": "M", "metricNamespace": "N", "metricValue": "1", **transform}
    return {"filterName": name, "filterPattern": "", "metricTransformations": [metric]}


def test_bad_definitions_are_one_line_each_and_nothing_is_written(
    lake: Lake, tmp_path: Path, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    source = tmp_path / "filters.json"
    broken_pattern = dict(good("Broken"), filterPattern="{ $.eventName = ")
    source.write_text(
        json.dumps(
            describe(
                good("Fine"),
                good("Units", unit="Widgets"),
                broken_pattern,
                good("Value", metricValue="lots"),
                {"filterName": "Two", "metricTransformations": []},
            )
        )
    )
    result = run(lake, "metrics", "import", str(source))
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(f"{source}: metricFilters[1].metricTransformations[0].unit ")
    assert "(filter 'Units'): expected one of Seconds" in lines[0]
    assert f"{source}: metricFilters[2].filterPattern (filter 'Broken'): " in lines[1]
    assert "metricFilters[3].metricTransformations[0].metricValue (filter 'Value')" in lines[2]
    assert "metricFilters[4].metricTransformations (filter 'Two'): expected a list" in lines[3]
    assert lines[4] == f"error: {source}: 4 bad definition(s): nothing was imported"
    assert not (lake.root / "ctlake.toml").exists()


def test_import_refuses_a_filter_defined_otherwise_and_other_json(
    lake: Lake, tmp_path: Path, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    source = tmp_path / "filters.json"
    source.write_text(json.dumps(describe(good("F"))))
    assert run(lake, "metrics", "import", str(source)).exit_code == 0
    source.write_text(json.dumps(describe(good("F", metricValue="2"))))
    result = run(lake, "metrics", "import", str(source))
    assert result.exit_code == 3
    assert "filter 'F' is already in ctlake.toml with another definition" in result.stderr
    source.write_text(json.dumps({"logGroups": []}))
    result = run(lake, "metrics", "import", str(source))
    assert result.exit_code == 3 and "describe-metric-filters" in result.stderr


def test_list_shows_each_filter_and_what_the_lake_holds(imported: Lake) -> None:
    listed = rows(run(imported, "metrics", "list", "-f", "csv"))
    assert [(r["filter"], r["metric"], r["datapoints"], r["dimension_sets"]) for r in listed] == [
        ("ConsoleSignInFailures", "CloudTrailMetrics/ConsoleSigninFailureCount", "5", "1"),
        ("AssumeRoleDuration", "CloudTrailMetrics/SessionSeconds", "2", "1"),
        ("IamCallsByName", "CloudTrailMetrics/IamCalls", "1", "1"),
    ]
    assert listed[0]["first_minute"] == "2024-05-01 12:00:00"
    assert listed[0]["last_minute"] == "2024-05-01 12:04:00"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # failures per minute 2, 0 (default), 1, -, 0 (default)
        (
            ["--period", "1m"],
            [("12:00", "2.0"), ("12:01", "0.0"), ("12:02", "1.0"), ("12:04", "0.0")],
        ),
        (["--period", "5m"], [("12:00", "3.0")]),
        (["--period", "5m", "--statistic", "SampleCount"], [("12:00", "5.0")]),
        (["--period", "5m", "--statistic", "average"], [("12:00", "0.6")]),
        (["--period", "5m", "--statistic", "Maximum"], [("12:00", "1.0")]),
        (["--period", "5m", "--statistic", "Minimum"], [("12:00", "0.0")]),
        (["--period", "5m", "--statistic", "p40"], [("12:00", "0.0")]),
        (["--period", "5m", "--statistic", "p60"], [("12:00", "1.0")]),
        # periods stay aligned to the epoch: 12:00-12:02 holds the minute 12:01 only
        (
            ["--period", "2m", "--since", "2024-05-01T12:01Z"],
            [("12:00", "0.0"), ("12:02", "1.0"), ("12:04", "0.0")],
        ),
        (["--period", "1m", "--until", "2024-05-01T12:01Z"], [("12:00", "2.0")]),
    ],
)
def test_show_gives_the_statistic_per_period_with_data(
    imported: Lake, args: list[str], expected: list[tuple[str, str]]
) -> None:
    metric = "CloudTrailMetrics/ConsoleSigninFailureCount"
    shown = rows(run(imported, "metrics", "show", metric, *args, "-f", "csv"))
    assert [(r["timestamp"][11:16], r["value"]) for r in shown] == expected


def test_show_a_percentile_of_a_field_value_and_a_dimension_set(imported: Lake) -> None:
    seconds = "CloudTrailMetrics/SessionSeconds"
    shown = rows(run(imported, "metrics", "show", seconds, "--period", "1h", "--statistic",
                     "p90", "-f", "csv"))  # fmt: skip
    assert [r["value"] for r in shown] == ["3600.0"]
    calls = "CloudTrailMetrics/IamCalls"
    shown = rows(run(imported, "metrics", "show", calls, "--dimension", "EventName=CreateUser",
                     "-f", "csv"))  # fmt: skip
    assert [(r["timestamp"], r["value"]) for r in shown] == [("2024-05-01 12:00:00", "1.0")]


def test_show_png_draws_the_chart(imported: Lake, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "chart.png"
    metric = "CloudTrailMetrics/ConsoleSigninFailureCount"
    result = run(imported, "metrics", "show", metric, "--period", "1m", "--png", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nope"], "metric 'Nope': expected NAMESPACE/NAME"),
        (["X/Y"], "metric X/Y is not in the lake nor in ctlake.toml; metrics of the configured"),
        (["CloudTrailMetrics/IamCalls"], "has no datapoints with dimensions (none); it has: "
         "EventName=CreateUser (give them with --dimension NAME=VALUE)"),
        (["CloudTrailMetrics/IamCalls", "--dimension", "EventName"], "expected NAME=VALUE"),
        (["CloudTrailMetrics/IamCalls", "--statistic", "median"], "--statistic 'median'"),
        (["CloudTrailMetrics/IamCalls", "--period", "90s"], "--period 0:01:30: expected whole"),
    ],
)  # fmt: skip
def test_show_errors_name_the_argument(imported: Lake, args: list[str], message: str) -> None:
    result = run(imported, "metrics", "show", *args)
    assert result.exit_code == 3
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_list_without_filters_says_how_to_add_them(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    result = run(lake, "metrics", "list")
    assert result.exit_code == 0 and result.stdout == ""
    assert "no [[metrics.filter]] in ctlake.toml" in result.stderr


def test_show_before_any_refresh_says_what_to_do(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    result = run(lake, "metrics", "show", "A/B")
    assert result.exit_code == 3 and "run `ctlake refresh`" in result.stderr


def test_test_counts_the_matches_and_shows_the_first(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    pattern = '{ $.eventName = "ConsoleLogin" }'
    result = run(lake, "metrics", "test", pattern, "--limit", "2", "-f", "csv")
    assert "metrics test: 4 of 8 events match" in result.stderr
    shown = rows(result)
    assert [(r["eventTime"], r["eventName"]) for r in shown] == [
        ("2024-05-01 12:00:05", "ConsoleLogin"),
        ("2024-05-01 12:00:40", "ConsoleLogin"),
    ]
    since = run(lake, "metrics", "test", pattern, "--since", "2024-05-01T12:02Z", "-f", "csv")
    assert "metrics test: 2 of 4 events match" in since.stderr
    assert [r["eventTime"] for r in rows(since)] == ["2024-05-01 12:02:01", "2024-05-01 12:04:00"]


def test_test_names_a_bad_pattern(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    result = run(lake, "metrics", "test", "{ $.eventName = ")
    assert result.exit_code == 3
    assert result.stderr.startswith("error: pattern '{ $.eventName = ': ")
