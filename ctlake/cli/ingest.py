"""`ctlake ingest PATH...`: load CloudTrail files into the lake."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import Engine, EngineOption, state
from ctlake.errors import ExitCode


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files or folders of CloudTrail logs (S3 delivery trees, .json, .json.gz, "
            "JSON Lines, EventBridge envelopes, LookupEvents output), here or in a bucket "
            "(s3://bucket/AWSLogs/), or - for stdin.",
            show_default=False,
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Read files again even if already ingested.")
    ] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for another writer to finish.")
    ] = 0.0,
    batch_mb: Annotated[
        int,
        typer.Option(
            "--batch-mb",
            min=1,
            help="Records (MB of JSON) committed per batch: bounds memory; smaller batches "
            "commit more often. With --engine spark: MB of input files per batch.",
        ),
    ] = 64,
    engine: EngineOption = None,
) -> None:
    """Load CloudTrail logs into the lake, exactly once; bad input goes to quarantine.

    In folders, files not named *.json, *.jsonl, *.ndjson or *.gz are passed over (and
    counted). If no PATH holds a CloudTrail file, ingest says what it found instead and
    exits with code 3; a PATH without any, beside others with some, is a warning.

    Example: ctlake --lake ./lake ingest ~/trails/AWSLogs s3://my-trail/AWSLogs/
    """
    app = state(ctx)
    if app.engine(engine) is Engine.SPARK:
        from ctlake.config import load
        from ctlake.spark.ingest import ingest as spark_ingest

        summary = spark_ingest(
            app.lake,
            paths,
            load(app.lake.root).spark,
            force=force,
            progress=app.progress,
            wait_seconds=wait,
            batch_bytes=batch_mb * 1024 * 1024,
            require_logs=True,
        )
    else:
        from ctlake.ingest import ingest as run_ingest

        summary = run_ingest(
            app.lake,
            paths,
            force=force,
            progress=app.progress,
            wait_seconds=wait,
            batch_bytes=batch_mb * 1024 * 1024,
            require_logs=True,
        )
    for empty in summary.empty:
        app.say(f"warning: {empty.line()}")
    app.say(f"ingest: {summary.line()} in {summary.seconds:.1f}s")
    if summary.quarantined:
        app.say("ingest: see `ctlake quarantine list` for what was set aside and why")
        raise typer.Exit(ExitCode.PARTIAL)
