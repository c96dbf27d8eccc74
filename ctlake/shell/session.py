"""The statement loop of `ctlake sql`, independent of any terminal.

A `Session` holds a reader connection and the shell's settings (output format, output
file, dialect, timer) and runs what it is given: SQL statements separated by `;` and
dot-commands (`.tables`, `.mode csv`, ...; see `dot_commands`). The one-shot paths (`-c`,
a file, piped stdin) call `run_script`, which stops at the first error; the interactive
front end (`repl`) calls `handle`, which reports an error in one line on stderr and keeps
going. Long statements run through `runner`, a hook the front end replaces with one that
Ctrl-C can cancel.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import duckdb

from ctlake.dialect.partitions import with_partition_bounds
from ctlake.errors import BadInputError, CtlakeError, first_line
from ctlake.lake import Lake, reader
from ctlake.output import Format, write_result
from ctlake.shell import dot_commands, seams
from ctlake.shell.statements import split_statements
from ctlake.sqltext import Lines, describe_unclosed, strip_comments, unclosed

if TYPE_CHECKING:
    from ctlake.spark.queries import SparkQueries

DIALECTS = ("duckdb", "lake", "logs-insights")
INSIGHTS = "logs-insights"
Runner = Callable[[Callable[[], None]], None]


def run_directly(work: Callable[[], None]) -> None:
    work()


@dataclass
class Settings:
    fmt: Format = Format.TABLE
    dialect: str = "duckdb"
    output: Path | None = None
    timer: bool = False
    # The time range of Logs Insights queries (`--since`/`--until`): naive UTC, None for
    # the whole lake.
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class Session:
    con: duckdb.DuckDBPyConnection
    settings: Settings = field(default_factory=Settings)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    runner: Runner = run_directly
    done: bool = False
    # Set for a long-lived (interactive) session: the catalog is then attached only while
    # an item runs, so the session never holds the lake's catalog between statements.
    lake: Lake | None = None
    # Rows each output file holds (`-o FILE`, `.output FILE`), for the one-shot summary.
    written: dict[Path, int] = field(default_factory=dict)
    # Set for `--engine spark`: queries run on Spark, their rows are written from DuckDB.
    spark: SparkQueries | None = None

    def __post_init__(self) -> None:
        if self.settings.dialect not in DIALECTS:
            raise BadInputError(
                f"--dialect: expected {', '.join(DIALECTS)}, got {self.settings.dialect!r}"
            )
        if self.settings.output is not None:
            self.set_output(self.settings.output)

    # -- entry points -------------------------------------------------------------------

    def run_script(self, text: str, source: str) -> None:
        """Run every statement and dot-command in `text`; the first error is raised as a
        BadInputError naming `source` and the statement's number. In the Logs Insights
        dialect the text after any leading dot-commands is one query, as CloudWatch reads
        it (its `#` comments and regular expressions are not SQL)."""
        parts = insights_parts(text) if self.settings.dialect == INSIGHTS else script_parts(text)
        for number, item in enumerate(_named(parts, source), start=1):
            try:
                self._run_item(item)
            except CtlakeError as exc:
                raise type(exc)(f"{source}: statement {number}: {exc}") from exc
            if self.done:
                return

    def handle(self, text: str) -> None:
        """Run what the user entered at the prompt; report errors in one line and go on."""
        try:
            for item in script_parts(text):
                self._run_item(item)
                if self.done:
                    return
        except CtlakeError as exc:
            self.say(f"error: {exc}")

    # -- running ------------------------------------------------------------------------

    def _run_item(self, item: Item) -> None:
        with self.catalog():
            if item.text.startswith("."):
                dot_commands.run(self, item.text)
            else:
                self.run_sql(item.text, item.line, item.column)

    @contextlib.contextmanager
    def catalog(self) -> Iterator[None]:
        """The lake's catalog attached for the block (a no-op if it always is)."""
        if self.lake is None:
            yield
            return
        with reader.catalog_attached(self.con, self.lake):
            yield

    def run_sql(self, sql: str, line: int = 1, column: int = 1) -> None:
        """One statement in the session's dialect; `line` and `column` say where it starts
        in the script, so a Lake-dialect syntax error names the script's own place. Either
        dialect gets the `eventDate` bounds its `eventTime` bounds imply."""
        if self.settings.dialect == "lake":
            sql = seams.to_duckdb(sql, self.con, line, column)
        elif self.settings.dialect == INSIGHTS:
            # Blank lines before it, so a syntax error names the script's own line.
            query = "\n" * (line - 1) + sql
            sql = seams.insights_to_duckdb(query, self.settings.since, self.settings.until)
        else:
            sql = with_partition_bounds(sql)
        self.run_query(sql, None)

    def run_query(self, sql: str, params: dict[str, Any] | None) -> None:
        """One DuckDB statement, its result written in the session's format and place."""
        started = time.perf_counter()
        self.runner(lambda: self._emit(sql, params))
        if self.settings.timer:
            self.say(f"Run Time: {time.perf_counter() - started:.3f} s")

    def _emit(self, sql: str, params: dict[str, Any] | None) -> None:
        fmt, output = self.settings.fmt, self.settings.output
        if self.spark is not None:
            sql, params = self.spark.result(sql, params), None
        try:
            if fmt is not Format.TABLE and not self._returns_rows(sql):
                self.con.execute(sql, params or {}).fetchall()
            elif output is None:
                write_result(self.con, sql, params, fmt, None)
            elif fmt is Format.PARQUET:  # one Parquet file a result: the last one wins
                self.written[output] = write_result(self.con, sql, params, fmt, output)
            else:
                with _appending_stdout(output):
                    rows = write_result(self.con, sql, params, fmt, None)
                self.written[output] = self.written.get(output, 0) + rows
        except duckdb.InterruptException:
            raise BadInputError("query cancelled") from None
        except duckdb.Error as exc:
            raise BadInputError(f"SQL error: {first_line(exc)}") from exc

    def _returns_rows(self, sql: str) -> bool:
        """Only a query (SELECT, DESCRIBE, SHOW, ...) can be written as CSV, JSON, ..."""
        statements = self.con.extract_statements(sql)
        return len(statements) == 1 and statements[0].type == duckdb.StatementType.SELECT

    # -- settings -----------------------------------------------------------------------

    def set_output(self, path: Path | None) -> None:
        """Send results to `path` (emptied now, then appended to), or back to stdout."""
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(b"")
            except OSError as exc:
                raise BadInputError(f"cannot write {path}: {exc.strerror}") from None
            self.written[path] = 0
        self.settings.output = path

    def say(self, message: str) -> None:
        print(message, file=self.err, flush=True)


@dataclass(frozen=True)
class Item:
    """A dot-command or SQL statement of a script, and where it starts in the script
    (1-based line and column), so an error inside it can name the script's own line."""

    text: str
    line: int = 1
    column: int = 1


def script_items(text: str) -> Iterator[str]:
    """The text of each item of `script_parts(text)`."""
    return (item.text for item in script_parts(text))


def script_parts(text: str) -> Iterator[Item]:
    """The dot-commands (one a line, where a statement would start) and SQL statements of
    `text`, in order. An unfinished last statement counts as a statement, as in psql -f;
    a quote or `/* comment` still open at the end is an error naming where it opens."""
    lines = Lines(text)
    pending = 0  # where the text not yet given out starts
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        if not text[pending:line_start].strip() and line.lstrip().startswith("."):
            yield Item(line.strip(), *lines.position(line_start))
            pending = line_end
            continue
        split = split_statements(text[pending:line_end])
        for statement, start in zip(split.statements, split.starts, strict=True):
            yield Item(statement, *lines.position(pending + start))
        pending = line_end if split.rest_is_blank else line_end - len(split.rest)
    rest = text[pending:]
    open_token = unclosed(rest)
    if open_token is not None:
        raise BadInputError(describe_unclosed(text, pending + open_token.start))
    if strip_comments(rest).strip():
        yield Item(rest.strip(), *lines.position(pending + len(rest) - len(rest.lstrip())))


def insights_parts(text: str) -> Iterator[Item]:
    """The leading dot-commands of `text` (one a line), then the rest as one Logs Insights
    query (a `;` ending it is dropped); nothing when the rest is blank."""
    lines = Lines(text)
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        if line.lstrip().startswith("."):
            yield Item(line.strip(), *lines.position(line_start))
        elif line.strip():
            rest = text[line_start:].strip().removesuffix(";").strip()
            if rest:
                yield Item(rest, *lines.position(line_start))
            return


def _named(items: Iterator[Item], source: str) -> Iterator[Item]:
    """`items`, with an error of the script itself (a comment never closed) naming `source`."""
    try:
        yield from items
    except CtlakeError as exc:
        raise type(exc)(f"{source}: {exc}") from exc


def _line_spans(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for line in text.splitlines(keepends=True):
        yield start, start + len(line)
        start += len(line)


@contextlib.contextmanager
def _appending_stdout(path: Path) -> Iterator[None]:
    try:
        with path.open("a", encoding="utf-8") as handle, contextlib.redirect_stdout(handle):
            yield
    except OSError as exc:  # a full disk shows here, when the text reaches the file
        raise BadInputError(f"cannot write {path}: {exc.strerror}") from None
