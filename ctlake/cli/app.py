"""The root of the command line: global options and the single error boundary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from ctlake import __version__
from ctlake.cli import (
    config,
    contributors,
    cost,
    deliveries,
    demo,
    generate,
    ingest,
    insights,
    models,
    quarantine,
    query,
    run,
    sql,
)
from ctlake.cli.common import AppState
from ctlake.delivery.mask import mask_text
from ctlake.errors import CtlakeError, ExitCode, first_line
from ctlake.lake import Lake

app = typer.Typer(
    name="ctlake",
    help="CloudTrail Lake and CloudTrail Insights on your own machine.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # CloudTrail data is sensitive: never print locals
    rich_markup_mode=None,  # plain help: rich markup would eat "[cost]" from help texts
    add_completion=False,
)
_debug = False


def _version(value: bool) -> None:
    if value:
        print(f"ctlake {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    lake: Annotated[
        Path | None,
        typer.Option(
            "--lake",
            help="The lake folder (default: $CTLAKE_LAKE, else ./lake).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    global _debug
    _debug = debug
    ctx.obj = AppState(lake=Lake.locate(lake), quiet=quiet, debug=debug)


ingest.register(app)
sql.register(app)
quarantine.register(app)
generate.register(app)
insights.register(app)
models.register(app)
demo.register(app)
query.register(app)
contributors.register(app)
cost.register(app)
run.register(app)
config.register(app)
deliveries.register(app)


def main() -> None:
    """Console entry point: run the app, turning user errors into one line and an exit code."""
    try:
        app()  # standalone: usage errors and typer.Exit end here with their own codes
    except CtlakeError as exc:
        _fail(exc, str(exc), exc.exit_code)
    except duckdb.Error as exc:
        _fail(exc, f"SQL error: {first_line(exc)}", ExitCode.BAD_INPUT)
    except KeyboardInterrupt:
        _fail(None, "interrupted", ExitCode.FAILURE)
    except Exception as exc:  # a bug: say so in one line, the traceback with --debug
        _fail(
            exc,
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
            ExitCode.FAILURE,
        )


def _fail(exc: BaseException | None, message: str, code: int) -> None:
    """Print the error (and with --debug its traceback) with secrets in URLs masked: an
    exception from deep down can quote a configured webhook URL, or a piece of one."""
    if _debug and exc is not None:
        import traceback

        print(mask_text("".join(traceback.format_exception(exc))), end="", file=sys.stderr)
    print(f"error: {mask_text(message)}", file=sys.stderr)
    sys.exit(code)
