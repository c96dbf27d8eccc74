"""Tab completion for the shell: SQL keywords and functions, tables, columns, dot-commands,
their arguments (formats, dialects, on/off) and saved-query names after `.run`.

The names are read once from the connection (`Vocabulary.load`) and refreshed by the front
end after each statement, never while the user types: a completion must not run a query
on a connection that may be busy, and must never raise into the prompt.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import duckdb
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from ctlake.output import Format
from ctlake.resources import read_sql
from ctlake.shell import dot_commands

WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*$")
DOT_ARGUMENTS = {
    ".mode": [f.value for f in Format],
    ".dialect": ["duckdb", "lake", "logs-insights"],
    ".timer": ["on", "off"],
}


@dataclass
class Vocabulary:
    keywords: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)
    saved_queries: list[str] = field(default_factory=list)

    @classmethod
    def load(
        cls, con: duckdb.DuckDBPyConnection, saved_queries: Callable[[], list[str]]
    ) -> Vocabulary:
        words = [row[0] for row in con.execute(read_sql(__file__, "keywords")).fetchall()]
        columns: dict[str, list[str]] = {}
        for table, column in con.execute(read_sql(__file__, "completion_names")).fetchall():
            columns.setdefault(table, []).append(column)
        return cls(
            keywords=words,
            tables=sorted(columns),
            columns=columns,
            saved_queries=saved_queries(),
        )


class ShellCompleter(Completer):
    """Completes the word before the cursor from a `Vocabulary`."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        text = document.text_before_cursor
        if text.lstrip().startswith(".") and "\n" not in text:
            yield from self._dot(text.lstrip())
            return
        match = WORD.search(text)
        word = match.group(0) if match else ""
        yield from _matching(word, self._sql_candidates(word))

    def _dot(self, text: str) -> Iterator[Completion]:
        words = text.split()
        if len(words) <= 1 and not text.endswith(" "):
            yield from _matching(text, dot_commands.names())
            return
        current = "" if text.endswith(" ") else words[-1]
        command = words[0]
        if command == ".run" and len(words) - (current != "") == 1:
            yield from _matching(current, self.vocabulary.saved_queries)
        elif command == ".schema":
            yield from _matching(current, self.vocabulary.tables)
        else:
            yield from _matching(current, DOT_ARGUMENTS.get(command, []))

    def _sql_candidates(self, word: str) -> Iterable[str]:
        if "." in word:  # table.column
            table = word.rsplit(".", 1)[0]
            return [f"{table}.{c}" for c in self.vocabulary.columns.get(table, [])]
        columns = sorted({c for cols in self.vocabulary.columns.values() for c in cols})
        return [*self.vocabulary.tables, *columns, *self.vocabulary.keywords]


def _matching(word: str, candidates: Iterable[str]) -> Iterator[Completion]:
    lowered = word.lower()
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.lower().startswith(lowered) and candidate not in seen:
            seen.add(candidate)
            yield Completion(candidate, start_position=-len(word))
