"""`ctlake config init | show`: write a commented ctlake.toml, print the effective one."""

from __future__ import annotations

import tempfile
from pathlib import Path
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
    cis: Annotated[
        bool,
        typer.Option(
            "--cis",
            help="Add the CIS monitoring pack: 15 metric filters with a CloudWatch alarm "
            "each (data/cis/cis.toml); to an existing file, it is appended.",
        ),
    ] = False,
) -> None:
    """Write a commented ctlake.toml into the lake folder (with --cis, the CIS monitoring
    pack too; an existing file gets the pack appended).

    Example: ctlake --lake ./lake config init --source ~/trails/AWSLogs --cis
    """
    from ctlake.batch.config_text import init_text, source_warnings, with_cis
    from ctlake.insights.records import atomic_write

    app = state(ctx)
    if webhook:
        webhook_url(webhook, "--webhook")  # a URL that cannot work is refused, masked
    path = app.lake.root / CONFIG_FILE
    exists = path.exists() and not force
    if exists and not (cis and not source and not webhook):
        raise BadInputError(
            f"{path} exists: edit it, pass --force to overwrite it, or --cis alone to add the "
            "CIS pack to it"
        )
    text = path.read_text(encoding="utf-8") if exists else init_text(source or [], webhook)
    if cis:
        added = with_cis(text, load(app.lake.root) if exists else None)
        if added is None:
            app.say(f"config: {path} already has the CIS pack's filters and alarms")
            return
        text = added
    _check(text, path)  # what we write must load: checked before it replaces the file
    atomic_write(path, text.encode())
    for warning in source_warnings(source or []):
        app.say(f"warning: {warning}")
    app.say(f"config: wrote {path}; check it with `ctlake config show`")


def _check(text: str, path: Path) -> None:
    """`text` loads as the configuration at `path` (errors name `path`)."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / CONFIG_FILE).write_text(text, encoding="utf-8")
        try:
            load(Path(folder))
        except BadInputError as exc:
            said = str(exc).replace(str(Path(folder) / CONFIG_FILE), str(path))
            raise BadInputError(f"{said} (nothing written)") from None


@group.command("show")
def show(ctx: typer.Context) -> None:
    """Print the effective configuration as TOML, secrets in URLs masked.

    Example: ctlake --lake ./lake config show
    """
    from ctlake.batch.config_text import show_text

    print(show_text(load(state(ctx).lake.root)), end="")
