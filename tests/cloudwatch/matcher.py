"""A filter pattern evaluated in plain Python against one record: the reference the SQL
predicate is compared with.

It implements CloudWatch's documented semantics on the record as a dict and its message
(the compact JSON text), plus the differences docs/filter-patterns.md lists for the lake:
numbers compare as numbers also when the JSON holds them as strings; a map value (a key
under requestParameters, responseElements, additionalEventData, serviceEventDetails)
that begins with { or [ is taken for an object or array, since the lake keeps those as
JSON text; and a field the lake types (`typed`: the dotted paths of its scalar columns and
struct fields) is absent for NOT EXISTS when it is null. Nothing here uses SQL or the
compiler.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ctlake.cloudwatch.patterns.syntax import (
    All,
    Any_,
    Check,
    Compare,
    JsonExpr,
    JsonPattern,
    Pattern,
    Selector,
    Term,
    Terms,
    Value,
    Wildcard,
)

MAPS = {"requestParameters", "responseElements", "additionalEventData", "serviceEventDetails"}
COMPARE: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def matches(
    pattern: Pattern, record: dict[str, Any], message: str, typed: frozenset[str] = frozenset()
) -> bool:
    """Whether `pattern` matches the record `record` whose message text is `message`."""
    if isinstance(pattern, Terms):
        return _terms(pattern, message)
    assert isinstance(pattern, JsonPattern)
    return _json(pattern.expr, record, typed)


def _terms(pattern: Terms, message: str) -> bool:
    def found(term: Term) -> bool:
        return bool(re.search(term.text, message)) if term.regex else term.text in message

    if not all(found(t) for t in pattern.required):
        return False
    if pattern.optional and not any(found(t) for t in pattern.optional):
        return False
    return not any(found(t) for t in pattern.excluded)


def _json(node: JsonExpr, record: dict[str, Any], typed: frozenset[str]) -> bool:
    if isinstance(node, All):
        return all(_json(part, record, typed) for part in node.parts)
    if isinstance(node, Any_):
        return any(_json(part, record, typed) for part in node.parts)
    values = select(node.selector, record)
    if isinstance(node, Check):
        steps = node.selector.steps
        if node.check == "not_exists" and ".".join(map(str, steps)) in typed:
            values = [value for value in values if value is not None]
        return _check(node.check, values)
    assert isinstance(node, Compare)
    texts = [_text(value, node.selector) for value in values]
    return any(text is not None and _compare(node.op, node.value, text) for text in texts)


def select(selector: Selector, record: dict[str, Any]) -> list[Any]:
    """The values `selector` points to (one, or any number with a wildcard; [] if absent)."""
    current: list[Any] = [record]
    for step in selector.steps:
        following: list[Any] = []
        for value in current:
            if isinstance(step, Wildcard):
                if step.index and isinstance(value, list):
                    following.extend(value)
                elif not step.index and isinstance(value, dict):
                    following.extend(value.values())
            elif isinstance(step, int):
                if isinstance(value, list) and step < len(value):
                    following.append(value[step])
            elif isinstance(value, dict) and step in value:
                following.append(value[step])
        current = following
    return current


def _text(value: Any, selector: Selector) -> str | None:
    """The value as the pattern compares it: None for null, an object or an array."""
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        in_map = len(selector.steps) == 2 and selector.steps[0] in MAPS
        return None if in_map and value[:1] in ("{", "[") else value
    return json.dumps(value)


def _compare(op: str, value: Value, text: str) -> bool:
    if value.kind == "number":
        try:
            number = float(text)
        except ValueError:
            return False
        assert value.number is not None
        return COMPARE[op](number, value.number)
    if value.kind == "regex":
        found = re.search(value.text, text) is not None
    elif value.text == "*":
        return True
    else:
        found = _wildcard(value.text).fullmatch(text) is not None
    return found if op == "=" else not found


@cache
def _wildcard(text: str) -> re.Pattern[str]:
    """`text` with `*` standing for any characters, as a regex for the whole value."""
    return re.compile(".*".join(re.escape(part) for part in text.split("*")), re.DOTALL)


def _check(check: str, values: list[Any]) -> bool:
    if check == "not_exists":
        return not values
    wanted = {"null": None, "true": True, "false": False}[check]
    return any(value is wanted for value in values)
