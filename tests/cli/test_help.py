"""Help texts reach the reader as written: no word in brackets is taken for markup."""

from __future__ import annotations

import re
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from ctlake.cli.app import app

BRACKETED = re.compile(r"\[[A-Za-z][\w.-]*\]")


def commands() -> dict[str, Any]:
    """Every command by the words that invoke it: 'cost', 'insights list', ..."""
    found: dict[str, Any] = {}

    def walk(command: Any, path: list[str]) -> None:
        found[" ".join(path)] = command
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(get_command(app), [])
    return found


def written_brackets(command: Any) -> set[str]:
    """The bracketed words in a command's help source: its docstring and its options'."""
    texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
    return {word for text in texts for word in BRACKETED.findall(text)}


@pytest.mark.parametrize("path", sorted(commands()))
def test_every_bracketed_word_of_a_help_text_is_shown(path: str) -> None:
    result = CliRunner().invoke(app, [*path.split(), "--help"])
    assert result.exit_code == 0, result.output
    for word in written_brackets(commands()[path]):
        assert word in result.output, f"`ctlake {path} --help` lost {word}"


def test_cost_help_names_the_cost_table_of_the_config() -> None:
    result = CliRunner().invoke(app, ["cost", "--help"])
    assert "override them in the [cost] table of <lake>/ctlake.toml" in " ".join(
        result.output.split()
    )
