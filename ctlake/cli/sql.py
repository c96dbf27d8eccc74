"""`ctlake sql`: run SQL against the lake, one-shot or in an interactive shell.

One-shot when given `-c SQL`, a FILE (`-` for stdin) or piped stdin: statements separated
by `;` (and dot-commands) run in order, the first error ends the run with exit code 3.
Interactive when stdin is a terminal: see `ctlake.shell.repl`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ctlake.cli.common import Engine, EngineOption, FormatOption, OutputOption, state
from ctlake.errors import BadInputError
from ctlake.output import Format

if TYPE_CHECKING:
    import duckdb

    from ctlake.lake import Lake
    from ctlake.shell import Settings
    from ctlake.spark.queries import SparkQueries


def register(app: typer.Typer) -> None:
    app.command("sql")(sql)


def sql(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(help="A file of SQL statements to run ('-' for stdin).", show_default=False),
    ] = None,
    command: Annotated[
        str | None, typer.Option("--command", "-c", help="SQL statement(s) to run.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
    dialect: Annotated[
        str,
        typer.Option(
            "--dialect",
            help="duckdb, lake for CloudTrail Lake (Trino) SQL, or logs-insights for "
            "CloudWatch Logs Insights queries.",
            metavar="NAME",
        ),
    ] = "duckdb",
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="logs-insights: start of the time range (ISO time or a span ago: 7d).",
            show_default=False,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="logs-insights: end of the time range (exclusive).", show_default=False
        ),
    ] = None,
    engine: EngineOption = None,
) -> None:
    """Run SQL against the lake (tables: events, aws_insights, quarantine, ...).

    Without -c or FILE, and with a terminal, opens a shell (.help lists its commands).
    With --engine spark, queries run on Spark over the lake's Parquet (transpiled from
    DuckDB SQL, or from the lake dialect), written in the same formats.

    Example: ctlake sql -c "SELECT eventName, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"

    Example: ctlake sql --dialect logs-insights --since 7d -c 'stats count(*) by eventSource'
    """
    from ctlake.lake import reader
    from ctlake.shell import Session, Settings
    from ctlake.shell.cancel import cancellable
    from ctlake.times import parse_time

    if command is not None and file is not None:
        raise BadInputError("give either -c SQL or a FILE, not both")
    if (since or until) and dialect.lower() != "logs-insights":
        raise BadInputError(
            "--since/--until: the time range of --dialect logs-insights; in SQL, "
            "filter on eventTime"
        )
    settings = Settings(
        fmt=fmt,
        dialect=dialect.lower(),
        output=output,
        since=parse_time(since, "--since"),
        until=parse_time(until, "--until"),
    )
    if settings.since and settings.until and settings.since >= settings.until:
        raise BadInputError(f"--since {since} is not before --until {until}")
    source, text = _one_shot_input(command, file)
    app = state(ctx)
    on_spark = app.engine(engine) is Engine.SPARK
    if text is None and sys.stdin.isatty():
        _interactive(ctx, settings, on_spark)
        return
    con = reader.connect(app.lake)
    try:
        spark = _spark(app.lake, con) if on_spark else None
        runner = cancellable(con, reraise=True, spark=spark)
        session = Session(con, settings, runner=runner, spark=spark)
        session.run_script(text or "", source)
    finally:
        con.close()
    for path, rows in session.written.items():
        app.wrote("sql", rows, path)


def _one_shot_input(command: str | None, file: Path | None) -> tuple[str, str | None]:
    """Where the statements come from and their text (None: nothing given, no pipe)."""
    if command is not None:
        return "-c", command
    if file is not None and str(file) != "-":
        try:
            return str(file), file.read_text(encoding="utf-8")
        except OSError as exc:
            raise BadInputError(f"cannot read {file}: {exc.strerror}") from None
    if file is not None or not sys.stdin.isatty():
        return "<stdin>", sys.stdin.read()
    return "<stdin>", None


def _interactive(ctx: typer.Context, settings: Settings, on_spark: bool) -> None:
    from ctlake.lake import reader
    from ctlake.shell import Session
    from ctlake.shell.repl import run_repl  # prompt_toolkit only when a terminal is there

    lake = state(ctx).lake
    con = reader.connect(lake)
    reader.detach_catalog(con)  # attached again around each statement: see Session.lake
    try:
        spark = _spark(lake, con) if on_spark else None
        run_repl(Session(con, settings, lake=lake, spark=spark))
    finally:
        con.close()


def _spark(lake: Lake, con: duckdb.DuckDBPyConnection) -> SparkQueries:
    """Queries on Spark for `con` (Spark and Arrow loaded only when asked for)."""
    from ctlake.spark.queries import spark_queries

    return spark_queries(lake, con)
