"""Writing query results: a table for people, CSV / JSON / JSON Lines / Parquet for
programs. Files are written by DuckDB itself (COPY), so a CSV is byte-for-byte the same
whichever command writes it; to stdout the bytes go through a temporary file.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from ctlake.db import sql_string
from ctlake.errors import BadInputError


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
    if fmt is Format.TABLE:
        if output is None:
            return _print_table(con.execute(sql, params or {}))
        with output.open("w", encoding="utf-8") as text, contextlib.redirect_stdout(text):
            return _print_table(con.execute(sql, params or {}))
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
    body = sql.strip().rstrip(";")
    copy = f"COPY ({body}) TO {sql_string(str(target))} ({COPY_OPTIONS[fmt]})"
    counted = con.execute(copy, params or {}).fetchone()  # COPY returns the rows written
    return int(counted[0]) if counted else 0


def _print_table(cursor: duckdb.DuckDBPyConnection) -> int:
    if cursor.description is None:
        return 0
    table = Table(*[col[0] for col in cursor.description], show_lines=False)
    rows = cursor.fetchall()
    for row in rows:
        table.add_row(*[_cell(v) for v in row])
    Console(soft_wrap=True).print(table)
    return len(rows)


def _cell(value: Any) -> str:
    return "NULL" if value is None else str(value)
