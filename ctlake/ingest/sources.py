"""Finding the CloudTrail files named on the command line.

A path may be a file, a folder (an S3 delivery tree `AWSLogs/[o-org/]<acct>/CloudTrail/...`,
an export, anything: walked recursively in sorted order) or `-` for standard input.
Digest files (`CloudTrail-Digest/`) only sign the logs: they are counted and skipped.
In a folder, only files named like data (`DATA_SUFFIXES`) are read; the others are passed
over and counted by extension, so a user who pointed ingest at the wrong folder is told
what was there instead (hidden files and folders, `.git` or `.DS_Store`, are not counted).
A file named on the command line is always read, whatever its name.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ctlake.errors import BadInputError

DATA_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz")
STDIN = "-"
READS = "*.json, *.jsonl, *.ndjson and *.gz"  # DATA_SUFFIXES, as a user reads them
SHOWN_KINDS = 5  # extensions named in a passed-over count; the rest are summed
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


@dataclass(frozen=True)
class EmptyPath:
    """A path given that holds no CloudTrail log file: what it held instead."""

    path: str
    is_file: bool
    digests: int
    passed_over: Counter[str]

    def line(self) -> str:
        held = []
        if self.digests:
            held.append(f"{self.digests} digest file{_s(self.digests)} skipped")
        if self.passed_over:
            held.append(describe_passed_over(self.passed_over))
        where = "in" if self.is_file else "under"
        return (
            f"no CloudTrail files {where} {self.path} ({'; '.join(held) or 'the folder is empty'})"
        )


@dataclass
class Found:
    """What the paths hold: the files to read (digests included, flagged), the files passed
    over by extension, and the paths that hold no CloudTrail log file at all."""

    files: list[SourceFile] = field(default_factory=list)
    passed_over: Counter[str] = field(default_factory=Counter)
    empty: list[EmptyPath] = field(default_factory=list)
    paths: int = 0

    @property
    def nothing(self) -> bool:
        """True when no path given holds a CloudTrail log file (and there was a path)."""
        return self.paths > 0 and len(self.empty) == self.paths

    def nothing_line(self) -> str:
        """One line saying that nothing CloudTrail was found, and what was there instead."""
        hint = f"; ingest reads {READS}" if self.passed_over else ""
        return "; ".join(empty.line() for empty in self.empty) + hint


def find_sources(paths: Sequence[str]) -> Found:
    """Every input file under `paths`, in a stable order; a missing path is an error."""
    found = Found(paths=len(paths))
    for raw in paths:
        if raw == STDIN:
            found.files.append(SourceFile(STDIN, False))
            continue
        path = Path(raw).expanduser()
        if not path.exists():
            raise BadInputError(f"{raw}: no such file or folder")
        passed_over: Counter[str] = Counter()
        files = [path] if path.is_file() else sorted(_walk(path, passed_over), key=_delivery_order)
        sources = [SourceFile(str(f.absolute()), _is_digest(f)) for f in files]
        found.files.extend(sources)
        found.passed_over.update(passed_over)
        digests = sum(s.is_digest for s in sources)
        if digests == len(sources):
            found.empty.append(EmptyPath(raw, path.is_file(), digests, passed_over))
    return found


def describe_passed_over(counts: Counter[str]) -> str:
    """`5 other files passed over: 3 .txt, 2 .csv`."""
    total = sum(counts.values())
    return f"{total} other file{_s(total)} passed over: {by_extension(counts)}"


def by_extension(counts: Counter[str]) -> str:
    """`3 .txt, 2 .csv`: the commonest extensions first, the rarest summed."""
    kinds = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = [f"{n} {kind}" for kind, n in kinds[:SHOWN_KINDS]]
    rest = sum(n for _kind, n in kinds[SHOWN_KINDS:])
    if rest:
        shown.append(f"{rest} of other kinds")
    return ", ".join(shown)


def _walk(folder: Path, passed_over: Counter[str]) -> Iterator[Path]:
    """The data files under `folder`; every other visible file is counted in `passed_over`."""
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if not path.name.startswith(".") and path.name.lower().endswith(DATA_SUFFIXES):
            yield path
        elif not any(part.startswith(".") for part in path.relative_to(folder).parts):
            passed_over[path.suffix.lower() or "without extension"] += 1


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _delivery_order(path: Path) -> tuple[str, str]:
    """Sort key: the delivery date in an S3 path (`.../YYYY/MM/DD/...`), then the path.

    A delivery tree sorts account by account, region by region; read that way, every
    batch would touch many date partitions and each partition would be rewritten once per
    account and region. Day by day, a batch fills a few partitions and moves on."""
    match = _DELIVERY_DATE.search(str(path))
    return (match.group(0) if match else "", str(path))


def _is_digest(path: Path) -> bool:
    return "CloudTrail-Digest" in path.parts or "_CloudTrail-Digest_" in path.name
