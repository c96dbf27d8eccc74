"""Writing query results: a table for people, CSV / JSON / JSON Lines / Parquet for
programs. Files are written by DuckDB itself (COPY), so a CSV is byte-for-byte the same
whichever command writes it; to stdout the bytes go through a temporary file.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from ctlake.db import sql_string
from ctlake.errors import BadInputError

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
) -> None:
    """Run one query and write its result as `fmt` to `output` (a file) or stdout."""
    if output is not None and output.is_dir():
        raise BadInputError(f"{output} is a folder, not a file")
    if fmt is Format.TABLE:
        _print_table(con.execute(sql, params or {}))
        return
    if fmt is Format.PARQUET and output is None and sys.stdout.isatty():
        raise BadInputError("--format parquet writes binary data: give --output FILE")
    if output is not None:
        _copy(con, sql, params, fmt, output)
        return
    with tempfile.TemporaryDirectory(prefix="ctlake-") as tmp:
        target = Path(tmp) / f"result.{fmt.value}"
        _copy(con, sql, params, fmt, target)
        with target.open("rb") as handle:
            sys.stdout.flush()
            shutil.copyfileobj(handle, sys.stdout.buffer)
            sys.stdout.buffer.flush()


def _copy(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict[str, Any] | None,
    fmt: Format,
    target: Path,
) -> None:
    body = sql.strip().rstrip(";")
    con.execute(f"COPY ({body}) TO {sql_string(str(target))} ({COPY_OPTIONS[fmt]})", params or {})


def _print_table(cursor: duckdb.DuckDBPyConnection) -> None:
    if cursor.description is None:
        return
    table = Table(*[col[0] for col in cursor.description], show_lines=False)
    for row in cursor.fetchall():
        table.add_row(*[_cell(v) for v in row])
    _Console(soft_wrap=True).print(table)


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """rich would exit with code 1 (a bug's code) when stdout's reader goes away
        (`| head`): let the error reach the CLI's boundary, which ends quietly."""
        raise BrokenPipeError


def _cell(value: Any) -> str:
    return "NULL" if value is None else str(value)
