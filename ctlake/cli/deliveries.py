"""`ctlake deliveries drop`: give up the backlog of a sink, typically one removed from
ctlake.toml, whose pending deliveries `ctlake status` would otherwise show for ever."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import state
from ctlake.config import load
from ctlake.errors import BadInputError

group = typer.Typer(
    help="Insight deliveries waiting in the outbox: drop a sink's backlog.",
    no_args_is_help=True,
    rich_markup_mode=None,  # as the root app: brackets in help text stay as written
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="deliveries")


@group.command("drop")
def drop(
    ctx: typer.Context,
    sink: Annotated[str, typer.Argument(help="The sink's name, as `ctlake status` shows it.")],
    wait: Annotated[
        float,
        typer.Option("--wait", help="Seconds to wait for a running batch to finish."),
    ] = 0.0,
) -> None:
    """Drop a sink's pending and failed deliveries: they are never attempted again, even if
    a sink of that name comes back. Delivered ones stay recorded.

    Example: ctlake deliveries drop webhook-86a3c7c3
    """
    from ctlake.delivery import outbox

    app = state(ctx)
    app.lake.require()
    configured = any(s.name == sink for s in load(app.lake.root).sinks)
    with app.lake.write_lock(wait):
        dropped = outbox.drop_backlog(app.lake, sink)
    if not dropped:
        raise BadInputError(
            f"sink {sink!r} has no pending or failed deliveries: `ctlake status` lists the "
            "sinks with a backlog"
        )
    counts = " and ".join(f"{n} {kind}" for kind, n in dropped.items())
    still = "; it is still configured: new insights will be delivered to it" if configured else ""
    app.say(f"deliveries: dropped {counts} deliveries of {sink!r}{still}")
