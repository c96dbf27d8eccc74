"""Records written by other projects (../shared/corpus): every one is stored or set aside
with a reason, never a crash; their Insights records land in aws_insights."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctlake.ingest import IngestSummary, ingest
from ctlake.lake import Lake, reader

CorpusLake = tuple[Lake, IngestSummary]

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")


@pytest.fixture(scope="module")
def corpus_lake(tmp_path_factory: pytest.TempPathFactory) -> CorpusLake:
    lake = Lake(tmp_path_factory.mktemp("corpus") / "lake")
    return lake, ingest(lake, [str(CORPUS)])


def test_every_corpus_record_is_stored_a_duplicate_or_quarantined(corpus_lake: CorpusLake) -> None:
    lake, summary = corpus_lake
    assert summary.records == summary.stored + summary.duplicates + summary.quarantined
    con = reader.connect(lake)
    stored = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    insights = con.execute("SELECT count(*) FROM aws_insights").fetchall()[0][0]
    assert stored + insights == summary.stored
    assert stored > 300


def test_every_quarantined_item_names_its_source_and_reason(corpus_lake: CorpusLake) -> None:
    lake, summary = corpus_lake
    con = reader.connect(lake)
    rows = con.execute("SELECT source, reason, raw FROM quarantine").fetchall()
    assert len(rows) == summary.quarantined
    assert all(source and reason and raw is not None for source, reason, raw in rows)


def test_the_corpus_insights_records_land_in_aws_insights(corpus_lake: CorpusLake) -> None:
    lake, _ = corpus_lake
    con = reader.connect(lake)
    states = con.execute(
        "SELECT insightDetails->>'$.state', count(*) FROM aws_insights GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert states == [("End", 1), ("Start", 2)]
    leaked = con.execute("SELECT count(*) FROM events WHERE eventType = 'AwsCloudTrailInsight'")
    assert leaked.fetchall() == [(0,)]


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        # 24 EventBridge envelopes: two repeat an eventID, one record has none.
        ("cloud-custodian/raw/tests/data/cwe", (24, 21, 2, 1)),
        # LookupEvents output: each record a string in CloudTrailEvent.
        ("plaso/raw/test_data/jsonl", (6, 6, 0, 0)),
    ],
)
def test_envelopes_and_lookup_events_from_the_corpus_are_unwrapped(
    tmp_path: Path, folder: str, expected: tuple[int, int, int, int]
) -> None:
    s = ingest(Lake(tmp_path / "lake"), [str(CORPUS / folder)])
    assert (s.records, s.stored, s.duplicates, s.quarantined) == expected
