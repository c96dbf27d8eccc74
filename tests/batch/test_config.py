"""ctlake.toml: one loader for every section; a mistake is one line naming file and key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ctlake.cli.app import app
from ctlake.config import load
from ctlake.errors import BadInputError
from ctlake.ingest import ingest
from ctlake.lake import Lake
from ctlake.models import refresh
from tests.conftest import WriteFile, make_record

FULL = """
[insights]
min_count = 12
[cost]
trails = 2
[sources]
paths = ["in", "/data/*.json.gz"]
[[sinks.folder]]
path = "s3"
[[sinks.webhook]]
name = "alerts"
url = "https://user:pw@hooks.example.com/services/T0/B0/SECRET?token=abc"
format = "slack"
retries = 3
[[sinks.command]]
command = ["logger", "-t", "ctlake"]
[reports]
folder = "out"
[[reports.query]]
query = "top-errors"
every = "12h"
params = { days = 1 }
[retention]
days = 30
[schedule]
every = "10m"
wait = 30
"""


def write(lake: Lake, text: str) -> None:
    lake.root.mkdir(parents=True, exist_ok=True)
    (lake.root / "ctlake.toml").write_text(text)


def test_a_full_config_loads_with_paths_relative_to_the_lake(lake: Lake) -> None:
    write(lake, FULL)
    config = load(lake.root)
    assert config.sources.paths == (str(lake.root / "in"), "/data/*.json.gz")
    assert [(s.kind, s.name) for s in config.sinks][1] == ("webhook", "alerts")
    assert config.sinks[0].target == str(lake.root / "s3")
    report = config.reports.queries[0]
    assert report.every == timedelta(hours=12) and report.params == {"days": 1}
    assert config.reports.folder == lake.root / "out"
    assert config.retention.days == 30 and config.schedule.every == timedelta(minutes=10)
    assert config.schedule.wait == 30
    assert config.insights.values["min_count"] == 12 and config.cost.values == {"trails": 2}


def test_refresh_still_works_with_a_full_config(lake: Lake, write_records: WriteFile) -> None:
    write(lake, FULL)
    ingest(lake, [str(write_records("a.json", [make_record(n) for n in range(5)]))])
    assert refresh(lake).runs


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[source]\n", "unknown key source (expected a section: alarms, cost, engine, insights,"),
        ("[sources]\npath = ['x']\n", "unknown key sources.path (expected a key: paths)"),
        ("[[sinks.slack]]\nurl = 'https://x'\n", "unknown key sinks.slack (expected a sink kind"),
        ("[[sinks.webhook]]\nurl = 'ftp://x'\n", "sinks.webhook[0].url: expected an http"),
        (
            "[[sinks.webhook]]\nurl = 'https://u:pa/ss@h.example/x?token=t0k'\n",
            "sinks.webhook[0].url: expected the host's port to be a number from 1 to 65535 (in a "
            "user name or password, write '/' as %2F, '?' as %3F and '#' as %23), got "
            "'https://***/***?token=***'",
        ),
        (
            "[[sinks.webhook]]\nurl = 'https://x'\ntimout = 1\n",
            "unknown key sinks.webhook[0].timout",
        ),
        ("[[sinks.folder]]\n", "sinks.folder[0].path: expected a non-empty string"),
        ("[schedule]\nevery = '5 minutes'\n", "schedule.every: expected a duration"),
        ("[retention]\ndays = 0\n", "retention.days: expected a whole number >= 1"),
        ("[[reports.query]]\nquery = 'x'\nevery = 'daily'\n", "reports.query[0].every"),
        ("[insights]\nwindow = 5\n", "unknown key insights.window"),
        ("[cost]\nnope = 1\n", "unknown key cost.nope (expected one of: bytes_per_gb,"),
        (
            "[[sinks.folder]]\npath='a'\nname='x'\n[[sinks.eventbridge]]\npath='b'\nname='x'\n",
            "two sinks share the name 'x'",
        ),
    ],
)
def test_a_config_mistake_is_one_line_naming_the_file_and_key(
    lake: Lake, text: str, message: str
) -> None:
    write(lake, text)
    with pytest.raises(BadInputError) as error:
        load(lake.root)
    assert str(lake.root / "ctlake.toml") in str(error.value)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_config_init_writes_a_commented_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    args = ["--lake", str(lake_dir), "config", "init", "--source", "/logs/AWSLogs"]
    url = "https://hooks.example.com/services/T0/B0/SECRET"
    result = CliRunner().invoke(app, [*args, "--webhook", url])
    assert result.exit_code == 0, result.output
    text = (lake_dir / "ctlake.toml").read_text()
    assert text.startswith("# ctlake.toml") and '"/logs/AWSLogs"' in text and url in text
    config = load(lake_dir)
    assert config.sources.paths == ("/logs/AWSLogs",) and config.sinks[0].url is not None
    assert config.sinks[0].url.reveal() == url
    assert config.sinks[0].target == "https://hooks.example.com/services/***"

    again = CliRunner().invoke(app, args)
    assert isinstance(again.exception, BadInputError) and "--force" in str(again.exception)
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0


def test_config_init_warns_at_once_of_a_source_that_holds_nothing_yet(tmp_path: Path) -> None:
    present = tmp_path / "trail"
    present.mkdir()
    sources = [str(present), str(tmp_path / "mnt"), f"{tmp_path}/later/*.json.gz"]
    args = [a for source in sources for a in ("--source", source)]
    result = CliRunner().invoke(app, ["--lake", str(tmp_path / "lake"), "config", "init", *args])
    assert result.exit_code == 0, result.stderr  # a mount may come later: written anyway
    assert result.stderr.splitlines() == [
        f"warning: source {tmp_path / 'mnt'} does not exist: `ctlake run` fails until it does",
        f"warning: source {tmp_path}/later/*.json.gz matches no file yet",
        f"config: wrote {tmp_path / 'lake' / 'ctlake.toml'}; check it with `ctlake config show`",
    ]
    assert load(tmp_path / "lake").sources.paths == tuple(sources)


def test_config_show_prints_the_effective_config_with_secrets_masked(lake: Lake) -> None:
    write(lake, FULL)
    result = CliRunner().invoke(app, ["--lake", str(lake.root), "config", "show"])
    assert result.exit_code == 0, result.output
    assert "SECRET" not in result.output and "pw" not in result.output
    assert "abc" not in result.output
    assert 'url = "https://***@hooks.example.com/services/***?token=***"' in result.output
    assert 'every = "10m"' in result.output and "min_count = 12" in result.output


def test_config_init_refuses_a_url_that_cannot_work_and_writes_nothing(tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    url = "https://user:s3cret?pw@hooks.example.com/x"  # '?' ends the host: it should be %3F
    result = CliRunner().invoke(app, ["--lake", str(lake_dir), "config", "init", "--webhook", url])
    assert isinstance(result.exception, BadInputError)
    assert str(result.exception) == (
        "--webhook: expected the host's port to be a number from 1 to 65535 (in a user name "
        "or password, write '/' as %2F, '?' as %3F and '#' as %23), got 'https://***?***'"
    )
    assert not (lake_dir / "ctlake.toml").exists()


def test_a_command_sink_is_shown_with_the_urls_in_it_masked(lake: Lake) -> None:
    write(
        lake,
        '[[sinks.command]]\ncommand = ["curl", "-d@-", "https://h.example/in?key=k3yValue9"]\n',
    )
    result = CliRunner().invoke(app, ["--lake", str(lake.root), "config", "show"])
    assert 'command = ["curl", "-d@-", "https://h.example/in?key=***"]' in result.stdout
    assert "k3yValue9" not in result.stdout
