"""ctlake.toml: defaults, validation, and what reaches the SQL."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from ctlake.errors import BadInputError
from ctlake.models.config import DEFAULTS, load_config, parse_config


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_config(tomllib.loads(text), "ctlake.toml")


def test_a_lake_without_a_config_file_uses_the_documented_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.values == {name: default for name, (default, _) in DEFAULTS.items()}
    assert (config.overrides, config.suppressions) == ([], [])


def test_globals_overrides_and_suppressions_are_read() -> None:
    config = parse(
        "[insights]\nmin_count = 20\nrate_factor = 3\n"
        '[[insights.override]]\neventSource = "ssm.amazonaws.com"\nrate_factor = 6\n'
        '[[insights.suppress]]\neventName = "CreateTags"\n'
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
        ("[insights]\nwindow_minutes = 0\n", "window_minutes must be at least 1"),
        ("[insights]\nrate_factor = -1\n", "rate_factor must be a non-negative float"),
        ("[insights]\nmin_count = 2.5\n", "min_count must be a non-negative int"),
        ('[[insights.override]]\neventName = "X"\n', "eventSource is required"),
        ('[[insights.override]]\neventSource = "a"\ncolour = 1\n', "override.0..colour|colour"),
        ("[[insights.suppress]]\n", "suppress\\[0\\] is empty"),
        (
            '[[insights.override]]\neventSource = "a"\n[[insights.override]]\neventSource = "a"\n',
            "repeats a",
        ),
    ],
)
def test_a_bad_config_is_an_error_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        parse(text)


def test_a_config_that_is_not_toml_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "ctlake.toml").write_text("[insights\n")
    with pytest.raises(BadInputError, match=r"ctlake\.toml: not valid TOML"):
        load_config(tmp_path)


def test_the_digest_changes_with_any_value() -> None:
    assert parse("[insights]\nmin_count = 11\n").digest() != parse("").digest()
