"""Each filter operator, Sum with ValueOf, and JSON paths outside the typed columns."""

from __future__ import annotations

from typing import Any

import pytest

from ctlake.contributors import Query, build, parse_rule, summary
from ctlake.lake import Lake, reader
from tests.contributors.conftest import ALICE, BOB, CAROL


def top(lake: Lake, contribution: dict[str, Any], *, typed: bool = True, **body: Any) -> list:
    rule = parse_rule(
        {
            "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
            "LogFormat": "JSON",
            "AggregateOn": body.get("AggregateOn", "Count"),
            "Contribution": contribution,
        },
        "test",
    )
    sql, params = build(rule, Query(top=10), "top", typed=typed)
    con = reader.connect(lake)
    return [row[1:-1] for row in con.execute(sql, params).fetchall()]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({"In": ["AccessDenied"]}, [(CAROL, 2), (ALICE, 1)]),
        ({"NotIn": ["AccessDenied"]}, [(BOB, 4)]),
        ({"StartsWith": ["Client.", "Unauth"]}, [(BOB, 4)]),
        (
            {"IsPresent": False},
            [("arn:aws:sts::111122223333:assumed-role/app/session", 4), (ALICE, 3)],
        ),
        ({"EqualTo": "AccessDenied"}, [(CAROL, 2), (ALICE, 1)]),
        ({"NotEqualTo": "AccessDenied"}, [(BOB, 4)]),
    ],
)
def test_string_operators_match_the_error_code(
    contributors_lake: Lake, flt: dict[str, Any], expected: list
) -> None:
    contribution = {"Keys": ["$.userIdentity.arn"], "Filters": [{"Match": "$.errorCode", **flt}]}
    assert top(contributors_lake, contribution) == expected


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({"GreaterThan": 100}, [(CAROL, 1)]),
        ({"LessThan": 250}, [(CAROL, 1)]),
        ({"EqualTo": 250}, [(CAROL, 1)]),
        ({"NotEqualTo": 250}, [(CAROL, 1)]),
        ({"IsPresent": True}, [(CAROL, 2)]),
    ],
)
def test_numeric_operators_compare_numbers(
    contributors_lake: Lake, flt: dict[str, Any], expected: list
) -> None:
    contribution = {
        "Keys": ["$.userIdentity.arn"],
        "Filters": [{"Match": "$.additionalEventData.bytes", **flt}],
    }
    assert top(contributors_lake, contribution) == expected


def test_sum_adds_up_the_value_of_each_event(contributors_lake: Lake) -> None:
    contribution = {"Keys": ["$.eventSource"], "ValueOf": "$.additionalEventData.bytes"}
    assert top(contributors_lake, contribution, AggregateOn="Sum") == [("s3.amazonaws.com", 350.0)]


def test_typed_columns_and_json_paths_give_the_same_contributors(contributors_lake: Lake) -> None:
    contribution = {
        "Keys": ["$.userIdentity.arn", "$.eventName", "$.eventSource"],
        "Filters": [{"Match": "$.errorCode", "NotIn": ["Nothing"]}],
    }
    typed = top(contributors_lake, contribution)
    assert typed and typed == top(contributors_lake, contribution, typed=False)


def test_a_key_missing_from_an_event_leaves_it_out(contributors_lake: Lake) -> None:
    rule = parse_rule(
        {
            "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
            "LogFormat": "JSON",
            "AggregateOn": "Count",
            "Contribution": {"Keys": ["$.errorCode", "$.eventName"]},
        },
        "test",
    )
    con = reader.connect(contributors_lake)
    assert summary(con, rule, Query()) == (7, 4, 7.0)
