"""`ctlake refresh` and `ctlake models`: run the SQL models of `sql/`, and list them."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import EngineOption, FormatOption, OutputOption, state
from ctlake.output import Format, write_result
from ctlake.resources import read_sql


def register(app: typer.Typer) -> None:
    app.command("refresh")(refresh)
    app.command("models")(models)


def refresh(
    ctx: typer.Context,
    full: Annotated[bool, typer.Option("--full", help="Rebuild every model from scratch.")] = False,
    wait: Annotated[
        float, typer.Option("--wait", help="Seconds to wait for another writer to finish.")
    ] = 0.0,
    engine: EngineOption = None,
) -> None:
    """Bring the models (minute counts, baselines, insights) up to date with the lake.

    Incremental models recompute only the window that new or late events can change; the
    result is the same as `--full`. Thresholds: <lake>/ctlake.toml (see sql/README.md).
    With --engine spark the models run on Spark over the lake's Parquet; their outputs land
    in the same catalog tables.

    Example: ctlake --lake ./lake refresh
    """
    from ctlake.models import refresh as run_refresh

    app = state(ctx)
    summary = run_refresh(
        app.lake,
        full=full,
        wait_seconds=wait,
        progress=app.progress,
        engine=app.engine(engine).value,
    )
    app.say(f"refresh: {summary.line()} in {summary.seconds:.1f}s")


def models(
    ctx: typer.Context, fmt: FormatOption = Format.TABLE, output: OutputOption = None
) -> None:
    """List the models: kind, dependencies, high-water mark, rows, last refresh.

    Example: ctlake models --format csv
    """
    from ctlake.models.listing import connect_listing

    app = state(ctx)
    con = connect_listing(app.lake)
    try:
        rows = write_result(con, read_sql(__file__, "models_list"), None, fmt, output)
    finally:
        con.close()
    app.wrote("models", rows, output)
