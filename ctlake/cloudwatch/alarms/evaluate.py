"""Evaluating the configured alarms on the lake, after a refresh, in one catalog transaction.

For each alarm: its datapoints come from `metric_points` (`sql/datapoints.sql`,
`sql/percentiles.sql`); the machine (`machine.run`) evaluates every period end from the
lake's first event to the minute after its newest; each state change becomes a row of
`alarm_history` and, when the alarm's actions are enabled, a "CloudWatch Alarm State
Change" event in the outbox's `delivery_events` — in the same transaction as the new
`alarm_state`, so a kill before the commit evaluates again and a kill after it finds the
work done: each change is recorded, and handed to the sinks, exactly once.

Late-arriving events. The datapoints each alarm was evaluated on are kept
(`alarm_datapoints`). When a later run finds datapoints of already-evaluated periods
changed, the machine is replayed from the first period end whose evaluation range holds
the earliest changed period, starting from the state it was in then (`alarm_timeline`).
History is never rewritten: every state change of the replay the previous evaluation did
not have is appended, stamped with the period end it happens at and marked late (its
reason says so), unless the alarm is already in that state; if the replay ends in another
state than the recorded one, one more change brings the alarm there. So a burst whose
events arrive after its periods were evaluated still fires the alarm, once.

A new alarm is evaluated from the lake's first event, so a lake loaded with last month's
logs gets the history CloudWatch would have produced. An alarm whose definition changed is
evaluated afresh; its history gains at most one change (into the state the new definition
gives now).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb

from ctlake.cloudwatch.alarms import events
from ctlake.cloudwatch.alarms.machine import INSUFFICIENT, Change, period_start, run
from ctlake.config.alarms import AlarmConfig, AlarmsConfig
from ctlake.crashpoints import crash_point
from ctlake.db import scalar
from ctlake.delivery import outbox
from ctlake.lake import Lake
from ctlake.resources import read_sql

CREATED = "Unchecked: Initial alarm creation"
_NAMESPACE = uuid.UUID("6f1d3c52-8e0b-4f4e-9a47-2c5b0d1e7a90")  # event ids: uuid5 in here


@dataclass
class AlarmSummary:
    alarms: int = 0  # evaluated
    changes: int = 0  # state changes recorded
    late: int = 0  # of which found through late-arriving events
    in_alarm: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = f"{self.alarms} alarms evaluated, {self.changes} state changes"
        if self.late:
            text += f" ({self.late} from late data)"
        return text


@dataclass
class _Recorded:
    """An alarm's row of alarm_state, the state its history chain is in."""

    state: str
    since: datetime
    reason: str
    reason_data: str
    evaluated_until: datetime | None
    digest: str


def evaluate_alarms(lake: Lake, config: AlarmsConfig) -> AlarmSummary:
    """Evaluate every configured alarm up to the lake's newest event; call under the lake's
    write lock, after the refresh."""
    summary = AlarmSummary()
    if not config.alarms:
        return summary
    with lake.catalog() as catalog:
        outbox.ensure_tables(catalog)
        first, newest = catalog.execute(read_sql(__file__, "lake_span")).fetchone() or (None,) * 2
        if first is None or newest is None:
            return summary
        end_minute = newest.replace(second=0, microsecond=0) + timedelta(minutes=1)
        has_metrics = outbox.has_table(catalog, "metric_points")
        catalog.begin()
        try:
            for alarm in config.alarms:
                points = datapoints(catalog, alarm) if has_metrics else {}
                _evaluate_one(catalog, config, alarm, points, first, end_minute, summary)
            crash_point("alarms.evaluated")
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
        crash_point("alarms.recorded")
    return summary


def datapoints(catalog: duckdb.DuckDBPyConnection, alarm: AlarmConfig) -> dict[datetime, float]:
    """The alarm's datapoint of every period that has data, by period start."""
    params: dict[str, Any] = {
        "namespace": alarm.namespace,
        "metric_name": alarm.metric_name,
        "dimensions": dimensions_json(alarm),
        "period": alarm.period,
    }
    if alarm.percentile is not None:
        sql = read_sql(__file__, "percentiles")
        params["fraction"] = alarm.percentile
    else:
        sql = read_sql(__file__, "datapoints")
        params["statistic"] = alarm.statistic
    return {start: float(value) for start, value in catalog.execute(sql, params).fetchall()}


def dimensions_json(alarm: AlarmConfig) -> str:
    """The dimensions as metric_points keys them: compact JSON, names sorted, '{}' if none."""
    return json.dumps(dict(alarm.dimensions), separators=(",", ":"), sort_keys=True)


def digest(alarm: AlarmConfig) -> str:
    """What a change of definition is noticed by (the description and actions excluded)."""
    shown = alarm.to_toml()
    shown.pop("description")
    shown.pop("actions_enabled")
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]


def _evaluate_one(
    catalog: duckdb.DuckDBPyConnection,
    config: AlarmsConfig,
    alarm: AlarmConfig,
    points: dict[datetime, float],
    first_event: datetime,
    end_minute: datetime,
    summary: AlarmSummary,
) -> None:
    step = timedelta(seconds=alarm.period)
    first_end = period_start(first_event, alarm.period) + step
    last_end = period_start(end_minute, alarm.period)
    name = {"name": alarm.name}
    row = catalog.execute(read_sql(__file__, "state_row"), name).fetchone()
    recorded = _Recorded(*row) if row else None
    fresh = recorded is None or recorded.digest != digest(alarm)
    if fresh:
        replay_from, start_state = first_end, INSUFFICIENT
    else:
        assert recorded is not None
        replay_from = _replay_from(catalog, alarm, points, recorded, first_end)
        before = {**name, "before": replay_from}
        start_state = scalar(catalog, read_sql(__file__, "timeline_state"), before) or INSUFFICIENT
    since = {**name, "since": replay_from}
    previous = set(catalog.execute(read_sql(__file__, "timeline_from"), since).fetchall())
    timeline = list(run(alarm, points, start_state, replay_from, last_end))
    chain = recorded or _Recorded(INSUFFICIENT, first_event, CREATED, "{}", None, "")
    until = None if recorded is None or fresh else recorded.evaluated_until
    summary.alarms += 1
    for change in timeline if recorded is None or not fresh else []:
        late = until is not None and change.timestamp <= until
        if late and (change.timestamp, change.new_state) in previous:
            continue  # recorded by the evaluation that first saw it
        if change.new_state != chain.state:
            chain = _record(catalog, config, alarm, chain, change, late, summary)
    final = timeline[-1] if timeline else None
    final_state = final.new_state if final else start_state
    if final_state != chain.state:  # a changed definition, or a change late data undid
        why = "Configuration updated" if fresh else "Late data: re-evaluated"
        reason = f"{why}: {final.reason}" if final else f"{why}."
        data = final.reason_data if final else {}
        fix = Change(max(last_end, chain.since), chain.state, final_state, reason, data)
        chain = _record(catalog, config, alarm, chain, fix, not fresh, summary)
    evaluated = max(last_end, until or last_end)
    _save(catalog, alarm, points, chain, replay_from, timeline, evaluated)
    if chain.state == "ALARM":
        summary.in_alarm.append(alarm.name)


def _replay_from(
    catalog: duckdb.DuckDBPyConnection,
    alarm: AlarmConfig,
    points: dict[datetime, float],
    recorded: _Recorded,
    first_end: datetime,
) -> datetime:
    """The first period end to evaluate: the one after the last evaluated, or earlier when
    late data changed a period an evaluation already saw."""
    step = timedelta(seconds=alarm.period)
    after = recorded.evaluated_until + step if recorded.evaluated_until else first_end
    rows = catalog.execute(read_sql(__file__, "seen_datapoints"), {"name": alarm.name})
    seen = dict(rows.fetchall())
    changed = [s for s in set(seen) | set(points) if seen.get(s) != points.get(s)]
    if not changed:
        return after
    return max(first_end, min(after, min(changed) + step))


def _record(
    catalog: duckdb.DuckDBPyConnection,
    config: AlarmsConfig,
    alarm: AlarmConfig,
    chain: _Recorded,
    change: Change,
    late: bool,
    summary: AlarmSummary,
) -> _Recorded:
    """Append one state change to the history (and its event to the outbox); returns the
    chain's new state."""
    reason = change.reason
    if late and not reason.startswith("Late data"):
        reason = f"Late data: {reason}"
    reason_data = json.dumps(change.reason_data, separators=(",", ":"))
    key = f"{config.arn(alarm.name)}|{change.timestamp}|{chain.state}|{change.new_state}"
    event_id = str(uuid.uuid5(_NAMESPACE, f"{key}|{chain.since}"))
    catalog.execute(
        read_sql(__file__, "insert_history"),
        {
            "name": alarm.name,
            "timestamp": change.timestamp,
            "old_state": chain.state,
            "new_state": change.new_state,
            "reason": reason,
            "reason_data": reason_data,
            "late": late,
            "event_id": event_id,
        },
    )
    if alarm.actions_enabled:
        new = (change.new_state, reason, reason_data, change.timestamp)
        old = (chain.state, chain.reason, chain.reason_data, chain.since)
        event = events.state_change(config, alarm, event_id, new, old)
        catalog.execute(
            read_sql(__file__, "insert_event"),
            {
                "event_id": event_id,
                "state": change.new_state,
                "event_time": change.timestamp,
                "account": config.account_id,
                "region": config.region,
                "event_json": json.dumps(event, separators=(",", ":")),
            },
        )
    summary.changes += 1
    summary.late += late
    return _Recorded(change.new_state, change.timestamp, reason, reason_data, None, "")


def _save(
    catalog: duckdb.DuckDBPyConnection,
    alarm: AlarmConfig,
    points: dict[datetime, float],
    chain: _Recorded,
    replay_from: datetime,
    timeline: list[Change],
    evaluated_until: datetime,
) -> None:
    """The evaluator's state after this run: timeline, datapoints seen, alarm_state."""
    name = {"name": alarm.name}
    catalog.execute(read_sql(__file__, "forget_timeline"), {**name, "since": replay_from})
    for change in timeline:
        params = {**name, "period_end": change.timestamp, "state": change.new_state}
        catalog.execute(read_sql(__file__, "insert_timeline"), params)
    catalog.execute(read_sql(__file__, "forget_datapoints"), name)
    starts = sorted(points)
    catalog.execute(
        read_sql(__file__, "insert_datapoints"),
        {**name, "starts": starts, "values": [points[s] for s in starts]},
    )
    catalog.execute(
        read_sql(__file__, "save_state"),
        {
            **name,
            "state": chain.state,
            "since": chain.since,
            "reason": chain.reason,
            "reason_data": chain.reason_data,
            "evaluated_until": evaluated_until,
            "digest": digest(alarm),
        },
    )
