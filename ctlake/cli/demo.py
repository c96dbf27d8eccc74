"""`ctlake demo`: generate a trail with labelled anomalies, ingest it, find the insights and
show each beside the anomaly it found. Thin over `ctlake.demo`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ctlake.cli.common import state
from ctlake.errors import BadInputError


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=2, help="Days of logs to generate.")] = 14,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same trail.")] = 7,
    accounts: Annotated[int, typer.Option(min=1, help="AWS accounts.")] = 1,
    directory: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="Folder for the trail and the lake (default: a new temporary folder, kept).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the whole product on generated data: insights found vs anomalies injected.

    Example: ctlake demo --days 14 --seed 7 --dir ./demo
    """
    from ctlake.demo import report, run_demo
    from ctlake.output import terminal_width

    app = state(ctx)
    if directory is not None:
        _require_empty(directory)
    folder = directory or Path(tempfile.mkdtemp(prefix="ctlake-demo-"))
    result = run_demo(folder, days=days, seed=seed, accounts=accounts, progress=app.progress)
    timings = ", ".join(f"{stage} {sec:.1f}s" for stage, sec in result.seconds.items())
    app.progress(f"demo: {timings}")
    print("\n".join(report(result, terminal_width())))


def _require_empty(directory: Path) -> None:
    """A second demo into the same folder would mix two trails in one lake and score the
    insights of both against one set of labels."""
    if directory.exists() and not directory.is_dir():
        raise BadInputError(f"{directory} is a file, not a folder")
    if directory.exists() and any(directory.iterdir()):
        raise BadInputError(
            f"demo: {directory} is not empty: give a new or empty folder for the trail and lake"
        )
