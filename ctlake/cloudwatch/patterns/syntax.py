"""Filter-pattern text -> a small tree of plain data (`Pattern`), through the Lark grammar
`grammar.lark`.

The tree is what both the SQL compiler (`compile.py`) and any other evaluator work from, so
the meaning of a pattern is decided once, here: which form it takes, what each value is
(string with `*` wildcards, number, `%regex%`), how `&&` binds tighter than `||`.

The form is chosen by the first character, as CloudWatch does: `{` a JSON pattern, `[` a
space-delimited pattern (refused: CloudTrail records are JSON, there are no positional
fields to name), anything else terms; an empty pattern matches every event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from lark import Lark, Token, Transformer, UnexpectedInput
from lark.exceptions import VisitError

from ctlake.errors import BadInputError

GRAMMAR = Path(__file__).with_name("grammar.lark")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# CloudWatch's regex subset: letters, digits, these symbols and these operators.
REGEX_CHARS = re.compile(r"[A-Za-z0-9:_#=@/;,\-^$?\[\]{}|\\*+. ]*")
MAX_REGEXES = 2  # "a limit of 2 regex for each filter pattern"
MAX_WILDCARDS = 3  # "up to three wildcard selectors in a filter pattern"
STEP = re.compile(r"\.?\['([^']*)'\]|\.(\*)|\.?\[(\*)\]|\.([^.\[]+)|\[([0-9]+)\]")


class PatternError(BadInputError):
    """A filter pattern that is not valid CloudWatch syntax, or that ctlake cannot run; the
    message names the column (1-based) and what was expected."""


@dataclass(frozen=True)
class Value:
    """The right side of a JSON comparison: kind "string" (may hold `*` wildcards),
    "number" (`number` set) or "regex" (`text` is the expression without its `%`)."""

    kind: Literal["string", "number", "regex"]
    text: str
    number: float | None = None


@dataclass(frozen=True)
class Wildcard:
    """`.*` (any field of an object, `index` False) or `[*]` (any element of an array)."""

    index: bool


Step = str | int | Wildcard


@dataclass(frozen=True)
class Selector:
    """`$.a.b[0].c` as its steps: str for a key, int for an array index, Wildcard."""

    steps: tuple[Step, ...]

    @property
    def wildcards(self) -> int:
        return sum(isinstance(step, Wildcard) for step in self.steps)


@dataclass(frozen=True)
class Compare:
    selector: Selector
    op: Literal["=", "!=", "<", "<=", ">", ">="]
    value: Value


@dataclass(frozen=True)
class Check:
    """`IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE` on a selector."""

    selector: Selector
    check: Literal["null", "not_exists", "true", "false"]


@dataclass(frozen=True)
class All:
    parts: tuple[JsonExpr, ...]


@dataclass(frozen=True)
class Any_:
    parts: tuple[JsonExpr, ...]


JsonExpr = Compare | Check | All | Any_


@dataclass(frozen=True)
class Term:
    """One term of a term pattern: a word or phrase (`regex` False) or a `%regex%`."""

    text: str
    regex: bool = False


@dataclass(frozen=True)
class Terms:
    """A term pattern: every `required` term, at least one `optional` (`?`) term when there
    are any, and none of the `excluded` (`-`) terms. No terms at all: every event."""

    required: tuple[Term, ...] = ()
    optional: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()


@dataclass(frozen=True)
class JsonPattern:
    expr: JsonExpr


Pattern = JsonPattern | Terms


def parse_pattern(text: str) -> Pattern:
    """The tree of filter pattern `text`; PatternError when it is not valid."""
    stripped = text.strip()
    if stripped.startswith("["):
        raise PatternError(
            f"filter pattern {stripped!r}, column {text.index('[') + 1}: space-delimited "
            "patterns ([field, ...]) are for non-JSON logs; CloudTrail records are JSON: use "
            "a JSON pattern { $.field = ... }"
        )
    start = "json_pattern" if stripped.startswith("{") else "term_pattern"
    try:
        tree = _parser().parse(text, start=start)
    except UnexpectedInput as exc:
        raise PatternError(_describe(text, exc)) from None
    try:
        pattern: Pattern = _ToData().transform(tree)
    except VisitError as exc:
        if isinstance(exc.orig_exc, PatternError):
            raise PatternError(f"filter pattern {stripped!r}, {exc.orig_exc}") from None
        raise
    _check_regexes(text, pattern)
    _check_wildcards(text, pattern)
    return pattern


def parse_metric_value(text: str) -> Selector | Value:
    """A metric filter's value: `$.path` (a Selector) or a number (a Value)."""
    try:
        token = _parser().parse(text, start="metric_value").children[0]
    except UnexpectedInput:
        token = None
    if isinstance(token, Token) and token.type == "SELECTOR":
        return _selector(token)
    if isinstance(token, Token) and NUMBER.fullmatch(str(token)):
        return _value(token)
    raise PatternError(
        f"metric value {text.strip()!r}: expected a number or a selector like "
        "$.requestParameters.durationSeconds"
    )


@cache
def _parser() -> Lark:
    return Lark(
        GRAMMAR.read_text(),
        start=["json_pattern", "term_pattern", "metric_value"],
        parser="lalr",
        maybe_placeholders=False,
    )


def _describe(text: str, exc: UnexpectedInput) -> str:
    column = getattr(exc, "column", None)
    where = f"column {column}" if isinstance(column, int) and column > 0 else "the end"
    found = getattr(exc, "token", None)
    char = getattr(exc, "char", None)
    if found is not None and getattr(found, "type", "") == "$END":
        what = "end of the pattern"
    elif found is not None:
        what = repr(str(found))
    elif char is not None:
        what = repr(char)
    else:
        what = "end of the pattern"
    expected = sorted(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or [])
    wanted = ", ".join(_EXPECTED.get(name, name) for name in expected[:6])
    hint = f"; expected {wanted}" if wanted else ""
    return f"filter pattern {text.strip()!r}, {where}: unexpected {what}{hint}"


_EXPECTED = {
    "SELECTOR": "a selector like $.eventName",
    "OPERATOR": "an operator (= != < <= > >=)",
    "STRING": "a quoted string",
    "BARE": "a value",
    "REGEX": "a %regex%",
    "RBRACE": "}",
    "LBRACE": "{",
    "RPAR": ")",
    "LPAR": "(",
    "IS": "IS",
    "NOT": "NOT",
    "NULL": "NULL",
    "EXISTS": "EXISTS",
    "TRUE": "TRUE",
    "FALSE": "FALSE",
    "_OR": "||",
    "_AND": "&&",
    "WORD": "a term",
    "PREFIX": "? or -",
    "$END": "the end of the pattern",
    "<END-OF-FILE>": "the end of the pattern",
}


def _unquote(token: str) -> str:
    """A double-quoted string's text, backslash escapes resolved (\\" is ")."""
    return re.sub(r"\\(.)", r"\1", token[1:-1])


def _value(token: Token) -> Value:
    raw = str(token)
    if token.type == "STRING":
        return Value("string", _unquote(raw))
    if token.type == "REGEX":
        return Value("regex", raw[1:-1])
    if NUMBER.fullmatch(raw):
        return Value("number", raw, float(raw))
    return Value("string", raw)


def _selector(token: Token) -> Selector:
    steps: list[Step] = []
    for match in STEP.finditer(str(token), 1):
        quoted, any_key, any_index, key, index = match.groups()
        if any_key or any_index:
            steps.append(Wildcard(index=bool(any_index)))
        elif index is not None:
            steps.append(int(index))
        else:
            steps.append(quoted if quoted is not None else key)
    selector = Selector(tuple(steps))
    if selector.wildcards > 1:
        raise PatternError(
            f"column {token.column}: {token} has {selector.wildcards} wildcards; CloudWatch "
            "allows one in a selector"
        )
    return selector


class _ToData(Transformer[Token, Pattern]):
    """The Lark tree as the dataclasses above."""

    def json_pattern(self, items: list[JsonExpr]) -> JsonPattern:
        return JsonPattern(items[0])

    def or_expr(self, items: list[JsonExpr]) -> Any_:
        return Any_(tuple(items))

    def and_expr(self, items: list[JsonExpr]) -> All:
        return All(tuple(items))

    def compare(self, items: list[Token | Value]) -> Compare:
        selector, op, value = items
        assert isinstance(selector, Token) and isinstance(value, Value)
        compared = Compare(_selector(selector), str(op), value)  # type: ignore[arg-type]
        if compared.op not in ("=", "!=") and value.kind != "number":
            raise PatternError(
                f"column {op.column}: {op} compares numbers; "  # type: ignore[union-attr]
                f"expected a number after it, found {value.text!r}"
            )
        return compared

    def value(self, items: list[Token]) -> Value:
        return _value(items[0])

    def is_null(self, items: list[Token]) -> Check:
        return Check(_selector(items[0]), "null")

    def not_exists(self, items: list[Token]) -> Check:
        return Check(_selector(items[0]), "not_exists")

    def is_true(self, items: list[Token]) -> Check:
        return Check(_selector(items[0]), "true")

    def is_false(self, items: list[Token]) -> Check:
        return Check(_selector(items[0]), "false")

    def term(self, items: list[Token]) -> tuple[str, Term]:
        prefix = str(items[0]) if len(items) == 2 else ""
        token = items[-1]
        if token.type == "STRING":
            return prefix, Term(_unquote(str(token)))
        if token.type == "REGEX":
            return prefix, Term(str(token)[1:-1], regex=True)
        return prefix, Term(str(token))

    def term_pattern(self, items: list[tuple[str, Term]]) -> Terms:
        # A blank phrase (`" "`, CloudWatch's "match everything") asks for nothing.
        kept = [(p, t) for p, t in items if t.regex or t.text.strip()]
        required = tuple(t for p, t in kept if p == "")
        excluded = tuple(t for p, t in kept if p == "-")
        # "If you combine ? with other filter patterns, all question mark terms will be
        # ignored" (CloudWatch's documentation).
        optional = () if required or excluded else tuple(t for p, t in kept if p == "?")
        return Terms(required, optional, excluded)


def conditions(pattern: Pattern) -> list[Compare | Check]:
    """The comparisons and checks of a JSON pattern, in order ([] for a term pattern)."""
    if isinstance(pattern, Terms):
        return []
    found: list[Compare | Check] = []
    stack: list[JsonExpr] = [pattern.expr]
    while stack:
        node = stack.pop()
        if isinstance(node, All | Any_):
            stack.extend(reversed(node.parts))
        else:
            found.append(node)
    return found


def _regexes(pattern: Pattern) -> list[str]:
    if isinstance(pattern, Terms):
        terms = pattern.required + pattern.optional + pattern.excluded
        return [t.text for t in terms if t.regex]
    return [
        c.value.text
        for c in conditions(pattern)
        if isinstance(c, Compare) and c.value.kind == "regex"
    ]


def _check_wildcards(text: str, pattern: Pattern) -> None:
    count = sum(c.selector.wildcards for c in conditions(pattern))
    if count > MAX_WILDCARDS:
        raise PatternError(
            f"filter pattern {text.strip()!r}: {count} wildcard selectors; CloudWatch "
            f"allows at most {MAX_WILDCARDS} in a pattern"
        )


def _check_regexes(text: str, pattern: Pattern) -> None:
    """CloudWatch's own limits on regexes, so a pattern that runs here runs there too."""
    regexes = _regexes(pattern)
    if len(regexes) > MAX_REGEXES:
        raise PatternError(
            f"filter pattern {text.strip()!r}: {len(regexes)} %regex% values; CloudWatch "
            f"allows at most {MAX_REGEXES} in a pattern"
        )
    for regex in regexes:
        bad = REGEX_CHARS.sub("", regex)
        column = text.find(f"%{regex}%") + 2
        if not bad:
            _check_compiles(text, regex, column)
        else:
            column += regex.find(bad[0])
            raise PatternError(
                f"filter pattern, column {column}: {bad[0]!r} is not allowed in a CloudWatch "
                "regex (letters, digits, : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | "
                "\\ * + . only; no ( ) groups)"
            )


def _check_compiles(text: str, regex: str, column: int) -> None:
    """The regex is well formed (balanced brackets, repetitions that repeat something):
    checked with Python's `re`, which agrees with RE2 on CloudWatch's subset, so a bad
    regex is this one line rather than an engine error when the query runs."""
    try:
        re.compile(regex)
    except re.error as exc:
        raise PatternError(
            f"filter pattern {text.strip()!r}, column {column}: %{regex}% is not a valid "
            f"regex ({exc.msg})"
        ) from None
