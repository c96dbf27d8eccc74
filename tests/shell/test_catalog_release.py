"""An interactive session holds the lake's catalog only while a statement runs, so a
scheduled batch (another process) can write the catalog while the shell stays open."""

from __future__ import annotations

import io
import subprocess
import sys

from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from ctlake.shell import Session, Settings
from tests.conftest import WriteFile, make_record

WRITE_CATALOG = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('CREATE TABLE w(x INT)')"


def writer_can_open(lake: Lake) -> bool:
    """Whether another process can open the catalog for writing right now."""
    result = subprocess.run(
        [sys.executable, "-c", WRITE_CATALOG, str(lake.catalog_path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return result.returncode == 0


def test_an_open_session_lets_another_process_write_the_catalog(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", [make_record(1)]))])
    con = reader.connect(lake)
    reader.detach_catalog(con)
    session = Session(con, Settings(), err=io.StringIO(), lake=lake)
    session.handle("SELECT count(*) FROM events JOIN batches ON lakeBatch = batch_id;")
    assert "error" not in session.err.getvalue()  # type: ignore[attr-defined]
    assert writer_can_open(lake)
    session.handle("SELECT count(*) FROM w;")  # the table the other process just made
    assert "error" not in session.err.getvalue()  # type: ignore[attr-defined]


def test_a_connection_that_keeps_the_catalog_attached_blocks_writers(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", [make_record(1)]))])
    con = reader.connect(lake)  # attached read-only, as one-shot commands use it
    try:
        assert not writer_can_open(lake)
    finally:
        con.close()
