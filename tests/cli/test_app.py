"""The command line as a whole: help for every command, errors as one line and a code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from ctlake.cli.app import app
from ctlake.errors import ExitCode

README = Path(__file__).resolve().parents[2] / "README.md"


def command_paths() -> list[str]:
    """Every command, as typed: 'ingest', 'quarantine list', ..."""
    root = get_command(app)
    paths: list[str] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        paths.extend(f"{name} {s}" for s in sub) if sub else paths.append(name)
    return sorted(paths)


@pytest.mark.parametrize("path", command_paths())
def test_every_command_has_help_and_an_example(path: str) -> None:
    result = CliRunner().invoke(app, [*path.split(), "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output, f"`ctlake {path} --help` shows no example"


@pytest.mark.parametrize("path", command_paths())
def test_every_command_is_documented_in_the_readme(path: str) -> None:
    assert f"`{path}" in README.read_text(), f"README does not document `ctlake {path}`"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ctlake", *args], capture_output=True, text=True, check=False
    )


def test_a_missing_lake_is_one_line_and_exit_code_4(tmp_path: Path) -> None:
    result = run("--lake", str(tmp_path / "none"), "sql", "-c", "SELECT 1")
    assert result.returncode == ExitCode.LAKE
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: no lake at {tmp_path / 'none'}")
    assert result.stdout == ""


def test_a_missing_path_names_it(tmp_path: Path) -> None:
    result = run("--lake", str(tmp_path / "lake"), "ingest", str(tmp_path / "nope"))
    assert result.returncode == ExitCode.BAD_INPUT
    assert result.stderr == f"error: {tmp_path / 'nope'}: no such file or folder\n"


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = run("--debug", "--lake", str(tmp_path / "lake"), "ingest", str(tmp_path / "nope"))
    assert "Traceback" in result.stderr
    assert result.returncode == ExitCode.BAD_INPUT


def test_an_unknown_option_is_a_usage_error() -> None:
    assert run("ingest", "--no-such-option").returncode == ExitCode.USAGE


def test_the_app_never_prints_locals_in_tracebacks() -> None:
    assert isinstance(app, typer.Typer)
    assert app.pretty_exceptions_show_locals is False
