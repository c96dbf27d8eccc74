"""Every mistake in ctlake.toml is one line: the file, the key's full path, what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctlake.config import SECTIONS, load
from ctlake.errors import BadInputError

CASES = [
    # [lake]
    ("lake = 'x'", "lake: expected a table [lake], got 'x'"),
    ("[lake]\ndata = 3", "lake.data: expected a non-empty string, got 3"),
    ("[lake]\nfolder = 'x'", "unknown key lake.folder (expected a key: data, options)"),
    ("[lake.options]\nanon = [1]", "lake.options.anon: expected a string, number, boolean"),
    # [sources]
    ("sources = 1", "sources: expected a table [sources], got 1"),
    ("[sources]\npaths = 'in'", "sources.paths: expected a list of strings, got 'in'"),
    ("[sources]\nfolder = []", "unknown key sources.folder (expected a key: paths)"),
    # [schedule]
    ("[schedule]\nevery = 5", "schedule.every: expected a duration such as 30s, 5m, 2h, 7d"),
    ("[schedule]\nwait = -1", "schedule.wait: expected a number >= 0, got -1"),
    ("[schedule]\nwait = true", "schedule.wait: expected a number >= 0, got True"),
    # [retention]
    ("[retention]\ndays = 1.5", "retention.days: expected a whole number >= 1, got 1.5"),
    # [[sinks.*]]
    ("[sinks]\nfolder = 'x'", "sinks.folder: expected an array of tables [[sinks.folder]]"),
    ("[[sinks.webhook]]\nurl = 'https://h.example'\nformat = 'xml'", "sinks.webhook[0].format"),
    (
        "[[sinks.webhook]]\nurl = 'https://h.example'\n[[sinks.webhook]]\nurl = 'x'",
        "sinks.webhook[1].url: expected an http:// or https:// URL, got '***'",
    ),
    ("[[sinks.webhook]]\nurl = 'https://h.example'\nretries = 1.5", "sinks.webhook[0].retries"),
    ("[[sinks.command]]\ncommand = []", "sinks.command[0].command: expected a non-empty list"),
    ("[[sinks.eventbridge]]\npath = 3", "sinks.eventbridge[0].path: expected a non-empty string"),
    (
        "[[sinks.folder]]\npath = 'a'\nname = 'x'\n[[sinks.command]]\ncommand = ['c']\nname = 'x'",
        "sinks.command[0]: two sinks share the name 'x' (sinks.folder[0] too)",
    ),
    # [reports]
    ("[reports]\nfolder = ''", "reports.folder: expected a non-empty string, got ''"),
    ("[[reports.query]]\nevery = '1d'", "reports.query[0].query: expected a non-empty string"),
    ("[[reports.query]]\nquery = 'q'\nparams = 3", "reports.query[0].params: expected a table"),
    ("[[reports.query]]\nquery = 'q'\nevery = '0m'", "reports.query[0].every: expected a dur"),
    # [insights]
    ("[insights]\nlearning_days = 'x'", "insights.learning_days: expected a whole number >= 0"),
    (
        "[[insights.override]]\neventSource = 'a'\nrate_factor = 'x'",
        "insights.override[0].rate_factor: expected a number >= 0, got 'x'",
    ),
    (
        "[[insights.override]]\neventSource = 'a'\n[[insights.override]]\neventSource = 'b'\n"
        "min_count = -2",
        "insights.override[1].min_count: expected a whole number >= 0, got -2",
    ),
    ("[[insights.override]]\neventSource = 'a'\neventName = 1", "override[0].eventName: expected"),
    ("[[insights.suppress]]\neventName = 7", "insights.suppress[0].eventName: expected a string"),
    ("[[insights.suppress]]\nwhy = 'x'", "unknown key insights.suppress[0].why (expected one of"),
    ("[insights]\noverride = 1", "insights.override: expected an array of tables"),
    # [cost]
    ("[cost]\ntrails = 'two'", "cost.trails: expected a whole number >= 1, got 'two'"),
    ("[cost]\ntrail = 2", "unknown key cost.trail (expected one of: bytes_per_gb"),
    # [engine] and [spark]
    ("[engine]\nname = 'polars'", "engine.name: expected duckdb or spark, got 'polars'"),
    ("[spark]\nmaster = 7", "spark.master: expected a non-empty string, got 7"),
    ("[spark.settings]\n'spark.x' = [1]", "spark.settings.spark.x: expected a string, number"),
    # [[metrics.filter]]
    ("[[metrics.filter]]\npattern = ''", "metrics.filter[0].name: expected a non-empty string"),
    (
        "[[metrics.filter]]\nname = 'F'\npattern = ''\nnamespace = 'N'",
        "metrics.filter[0].metric_name (filter 'F'): expected a non-empty string, got None",
    ),
    (
        "[[metrics.filter]]\nname = 'F'\npattern = ''\nnamespace = 'N'\nmetric_name = 'M'\n"
        "value = 'lots'",
        "metrics.filter[0].value (filter 'F'): expected a number or a field",
    ),
    (
        "[[metrics.filter]]\nname = 'F'\npattern = ''\nnamespace = 'N'\nmetric_name = 'M'\n"
        "unit = 'Widgets'",
        "metrics.filter[0].unit (filter 'F'): expected one of Seconds,",
    ),
    (
        "[[metrics.filter]]\nname = 'F'\npattern = ''\nnamespace = 'N'\nmetric_name = 'M'\n"
        "default_value = 0\ndimensions = { Api = '$.eventName' }",
        "metrics.filter[0].default_value (filter 'F'): a filter with dimensions cannot have",
    ),
    (
        "[[metrics.filter]]\nname = 'F'\npattern = ''\nnamespace = 'N'\nmetric_name = 'M'\n"
        "dimensions = { Api = 'eventName' }",
        "metrics.filter[0].dimensions.Api (filter 'F'): expected a field such as $.eventName",
    ),
    (
        "[[metrics.filter]]\nname = 'F'\npattern = ''\nnamespace = 'N'\nmetric_name = 'M'\n"
        "[[metrics.filter]]\nname = 'F'\npattern = 'x'\nnamespace = 'N'\nmetric_name = 'M'",
        "metrics.filter[1].name: filter 'F' is also defined at filter[0]",
    ),
    ("[[metrics.filter]]\nname = 'F'\npatern = ''", "unknown key metrics.filter[0].patern"),
    # [alarms]
    ("[alarms]\naccount_id = '12'", "alarms.account_id: expected a 12-digit AWS account id"),
    (
        "[[alarms.alarm]]\nname = 'A'\nperiod = 90",
        "alarms.alarm[0].period (alarm 'A'): expected a multiple",
    ),
    (
        "[[alarms.alarm]]\nname = 'A'\nstatistic = 'Median'",
        "alarms.alarm[0].statistic (alarm 'A'): expected",
    ),
    # the file itself
    ("[engines]\nname = 'spark'", "unknown key engines (expected a section: alarms, cost, engine,"),
]


@pytest.mark.parametrize(("text", "message"), CASES)
def test_an_error_names_the_file_and_the_full_key_path(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "ctlake.toml").write_text(text + "\n")
    with pytest.raises(BadInputError) as error:
        load(tmp_path)
    line = str(error.value)
    assert line.startswith(f"{tmp_path / 'ctlake.toml'}: ")
    assert message in line
    assert "\n" not in line


def test_every_section_has_a_case() -> None:
    tested = {text.split("\n")[0].strip("[] ").split(".")[0].split()[0] for text, _ in CASES}
    assert set(SECTIONS) <= tested


def test_a_report_of_no_saved_query_names_its_key_when_it_runs(tmp_path: Path) -> None:
    from ctlake.batch.reports import write_reports
    from ctlake.lake import Lake

    (tmp_path / "ctlake.toml").write_text(
        "[[reports.query]]\nquery = 'top-errors'\n[[reports.query]]\nquery = 'no-such'\n"
    )
    reports = load(tmp_path).reports
    with pytest.raises(BadInputError) as error:
        write_reports(Lake(tmp_path), reports, [reports.queries[1]])
    assert str(error.value) == (
        f"{tmp_path / 'ctlake.toml'}: reports.query[1].query: no saved query named 'no-such' "
        "(see `ctlake query list`)"
    )
