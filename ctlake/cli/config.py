"""`ctlake config init | show`: write a commented ctlake.toml, print the effective one."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import state
from ctlake.config import CONFIG_FILE, load
from ctlake.errors import BadInputError

group = typer.Typer(
    help="The lake's configuration (<lake>/ctlake.toml): write one, show the effective one.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="config")


@group.command("init")
def init(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", help="A folder or glob of CloudTrail files to ingest (repeatable)."
        ),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="A URL that receives each new insight (HTTP POST).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented ctlake.toml into the lake folder.

    Example: ctlake --lake ./lake config init --source ~/trails/AWSLogs --webhook https://...
    """
    from ctlake.batch.config_text import init_text
    from ctlake.insights.records import atomic_write

    app = state(ctx)
    path = app.lake.root / CONFIG_FILE
    if path.exists() and not force:
        raise BadInputError(f"{path} exists: edit it, or pass --force to overwrite it")
    atomic_write(path, init_text(source or [], webhook).encode())
    load(app.lake.root)  # what we wrote must load
    app.say(f"config: wrote {path}; check it with `ctlake config show`")


@group.command("show")
def show(ctx: typer.Context) -> None:
    """Print the effective configuration as TOML, secrets in URLs masked.

    Example: ctlake --lake ./lake config show
    """
    from ctlake.batch.config_text import show_text

    print(show_text(load(state(ctx).lake.root)), end="")
