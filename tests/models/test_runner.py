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


def test_a_grain_violation_in_an_incremental_window_is_caught_and_rolls_back(
    lake: Lake, write_records: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "per_minute_only"
    write_model(
        folder,
        "by_minute",
        "kind: incremental\ntime_column: minute\ngrain: [minute]\ndescription: x",
        PER_MINUTE,
    )
    write_model(
        folder,
        "latest",
        "kind: table\ngrain: [n]\ndescription: x",
        "SELECT max(minute) AS minute, CAST(count(*) AS BIGINT) AS n FROM by_minute",
    )
    ingest_minutes(lake, write_records, "a.json", [0, 60])
    refresh(lake, folder=folder)
    before = rows(lake, "SELECT * FROM by_minute ORDER BY minute")
    # a second API in minute 12:02: two rows of the window share the grain [minute]
    second = make_record(121, eventName="DeleteUser")
    ingest(lake, [str(write_records("b.json", [make_record(120), second]))])
    with pytest.raises(BadInputError, match=r"model by_minute: grain .* minute=datetime"):
        refresh(lake, folder=folder)
    assert rows(lake, "SELECT * FROM by_minute ORDER BY minute") == before


def test_a_grain_violation_in_a_refilled_table_is_caught(
    lake: Lake, write_records: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "refill"
    write_model(
        folder,
        "names",
        "kind: table\ngrain: [eventName]\ndescription: x",
        "SELECT DISTINCT eventName, readOnly FROM events",
    )
    ingest_minutes(lake, write_records, "a.json", [0])
    refresh(lake, folder=folder)
    ingest(lake, [str(write_records("b.json", [make_record(1, readOnly=True)]))])
    with pytest.raises(BadInputError, match=r"model names: grain .* eventName='CreateUser'"):
        refresh(lake, folder=folder)
    assert rows(lake, "SELECT eventName, readOnly FROM names") == [("CreateUser", False)]


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


def test_rows_whose_time_is_null_are_recomputed_on_every_run(
    lake: Lake, write_records: WriteFile, tmp_path: Path
) -> None:
    folder = tmp_path / "open"
    write_model(  # per eventName: its first call, settled by its second (NULL until then)
        folder,
        "pairs",
        "kind: incremental\ntime_column: settled\ngrain: [eventName]\ndescription: x",
        "WITH e AS (SELECT eventName, eventTime, row_number() OVER "
        "(PARTITION BY eventName ORDER BY eventTime) AS k FROM events) "
        "SELECT eventName, max(CASE WHEN k = 1 THEN eventTime END) AS first_seen, "
        "date_trunc('minute', max(CASE WHEN k = 2 THEN eventTime END)) AS settled "
        "FROM e GROUP BY 1",
    )
    ingest(lake, [str(write_records("a.json", [make_record(0), make_record(1, eventName="B")]))])
    refresh(lake, folder=folder)
    assert [r[2] for r in rows(lake, "SELECT * FROM pairs ORDER BY 1")] == [None, None]
    for name, n in [("b.json", 300), ("c.json", 120)]:  # B settles at 12:05, then at 12:02
        ingest(lake, [str(write_records(name, [make_record(n, eventName="B")]))])
        assert refresh(lake, folder=folder).runs[0].action == "incremental"
    incremental = rows(lake, "SELECT eventName, settled FROM pairs ORDER BY ALL")
    assert [(name, str(settled)) for name, settled in incremental] == [
        ("B", "2024-05-01 12:02:00"),
        ("CreateUser", "None"),
    ]
    refresh(lake, folder=folder, full=True)
    assert rows(lake, "SELECT eventName, settled FROM pairs ORDER BY ALL") == incremental


def test_the_rows_in_model_state_match_the_tables_after_incremental_runs(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    for name, ns in [("a.json", [0, 61]), ("b.json", [30, 62, 200]), ("c.json", [61, 900])]:
        ingest_minutes(lake, write_records, name, ns)
        refresh(lake, folder=models)
    state = dict(rows(lake, "SELECT model, rows FROM model_state"))
    assert state == {
        "per_minute": rows(lake, "SELECT count(*) FROM per_minute")[0][0],
        "totals": rows(lake, "SELECT count(*) FROM totals")[0][0],
    }


def test_a_model_table_dropped_outside_ctlake_is_rebuilt_by_the_next_refresh(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    ingest_minutes(lake, write_records, "a.json", [0])
    refresh(lake, folder=models)
    with lake.catalog() as con:
        con.execute("DROP TABLE per_minute")
    ingest_minutes(lake, write_records, "b.json", [600])
    again = refresh(lake, folder=models)
    assert (again.runs[0].name, again.runs[0].action) == ("per_minute", "full")
    assert rows(lake, "SELECT sum(n) FROM per_minute") == [(2,)]


def test_a_model_that_changes_kind_is_rebuilt_as_the_new_kind(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    ingest_minutes(lake, write_records, "a.json", [0])
    refresh(lake, folder=models)
    path = models / "totals.sql"
    path.write_text(path.read_text().replace("kind: table", "kind: view"))
    again = refresh(lake, folder=models)
    assert [r.action for r in again.runs] == ["skip", "rebuild"]
    assert rows(lake, "SELECT table_type FROM information_schema.tables "
                "WHERE table_name = 'totals'") == [("VIEW",)]  # fmt: skip


def test_unchanged_model_files_are_not_parsed_again(
    lake: Lake, write_records: WriteFile, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctlake.models.project as project

    ingest_minutes(lake, write_records, "a.json", [0])
    refresh(lake, folder=models)

    def no_parsing(path: Path, sql: str) -> set[str]:
        raise AssertionError(f"{path.name} parsed again")

    monkeypatch.setattr(project, "referenced_tables", no_parsing)
    ingest_minutes(lake, write_records, "b.json", [5])
    assert [r.action for r in refresh(lake, folder=models).runs] == ["incremental", "rebuild"]
    (models / "totals.sql").write_text((models / "totals.sql").read_text() + "\n")
    with pytest.raises(AssertionError, match=r"totals\.sql parsed again"):
        refresh(lake, folder=models)


def test_an_incremental_refresh_leaves_its_changes_in_the_log_and_a_full_one_checkpoints(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    wal = lake.catalog_path.with_name(lake.catalog_path.name + ".wal")
    ingest_minutes(lake, write_records, "a.json", [0, 1])
    refresh(lake, folder=models)
    assert not wal.exists()
    ingest_minutes(lake, write_records, "b.json", [2])
    refresh(lake, folder=models)
    assert wal.exists()  # committed: any reader sees it
    assert rows(lake, "SELECT sum(n) FROM totals") == [(3,)]
    refresh(lake, folder=models, full=True)
    assert not wal.exists()
    assert rows(lake, "SELECT sum(n) FROM totals") == [(3,)]
