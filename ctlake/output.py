"""Writing query results: a table for people, CSV / JSON / JSON Lines / Parquet for
programs. Files are written by DuckDB itself (COPY), so a CSV is byte-for-byte the same
whichever command writes it; to stdout the bytes go through a temporary file. The table is
drawn by `ctlake.table`: fitted to the terminal's width when stdout is one, whole otherwise.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ctlake.db import sql_string
from ctlake.errors import BadInputError
from ctlake.table import Table, render

if TYPE_CHECKING:  # types only: `Format` is imported by every command's options
    import duckdb


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    PARQUET = "parquet"


COPY_OPTIONS = {
    Format.CSV: "FORMAT csv, HEADER true",
    Format.JSON: "FORMAT json, ARRAY true",
    Format.JSONL: "FORMAT json",
    Format.PARQUET: "FORMAT parquet",
}


def write_result(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any] | None,
    fmt: Format,
    output: Path | None = None,
) -> int:
    """Run one query and write its result as `fmt` to `output` (a file) or stdout; returns
    the number of rows written."""
    if output is not None and output.is_dir():
        raise BadInputError(f"{output} is a folder, not a file")
    if fmt is Format.TABLE:
        return _write_table(con.execute(sql, params or {}), output)
    if fmt is Format.PARQUET and output is None and sys.stdout.isatty():
        raise BadInputError("--format parquet writes binary data: give --output FILE")
    if output is not None:
        return _copy(con, sql, params, fmt, output)
    with tempfile.TemporaryDirectory(prefix="ctlake-") as tmp:
        target = Path(tmp) / f"result.{fmt.value}"
        rows = _copy(con, sql, params, fmt, target)
        with target.open("rb") as handle:
            sys.stdout.flush()
            shutil.copyfileobj(handle, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    return rows


def _copy(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any] | None,
    fmt: Format,
    target: Path,
) -> int:
    # Built as text: DuckDB binds no parameter in COPY's target, the query is the caller's
    # own statement (its `$name` parameters stay bound), and the options are fixed per
    # format. The path is quoted by sql_string; sqlglot would have to parse (and could
    # rewrite) the caller's DuckDB SQL.
    body = sql.strip().rstrip(";")
    copy = f"COPY ({body}) TO {sql_string(str(target))} ({COPY_OPTIONS[fmt]})"
    counted = con.execute(copy, params or {}).fetchone()  # COPY returns the rows written
    return int(counted[0]) if counted else 0


def terminal_width() -> int | None:
    """The width to fit a table to: the terminal's (or $COLUMNS) when stdout is a terminal;
    None (no limit) when it is a pipe or a file, so what a program reads is never cut."""
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _write_table(cursor: duckdb.DuckDBPyConnection, output: Path | None) -> int:
    if cursor.description is None:
        return 0
    headers = [col[0] for col in cursor.description]
    rows = cursor.fetchall()
    table = render(headers, rows, None if output else terminal_width())
    text = "".join(line + "\n" for line in table.lines)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise BadInputError(f"cannot write {output}: {exc.strerror}") from None
    if table.overflow:
        print(_overflow_note(table), file=sys.stderr)
    return len(rows)


def _overflow_note(table: Table) -> str:
    """The stderr line for a table too wide for the terminal (stdout carries data only)."""
    wider = f"table: {table.overflow} characters wider than the terminal"
    if table.records:
        return f"{wider}, so each row is shown as a record; use -f csv or -f json for a row a line"
    return f"{wider}; use -f csv or -f json for the full values"
