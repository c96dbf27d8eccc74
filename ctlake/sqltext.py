"""SQL text as quotes, comments, `;` and the rest: the one lexer the shell and the dialect share.

Both need to know where a string, a quoted identifier or a comment starts and ends without
parsing SQL: the shell to cut a script at its `;` and to know that a statement is
unfinished, the Lake dialect to take comments out before sqlglot sees the text. A `;` or a
quote inside a comment, or `--` inside a string, is part of that comment or string.

An unclosed quote or `/* comment` runs to the end of the text and is marked `closed=False`:
what makes a statement unfinished in the shell, and an error at the end of a script.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
      (?P<quoted>'(?:[^']|'')*'|"(?:[^"]|"")*")   # 'it''s', "a;b"
    | (?P<open_quoted>['"].*)                     # a quote never closed: to the end
    | (?P<comment>--[^\n]*|/\*.*?\*/)             # -- to the end of the line, /* ... */
    | (?P<open_comment>/\*.*)                     # a /* never closed: to the end
    | (?P<semicolon>;)
    | (?P<text>[^'";/-]+|[/-])
    """,
    re.DOTALL | re.VERBOSE,
)
_KIND = {
    "quoted": ("quoted", True),
    "open_quoted": ("quoted", False),
    "comment": ("comment", True),
    "open_comment": ("comment", False),
    "semicolon": ("semicolon", True),
    "text": ("text", True),
}


@dataclass(frozen=True)
class Token:
    """`text[start:end]` is a `kind` token: quoted, comment, semicolon or text."""

    kind: str
    start: int
    end: int
    closed: bool = True


def tokens(text: str) -> Iterator[Token]:
    """The tokens of `text`, in order, covering it entirely."""
    for match in _TOKEN.finditer(text):
        kind, closed = _KIND[str(match.lastgroup)]
        yield Token(kind, match.start(), match.end(), closed)


def strip_comments(text: str) -> str:
    """`text` without its `--` and `/* */` comments (quotes respected)."""
    return "".join(text[t.start : t.end] for t in tokens(text) if t.kind != "comment")


def blank_comments(text: str) -> str:
    """`text` with each comment replaced by spaces (its newlines kept), so every other
    character stays at its line and column: errors still point at the right place."""
    out: list[str] = []
    for token in tokens(text):
        piece = text[token.start : token.end]
        out.append(re.sub(r"[^\n]", " ", piece) if token.kind == "comment" else piece)
    return "".join(out)


def unclosed(text: str) -> Token | None:
    """The quote or `/* comment` left open at the end of `text`, if any."""
    last = None
    for token in tokens(text):
        last = token
    return last if last is not None and not last.closed else None


def describe_unclosed(text: str, start: int) -> str:
    """One line saying that the quote or comment opening at offset `start` of `text` is
    never closed, and where it opens."""
    line, column = Lines(text).position(start)
    return unclosed_template(text[start]).replace("{place}", f"line {line}, column {column}")


def unclosed_template(opener: str) -> str:
    """The message for a quote or comment never closed, whose first character is `opener`,
    with `{place}` standing for where it opens."""
    if opener == "/":
        return "unclosed comment: the /* at {place} has no closing */"
    return f"unclosed quote: the {opener} at {{place}} has no closing {opener}"


class Lines:
    """Offsets of `text` as 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[min(max(line, 1), len(self.starts)) - 1] + column - 1
