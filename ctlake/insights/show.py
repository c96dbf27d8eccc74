"""`ctlake insights show ID`: one insight as the console's detail page shows it.

`detail(con, id)` finds the insight by either record's eventID or the pair's sharedEventID
and returns the lines of plain text the CLI prints: the statistics (baseline and insight
averages, their ratio, the durations), the Attributions tab (for each attribute the top
values with insight average, baseline average and their share of the total, then the
baseline's own top values), the CloudTrail events tab (the series' events in the insight
period: how many, and the first few) and the Insights graph. `chart_for` gives the graph's
data for a PNG too. An unknown ID is a `BadInputError`: one line, exit code BAD_INPUT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb

from ctlake.errors import BadInputError
from ctlake.insights import chart
from ctlake.insights.query import require_insight_tables
from ctlake.resources import read_sql

ATTRIBUTES = {
    "userIdentityArn": "user identity ARNs",
    "userAgent": "user agents",
    "errorCode": "error codes",
}
SAMPLE = 10
AGENT_WIDTH = 40


@dataclass(frozen=True)
class Insight:
    """One insight (a Start record and, once it ended, its End)."""

    shared_id: str
    insight_type: str
    account: str
    region: str
    source: str
    name: str
    error_code: str | None
    start: datetime
    end: datetime
    ended: bool
    baseline: float
    first_minute: float  # the Start record's insight average
    average: float  # the End record's (the mean over the period), else the Start's
    baseline_minutes: int
    minutes: int
    record_ids: list[tuple[str, str, datetime]]  # (state, eventID, eventTime)

    @property
    def unit(self) -> str:
        return "errors" if self.insight_type == "ApiErrorRateInsight" else "calls"


def find(con: duckdb.DuckDBPyConnection, ident: str) -> Insight:
    """The insight whose record eventID or sharedEventID is `ident`."""
    require_insight_tables(con)
    cursor = con.execute(read_sql(__file__, "find_insight"), {"id": ident})
    names = [col[0] for col in cursor.description or []]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if not rows:
        raise BadInputError(f"no insight with eventID or sharedEventID {ident!r}")
    first, last = rows[0], rows[-1]
    ended = any(r["state"] == "End" for r in rows)
    minutes = int(last["insightDuration"] or 0)
    end = last["insightEnd"] or first["insightStart"] + timedelta(minutes=max(minutes, 1))
    return Insight(
        shared_id=first["sharedEventID"],
        insight_type=first["insightType"],
        account=first["recipientAccountId"],
        region=first["awsRegion"],
        source=first["eventSource"],
        name=first["eventName"],
        error_code=first["errorCode"],
        start=first["insightStart"],
        end=end,
        ended=ended,
        baseline=float(first["baselineAverage"] or 0.0),
        first_minute=float(first["insightAverage"] or 0.0),
        average=float(last["insightAverage"] or 0.0),
        baseline_minutes=int(first["baselineDuration"] or 0),
        minutes=minutes,
        record_ids=[(r["state"], r["eventID"], r["eventTime"]) for r in rows],
    )


def detail(con: duckdb.DuckDBPyConnection, ident: str, width: int = 72) -> list[str]:
    """Every section of the detail view, as lines of text."""
    insight = find(con, ident)
    return [
        *statistics(insight),
        "",
        *attributions(con, insight),
        *related_events(con, insight),
        "",
        *chart.terminal(chart_for(con, insight), width=width),
    ]


def statistics(insight: Insight) -> list[str]:
    unit = insight.unit
    api = f"{insight.source} {insight.name}"
    if insight.error_code:
        api += f" ({insight.error_code})"
    lines = [
        f"{insight.insight_type}  {api}",
        f"  sharedEventID     {insight.shared_id}",
        f"  account, region   {insight.account} {insight.region}",
    ]
    for state, event_id, when in insight.record_ids:
        lines.append(f"  {state + ' record':<17} {_time(when)}  eventID {event_id}")
    if not insight.ended:
        lines.append("  End record        none yet: the unusual activity is still going on")
    days = insight.baseline_minutes / 1440
    lines += [
        f"  insight period    {_time(insight.start)} to {_time(insight.end)} "
        f"({insight.minutes} minutes)",
        f"  baseline average  {_num(insight.baseline)} {unit} per minute over "
        f"{insight.baseline_minutes} minutes ({days:.1f} days)",
        f"  insight average   {_num(insight.average)} {unit} per minute "
        f"(first minute: {_num(insight.first_minute)})",
        f"  ratio             {_ratio(insight.average, insight.baseline)}",
    ]
    return lines


def attributions(con: duckdb.DuckDBPyConnection, insight: Insight) -> list[str]:
    """The Attributions tab: per attribute, the insight's top values beside their baseline
    averages, then the baseline's own top values."""
    rows = con.execute(read_sql(__file__, "attributions"), {"shared_id": insight.shared_id})
    found: dict[tuple[str, str], list[tuple[int, str, float]]] = {}
    for attribute, scope, rank, value, average in rows.fetchall():
        found.setdefault((attribute, scope), []).append((rank, value, float(average)))
    lines: list[str] = []
    for attribute, title in ATTRIBUTES.items():
        during = found.get((attribute, "insight"), [])
        before = found.get((attribute, "baseline"), [])
        if not during and not before:
            continue
        lines += _attribution_tables(title, during, before)
    return lines or ["No attributions recorded for this insight.", ""]


def _attribution_tables(
    title: str, during: list[tuple[int, str, float]], before: list[tuple[int, str, float]]
) -> list[str]:
    baseline_of = {value: average for _, value, average in before}
    total_in = sum(average for _, _, average in during) or 1.0
    total_base = sum(baseline_of.values()) or 1.0
    top = [
        (
            _value(value),
            _share(average, total_in),
            _share(baseline_of[value], total_base) if value in baseline_of else "-",
        )
        for _, value, average in during
    ]
    baseline_rows = [(_value(v), _share(a, total_base)) for _, v, a in before]
    top = top or [("(none in the insight period)", "-", "-")]
    baseline_rows = baseline_rows or [("(none in the baseline)", "-")]
    return [
        f"Top {title}",
        *text_table(("Value", "Insight average", "Baseline average"), top),
        "",
        f"Top baseline {title}",
        *text_table(("Value", "Baseline average"), baseline_rows),
        "",
    ]


def related_events(con: duckdb.DuckDBPyConnection, insight: Insight) -> list[str]:
    """The CloudTrail events tab: the series' events during the insight period."""
    params = _series_params(insight) | {
        "start": insight.start,
        "end": insight.end,
        "sample": SAMPLE,
    }
    rows = con.execute(read_sql(__file__, "related_events"), params).fetchall()
    total = int(rows[0][-1]) if rows else 0
    what = f"{insight.source} {insight.name}" + (
        f" {insight.error_code} errors" if insight.error_code else " calls"
    )
    head = f"Related events: {total} {what} in the insight period"
    if total > len(rows):
        head += f"; the first {len(rows)}"
    headers = ("eventTime", "userIdentityArn", "userAgent", "errorCode", "sourceIP", "eventID")
    sample = [(*row[:2], _clip(row[2]), *row[3:-1]) for row in rows]
    return [head + ":", *text_table(headers, sample)] if rows else [head + "."]


def chart_for(con: duckdb.DuckDBPyConnection, insight: Insight) -> chart.Chart:
    """The Insights graph's data: the series around the insight, baseline and band."""
    first, last = chart.window(insight.start, insight.end)
    kind = "errors" if insight.unit == "errors" else "calls"
    main = _series(con, insight, kind, first, last)
    other = _series(con, insight, "calls", first, last) if kind == "errors" else None
    if other is not None and not any(other.counts):
        other = None
    title = f"{insight.insight_type} {insight.source} {insight.name}"
    if insight.error_code:
        title += f" {insight.error_code}"
    return chart.Chart(
        title=f"{title} ({insight.account} {insight.region})",
        unit=insight.unit,
        series=main,
        baseline=insight.baseline,
        band_start=insight.start,
        band_end=insight.end,
        other=other,
    )


def _series(
    con: duckdb.DuckDBPyConnection, insight: Insight, kind: str, first: datetime, last: datetime
) -> chart.Series:
    params = _series_params(insight) | {"series_type": kind, "start": first, "end": last}
    if kind == "calls":
        params["error_code"] = None
    rows = con.execute(read_sql(__file__, "series_minutes"), params).fetchall()
    label = f"{insight.name} calls" if kind == "calls" else f"{insight.name} {insight.error_code}"
    return chart.Series(label, [r[0] for r in rows], [int(r[1]) for r in rows])


def _series_params(insight: Insight) -> dict[str, Any]:
    return {
        "account": insight.account,
        "region": insight.region,
        "source": insight.source,
        "name": insight.name,
        "error_code": insight.error_code,
    }


def text_table(headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    """Plain left-aligned columns, never truncated (an ID must stay whole to be copied)."""
    cells = [tuple("" if v is None else str(v) for v in row) for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    return [
        "  " + "  ".join(text.ljust(widths[i]) for i, text in enumerate(row)).rstrip()
        for row in [headers, *cells]
    ]


def _clip(text: str | None, width: int = AGENT_WIDTH) -> str | None:
    """A long user agent cut to `width` characters (the full text is in the event)."""
    return text if text is None or len(text) <= width else text[: width - 1] + "…"


def _value(value: str) -> str:
    return "None" if value == "null" else value


def _share(average: float, total: float) -> str:
    return f"{_num(average)} ({average / total * 100:.1f}%)"


def _ratio(average: float, baseline: float) -> str:
    if baseline <= 0:
        return "no baseline activity (new API or error)"
    return f"{average / baseline:,.1f}x the baseline"


def _num(value: float) -> str:
    return f"{value:.4g}"


def _time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")
