"""On records written by other projects (../shared/corpus), the SQL predicate of a filter
pattern selects exactly the eventIDs the reference matcher (tests/cloudwatch/matcher.py)
accepts: for every leaf and the random compounds of test_patterns_match.py, and for the
fifteen filters of the CIS pack. The corpus goes in through ingest, as in
tests/ingest/test_corpus.py, so the records the lake sets aside (no eventID, duplicates,
Insights events) are left out as the lake leaves them out."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import orjson
import pytest

from ctlake.cloudwatch.patterns import compile_pattern, parse_pattern
from ctlake.ingest import ingest
from ctlake.lake import Lake
from ctlake.lake.reader import connect
from ctlake.resources import cis_pack
from tests.cloudwatch.matcher import matches
from tests.cloudwatch.test_patterns_match import BATCH, LEAVES, compounds, typed_paths
from tests.ingest.test_corpus import CORPUS

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")

CIS = [f["pattern"] for f in tomllib.loads(cis_pack())["metrics"]["filter"]]

# A difference docs/filter-patterns.md lists ("Booleans in text fields"): these records
# hold the fields as the string "True", which the lake types as the BOOLEAN true, so
# `IS TRUE` and `= true` select them in SQL while CloudWatch compares the string and does
# not. Only for these fields of these records the reference reads the value the lake
# typed; test_the_listed_difference_is_still_there fails once the lake no longer differs.
TYPED_AS_TRUE = {"044e210e-6c5e-3f3e-8f04-2311a826f287": ("readOnly", "managementEvent")}


class Corpus:
    """The corpus lake's `events` (read once into a table in memory, the lake being many
    small files), each row's record and message, and its typed paths."""

    def __init__(self, lake: Lake) -> None:
        self.con = connect(lake)
        self.con.execute("CREATE TEMP TABLE corpus_events AS SELECT * FROM events")
        rows = self.con.execute("SELECT eventID, eventJson FROM corpus_events").fetchall()
        self.records: list[tuple[str, dict[str, Any], str]] = [
            (event_id, orjson.loads(text), text) for event_id, text in rows
        ]
        self.typed = typed_paths(self.con)

    def sql(self, patterns: list[str]) -> list[set[str]]:
        """The eventIDs each pattern's SQL predicate selects (a batch per query)."""
        selected: list[set[str]] = []
        for start in range(0, len(patterns), BATCH):
            batch = patterns[start : start + BATCH]
            columns = ", ".join(compile_pattern(p).sql("duckdb") for p in batch)
            result = self.con.execute(f"SELECT eventID, {columns} FROM corpus_events").fetchall()
            selected.extend({row[0] for row in result if row[i + 1]} for i in range(len(batch)))
        return selected

    def matcher(self, pattern: str, lake_typed: bool = True) -> set[str]:
        """The eventIDs the reference matcher accepts (reading the values TYPED_AS_TRUE
        lists as the lake typed them, unless `lake_typed` is false)."""
        parsed = parse_pattern(pattern)
        selected = set()
        for event_id, record, text in self.records:
            if lake_typed and event_id in TYPED_AS_TRUE:
                record = {**record, **dict.fromkeys(TYPED_AS_TRUE[event_id], True)}
            if matches(parsed, record, text, self.typed):
                selected.add(event_id)
        return selected

    def compare(
        self, patterns: list[str]
    ) -> tuple[dict[str, tuple[set[str], set[str]]], list[int]]:
        """For each pattern whose selections differ, the eventIDs only SQL selects and those
        only the matcher selects; and for each pattern, how many records SQL selects."""
        differ = {}
        selected = self.sql(patterns)
        for pattern, sql in zip(patterns, selected, strict=True):
            wanted = self.matcher(pattern)
            if sql != wanted:
                differ[pattern] = (sql - wanted, wanted - sql)
        return differ, [len(sql) for sql in selected]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    lake = Lake(Path(tmp_path_factory.mktemp("corpus-patterns")) / "lake")
    ingest(lake, [str(CORPUS)])
    return Corpus(lake)


def test_the_corpus_events_are_there_each_once(corpus: Corpus) -> None:
    ids = [event_id for event_id, _, _ in corpus.records]
    assert len(ids) > 300
    assert len(set(ids)) == len(ids)
    assert all(ids)


def test_each_construct_selects_on_the_corpus_what_the_matcher_selects(corpus: Corpus) -> None:
    differ, counts = corpus.compare(LEAVES)
    assert differ == {}
    # Not trivial on this data: many leaves match some records and not others.
    total = len(corpus.records)
    assert sum(0 < n < total for n in counts) >= len(LEAVES) // 2


def test_random_compounds_select_on_the_corpus_what_the_matcher_selects(corpus: Corpus) -> None:
    differ, counts = corpus.compare(compounds(200))
    assert differ == {}
    total = len(corpus.records)
    assert sum(0 < n < total for n in counts) >= 200 // 4


def test_the_cis_filters_select_on_the_corpus_what_the_matcher_selects(corpus: Corpus) -> None:
    assert len(CIS) == 15
    differ, counts = corpus.compare(CIS)
    assert differ == {}
    assert sum(n > 0 for n in counts) >= 5


@pytest.mark.parametrize("event_id", list(TYPED_AS_TRUE))
def test_the_listed_difference_is_still_there(corpus: Corpus, event_id: str) -> None:
    record = next(record for id_, record, _ in corpus.records if id_ == event_id)
    for field in TYPED_AS_TRUE[event_id]:
        pattern = f"{{ $.{field} IS TRUE }}"
        assert record[field] == "True"
        assert event_id in corpus.sql([pattern])[0]
        assert event_id not in corpus.matcher(pattern, lake_typed=False)
