"""`ctlake metrics list|show|test|import`: CloudWatch metric filters on the lake. Thin over
`ctlake.cloudwatch.metrics`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ctlake.cli.common import FormatOption, OutputOption, state
from ctlake.output import Format
from ctlake.times import parse_time

TIME_HELP = "UTC time (2024-05-01, 2024-05-01T12:30Z) or a span ago (90m, 12h, 7d)."

group = typer.Typer(
    help="CloudWatch metric filters ([[metrics.filter]] in ctlake.toml) and their metrics.",
    no_args_is_help=True,
    rich_markup_mode=None,  # as the root app: brackets in help text stay as written
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="metrics")


@group.command("list")
def list_(
    ctx: typer.Context, fmt: FormatOption = Format.TABLE, output: OutputOption = None
) -> None:
    """List the metric filters of ctlake.toml with what the lake holds of each metric:
    dimension sets, datapoints, first and last minute.

    Example: ctlake metrics list --format csv
    """
    from ctlake.cloudwatch.metrics.points import list_sql
    from ctlake.config import load
    from ctlake.lake import reader
    from ctlake.output import write_result

    app = state(ctx)
    config = load(app.lake.root).metrics
    if not config.filters:
        app.say(
            "metrics: no [[metrics.filter]] in ctlake.toml: write them there, or add those of "
            "`aws logs describe-metric-filters` with `ctlake metrics import FILE`"
        )
        return
    con = reader.connect(app.lake)
    try:
        rows = write_result(con, list_sql(con, config), None, fmt, output)
    finally:
        con.close()
    app.wrote("metrics", rows, output)


@group.command("show")
def show(
    ctx: typer.Context,
    metric: Annotated[
        str,
        typer.Argument(
            metavar="NAMESPACE/NAME", help="The metric, e.g. CISBenchmark/RootAccountUsage."
        ),
    ],
    since: Annotated[
        str | None, typer.Option(help="Periods at or after this time. " + TIME_HELP)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Periods before this time. " + TIME_HELP)
    ] = None,
    period: Annotated[str, typer.Option(help="Period length (1m, 5m, 1h, 1d).")] = "5m",
    statistic: Annotated[
        str,
        typer.Option(help="SampleCount, Sum, Average, Minimum, Maximum or a percentile (p99)."),
    ] = "Sum",
    dimension: Annotated[
        list[str] | None,
        typer.Option(
            "--dimension",
            help="NAME=VALUE of the dimension set to show (repeatable; none: the points "
            "published without dimensions).",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the metric into this PNG file.")
    ] = None,
) -> None:
    """One metric's statistic per period that has data: columns timestamp, value.

    Example: ctlake metrics show CISBenchmark/RootAccountUsage --since 7d --period 1h
    """
    from ctlake.cloudwatch.metrics import chart
    from ctlake.cloudwatch.metrics.points import check_series, series_query
    from ctlake.config import load
    from ctlake.durations import parse_duration
    from ctlake.lake import reader
    from ctlake.output import write_result

    app = state(ctx)
    query = series_query(
        metric,
        statistic=statistic,
        period=parse_duration(period, "--period"),
        dimensions=dimension,
        since=parse_time(since, "--since"),
        until=parse_time(until, "--until"),
    )
    con = reader.connect(app.lake)
    try:
        check_series(con, query, load(app.lake.root).metrics)
        rows = write_result(con, query.sql(), query.params(), fmt, output)
        drawn = con.execute(query.sql(), query.params()).fetchall() if png else []
    finally:
        con.close()
    app.wrote("metrics", rows, output)
    if png is not None:
        chart.png(f"{metric} ({period} periods)", query.statistic, drawn, query.period, png)
        app.progress(f"metrics: chart written to {png}")


@group.command("test")
def test(
    ctx: typer.Context,
    pattern: Annotated[str, typer.Argument(help="A CloudWatch filter pattern.")],
    since: Annotated[
        str | None, typer.Option(help="Events at or after this time. " + TIME_HELP)
    ] = None,
    until: Annotated[str | None, typer.Option(help="Events before this time. " + TIME_HELP)] = None,
    limit: Annotated[int, typer.Option(help="How many matching events to show.")] = 10,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
) -> None:
    """Test a filter pattern on the lake, as CloudWatch's "Test pattern": how many events
    match (on stderr) and the first of them, oldest first.

    Example: ctlake metrics test '{ $.errorCode = "AccessDenied*" }' --since 7d
    """
    from ctlake.cloudwatch.metrics.testing import pattern_test
    from ctlake.lake import reader
    from ctlake.output import write_result

    app = state(ctx)
    test = pattern_test(pattern, parse_time(since, "--since"), parse_time(until, "--until"), limit)
    con = reader.connect(app.lake)
    try:
        matched, tried = test.count(con)
        app.say(f"metrics test: {matched:,} of {tried:,} events match")
        rows = write_result(con, test.rows_sql, test.params, fmt, output)
    finally:
        con.close()
    app.wrote("metrics", rows, output)


@group.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The JSON `aws logs describe-metric-filters` or `aws cloudwatch "
            "describe-alarms` prints.",
        ),
    ],
) -> None:
    """Add the metric filters of a describe-metric-filters JSON (or the alarms of a
    describe-alarms JSON) to the lake's ctlake.toml (appended: the file's comments stay).
    Nothing is written when any definition is bad.

    Example: aws logs describe-metric-filters --log-group-name CloudTrail/logs > filters.json
             ctlake metrics import filters.json
    """
    from ctlake.cloudwatch.alarms.importing import import_alarms, is_describe_alarms
    from ctlake.cloudwatch.metrics.importing import import_filters, read_json
    from ctlake.errors import BadInputError

    app = state(ctx)
    data = read_json(file)
    if is_describe_alarms(data):  # describe-alarms: MetricAlarms / CompositeAlarms
        alarms = import_alarms(app.lake.root, file, data)
        for problem in alarms.problems:
            app.say(problem)
        if alarms.problems:
            raise BadInputError(
                f"{file}: {len(alarms.problems)} bad definition(s): nothing was imported"
            )
        there = f", {len(alarms.unchanged)} already there" if alarms.unchanged else ""
        app.say(
            f"metrics: imported {len(alarms.added)} alarm(s) into "
            f"{app.lake.root / 'ctlake.toml'}{there}; `ctlake run` evaluates them"
        )
        return
    plan = import_filters(app.lake.root, file)
    for problem in plan.problems:
        app.say(problem)
    if plan.problems:
        raise BadInputError(f"{file}: {len(plan.problems)} bad definition(s): nothing was imported")
    unchanged = f", {len(plan.unchanged)} already there" if plan.unchanged else ""
    after = "; `ctlake refresh` computes their metrics" if plan.added else ""
    app.say(
        f"metrics: imported {len(plan.added)} metric filter(s) into "
        f"{app.lake.root / 'ctlake.toml'}{unchanged}{after}"
    )
