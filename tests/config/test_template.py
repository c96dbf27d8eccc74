"""`config init`'s template and `config show`'s output stay in step with the loader."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from ctlake.batch.config_text import init_text, show_text
from ctlake.cli.app import app
from ctlake.config import SECTIONS, load
from ctlake.errors import BadInputError

# A commented-out example in the template: `# [section]`, `# [[a.b]]` or `# key = value`.
_EXAMPLE = re.compile(r"^# (\[\[?[a-z_.]+\]\]?(?: .*)?|[a-z_]+ = .*)$")


def uncommented(text: str) -> str:
    """The template with its commented-out examples made real."""
    return "\n".join(
        m.group(1) if (m := _EXAMPLE.match(line)) else line for line in text.split("\n")
    )


def test_the_template_loads_as_written(tmp_path: Path) -> None:
    (tmp_path / "ctlake.toml").write_text(init_text(["/logs"], "https://hooks.example/x"))
    config = load(tmp_path)
    assert config.sources.paths == ("/logs",) and config.sinks[0].kind == "webhook"


def test_every_example_in_the_template_is_a_key_the_loader_knows(tmp_path: Path) -> None:
    text = uncommented(init_text(["/logs"], None))
    assert "\n[retention]\ndays = 90" in text  # the examples were uncommented
    (tmp_path / "ctlake.toml").write_text(text)
    config = load(tmp_path)  # an unknown key would be an error naming it
    assert config.retention.days == 90 and len(config.sinks) == 3
    assert config.reports.queries[0].query == "top-errors"
    assert config.insights.values["rate_factor"] == 4.0 and config.cost.values == {"trails": 1}
    assert config.metrics.filters[0].metric == "CloudTrailMetrics/ConsoleSigninFailureCount"


def test_the_template_documents_every_section() -> None:
    text = init_text([], None)
    for section in SECTIONS:
        assert re.search(rf"^(# )?\[\[?{section}[.\]]", text, re.MULTILINE), section


def test_config_show_prints_a_file_that_loads_back_the_same(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "ctlake.toml").write_text(
        '[sources]\npaths = ["/logs/*.gz"]\n[schedule]\nevery = "2w"\nwait = 3\n'
        '[retention]\ndays = 9\n[[sinks.folder]]\npath = "/out"\n'
        '[[sinks.command]]\ncommand = ["logger"]\ntimeout = 2\n'
        '[[reports.query]]\nquery = "top-errors"\nevery = "90m"\nparams = { days = 2 }\n'
        '[insights]\nmin_count = 7\n[[insights.override]]\neventSource = "s"\nrate_factor = 9\n'
        '[[insights.suppress]]\nawsRegion = "eu-west-1"\n[cost]\ntrails = 3\n'
    )
    config = load(first)
    (second / "ctlake.toml").write_text(show_text(config))
    again = load(second)
    assert again.to_toml() == config.to_toml()
    assert (again.insights, again.cost, again.schedule) == (
        config.insights,
        config.cost,
        config.schedule,
    )


def test_config_show_names_the_file_and_key_of_a_mistake(tmp_path: Path) -> None:
    (tmp_path / "ctlake.toml").write_text(
        "[[insights.override]]\neventSource = 'a'\nmin_count = 'x'\n"
    )
    result = CliRunner().invoke(app, ["--lake", str(tmp_path), "config", "show"])
    assert isinstance(result.exception, BadInputError) and result.stdout == ""
    assert str(result.exception) == (
        f"{tmp_path / 'ctlake.toml'}: insights.override[0].min_count: expected a whole number "
        ">= 0, got 'x'"
    )
