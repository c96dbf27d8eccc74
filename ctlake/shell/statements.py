"""Splitting SQL text into statements at `;`, and knowing when a statement is complete.

The shell reads a statement over several lines until a `;` ends it, and a script or piped
stdin holds many statements. A `;` inside a string ('it''s;'), a quoted identifier ("a;b"),
a `-- comment` or a `/* comment */` does not end a statement, so the text is scanned with a
small lexer rather than split naively. DuckDB's own `extract_statements` would do the split
but needs complete, valid text; the shell must also know that "SELECT 1" is unfinished.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Split:
    """`statements`: complete statements (without the `;`, stripped, empty ones dropped);
    `rest`: text after the last `;`, an unfinished statement (or only blanks/comments)."""

    statements: list[str]
    rest: str

    @property
    def rest_is_blank(self) -> bool:
        return not strip_comments(self.rest).strip()


def split_statements(text: str) -> Split:
    """Cut `text` at each `;` that is outside quotes and comments."""
    statements: list[str] = []
    start = 0
    for end in _semicolons(text):
        chunk = text[start:end].strip()
        if strip_comments(chunk).strip():
            statements.append(chunk)
        start = end + 1
    return Split(statements, text[start:])


def is_complete(text: str) -> bool:
    """True when `text` ends a statement (or is empty): what Enter in the shell checks."""
    split = split_statements(text)
    return split.rest_is_blank


def strip_comments(text: str) -> str:
    """`text` without its `--` and `/* */` comments (quotes respected)."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        kind, end = _token_at(text, i)
        if kind != "comment":
            out.append(text[i:end])
        i = end
    return "".join(out)


def _semicolons(text: str) -> list[int]:
    found: list[int] = []
    i, n = 0, len(text)
    while i < n:
        kind, end = _token_at(text, i)
        if kind == "semicolon":
            found.append(i)
        i = end
    return found


def _token_at(text: str, i: int) -> tuple[str, int]:
    """The kind of token starting at `i` and where it ends (an unterminated quote or
    comment runs to the end of the text, which is what makes a statement unfinished)."""
    ch = text[i]
    if ch in "'\"":
        return "quoted", _closing_quote(text, i + 1, ch)
    if text.startswith("--", i):
        newline = text.find("\n", i)
        return "comment", len(text) if newline < 0 else newline
    if text.startswith("/*", i):
        close = text.find("*/", i + 2)
        return "comment", len(text) if close < 0 else close + 2
    if ch == ";":
        return "semicolon", i + 1
    return "text", i + 1


def _closing_quote(text: str, i: int, quote: str) -> int:
    n = len(text)
    while i < n:
        if text[i] == quote:
            if i + 1 < n and text[i + 1] == quote:  # doubled quote: an escaped one
                i += 2
                continue
            return i + 1
        i += 1
    return n
