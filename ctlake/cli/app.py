"""The root of the command line: global options and the single error boundary.

Start-up cost: building the command line imports every `ctlake.cli` module (Typer reads
every command's signature), so those modules import at their top only Typer, the standard
library, `ctlake.cli.common` and the enums their options name; the library a command runs
(and with it duckdb, pyarrow, sqlglot) is imported inside the command. `ctlake --help` and
`ctlake query list` start without loading the engine (tests/cli/test_startup.py).
"""

from __future__ import annotations

import contextlib
import copy
import os
import stat
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from ctlake import __version__
from ctlake.cli import (
    alarms,
    config,
    contributors,
    cost,
    deliveries,
    demo,
    generate,
    ingest,
    insights,
    metrics,
    models,
    quarantine,
    query,
    run,
    sql,
)
from ctlake.cli.common import AppState
from ctlake.delivery.mask import mask_text
from ctlake.errors import CtlakeError, ExitCode, first_line, os_error_line

GLOBAL_OPTIONS = ("lake", "quiet", "debug")  # the root options also taken after a command


class StdoutClosed(Exception):
    """The reader of stdout went away (`ctlake ... | head`): not an error."""


class RootGroup(TyperGroup):
    """The root command. Its global options are also accepted after any command or group
    (`ctlake ingest PATH --quiet`, `ctlake sql -c ... --lake L`), as the aws CLI takes its
    global options anywhere.

    How: every command below the root gets copies of the root's `--lake`, `--quiet/-q` and
    `--debug` (listed in its help with its own options). They are parsed by the command's
    own parser, so an option's value is never mistaken for one (`sql -c --quiet` runs the
    SQL text "--quiet") and `--` ends options as usual; they are not passed to the command
    function (`expose_value=False`): their callback merges them into the AppState the root
    made. A command defining one of those flags itself is refused when the app is built.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        shared = [_as_global_option(p) for p in self.params if p.name in GLOBAL_OPTIONS]
        for command in self.commands.values():
            _add_options(command, shared)

    def invoke(self, ctx: Any) -> Any:  # a click Context: typer vendors click
        # Click would turn a closed stdout into exit code 1, the code of a bug: let it
        # reach main() instead, which ends quietly. Only when stdout is a pipe or socket:
        # a broken pipe elsewhere is not the reader going away.
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            if not _stdout_is_a_pipe():
                raise
            raise StdoutClosed() from exc


def _stdout_is_a_pipe() -> bool:
    try:
        mode = os.fstat(sys.stdout.fileno()).st_mode
    except (OSError, ValueError):  # replaced by a stream without a descriptor (tests)
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _as_global_option(param: Any) -> Any:
    shared = copy.copy(param)
    shared.expose_value = False
    shared.callback = _merge_global_option
    return shared


def _add_options(command: Any, shared: list[Any]) -> None:
    taken = {flag for p in command.params for flag in (*p.opts, *p.secondary_opts)}
    clash = taken.intersection(flag for p in shared for flag in p.opts)
    if clash:
        raise RuntimeError(f"command {command.name} defines global option(s) {sorted(clash)}")
    command.params.extend(shared)
    for sub in getattr(command, "commands", {}).values():
        _add_options(sub, shared)


def _merge_global_option(ctx: typer.Context, param: Any, value: Any) -> Any:
    """A global option given after a command: the later `--lake` wins; flags add up."""
    app_state = ctx.find_root().obj
    if isinstance(app_state, AppState):
        if param.name == "lake" and value is not None:
            app_state.lake_option = Path(value)
        elif param.name == "quiet" and value:
            app_state.quiet = True
        elif param.name == "debug" and value:
            app_state.debug = True
    return value


app = typer.Typer(
    name="ctlake",
    cls=RootGroup,
    help="CloudTrail Lake and CloudTrail Insights on your own machine.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # CloudTrail data is sensitive: never print locals
    rich_markup_mode=None,  # plain help: rich markup would eat "[cost]" from help texts
    add_completion=False,
)


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
    # main() passes the state it reads --debug from when an error ends the run; an app
    # invoked otherwise (CliRunner in tests) gets a state of its own
    app_state = ctx.obj if isinstance(ctx.obj, AppState) else AppState()
    app_state.lake_option, app_state.quiet, app_state.debug = lake, quiet, debug
    ctx.obj = app_state


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
metrics.register(app)
deliveries.register(app)
alarms.register(app)


def main() -> None:
    """Console entry point: run the app, turning user errors into one line and an exit code."""
    state = AppState()  # filled by the root command from the global options (--debug)
    try:
        _run_app(state)
    except (StdoutClosed, BrokenPipeError):
        _stdout_closed()
    except CtlakeError as exc:
        _fail(state, exc, str(exc), exc.exit_code)
    except KeyboardInterrupt:
        _fail(state, None, "interrupted", ExitCode.FAILURE)
    except Exception as exc:
        _fail_known(state, exc)
        # anything else is a bug: say so in one line, the traceback with --debug
        _fail(
            state,
            exc,
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
            ExitCode.FAILURE,
        )


def _run_app(state: AppState) -> None:
    try:
        app(obj=state)  # standalone: usage errors and typer.Exit end here with their own codes
    except SystemExit:
        sys.stdout.flush()  # a closed stdout shows here, inside the boundary, not at exit
        raise


AWS_CREDENTIALS = (
    "set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an "
    "instance or task role applies"
)


def _fail_known(state: AppState, exc: Exception) -> None:
    """Fail with one line for the errors a user causes without a CtlakeError: an OS error
    on a path they gave (a file where a folder is needed, a full disk), S3's (no
    credentials, access denied) and DuckDB's errors (bad SQL, a file it cannot read or
    write). Return for anything else: a bug."""
    if isinstance(exc, OSError):
        line = os_error_line(exc)
        if line is not None:
            _fail(state, exc, line, ExitCode.BAD_INPUT)
    boto = sys.modules.get("botocore.exceptions")  # loaded by s3fs: a bucket was named
    if boto is not None and isinstance(exc, boto.NoCredentialsError | boto.PartialCredentialsError):
        _fail(state, exc, f"S3: {exc}: {AWS_CREDENTIALS}", ExitCode.BAD_INPUT)
    if boto is not None and isinstance(exc, boto.BotoCoreError | boto.ClientError):
        _fail(state, exc, f"S3: {' '.join(str(exc).split())}", ExitCode.BAD_INPUT)
    duckdb = sys.modules.get("duckdb")  # not imported: a command that never loaded it
    if duckdb is not None and isinstance(exc, duckdb.Error):
        io_error = isinstance(exc, duckdb.IOException)  # a file, not the SQL, is at fault
        _fail(state, exc, ("" if io_error else "SQL error: ") + first_line(exc), ExitCode.BAD_INPUT)


def _stdout_closed() -> NoReturn:
    """End quietly when the reader of stdout is gone, as `cat` or `seq` do: the exit code
    of a process killed by SIGPIPE (128 + 13), nothing on stderr. Further output (the
    flush at exit) goes to /dev/null, as the Python docs advise (signal module, SIGPIPE)."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: a stream without a descriptor
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(ExitCode.STDOUT_CLOSED)


def _fail(state: AppState, exc: BaseException | None, message: str, code: int) -> NoReturn:
    """Print the error (and with --debug its traceback) with secrets in URLs masked: an
    exception from deep down can quote a configured webhook URL, or a piece of one."""
    if state.debug and exc is not None:
        import traceback

        print(mask_text("".join(traceback.format_exception(exc))), end="", file=sys.stderr)
    print(f"error: {mask_text(message)}", file=sys.stderr)
    sys.exit(code)
