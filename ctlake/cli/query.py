"""`ctlake query list | show NAME | run NAME -p key=value ...`: the saved queries.

A thin layer over `ctlake.queries`: `list` and `show` print to stdout (they are the data
asked for); `run` writes the result with `ctlake.output.write_result`, so
`query run X --format csv` is byte for byte what `ctlake sql -c "<same SQL>"` writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ctlake.cli.common import Engine, EngineOption, FormatOption, OutputOption, state
from ctlake.output import Format

if TYPE_CHECKING:
    from ctlake.queries import SavedQuery

query_app = typer.Typer(
    name="query",
    help="Saved queries (queries/*.sql): list, show, run with typed parameters.",
    no_args_is_help=True,
    rich_markup_mode=None,  # as the root app: brackets in help text stay as written
)

NameArgument = Annotated[str, typer.Argument(help="The query name (see `ctlake query list`).")]


def register(app: typer.Typer) -> None:
    app.add_typer(query_app)


@query_app.command("list")
def list_queries(
    tag: Annotated[str | None, typer.Option("--tag", help="Only queries with this tag.")] = None,
) -> None:
    """List the saved queries: each name and what it answers (`query show` for more).

    Example: ctlake query list --tag security
    """
    from ctlake.queries import load_queries

    queries = [q for q in load_queries().values() if tag is None or tag in q.tags]
    width = max((len(q.name) for q in queries), default=0)
    for query in queries:
        print(f"{query.name:<{width}}  {query.description}")


@query_app.command("show")
def show(name: NameArgument) -> None:
    """Show a query: its description, parameters (type, default) and SQL.

    Example: ctlake query show iam-users-created
    """
    from ctlake.queries import load_query

    print(describe(load_query(name)))


@query_app.command("run")
def run(
    ctx: typer.Context,
    name: NameArgument,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A parameter as NAME=VALUE (repeatable)."),
    ] = None,
    fmt: FormatOption = Format.TABLE,
    output: OutputOption = None,
    engine: EngineOption = None,
) -> None:
    """Run a saved query with its defaults, or the parameters you give (on Spark with
    --engine spark: the same rows in the same formats).

    Example: ctlake query run iam-users-created -p days=90 --format csv -o users.csv
    """
    from ctlake.lake import reader
    from ctlake.queries import load_query, parse_assignments, run_query

    query = load_query(name)
    values = parse_assignments(param or [])
    query.bind(values)  # parameter mistakes are reported before the lake is opened
    app = state(ctx)
    on_spark = app.engine(engine) is Engine.SPARK
    con = reader.connect(app.lake)
    try:
        if on_spark:
            from ctlake.spark.queries import spark_queries

            rows = run_query(con, query, values, fmt, output, spark_queries(app.lake, con))
        else:
            rows = run_query(con, query, values, fmt, output)
    finally:
        con.close()
    app.wrote("query", rows, output)


def describe(query: SavedQuery) -> str:
    """The text `query show` prints."""
    lines = [f"{query.name}: {query.description}"]
    if query.tags:
        lines.append(f"tags: {', '.join(query.tags)}")
    lines.append("parameters:" if query.parameters else "parameters: none")
    for param in query.parameters:
        about = f"  {param.description}" if param.description else ""
        lines.append(f"  -p {param.describe()}{about}")
    if query.dialect != "duckdb":
        lines.append(f"dialect: {query.dialect}")
    lines += ["", query.text]
    return "\n".join(lines)
