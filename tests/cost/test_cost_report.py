"""`ctlake cost`: exact figures by month and eventSource on a lake of 1,000-byte events."""

from __future__ import annotations

import pytest

from ctlake.lake import Lake
from tests.cost.conftest import configure, run

# With [cost] bytes_per_gb = 1000 (one event is one GB), trails = 3 (two paid copies),
# queries_per_day = 2, query_scan_days = 5 (each GB is scanned 10 times a month):
#   extra trails: management events x 2 copies x $2.00 / 100k
#   data events:  data events x $0.10 / 100k
#   insights:     (writes + management events) x $0.35 / 100k
#   lake ingest:  GB x $0.75;  lake scan: GB x 10 x $0.005
CONFIG = "[cost]\nbytes_per_gb = 1000\ntrails = 3\nqueries_per_day = 2\nquery_scan_days = 5\n"
HEADER = (
    "month,eventSource,events,management_events,data_events,insights_analyzed,lake_gb,"
    "extra_trails_usd,data_events_usd,insights_usd,lake_ingest_usd,lake_scan_usd,total_usd"
)


def test_each_month_and_source_gets_its_exact_cost(cost_lake: Lake) -> None:
    configure(cost_lake, CONFIG)
    result = run(cost_lake, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        HEADER,
        "2024-05,s3.amazonaws.com,4,0,4,0,4.000000,"
        "0.000000,0.000004,0.000000,3.000000,0.200000,3.200004",
        "2024-05,iam.amazonaws.com,3,3,0,6,3.000000,"
        "0.000120,0.000000,0.000021,2.250000,0.150000,2.400141",
        "2024-05,ec2.amazonaws.com,2,2,0,2,2.000000,"
        "0.000080,0.000000,0.000007,1.500000,0.100000,1.600087",
        "2024-06,iam.amazonaws.com,1,1,0,2,1.000000,"
        "0.000040,0.000000,0.000007,0.750000,0.050000,0.800047",
    ]
    assert result.stderr == (
        "2024-05 to 2024-06: 10 events would cost $8.00 (extra trails $0.00, "
        "data events $0.00, insights $0.00, lake ingest $7.50, lake scan $0.50)\n"
    )


def test_the_table_shows_every_amount_in_dollars_and_cents(cost_lake: Lake) -> None:
    configure(cost_lake, CONFIG.replace("trails = 3", "trails = 3\nlake_ingest_per_gb = 0.59511"))
    result = run(cost_lake, "--by", "month")
    assert result.exit_code == 0, result.output
    assert [line.split() for line in result.stdout.splitlines()[2:]] == [
        [
            "2024-05",
            "9",
            "5",
            "4",
            "8",
            "9.000000",
            "$0.00",
            "$0.00",
            "$0.00",
            "$5.36",
            "$0.45",
            "$5.81",
        ],
        [
            "2024-06",
            "1",
            "1",
            "0",
            "2",
            "1.000000",
            "$0.00",
            "$0.00",
            "$0.00",
            "$0.60",
            "$0.05",
            "$0.65",
        ],
    ]
    assert result.stderr == (
        "2024-05 to 2024-06: 10 events would cost $6.45 (extra trails $0.00, "
        "data events $0.00, insights $0.00, lake ingest $5.95, lake scan $0.50)\n"
    )


def test_by_month_sums_the_sources(cost_lake: Lake) -> None:
    configure(cost_lake, CONFIG)
    result = run(cost_lake, "--by", "month", "--format", "csv")
    assert result.stdout.splitlines()[1:] == [
        "2024-05,9,5,4,8,9.000000,0.000200,0.000004,0.000028,6.750000,0.450000,7.200232",
        "2024-06,1,1,0,2,1.000000,0.000040,0.000000,0.000007,0.750000,0.050000,0.800047",
    ]


def test_by_source_puts_the_costliest_first(cost_lake: Lake) -> None:
    configure(cost_lake, CONFIG)
    result = run(cost_lake, "--by", "source", "--format", "csv")
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == [
        "iam.amazonaws.com",
        "s3.amazonaws.com",
        "ec2.amazonaws.com",
    ]


def test_the_first_trail_is_free_and_options_override_the_config(cost_lake: Lake) -> None:
    configure(cost_lake, CONFIG)
    result = run(cost_lake, "--by", "month", "--trails", "1", "--queries-per-day", "0", "-f", "csv")
    assert result.stdout.splitlines()[1:] == [
        "2024-05,9,5,4,8,9.000000,0.000000,0.000004,0.000028,6.750000,0.000000,6.750032",
        "2024-06,1,1,0,2,1.000000,0.000000,0.000000,0.000007,0.750000,0.000000,0.750007",
    ]


@pytest.mark.parametrize(
    ("setting", "iam", "ec2"),
    [
        ("insights_call_rate = false", "3", "2"),  # error rate: every management event
        ("insights_error_rate = false", "3", "0"),  # call rate: the writes only
    ],
)
def test_each_insights_type_analyses_its_own_events(
    cost_lake: Lake, setting: str, iam: str, ec2: str
) -> None:
    configure(cost_lake, CONFIG + setting + "\n")
    result = run(cost_lake, "--format", "csv", "--until", "2024-06-01")
    analyzed = {line.split(",")[1]: line.split(",")[5] for line in result.stdout.splitlines()}
    assert (analyzed["iam.amazonaws.com"], analyzed["ec2.amazonaws.com"]) == (iam, ec2)


def test_since_and_until_select_the_events_priced(cost_lake: Lake) -> None:
    configure(cost_lake, CONFIG)
    result = run(cost_lake, "--since", "2024-06-01", "--by", "month", "-f", "csv")
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["2024-06"]


def test_default_prices_count_gigabytes_of_2_to_the_30_bytes(cost_lake: Lake) -> None:
    result = run(cost_lake, "--by", "month", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"lake_gb":0.000008' in result.stdout  # 9,000 bytes / 2^30 = 0.0000084
