"""`ctlake quarantine`: what ingest set aside, and why."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import FormatOption, OutputOption, state
from ctlake.errors import BadInputError
from ctlake.output import Format, write_result
from ctlake.resources import read_sql

group = typer.Typer(
    help="Input that ingest set aside, with the reason.",
    no_args_is_help=True,
    rich_markup_mode=None,  # as the root app: brackets in help text stay as written
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="quarantine")


@group.command("list")
def list_(
    ctx: typer.Context,
    source: Annotated[
        str | None, typer.Option("--source", help="Only items from files whose path contains this.")
    ] = None,
    raw: Annotated[bool, typer.Option("--raw", help="Include the raw text.")] = False,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """List quarantined files and records: source, location, reason.

    Example: ctlake quarantine list --source 2024/05/01 --format csv
    """
    from ctlake.lake import reader

    app = state(ctx)
    con = reader.connect(app.lake)
    try:
        params = {"source": source or "", "raw": raw}
        rows = write_result(con, read_sql(__file__, "quarantine_list"), params, fmt, output)
    finally:
        con.close()
    app.wrote("quarantine", rows, output)


@group.command("show")
def show(
    ctx: typer.Context,
    item: Annotated[int, typer.Argument(help="The id from `quarantine list`.")],
) -> None:
    """Print one quarantined item's raw text (stdout) and its reason (stderr).

    Example: ctlake quarantine show 12 > bad-record.json
    """
    from ctlake.lake import reader

    con = reader.connect(state(ctx).lake)
    try:
        rows = con.execute(read_sql(__file__, "quarantine_show"), {"id": item}).fetchall()
    finally:
        con.close()
    if not rows:
        raise BadInputError(f"no quarantined item {item}: see `ctlake quarantine list`")
    source, location, reason, raw = rows[0]
    state(ctx).say(f"{source} ({location or 'whole file'}): {reason}")
    print(raw if raw is not None else "")
