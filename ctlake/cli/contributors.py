"""`ctlake contributors RULE.json`: a CloudWatch Contributor Insights rule over the lake."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ctlake.cli.common import FormatOption, OutputOption, state
from ctlake.output import Format, write_result
from ctlake.times import parse_time

TIME_HELP = "UTC time (2024-05-01, 2024-05-01T12:30Z) or a span ago (90m, 12h, 7d)."


def register(app: typer.Typer) -> None:
    app.command("contributors")(contributors)


def contributors(
    ctx: typer.Context,
    rule: Annotated[
        Path, typer.Argument(help="A Contributor Insights rule body (JSON).", show_default=False)
    ],
    since: Annotated[
        str | None, typer.Option(help="Events at or after this time. " + TIME_HELP)
    ] = None,
    until: Annotated[str | None, typer.Option(help="Events before this time. " + TIME_HELP)] = None,
    top: Annotated[int, typer.Option(help="How many contributors to show (per period).")] = 10,
    period: Annotated[
        str | None,
        typer.Option(help="Rank contributors in each period of this length (1m, 5m, 1h, 1d)."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Top contributors by a CloudWatch Contributor Insights rule, over the whole range or
    per period. The rule body is the JSON CloudWatch takes, unchanged (LogGroupNames are
    ignored: the lake is the log group).

    Example: ctlake contributors data/contributor-rules/top-api-calls.json --top 5 --period 1h
    """
    from ctlake.contributors import Query, build, load_rule, parse_period, summary
    from ctlake.lake import reader

    app_state = state(ctx)
    parsed = load_rule(rule)
    query = Query(
        since=parse_time(since, "--since"),
        until=parse_time(until, "--until"),
        top=top,
        period=parse_period(period),
    )
    con = reader.connect(app_state.lake)
    try:
        events, unique, total = summary(con, parsed, query)
        amount = f"{int(total):,}" if total.is_integer() else f"{total:,.2f}"
        app_state.progress(
            f"{rule.name}: {events:,} events matched, {unique:,} unique contributors, "
            f"{parsed.aggregate.lower()} {amount}"
        )
        sql, params = build(parsed, query, "top_per_period" if query.period else "top")
        rows = write_result(con, sql, params, fmt, output)
    finally:
        con.close()
    app_state.wrote("contributors", rows, output)
