"""Where the lake's data files live: the lake folder itself (the default), another folder,
or object storage or HDFS named by a URL (`[lake] data` in ctlake.toml).

    <data>/events/eventDate=YYYY-MM-DD/part-<batch>.parquet
    <data>/events/_schema.parquet
    <data>/.staging/...                 an engine's output before its commit (Spark's)

The catalog, the write lock and ctlake.toml stay in the lake folder, on the machine that
writes: DuckDB needs its database file on a local disk, and one writer at a time is what
the lock and the catalog's transactions guarantee. The catalog names files relative to the
data root, so data can be moved (copy the files, point `[lake] data` at them) without
touching the catalog.

`LocalFiles` works on a folder with the operating system's calls (atomic renames, fsync).
`RemoteFiles` goes through fsspec, the filesystem layer of the Python data tools (s3fs for
`s3://` and `s3a://`, gcsfs for `gs://`, pyarrow's HDFS for `hdfs://`): DuckDB reads and
writes the same URLs through the same filesystem object (`register`), Spark through its
Hadoop connector. A rename there may be a copy and a delete (S3); the commit protocol only
needs each move to be repeatable, which they are (`ctlake.lake.store.apply_moves`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from contextlib import suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pyarrow.parquet as pq

from ctlake.errors import LakeError
from ctlake.urls import filesystem

if TYPE_CHECKING:
    import duckdb
    from fsspec import AbstractFileSystem


class LocalFiles:
    """Data files in a folder of this machine."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __str__(self) -> str:
        return str(self.root)

    def location(self, relative: str) -> str:
        """The file as DuckDB and pyarrow open it."""
        return str(self.root / relative)

    def uri(self, relative: str) -> str:
        """The file as Spark (Hadoop) opens it: a `file://` URI, never percent-encoded (a
        Hive partition folder `eventDate=2024-05-01` must keep its `=`)."""
        return "file://" + str((self.root / relative).resolve())

    def exists(self, relative: str) -> bool:
        return (self.root / relative).exists()

    def size(self, relative: str) -> int:
        return (self.root / relative).stat().st_size

    def parquet_rows(self, relative: str) -> int:
        return pq.read_metadata(self.root / relative).num_rows

    def prepare(self, relative: str) -> None:
        """Make the folder a file is about to be written to."""
        (self.root / relative).parent.mkdir(parents=True, exist_ok=True)

    def move(self, src: str, dst: str) -> None:
        """Rename `src` to `dst`, replacing it; nothing when `src` is gone (done before)."""
        source = self.root / src
        if source.exists():
            (self.root / dst).parent.mkdir(parents=True, exist_ok=True)
            source.replace(self.root / dst)

    def remove(self, relative: str) -> None:
        (self.root / relative).unlink(missing_ok=True)

    def remove_tree(self, relative: str) -> None:
        shutil.rmtree(self.root / relative, ignore_errors=True)

    def remove_empty_folder(self, relative: str) -> None:
        with suppress(OSError):  # not empty, or gone: only an empty folder is tidied away
            (self.root / relative).rmdir()

    def files(self, pattern: str) -> list[str]:
        """The files matching the glob `pattern`, relative to the root, sorted."""
        return sorted(str(p.relative_to(self.root)) for p in self.root.glob(pattern) if p.is_file())

    def sync(self, relative: str) -> None:
        """Make the renames in a folder durable: fsync the folder."""
        folder = self.root / relative
        if folder.is_dir():
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        """Nothing to do: DuckDB reads local paths itself."""


class RemoteFiles:
    """Data files under a URL, through the fsspec filesystem of its scheme."""

    def __init__(self, url: str, options: Mapping[str, Any]) -> None:
        self.url = url.rstrip("/")
        self.options = dict(options)

    def __str__(self) -> str:
        from ctlake.delivery.mask import mask_credentials

        return mask_credentials(self.url)

    @cached_property
    def fs(self) -> AbstractFileSystem:
        return filesystem(self.url, self.options, what="[lake] data")

    @cached_property
    def _stripped_root(self) -> str:
        return str(self.fs._strip_protocol(self.url)).rstrip("/")

    def location(self, relative: str) -> str:
        return f"{self.url}/{relative}"

    def uri(self, relative: str) -> str:
        return self.location(relative)

    def exists(self, relative: str) -> bool:
        return bool(self.fs.exists(self.location(relative)))

    def size(self, relative: str) -> int:
        return int(self.fs.size(self.location(relative)))

    def parquet_rows(self, relative: str) -> int:
        with self.fs.open(self.location(relative), "rb") as handle:
            return pq.read_metadata(handle).num_rows

    def prepare(self, relative: str) -> None:
        """Nothing to do: object stores have no folders to make first."""

    def move(self, src: str, dst: str) -> None:
        if self.exists(src):
            self.fs.mv(self.location(src), self.location(dst))

    def remove(self, relative: str) -> None:
        if self.exists(relative):
            self.fs.rm(self.location(relative))

    def remove_tree(self, relative: str) -> None:
        if self.exists(relative):
            self.fs.rm(self.location(relative), recursive=True)

    def remove_empty_folder(self, relative: str) -> None:
        """Nothing to do: an object store's folder ends with its last file."""

    def files(self, pattern: str) -> list[str]:
        self.fs.invalidate_cache()  # another process may have written since the last listing
        found = self.fs.glob(self.location(pattern))
        prefix = self._stripped_root + "/"
        return sorted(str(path)[len(prefix) :] for path in found if str(path).startswith(prefix))

    def sync(self, relative: str) -> None:
        """Nothing to do: a finished upload or copy is durable."""

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        """Let `con` read and write this URL's files through the same filesystem."""
        self.fs.invalidate_cache()
        con.register_filesystem(self.fs)


LakeFiles = LocalFiles | RemoteFiles


def data_files(lake_root: Path, data: str | None, options: Mapping[str, Any]) -> LakeFiles:
    """The data files of the lake at `lake_root`, as `[lake] data` places them."""
    if data is None:
        return LocalFiles(lake_root)
    parts = urlsplit(data)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise LakeError(f"[lake] data: {data} names another host; use a folder or a URL")
        return LocalFiles(Path(unquote(parts.path)))
    if "://" in data:
        return RemoteFiles(data, options)
    return LocalFiles(Path(data))
