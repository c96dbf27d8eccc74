"""`ctlake insights show ID`: the detail view, the graph, and unknown IDs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ctlake.cli import app as app_module
from ctlake.errors import BadInputError, ExitCode
from ctlake.lake import Lake
from tests.insights.conftest import CALL, ERROR, run


def test_show_prints_the_statistics_of_the_insight(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "show", CALL["shared"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:9] == [
        "ApiCallRateInsight  iam.amazonaws.com CreateUser",
        f"  sharedEventID     {CALL['shared']}",
        "  account, region   111122223333 us-east-1",
        f"  Start record      2024-05-01T12:00:00Z  eventID {CALL['start_id']}",
        f"  End record        2024-05-01T12:05:00Z  eventID {CALL['end_id']}",
        "  insight period    2024-05-01T12:00:00Z to 2024-05-01T12:05:00Z (5 minutes)",
        "  baseline average  0.05 calls per minute over 10080 minutes (7.0 days)",
        "  insight average   4 calls per minute (first minute: 4)",
        "  ratio             80.0x the baseline",
    ]


def test_show_prints_attributions_like_the_console(insight_lake: Lake) -> None:
    out = run(insight_lake, "insights", "show", CALL["shared"]).stdout
    block = out[out.index("Top user identity ARNs") :].split("\n\n")[0].splitlines()
    assert block == [
        "Top user identity ARNs",
        "  Value                                 Insight average  Baseline average",
        "  arn:aws:iam::111122223333:user/alice  3 (75.0%)        0.04 (80.0%)",
        "  arn:aws:iam::111122223333:user/bob    1 (25.0%)        -",
    ]
    assert "Top baseline user identity ARNs" in out
    assert "  None   4 (100.0%)       0.05 (100.0%)" in out  # errorCode "null" reads None


def test_show_lists_the_related_events_with_their_count(insight_lake: Lake) -> None:
    out = run(insight_lake, "insights", "show", CALL["start_id"]).stdout
    head = (
        "Related events: 20 iam.amazonaws.com CreateUser calls in the insight period; the first 10:"
    )
    assert head in out
    rows = out[out.index(head) :].split("\n\n")[0].splitlines()[2:]
    assert len(rows) == 10 and rows[0].startswith("  2024-05-01T12:00:00Z  arn:aws:iam::")


def test_show_draws_the_graph_with_baseline_and_insight_band(insight_lake: Lake) -> None:
    out = run(insight_lake, "insights", "show", CALL["end_id"]).stdout
    graph = out[out.index("ApiCallRateInsight iam.amazonaws.com CreateUser (") :].splitlines()
    assert graph[1].startswith("4 ┤") and "█" in graph[1]
    assert graph[8].startswith("0 ┤") and "─" in graph[8]
    assert "▀" in graph[9]
    assert graph[-1].startswith("─ baseline average 0.05   ▀ insight 12:00-12:05 UTC")


def test_png_writes_a_non_empty_image(insight_lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "graph.png"
    result = run(insight_lake, "insights", "show", ERROR["shared"], "--png", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 1000


def test_an_unknown_id_is_bad_input(insight_lake: Lake) -> None:
    result = run(insight_lake, "insights", "show", "no-such-id")
    assert isinstance(result.exception, BadInputError)


def test_an_unknown_id_prints_one_line_and_exits_bad_input(
    insight_lake: Lake, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["ctlake", "--lake", str(insight_lake.root), "insights", "show", "no-such-id"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as stop:
        app_module.main()
    assert stop.value.code == ExitCode.BAD_INPUT
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: no insight with eventID or sharedEventID 'no-such-id'\n"
