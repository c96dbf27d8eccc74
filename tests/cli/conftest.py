"""A small lake for the command-line tests, and `ctlake` run through its real boundary.

`CliRunner` calls the app, not `main()`, so it cannot show what a user sees on an error:
`cli` runs `main()` in-process (argv patched, output captured) and returns the exit code,
stdout and stderr, as a terminal would show them.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import pytest

from ctlake.cli import app as app_module
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import make_record
from tests.insights.conftest import CALL, create_insight_tables


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


Cli = Callable[..., Ran]


@pytest.fixture(scope="package")
def cli_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """Twenty CreateUser events and one insight (Start and End); the tests only read it."""
    folder = tmp_path_factory.mktemp("cli")
    source = folder / "trail.json"
    source.write_bytes(orjson.dumps({"Records": [make_record(i * 15) for i in range(20)]}))
    lake = Lake(folder / "lake")
    ingest(lake, [str(source)])
    create_insight_tables(lake, [CALL])
    return lake


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    """`cli(*args)`: `ctlake ARGS...` through `main()`, with $CTLAKE_LAKE unset."""
    monkeypatch.delenv("CTLAKE_LAKE", raising=False)

    def run(*args: Any) -> Ran:
        monkeypatch.setattr(sys, "argv", ["ctlake", *map(str, args)])
        with pytest.raises(SystemExit) as stop:
            app_module.main()
        captured = capsys.readouterr()
        return Ran(int(stop.value.code or 0), captured.out, captured.err)

    return run


def ctlake_process(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
    """`python -m ctlake ARGS...` as a separate process (kwargs go to Popen)."""
    return subprocess.Popen([sys.executable, "-m", "ctlake", *map(str, args)], **kwargs)
