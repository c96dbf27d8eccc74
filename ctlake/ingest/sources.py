"""Finding the CloudTrail files named on the command line.

A path may be a file, a folder (an S3 delivery tree `AWSLogs/[o-org/]<acct>/CloudTrail/...`,
an export, anything: walked recursively in sorted order), either of them in a bucket
(`s3://bucket/AWSLogs/`: listed and read through fsspec, `ctlake.urls`), or `-` for
standard input.
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
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ctlake.errors import BadInputError
from ctlake.urls import filesystem, is_url, with_scheme

DATA_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz")
STDIN = "-"
READS = "*.json, *.jsonl, *.ndjson and *.gz"  # DATA_SUFFIXES, as a user reads them
READ_AHEAD = 32  # files of a bucket being fetched at once (see `with_data`)
SHOWN_KINDS = 5  # extensions named in a passed-over count; the rest are summed
_DELIVERY_DATE = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/")


@dataclass(frozen=True)
class SourceFile:
    """One input file; `name` is its absolute path, its URL, or `-` for standard input."""

    name: str
    is_digest: bool
    size: int | None = None  # known when listing gave it (a bucket), else asked when needed

    def read(self) -> bytes:
        if self.name == STDIN:
            return sys.stdin.buffer.read()
        return read_file(self.name)


def read_file(name: str) -> bytes:
    """The bytes of the input file `name`, a path or a URL."""
    if is_url(name):
        with filesystem(name, what=name).open(name, "rb") as handle:
            data: bytes = handle.read()
            return data
    return Path(name).read_bytes()


def with_data(sources: Sequence[SourceFile]) -> Iterator[tuple[SourceFile, bytes | None]]:
    """Each of `sources` with its bytes (None for a digest: never read), in order. Files in
    a bucket are fetched READ_AHEAD at a time on threads: each GET waits on the network,
    and one at a time a trail of small files spends ten times as long as from a disk."""
    if not any(is_url(source.name) for source in sources):
        for source in sources:
            yield source, None if source.is_digest else source.read()
        return
    with ThreadPoolExecutor(READ_AHEAD, thread_name_prefix="ctlake-read") as pool:
        queue = iter(sources)
        pending: deque[tuple[SourceFile, Future[bytes] | None]] = deque()

        def fetch_next() -> None:
            source = next(queue, None)
            if source is not None:
                pending.append((source, None if source.is_digest else pool.submit(source.read)))

        for _ in range(READ_AHEAD):
            fetch_next()
        while pending:
            source, data = pending.popleft()
            fetch_next()
            yield source, None if data is None else data.result()


def file_size(name: str) -> int:
    """The size of the input file `name`, a path or a URL."""
    if is_url(name):
        return int(filesystem(name, what=name).size(name))
    return Path(name).stat().st_size


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
        passed_over: Counter[str] = Counter()
        is_file, sizes = (_find_remote if is_url(raw) else _find_local)(raw, passed_over)
        sources = [SourceFile(name, _is_digest(name), size) for name, size in sizes.items()]
        found.files.extend(sources)
        found.passed_over.update(passed_over)
        digests = sum(s.is_digest for s in sources)
        if digests == len(sources):
            found.empty.append(EmptyPath(raw, is_file, digests, passed_over))
    return found


Listing = tuple[bool, dict[str, int | None]]  # is the path a file; its data files' sizes


def _find_local(raw: str, passed_over: Counter[str]) -> Listing:
    """Whether `raw` is a file, and the data files it is or holds, by absolute name, in
    reading order (sizes unknown: a stat each costs as much as the listing)."""
    path = Path(raw).expanduser()
    if not path.exists():
        raise BadInputError(f"{raw}: no such file or folder")
    if path.is_file():
        return True, {str(path.absolute()): None}
    found = (p for p in path.rglob("*") if p.is_file())
    relative = ((str(p.absolute()), p.relative_to(path).parts) for p in found)
    return False, dict.fromkeys(sorted(_data_files(relative, passed_over), key=_delivery_order))


def _find_remote(raw: str, passed_over: Counter[str]) -> Listing:
    """`_find_local` for a URL: one recursive listing, which gives the sizes too."""
    fs = filesystem(raw, what=raw)
    root = str(fs._strip_protocol(raw)).rstrip("/")
    if not root:
        raise BadInputError(f"{raw}: name a bucket, and a prefix in it (s3://bucket/AWSLogs/)")
    if fs.isfile(root):
        return True, {raw: int(fs.size(root))}
    listed = fs.find(root, detail=True) if fs.isdir(root) else {}
    if not listed:
        raise BadInputError(f"{raw}: no such file or folder")
    sizes = {with_scheme(raw, path): int(info["size"]) for path, info in listed.items()}
    relative = (
        (with_scheme(raw, path), PurePosixPath(path).relative_to(root).parts) for path in listed
    )
    names = sorted(_data_files(relative, passed_over), key=_delivery_order)
    return False, {name: sizes[name] for name in names}


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


def _data_files(
    files: Iterable[tuple[str, tuple[str, ...]]], passed_over: Counter[str]
) -> Iterator[str]:
    """Of the files under a folder (each: its name, its parts below the folder), the data
    files; every other visible file is counted in `passed_over`."""
    for name, parts in files:
        base = PurePosixPath(parts[-1])
        if not base.name.startswith(".") and base.name.lower().endswith(DATA_SUFFIXES):
            yield name
        elif not any(part.startswith(".") for part in parts):
            passed_over[base.suffix.lower() or "without extension"] += 1


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _delivery_order(path: str) -> tuple[str, str]:
    """Sort key: the delivery date in an S3 path (`.../YYYY/MM/DD/...`), then the path.

    A delivery tree sorts account by account, region by region; read that way, every
    batch would touch many date partitions and each partition would be rewritten once per
    account and region. Day by day, a batch fills a few partitions and moves on."""
    match = _DELIVERY_DATE.search(path)
    return (match.group(0) if match else "", path)


def _is_digest(name: str) -> bool:
    path = PurePosixPath(name)
    return "CloudTrail-Digest" in path.parts or "_CloudTrail-Digest_" in path.name
