"""The code passes the project's own linters and type checker.

They run as part of the suite so that one command, `pytest`, is the whole check a
contributor runs before pushing, and the same one CI makes (README, "Tests").
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKS = {
    "ruff check": ["ruff", "check", "ctlake", "tests", "bench"],
    "ruff format": ["ruff", "format", "--check", "ctlake", "tests", "bench"],
    "mypy": ["mypy"],
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_the_code_passes(name: str) -> None:
    tool = CHECKS[name][0]
    pytest.importorskip(tool, reason=f"{tool} comes with the dev install: pip install -e '.[dev]'")
    result = subprocess.run(
        [sys.executable, "-m", *CHECKS[name]], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, f"{name} found problems:\n{result.stdout}{result.stderr}"
