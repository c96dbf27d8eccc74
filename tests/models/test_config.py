"""ctlake.toml: defaults, validation, and what reaches the SQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctlake.config import InsightConfig, load
from ctlake.config.insights import DEFAULTS
from ctlake.errors import BadInputError


def parse(text: str, folder: Path) -> InsightConfig:
    (folder / "ctlake.toml").write_text(text)
    return load(folder).insights


def test_a_lake_without_a_config_file_uses_the_documented_defaults(tmp_path: Path) -> None:
    config = load(tmp_path).insights
    assert config.values == {name: default for name, (default, _) in DEFAULTS.items()}
    assert (config.overrides, config.suppressions) == ([], [])


def test_globals_overrides_and_suppressions_are_read(tmp_path: Path) -> None:
    config = parse(
        "[insights]\nmin_count = 20\nrate_factor = 3\n"
        '[[insights.override]]\neventSource = "ssm.amazonaws.com"\nrate_factor = 6\n'
        '[[insights.suppress]]\neventName = "CreateTags"\n',
        tmp_path,
    )
    assert config.values["min_count"] == 20 and config.values["rate_factor"] == 3.0
    assert config.overrides == [
        {
            "eventSource": "ssm.amazonaws.com",
            "eventName": None,
            "rate_factor": 6.0,
            "min_count": None,
            "time_of_day_factor": None,
        }
    ]
    assert config.suppressions[0]["eventName"] == "CreateTags"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[insight]\n", "unknown key insight"),
        ("[insights]\nwindow = 5\n", "unknown key insights.window"),
        (
            "[insights]\nwindow_minutes = 0\n",
            "insights.window_minutes: expected a whole number >= 1, got 0",
        ),
        ("[insights]\nrate_factor = -1\n", "insights.rate_factor: expected a number >= 0, got -1"),
        ("[insights]\nmin_count = 2.5\n", "insights.min_count: expected a whole number >= 0"),
        ('[[insights.override]]\neventName = "X"\n', "override[0].eventSource: expected the"),
        ('[[insights.override]]\neventSource = "a"\ncolour = 1\n', "override[0].colour"),
        ("[[insights.suppress]]\n", "insights.suppress[0]: expected at least one of"),
        (
            '[[insights.override]]\neventSource = "a"\n[[insights.override]]\neventSource = "a"\n',
            "repeats a",
        ),
    ],
)
def test_a_bad_config_is_an_error_naming_the_key(text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(BadInputError) as error:
        parse(text, tmp_path)
    assert message in str(error.value)


def test_a_config_that_is_not_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "ctlake.toml").write_text("[insights\n")
    with pytest.raises(BadInputError, match=r"ctlake\.toml: not valid TOML"):
        load(tmp_path)


def test_the_digest_changes_with_any_value(tmp_path: Path) -> None:
    changed = parse("[insights]\nmin_count = 11\n", tmp_path).digest()
    assert changed != parse("", tmp_path).digest()
