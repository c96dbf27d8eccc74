"""One ingest batch: records gathered from many files, to be committed together.

The batch holds JSON text, not Python objects, and is flushed when it reaches
`max_bytes`, which bounds memory whatever the size of the input. Beside the text it keeps
the few fields that decide a record's fate (eventID, eventTime, eventType), read while the
record is a Python object anyway, so the commit never parses a record it will not store.
`commit.py` stages it for the lake.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from itertools import accumulate, islice
from typing import Any

import orjson
import pyarrow as pa

from ctlake.ingest.decode import Decoded


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
    event_ids: list[str | None] = field(default_factory=list)
    event_times: list[str | None] = field(default_factory=list)
    event_types: list[str | None] = field(default_factory=list)
    problems: list[tuple[str, str | None, str, str | None]] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    def add_file(self, source: str, size: int, digest: str, decoded: Decoded) -> None:
        file_no = len(self.files)
        if decoded.file_problem is not None:
            self.problems.append((source, None, decoded.file_problem, decoded.file_raw))
            self.files.append(FileEntry(source, size, digest, "quarantined", 1))
            self.units.append(decoded.unit)
            return
        records = decoded.records
        texts = [orjson.dumps(record) for record in records]
        for problem in decoded.problems:
            self.problems.append((source, problem.location, problem.reason, problem.raw))
        ends = accumulate(map(len, texts), initial=len(self.data))
        self.offsets.extend(islice(ends, 1, None))  # the first is the current end already
        self.data += b"".join(texts)
        self.file_numbers.extend(array("i", [file_no]) * len(texts))
        self.ordinals.extend(decoded.ordinals)
        self.event_ids.extend(_text(record.get("eventID")) for record in records)
        self.event_times.extend(_text(record.get("eventTime")) for record in records)
        self.event_types.extend(_text(record.get("eventType")) for record in records)
        total = len(records) + len(decoded.problems)
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

    def texts(self) -> pa.LargeStringArray:
        """Each record's JSON text, in the order read (row number = position)."""
        return pa.LargeStringArray.from_buffers(
            self.records, pa.py_buffer(self.offsets), pa.py_buffer(self.data)
        )

    def keys(self) -> pa.Table:
        """One narrow row per record: its row number, where it came from, and the fields
        that decide whether and where it is stored (see batch_keys.sql)."""
        return pa.table(
            {
                "row_no": pa.array(range(self.records), pa.int32()),
                "file_no": pa.array(self.file_numbers, pa.int32()),
                "ordinal": pa.array(self.ordinals, pa.int32()),
                "eventID": pa.array(self.event_ids, pa.string()),
                "rawTime": pa.array(self.event_times, pa.string()),
                "eventType": pa.array(self.event_types, pa.string()),
            }
        )

    def batch_files(self) -> pa.Table:
        return pa.table(
            {
                "file_no": pa.array(range(len(self.files)), pa.int32()),
                "source": pa.array([f.source for f in self.files], pa.string()),
                "unit": pa.array(self.units, pa.string()),
            }
        )


def _text(value: Any) -> str | None:
    """A key field's value when it is a string; anything else counts as missing."""
    return value if type(value) is str else None
