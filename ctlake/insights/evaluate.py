"""Insights found versus anomalies labelled: the scoring shared by `ctlake demo` and
`bench/detect.py`.

A labelled anomaly (from a generated trail's `labels.json`) is found by an insight when
both are about the same series — account, region, eventSource, eventName, the same
insightType and, for error rate, the same errorCode — and the insight's period overlaps the
label's window widened by `tolerance` on each side. An insight on the same API and time
but of the other type (a burst of AccessDenied CreateUser calls is also a burst of
CreateUser calls) does not count as finding the label, but is explained by it, so it is not
counted as a false insight either. Every insight no label explains is unlabelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import orjson

from ctlake.errors import BadInputError
from ctlake.resources import read_sql

TOLERANCE = timedelta(minutes=5)
CALL_RATE, ERROR_RATE = "ApiCallRateInsight", "ApiErrorRateInsight"
ALIASES = {"Gap": "ApiCallGapInsight"}  # the generator's short name for the gap extension


@dataclass(frozen=True)
class Label:
    """One injected anomaly, as labels.json describes it."""

    id: str
    description: str
    insight_type: str
    account: str
    region: str
    source: str
    name: str
    error_code: str | None
    start: datetime
    end: datetime
    actor: str | None
    baseline_rate: float | None = None  # per minute, as the generator measured it
    average_rate: float | None = None

    @property
    def ratio(self) -> float | None:
        """Average over baseline rate from the label itself, if it carries them."""
        if self.baseline_rate is None or self.average_rate is None:
            return None
        return self.average_rate / self.baseline_rate if self.baseline_rate > 0 else float("inf")

    @classmethod
    def from_dict(cls, item: dict[str, Any]) -> Label:
        try:
            error_code = item.get("errorCode") or None
            kind = item.get("insightType") or (ERROR_RATE if error_code else CALL_RATE)
            kind = ALIASES.get(kind, kind)
            return cls(
                id=str(item["id"]),
                description=str(item.get("description", "")),
                insight_type=kind,
                account=str(item["accountId"]),
                region=str(item["awsRegion"]),
                source=str(item["eventSource"]),
                name=str(item["eventName"]),
                error_code=error_code if kind == ERROR_RATE else None,
                start=parse_time(item["start"]),
                end=parse_time(item["end"]),
                actor=item.get("actorArn"),
                baseline_rate=_optional_float(item.get("baselinePerMinute")),
                average_rate=_optional_float(item.get("averagePerMinute")),
            )
        except (KeyError, ValueError) as exc:
            raise BadInputError(f"labels.json: anomaly {item.get('id')!r}: {exc}") from None


@dataclass(frozen=True)
class Found:
    """One insight the models produced (a Start/End pair)."""

    shared_id: str
    insight_type: str
    account: str
    region: str
    source: str
    name: str
    error_code: str | None
    start: datetime
    end: datetime
    baseline: float
    average: float
    top_actor: str | None
    ongoing: bool = False  # no End record yet (an open gap): `end` is then the last minute


@dataclass
class Match:
    label: Label
    insights: list[Found] = field(default_factory=list)  # of the label's type: it was found
    related: list[Found] = field(default_factory=list)  # the other type, same API and time

    @property
    def found(self) -> bool:
        return bool(self.insights)

    @property
    def first(self) -> Found | None:
        return min(self.insights, key=lambda f: f.start) if self.insights else None

    def start_error_minutes(self) -> float | None:
        """Minutes between the label's start and the earliest insight's start."""
        first = self.first
        return (
            None if first is None else abs((first.start - self.label.start) / timedelta(minutes=1))
        )

    def top_actor_ok(self) -> bool | None:
        """Whether the earliest insight's top userIdentityArn is the injected actor."""
        first = self.first
        if first is None or self.label.actor is None:
            return None
        return first.top_actor == self.label.actor


@dataclass
class Evaluation:
    matches: list[Match]
    unlabelled: list[Found]

    @property
    def missed(self) -> list[Label]:
        return [m.label for m in self.matches if not m.found]


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def parse_time(value: str | datetime) -> datetime:
    """A label time (ISO 8601, `Z` or offset) as a naive UTC datetime."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def load_labels(path: Path) -> tuple[list[Label], list[dict[str, Any]]]:
    """The labelled anomalies and the normal patterns of a generated trail."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise BadInputError(f"{path}: cannot read the labels: {exc}") from None
    anomalies = [Label.from_dict(item) for item in data.get("anomalies", [])]
    return anomalies, list(data.get("normal_patterns", []))


def load_insights(con: duckdb.DuckDBPyConnection) -> list[Found]:
    """Every insight of the lake `con` reads (see `ctlake.lake.reader.connect`)."""
    rows = con.execute(read_sql(__file__, "insights_found")).fetchall()
    return [
        Found(
            shared_id=r[0],
            insight_type=r[1],
            account=r[2],
            region=r[3],
            source=r[4],
            name=r[5],
            error_code=r[6],
            start=r[7],
            end=r[8] or max(r[12] or r[7], r[7]) + timedelta(minutes=1),
            baseline=float(r[9] or 0.0),
            average=float(r[10] or 0.0),
            top_actor=r[11],
            ongoing=r[8] is None,
        )
        for r in rows
    ]


def same_api(label: Label, insight: Found) -> bool:
    return (label.account, label.region, label.source, label.name) == (
        insight.account,
        insight.region,
        insight.source,
        insight.name,
    )


def overlaps(label: Label, insight: Found, tolerance: timedelta = TOLERANCE) -> bool:
    return insight.start < label.end + tolerance and insight.end > label.start - tolerance


def finds(label: Label, insight: Found, tolerance: timedelta = TOLERANCE) -> bool:
    """Whether `insight` is the insight `label` asks for."""
    if not (same_api(label, insight) and overlaps(label, insight, tolerance)):
        return False
    if insight.insight_type != label.insight_type:
        return False
    return label.insight_type != ERROR_RATE or insight.error_code == label.error_code


def evaluate(
    labels: Iterable[Label], insights: Iterable[Found], tolerance: timedelta = TOLERANCE
) -> Evaluation:
    """Pair each label with the insights that find it; list the insights nothing explains."""
    found = list(insights)
    matches: list[Match] = []
    explained: set[str] = set()
    for label in labels:
        match = Match(label)
        for insight in found:
            if finds(label, insight, tolerance):
                match.insights.append(insight)
            elif same_api(label, insight) and overlaps(label, insight, tolerance):
                match.related.append(insight)
            else:
                continue
            explained.add(insight.shared_id)
        matches.append(match)
    unlabelled = [insight for insight in found if insight.shared_id not in explained]
    return Evaluation(matches, unlabelled)
