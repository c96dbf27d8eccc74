"""Evaluating the configured alarms on the lake, after a refresh, in one catalog transaction.

For each alarm: its datapoints come from `metric_points` (`sql/datapoints.sql`,
`sql/percentiles.sql`); the machine (`machine.run`) evaluates every period end from the
lake's first event to the minute after its newest; each state change becomes a row of
`alarm_history` and, when the alarm's actions are enabled, a "CloudWatch Alarm State
Change" event in the outbox's `delivery_events` — in the same transaction as the new
`alarm_state`, so a kill before the commit evaluates again and a kill after it finds the
work done: each change is recorded, and handed to the sinks, exactly once.

Late-arriving events. Each alarm remembers the newest ingest batch it was evaluated with.
When later batches stored events of periods already evaluated (their `min_event_time`),
the machine is replayed from the first period end whose evaluation range holds the
earliest of them, starting from the state it was in then (`alarm_timeline`); only the
datapoints from that range on are read, so an hourly run costs what its hour does.
History is never rewritten: every state change of the replay the previous evaluation did
not have is appended, stamped with the period end it happens at and marked late (its
reason says so), unless the alarm is already in that state; if the replay ends in another
state than the recorded one, one more change brings the alarm there. So a burst whose
events arrive after its periods were evaluated still fires the alarm, once.

A new alarm is evaluated from the lake's first event, so a lake loaded with last month's
logs gets the history CloudWatch would have produced. An alarm whose definition changed is
evaluated afresh, and so is one whose metric filters changed (the metric's whole history
changed: no late data); its history gains at most one change, into the state the new
definition gives now.
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
from ctlake.cloudwatch.alarms.machine import EXTRA, INSUFFICIENT, Change, period_start, run
from ctlake.config.alarms import AlarmConfig, AlarmsConfig
from ctlake.config.metrics import MetricsConfig
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
        """`15 alarms evaluated, 2 state changes (1 from late data), 1 in ALARM`."""
        text = f"{_count(self.alarms, 'alarm')} evaluated, {_count(self.changes, 'state change')}"
        if self.late:
            text += f" ({self.late} from late data)"
        return text + (f", {len(self.in_alarm)} in ALARM" if self.in_alarm else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


@dataclass
class _Rows:
    """The rows a run writes, gathered so that each table gets one INSERT (thousands of
    state changes when a new alarm replays months of history)."""

    history: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)

    def write(self, catalog: duckdb.DuckDBPyConnection) -> None:
        base = int(scalar(catalog, read_sql(__file__, "history_seq")))
        for i, row in enumerate(self.history):
            row["seq"] = base + 1 + i  # the order recorded, which `alarms history` keeps
        tables = {
            "insert_alarm_history": self.history,
            "insert_alarm_events": self.events,
            "insert_alarm_timeline": self.timeline,
        }
        for sql, rows in tables.items():
            if rows:  # bound as one list per column (no Arrow table: that loads pandas)
                columns = {key: [row[key] for row in rows] for key in rows[0]}
                catalog.execute(read_sql(__file__, sql), columns)


@dataclass
class _Recorded:
    """An alarm's row of alarm_state, the state its history chain is in."""

    state: str
    since: datetime
    reason: str
    reason_data: str
    evaluated_until: datetime | None = None
    digest: str = ""
    batch_id: int = 0


@dataclass(frozen=True)
class _LakeView:
    """What every alarm's evaluation needs to know of the lake: its event-time span, its
    batches (id, earliest event time) and whether the metrics model exists."""

    first_event: datetime
    end_minute: datetime  # the minute after the newest event
    batches: list[tuple[int, datetime | None]]
    has_metrics: bool

    @property
    def newest_batch(self) -> int:
        return max((batch for batch, _ in self.batches), default=0)

    def changed_since(self, batch_id: int) -> datetime | None:
        """The earliest event time the batches after `batch_id` stored (None: none)."""
        times = [t for batch, t in self.batches if batch > batch_id and t is not None]
        return min(times, default=None)


def evaluate_alarms(lake: Lake, config: AlarmsConfig, metrics: MetricsConfig) -> AlarmSummary:
    """Evaluate every configured alarm up to the lake's newest event, on the metrics of the
    filters `metrics`; call under the lake's write lock, after the refresh."""
    summary = AlarmSummary()
    if not config.alarms:
        return summary
    with lake.catalog() as catalog:
        outbox.ensure_tables(catalog)
        view = _lake_view(catalog)
        if view is None:
            return summary
        rows = _Rows()
        catalog.begin()
        try:
            for alarm in config.alarms:
                definition = digest(alarm, metrics)
                _evaluate_one(catalog, config, alarm, definition, view, rows, summary)
            rows.write(catalog)
            crash_point("alarms.evaluated")
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
        crash_point("alarms.recorded")
    return summary


def _lake_view(catalog: duckdb.DuckDBPyConnection) -> _LakeView | None:
    """None for a lake without events."""
    batches = catalog.execute(read_sql(__file__, "lake_batches")).fetchall()
    firsts = [first for _, first, _ in batches if first is not None]
    newests = [newest for _, _, newest in batches if newest is not None]
    if not firsts or not newests:
        return None
    end_minute = max(newests).replace(second=0, microsecond=0) + timedelta(minutes=1)
    has_metrics = outbox.has_table(catalog, "metric_points")
    return _LakeView(min(firsts), end_minute, [(b, f) for b, f, _ in batches], has_metrics)


def datapoints(
    catalog: duckdb.DuckDBPyConnection, alarm: AlarmConfig, since: datetime
) -> dict[datetime, float]:
    """The alarm's datapoint of every period from `since` that has data, by period start."""
    params: dict[str, Any] = {
        "namespace": alarm.namespace,
        "metric_name": alarm.metric_name,
        "dimensions": dimensions_json(alarm),
        "period": alarm.period,
        "since": since,
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


def digest(alarm: AlarmConfig, metrics: MetricsConfig) -> str:
    """What a change of definition is noticed by: the alarm (its description and actions
    aside) and the metric filters that give its metric — a changed filter changes the
    metric's whole history, which is no late data."""
    shown = alarm.to_toml()
    shown.pop("description")
    shown.pop("actions_enabled")
    shown["filters"] = sorted(
        f.digest()
        for f in metrics.filters
        if (f.namespace, f.metric_name) == (alarm.namespace, alarm.metric_name)
    )
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:16]


def _evaluate_one(
    catalog: duckdb.DuckDBPyConnection,
    config: AlarmsConfig,
    alarm: AlarmConfig,
    definition: str,
    view: _LakeView,
    rows: _Rows,
    summary: AlarmSummary,
) -> None:
    step = timedelta(seconds=alarm.period)
    first_end = period_start(view.first_event, alarm.period) + step
    last_end = period_start(view.end_minute, alarm.period)
    name = {"name": alarm.name}
    row = catalog.execute(read_sql(__file__, "state_row"), name).fetchone()
    recorded = _Recorded(*row) if row else None
    fresh = recorded is None or recorded.digest != definition
    if fresh:
        replay_from, start_state = first_end, INSUFFICIENT
    else:
        assert recorded is not None
        replay_from = _replay_from(alarm, recorded, view, first_end)
        before = {**name, "before": replay_from}
        start_state = scalar(catalog, read_sql(__file__, "timeline_state"), before) or INSUFFICIENT
    since = {**name, "since": replay_from}
    previous = set(catalog.execute(read_sql(__file__, "timeline_from"), since).fetchall())
    reach = replay_from - step * (alarm.evaluation_periods + EXTRA)  # the first range's start
    points = datapoints(catalog, alarm, reach) if view.has_metrics else {}
    timeline = list(run(alarm, points, start_state, replay_from, last_end))
    chain = recorded or _Recorded(INSUFFICIENT, view.first_event, CREATED, "{}")
    until = None if recorded is None or fresh else recorded.evaluated_until
    summary.alarms += 1
    for change in timeline if recorded is None or not fresh else []:
        late = until is not None and change.timestamp <= until
        if late and (change.timestamp, change.new_state) in previous:
            continue  # recorded by the evaluation that first saw it
        if change.new_state != chain.state:
            chain = _record(rows, config, alarm, chain, change, late, summary)
    final = timeline[-1] if timeline else None
    final_state = final.new_state if final else start_state
    if final_state != chain.state:  # a changed definition, or a change late data undid
        why = "Configuration updated" if fresh else "Late data: re-evaluated"
        reason = f"{why}: {final.reason}" if final else f"{why}."
        data = final.reason_data if final else {}
        fix = Change(max(last_end, chain.since), chain.state, final_state, reason, data)
        chain = _record(rows, config, alarm, chain, fix, not fresh, summary)
    chain.evaluated_until = max(last_end, until or last_end)
    chain.digest, chain.batch_id = definition, view.newest_batch
    _save(catalog, rows, alarm, chain, replay_from, timeline)
    if chain.state == "ALARM":
        summary.in_alarm.append(alarm.name)


def _replay_from(
    alarm: AlarmConfig, recorded: _Recorded, view: _LakeView, first_end: datetime
) -> datetime:
    """The first period end to evaluate: the one after the last evaluated, or — when a
    batch since stored events of periods already evaluated (late data) — the first end
    whose evaluation range holds the earliest of them."""
    step = timedelta(seconds=alarm.period)
    after = recorded.evaluated_until + step if recorded.evaluated_until else first_end
    changed = view.changed_since(recorded.batch_id)
    if changed is None:
        return after
    return max(first_end, min(after, period_start(changed, alarm.period) + step))


def _record(
    rows: _Rows,
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
    rows.history.append(
        {
            "alarm_name": alarm.name,
            "timestamp": change.timestamp,
            "old_state": chain.state,
            "new_state": change.new_state,
            "reason": reason,
            "reason_data": reason_data,
            "late": late,
            "event_id": event_id,
        }
    )
    if alarm.actions_enabled:
        new = (change.new_state, reason, reason_data, change.timestamp)
        old = (chain.state, chain.reason, chain.reason_data, chain.since)
        event = events.state_change(config, alarm, event_id, new, old)
        rows.events.append(
            {
                "eventID": event_id,
                "state": change.new_state,
                "eventTime": change.timestamp,
                "recipientAccountId": config.account_id,
                "awsRegion": config.region,
                "eventJson": json.dumps(event, separators=(",", ":")),
            }
        )
    summary.changes += 1
    summary.late += late
    return _Recorded(change.new_state, change.timestamp, reason, reason_data)


def _save(
    catalog: duckdb.DuckDBPyConnection,
    rows: _Rows,
    alarm: AlarmConfig,
    chain: _Recorded,
    replay_from: datetime,
    timeline: list[Change],
) -> None:
    """The evaluator's state after this run: its timeline from `replay_from` (the rows
    gathered), alarm_state."""
    name = {"name": alarm.name}
    catalog.execute(read_sql(__file__, "forget_timeline"), {**name, "since": replay_from})
    rows.timeline += [
        {"alarm_name": alarm.name, "period_end": c.timestamp, "state": c.new_state}
        for c in timeline
    ]
    catalog.execute(
        read_sql(__file__, "save_state"),
        {
            **name,
            "state": chain.state,
            "since": chain.since,
            "reason": chain.reason,
            "reason_data": chain.reason_data,
            "evaluated_until": chain.evaluated_until,
            "digest": chain.digest,
            "batch_id": chain.batch_id,
        },
    )
