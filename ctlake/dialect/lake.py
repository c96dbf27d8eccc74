"""The CloudTrail Lake dialect: run the SQL people wrote for AWS CloudTrail Lake on the lake.

    to_duckdb("SELECT eventName, COUNT(*) FROM $EDS_ID WHERE eventTime > '2023-01-22 00:00:00'
               GROUP BY 1")  ->  DuckDB SQL over the `events` view

CloudTrail Lake SQL is Trino (Presto). The translation is a pipeline of plain steps:

0. Comments (`--`, `/* */`, before, inside or after the statement) are blanked out, so
   they never change what runs; every other character keeps its line and column.
1. `FROM` / `JOIN` targets that are not valid SQL are replaced by `events` before parsing:
   event data store ids (`a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`), EDS ARNs
   (`arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/...`), and the placeholders
   people paste from samples (`$EDS_ID`, `${EDS_ID}`, `<EDS ID>`, `<event-data-store-ID>`).
   String literals and comments are left alone.
2. sqlglot parses the text as Trino (one SELECT statement, as CloudTrail Lake allows). A
   syntax error is one line naming its line, column and the text there, counted in the
   text as given (before step 1 renamed anything).
3. `ctlake.dialect.rewrites.REWRITES` change the tree where Trino and DuckDB differ in
   meaning, not just in spelling: store names that are valid identifiers
   (`event_data_store_ID`, `EDS1`, a quoted UUID), timestamps compared with strings,
   `UNNEST` of rows into columns, `cardinality` of maps, `slice`, Java date formats,
   JSON functions that return NULL on bad input, and `eventDate` bounds derived from
   `eventTime` bounds so DuckDB reads only the partitions a query needs (the rule every
   query ctlake runs gets: `ctlake.dialect.partitions`).
4. Given the connection, a struct path the lake's schema does not know
   (`userIdentity.sessionContext.someNewField`) is read from the raw record `eventJson`:
   see `ctlake.dialect.paths`.
5. sqlglot writes DuckDB SQL. A construct with no DuckDB equivalent (an unknown function,
   an untranslatable expression) is one `LakeDialectError` naming it.

Column names resolve as on AWS: DuckDB identifiers are case-insensitive, so `eventtime`,
`eventTime` and `useridentity.sessioncontext.sessionissuer.arn` all work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, TokenError, UnsupportedError

from ctlake.dialect.errors import LakeDialectError
from ctlake.dialect.paths import events_schema, resolve_paths
from ctlake.dialect.rewrites import REWRITES
from ctlake.sqltext import Lines, blank_comments, unclosed, unclosed_template

__all__ = ["LakeDialectError", "to_duckdb"]

EVENTS = "events"
_STORE_TOKEN = re.compile(
    r"""(?ix)
    \b(?P<keyword>FROM|JOIN)(?P<space>\s+)
    (?P<store>
        <[^<>\n]*>                                          # <EDS ID>, <event-data-store-ID>
      | \$\{?\w+\}?                                         # $EDS_ID, ${EDS_ID}
      | arn:aws[\w-]*:cloudtrail:[\w-]*:\d*:eventdatastore/[\w-]+   # an EDS ARN
      | [a-z0-9_]+(?:-[a-z0-9_]+)+                          # an EDS id: a1b2c3d4-5678-...
    )
    """
)
# Quoted strings, quoted identifiers and comments: never rewritten by step 1.
_OPAQUE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.DOTALL)


def to_duckdb(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """The DuckDB SQL for one CloudTrail Lake (Trino) SELECT statement; with `con`, struct
    paths the schema of `events` there does not know are read from the raw record."""
    _check_closed(sql)
    renamed = _rename(blank_comments(sql))
    tree = _parse(renamed, sql)
    for rewrite in REWRITES:
        tree = rewrite(tree)
    if con is not None:
        tree = resolve_paths(tree, events_schema(con))
    try:
        return tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except UnsupportedError as exc:
        raise LakeDialectError(
            f"lake dialect: cannot run this on DuckDB: {_one_line(exc)}"
        ) from exc


@dataclass
class _Renamed:
    """Text after step 1, and its edits (offset in the new text, length there, length in
    the original), to find an offset of the new text in the original."""

    text: str = ""
    edits: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, piece: str, original_length: int | None = None) -> None:
        if original_length is not None and original_length != len(piece):
            self.edits.append((len(self.text), len(piece), original_length))
        self.text += piece

    def original_offset(self, offset: int) -> int:
        shift = 0
        for start, length, original in self.edits:
            if offset < start:
                break
            if offset < start + length:  # inside a replaced name: where that name starts
                return start + shift
            shift += original - length
        return offset + shift


def _rename(sql: str) -> _Renamed:
    renamed = _Renamed()
    position = 0
    for opaque in _OPAQUE.finditer(sql):
        _rename_span(renamed, sql[position : opaque.start()])
        renamed.add(opaque.group(0))
        position = opaque.end()
    _rename_span(renamed, sql[position:])
    return renamed


def _rename_span(renamed: _Renamed, span: str) -> None:
    position = 0
    for match in _STORE_TOKEN.finditer(span):
        renamed.add(span[position : match.start("store")])
        renamed.add(EVENTS, len(match.group("store")))
        position = match.end()
    renamed.add(span[position:])


def _check_closed(sql: str) -> None:
    """A quote or `/* comment` left open is an error naming where it opens."""
    token = unclosed(sql)
    if token is None:
        return
    line, column = Lines(sql).position(token.start)
    raise LakeDialectError("lake dialect: " + unclosed_template(sql[token.start]), line, column)


def _parse(renamed: _Renamed, sql: str) -> exp.Expr:
    try:
        statements = [s for s in sqlglot.parse(renamed.text, read="trino") if s is not None]
    except ParseError as exc:
        raise _syntax_error(exc, renamed, sql) from exc
    except TokenError as exc:
        raise LakeDialectError(f"lake dialect: cannot read this SQL: {_one_line(exc)}") from exc
    if len(statements) != 1:
        raise LakeDialectError(
            f"lake dialect: expected one SELECT statement, got {len(statements)} statements"
        )
    tree = statements[0]
    if not isinstance(tree, exp.Query):
        kind = type(tree).__name__.upper()
        raise LakeDialectError(
            f"lake dialect: only SELECT statements are allowed (as in CloudTrail Lake), got {kind}"
        )
    return tree


def _syntax_error(exc: ParseError, renamed: _Renamed, sql: str) -> LakeDialectError:
    """sqlglot's first error as one line: the place in `sql` as given, the text there and
    what was expected, without sqlglot's token dumps or terminal escape codes."""
    found = exc.errors[0] if exc.errors else {}
    reason = _reason(str(found.get("description") or exc))
    line, column = found.get("line"), found.get("col")
    if not isinstance(line, int) or not isinstance(column, int):
        return LakeDialectError(f"lake dialect: syntax error: {reason}")
    highlight = str(found.get("highlight") or "")
    end = Lines(renamed.text).offset(line, column)  # sqlglot points at the token's last character
    start = renamed.original_offset(max(end - len(highlight) + 1, 0))
    start = min(start, len(sql))
    line, column = Lines(sql).position(start)
    near = _near(sql, start, highlight)
    message = f"lake dialect: syntax error at {{place}} {near}: {reason}"
    return LakeDialectError(message, line, column)


def _near(sql: str, start: int, highlight: str) -> str:
    text = " ".join(sql[start : start + max(len(highlight), 1)].split()) or highlight
    if not text.strip():
        return "at the end of the statement"
    return "near " + repr(text[:40])


def _reason(description: str) -> str:
    """sqlglot's description in plain words: no `<Token ...>` or `<class ...>` dumps."""
    text = re.sub(r"\s*(?:but got|for) <.*", "", description)
    text = re.sub(r"<[^<>]*>", "", text).strip().rstrip(".")
    if text.startswith("Invalid expression / Unexpected token"):
        return "unexpected text here"
    if text.startswith("Required keyword"):  # a clause or operator with nothing after it
        return "expected an expression here"
    return (text[:1].lower() + text[1:]) or "unexpected text here"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
