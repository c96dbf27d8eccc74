"""A rule that is not what CloudWatch takes is refused, one line per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ctlake.contributors import RuleError, load_rule, parse_rule
from ctlake.errors import BadInputError, ExitCode
from ctlake.lake import Lake
from tests.contributors.conftest import RULES, run


def rule(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
        "AggregateOn": "Count",
        "Contribution": {"Keys": ["$.eventName"]},
        "LogFormat": "JSON",
    }
    body.update(changes)
    return body


def problems(body: Any) -> list[str]:
    with pytest.raises(RuleError) as caught:
        parse_rule(body, "r.json")
    return caught.value.problems


def test_the_seed_rules_are_valid() -> None:
    for path in sorted(RULES.glob("*.json")):
        assert load_rule(path).keys


def test_each_problem_names_the_file_the_key_and_what_was_expected() -> None:
    body = rule(
        Schema={"Name": "CloudWatchLogRule", "Version": 2},
        LogFormat="CLF",
        AggregateOn="Max",
        Colour="blue",
        Contribution={"Keys": ["eventName"], "Filters": [{"Match": "$.errorCode", "In": []}]},
    )
    assert problems(body) == [
        "r.json: Colour: expected no such key (known: AggregateOn, Contribution, LogFormat, "
        "LogGroupARNs, LogGroupNames, Schema)",
        "r.json: Schema.Version: expected 1, got 2",
        'r.json: LogFormat: expected "JSON" (CloudTrail records are JSON), got "CLF"',
        "r.json: Contribution.Keys[0]: expected a JSON path such as $.eventName or "
        '$.userIdentity.arn, got "eventName"',
        "r.json: Contribution.Filters[0].In: expected a non-empty list of strings or numbers, "
        "got []",
        'r.json: AggregateOn: expected "Count" or "Sum", got "Max"',
    ]


@pytest.mark.parametrize(
    ("contribution", "expected"),
    [
        ({"Keys": []}, "Contribution.Keys: expected a list of 1 to 4 JSON paths, got []"),
        ({"Keys": ["$.a", "$.b", "$.c", "$.d", "$.e"]}, "expected a list of 1 to 4 JSON paths"),
        (
            {"Keys": ["$.a"], "Filters": [{"Match": "$.a", "In": ["x"], "NotIn": ["y"]}]},
            "Filters[0]: expected Match and exactly one of In, NotIn, StartsWith, GreaterThan, "
            'LessThan, EqualTo, NotEqualTo, IsPresent, got ["In","NotIn"]',
        ),
        (
            {"Keys": ["$.a"], "Filters": [{"Match": "$.a", "GreaterThan": "5"}]},
            'Filters[0].GreaterThan: expected a number, got "5"',
        ),
        (
            {"Keys": ["$.a"], "Filters": [{"Match": "$.a", "IsPresent": "yes"}]},
            'Filters[0].IsPresent: expected true or false, got "yes"',
        ),
        ({"Keys": ["$.a"], "ValueOf": "$.b"}, 'expected no ValueOf unless AggregateOn is "Sum"'),
    ],
)
def test_contribution_problems_are_explained(contribution: dict[str, Any], expected: str) -> None:
    (found,) = problems(rule(Contribution=contribution))
    assert expected in found


def test_sum_needs_a_value_to_add_up() -> None:
    (found,) = problems(rule(AggregateOn="Sum"))
    assert found == "r.json: Contribution.ValueOf: expected a JSON path (AggregateOn is Sum)"


def test_a_file_that_is_not_json_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text("{not json")
    with pytest.raises(BadInputError, match=r"r\.json: not JSON"):
        load_rule(path)


def test_the_cli_exits_3_for_an_invalid_rule(contributors_lake: Lake, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"Schema": {"Name": "CloudWatchLogRule", "Version": 1}}')
    result = run(contributors_lake, str(path))
    assert isinstance(result.exception, RuleError)
    assert result.exception.exit_code == ExitCode.BAD_INPUT
    assert len(result.exception.problems) == 3
