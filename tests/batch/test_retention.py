"""Retention removes whole event partitions older than `retention.days`, through the lake's
commit protocol, as an event data store's retention period does."""

from __future__ import annotations

from datetime import date

from ctlake.batch.retention import apply_retention
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from tests.conftest import WriteFile, make_record


def day_records(day: int, first: int) -> list[dict[str, object]]:
    return [make_record(first + n, eventTime=f"2024-05-{day:02d}T10:00:{n:02d}Z") for n in range(3)]


def test_partitions_older_than_the_retention_period_are_removed_whole(
    lake: Lake, write_records: WriteFile
) -> None:
    records = [r for day in (1, 2, 3, 4) for r in day_records(day, day * 100)]
    ingest(lake, [str(write_records("trail.json", records))])
    assert apply_retention(lake, None, date(2024, 5, 5)).partitions == 0

    summary = apply_retention(lake, 3, date(2024, 5, 5))  # keeps 2024-05-02 and later

    assert (summary.partitions, summary.files) == (1, 1)
    assert not (lake.root / "events" / "eventDate=2024-05-01").exists()
    con = reader.connect(lake)
    try:
        days = con.execute(
            "SELECT CAST(eventDate AS VARCHAR), count(*) FROM events GROUP BY 1 ORDER BY 1"
        ).fetchall()
        moves = con.execute("SELECT count(*) FROM pending_moves").fetchall()[0][0]
        files = con.execute("SELECT count(*) FROM lake_files").fetchall()[0][0]
    finally:
        con.close()
    assert days == [("2024-05-02", 3), ("2024-05-03", 3), ("2024-05-04", 3)]
    assert moves == 0 and files == 3
    assert apply_retention(lake, 3, date(2024, 5, 5)).partitions == 0  # nothing left to do
