"""Keyed models: only the keys whose inputs changed are recomputed, and the table always
equals a full build (new keys, changed keys, keys gone, keys whose time is long past)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import ctlake.models.keyed as keyed
from ctlake.errors import BadInputError
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from ctlake.models import refresh
from ctlake.models.project import load_project
from tests.conftest import WriteFile, make_record
from tests.models.test_runner import write_model

NOON = datetime(2024, 5, 1, 12, 0)

# A name is a key once it has calls in 2 to 3 distinct minutes; its window is the two
# minutes from its first call. A fourth minute makes the key disappear; a second minute
# long after the first makes a key appear whose window ended long before the new data.
WINDOWS = """
SELECT
    eventName AS name,
    min(minute) AS window_start,
    min(minute) + INTERVAL '2' MINUTE AS window_end
FROM per_minute
GROUP BY 1
HAVING count(*) BETWEEN 2 AND 3
"""

PER_KEY = """
SELECT w.name, e.userAgent AS agent, CAST(count(*) AS BIGINT) AS calls
FROM windows AS w
INNER JOIN events AS e
    ON e.eventName = w.name AND e.eventTime >= w.window_start AND e.eventTime < w.window_end
GROUP BY 1, 2
"""


@pytest.fixture
def models(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    write_model(
        folder,
        "per_minute",
        "kind: incremental\ntime_column: minute\ngrain: [minute, eventName]\ndescription: x",
        "SELECT date_trunc('minute', eventTime) AS minute, eventName, "
        "CAST(count(*) AS BIGINT) AS n FROM events "
        "WHERE eventTime >= {{ start }} AND eventTime < {{ end }} GROUP BY 1, 2",
    )
    write_model(folder, "windows", "kind: table\ngrain: [name]\ndescription: x", WINDOWS)
    write_model(
        folder,
        "per_key",
        "kind: keyed\nkey: [name]\nkeys_from: windows\nkey_time: window_end\n"
        "grain: [name, agent]\ndescription: x",
        PER_KEY,
    )
    return folder


def calls(lake: Lake, write_records: WriteFile, file: str, *spec: tuple[str, int, str]) -> None:
    """Ingest one call per (eventName, seconds after 12:00, userAgent)."""
    records = [
        make_record(
            i,
            eventName=name,
            userAgent=agent,
            eventID=f"{file}-{i}",
            eventTime=(NOON + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        for i, (name, seconds, agent) in enumerate(spec)
    ]
    ingest(lake, [str(write_records(file, records))])


def table(lake: Lake, name: str) -> list[tuple[Any, ...]]:
    con = reader.connect(lake)
    try:
        return con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
    finally:
        con.close()


def inserted_keys(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many rows each keyed INSERT writes."""
    counts: list[int] = []
    real = keyed.insert_checked

    def spy(con: Any, model: Any, rows_sql: str, params: Any = None, **kwargs: Any) -> int:
        rows = real(con, model, rows_sql, params, **kwargs)
        if model.name == "per_key":
            counts.append(rows)
        return rows

    monkeypatch.setattr(keyed, "insert_checked", spy)
    return counts


def test_a_keyed_model_recomputes_only_new_changed_and_recent_keys(
    lake: Lake, write_records: WriteFile, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls(lake, write_records, "a.json", ("Old", 0, "a"), ("Old", 60, "a"), ("Late", 0, "a"))
    calls(lake, write_records, "b.json", ("Gone", 600, "a"), ("Gone", 660, "b"))
    assert [r.action for r in refresh(lake, folder=models).runs] == ["full", "rebuild", "full"]
    assert [r[0] for r in table(lake, "per_key")] == ["Gone", "Gone", "Old"]
    counts = inserted_keys(monkeypatch)
    # Late gets its second minute an hour after its window ended: a new key with an old time;
    # Gone gets a 3rd and 4th minute and leaves the keys; Old is untouched and not rebuilt.
    calls(
        lake,
        write_records,
        "c.json",
        ("Late", 3600, "z"),
        ("Gone", 720, "c"),
        ("Gone", 780, "c"),
    )
    run = refresh(lake, folder=models).runs[-1]
    assert (run.action, run.start.strftime("%H:%M")) == ("incremental", "12:12")
    assert counts == [1]  # only Late's one row: Old was not recomputed
    incremental = table(lake, "per_key")
    assert incremental == [("Late", "a", 1), ("Old", "a", 2)]
    assert run.rows == 2
    refresh(lake, folder=models, full=True)
    assert table(lake, "per_key") == incremental


def test_a_key_whose_window_reaches_the_new_data_is_recomputed(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    calls(lake, write_records, "a.json", ("Busy", 0, "a"), ("Busy", 60, "a"))
    refresh(lake, folder=models)
    calls(lake, write_records, "b.json", ("Busy", 90, "late"))  # inside its window
    refresh(lake, folder=models)
    assert table(lake, "per_key") == [("Busy", "a", 2), ("Busy", "late", 1)]


def test_with_no_key_in_scope_the_keyed_sql_does_not_run(
    lake: Lake, write_records: WriteFile, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls(lake, write_records, "a.json", ("Old", 0, "a"), ("Old", 60, "a"), ("Other", 600, "a"))
    refresh(lake, folder=models)
    counts = inserted_keys(monkeypatch)
    calls(lake, write_records, "b.json", ("Third", 3000, "a"))  # 12:50, after the 12:11 mark
    run = refresh(lake, folder=models).runs[-1]
    assert (run.action, run.start.strftime("%H:%M"), run.rows) == ("incremental", "12:11", 1)
    assert counts == []


def test_a_key_that_leaves_with_no_key_in_scope_loses_its_rows(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    calls(lake, write_records, "a.json", ("Gone", 0, "a"), ("Gone", 60, "a"), ("Kept", 0, "a"))
    calls(lake, write_records, "b.json", ("Kept", 60, "a"), ("Single", 300, "a"))
    refresh(lake, folder=models)  # high-water mark 12:06: no window reaches it
    assert [r[0] for r in table(lake, "per_key")] == ["Gone", "Kept"]
    calls(lake, write_records, "c.json", ("Gone", 600, "b"), ("Gone", 660, "b"))  # 4 minutes
    run = refresh(lake, folder=models).runs[-1]
    assert (run.action, run.rows) == ("incremental", 1)
    assert table(lake, "per_key") == [("Kept", "a", 2)]
    refresh(lake, folder=models, full=True)
    assert table(lake, "per_key") == [("Kept", "a", 2)]


def test_keyed_needs_key_keys_from_and_key_time(tmp_path: Path) -> None:
    write_model(tmp_path, "k", "kind: keyed\nkey: [a]\nkeys_from: k2\ndescription: x", "SELECT 1")
    write_model(tmp_path, "k2", "kind: table\ndescription: x", "SELECT 1 AS a")
    with pytest.raises(BadInputError, match="'key_time' is required for keyed"):
        load_project(tmp_path, {})


def test_keys_from_must_name_a_model_and_becomes_a_dependency(tmp_path: Path) -> None:
    header = "kind: keyed\nkey: [a]\nkeys_from: {}\nkey_time: t\ndescription: x"
    write_model(tmp_path, "k", header.format("nope"), "SELECT 1 AS a")
    with pytest.raises(BadInputError, match="keys_from names 'nope', which is not a model"):
        load_project(tmp_path, {})
    write_model(tmp_path, "k", header.format("src"), "SELECT 1 AS a")
    write_model(tmp_path, "src", "kind: table\ndescription: x", "SELECT 1 AS a")
    assert [m.name for m in load_project(tmp_path, {})] == ["src", "k"]


def test_key_headers_belong_to_keyed_models_only(tmp_path: Path) -> None:
    write_model(tmp_path, "t", "kind: table\nkey: [a]\ndescription: x", "SELECT 1 AS a")
    with pytest.raises(BadInputError, match="'key' is only for kind keyed"):
        load_project(tmp_path, {})


def test_a_keyed_model_failing_on_new_keys_names_its_file_and_changes_nothing(
    lake: Lake, write_records: WriteFile, models: Path
) -> None:
    path = models / "per_key.sql"
    failing = "CAST(CASE WHEN w.name = 'Bad' THEN 'x' ELSE '0' END AS INTEGER) + count(*)"
    path.write_text(path.read_text().replace("count(*)", failing))
    calls(lake, write_records, "a.json", ("Old", 0, "a"), ("Old", 60, "a"))
    refresh(lake, folder=models)
    before = table(lake, "per_key")
    calls(lake, write_records, "b.json", ("Bad", 0, "a"), ("Bad", 60, "b"))
    with pytest.raises(BadInputError, match=r"per_key\.sql: model per_key failed: Conversion"):
        refresh(lake, folder=models)
    assert table(lake, "per_key") == before
    con = reader.connect(lake)
    try:
        assert con.execute("SELECT count(*) FROM model_keys").fetchall() == [(1,)]
    finally:
        con.close()
