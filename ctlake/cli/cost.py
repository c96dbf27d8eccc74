"""`ctlake cost`: what the events in the lake would cost on AWS, by month and eventSource."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import FormatOption, OutputOption, state
from ctlake.cost import By, estimate, load_price_rows, load_prices, report_sql
from ctlake.output import Format, write_result
from ctlake.times import parse_time

TIME_HELP = "UTC time (2024-05-01, 2024-05-01T12:30Z) or a span ago (90m, 12h, 7d)."


def register(app: typer.Typer) -> None:
    app.command("cost")(cost)


def cost(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Events at or after this time. " + TIME_HELP)
    ] = None,
    until: Annotated[str | None, typer.Option(help="Events before this time. " + TIME_HELP)] = None,
    by: Annotated[By, typer.Option("--by", help="Group the rows by.")] = By.MONTH_SOURCE,
    trails: Annotated[
        int | None,
        typer.Option(help="Trails delivering the management events (the first copy is free)."),
    ] = None,
    queries_per_day: Annotated[
        int | None, typer.Option(help="CloudTrail Lake queries a day, for the scan estimate.")
    ] = None,
    query_scan_days: Annotated[
        int | None, typer.Option(help="Days of events each of those queries reads.")
    ] = None,
    prices: Annotated[
        bool, typer.Option("--prices", help="List the prices and assumptions used, and why.")
    ] = False,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Estimate the AWS bill for the logged events: management events on extra trails, data
    events, Insights analyses, CloudTrail Lake ingestion and query scans (USD).

    Prices are AWS list prices (see --prices); override them in the [cost] table of
    <lake>/ctlake.toml.

    Example: ctlake cost --by month --trails 2 --queries-per-day 50
    """
    from ctlake.lake import reader

    app_state = state(ctx)
    table = load_prices(app_state.lake.root).with_options(
        trails=trails, queries_per_day=queries_per_day, query_scan_days=query_scan_days
    )
    con = reader.connect(app_state.lake)
    try:
        if prices:
            rows = write_result(con, load_price_rows(con, table), None, fmt, output)
            app_state.wrote("cost", rows, output)
            return
        totals = estimate(con, table, parse_time(since, "--since"), parse_time(until, "--until"))
        rows = write_result(con, report_sql(by), None, fmt, output)
        app_state.wrote("cost", rows, output)
        app_state.say(totals.describe())
    finally:
        con.close()
