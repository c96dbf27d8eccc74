"""What every command shares: the lake it works on, how it reports progress."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ctlake.errors import BadInputError
from ctlake.output import Format

if TYPE_CHECKING:
    from ctlake.lake import Lake


@dataclass
class AppState:
    """The global options (`--lake`, `--quiet`, `--debug`), given before or after the
    command; the lake is located when a command first asks for it."""

    lake_option: Path | None = None
    quiet: bool = False
    debug: bool = False
    _lake: Lake | None = field(default=None, init=False, repr=False)

    @property
    def lake(self) -> Lake:
        """The lake named by `--lake`, `$CTLAKE_LAKE` or `./lake`. Located on first use, so
        commands that never open it (help, `query list`, `generate`) neither load the
        engine nor fail on a `--lake` they do not need."""
        if self._lake is None:
            from ctlake.lake import Lake

            self._lake = Lake.locate(self.lake_option)
        return self._lake

    def engine(self, flag: Engine | None) -> Engine:
        """The engine a command runs on: `--engine`, else `[engine] name` in the lake's
        ctlake.toml, else DuckDB. Spark without PySpark or Java is one BadInputError that
        says what to install, before any work starts."""
        from ctlake.config import load

        engine = flag if flag is not None else Engine(load(self.lake.root).engine.name)
        if engine is Engine.SPARK:
            from ctlake.spark.session import missing_runtime

            problem = missing_runtime()
            if problem:
                raise BadInputError(problem)
        return engine

    def progress(self, message: str) -> None:
        """Progress and diagnostics go to stderr; stdout carries data only."""
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def say(self, message: str) -> None:
        """A result line meant for people (summaries): stderr, shown even with --quiet."""
        print(message, file=sys.stderr, flush=True)

    def wrote(self, command: str, count: int, output: Path | None, noun: str = "row") -> None:
        """After a result went to `output` (None: stdout, which speaks for itself), say
        how much was written where: a summary line, shown even with --quiet."""
        if output is not None:
            self.say(f"{command}: wrote {count:,} {noun}{'' if count == 1 else 's'} to {output}")


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


class Engine(StrEnum):
    """What runs ingest, refresh and queries (`--engine`, `[engine] name`)."""

    DUCKDB = "duckdb"
    SPARK = "spark"


EngineOption = Annotated[
    Engine | None,
    typer.Option(
        "--engine",
        help="duckdb or spark (default: [engine] name in ctlake.toml, else duckdb).",
        case_sensitive=False,
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
]
