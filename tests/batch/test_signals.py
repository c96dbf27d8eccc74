"""A batch run in-process takes SIGINT/SIGTERM only while it runs, then gives them back."""

from __future__ import annotations

import signal
from pathlib import Path

from typer.testing import CliRunner

from ctlake.cli.app import app
from tests.batch.conftest import write_config


def test_a_run_in_process_leaves_the_callers_signal_handlers_as_they_were(
    tmp_path: Path,
) -> None:
    lake_dir = tmp_path / "lake"
    (tmp_path / "empty").mkdir()
    write_config(lake_dir, f'[sources]\npaths = ["{tmp_path / "empty"}"]\n')
    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    result = CliRunner().invoke(app, ["--lake", str(lake_dir), "run"])
    assert result.exit_code == 0, result.output
    after = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    assert after == before  # Ctrl-C raises KeyboardInterrupt again in the caller
