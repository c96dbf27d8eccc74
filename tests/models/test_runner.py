"""The run loop: tiny models in a tmp folder against a real lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctlake.errors import BadInputError
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from ctlake.models import refresh
from tests.conftest import WriteFile, make_record

PER_MINUTE = """
SELECT date_trunc('minute', eventTime) AS minute, eventName, CAST(count(*) AS BIGINT) AS n
FROM events
WHERE eventTime >= {{ start }} AND eventTime < {{ end }}
GROUP BY 1, 2
"""


def write_model(folder: Path, name: str, header: str, sql: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.sql").write_text(f"/*\n{header}\n*/\n{sql}")


def rows(lake: Lake, sql: str) -> list[tuple[object, ...]]:
    con = reader.connect(lake)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def models(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    write_model(
        folder,
        "per_minute",
        "kind: incremental\ntime_column: minute\ngrain: [minute, eventName]\ndescription: x",
        PER_MINUTE,
    )
    write_model(
        folder,
        "totals",
        "kind: table\ndescription: x",
        "SELECT eventName, CAST(sum(n) AS BIGINT) AS n FROM per_minute GROUP BY 1",
    )
    return folder


def ingest_minutes(lake: Lake, write_records: WriteFile, name: str, ns: list[int]) -> None:
    ingest(lake, [str(write_records(name, [make_record(n) for n in ns]))])


def test_late_events_are_folded_into_an_incremental_model_like_a_full_build(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    ingest_minutes(lake, write_records, "a.json", [600, 601, 660, 1200])
    first = refresh(lake, folder=models)
    assert [r.action for r in first.runs] == ["full", "rebuild"]
    ingest_minutes(lake, write_records, "b.json", [30, 610, 1800])  # 30 is hours late
    second = refresh(lake, folder=models)
    run = second.runs[0]
    assert run.action == "incremental"
    assert run.start.strftime("%H:%M") == "12:00"  # lowered to the late event's minute
    incremental = rows(lake, "SELECT * FROM per_minute ORDER BY ALL")
    assert rows(lake, "SELECT n FROM totals") == [(7,)]
    refresh(lake, folder=models, full=True)
    assert rows(lake, "SELECT * FROM per_minute ORDER BY ALL") == incremental


def test_a_refresh_with_nothing_new_skips_every_model(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    ingest_minutes(lake, write_records, "a.json", [1, 2])
    refresh(lake, folder=models)
    again = refresh(lake, folder=models)
    assert [r.action for r in again.runs] == ["skip", "skip"]
    assert "all up to date" in again.line()


def test_model_state_records_the_high_water_mark_and_rows(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    ingest_minutes(lake, write_records, "a.json", [0, 61])
    refresh(lake, folder=models)
    state = rows(lake, "SELECT model, kind, high_water, rows FROM model_state ORDER BY model")
    assert [(m, k, str(h), r) for m, k, h, r in state] == [
        ("per_minute", "incremental", "2024-05-01 12:02:00", 2),
        ("totals", "table", "None", 1),
    ]


def test_a_grain_violation_names_the_model_and_a_key_and_rolls_back(
    lake: Lake, write_records: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    write_model(
        folder,
        "dupes",
        "kind: table\ngrain: [eventName]\ndescription: x",
        "SELECT eventName FROM events",
    )
    ingest_minutes(lake, write_records, "a.json", [0, 1])
    with pytest.raises(BadInputError, match=r"model dupes: grain .* eventName='CreateUser'"):
        refresh(lake, folder=folder)
    assert rows(
        lake, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'dupes'"
    ) == [(0,)]


def test_a_failing_model_is_an_error_naming_its_file(
    lake: Lake, write_records: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "bad"
    write_model(
        folder, "broken", "kind: table\ndescription: x", "SELECT no_such_column FROM events"
    )
    ingest_minutes(lake, write_records, "a.json", [0])
    with pytest.raises(BadInputError, match=r"broken\.sql: model broken failed"):
        refresh(lake, folder=folder)


def test_a_changed_model_is_rebuilt_in_full(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    ingest_minutes(lake, write_records, "a.json", [0])
    refresh(lake, folder=models)
    path = models / "totals.sql"
    path.write_text(path.read_text().replace("AS n", "AS total"))
    again = refresh(lake, folder=models)
    assert [r.action for r in again.runs] == ["skip", "rebuild"]
    assert rows(lake, "SELECT total FROM totals") == [(1,)]


def test_a_failing_model_leaves_every_model_as_it_was(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    ingest_minutes(lake, write_records, "a.json", [0])
    refresh(lake, folder=models)
    before = rows(lake, "SELECT * FROM per_minute ORDER BY ALL")
    write_model(
        models,
        "zz_broken",
        "kind: table\ndescription: x",
        "SELECT 1 / 0 AS x FROM totals WHERE CAST('x' AS INTEGER) = 1",
    )
    ingest_minutes(lake, write_records, "b.json", [5])
    with pytest.raises(BadInputError, match="zz_broken"):
        refresh(lake, folder=models)
    assert rows(lake, "SELECT * FROM per_minute ORDER BY ALL") == before
    (models / "zz_broken.sql").unlink()
    again = refresh(lake, folder=models)
    assert [r.action for r in again.runs] == ["incremental", "rebuild"]
    assert rows(lake, "SELECT n FROM totals") == [(2,)]
