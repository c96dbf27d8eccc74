"""`ctlake insights list|show|export`: the insights the models found, as the CloudTrail
console and S3 delivery show them. Thin over `ctlake.insights`."""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ctlake.cli.common import OutputOption, state
from ctlake.insights import query
from ctlake.insights.query import InsightFilter, InsightType, State
from ctlake.output import Format, write_result
from ctlake.times import parse_time

if TYPE_CHECKING:
    pass

group = typer.Typer(
    help="Insights: unusual API call and error rates the models found.",
    no_args_is_help=True,
    rich_markup_mode=None,  # as the root app: brackets in help text stay as written
)


SINCE_HELP = (
    "Insights still going at or after this UTC time (2024-05-01, 2024-05-01T12:00Z) "
    "or this long ago (90m, 12h, 7d)."
)


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="insights")


@group.command("list")
def list_(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help=SINCE_HELP, show_default=False)] = None,
    until: Annotated[
        str | None, typer.Option(help="Insights that began before this time.", show_default=False)
    ] = None,
    insight_type: Annotated[
        InsightType | None,
        typer.Option("--type", help="Only this insight type.", show_default=False),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(help="Only this eventSource (iam.amazonaws.com).", show_default=False),
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Only this eventName (CreateUser).", show_default=False)
    ] = None,
    account: Annotated[
        str | None, typer.Option(help="Only this recipientAccountId.", show_default=False)
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Only this awsRegion.", show_default=False)
    ] = None,
    insight_state: Annotated[
        State | None, typer.Option("--state", help="Only Start or End records.", show_default=False)
    ] = None,
    fmt: Annotated[
        ListFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = ListFormat.TABLE,
    output: OutputOption = None,
) -> None:
    """List insight records (Start and End), oldest first.

    json, jsonl: the CloudTrail Insights records. table, csv: a row per record.

    Example: ctlake insights list --since 7d --type ApiCallRateInsight --format json
    """
    from ctlake.insights import records
    from ctlake.lake import reader

    filters = InsightFilter(
        since=parse_time(since, "--since"),
        until=parse_time(until, "--until"),
        insight_type=insight_type.value if insight_type else None,
        source=source,
        name=name,
        account=account,
        region=region,
        state=insight_state.value if insight_state else None,
    )
    app = state(ctx)
    con = reader.connect(app.lake)
    try:
        query.select(con, filters)
        if fmt in (ListFormat.JSON, ListFormat.JSONL):
            parsed = records.parse(query.record_texts(con))
            render = records.as_json if fmt is ListFormat.JSON else records.as_jsonl
            records.write_bytes(render(parsed), output)
            app.wrote("insights", len(parsed), output, noun="record")
        else:
            rows = write_result(con, query.table_sql(), None, Format(fmt.value), output)
            app.wrote("insights", rows, output)
    finally:
        con.close()


@group.command("show")
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="eventID or sharedEventID.")],
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the graph into this PNG file.")
    ] = None,
) -> None:
    """Show one insight: statistics, attributions, related events and the graph.

    Example: ctlake insights show 26acc406-e3d7-4f74-90bd-aca9d06c5127 --png insight.png
    """
    from ctlake.insights import chart
    from ctlake.insights import show as detail
    from ctlake.lake import reader

    app = state(ctx)
    con = reader.connect(app.lake)
    try:
        width = max(40, min(shutil.get_terminal_size((100, 24)).columns - 12, 120))
        lines = detail.detail(con, ident, width=width)
        figure = detail.chart_for(con, detail.find(con, ident)) if png else None
    finally:
        con.close()
    print("\n".join(lines))
    if png is not None and figure is not None:
        chart.png(figure, png)
        app.progress(f"insights: graph written to {png}")


@group.command("export")
def export(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to write into.")],
) -> None:
    """Write every insight record as CloudTrail delivers them to S3.

    Files: DIR/CloudTrail-Insight/REGION/YYYY/MM/DD/*.json.gz; exporting again overwrites them.

    Example: ctlake insights export ./insights-out
    """
    from ctlake.insights.export import export as run_export

    app = state(ctx)
    summary = run_export(app.lake, out_dir)
    stale = f"; removed {len(summary.removed)} stale files" if summary.removed else ""
    app.say(
        f"insights: exported {summary.records} records in {summary.files} files to {out_dir}"
        + stale
    )
