"""The terminal Insights graph: bars, baseline line, insight band, and downsampling."""

from __future__ import annotations

from datetime import datetime, timedelta

from ctlake.insights.chart import Chart, Series, terminal, window

T0 = datetime(2024, 5, 1, 12, 0)
MINUTES = [T0 + timedelta(minutes=i) for i in range(10)]
CHART = Chart(
    title="CreateUser",
    unit="calls",
    series=Series("CreateUser", MINUTES, [0, 1, 0, 0, 8, 6, 0, 0, 1, 0]),
    baseline=1.0,
    band_start=T0 + timedelta(minutes=4),
    band_end=T0 + timedelta(minutes=6),
)


def test_one_column_a_minute_with_baseline_and_band() -> None:
    assert terminal(CHART, width=10, height=4) == [
        "CreateUser  (calls per minute)",
        "8 ┤    █     ",
        "  ┤    ██    ",
        "  ┤    ██    ",
        "0 ┤─▄──██──▄─",
        "       ▀▀",
        "   2024-05-01 12:00 12:10",
        "─ baseline average 1   ▀ insight 12:04-12:06 UTC",
    ]


def test_a_narrow_chart_shows_the_peak_of_the_minutes_a_column_covers() -> None:
    lines = terminal(CHART, width=5, height=4)
    assert lines[1] == "8 ┤  █  "
    assert lines[-1].endswith("a column is 2 minutes, showing their peak")


def test_the_window_pads_an_hour_either_side_of_a_short_insight() -> None:
    start, end = T0, T0 + timedelta(minutes=5)
    assert window(start, end) == (T0 - timedelta(hours=1), end + timedelta(hours=1))
