"""Every insights command and `ctlake demo` explains itself with an example."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ctlake.cli.app import app


@pytest.mark.parametrize(
    "command", [["insights", "list"], ["insights", "show"], ["insights", "export"], ["demo"]]
)
def test_each_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example: ctlake " + " ".join(command) in " ".join(result.stdout.split())
