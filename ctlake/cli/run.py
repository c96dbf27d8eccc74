"""`ctlake run`, `ctlake schedule` and `ctlake status`: running ctlake unattended.

Thin over `ctlake.batch`. `run` prints one summary line on stderr (after a warning for
each source holding no CloudTrail file yet, which is no failure) and exits 0 (all done),
6 (done, but input was quarantined or deliveries failed and stay pending), 5 (another
batch holds the lake), 3 (bad ctlake.toml, a missing source) or 4 (lake problem).
`status` prints to stdout: it is the data asked for.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from ctlake.cli.common import state
from ctlake.config import load
from ctlake.durations import parse_duration

WaitOption = Annotated[
    float | None,
    typer.Option(
        "--wait",
        help="Seconds to wait for another batch to finish (default: schedule.wait, else 0).",
        show_default=False,
    ),
]


class PrintKind(StrEnum):
    CRON = "cron"
    SYSTEMD = "systemd"


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("schedule")(schedule)
    app.command("status")(status)


def run(ctx: typer.Context, wait: WaitOption = None) -> None:
    """Run one batch: ingest new files from the sources, apply retention, refresh the
    models, deliver new insights, write the reports that are due (see ctlake.toml).

    Running it again with nothing new changes nothing and delivers nothing.

    Example: ctlake --lake ./lake run --wait 60
    """
    from ctlake.batch import run_batch
    from ctlake.batch.schedule import StopFlag

    app = state(ctx)
    config = load(app.lake.root)
    with StopFlag() as stop:
        summary = run_batch(app.lake, config, wait_seconds=wait, progress=app.progress, stop=stop)
    for warning in summary.warnings:
        app.say(f"warning: {warning}")
    app.say(summary.line())
    if summary.delivery is not None:
        for error in summary.delivery.errors:
            app.say(f"deliver: {error}")
    raise typer.Exit(summary.exit_code)


def schedule(
    ctx: typer.Context,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            help="Interval: 30s, 5m, 1h, 1d (default: schedule.every, else 5m).",
            show_default=False,
        ),
    ] = None,
    wait: WaitOption = None,
    print_: Annotated[
        PrintKind | None,
        typer.Option(
            "--print",
            help="Print a crontab line or systemd service and timer instead of running.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the batch on an interval in the foreground until SIGTERM or Ctrl-C, which let
    the current step finish; or print a crontab line / systemd units that do the same.

    Example: ctlake --lake ./lake schedule --every 5m
    """
    from ctlake.batch.schedule import cron_line, schedule_loop, systemd_units

    app = state(ctx)
    interval = parse_duration(every, "--every") if every else None
    if print_ is not None:
        chosen = interval or load(app.lake.root).schedule.every
        text = (
            cron_line(app.lake, chosen)
            if print_ is PrintKind.CRON
            else systemd_units(app.lake, chosen)
        )
        print(text.rstrip("\n"))
        return
    load(app.lake.root)  # a broken config is reported before the loop starts
    raise typer.Exit(schedule_loop(app.lake, interval, wait, app.say, app.progress))


def status(ctx: typer.Context) -> None:
    """Show the last run and its result, the lag, what the lake holds, pending
    deliveries and the next scheduled run.

    Example: ctlake --lake ./lake status
    """
    from ctlake.batch.status import lake_status, utc_now

    app = state(ctx)
    app.lake.require()
    report = lake_status(app.lake, load(app.lake.root))
    print("\n".join(report.lines(utc_now())))
