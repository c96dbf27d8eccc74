"""The delivery outbox in the catalog: which insight record (or alarm state-change event)
each sink still has to get.

`enqueue` runs one catalog transaction that reads `insight_events`, copies the records not
seen before into `delivery_events` and adds a pending `outbox` row per record and sink; the
anti-joins make it idempotent, so a crash before or after it loses or doubles nothing. The
alarm evaluation (`ctlake.cloudwatch.alarms.evaluate`) adds its events to `delivery_events`
itself, in the transaction that records the state changes; `enqueue` gives them their rows.
`due` lists what to send now; `mark_delivered` / `mark_failed` record each outcome in its
own short transaction right after the attempt, so a kill between sending and marking can
repeat at most that one delivery — which sinks make harmless (deterministic file names, an
idempotency key per event, JSON Lines checked for ids already written).

A sink added to the config later receives every insight the lake has found. A sink removed
from it keeps its rows until `drop_backlog` marks what it never received 'dropped'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from ctlake.crashpoints import crash_point
from ctlake.db import scalar
from ctlake.delivery.mask import mask_text
from ctlake.lake import Lake
from ctlake.resources import read_sql

MAX_DELAY = timedelta(hours=1)
FREE_RETRIES = 5  # failed attempts retried at the very next run before backing off


@dataclass(frozen=True)
class Delivery:
    sink: str
    event_id: str
    account: str
    region: str
    event_time: datetime
    event_json: str
    attempts: int
    kind: str = "insight"  # insight | alarm (a "CloudWatch Alarm State Change" event)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_tables(catalog: duckdb.DuckDBPyConnection) -> None:
    catalog.execute(read_sql(__file__, "outbox_tables"))


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(scalar(con, read_sql(__file__, "has_table"), {"name": name}))


def enqueue(lake: Lake, sinks: list[str]) -> int:
    """Add the new insight records to the outbox, and a row per sink for every record
    (insight or alarm event) that has none; returns how many insight records were new."""
    with lake.catalog() as catalog:
        ensure_tables(catalog)
        insights = has_table(catalog, "insight_events")
        catalog.begin()
        try:
            before = int(scalar(catalog, read_sql(__file__, "event_count")))
            if insights:
                catalog.execute(read_sql(__file__, "enqueue_events"))
            after = int(scalar(catalog, read_sql(__file__, "event_count")))
            crash_point("outbox.enqueuing")
            if sinks:
                catalog.execute(read_sql(__file__, "enqueue_outbox"), {"sinks": sinks})
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
        crash_point("outbox.enqueued")
    return after - before


def due(lake: Lake, sinks: list[str]) -> tuple[list[Delivery], int]:
    """The pending deliveries to the configured `sinks` whose time has come, and how many
    others wait out a retry delay (owed, not attempted this time)."""
    if not sinks:
        return [], 0
    params = {"sinks": sinks, "now": now()}
    with lake.catalog() as catalog:
        ensure_tables(catalog)
        rows = catalog.execute(read_sql(__file__, "due"), params).fetchall()
        waiting = scalar(catalog, read_sql(__file__, "waiting_count"), params)
    return [Delivery(*row) for row in rows], int(waiting or 0)


def window_records(lake: Lake, account: str, region: str, window: datetime) -> list[str]:
    """Every known record of one folder-sink file (account, region, 5-minute window)."""
    with lake.catalog() as catalog:
        params = {"account": account, "region": region, "window": window}
        rows = catalog.execute(read_sql(__file__, "window_records"), params).fetchall()
    return [text for (text,) in rows]


def mark_delivered(lake: Lake, sink: str, event_ids: list[str]) -> None:
    with lake.catalog() as catalog:
        catalog.execute(read_sql(__file__, "mark_delivered"), {"sink": sink, "ids": event_ids})


def mark_failed(lake: Lake, delivery: Delivery, error: str, tries: int, permanent: bool) -> None:
    """Record a failed delivery: pending again (retried later) or failed for good. The
    error is stored masked: the catalog is no place for a webhook's secrets."""
    attempts = delivery.attempts
    params = {
        "sink": delivery.sink,
        "event_id": delivery.event_id,
        "state": "failed" if permanent else "pending",
        "tries": tries,
        "error": mask_text(error)[:500],
        "next_attempt_at": None if permanent else now() + retry_delay(attempts + tries),
    }
    with lake.catalog() as catalog:
        catalog.execute(read_sql(__file__, "mark_failed"), params)


def drop_backlog(lake: Lake, sink: str) -> dict[str, int]:
    """Mark the pending and failed deliveries of `sink` dropped, in one transaction; returns
    how many there were by state ({} when it had none). Call under the write lock."""
    with lake.catalog() as catalog:
        ensure_tables(catalog)
        catalog.begin()
        try:
            rows = catalog.execute(read_sql(__file__, "backlog"), {"sink": sink}).fetchall()
            catalog.execute(read_sql(__file__, "drop_backlog"), {"sink": sink})
            catalog.commit()
        except BaseException:
            catalog.rollback()
            raise
    return {state: int(n) for state, n in rows}


def retry_delay(attempts: int) -> timedelta:
    """No wait for the first few failures (the next run retries), then doubling to an hour."""
    if attempts < FREE_RETRIES:
        return timedelta(0)
    return min(timedelta(seconds=30) * 2 ** (attempts - FREE_RETRIES), MAX_DELAY)


def counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, datetime | None]]:
    """(sink, state, rows, earliest next attempt) for `ctlake status`; [] before any run."""
    if not has_table(con, "outbox"):
        return []
    rows = con.execute(read_sql(__file__, "pending_counts")).fetchall()
    return [(s, st, int(n), nxt) for s, st, n, nxt in rows]
