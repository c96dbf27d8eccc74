"""A small lake for the shell's tests: five CreateUser events by alice on 2024-05-01."""

from __future__ import annotations

import orjson
import pytest
from typer.testing import CliRunner, Result

from ctlake.cli.app import app
from ctlake.errors import CtlakeError
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import make_record


@pytest.fixture(scope="package")
def small_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """Read-only for the tests, so one for the package keeps them fast."""
    folder = tmp_path_factory.mktemp("shell")
    source = folder / "a.json"
    source.write_bytes(orjson.dumps({"Records": [make_record(i) for i in range(5)]}))
    lake = Lake(folder / "lake")
    ingest(lake, [str(source)])
    return lake


def run(lake: Lake, *args: str, stdin: str | None = None) -> Result:
    """`ctlake --lake LAKE ARGS...` in-process, with `stdin` piped in."""
    return CliRunner().invoke(app, ["--lake", str(lake.root), *args], input=stdin)


def exit_code(result: Result) -> int:
    """The code `ctlake` would exit with: CliRunner calls the app, not `main`, so a
    CtlakeError arrives as the result's exception carrying its code."""
    if isinstance(result.exception, CtlakeError):
        return int(result.exception.exit_code)
    return result.exit_code
