"""Finding the CloudTrail files named on the command line.

A path may be a file, a folder (an S3 delivery tree `AWSLogs/[o-org/]<acct>/CloudTrail/...`,
an export, anything: walked recursively in sorted order) or `-` for standard input.
Digest files (`CloudTrail-Digest/`) only sign the logs: they are counted and skipped.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ctlake.errors import BadInputError

DATA_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz")
STDIN = "-"
_DELIVERY_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")


@dataclass(frozen=True)
class SourceFile:
    """One input file; `name` is its absolute path, or `-` for standard input."""

    name: str
    is_digest: bool

    def read(self) -> bytes:
        if self.name == STDIN:
            return sys.stdin.buffer.read()
        return Path(self.name).read_bytes()


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def find_sources(paths: Sequence[str]) -> list[SourceFile]:
    """Every input file under `paths`, in a stable order; a missing path is an error."""
    found: list[SourceFile] = []
    for raw in paths:
        if raw == STDIN:
            found.append(SourceFile(STDIN, False))
            continue
        path = Path(raw).expanduser()
        if not path.exists():
            raise BadInputError(f"{raw}: no such file or folder")
        files = [path] if path.is_file() else sorted(_walk(path), key=_delivery_order)
        found.extend(SourceFile(str(f.absolute()), _is_digest(f)) for f in files)
    return found


def _walk(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.name.lower().endswith(DATA_SUFFIXES):
            yield path


def _delivery_order(path: Path) -> tuple[str, str]:
    """Sort key: the delivery date in an S3 path (`.../YYYY/MM/DD/...`), then the path.

    A delivery tree sorts account by account, region by region; read that way, every
    batch would touch many date partitions and each partition would be rewritten once per
    account and region. Day by day, a batch fills a few partitions and moves on."""
    match = _DELIVERY_DATE.search(str(path))
    return (match.group(0) if match else "", str(path))


def _is_digest(path: Path) -> bool:
    return "CloudTrail-Digest" in path.parts or "_CloudTrail-Digest_" in path.name
