"""`generate_trail`: a realistic synthetic CloudTrail trail with labelled anomalies.

Contract: `generate_trail(out, ...)` writes, under `out`, the S3 delivery tree of `accounts`
accounts x `regions` for the `days` days before `end` (the trail covers [end - days, end)),
and `out/labels.json` (see `labels.py`). The output is a function of the arguments alone:
the same seed and end give byte-identical files, whichever order the streams run in.
Files already in `out` are overwritten when their names match and are otherwise left
alone, so write a new trail into an empty folder.

Volume: about 7,000 events per account, region and day at scale 1 (people and machines
scale, the periodic jobs and the anomalies' principals keep their rates) — 2 accounts x 3
regions x 21 days is about 0.9M events in ~36,000 files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path

import orjson

from ctlake.errors import BadInputError
from ctlake.generate import anomalies as anom
from ctlake.generate.catalog import account_id
from ctlake.generate.ids import DAY, WINDOW, epoch, iso, rng_for
from ctlake.generate.labels import VERSION, build_labels, series_of
from ctlake.generate.stream import StreamJob, StreamResult, run_stream

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
PARALLEL_FROM = 200_000  # expected events above which streams run in two processes
EVENTS_PER_STREAM_DAY = 7000


@dataclass(frozen=True)
class GenerateSummary:
    """What `generate_trail` wrote: `events` counts distinct events (unique eventIDs),
    `files` the log files (broken ones included, digests not), `paths` every file written
    (logs, digests; not labels.json), `labels` the labels file."""

    out: Path
    files: int
    digest_files: int
    events: int
    records: int
    paths: tuple[Path, ...]
    labels: Path


def generate_trail(
    out: Path,
    *,
    days: int = 14,
    seed: int = 0,
    accounts: int = 1,
    scale: float = 1.0,
    end: datetime | None = None,
    regions: Sequence[str] | None = None,
    broken_files: bool = True,
    progress: Callable[[str], None] | None = None,
) -> GenerateSummary:
    """Write a trail under `out`; see the module docstring. `regions` defaults to two
    regions for one account and three for more; `end` to today 00:00 UTC."""
    regions = tuple(regions or (REGIONS[:2] if accounts == 1 else REGIONS))
    _check(days, accounts, scale, regions)
    t_end = epoch(end or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0))
    t_end -= t_end % WINDOW
    t0, out = t_end - days * DAY, Path(out)
    streams = _streams(seed, accounts, regions)
    try:
        placed = anom.plan(rng_for(seed, "plan"), streams, t0, t_end, days)
    except ValueError as exc:
        raise BadInputError(f"generate: {exc}; use more days") from None
    out.mkdir(parents=True, exist_ok=True)
    jobs = _jobs(out, seed, streams, t0, days, scale, placed, broken_files)
    results = _run(jobs, days * scale * len(streams) * EVENTS_PER_STREAM_DAY, progress)
    generator = {
        "seed": seed,
        "days": days,
        "accounts": accounts,
        "scale": scale,
        "regions": list(regions),
        "end": iso(t_end),
        "broken_files": broken_files,
        "version": VERSION,
    }
    labels = build_labels(generator, (t0, t_end), streams, placed, results)
    (out / "labels.json").write_bytes(orjson.dumps(labels, option=orjson.OPT_INDENT_2) + b"\n")
    totals = labels["totals"]
    return GenerateSummary(
        out=out,
        files=totals["files"],
        digest_files=totals["digest_files"],
        events=totals["unique_events"],
        records=totals["records_written"],
        paths=tuple(out / key for r in results for key in r.keys),
        labels=out / "labels.json",
    )


def _streams(seed: int, accounts: int, regions: tuple[str, ...]) -> list[anom.Stream]:
    """Every (account, region), the first region being each account's home region."""
    return [
        anom.Stream(i * len(regions) + j, i, account_id(seed, i), region, home=j == 0)
        for i in range(accounts)
        for j, region in enumerate(regions)
    ]


def _check(days: int, accounts: int, scale: float, regions: tuple[str, ...]) -> None:
    if days < 2:
        raise BadInputError(f"generate: days must be at least 2, got {days}")
    if accounts < 1:
        raise BadInputError(f"generate: accounts must be at least 1, got {accounts}")
    if not 0 <= scale <= 100:
        raise BadInputError(f"generate: scale must be between 0 and 100, got {scale}")
    if not regions or len(set(regions)) != len(regions):
        raise BadInputError(f"generate: regions must be distinct and not empty: {regions}")


def _jobs(
    out: Path,
    seed: int,
    streams: list[anom.Stream],
    t0: int,
    days: int,
    scale: float,
    placed: tuple[list[anom.Anomaly], anom.Anomaly, anom.Anomaly],
    broken: bool,
) -> list[StreamJob]:
    anomalies, gap, rare = placed
    every = [*anomalies, gap, rare]
    return [
        StreamJob(
            out=out,
            seed=seed,
            stream=s,
            t0=t0,
            windows=days * DAY // WINDOW,
            scale=scale,
            anomalies=tuple(a for a in (*anomalies, rare) if a.stream == s),
            gap_from=gap.start if gap.stream == s else None,
            broken=broken and s.index == 0,
            watch=frozenset(series_of(a) for a in every if a.stream == s),
        )
        for s in streams
    ]


def _run(
    jobs: list[StreamJob], expected: float, progress: Callable[[str], None] | None
) -> list[StreamResult]:
    say = progress or (lambda _message: None)
    say(f"generate: about {expected:,.0f} events in {len(jobs)} account-region streams")
    workers = min(len(jobs), os.cpu_count() or 1, 2)
    if workers < 2 or expected < PARALLEL_FROM:
        results = []
        for job in jobs:
            results.append(run_stream(job))
            _report(say, results[-1])
        return results
    # spawn, not fork: safe whatever threads the caller runs, and the same on every platform
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        results = []
        for result in pool.map(run_stream, jobs):
            results.append(result)
            _report(say, result)
    return results


def _report(say: Callable[[str], None], result: StreamResult) -> None:
    s = result.stream
    say(
        f"generate: {s.account} {s.region}: {result.unique_events:,} events "
        f"in {result.files:,} files"
    )
