"""`--lake`, `--quiet` and `--debug` before the command (the documented form) or after it,
as the aws CLI takes its global options anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from ctlake.cli.app import RootGroup, app
from ctlake.errors import ExitCode
from ctlake.lake import Lake
from tests.cli.conftest import Cli
from tests.cli.test_app import command_paths
from tests.conftest import WriteFile, make_record


@pytest.mark.parametrize(
    "args",
    [
        ["sql", "-c", "SELECT count(*) AS n FROM events", "-f", "csv"],
        ["query", "run", "access-denied", "-f", "csv"],
        ["insights", "list", "-f", "csv"],
        ["quarantine", "list", "-f", "csv"],
        ["models", "-f", "csv"],
        ["status"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_lake_may_come_before_or_after_the_command(
    cli: Cli, cli_lake: Lake, args: list[str]
) -> None:
    before = cli("--lake", cli_lake.root, *args)
    after = cli(*args, "--lake", cli_lake.root)
    assert before.code == ExitCode.OK, before.err
    assert (after.code, after.out) == (before.code, before.out)
    assert after.out


def test_lake_may_come_between_a_group_and_its_command(cli: Cli, cli_lake: Lake) -> None:
    between = cli("insights", "--lake", cli_lake.root, "list", "-f", "csv")
    assert between.code == ExitCode.OK, between.err
    assert between.out == cli("--lake", cli_lake.root, "insights", "list", "-f", "csv").out


def test_the_lake_given_last_wins(cli: Cli, cli_lake: Lake, tmp_path: Path) -> None:
    ran = cli("--lake", tmp_path / "none", "sql", "-c", "SELECT 1", "--lake", cli_lake.root)
    assert ran.code == ExitCode.OK, ran.err


def test_ingest_takes_lake_and_quiet_after_its_paths(
    cli: Cli, write_records: WriteFile, tmp_path: Path
) -> None:
    source = write_records("a.json", [make_record(1), make_record(2)])
    ran = cli("ingest", source, "--quiet", "--lake", tmp_path / "lake")
    assert ran.code == ExitCode.OK, ran.err
    assert Lake(tmp_path / "lake").exists()
    assert ran.err.startswith("ingest: files read 1,")


@pytest.mark.parametrize("placement", ["before", "after", "short after"])
def test_quiet_silences_progress_before_or_after_the_command(
    cli: Cli, write_records: WriteFile, tmp_path: Path, placement: str
) -> None:
    lake = tmp_path / "lake"
    assert cli("--lake", lake, "ingest", write_records("a.json", [make_record(1)])).code == 0
    args: list[Any] = {
        "before": ["--quiet", "--lake", lake, "refresh"],
        "after": ["refresh", "--lake", lake, "--quiet"],
        "short after": ["refresh", "--lake", lake, "-q"],
    }[placement]
    ran = cli(*args)
    assert ran.code == ExitCode.OK, ran.err
    [summary] = ran.err.splitlines()  # the summary only: no progress line per model
    assert summary.startswith("refresh: ") and " models refreshed " in summary


def test_debug_after_the_command_shows_the_traceback(cli: Cli, tmp_path: Path) -> None:
    ran = cli("ingest", tmp_path / "nope", "--lake", tmp_path / "lake", "--debug")
    assert ran.code == ExitCode.BAD_INPUT
    assert "Traceback" in ran.err
    assert ran.err.endswith(f"error: {tmp_path / 'nope'}: no such file or folder\n")


def test_an_option_value_that_looks_like_a_global_option_stays_a_value(
    cli: Cli, cli_lake: Lake
) -> None:
    ran = cli("--lake", cli_lake.root, "query", "run", "access-denied", "-p", "--quiet")
    assert ran.code == ExitCode.BAD_INPUT
    assert ran.err == "error: parameter '--quiet': expected NAME=VALUE (e.g. -p days=7)\n"


def test_a_global_option_after_a_double_dash_is_an_argument(cli: Cli, tmp_path: Path) -> None:
    ran = cli("--lake", tmp_path / "lake", "ingest", "--", "--quiet")
    assert ran.code == ExitCode.BAD_INPUT
    assert ran.err == "error: --quiet: no such file or folder\n"


@pytest.mark.parametrize("path", command_paths())
def test_every_command_lists_the_global_options_in_its_help(path: str) -> None:
    result = CliRunner().invoke(app, [*path.split(), "--help"], terminal_width=100)
    assert result.exit_code == 0
    for flag in ("--lake", "--quiet", "-q", "--debug"):
        assert flag in result.output, f"`ctlake {path} --help` does not show {flag}"


def test_a_command_cannot_define_a_global_flag_of_its_own() -> None:
    broken = typer.Typer(cls=RootGroup)

    @broken.callback()
    def root(quiet: bool = typer.Option(False, "--quiet", "-q")) -> None: ...

    @broken.command()
    def dump(query: str = typer.Option("", "-q")) -> None: ...

    with pytest.raises(RuntimeError, match=r"command dump defines global option\(s\) \['-q'\]"):
        get_command(broken)
