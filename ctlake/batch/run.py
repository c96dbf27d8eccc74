"""`ctlake run`: one batch — ingest, retention, refresh, alarms, delivery, reports.

The batch holds the lake's write lock once, for all its steps (the lock is re-entrant
within a process, so ingest and refresh take it again without waiting on themselves);
ingest and refresh run on the engine `[engine]` names (DuckDB or Spark), and each step is
itself crash-safe and idempotent:

- ingest skips files already read (path, size, content hash) and commits in batches;
- retention removes whole expired partitions through the commit protocol;
- refresh recomputes only what new batches can change, in one transaction;
- the alarms are evaluated up to the newest event, their state changes and outbox events
  recorded in one transaction (`ctlake.cloudwatch.alarms.evaluate`);
- delivery enqueues new insight records in one transaction and records each outcome;
- a report is written only when its interval has passed.

A source with nothing new is the normal case; a source that holds no CloudTrail file at all
(an empty folder, a glob matching nothing: the logs may not have arrived yet) is a
warning in `RunSummary.warnings`, never a failure. A source path that does not exist is
an error (BAD_INPUT), as in `ctlake ingest`.

So a second run with nothing new changes nothing and delivers nothing, and a run killed at
any moment is completed exactly by the next one. `stop()` is checked between steps (and
between deliveries): a SIGTERM lets the current step finish, then the batch ends early.
The run is recorded in `run_log`.
"""

from __future__ import annotations

import glob
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ctlake.batch import reports, runlog
from ctlake.batch.retention import RetentionSummary, apply_retention
from ctlake.cloudwatch.alarms.evaluate import AlarmSummary, evaluate_alarms
from ctlake.config import Config, load
from ctlake.crashpoints import crash_point
from ctlake.delivery.deliver import DeliverySummary, deliver
from ctlake.delivery.mask import mask_text
from ctlake.errors import CtlakeError, ExitCode
from ctlake.ingest import IngestSummary, ingest
from ctlake.lake import Lake
from ctlake.models import RefreshSummary, refresh
from ctlake.urls import filesystem, is_url, with_scheme

Progress = Callable[[str], None]
_GLOB_CHARS = set("*?[")


@dataclass
class RunSummary:
    run_id: int = 0
    ingest: IngestSummary | None = None
    retention: RetentionSummary | None = None
    refresh: RefreshSummary | None = None
    alarms: AlarmSummary | None = None
    delivery: DeliverySummary | None = None
    reports: list[Path] = field(default_factory=list)
    stopped: bool = False
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> ExitCode:
        """OK, or PARTIAL when input was set aside or deliveries failed or wait."""
        quarantined = self.ingest is not None and self.ingest.quarantined > 0
        undelivered = self.delivery is not None and (self.delivery.pending or self.delivery.failed)
        return ExitCode.PARTIAL if quarantined or undelivered else ExitCode.OK

    @property
    def result(self) -> str:
        if self.stopped:
            return "stopped"
        return "ok" if self.exit_code == ExitCode.OK else "partial"

    def line(self) -> str:
        parts = []
        if self.ingest is not None:
            i = self.ingest
            parts.append(f"{i.files_read} new files, {i.stored} events stored")
            if i.quarantined:
                parts.append(f"{i.quarantined} records quarantined")
        if self.retention is not None and self.retention.partitions:
            parts.append(self.retention.line())
        if self.refresh is not None:
            ran = sum(r.action != "skip" for r in self.refresh.runs)
            parts.append(f"{ran} of {len(self.refresh.runs)} models refreshed")
        if self.alarms is not None and self.alarms.alarms:
            parts.append(self.alarms.line())
        if self.delivery is not None:
            parts.append(self.delivery.line())
        parts.append(f"{len(self.reports)} reports")
        state = " (stopped early)" if self.stopped else ""
        return f"run {self.run_id}: {', '.join(parts)}{state} in {self.seconds:.1f}s"


def is_glob(pattern: str) -> bool:
    return bool(_GLOB_CHARS & set(pattern))


def expand_sources(patterns: tuple[str, ...], unmatched: list[str] | None = None) -> list[str]:
    """The configured sources as paths: globs expanded (a glob matching nothing is no
    error: the files may not have arrived yet; it is added to `unmatched`), plain paths
    kept as they are."""
    paths: list[str] = []
    for pattern in patterns:
        if is_glob(pattern):
            matches = sorted(_glob(pattern))
            paths.extend(matches)
            if not matches and unmatched is not None:
                unmatched.append(pattern)
        else:
            paths.append(pattern)
    return paths


def _glob(pattern: str) -> list[str]:
    """The paths `pattern` matches: a glob over files here, or over a bucket's keys."""
    if not is_url(pattern):
        return glob.glob(pattern, recursive=True)
    fs = filesystem(pattern, what=f"[sources] {pattern}")
    return [with_scheme(pattern, path) for path in fs.glob(pattern)]


def run_batch(
    lake: Lake,
    config: Config | None = None,
    *,
    wait_seconds: float | None = None,
    progress: Progress | None = None,
    stop: Callable[[], bool] = lambda: False,
    every: timedelta | None = None,
) -> RunSummary:
    """Run one batch on `lake` (see the module docstring); `every` is the interval of the
    schedule running it, if any (recorded in the run log)."""
    config = config or load(lake.root)
    wait = config.schedule.wait if wait_seconds is None else wait_seconds
    began = time.monotonic()
    summary = RunSummary()
    with lake.write_lock(wait):
        summary.run_id = runlog.start(lake, every)
        crash_point("run.started")
        try:
            _steps(lake, config, summary, progress, stop)
            crash_point("run.finishing")
        except BaseException as exc:
            summary.seconds = time.monotonic() - began
            code = exc.exit_code if isinstance(exc, CtlakeError) else ExitCode.FAILURE
            urls = [s.url for s in config.sinks if s.url]
            error = mask_text(f"{type(exc).__name__}: {exc}", *urls)
            runlog.finish(lake, summary.run_id, "failed", int(code), summary.line(), error)
            raise
        summary.seconds = time.monotonic() - began
        runlog.finish(lake, summary.run_id, summary.result, int(summary.exit_code), summary.line())
    return summary


def _steps(
    lake: Lake,
    config: Config,
    summary: RunSummary,
    progress: Progress | None,
    stop: Callable[[], bool],
) -> None:
    unmatched: list[str] = []
    summary.ingest = _ingest(
        lake, config, expand_sources(config.sources.paths, unmatched), progress
    )
    summary.warnings += [f"source {pattern} matches no file yet" for pattern in unmatched]
    summary.warnings += [empty.line() for empty in summary.ingest.empty]
    if stop():
        summary.stopped = True
        return
    summary.retention = apply_retention(lake, config.retention.days, runlog.utc_now().date())
    summary.refresh = refresh(
        lake,
        progress=progress,
        insights=config.insights,
        metrics=config.metrics,
        engine=config.engine.name,
    )
    summary.alarms = evaluate_alarms(lake, config.alarms, config.metrics)
    if stop():
        summary.stopped = True
        return
    summary.delivery = deliver(lake, config.sinks, stop=stop, progress=progress)
    if stop():
        summary.stopped = True
        return
    due = reports.due_reports(lake, config.reports, runlog.utc_now())
    summary.reports = reports.write_reports(lake, config.reports, due)


def _ingest(
    lake: Lake, config: Config, paths: list[str], progress: Progress | None
) -> IngestSummary:
    """The sources ingested by `[engine]`'s engine: Spark's ingest keeps DuckDB's contract."""
    if config.engine.name == "spark":
        from ctlake.spark.ingest import ingest as spark_ingest

        return spark_ingest(lake, paths, config.spark, progress=progress)
    return ingest(lake, paths, progress=progress)
