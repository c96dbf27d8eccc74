"""A generated trail, whose labels count every record, ingests to the exact figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ctlake.generate import generate_trail
from ctlake.ingest import IngestSummary, ingest
from ctlake.lake import Lake, reader


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trail")
    generate_trail(out, days=2, seed=5, scale=0.2)
    return out


@pytest.fixture(scope="module")
def ingested(trail: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, IngestSummary]:
    lake = Lake(tmp_path_factory.mktemp("lake") / "lake")
    return lake, ingest(lake, [str(trail / "AWSLogs")])


def test_every_record_written_is_accounted_for(
    trail: Path, ingested: tuple[Lake, IngestSummary]
) -> None:
    totals = json.loads((trail / "labels.json").read_text())["totals"]
    _, summary = ingested
    assert summary.digests_skipped == totals["digest_files"]
    assert summary.files_quarantined == totals["bad_files"]
    assert summary.stored == totals["unique_events"]
    assert summary.duplicates == totals["duplicate_deliveries"]
    assert summary.quarantined == totals["bad_records"] + totals["bad_files"]
    assert summary.records == summary.stored + summary.duplicates + summary.quarantined


def test_the_lake_holds_each_generated_event_once(
    trail: Path, ingested: tuple[Lake, IngestSummary]
) -> None:
    lake, _ = ingested
    totals = json.loads((trail / "labels.json").read_text())["totals"]
    counts = (
        reader.connect(lake)
        .execute("SELECT count(*), count(DISTINCT eventID) FROM events")
        .fetchall()
    )
    assert counts == [(totals["unique_events"], totals["unique_events"])]


def test_ingesting_the_trail_again_changes_nothing(
    trail: Path, ingested: tuple[Lake, IngestSummary]
) -> None:
    lake, first = ingested
    again = ingest(lake, [str(trail / "AWSLogs")])
    assert (again.files_read, again.records) == (0, 0)
    assert again.files_skipped == first.files_read
