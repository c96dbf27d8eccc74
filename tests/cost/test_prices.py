"""The price table: AWS list prices with their source and date, overridden per lake."""

from __future__ import annotations

import tomllib

import pytest

from ctlake.cost import load_prices
from ctlake.cost.prices import DEFAULTS_FILE
from ctlake.errors import BadInputError
from ctlake.lake import Lake
from tests.cost.conftest import configure, run


def test_defaults_state_their_source_and_date(lake: Lake) -> None:
    prices = load_prices(lake.root)
    assert prices.values["management_event_copy_per_100k"] == 2.00
    assert prices.values["data_event_per_100k"] == 0.10
    assert prices.values["lake_scan_per_gb"] == 0.005
    assert prices.origins["data_event_per_100k"].startswith("default: seed 003")
    assert "as of 2026-11-21" in prices.origins["insights_per_100k_analyzed"]
    assert prices.origins["trails"] == "default assumption"


def test_the_lake_config_overrides_a_default(lake: Lake) -> None:
    lake.root.mkdir(parents=True)
    configure(lake, "[insights]\nmin_count = 5\n\n[cost]\nlake_ingest_per_gb = 2.5\n")
    prices = load_prices(lake.root)
    assert prices.values["lake_ingest_per_gb"] == 2.5
    assert prices.origins["lake_ingest_per_gb"] == str(lake.root / "ctlake.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[cost]\nlake_price = 1\n",
            "unknown key cost.lake_price (expected one of: bytes_per_gb",
        ),
        ("[cost]\ntrails = 0\n", "cost.trails: expected a whole number >= 1, got 0"),
        ("[cost]\ntrails = 1.5\n", "cost.trails: expected a whole number >= 1, got 1.5"),
        (
            "[cost]\nlake_scan_per_gb = -1\n",
            "cost.lake_scan_per_gb: expected a number >= 0, got -1",
        ),
        (
            "[cost]\ninsights_call_rate = 1\n",
            "cost.insights_call_rate: expected true or false, got 1",
        ),
        ("cost = 3\n", "cost: expected a table [cost]"),
        ("[cost\n", "not valid TOML"),
    ],
)
def test_a_wrong_setting_names_the_file_and_key(lake: Lake, text: str, message: str) -> None:
    lake.root.mkdir(parents=True)
    configure(lake, text)
    with pytest.raises(BadInputError) as caught:
        load_prices(lake.root)
    assert str(caught.value).startswith(str(lake.root / "ctlake.toml"))
    assert message in str(caught.value)


def test_prices_lists_each_setting_and_where_it_came_from(cost_lake: Lake) -> None:
    configure(cost_lake, "[cost]\ntrails = 2\n")
    result = run(cost_lake, "--prices", "--queries-per-day", "3", "--format", "csv")
    lines = result.stdout.splitlines()
    assert lines[0] == "setting,value,unit,origin"
    assert f"trails,2,trails,{cost_lake.root / 'ctlake.toml'}" in lines
    assert "queries_per_day,3,queries a day,command line" in lines
    assert "insights_call_rate,true,on or off,default assumption" in lines


def test_prices_are_listed_as_aws_publishes_them_with_their_unit(cost_lake: Lake) -> None:
    configure(cost_lake, "[cost]\nlake_ingest_per_gb = 1250\ndata_event_per_100k = 0.0000025\n")
    result = run(cost_lake, "--prices")
    rows = {line.split()[0]: " ".join(line.split()) for line in result.stdout.splitlines()[2:]}
    assert rows["management_event_copy_per_100k"].startswith(
        "management_event_copy_per_100k $2.00 per 100,000 management events on each extra trail "
    )
    assert rows["lake_scan_per_gb"].startswith("lake_scan_per_gb $0.005 per GB scanned ")
    assert rows["lake_ingest_per_gb"].startswith("lake_ingest_per_gb $1,250.00 per GB ingested ")
    assert rows["data_event_per_100k"].startswith("data_event_per_100k $0.0000025 per 100,000 ")


def test_every_setting_has_a_unit_and_a_source() -> None:
    data = tomllib.loads(DEFAULTS_FILE.read_text())
    assert set(data["unit"]) == set(data["source"]) == set(data["cost"])
