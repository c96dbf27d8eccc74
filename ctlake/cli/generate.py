"""`ctlake generate OUT`: write a realistic synthetic trail with labelled anomalies."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ctlake.cli.common import state


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)


def generate(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="Folder to write the trail into.")],
    days: Annotated[int, typer.Option(min=1, help="Days of logs.")] = 14,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same trail.")] = 0,
    accounts: Annotated[int, typer.Option(min=1, help="AWS accounts.")] = 1,
    scale: Annotated[float, typer.Option(min=0.01, help="Volume multiplier.")] = 1.0,
) -> None:
    """Generate an S3-layout CloudTrail trail with injected anomalies (labels.json).

    Example: ctlake generate ./trail --days 14 --seed 7
    """
    from ctlake.generate import generate_trail

    app = state(ctx)
    summary = generate_trail(
        out, days=days, seed=seed, accounts=accounts, scale=scale, progress=app.progress
    )
    app.say(f"generate: {summary.events:,} events in {summary.files:,} files under {out}")
