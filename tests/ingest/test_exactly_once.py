"""Ingest stores each event once, however often it is delivered or read."""

from __future__ import annotations

from ctlake.db import scalar
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from tests.conftest import WriteFile, make_record


def count_events(lake: Lake) -> tuple[int, int]:
    con = reader.connect(lake)
    return scalar(con, "SELECT count(*) FROM events"), scalar(
        con, "SELECT count(DISTINCT eventID) FROM events"
    )


def test_an_event_delivered_twice_is_stored_once(lake: Lake, write_records: WriteFile) -> None:
    first = write_records("a.json.gz", [make_record(i) for i in range(10)])
    second = write_records("b.json", [make_record(i) for i in range(5, 15)])
    summary = ingest(lake, [str(first.parent)])
    assert (summary.records, summary.stored, summary.duplicates) == (20, 15, 5)
    assert count_events(lake) == (15, 15)
    assert second.exists()


def test_a_file_already_ingested_is_skipped_unless_forced(
    lake: Lake, write_records: WriteFile
) -> None:
    path = write_records("a.json", [make_record(i) for i in range(3)])
    ingest(lake, [str(path)])
    again = ingest(lake, [str(path)])
    assert (again.files_read, again.files_skipped, again.records) == (0, 1, 0)
    forced = ingest(lake, [str(path)], force=True)
    assert (forced.records, forced.stored, forced.duplicates) == (3, 0, 3)
    assert count_events(lake) == (3, 3)


def test_records_in_equals_stored_plus_duplicates_plus_quarantined(
    lake: Lake, write_records: WriteFile
) -> None:
    good = [make_record(i) for i in range(4)]
    bad = [{"eventID": "x"}, "not an object", make_record(9, eventTime="yesterday")]
    path = write_records("mixed.json", [*good, good[0], *bad])
    summary = ingest(lake, [str(path)])
    assert summary.records == 8
    assert (summary.stored, summary.duplicates, summary.quarantined) == (4, 1, 3)


def test_the_first_copy_read_is_the_one_kept(lake: Lake, write_records: WriteFile) -> None:
    first = write_records("a.json", [make_record(1, userAgent="first")])
    write_records("b.json", [make_record(1, userAgent="second")])
    ingest(lake, [str(first.parent)])
    con = reader.connect(lake)
    kept = con.execute("SELECT userAgent, lakeSource FROM events").fetchall()
    assert kept == [("first", str(first))]


def test_a_record_whose_key_fields_are_not_strings_is_quarantined(
    lake: Lake, write_records: WriteFile
) -> None:
    records = [make_record(1, eventID=42), make_record(2, eventTime=1714521600), make_record(3)]
    summary = ingest(lake, [str(write_records("odd.json", records))])
    assert (summary.stored, summary.quarantined) == (1, 2)
    con = reader.connect(lake)
    rows = con.execute("SELECT reason FROM quarantine ORDER BY location").fetchall()
    reasons = [r for (r,) in rows]
    assert reasons == ["record has no eventID", "record has no eventTime"]
