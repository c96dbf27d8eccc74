"""The three rules of seed 004 run unchanged and find the contributors they describe;
so does the Sum example."""

from __future__ import annotations

import pytest

from ctlake.errors import BadInputError
from ctlake.lake import Lake
from tests.contributors.conftest import ALICE, BOB, CAROL, ROLE_A, RULES, run


def test_top_api_calls_leave_out_assume_role(contributors_lake: Lake) -> None:
    rule = RULES / "top-api-calls-except-assumerole.json"
    result = run(contributors_lake, str(rule), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "rank,eventName,count,percent",
        "1,CreateUser,3,30.0",
        "2,DescribeInstances,3,30.0",
        "3,GetObject,2,20.0",
        "4,DeleteUser,1,10.0",
        "5,RunInstances,1,10.0",
    ]


def test_throttling_rule_counts_throttled_calls_by_api_and_caller(contributors_lake: Lake) -> None:
    result = run(contributors_lake, str(RULES / "api-throttling.json"), "--format", "csv")
    assert result.stdout.splitlines() == [
        "rank,eventName,userIdentity.arn,count,percent",
        f"1,DescribeInstances,{BOB},3,100.0",
    ]


def test_access_denied_rule_ranks_callers_refused(contributors_lake: Lake) -> None:
    result = run(contributors_lake, str(RULES / "access-denied.json"), "--format", "csv")
    assert result.stdout.splitlines() == [
        "rank,userIdentity.arn,eventName,count,percent",
        f"1,{CAROL},GetObject,2,50.0",
        f"2,{ALICE},DeleteUser,1,25.0",
        f"3,{BOB},RunInstances,1,25.0",
    ]


def test_the_sum_example_adds_up_the_seconds_asked_per_role(contributors_lake: Lake) -> None:
    rule = RULES / "assume-role-seconds-by-role.json"
    result = run(contributors_lake, str(rule), "--format", "csv")
    assert result.stdout.splitlines() == [
        "rank,requestParameters.roleArn,sum,percent",
        f"1,{ROLE_A},50400.0,100.0",
    ]


def test_top_and_period_rank_contributors_within_each_period(contributors_lake: Lake) -> None:
    rule = RULES / "access-denied.json"
    result = run(contributors_lake, str(rule), "--period", "5m", "--top", "1", "--format", "csv")
    assert result.stdout.splitlines() == [
        "period,rank,userIdentity.arn,eventName,count,contributors",
        f"2024-05-01 12:00:00,1,{BOB},RunInstances,1,1",
        f"2024-05-01 12:05:00,1,{CAROL},GetObject,2,1",
        f"2024-05-01 12:10:00,1,{ALICE},DeleteUser,1,1",
    ]


def test_since_and_until_bound_the_events_counted(contributors_lake: Lake) -> None:
    rule = RULES / "api-throttling.json"
    args = ["--since", "2024-05-01T12:01:00Z", "--until", "2024-05-01T12:02:00Z"]
    result = run(contributors_lake, str(rule), *args, "--format", "csv")
    assert result.stdout.splitlines()[1:] == [f"1,DescribeInstances,{BOB},2,100.0"]
    assert "2 events matched, 1 unique contributors" in result.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--period", "5 minutes"], "--period '5 minutes': expected a span such as 1m"),
        (["--period", "0m"], "--period '0m': expected a span"),
        (["--top", "0"], "--top 0: expected a positive number"),
        (["--since", "yesterday"], "--since 'yesterday': expected a UTC time"),
    ],
)
def test_bad_options_are_explained(
    contributors_lake: Lake, option: list[str], message: str
) -> None:
    result = run(contributors_lake, str(RULES / "access-denied.json"), *option)
    assert isinstance(result.exception, BadInputError)
    assert message in str(result.exception)
