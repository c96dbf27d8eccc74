"""The lake folder: where things live, who may write, and how to connect.

    <lake>/catalog.duckdb              catalog: manifest, batches, quarantine, models
    <lake>/.write.lock                 held (flock) by the one process writing
    <lake>/ctlake.toml                 configuration
    <data>/events/eventDate=YYYY-MM-DD/part-<batch>.parquet

where <data> is the lake folder too, unless `[lake] data` in ctlake.toml puts the Parquet
files in another folder or under a URL (`s3a://bucket/prefix`; `ctlake.lake.files`).

Event files are Hive-partitioned by event date and sorted by eventTime, so DuckDB,
pyarrow, Spark, Athena or polars read them as they are. One process writes at a time; the
lock is an OS file lock, so a lock left by a dead process is free again at once. The
catalog is opened only for short transactions, so readers are not shut out for long.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from ctlake.errors import LakeBusyError, LakeError
from ctlake.lake.files import LakeFiles, data_files
from ctlake.resources import read_sql

LAKE_ENV = "CTLAKE_LAKE"
DEFAULT_LAKE = Path("lake")
CATALOG_RETRY_SECONDS = 30.0
SCHEMA_FILE = "events/_schema.parquet"  # '_' prefix: Spark, Hive and pyarrow skip it
T = TypeVar("T")
# Process-wide by nature, so kept at module level rather than on a Lake (a value, made
# afresh by every command): an flock belongs to the process's open file, and DuckDB's
# catalog schema is per file. `_HELD`: lakes whose write lock this process holds, and how
# deeply (a second flock from this process would wait for the first). `_SCHEMA_READY`:
# catalogs whose schema this process has created or upgraded, so catalog.sql runs once
# per process, not at every short transaction (it adds ~35 ms to an open of ~55 ms).
_HELD: dict[Path, int] = {}
_SCHEMA_READY: set[Path] = set()


@dataclass(frozen=True)
class Lake:
    """A lake folder, and where its data files are (`data`: None for the folder itself, or
    `[lake] data` of its ctlake.toml). Cheap to create; nothing touches the disk until
    asked."""

    root: Path
    data: str | None = None
    data_options: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def locate(cls, option: Path | None = None) -> Lake:
        """The lake named by `--lake`, else `$CTLAKE_LAKE`, else `./lake`: a folder, or a
        path where one can be made (a file there is a LakeError, for every command), with
        the data location its ctlake.toml gives."""
        from ctlake.config import load_storage

        chosen = option or (Path(os.environ[LAKE_ENV]) if os.environ.get(LAKE_ENV) else None)
        root = (chosen or DEFAULT_LAKE).expanduser().absolute()
        cls(root).check_folder()
        storage = load_storage(root) if root.is_dir() else None
        if storage is None or storage.data is None:
            return cls(root)
        return cls(root, storage.data, storage.options)

    @cached_property
    def files(self) -> LakeFiles:
        """The lake's data files: its event Parquet, schema file and staging."""
        return data_files(self.root, self.data, self.data_options)

    def check_folder(self) -> None:
        """Fail with one line when the lake path, or the nearest existing path above it, is
        not a folder: writing would fail deep inside with an OS error, and reading would
        wrongly advise running ingest."""
        for path in (self.root, *self.root.parents):
            try:
                if not path.exists():
                    continue
            except OSError as exc:
                raise LakeError(f"cannot use {self.root} as the lake: {exc.strerror}") from None
            if path.is_dir():
                return
            where = "" if path == self.root else f" (so {self.root} cannot be made)"
            raise LakeError(
                f"{path} is a file, not a lake folder{where}: "
                f"point --lake / ${LAKE_ENV} at a folder"
            )

    @property
    def catalog_path(self) -> Path:
        return self.root / "catalog.duckdb"

    def exists(self) -> bool:
        return self.catalog_path.is_file()

    def require(self) -> None:
        """Fail with a clear line when there is no lake here yet."""
        if self.catalog_path.is_dir():
            raise LakeError(f"{self.catalog_path} is a folder, not the lake's catalog file")
        if not self.exists():
            raise LakeError(
                f"no lake at {self.root}: run `ctlake ingest PATH` first, "
                f"or point --lake / ${LAKE_ENV} at an existing lake"
            )

    @contextmanager
    def write_lock(self, wait_seconds: float = 0.0) -> Iterator[None]:
        """Hold the lake's single-writer lock, waiting up to `wait_seconds` for it.

        Re-entrant within a process: `ctlake run` holds it once around ingest, refresh and
        delivery, which take it again themselves (a second flock from a second open() of
        the same file would wait for the first)."""
        if _HELD.get(self.root, 0) > 0:
            _HELD[self.root] += 1
            try:
                yield
            finally:
                _HELD[self.root] -= 1
            return
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".write.lock", "a+") as handle:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LakeBusyError(
                            f"another ctlake process is writing to {self.root} "
                            f"(pid {_lock_owner(handle)}); retry later or pass --wait SECONDS"
                        ) from None
                    time.sleep(0.2)
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            _HELD[self.root] = 1
            try:
                yield
            finally:
                _HELD.pop(self.root, None)
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def catalog(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the catalog; for writing, the schema is created or upgraded."""
        if read_only:
            self.require()
        else:
            self.root.mkdir(parents=True, exist_ok=True)
        fresh = not self.catalog_path.exists()
        con = _connect_with_retry(self.catalog_path, read_only)
        try:
            con.execute(read_sql(__file__, "session"))
            if not read_only and (fresh or self.catalog_path not in _SCHEMA_READY):
                con.execute(read_sql(__file__, "catalog"))
                _SCHEMA_READY.add(self.catalog_path)
            yield con
        finally:
            con.close()


def attach_catalog(con: duckdb.DuckDBPyConnection, lake: Lake, *, read_only: bool) -> None:
    """Attach the lake's catalog to `con` as database `lake` and make it the default."""
    params = {"path": str(lake.catalog_path), "read_only": read_only}
    _while_locked(lake.catalog_path, lambda: con.execute(read_sql(__file__, "attach"), params))
    con.execute(read_sql(__file__, "use_lake"))


def _connect_with_retry(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the catalog, waiting while another process briefly holds it."""
    return _while_locked(path, lambda: duckdb.connect(str(path), read_only=read_only))


def _while_locked(path: Path, action: Callable[[], T]) -> T:
    """`action()`, retried while another process holds the catalog file (DuckDB admits
    one writer, or readers only), for up to CATALOG_RETRY_SECONDS."""
    deadline = time.monotonic() + CATALOG_RETRY_SECONDS
    while True:
        try:
            return action()
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                raise LakeError(f"cannot open the catalog {path}: {exc}") from exc
            time.sleep(0.1)


def _lock_owner(handle: object) -> str:
    try:
        return Path(getattr(handle, "name", "")).read_text().strip() or "unknown"
    except OSError:
        return "unknown"
