"""`[[metrics.filter]]`: the forms a value may take, and what a filter's digest covers
(the key-path errors are in tests/config/test_key_paths.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ctlake.config import KeyPath, MetricsConfig
from ctlake.errors import BadInputError

BASE = {"name": "F", "pattern": "", "namespace": "N/S", "metric_name": "M"}


def one(**keys: Any) -> MetricsConfig:
    path = KeyPath(Path("c.toml")) / "metrics"
    return MetricsConfig.from_toml({"filter": [dict(BASE, **keys)]}, path)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (None, "1"),
        ("1", "1"),
        (1, "1"),
        (2.5, "2.5"),
        (" 3.0 ", "3"),
        ("-0.5", "-0.5"),
        ("$.requestParameters.durationSeconds", "$.requestParameters.durationSeconds"),
        ("$.resources[0].size", "$.resources[0].size"),
    ],
)
def test_a_value_is_a_number_or_a_field(given: Any, kept: str) -> None:
    keys = {} if given is None else {"value": given}
    assert one(**keys).filters[0].value == kept


@pytest.mark.parametrize("bad", ["", "one", "$", "$.a b", "nan", "inf", True, [1]])
def test_anything_else_is_an_error_naming_the_filter(bad: Any) -> None:
    with pytest.raises(BadInputError, match=r"metrics\.filter\[0\]\.value \(filter 'F'\)"):
        one(value=bad)


def test_the_metric_keeps_slashes_of_its_namespace() -> None:
    assert one().filters[0].metric == "N/S/M"
    assert one().metrics() == ["N/S/M"]


def test_the_digest_changes_with_any_key_and_only_then() -> None:
    digests = {
        one().digest(),
        one(pattern="{ $.a = 1 }").digest(),
        one(value="2").digest(),
        one(default_value=0).digest(),
        one(unit="Count").digest(),
        one(dimensions={"A": "$.a"}).digest(),
        one(metric_name="Other").digest(),
    }
    assert len(digests) == 7
    assert one().digest() == one().digest()


def test_more_than_three_dimensions_is_an_error() -> None:
    four = {k: f"$.{k}" for k in "abcd"}
    with pytest.raises(BadInputError, match=r"dimensions \(filter 'F'\): at most 3 dimensions"):
        one(dimensions=four)
