"""Model files: headers are validated, dependencies parsed, order and cycles found."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from ctlake.config import InsightConfig
from ctlake.durations import parse_duration_or_old
from ctlake.errors import BadInputError
from ctlake.models.project import load_project
from ctlake.models.render import render

VALUES = InsightConfig().values


def write(folder: Path, name: str, header: str, sql: str) -> Path:
    path = folder / f"{name}.sql"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"/*\n{header}\n*/\n{sql}\n")
    return path


def test_an_unknown_header_key_is_an_error_naming_the_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "m", "kind: table\ndescription: x\ncolour: red", "SELECT 1 AS a")
    with pytest.raises(BadInputError, match=r"m\.sql: unknown header key 'colour'"):
        load_project(tmp_path, VALUES)
    assert path.exists()


def test_a_model_without_a_header_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "m.sql").write_text("SELECT 1 AS a")
    with pytest.raises(BadInputError, match="YAML header"):
        load_project(tmp_path, VALUES)


def test_an_incremental_model_needs_a_time_column(tmp_path: Path) -> None:
    write(tmp_path, "m", "kind: incremental\ndescription: x", "SELECT 1 AS a")
    with pytest.raises(BadInputError, match="'time_column' is required"):
        load_project(tmp_path, VALUES)


def test_an_unknown_kind_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "m", "kind: materialized\ndescription: x", "SELECT 1 AS a")
    with pytest.raises(BadInputError, match="'kind' must be one of"):
        load_project(tmp_path, VALUES)


def test_dependencies_come_from_the_sql_and_set_the_order(tmp_path: Path) -> None:
    write(tmp_path / "z", "first", "kind: table\ndescription: x", "SELECT 1 AS a")
    write(tmp_path / "a", "third", "kind: view\ndescription: x", "SELECT * FROM second")
    write(
        tmp_path / "m",
        "second",
        "kind: table\ndescription: x",
        "WITH first_rows AS (SELECT * FROM first) SELECT * FROM first_rows JOIN events USING (a)",
    )
    models = load_project(tmp_path, VALUES)
    assert [m.name for m in models] == ["first", "second", "third"]
    second = models[1]
    assert second.depends_on == ("first",)
    assert second.sources == ("events",)


def test_depends_on_adds_an_edge_parsing_cannot_see(tmp_path: Path) -> None:
    write(tmp_path, "b", "kind: table\ndescription: x\ndepends_on: [a]", "SELECT 2 AS b")
    write(tmp_path, "a", "kind: table\ndescription: x", "SELECT 1 AS a")
    assert [m.name for m in load_project(tmp_path, VALUES)] == ["a", "b"]


def test_depends_on_must_name_a_model(tmp_path: Path) -> None:
    write(tmp_path, "b", "kind: table\ndescription: x\ndepends_on: [nope]", "SELECT 2 AS b")
    with pytest.raises(BadInputError, match="'nope', which is not a model"):
        load_project(tmp_path, VALUES)


def test_a_cycle_is_reported_naming_the_models(tmp_path: Path) -> None:
    write(tmp_path, "a", "kind: view\ndescription: x", "SELECT * FROM b")
    write(tmp_path, "b", "kind: view\ndescription: x", "SELECT * FROM c")
    write(tmp_path, "c", "kind: view\ndescription: x", "SELECT * FROM a")
    with pytest.raises(BadInputError, match="cycle") as caught:
        load_project(tmp_path, VALUES)
    assert all(name in str(caught.value) for name in ("a", "b", "c"))


def test_two_models_with_one_name_are_an_error(tmp_path: Path) -> None:
    write(tmp_path / "x", "m", "kind: view\ndescription: x", "SELECT 1 AS a")
    write(tmp_path / "y", "m", "kind: view\ndescription: x", "SELECT 1 AS a")
    with pytest.raises(BadInputError, match="model name 'm' is also used"):
        load_project(tmp_path, VALUES)


def test_an_undefined_jinja_value_is_an_error_naming_the_file(tmp_path: Path) -> None:
    write(tmp_path, "m", "kind: view\ndescription: x", "SELECT {{ nope }} AS a")
    with pytest.raises(BadInputError, match=r"m\.sql: 'nope' is undefined"):
        load_project(tmp_path, VALUES)


def test_jinja_fills_the_window_as_timestamp_literals() -> None:
    sql = render(
        Path("m.sql"),
        "WHERE t >= {{ start }} AND t < {{ end }}",
        datetime(2024, 5, 1),
        datetime(2024, 5, 2, 3, 4),
        {},
    )
    assert sql == (
        "WHERE t >= CAST('2024-05-01 00:00:00' AS TIMESTAMP) "
        "AND t < CAST('2024-05-02 03:04:00' AS TIMESTAMP)"
    )


@pytest.mark.parametrize(
    ("text", "minutes"), [("0m", 0), ("30m", 30), ("1h", 60), ("8d", 11520), ("1w", 10080)]
)
def test_lookback_reads_minutes_hours_and_days(text: object, minutes: int) -> None:
    assert parse_duration_or_old(text, "lookback", zero=True).total_seconds() == minutes * 60


def test_a_malformed_lookback_is_an_error() -> None:
    with pytest.raises(BadInputError, match="lookback"):
        parse_duration_or_old("soon", "lookback")


def test_the_shipped_models_load_in_dependency_order() -> None:
    from ctlake.resources import bundled_dir

    names = [m.name for m in load_project(bundled_dir("sql"), VALUES)]
    for upstream, downstream in [
        ("minute_counts", "minute_baselines"),
        ("minute_baselines", "minute_flags"),
        ("minute_flags", "insight_periods"),
        ("insight_attributions", "insight_events"),
    ]:
        assert names.index(upstream) < names.index(downstream)


def test_the_shipped_models_transpile_to_spark_sql() -> None:
    """docs/models.md "Portability": the same models must run on Spark past one machine."""
    import sqlglot

    from ctlake.resources import bundled_dir

    for model in load_project(bundled_dir("sql"), VALUES):
        sql = render(model.path, model.text, datetime(2024, 5, 1), datetime(2024, 5, 2), VALUES)
        sqlglot.transpile(
            sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE
        )
