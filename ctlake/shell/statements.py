"""Splitting SQL text into statements at `;`, and knowing when a statement is complete.

The shell reads a statement over several lines until a `;` ends it, and a script or piped
stdin holds many statements. A `;` inside a string ('it''s;'), a quoted identifier ("a;b"),
a `-- comment` or a `/* comment */` does not end a statement, so the text is read with the
lexer of `ctlake.sqltext` rather than split naively. DuckDB's own `extract_statements`
would do the split but needs complete, valid text; the shell must also know that
"SELECT 1" and "/* a comment not closed yet" are unfinished.
"""

from __future__ import annotations

from dataclasses import dataclass

from ctlake.sqltext import strip_comments, tokens, unclosed


@dataclass(frozen=True)
class Split:
    """`statements`: complete statements (without the `;`, stripped, empty ones dropped),
    each starting at offset `starts[i]` of the text split; `rest`: text after the last `;`,
    an unfinished statement (or only blanks and closed comments)."""

    statements: list[str]
    rest: str
    starts: list[int]

    @property
    def rest_is_blank(self) -> bool:
        """Nothing to run after the last `;`: blanks and closed comments only (a comment
        still open continues on the next line, so it is not blank)."""
        return unclosed(self.rest) is None and not strip_comments(self.rest).strip()


def split_statements(text: str) -> Split:
    """Cut `text` at each `;` that is outside quotes and comments."""
    statements: list[str] = []
    starts: list[int] = []
    start = 0
    ends = [t.start for t in tokens(text) if t.kind == "semicolon"]
    for end in ends:
        chunk = text[start:end]
        if strip_comments(chunk).strip():
            statements.append(chunk.strip())
            starts.append(start + len(chunk) - len(chunk.lstrip()))
        start = end + 1
    return Split(statements, text[start:], starts)


def is_complete(text: str) -> bool:
    """True when `text` ends a statement (or is empty): what Enter in the shell checks."""
    return split_statements(text).rest_is_blank
