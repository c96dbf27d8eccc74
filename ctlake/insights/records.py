"""Insight records as CloudTrail JSON, for programs.

The records are the `eventJson` column of `insight_events`: CloudTrail's own JSON for an
Insights event, Start and End, with `insightContext.attributions` embedded. `json` output
is one array of records (what `jq '.[]'` and `json.load` expect); `jsonl` is one record per
line (what CloudWatch Logs and CloudTrail Lake exports use). Both are re-serialized compactly
so the bytes do not depend on how the model formatted its text. A file target is written to
a temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from ctlake.errors import BadInputError


def parse(texts: Iterable[str]) -> list[dict[str, Any]]:
    """The records of `texts` (each one CloudTrail JSON object)."""
    return [orjson.loads(text) for text in texts]


def as_json(records: list[dict[str, Any]]) -> bytes:
    """One JSON array, a record a line, ending with a newline."""
    if not records:
        return b"[]\n"
    lines = b",\n".join(orjson.dumps(record) for record in records)
    return b"[\n" + lines + b"\n]\n"


def as_jsonl(records: list[dict[str, Any]]) -> bytes:
    """One record a line."""
    return b"".join(orjson.dumps(record) + b"\n" for record in records)


def write_bytes(data: bytes, output: Path | None) -> None:
    """`data` to `output` (atomically: temporary file, then rename) or to stdout."""
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    atomic_write(output, data)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A path that is a link or neither a file nor a folder (/dev/stdout, /dev/full, a named
    pipe) is written straight through: a rename would replace the link or device itself."""
    if path.is_dir():
        raise BadInputError(f"{path} is a folder, not a file")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        try:
            with path.open("wb") as out:
                out.write(data)
        except OSError as exc:
            raise BadInputError(f"cannot write {path}: {exc.strerror}") from None
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
