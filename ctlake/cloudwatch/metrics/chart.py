"""`ctlake metrics show --png FILE`: one metric's statistic per period, drawn as CloudWatch's
console draws a metric (a line through the periods with data, points marked). matplotlib
is imported only here, when a chart is asked for, so the command line starts fast."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from ctlake.errors import BadInputError


def png(
    title: str, label: str, rows: list[tuple[datetime, float]], period: timedelta, path: Path
) -> None:
    """Draw `rows` (period start, value) into a PNG file at `path`, a period of margin on
    either side (a single period would otherwise leave the axis without a scale)."""
    try:
        from matplotlib import dates
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise BadInputError(
            "--png needs matplotlib, an optional dependency: pip install 'ctlake[charts]'"
        ) from None
    if not rows:
        raise BadInputError(f"--png {path}: the metric has no datapoints in this range to draw")
    figure = Figure(figsize=(10, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    xs = dates.date2num([row[0] for row in rows])
    ax.plot(xs, [row[1] for row in rows], marker=".", color="tab:blue", lw=1.2, label=label)
    ax.set_xlim(dates.date2num([rows[0][0] - period, rows[-1][0] + period]))
    ax.xaxis_date()
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(label)
    ax.set_xlabel(f"UTC, from {rows[0][0]:%Y-%m-%d %H:%M}")
    ax.xaxis.set_major_formatter(dates.DateFormatter("%m-%d %H:%M"))
    ax.set_ylim(bottom=min(0.0, min(row[1] for row in rows)))
    ax.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(str(path), format="png")
