"""Commands that need no engine start without loading it: duckdb, pyarrow and sqlglot cost
most of a second to import. What is imported is checked here; how long it takes is measured
by bench/startup.py (a timed test would be flaky)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli.test_app import command_paths

HEAVY = ("duckdb", "pyarrow", "sqlglot")


def imported_modules(*args: str) -> set[str]:
    """The modules `python -m ctlake ARGS...` imports, from `-X importtime`'s report."""
    ran = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "ctlake", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in ran.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize(
    "args", [["--help"], ["query", "list"], ["query", "show", "root-account-activity"]]
)
def test_a_command_without_the_engine_does_not_import_it(args: list[str]) -> None:
    modules = imported_modules(*args)
    assert "ctlake.cli.app" in modules  # the report was read
    assert not [m for m in modules if m.split(".")[0] in HEAVY]


def test_no_command_help_imports_the_engine() -> None:
    """Every `ctlake COMMAND --help` in one fresh interpreter: building and printing the
    help of every command loads none of the heavy modules."""
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from ctlake.cli.app import app\n"
        f"for path in {command_paths()!r}:\n"
        "    assert CliRunner().invoke(app, [*path.split(), '--help']).exit_code == 0, path\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout == "[]\n"
