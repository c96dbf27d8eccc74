"""The Insights graph: an API's per-minute rate around an insight, with the baseline average
as a line and the insight period as a band, as the CloudTrail console draws it.

Two renderings of one `Chart`: `terminal(chart)` gives plain Unicode lines (block elements
with eighth-height tops, no colour, so it reads the same in any terminal, pager or log) and
`png(chart, path)` draws it with matplotlib. matplotlib is imported only inside `png`, so
the CLI starts fast. A terminal column covers one minute, or when the window is wider than
the terminal several minutes, showing their peak so a one-minute burst is never averaged
away; the legend says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ctlake.errors import BadInputError

BLOCKS = " ▁▂▃▄▅▆▇█"
BASELINE = "─"
BAND = "▀"
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Series:
    label: str
    minutes: list[datetime]
    counts: list[int]


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str  # 'calls' or 'errors': the y axis reads "<unit> per minute"
    series: Series
    baseline: float
    band_start: datetime
    band_end: datetime  # exclusive
    other: Series | None = None  # error rate: the API's calls, drawn beside the errors


def window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The span to draw around an insight [start, end): the insight with an hour (or the
    insight's length, up to 12 hours) either side, on whole minutes."""
    pad = min(max(timedelta(hours=1), end - start), timedelta(hours=12))
    first = (start - pad).replace(second=0, microsecond=0)
    return first, end + pad


def terminal(chart: Chart, width: int = 72, height: int = 8) -> list[str]:
    """The chart as lines of text: bars, baseline, band marker, time axis and legend."""
    values, starts, step = _columns(chart.series, width)
    top = max([*values, chart.baseline, 1e-9])
    base_row = min(height - 1, int(chart.baseline / top * height))
    labels = {height - 1: _num(top), base_row: _num(chart.baseline), 0: _num(0.0)}
    gutter = max(len(text) for text in labels.values())
    lines = [f"{chart.title}  ({chart.unit} per minute)"]
    for row in range(height - 1, -1, -1):
        cells = "".join(_cell(v / top * height, row, row == base_row) for v in values)
        lines.append(f"{labels.get(row, ''):>{gutter}} ┤{cells}")
    band = "".join(
        BAND if s < chart.band_end and s + step > chart.band_start else " " for s in starts
    )
    lines.append(" " * gutter + "  " + band.rstrip())
    end = chart.series.minutes[-1] + MINUTE if chart.series.minutes else chart.band_end
    lines.append(_axis(starts, step, end, gutter))
    lines.append(_legend(chart, step))
    return lines


def png(chart: Chart, path: Path) -> None:
    """Draw the chart into a PNG file at `path`."""
    try:
        from matplotlib import dates
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise BadInputError(
            "--png needs matplotlib, an optional dependency: pip install 'ctlake[charts]'"
        ) from None

    figure = Figure(figsize=(10, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    series = chart.series
    if chart.other is not None:  # drawn first, so the insight's own series stays on top
        other = chart.other
        xs = dates.date2num(other.minutes)
        ax.step(xs, other.counts, where="post", label=other.label, color="tab:gray", lw=2.5)
    xs = dates.date2num(series.minutes)
    ax.step(xs, series.counts, where="post", label=series.label, color="tab:blue", lw=1.2)
    ax.axhline(
        chart.baseline, linestyle="--", color="tab:green", label=f"baseline {chart.baseline:.4g}"
    )
    band = dates.date2num([chart.band_start, chart.band_end])
    ax.axvspan(band[0], band[1], color="tab:orange", alpha=0.25, label="insight")
    ax.xaxis_date()
    ax.set_title(chart.title, fontsize=10)
    ax.set_ylabel(f"{chart.unit} per minute")
    first = series.minutes[0] if series.minutes else chart.band_start
    short = chart.band_end - first < DAY
    ax.xaxis.set_major_formatter(dates.DateFormatter("%H:%M" if short else "%m-%d %H:%M"))
    ax.set_xlabel(f"UTC, from {first:%Y-%m-%d %H:%M}")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(str(path), format="png")


def _columns(series: Series, width: int) -> tuple[list[float], list[datetime], timedelta]:
    """Per-column values (peak of the minutes each covers) and each column's start."""
    count = len(series.minutes)
    per = max(1, math.ceil(count / max(width, 1)))
    values = [float(max(series.counts[i : i + per])) for i in range(0, count, per)]
    starts = [series.minutes[i] for i in range(0, count, per)]
    return values, starts, MINUTE * per


def _cell(level: float, row: int, baseline_row: bool) -> str:
    """The character for one column in one row, given the bar's height in rows."""
    fill = level - row
    if fill >= 1:
        return BLOCKS[-1]
    if fill > 0:
        eighths = max(1, round(fill * 8))
        return BLOCKS[eighths]
    return BASELINE if baseline_row else " "


def _axis(starts: list[datetime], step: timedelta, end: datetime, gutter: int) -> str:
    if not starts:
        return ""
    first = starts[0].strftime("%Y-%m-%d %H:%M")
    stop = min(starts[-1] + step, end)
    last = stop.strftime("%H:%M" if stop.date() == starts[0].date() else "%Y-%m-%d %H:%M")
    room = len(starts) - len(first) - len(last)
    return " " * (gutter + 2) + first + " " * max(room, 1) + last


def _legend(chart: Chart, step: timedelta) -> str:
    minutes = int(step / MINUTE)
    per = "" if minutes == 1 else f"; a column is {minutes} minutes, showing their peak"
    same_day = chart.band_end.date() == chart.band_start.date()
    band = f"{chart.band_start:%H:%M}-{chart.band_end:{'%H:%M' if same_day else '%m-%d %H:%M'}}"
    return f"{BASELINE} baseline average {_num(chart.baseline)}   {BAND} insight {band} UTC{per}"


def _num(value: float) -> str:
    if value == 0:
        return "0"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"
