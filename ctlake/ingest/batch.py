"""One ingest batch: records gathered from many files, to be committed together.

The batch holds JSON text, not Python objects, and is flushed when it reaches
`max_bytes`, which bounds memory whatever the size of the input. `commit.py` stores it.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from itertools import accumulate, islice

import orjson
import pyarrow as pa

from ctlake.ingest.decode import Decoded

STAGING_CHUNK_ROWS = 8192


@dataclass
class FileEntry:
    source: str
    size: int
    hash: str
    kind: str  # records | quarantined
    records: int


@dataclass
class Batch:
    """Records and problems gathered for one commit.

    Record texts go into one byte buffer with an offsets array, which becomes an Arrow
    string column without a Python call per record."""

    max_bytes: int = 64 * 1024 * 1024
    data: bytearray = field(default_factory=bytearray)
    offsets: array[int] = field(default_factory=lambda: array("q", [0]))
    file_numbers: array[int] = field(default_factory=lambda: array("i"))
    ordinals: array[int] = field(default_factory=lambda: array("i"))
    problems: list[tuple[str, str | None, str, str | None]] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)  # raw eventTime text, to pre-sort by

    def add_file(self, source: str, size: int, digest: str, decoded: Decoded) -> None:
        file_no = len(self.files)
        if decoded.file_problem is not None:
            self.problems.append((source, None, decoded.file_problem, decoded.file_raw))
            self.files.append(FileEntry(source, size, digest, "quarantined", 1))
            self.units.append(decoded.unit)
            return
        texts = [orjson.dumps(record) for record in decoded.records]
        for problem in decoded.problems:
            self.problems.append((source, problem.location, problem.reason, problem.raw))
        ends = accumulate(map(len, texts), initial=len(self.data))
        self.offsets.extend(islice(ends, 1, None))  # the first is the current end already
        self.data += b"".join(texts)
        self.file_numbers.extend(array("i", [file_no]) * len(texts))
        self.ordinals.extend(decoded.ordinals)
        self.times.extend(_time_text(record) for record in decoded.records)
        total = len(decoded.records) + len(decoded.problems)
        self.files.append(FileEntry(source, size, digest, "records", total))
        self.units.append(decoded.unit)

    @property
    def records(self) -> int:
        return len(self.ordinals)

    @property
    def full(self) -> bool:
        return len(self.data) >= self.max_bytes

    @property
    def empty(self) -> bool:
        return not self.files

    def incoming(self) -> pa.Table:
        """One row per record: its JSON text, the file it came from, its place there —
        in eventTime order as far as the raw text tells (CloudTrail files arrive nearly in
        time order, so this sort is almost linear); the writer checks and finishes it."""
        texts = pa.LargeStringArray.from_buffers(
            self.records, pa.py_buffer(self.offsets), pa.py_buffer(self.data)
        )
        table = pa.table(
            {
                "j": texts,
                "file_no": pa.array(self.file_numbers, pa.int32()),
                "ordinal": pa.array(self.ordinals, pa.int32()),
            }
        )
        order = sorted(range(self.records), key=self.times.__getitem__)
        ordered = table.take(pa.array(order, pa.int64()))
        # Several record batches let DuckDB type them on every core, in order.
        chunks = ordered.to_batches(max_chunksize=STAGING_CHUNK_ROWS)
        return pa.Table.from_batches(chunks, schema=ordered.schema)

    def batch_files(self) -> pa.Table:
        return pa.table(
            {
                "file_no": pa.array(range(len(self.files)), pa.int32()),
                "source": pa.array([f.source for f in self.files], pa.string()),
                "unit": pa.array(self.units, pa.string()),
            }
        )


def _time_text(record: dict[str, object]) -> str:
    value = record.get("eventTime")
    return value if isinstance(value, str) else ""
