"""A Logs Insights query as a list of commands: the grammar (`logs_insights.lark`) and the
tree it is read into.

    parse('filter eventName="CreateKey" | stats count(*) by awsRegion')
      -> [Filter(Compare('=', Field('eventName'), Str('CreateKey'))),
          Stats([Named(Call('count', [Star()]))], [Named(Field('awsRegion'))])]

Every node keeps `text`, its words as the query wrote them: CloudWatch names a result
column after the expression that computed it (`count(*)`, `tolower(x)`) unless `as` names
it. A syntax error is a `LogsInsightsError` naming the line, column and what was found; a
command CloudWatch has and ctlake does not (`pattern`, `unnest`, ...) is one line naming
that command.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ctlake.cloudwatch.logs_insights.errors import LogsInsightsError

GRAMMAR = Path(__file__).with_name("logs_insights.lark")
COMMANDS = ("fields", "display", "filter", "stats", "sort", "limit", "dedup", "parse")
# CloudWatch's other commands: named in the error, so nobody hunts for a typo.
UNSUPPORTED_COMMANDS = (
    "anomaly", "diff", "filterIndex", "join", "lookup", "pattern", "SOURCE", "unmask", "unnest",
)  # fmt: skip
# The units of a period (`bin(5m)`), in seconds; months, quarters and years as CloudWatch
# counts them for bin(): 30, 90 and 365 days.
PERIOD_SECONDS = {
    "ms": 0.001, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600,
    "d": 86400, "w": 604800, "mo": 2592000, "mon": 2592000, "q": 7776000, "qtr": 7776000,
    "y": 31536000, "yr": 31536000,
}  # fmt: skip


# -- expressions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    text: str = field(default="", kw_only=True, compare=False)


@dataclass(frozen=True)
class Field(Node):
    name: str


@dataclass(frozen=True)
class Number(Node):
    value: float | int


@dataclass(frozen=True)
class Str(Node):
    value: str


@dataclass(frozen=True)
class Regex(Node):
    pattern: str


@dataclass(frozen=True)
class Duration(Node):
    seconds: float


@dataclass(frozen=True)
class Star(Node):
    pass


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Binary(Node):
    """Arithmetic (`+ - * / % ^`) or a comparison (`= != < <= > >=`)."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Logical(Node):
    op: str  # "and" | "or"
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    item: Node


@dataclass(frozen=True)
class Negate(Node):
    item: Node


@dataclass(frozen=True)
class Like(Node):
    """`like`, `=~`: a substring (Str) or a regular expression (Regex) match."""

    item: Node
    pattern: Str | Regex
    negated: bool = False


@dataclass(frozen=True)
class In(Node):
    item: Node
    values: tuple[Node, ...]
    negated: bool = False


# -- commands -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """`expr` or `expr as name`; `name` is the result column either way."""

    expr: Node
    alias: str | None = None

    @property
    def name(self) -> str:
        return self.alias or self.expr.text


@dataclass(frozen=True)
class Fields:
    items: tuple[Named, ...]


@dataclass(frozen=True)
class Display:
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Filter:
    condition: Node


@dataclass(frozen=True)
class Stats:
    aggregates: tuple[Named, ...]
    groups: tuple[Named, ...]


@dataclass(frozen=True)
class SortKey:
    expr: Node
    descending: bool


@dataclass(frozen=True)
class Sort:
    keys: tuple[SortKey, ...]


@dataclass(frozen=True)
class Limit:
    count: int


@dataclass(frozen=True)
class Dedup:
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Parse:
    source: Field
    pattern: Str | Regex
    names: tuple[str, ...]


Command = Fields | Display | Filter | Stats | Sort | Limit | Dedup | Parse


# -- parsing ------------------------------------------------------------------------------


def parse(query: str) -> list[Command]:
    """The commands of `query`, or a LogsInsightsError naming where it stops making sense."""
    if not query.strip():
        raise LogsInsightsError("empty query: expected a command such as fields or filter")
    try:
        tree = _parser().parse(query)
    except UnexpectedInput as exc:
        raise LogsInsightsError(_describe(query, exc)) from None
    try:
        return list(_Build(query).transform(tree))
    except LogsInsightsError:
        raise
    except Exception as exc:  # a Transformer wraps what its callbacks raise
        cause = getattr(exc, "orig_exc", None)
        if isinstance(cause, LogsInsightsError):
            raise cause from None
        raise


@cache
def _parser() -> Lark:
    return Lark(
        GRAMMAR.read_text(),
        start="query",
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
    )


def _describe(query: str, exc: UnexpectedInput) -> str:
    line, column = exc.line, exc.column
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        return "the query ends too early: expected more after the last word"
    word = _word_at(query, exc)
    if word is not None and _at_command_start(query, exc.pos_in_stream or 0):
        lowered = {name.lower(): name for name in UNSUPPORTED_COMMANDS}
        if word.lower() in lowered:
            return (
                f"line {line}, column {column}: command {lowered[word.lower()]} is not "
                f"supported by ctlake (supported: {', '.join(COMMANDS)})"
            )
        return (
            f"line {line}, column {column}: unknown command {word!r} "
            f"(expected one of {', '.join(COMMANDS)})"
        )
    found = word if word is not None else query[exc.pos_in_stream or 0 :][:1]
    if isinstance(exc, UnexpectedCharacters):
        return f"line {line}, column {column}: unexpected character {found!r}"
    return f"line {line}, column {column}: unexpected {found!r}"


def _word_at(query: str, exc: UnexpectedInput) -> str | None:
    if isinstance(exc, UnexpectedToken) and isinstance(exc.token, Token):
        return str(exc.token)
    start = exc.pos_in_stream or 0
    end = start
    while end < len(query) and (query[end].isalnum() or query[end] in "_@$"):
        end += 1
    return query[start:end] or None


def _at_command_start(query: str, position: int) -> bool:
    """Whether only blanks and comments separate `position` from the start or a `|`."""
    before = "\n".join(line.split("#", 1)[0] for line in query[:position].split("\n"))
    stripped = before.rstrip()
    return not stripped or stripped.endswith("|")


def _unquote_string(token: str) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return body
    return codecs.decode(body.encode("latin-1", "backslashreplace"), "unicode_escape")


def _field_name(token: str) -> str:
    """`a.b` as written; backquotes only group characters, they are not part of the name."""
    return token.replace("`", "")


@v_args(meta=True)
class _Build(Transformer[Any, list[Command]]):
    """Lark's tree -> the dataclasses above, each expression with its text."""

    def __init__(self, query: str) -> None:
        super().__init__()
        self.source = query

    def _text(self, meta: Any) -> str:
        if getattr(meta, "empty", True):
            return ""
        return self.source[meta.start_pos : meta.end_pos]

    def query(self, meta: Any, commands: list[Command]) -> list[Command]:
        return commands

    # expressions
    def number(self, meta: Any, children: list[Token]) -> Number:
        text = str(children[0])
        value: float | int = float(text) if any(c in text for c in ".eE") else int(text)
        return Number(value, text=text)

    def string(self, meta: Any, children: list[Token]) -> Str:
        return Str(_unquote_string(str(children[0])), text=str(children[0]))

    def regex(self, meta: Any, children: list[Token]) -> Regex:
        return _regex(children[0])

    def duration(self, meta: Any, children: list[Token]) -> Duration:
        text = str(children[0])
        digits = "".join(c for c in text if c.isdigit())
        return Duration(int(digits) * PERIOD_SECONDS[text[len(digits) :]], text=text)

    def field(self, meta: Any, children: list[Token]) -> Field:
        return Field(_field_name(str(children[0])), text=str(children[0]))

    def star(self, meta: Any, children: list[Any]) -> Star:
        return Star(text="*")

    def call(self, meta: Any, children: list[Any]) -> Call:
        name, *args = children
        return Call(str(name), tuple(args), text=self._text(meta))

    def negate(self, meta: Any, children: list[Node]) -> Negate:
        return Negate(children[0], text=self._text(meta))

    def not_(self, meta: Any, children: list[Node]) -> Not:
        return Not(children[0], text=self._text(meta))

    def or_expr(self, meta: Any, children: list[Node]) -> Logical:
        return Logical("or", tuple(children), text=self._text(meta))

    def and_expr(self, meta: Any, children: list[Node]) -> Logical:
        return Logical("and", tuple(children), text=self._text(meta))

    def compare(self, meta: Any, children: list[Any]) -> Binary:
        left, op, right = children
        return Binary(str(op), left, right, text=self._text(meta))

    def sum(self, meta: Any, children: list[Any]) -> Node:
        return self._left_assoc(meta, children)

    def product(self, meta: Any, children: list[Any]) -> Node:
        return self._left_assoc(meta, children)

    def power(self, meta: Any, children: list[Node]) -> Binary:
        return Binary("^", children[0], children[1], text=self._text(meta))

    def _left_assoc(self, meta: Any, children: list[Any]) -> Node:
        """`a + b - c` as ((a + b) - c); each step's text runs to the next operator."""
        result = children[0]
        operators = children[1::2]
        for i, (op, right) in enumerate(zip(operators, children[2::2], strict=True)):
            end = operators[i + 1].start_pos if i + 1 < len(operators) else meta.end_pos
            text = self.source[meta.start_pos : end].strip()
            result = Binary(str(op), result, right, text=text)
        return result

    def like(self, meta: Any, children: list[Any]) -> Like:
        return Like(children[0], _pattern(children[1]), text=self._text(meta))

    def match(self, meta: Any, children: list[Any]) -> Like:
        return Like(children[0], _pattern(children[2]), text=self._text(meta))

    def not_like(self, meta: Any, children: list[Any]) -> Like:
        return Like(children[0], _pattern(children[1]), negated=True, text=self._text(meta))

    def in_(self, meta: Any, children: list[Any]) -> In:
        return In(children[0], children[1], text=self._text(meta))

    def not_in(self, meta: Any, children: list[Any]) -> In:
        return In(children[0], children[1], negated=True, text=self._text(meta))

    def values(self, meta: Any, children: list[Node]) -> tuple[Node, ...]:
        return tuple(children)

    # commands
    def named(self, meta: Any, children: list[Any]) -> Named:
        expr = children[0]
        alias = _field_name(str(children[1])) if len(children) > 1 else None
        return Named(expr, alias)

    def fields_cmd(self, meta: Any, children: list[Named]) -> Fields:
        return Fields(tuple(children))

    def display_cmd(self, meta: Any, children: list[Field]) -> Display:
        return Display(tuple(children))

    def filter_cmd(self, meta: Any, children: list[Node]) -> Filter:
        return Filter(children[0])

    def aggregates(self, meta: Any, children: list[Named]) -> tuple[Named, ...]:
        return tuple(children)

    def groups(self, meta: Any, children: list[Named]) -> tuple[Named, ...]:
        return tuple(children)

    def stats_cmd(self, meta: Any, children: list[tuple[Named, ...]]) -> Stats:
        return Stats(children[0], children[1] if len(children) > 1 else ())

    def sort_key(self, meta: Any, children: list[Any]) -> SortKey:
        descending = len(children) > 1 and str(children[1]).lower() == "desc"
        return SortKey(children[0], descending)

    def sort_cmd(self, meta: Any, children: list[SortKey]) -> Sort:
        return Sort(tuple(children))

    def limit_cmd(self, meta: Any, children: list[Token]) -> Limit:
        return Limit(int(str(children[0])))

    def dedup_cmd(self, meta: Any, children: list[Field]) -> Dedup:
        return Dedup(tuple(children))

    def parse_cmd(self, meta: Any, children: list[Any]) -> Parse:
        source = Field("@message", text="@message")
        if children and isinstance(children[0], Field):
            source, children = children[0], children[1:]
        pattern = _pattern(children[0])
        names = tuple(_field_name(str(token)) for token in children[1:])
        return Parse(source, pattern, names)


def _pattern(value: Any) -> Str | Regex:
    if isinstance(value, Str | Regex):
        return value
    token = str(value)
    if token.startswith("/"):
        return _regex(value)
    return Str(_unquote_string(token), text=token)


def _regex(token: Token | str) -> Regex:
    text = str(token)
    # Inside /.../ a `\/` is a slash; every other escape belongs to the expression.
    return Regex(text[1:-1].replace("\\/", "/"), text=text)


__all__ = [
    "Binary",
    "Call",
    "Command",
    "Dedup",
    "Display",
    "Duration",
    "Field",
    "Fields",
    "Filter",
    "In",
    "Like",
    "Limit",
    "Logical",
    "Named",
    "Negate",
    "Node",
    "Not",
    "Number",
    "Parse",
    "Regex",
    "Sort",
    "SortKey",
    "Star",
    "Stats",
    "Str",
    "Tree",
    "parse",
]
