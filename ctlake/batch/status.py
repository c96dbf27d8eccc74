"""`ctlake status`: how the lake is doing, read without taking the write lock.

The last run and its result, the lag (newest event against now), what the lake holds
(events, partitions, files, quarantined records, insights), the configured alarms in
ALARM, the deliveries still pending
or failed per sink, and when the next scheduled run is due (the last run's start plus
`schedule.every`). Everything comes from a read-only reader connection, so `status`
works while a batch runs.

A sink removed from ctlake.toml keeps its outbox rows (put it back and it carries on); while
it has a backlog, status says it is no longer configured and how to drop that backlog.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ctlake.batch.runlog import RunRecord, last_run, utc_now
from ctlake.config import Config
from ctlake.db import scalar
from ctlake.delivery import outbox
from ctlake.delivery.mask import mask_text
from ctlake.lake import Lake, reader
from ctlake.resources import read_sql


@dataclass
class Status:
    lake: str
    last_run: RunRecord | None
    events: int
    partitions: int
    files: int
    quarantined: int
    insights: int
    newest_event: datetime | None
    next_run: datetime | None
    deliveries: list[tuple[str, str, int, datetime | None]] = field(default_factory=list)
    sinks: dict[str, str] = field(default_factory=dict)  # name -> masked target
    data: str | None = None  # where the data files are, when not in the lake folder
    alarms: int = 0  # configured alarms
    in_alarm: list[str] = field(default_factory=list)  # of those, in ALARM now

    def lines(self, now: datetime) -> list[str]:
        out = [f"lake: {self.lake}"]
        if self.data is not None:
            out.append(f"data: {self.data}")
        run = self.last_run
        if run is None:
            out.append("last run: never (`ctlake run` runs one batch)")
        else:
            ended = f", finished {run.finished_at:%Y-%m-%d %H:%M:%S}Z" if run.finished_at else ""
            out.append(
                f"last run: #{run.run_id} started {run.started_at:%Y-%m-%d %H:%M:%S}Z{ended}: "
                f"{run.result}" + (f" (exit {run.exit_code})" if run.exit_code is not None else "")
            )
            if run.summary:
                out.append(f"  {run.summary}")
            if run.error:
                out.append(f"  error: {mask_text(run.error)}")  # logged by an older ctlake
        out.append(f"lag: {_lag(self.newest_event, now)}")
        out.append(
            f"events: {self.events:,} in {self.partitions} partitions, {self.files} files; "
            f"quarantined records: {self.quarantined:,}; insight records: {self.insights:,}"
        )
        if self.alarms:
            names = f" ({', '.join(self.in_alarm)})" if self.in_alarm else ""
            out.append(f"alarms: {len(self.in_alarm)} in ALARM of {self.alarms}{names}")
        out.extend(self._delivery_lines())
        if self.next_run is None or self.next_run <= now:
            out.append("next run: due now")
        else:
            out.append(f"next run: {self.next_run:%Y-%m-%d %H:%M:%S}Z")
        return out

    def _delivery_lines(self) -> list[str]:
        if not self.deliveries:
            return ["deliveries: none yet"]
        by_sink: dict[str, dict[str, int]] = {}
        for sink, state, n, _next in self.deliveries:
            by_sink.setdefault(sink, {})[state] = n
        pending = sum(c.get("pending", 0) for c in by_sink.values())
        out = [f"deliveries: {pending} pending"]
        for sink, states in sorted(by_sink.items()):
            detail = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
            if sink in self.sinks:
                out.append(f"  {sink} {self.sinks[sink]}: {detail}")
            elif states.get("pending") or states.get("failed"):
                backlog = ", ".join(
                    f"{states[s]} {s}" for s in ("pending", "failed") if s in states
                )
                out.append(
                    f"  {sink}: {backlog}, no longer configured — drop its backlog with "
                    f"`ctlake deliveries drop {shlex.quote(sink)}`"
                )
        return out


def lake_status(lake: Lake, config: Config) -> Status:
    con = reader.connect(lake)
    try:
        run = last_run(con)
        events, partitions, files, quarantined, newest, _ingested = con.execute(
            read_sql(__file__, "lake_counts")
        ).fetchall()[0]
        insights = 0
        if outbox.has_table(con, "insight_events"):
            insights = int(scalar(con, read_sql(__file__, "insight_count")))
        deliveries = outbox.counts(con)
        names = [alarm.name for alarm in config.alarms.alarms]
        in_alarm: list[str] = []
        if names and outbox.has_table(con, "alarm_state"):
            rows = con.execute(read_sql(__file__, "alarms_in_alarm"), {"names": names})
            in_alarm = [name for (name,) in rows.fetchall()]
    finally:
        con.close()
    next_run = None
    if run is not None:
        every = timedelta(seconds=run.every_s) if run.every_s else config.schedule.every
        next_run = run.started_at + every
    return Status(
        lake=str(lake.root),
        data=None if lake.data is None else str(lake.files),
        last_run=run,
        events=int(events),
        partitions=int(partitions),
        files=int(files),
        quarantined=int(quarantined),
        insights=insights,
        newest_event=newest,
        next_run=next_run,
        deliveries=deliveries,
        sinks={s.name: f"{s.kind} {s.target}" for s in config.sinks},  # targets shown masked
        alarms=len(names),
        in_alarm=in_alarm,
    )


def _lag(newest: datetime | None, now: datetime) -> str:
    if newest is None:
        return "no events yet"
    seconds = int((now - newest).total_seconds())
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    text = (f"{days}d " if days else "") + f"{hours}h {rest // 60}m"
    return f"{text} (newest event {newest:%Y-%m-%d %H:%M:%S}Z)"


__all__ = ["Status", "lake_status", "utc_now"]
