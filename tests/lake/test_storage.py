"""The lake's files: Hive-partitioned Parquet, sorted, few per partition, readable by all."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ctlake.ingest import ingest
from ctlake.lake import Lake, events, reader
from ctlake.lake.store import MAX_FILES_PER_PARTITION
from tests.conftest import WriteFile, make_record


def test_a_day_ingested_in_100_batches_leaves_a_few_files(
    lake: Lake, write_records: WriteFile
) -> None:
    for batch in range(100):
        write_records(f"b{batch:03d}.json", [make_record(batch * 10 + i) for i in range(10)])
    summary = ingest(lake, [str(lake.root.parent / "in")], batch_bytes=1)  # a commit per file
    assert summary.stored == 1000
    batches = reader.connect(lake).execute("SELECT count(*) FROM batches").fetchall()
    assert batches == [(100,)]
    files = list((lake.root / "events").glob("eventDate=2024-05-01/*.parquet"))
    assert 1 <= len(files) <= MAX_FILES_PER_PARTITION
    con = reader.connect(lake)
    assert con.execute("SELECT count(*), count(DISTINCT eventID) FROM events").fetchall() == [
        (1000, 1000)
    ]


def test_each_file_is_sorted_by_event_time(lake: Lake, write_records: WriteFile) -> None:
    shuffled = [make_record(n) for n in (5, 1, 9, 3, 7)]
    ingest(lake, [str(write_records("a.json", shuffled))])
    (path,) = (lake.root / "events").glob("*/*.parquet")
    times = pq.read_table(path, columns=["eventTime"]).column("eventTime").to_pylist()
    assert times == sorted(times)


def test_plain_pyarrow_reads_the_lake_with_its_partitions(
    lake: Lake, write_records: WriteFile
) -> None:
    records = [make_record(1), make_record(2, eventTime="2024-05-02T00:00:00Z")]
    ingest(lake, [str(write_records("a.json", records))])
    dataset = ds.dataset(lake.root / "events", format="parquet", partitioning="hive")
    table = dataset.to_table(columns=["eventID", "eventDate", "userIdentity"])
    assert table.num_rows == 2
    assert sorted(map(str, table.column("eventDate").to_pylist())) == ["2024-05-01", "2024-05-02"]
    assert table.column("userIdentity").to_pylist()[0]["userName"] == "alice"


def test_an_empty_lake_still_has_the_events_schema(lake: Lake, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    ingest(lake, [str(empty)])
    con = reader.connect(lake)
    columns = [c[0] for c in con.execute("DESCRIBE events").fetchall()]
    assert columns[:3] == ["eventVersion", "userIdentity", "eventTime"]
    assert {"eventJson", "lakeSource", "lakeBatch", "eventDate"} <= set(columns)
    assert con.execute("SELECT count(*) FROM events").fetchall() == [(0,)]


def test_files_are_sorted_even_when_the_raw_text_order_misleads(
    lake: Lake, write_records: WriteFile
) -> None:
    # As text, 11:00Z sorts before 12:00+02:00, but 12:00+02:00 is 10:00 UTC.
    records = [
        make_record(1, eventTime="2024-05-01T11:00:00Z"),
        make_record(2, eventTime="2024-05-01T12:00:00+02:00"),
        make_record(3, eventTime="2024-05-01T10:30:00.5Z"),
    ]
    ingest(lake, [str(write_records("a.json", records))])
    (path,) = (lake.root / "events").glob("*/*.parquet")
    ids = pq.read_table(path, columns=["eventID"]).column("eventID").to_pylist()
    assert [i[-1] for i in ids] == ["2", "3", "1"]


def test_a_full_partition_folds_new_rows_into_its_smallest_file(lake: Lake, tmp_path: Path) -> None:
    def ingest_file(name: str, numbers: range) -> None:
        path = tmp_path / name
        path.write_text(json.dumps({"Records": [make_record(n) for n in numbers]}))
        ingest(lake, [str(path)])

    def stored() -> list[tuple[object, ...]]:
        con = reader.connect(lake)
        return con.execute("SELECT * FROM events ORDER BY eventID").fetchall()

    ingest_file("day.json", range(0, 50))
    (big,) = (lake.root / "events").glob("*/*.parquet")
    for n, name in enumerate(["late1.json", "late2.json", "late3.json"]):
        ingest_file(name, range(100 + 2 * n, 102 + 2 * n))
    before = stored()
    ingest_file("late4.json", range(200, 201))
    files = sorted((lake.root / "events").glob("*/*.parquet"))
    assert len(files) == MAX_FILES_PER_PARTITION
    assert big in files  # the day's big file is not rewritten
    after = stored()
    assert len(after) == 51 + 6
    assert [row for row in after if row in before] == before  # merged rows are unchanged
    sizes = sorted(pq.read_metadata(f).num_rows for f in files)
    assert sizes == [2, 2, 3, 50]


def test_rows_typed_in_parallel_chunks_keep_their_time_order(
    lake: Lake, write_records: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "ROW_GROUP_ROWS", 64)  # many record batches for DuckDB
    shuffled = [make_record(n) for n in random.Random(7).sample(range(3000), 3000)]
    ingest(lake, [str(write_records("a.json", shuffled))])
    (path,) = (lake.root / "events").glob("*/*.parquet")
    times = pq.read_table(path, columns=["eventTime"]).column("eventTime").to_pylist()
    assert len(times) == 3000
    assert times == sorted(times)
