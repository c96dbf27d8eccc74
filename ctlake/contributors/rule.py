"""A CloudWatch Contributor Insights rule body, read and checked.

The rule is the JSON one pastes into CloudWatch ("Syntax" tab), unchanged:

    {"Schema": {"Name": "CloudWatchLogRule", "Version": 1},
     "LogGroupNames": [...], "LogFormat": "JSON", "AggregateOn": "Count" | "Sum",
     "Contribution": {"Keys": ["$.eventName", ...], "ValueOf": "$.x",
                      "Filters": [{"Match": "$.errorCode", "In": [...]}, ...]}}

Keys and Matches are JSON paths into the CloudTrail record. CloudWatch's limits apply: one
to four keys, up to four filters, each filter one operator (In, NotIn, StartsWith with a
list of values; EqualTo, NotEqualTo, GreaterThan, LessThan with a number (EqualTo and
NotEqualTo also take a string); IsPresent with true or false). `LogGroupNames` and
`LogGroupARNs` name where CloudWatch reads; here the lake is the log group, so they are
accepted and ignored. Every problem is reported, one line each, naming the file, the key
and what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ctlake.errors import BadInputError

JSON_PATH = re.compile(r"^\$(\.[A-Za-z_@][A-Za-z0-9_@-]*|\[\d+\])+$")
LIST_OPERATORS = ("In", "NotIn", "StartsWith")
NUMBER_OPERATORS = ("GreaterThan", "LessThan", "EqualTo", "NotEqualTo")
OPERATORS = (*LIST_OPERATORS, *NUMBER_OPERATORS, "IsPresent")
TOP_KEYS = {"Schema", "LogGroupNames", "LogGroupARNs", "LogFormat", "Contribution", "AggregateOn"}
MAX_KEYS = 4
MAX_FILTERS = 4


Problem = Callable[..., None]  # problem(key, expected, got=None): record one problem


class RuleError(BadInputError):
    """A rule that is not a valid CloudWatch Contributor Insights rule; one line a problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Filter:
    match: str
    operator: str
    values: tuple[Any, ...]  # a list operator's strings, or one number/string/bool


@dataclass(frozen=True)
class Rule:
    keys: tuple[str, ...]
    filters: tuple[Filter, ...]
    aggregate: str  # "Count" | "Sum"
    value_of: str | None


def load_rule(path: Path) -> Rule:
    """Read and check the rule in `path`."""
    try:
        body = orjson.loads(path.read_bytes())
    except OSError as exc:
        raise BadInputError(f"{path}: cannot read: {exc.strerror}") from None
    except orjson.JSONDecodeError as exc:
        raise BadInputError(f"{path}: not JSON: {exc}") from None
    return parse_rule(body, str(path))


def parse_rule(body: Any, where: str) -> Rule:
    """Check a rule body (parsed JSON); `where` names it in errors."""
    problems: list[str] = []

    def problem(key: str, expected: str, got: Any = None) -> None:
        found = "" if got is None else f", got {_show(got)}"
        problems.append(f"{where}: {key}: expected {expected}{found}")

    if not isinstance(body, dict):
        raise RuleError([f"{where}: expected a JSON object (a rule body), got {_show(body)}"])
    for key in sorted(set(body) - TOP_KEYS):
        problem(key, "no such key (known: " + ", ".join(sorted(TOP_KEYS)) + ")")
    _check_header(body, problem)
    contribution = body.get("Contribution")
    keys: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    if isinstance(contribution, dict):
        for key in sorted(set(contribution) - {"Keys", "Filters", "ValueOf"}):
            problem(f"Contribution.{key}", "no such key (known: Keys, Filters, ValueOf)")
        keys = _keys(contribution.get("Keys"), problem)
        filters = _filters(contribution.get("Filters", []), problem)
    else:
        problem("Contribution", "an object with Keys (and Filters, ValueOf)", contribution)
        contribution = {}
    aggregate, value_of = _aggregate(body.get("AggregateOn"), contribution.get("ValueOf"), problem)
    if problems:
        raise RuleError(problems)
    return Rule(keys=keys, filters=filters, aggregate=aggregate, value_of=value_of)


def _check_header(body: dict[str, Any], problem: Problem) -> None:
    schema = body.get("Schema")
    if not isinstance(schema, dict) or schema.get("Name") != "CloudWatchLogRule":
        problem("Schema.Name", '"CloudWatchLogRule"', _get(schema, "Name"))
    if not isinstance(schema, dict) or schema.get("Version") != 1:
        problem("Schema.Version", "1", _get(schema, "Version"))
    if body.get("LogFormat") != "JSON":
        problem("LogFormat", '"JSON" (CloudTrail records are JSON)', body.get("LogFormat"))
    for key in ("LogGroupNames", "LogGroupARNs"):
        names = body.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            problem(key, "a list of strings", names)


def _keys(keys: Any, problem: Problem) -> tuple[str, ...]:
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_KEYS:
        problem("Contribution.Keys", f"a list of 1 to {MAX_KEYS} JSON paths", keys)
        return ()
    for index, key in enumerate(keys):
        _path(key, f"Contribution.Keys[{index}]", problem)
    return tuple(str(key) for key in keys)


def _filters(filters: Any, problem: Problem) -> tuple[Filter, ...]:
    if not isinstance(filters, list) or len(filters) > MAX_FILTERS:
        problem("Contribution.Filters", f"a list of at most {MAX_FILTERS} filters", filters)
        return ()
    return tuple(
        found
        for index, item in enumerate(filters)
        if (found := _filter(item, f"Contribution.Filters[{index}]", problem)) is not None
    )


def _filter(item: Any, where: str, problem: Problem) -> Filter | None:
    if not isinstance(item, dict):
        problem(where, "an object with Match and one operator", item)
        return None
    _path(item.get("Match"), f"{where}.Match", problem)
    operators = [key for key in item if key != "Match"]
    unknown = [key for key in operators if key not in OPERATORS]
    if unknown or len(operators) != 1:
        problem(where, "Match and exactly one of " + ", ".join(OPERATORS), sorted(operators))
        return None
    operator = operators[0]
    values = _operand(operator, item[operator], f"{where}.{operator}", problem)
    return None if values is None else Filter(str(item.get("Match")), operator, values)


def _operand(operator: str, value: Any, where: str, problem: Problem) -> tuple[Any, ...] | None:
    if operator in LIST_OPERATORS:
        ok = isinstance(value, list) and value and all(_scalar(v) for v in value)
        if not ok:
            problem(where, "a non-empty list of strings or numbers", value)
            return None
        return tuple(_text(v) for v in value)
    if operator == "IsPresent":
        if not isinstance(value, bool):
            problem(where, "true or false", value)
            return None
        return (value,)
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if not numeric and not (operator in ("EqualTo", "NotEqualTo") and isinstance(value, str)):
        problem(where, "a number" + (" or a string" if "Equal" in operator else ""), value)
        return None
    return (float(value) if numeric else value,)


def _aggregate(aggregate: Any, value_of: Any, problem: Problem) -> tuple[str, str | None]:
    if aggregate not in ("Count", "Sum"):
        problem("AggregateOn", '"Count" or "Sum"', aggregate)
        return "Count", None
    if aggregate == "Sum":
        if value_of is None:
            problem("Contribution.ValueOf", "a JSON path (AggregateOn is Sum)")
        else:
            _path(value_of, "Contribution.ValueOf", problem)
        return "Sum", None if value_of is None else str(value_of)
    if value_of is not None:
        problem("Contribution.ValueOf", 'no ValueOf unless AggregateOn is "Sum"', value_of)
    return "Count", None


def _path(value: Any, where: str, problem: Problem) -> None:
    if not isinstance(value, str) or not JSON_PATH.match(value):
        problem(where, "a JSON path such as $.eventName or $.userIdentity.arn", value)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _text(value: Any) -> str:
    """A list value as the text json_extract_string gives for it (3 and 3.0 are "3")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else obj


def _show(value: Any) -> str:
    text = orjson.dumps(value).decode() if value is not None else "null"
    return text if len(text) <= 60 else text[:57] + "..."
