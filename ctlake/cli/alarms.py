"""`ctlake alarms list|history`: the CloudWatch metric alarms of ctlake.toml and their state
changes, as `ctlake run` evaluated them on the lake's event time."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import FormatOption, OutputOption, state
from ctlake.config import load
from ctlake.errors import BadInputError
from ctlake.output import Format, write_result
from ctlake.resources import read_sql

group = typer.Typer(
    help="CloudWatch metric alarms on the lake: their state and history.",
    no_args_is_help=True,
    rich_markup_mode=None,  # as the root app: brackets in help text stay as written
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="alarms")


@group.command("list")
def list_(
    ctx: typer.Context, fmt: FormatOption = Format.TABLE, output: OutputOption = None
) -> None:
    """List the configured alarms: name, state (OK, ALARM, INSUFFICIENT_DATA), since when
    (event time) and why.

    Example: ctlake alarms list --format csv
    """
    from ctlake.delivery.outbox import has_table
    from ctlake.lake import reader

    app = state(ctx)
    names = [alarm.name for alarm in load(app.lake.root).alarms.alarms]
    con = reader.connect(app.lake)
    try:
        evaluated = has_table(con, "alarm_state")  # not in a catalog older than the alarms
        sql = read_sql(__file__, "alarms_list" if evaluated else "alarms_list_unevaluated")
        rows = write_result(con, sql, {"names": names}, fmt, output)
    finally:
        con.close()
    app.wrote("alarms list", rows, output, noun="alarm")


@group.command("history")
def history(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="The alarm's name, as `ctlake alarms list` shows it.")
    ],
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """An alarm's state changes: timestamp (the period end, event time), old_state,
    new_state, reason. Changes are never rewritten: one found through late-arriving events
    is added after the others, its reason starting "Late data".

    Example: ctlake alarms history IAMPolicyChanges -f json
    """
    from ctlake.db import scalar
    from ctlake.delivery.outbox import has_table
    from ctlake.lake import reader

    app = state(ctx)
    configured = {alarm.name for alarm in load(app.lake.root).alarms.alarms}
    con = reader.connect(app.lake)
    try:
        known = has_table(con, "alarm_state") and scalar(
            con, read_sql(__file__, "alarms_known"), {"name": name}
        )
        if not known:
            if name not in configured:
                raise BadInputError(
                    f"no alarm {name!r}: `ctlake alarms list` names the configured alarms"
                )
            raise BadInputError(f"alarm {name!r} has not been evaluated yet: run `ctlake run`")
        rows = write_result(con, read_sql(__file__, "alarms_history"), {"name": name}, fmt, output)
    finally:
        con.close()
    app.wrote("alarms history", rows, output, noun="state change")
