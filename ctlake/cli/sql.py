"""`ctlake sql`: run SQL against the lake."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import FormatOption, OutputOption, state
from ctlake.errors import BadInputError
from ctlake.lake import reader
from ctlake.output import Format, write_result


def register(app: typer.Typer) -> None:
    app.command("sql")(sql)


def sql(
    ctx: typer.Context,
    command: Annotated[
        str | None, typer.Option("--command", "-c", help="One SQL statement to run.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Run SQL against the lake (tables: events, aws_insights, quarantine, ...).

    Example: ctlake sql -c "SELECT eventName, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC"
    """
    if command is None:
        raise BadInputError("give a statement with -c SQL")
    con = reader.connect(state(ctx).lake)
    try:
        write_result(con, command, None, fmt, output)
    finally:
        con.close()
