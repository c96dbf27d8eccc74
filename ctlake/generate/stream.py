"""One (account, region) stream, start to end: calls → records → delivery windows → files.

Contract: `run_stream(job)` writes every file of one stream and returns a `StreamResult`
with exact counts. It depends on nothing but `job`, so streams can run in any order or in
parallel processes and still give the same bytes.

Delivery realism: each event goes to the file of its own five-minute window, except
`LATE` of them (0.4%), delivered 1-3 windows later, and `DUP` (0.04%), delivered a second
time — the same bytes, the same eventID — one or two windows after the first copy. Late
and duplicate copies never go past the last window of the trail. Windows without
records get no file. With `job.broken`, the stream also writes the broken files and one
file whose Records hold the three bad records (see `broken.py`).

Per-minute counts of the `job.watch` series are kept for the labels: `("rate", source,
name)` counts writes (readOnly false), `("error", source, name, errorCode)` counts
failures with that errorCode, each event once, at its eventTime.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import orjson

from ctlake.generate import anomalies as anom
from ctlake.generate import broken
from ctlake.generate.catalog import build_stream
from ctlake.generate.ids import HOUR, MINUTE, WINDOW
from ctlake.generate.records import Call, Renderer
from ctlake.generate.traffic import Traffic
from ctlake.generate.writer import Writer, records_payload

LATE, DUP = 0.004, 0.0004
DIGEST_HOURS = 2
Series = tuple[str, ...]


@dataclass(frozen=True)
class StreamJob:
    out: Path
    seed: int
    stream: anom.Stream
    t0: int
    windows: int
    scale: float
    anomalies: tuple[anom.Anomaly, ...]
    gap_from: int | None
    broken: bool
    watch: frozenset[Series]


@dataclass
class StreamResult:
    stream: anom.Stream
    files: int = 0
    digest_files: int = 0
    records_written: int = 0
    unique_events: int = 0
    duplicate_deliveries: int = 0
    bad_records: int = 0
    bad_files: int = 0
    keys: list[str] = field(default_factory=list)
    broken: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[Series, dict[int, int]] = field(default_factory=dict)


class _Bucket:
    __slots__ = ("newest", "oldest", "records")

    def __init__(self) -> None:
        self.records: list[bytes] = []
        self.oldest, self.newest = 1 << 62, 0

    def add(self, t: int, data: bytes) -> None:
        self.records.append(data)
        self.oldest, self.newest = min(self.oldest, t), max(self.newest, t)


def run_stream(job: StreamJob) -> StreamResult:
    """Generate, deliver and write one stream; see the module docstring."""
    stream = _Stream(job)
    for w in range(job.windows):
        stream.window(w)
    return stream.finish()


class _Stream:
    """The state of one stream while its windows are generated in order."""

    def __init__(self, job: StreamJob) -> None:
        s = job.stream
        self.job, self.ctx = job, build_stream(job.seed, s.index, s.account, s.region, s.home)
        self.traffic, self.renderer = Traffic(self.ctx, job.scale, job.gap_from), Renderer(self.ctx)
        self.writer = Writer(
            job.out, s.account, s.region, self.ctx.rng, job.t0 + DIGEST_HOURS * HOUR
        )
        self.injected: dict[int, list[Call]] = defaultdict(list)
        for anomaly in job.anomalies:
            for call in anom.calls(anomaly, self.ctx, self.traffic):
                self.injected[(call[0] - job.t0) // WINDOW].append(call)
        self.result = StreamResult(s, counts={series: defaultdict(int) for series in job.watch})
        self.special = _special_windows(self.ctx.rng, job) if job.broken else {}
        self.buckets: dict[int, _Bucket] = defaultdict(_Bucket)

    def window(self, w: int) -> None:
        """Generate window `w`'s calls, deliver each record, write the window's file."""
        start = self.job.t0 + w * WINDOW
        batch = self.traffic.calls(start)
        batch += self.injected.pop(w, [])
        batch.sort(key=itemgetter(0))
        dumps, render, deliver = orjson.dumps, self.renderer.render, self._deliver
        watch, counts = self.job.watch, self.result.counts
        for call in batch:
            if watch:
                api = call[2]
                _count(watch, counts, call[0], api.source, api.name, api.read_only, call[3])
            deliver(w, call[0], dumps(render(call)))
        self.result.unique_events += len(batch)
        kind = self.special.get(w)
        if kind is not None:
            _add_special(
                kind, start, self.traffic, self.renderer, self.buckets[w], self.writer, self.result
            )
        self._flush(w, start, kind)

    def _deliver(self, w: int, t: int, data: bytes) -> None:
        """Into window `w`'s file, or a later one (late), and now and then twice (duplicate)."""
        rng, last = self.ctx.rng, self.job.windows - 1
        r = rng.random()
        target = min(w + 1 + int(rng.random() * 3), last) if r < LATE else w
        self.buckets[target].add(t, data)
        if r >= 1 - DUP and target + 2 <= last:
            self.buckets[target + 1 + int(rng.random() * 2)].add(t, data)
            self.result.duplicate_deliveries += 1

    def _flush(self, w: int, start: int, kind: str | None) -> None:
        bucket = self.buckets.pop(w, None)
        if bucket is None:
            return
        payload = records_payload(bucket.records)
        key = self.writer.log_file(start, payload, bucket.oldest, bucket.newest)
        self.result.records_written += len(bucket.records)
        if kind == broken.BAD_RECORDS_KIND:
            self.result.broken.append((key, kind))

    def finish(self) -> StreamResult:
        writer, result = self.writer, self.result
        writer.digests(self.job.t0)
        result.files, result.digest_files = len(writer.keys), len(writer.digest_keys)
        result.keys = writer.keys + writer.digest_keys
        return result


def _count(
    watch: frozenset[Series],
    counts: dict[Series, dict[int, int]],
    t: int,
    source: str,
    name: str,
    read_only: bool,
    error: object,
) -> None:
    if not read_only and ("rate", source, name) in watch:
        counts["rate", source, name][t // MINUTE] += 1
    code = getattr(error, "code", None)
    if code is not None and ("error", source, name, code) in watch:
        counts["error", source, name, code][t // MINUTE] += 1


def _special_windows(rng: random.Random, job: StreamJob) -> dict[int, str]:
    """Which windows get the broken files and the bad records (distinct, mid-trail)."""
    lo = job.windows // 4
    picks = rng.sample(range(lo, max(lo + 8, job.windows * 3 // 4)), len(broken.FILE_KINDS) + 1)
    return dict(zip(picks, (*broken.FILE_KINDS, broken.BAD_RECORDS_KIND), strict=True))


def _add_special(
    kind: str,
    start: int,
    traffic: Traffic,
    renderer: Renderer,
    bucket: _Bucket,
    writer: Writer,
    result: StreamResult,
) -> None:
    """Write a broken file for window `start`, or add the bad records to its bucket."""
    sample = [renderer.render(traffic.machine.draw(start + i)) for i in range(3)]
    if kind == broken.BAD_RECORDS_KIND:
        for data in broken.bad_records(sample[0], sample[1]):
            bucket.add(start, data)
        result.bad_records += broken.BAD_RECORD_COUNT
        return
    body = broken.broken_body(kind, [orjson.dumps(r) for r in sample])
    result.broken.append((writer.log_file(start, body), kind))
    result.bad_files += 1
