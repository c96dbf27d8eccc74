"""`ctlake config init --cis`: the CIS monitoring pack into a new or existing ctlake.toml,
once; and the pack's alarms evaluated by `ctlake run` on a generated trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctlake.batch.run import run_batch
from ctlake.cli.app import app
from ctlake.config import load
from ctlake.errors import BadInputError
from ctlake.lake import Lake


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two days of one account, small (as tests/batch's trail)."""
    from ctlake.generate import generate_trail

    out = tmp_path_factory.mktemp("cis-trail")
    generate_trail(out, days=2, scale=0.1, seed=5)
    return out / "AWSLogs"


def init(lake_dir: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--lake", str(lake_dir), "config", "init", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.stderr


def test_a_new_file_gets_the_template_and_the_pack(tmp_path: Path) -> None:
    init(tmp_path, "--source", str(tmp_path), "--cis")
    config = load(tmp_path)
    assert len(config.alarms.alarms) == 15 and len(config.metrics.filters) == 15
    assert config.sources.paths == (str(tmp_path),)
    assert "# [retention]" in (tmp_path / "ctlake.toml").read_text()  # the template


def test_an_existing_file_gets_the_pack_appended_once(tmp_path: Path) -> None:
    (tmp_path / "ctlake.toml").write_text("# mine\n[retention]\ndays = 30\n")
    init(tmp_path, "--cis")
    text = (tmp_path / "ctlake.toml").read_text()
    assert text.startswith("# mine\n[retention]\ndays = 30\n")
    assert load(tmp_path).retention.days == 30 and len(load(tmp_path).alarms.alarms) == 15
    assert "already has the CIS pack" in init(tmp_path, "--cis")
    assert (tmp_path / "ctlake.toml").read_text() == text


def test_a_clash_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    mine = (
        '[[alarms.alarm]]\nname = "CIS-3.1-UnauthorizedAPICalls"\nnamespace = "Mine"\n'
        'metric_name = "M"\nthreshold = 5\ncomparison_operator = "GreaterThanThreshold"\n'
    )
    (tmp_path / "ctlake.toml").write_text(mine)
    with pytest.raises(BadInputError) as error:
        init(tmp_path, "--cis")
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'ctlake.toml'}: alarms.alarm[")
    assert "two alarms share the name 'CIS-3.1-UnauthorizedAPICalls'" in message
    assert message.endswith("(nothing written)") and "\n" not in message
    assert (tmp_path / "ctlake.toml").read_text() == mine


def test_an_existing_file_with_other_options_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ctlake.toml").write_text("")
    with pytest.raises(BadInputError, match="exists: edit it, pass --force"):
        init(tmp_path, "--cis", "--source", "/logs")


@pytest.mark.slow
def test_the_cis_alarms_run_on_a_generated_trail(tmp_path: Path, trail: Path) -> None:
    lake = Lake(tmp_path / "lake")
    init(lake.root, "--source", str(trail), "--cis")
    summary = run_batch(lake)
    assert summary.alarms is not None and summary.alarms.alarms == 15
    with lake.catalog() as catalog:
        states = dict(catalog.execute("SELECT alarm_name, state FROM alarm_state").fetchall())
        fired = catalog.execute(
            "SELECT DISTINCT alarm_name FROM alarm_history WHERE new_state = 'ALARM'"
        ).fetchall()
    assert len(states) == 15 and set(states.values()) <= {"OK", "ALARM"}
    # the generated trail's normal traffic has denied calls and the root user signing in
    assert {"CIS-3.1-UnauthorizedAPICalls"} <= {name for (name,) in fired}
