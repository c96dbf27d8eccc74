"""`ctlake config init | show`: write a commented ctlake.toml, print the effective one."""

from __future__ import annotations

from typing import Annotated

import typer

from ctlake.cli.common import state
from ctlake.config import CONFIG_FILE, load
from ctlake.delivery.mask import webhook_url
from ctlake.errors import BadInputError

group = typer.Typer(
    help="The lake's configuration (<lake>/ctlake.toml): write one, show the effective one.",
    no_args_is_help=True,
    rich_markup_mode=None,  # as the root app: brackets in help text stay as written
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="config")


@group.command("init")
def init(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            help="A folder or glob of CloudTrail files to ingest (repeatable); one that "
            "does not exist yet is a warning.",
        ),
    ] = None,
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="A URL that receives each new insight (HTTP POST); user:password@ in it "
            "is sent as HTTP Basic authentication.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented ctlake.toml into the lake folder.

    Example: ctlake --lake ./lake config init --source ~/trails/AWSLogs --webhook https://...
    """
    from ctlake.batch.config_text import init_text, source_warnings
    from ctlake.insights.records import atomic_write

    app = state(ctx)
    if webhook:
        webhook_url(webhook, "--webhook")  # a URL that cannot work is refused, masked
    path = app.lake.root / CONFIG_FILE
    if path.exists() and not force:
        raise BadInputError(f"{path} exists: edit it, or pass --force to overwrite it")
    atomic_write(path, init_text(source or [], webhook).encode())
    load(app.lake.root)  # what we wrote must load
    for warning in source_warnings(source or []):
        app.say(f"warning: {warning}")
    app.say(f"config: wrote {path}; check it with `ctlake config show`")


@group.command("show")
def show(ctx: typer.Context) -> None:
    """Print the effective configuration as TOML, secrets in URLs masked.

    Example: ctlake --lake ./lake config show
    """
    from ctlake.batch.config_text import show_text

    print(show_text(load(state(ctx).lake.root)), end="")
