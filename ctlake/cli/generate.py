"""`ctlake generate OUT`: write a realistic synthetic trail with labelled anomalies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ctlake.cli.common import state


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)


def generate(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="A new or empty folder to write the trail into.")],
    days: Annotated[int, typer.Option(min=2, help="Days of logs.")] = 14,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same trail.")] = 0,
    accounts: Annotated[int, typer.Option(min=1, help="AWS accounts.")] = 1,
    scale: Annotated[float, typer.Option(min=0.01, max=100, help="Background volume x.")] = 1.0,
    end: Annotated[
        dt.datetime | None,
        typer.Option(help="End of the trail, UTC (default: today 00:00), e.g. 2024-06-01."),
    ] = None,
    broken: Annotated[
        bool, typer.Option("--broken/--no-broken", help="Include a few broken files.")
    ] = True,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a non-empty OUT: the trail a previous generate wrote there "
            "(labels.json and its accounts under AWSLogs/) is removed first; other files "
            "are left alone.",
        ),
    ] = False,
) -> None:
    """Generate an S3-layout CloudTrail trail with injected anomalies (OUT/labels.json).

    OUT must be new or empty, so that two trails never mix: --force replaces the trail a
    previous generate wrote there.

    Example: ctlake generate ./trail --days 14 --seed 7 && ctlake ingest ./trail/AWSLogs
    """
    from ctlake.generate import generate_trail
    from ctlake.generate.folder import prepare

    app = state(ctx)
    removed = prepare(out, force)
    if removed:
        app.say(f"generate: --force: removed the previous trail in {out} ({_names(out, removed)})")
    summary = generate_trail(
        out,
        days=days,
        seed=seed,
        accounts=accounts,
        scale=scale,
        end=end.replace(tzinfo=dt.UTC) if end else None,
        broken_files=broken,
        progress=app.progress,
    )
    app.say(
        f"generate: {summary.events:,} events in {summary.files:,} files under {out}; "
        f"labels in {summary.labels}; load with: ctlake ingest {out / 'AWSLogs'}"
    )


def _names(out: Path, removed: list[Path]) -> str:
    return ", ".join(str(path.relative_to(out)) for path in removed)
