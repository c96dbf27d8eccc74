"""Delivering new insight records to the configured sinks, exactly once per record and sink.

`deliver` enqueues what `ctlake refresh` found (see `outbox`), then works through what is
due, sink by sink, recording each outcome as soon as it is known. A sink that fails (after
its own retries) is left alone for the rest of the run: its deliveries stay pending and
are retried by the next run, and the other sinks and the batch go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from pathlib import Path

from ctlake.config import Sink
from ctlake.crashpoints import crash_point
from ctlake.delivery import outbox, sinks
from ctlake.delivery.outbox import Delivery
from ctlake.lake import Lake

Progress = Callable[[str], None]


@dataclass
class DeliverySummary:
    found: int = 0  # insight records new to the outbox
    delivered: int = 0  # (record, sink) deliveries made
    failed: int = 0  # refused for good
    deferred: int = 0  # left pending for a later run
    waiting: int = 0  # pending, not attempted: waiting out a retry delay
    errors: list[str] = field(default_factory=list)  # one line per failing sink

    @property
    def pending(self) -> int:
        """Deliveries still owed after this run: left now, or waiting for a retry."""
        return self.deferred + self.waiting

    def line(self) -> str:
        text = f"{self.found} new insight records, {self.delivered} deliveries"
        if self.pending or self.failed:
            text += f" ({self.pending} pending, {self.failed} failed)"
        return text


def deliver(
    lake: Lake,
    targets: tuple[Sink, ...],
    *,
    stop: Callable[[], bool] = lambda: False,
    progress: Progress | None = None,
) -> DeliverySummary:
    """Deliver every due outbox row of `targets`; call under the lake's write lock."""
    say = progress or (lambda _message: None)
    names = [sink.name for sink in targets]
    summary = DeliverySummary(found=outbox.enqueue(lake, names))
    work, summary.waiting = outbox.due(lake, names)
    by_sink = {name: list(rows) for name, rows in groupby(work, key=lambda d: d.sink)}
    for sink in targets:
        items = by_sink.get(sink.name, [])
        if not items:
            continue
        if stop():
            summary.deferred += len(items)
            continue
        before = summary.delivered
        _SENDERS[sink.kind](lake, sink, items, summary, stop)
        say(f"deliver: {sink.name}: {summary.delivered - before} of {len(items)} delivered")
    return summary


def _to_folder(
    lake: Lake, sink: Sink, items: list[Delivery], summary: DeliverySummary, stop: StopCheck
) -> None:
    def key(d: Delivery) -> tuple[str, str, datetime]:
        return (d.account, d.region, sinks.window_of(d.event_time))

    for alarm in [d for d in items if d.kind == "alarm"]:  # one file each
        if stop():
            summary.deferred += 1
            continue
        sinks.write_alarm_file(sink, alarm)
        crash_point("deliver.sent")
        outbox.mark_delivered(lake, sink.name, [alarm.event_id])
        crash_point("deliver.marked")
        summary.delivered += 1
    items = [d for d in items if d.kind != "alarm"]
    for (account, region, window), group in groupby(sorted(items, key=key), key=key):
        ids = [d.event_id for d in group]
        if stop():
            summary.deferred += len(ids)
            continue
        texts = outbox.window_records(lake, account, region, window)
        path = sinks.folder_file(sink, account, region, window)
        sinks.write_folder_file(path, texts)
        crash_point("deliver.sent")
        outbox.mark_delivered(lake, sink.name, ids)
        crash_point("deliver.marked")
        summary.delivered += len(ids)


def _to_eventbridge(
    lake: Lake, sink: Sink, items: list[Delivery], summary: DeliverySummary, stop: StopCheck
) -> None:
    path = Path(sink.target)
    written = sinks.eventbridge_ids(path)  # a repeat after a kill finds its lines here
    done: list[str] = []
    for delivery in items:
        if stop():
            summary.deferred += len(items) - len(done)
            break
        if delivery.event_id not in written:
            sinks.append_eventbridge(path, delivery)
            crash_point("deliver.sent")
        done.append(delivery.event_id)
    if done:
        outbox.mark_delivered(lake, sink.name, done)
        crash_point("deliver.marked")
        summary.delivered += len(done)


def _one_by_one(
    lake: Lake, sink: Sink, items: list[Delivery], summary: DeliverySummary, stop: StopCheck
) -> None:
    send = sinks.post_webhook if sink.kind == "webhook" else sinks.run_command
    for index, delivery in enumerate(items):
        if stop():
            summary.deferred += len(items) - index
            return
        try:
            send(sink, delivery)
        except sinks.SinkError as exc:
            outbox.mark_failed(lake, delivery, str(exc), exc.tries, exc.permanent)
            if exc.permanent:
                summary.failed += 1
                summary.errors.append(f"{sink.name}: {delivery.event_id} refused: {exc}")
                continue
            summary.deferred += len(items) - index
            summary.errors.append(f"{sink.name}: {exc}; {len(items) - index} left pending")
            return
        crash_point("deliver.sent")
        outbox.mark_delivered(lake, sink.name, [delivery.event_id])
        crash_point("deliver.marked")
        summary.delivered += 1


StopCheck = Callable[[], bool]
Sender = Callable[[Lake, Sink, list[Delivery], DeliverySummary, StopCheck], None]
_SENDERS: dict[str, Sender] = {
    "folder": _to_folder,
    "eventbridge": _to_eventbridge,
    "webhook": _one_by_one,
    "command": _one_by_one,
}
