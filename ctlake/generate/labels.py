"""`labels.json`: what was injected, what is normal, what is broken, and exact totals.

Contract (every key is always present; times are ISO 8601 UTC with a `Z`):

    generator        {seed, days, accounts, scale, regions, end, broken_files, version}
    window           {start, end}: the trail covers [start, end)
    accounts         [{accountId, homeRegion}]
    anomalies        [{id, description, insightType, accountId, awsRegion, eventSource,
                       eventName, errorCode, start, end, actorArn, userAgent,
                       baselinePerMinute, peakPerMinute, averagePerMinute, calls}]
    normal_patterns  [{id, kind, description, accountId, awsRegion, eventSource, eventName,
                       daily_at, every_minutes, start, end, calls}]
    broken           [{path, kind}]: path relative to the output folder
    totals           {files, digest_files, records_written, unique_events,
                      duplicate_deliveries, bad_records, bad_files}

Anomalies: `insightType` is ApiCallRateInsight, ApiErrorRateInsight or Gap; `errorCode`
is set for error-rate anomalies only, else null. `start`/`end` are minute precision, end
exclusive. Rates are measured on the records written, per minute, for the anomaly's
series — call rate and Gap: writes (readOnly false) of the eventSource/eventName in that
account and region, by anyone; error rate: calls failing with that errorCode.
`baselinePerMinute` averages the 10,080 minutes before `start` (fewer whole days when the
trail is shorter), `peakPerMinute` is the busiest minute in [start, end),
`averagePerMinute` the mean over it and `calls` the series' events in it.

Totals, exactly:
- files: log files under CloudTrail/ (readable and broken), digest files excluded;
- digest_files: files under CloudTrail-Digest/, which a loader skips;
- bad_files: files no loader can read (truncated gzip, invalid JSON, not CloudTrail);
- records_written: items in the Records arrays of the readable log files, counting
  duplicate deliveries and bad records;
- unique_events: distinct eventIDs among the valid records (each event once);
- duplicate_deliveries: extra copies of an already delivered event (same eventID);
- bad_records: items that are not valid records (no eventID, bad eventTime, not an object).
So records_written == unique_events + duplicate_deliveries + bad_records, always.
"""

from __future__ import annotations

from typing import Any

from ctlake.generate.anomalies import ERROR_RATE, NIGHTLY_AT, RARE_KIND, Anomaly, Stream
from ctlake.generate.apis import API
from ctlake.generate.ids import DAY, HOUR, MINUTE, iso, iso_minute
from ctlake.generate.principals import actors_for
from ctlake.generate.stream import Series, StreamResult
from ctlake.generate.traffic import NIGHTLY_CALLS
from ctlake.generate.workload import UTC_OFFSET

VERSION = 1
TOTALS = (
    "files",
    "digest_files",
    "records_written",
    "unique_events",
    "duplicate_deliveries",
    "bad_records",
    "bad_files",
)


def series_of(anomaly: Anomaly) -> Series:
    api, error = API[anomaly.kind.api_key], anomaly.kind.error
    if anomaly.kind.insight_type == ERROR_RATE and error is not None and error.code:
        return ("error", api.source, api.name, error.code)
    return ("rate", api.source, api.name)


def anomaly_label(anomaly: Anomaly, counts: dict[int, int], t0: int) -> dict[str, Any]:
    kind, stream = anomaly.kind, anomaly.stream
    api, actor = API[kind.api_key], actors_for(stream.account, stream.region)[kind.actor_key]
    days = min(7, (anomaly.start - t0) // DAY)
    base_from = anomaly.start - days * DAY if days else t0
    first, last = anomaly.start // MINUTE, anomaly.end // MINUTE
    base = sum(c for m, c in counts.items() if base_from // MINUTE <= m < first)
    window = [counts.get(m, 0) for m in range(first, last)]
    error_code = series_of(anomaly)[3] if kind.insight_type == ERROR_RATE else None
    return {
        "id": kind.id,
        "description": kind.description,
        "insightType": kind.insight_type,
        "accountId": stream.account,
        "awsRegion": stream.region,
        "eventSource": api.source,
        "eventName": api.name,
        "errorCode": error_code,
        "start": iso_minute(anomaly.start),
        "end": iso_minute(anomaly.end),
        "actorArn": actor.arn,
        "userAgent": kind.agent or actor.agents[0],
        "baselinePerMinute": round(base / max(1, first - base_from // MINUTE), 5),
        "peakPerMinute": max(window, default=0),
        "averagePerMinute": round(sum(window) / max(1, len(window)), 5),
        "calls": sum(window),
    }


def normal_patterns(streams: list[Stream], gap: Anomaly, rare: Anomaly) -> list[dict[str, Any]]:
    out = [
        _pattern(
            rare.stream,
            RARE_KIND.id,
            "rare",
            RARE_KIND.description,
            RARE_KIND.api_key,
            start=iso_minute(rare.start),
            end=iso_minute(rare.end),
            calls=3,
        )
    ]
    for s in streams:
        offset = UTC_OFFSET.get(s.region, 0)
        out.append(
            _pattern(
                s,
                f"nightly-createtags-{s.account}-{s.region}",
                "daily",
                f"The nightly tagger's {NIGHTLY_CALLS} ec2 CreateTags calls at 02:00 UTC, "
                "every day",
                "ec2:CreateTags",
                daily_at=f"{NIGHTLY_AT // HOUR:02d}:00",
                calls=NIGHTLY_CALLS,
            )
        )
        out.append(
            _pattern(
                s,
                f"business-hours-{s.account}-{s.region}",
                "rhythm",
                f"People work 08:00-18:00 local time (UTC{offset:+d}) on weekdays: ssm "
                "StartSession and most other human calls follow that rhythm",
                "ssm:StartSession",
            )
        )
        if s != gap.stream:
            out.append(
                _pattern(
                    s,
                    f"backup-every-15-minutes-{s.account}-{s.region}",
                    "periodic",
                    "AWS Backup's ec2 CreateSnapshot every 15 minutes, all along",
                    "ec2:CreateSnapshot",
                    every_minutes=15,
                )
            )
    return out


def _pattern(
    stream: Stream, id_: str, kind: str, description: str, api_key: str, **fields: Any
) -> dict[str, Any]:
    api = API[api_key]
    return {
        "id": id_,
        "kind": kind,
        "description": description,
        "accountId": stream.account,
        "awsRegion": stream.region,
        "eventSource": api.source,
        "eventName": api.name,
        "daily_at": fields.get("daily_at"),
        "every_minutes": fields.get("every_minutes"),
        "start": fields.get("start"),
        "end": fields.get("end"),
        "calls": fields.get("calls"),
    }


def totals(results: list[StreamResult]) -> dict[str, int]:
    return {name: sum(int(getattr(r, name)) for r in results) for name in TOTALS}


def build_labels(
    generator: dict[str, Any],
    window: tuple[int, int],
    streams: list[Stream],
    placed: tuple[list[Anomaly], Anomaly, Anomaly],
    results: list[StreamResult],
) -> dict[str, Any]:
    anomalies, gap, rare = placed
    by_stream = {r.stream.index: r for r in results}
    labels = [
        anomaly_label(a, by_stream[a.stream.index].counts[series_of(a)], window[0])
        for a in (*anomalies, gap)
    ]
    hours = (gap.end - gap.start) // HOUR
    labels[-1]["description"] = f"{gap.kind.description} ({hours} hours)"
    return {
        "generator": generator,
        "window": {"start": iso(window[0]), "end": iso(window[1])},
        "accounts": [{"accountId": s.account, "homeRegion": s.region} for s in streams if s.home],
        "anomalies": labels,
        "normal_patterns": normal_patterns(streams, gap, rare),
        "broken": [{"path": key, "kind": kind} for r in results for key, kind in r.broken],
        "totals": totals(results),
    }
