"""The executor side of `ingest --engine spark`: Python functions Spark runs with
`mapInArrow`, one Arrow record batch at a time, on every executor.

They reuse the DuckDB ingest's own code rather than a second implementation: a file is
decoded by `ctlake.ingest.decode`, its records' keys are judged by batch_keys.sql (the
same reasons for quarantine, the same UTC normalization of eventTime) and the records
kept are typed by type_events.sql, each in an in-process DuckDB of the executor's Python
worker. So a record is typed into exactly the lake's schema whichever engine stores it.

`decode_files` turns file rows (`FILES`) into one row per item found (`DECODED`):
- `file`: a file read (its size, content hash, kind and record count, for the manifest);
- `skipped`: a file the manifest already holds (same path, size and content hash);
- `problem`: a file or record set aside, with its location, reason and raw text;
- `record`: a record with its key fields and JSON text, to be deduplicated and stored.

`type_rows` turns `part` rows (`ctlake.lake.events.PART`) into typed `events` rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ctlake.db import arrow_table
from ctlake.ingest import commit as ingest_commit
from ctlake.ingest import decode as decode_module
from ctlake.ingest.batch import Batch
from ctlake.ingest.sources import content_hash, read_file
from ctlake.lake import events
from ctlake.resources import read_sql

# One input row per source file; `data` holds the bytes of standard input (read by the
# driver), and is null for a file the executor reads itself. `known` lists the
# "size:hash" of every version of that path already ingested (empty with --force).
FILES = pa.schema(
    [
        ("file_no", pa.int32()),
        ("source", pa.string()),
        ("known", pa.list_(pa.string())),
        ("data", pa.binary()),
    ]
)
DECODED = pa.schema(
    [
        ("kind", pa.string()),  # file | skipped | problem | record
        ("file_no", pa.int32()),
        ("source", pa.string()),
        ("size", pa.int64()),  # file: bytes read
        ("hash", pa.string()),  # file: content hash
        ("file_kind", pa.string()),  # file: records | quarantined
        ("file_records", pa.int64()),  # file: items found (records and problems)
        ("ordinal", pa.int32()),  # record: its place in the file (record or line number)
        ("location", pa.string()),  # problem: `line 7`, `record 3`, or null (whole file)
        ("reason", pa.string()),  # problem
        ("raw", pa.string()),  # problem: the raw text, cut at decode.RAW_LIMIT
        ("eventID", pa.string()),  # record
        ("eventTime", pa.timestamp("us")),  # record: normalized to UTC
        ("eventDate", pa.date32()),  # record
        ("eventType", pa.string()),  # record
        ("j", pa.string()),  # record: its JSON text
    ]
)
BATCH_BYTES = 64 * 1024 * 1024  # JSON text judged at once by a worker: bounds its memory


@cache
def _work() -> duckdb.DuckDBPyConnection:
    """The worker process's DuckDB: one thread, since Spark runs a task per core."""
    con = events.work_connection(memory_limit="512MB")
    con.execute(read_sql(__file__, "task_session"))
    return con


def decode_files(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`FILES` rows in, `DECODED` rows out (see the module's docstring)."""
    for rows in batches:
        batch = Batch(max_bytes=BATCH_BYTES)
        numbers: list[int] = []  # the file_no of each file in `batch`
        for row in rows.to_pylist():
            data = row["data"] if row["data"] is not None else read_file(row["source"])
            digest = content_hash(data)
            if f"{len(data)}:{digest}" in (row["known"] or ()):
                yield _skipped(row["file_no"], row["source"])
                continue
            batch.add_file(row["source"], len(data), digest, decode_module.decode(data))
            numbers.append(row["file_no"])
            if batch.full:
                yield from _judge(batch, numbers)
                batch, numbers = Batch(max_bytes=BATCH_BYTES), []
        if not batch.empty:
            yield from _judge(batch, numbers)


def _judge(batch: Batch, numbers: list[int]) -> Iterator[pa.RecordBatch]:
    """The rows of one decoded batch: its files, its problems, its records."""
    work = _work()
    work.register("incoming_keys", batch.keys())
    work.register("batch_files", batch.batch_files())
    work.execute(read_sql(ingest_commit.__file__, "batch_keys"))
    keys = arrow_table(work.sql(read_sql(__file__, "task_keys")))
    work.unregister("incoming_keys")
    work.unregister("batch_files")
    file_nos = pa.array(numbers, pa.int32())
    sources = pa.array([f.source for f in batch.files], pa.string())
    units = pa.array(batch.units, pa.string())
    yield _files(batch, file_nos)
    yield _decode_problems(batch, dict(zip([f.source for f in batch.files], numbers, strict=True)))
    texts = batch.texts().cast(pa.string())
    local = keys["file_no"]
    judged = {
        "file_no": file_nos.take(local),
        "source": sources.take(local),
        "ordinal": keys["ordinal"],
        "eventID": keys["eventID"],
        "eventTime": keys["eventTime"],
        "eventDate": keys["eventDate"],
        "eventType": keys["eventType"],
        "j": texts.take(keys["row_no"]),
    }
    table = pa.table(judged)
    bad = pc.is_valid(keys["reason"])
    problems = table.filter(bad)
    locations = pc.binary_join_element_wise(
        units.take(local.filter(bad)), problems["ordinal"].cast(pa.string()), " "
    )
    yield _rows(
        len(problems),
        kind="problem",
        file_no=problems["file_no"],
        source=problems["source"],
        location=locations,
        reason=keys["reason"].filter(bad),
        raw=problems["j"],
    )
    good = table.filter(pc.invert(bad))
    yield _rows(len(good), kind="record", **{name: good[name] for name in judged})


def _files(batch: Batch, file_nos: pa.Array) -> pa.RecordBatch:
    return _rows(
        len(batch.files),
        kind="file",
        file_no=file_nos,
        source=[f.source for f in batch.files],
        size=[f.size for f in batch.files],
        hash=[f.hash for f in batch.files],
        file_kind=[f.kind for f in batch.files],
        file_records=[f.records for f in batch.files],
    )


def _decode_problems(batch: Batch, numbers: dict[str, int]) -> pa.RecordBatch:
    """What `decode` found wrong: whole files and records that are not CloudTrail."""
    return _rows(
        len(batch.problems),
        kind="problem",
        file_no=[numbers[p[0]] for p in batch.problems],
        source=[p[0] for p in batch.problems],
        location=[p[1] for p in batch.problems],
        reason=[p[2] for p in batch.problems],
        raw=[p[3] for p in batch.problems],
    )


def _skipped(file_no: int, source: str) -> pa.RecordBatch:
    return _rows(1, kind="skipped", file_no=[file_no], source=[source])


def _rows(n: int, *, kind: str, **columns: object) -> pa.RecordBatch:
    """A `DECODED` record batch of `n` rows of `kind`; columns not given are null."""
    arrays = []
    for name, kind_type in zip(DECODED.names, DECODED.types, strict=True):
        if name == "kind":
            arrays.append(pa.array([kind] * n, pa.string()))
        elif name in columns:
            value = columns[name]
            if isinstance(value, pa.ChunkedArray):
                value = value.combine_chunks()
            arrays.append(pa.array(value, kind_type) if isinstance(value, list) else value)
        else:
            arrays.append(pa.nulls(n, kind_type))
    arrays = [a.cast(t) for a, t in zip(arrays, DECODED.types, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, schema=DECODED)


def typed_schema() -> pa.Schema:
    """The Arrow schema of `events` rows as type_events.sql makes them, with 32-bit
    string offsets, as Spark's Arrow exchange expects them."""
    return _spark_arrow_schema(_typed(events.PART.empty_table()).schema)


def type_rows(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """`part` rows (events.PART) in, `events` rows out, in the same order."""
    schema = typed_schema()
    for rows in batches:
        part = pa.Table.from_batches([rows]).select(events.PART.names).cast(events.PART)
        typed = _typed(part).cast(schema)
        yield from typed.to_batches()


def _typed(part: pa.Table) -> pa.Table:
    work = _work()
    events.register_part(work, part)
    try:
        return arrow_table(work.sql(read_sql(events.__file__, "type_events")))
    finally:
        work.unregister("part")


def _spark_arrow_schema(schema: pa.Schema) -> pa.Schema:
    return pa.schema([pa.field(f.name, _small(f.type)) for f in schema])


def _small(kind: pa.DataType) -> pa.DataType:
    """`kind` with large strings and lists made ordinary (recursively)."""
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return pa.string()
    if pa.types.is_struct(kind):
        return pa.struct([pa.field(f.name, _small(f.type)) for f in kind])
    if pa.types.is_map(kind):
        return pa.map_(_small(kind.key_type), _small(kind.item_type))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return pa.list_(_small(kind.value_type))
    return kind
