"""`--engine`: the flag, then `[engine] name` in ctlake.toml, then DuckDB; Spark without its
runtime is one line saying what to install."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from ctlake.cli.common import AppState, Engine
from ctlake.errors import BadInputError, ExitCode
from ctlake.ingest import ingest
from ctlake.lake import Lake
from ctlake.spark import session
from tests.cli.conftest import Cli
from tests.conftest import make_record

MISSING = "--engine spark needs PySpark: pip install 'ctlake[spark]'"


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    source = tmp_path / "trail.json"
    source.write_bytes(orjson.dumps({"Records": [make_record(i * 15) for i in range(3)]}))
    lake = Lake(tmp_path / "lake")
    ingest(lake, [str(source)])
    return lake


def configure(lake: Lake, name: str) -> None:
    (lake.root / "ctlake.toml").write_text(f'[engine]\nname = "{name}"\n')


@pytest.fixture
def runtime_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "missing_runtime", lambda: None)


@pytest.fixture
def runtime_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "missing_runtime", lambda: MISSING)


def test_without_flag_or_config_the_engine_is_duckdb(lake: Lake) -> None:
    assert AppState(lake.root).engine(None) is Engine.DUCKDB


@pytest.mark.usefixtures("runtime_present")
def test_the_config_beats_the_default(lake: Lake) -> None:
    configure(lake, "spark")
    assert AppState(lake.root).engine(None) is Engine.SPARK


@pytest.mark.usefixtures("runtime_missing")
def test_the_flag_beats_the_config(lake: Lake) -> None:
    configure(lake, "spark")
    assert AppState(lake.root).engine(Engine.DUCKDB) is Engine.DUCKDB


@pytest.mark.usefixtures("runtime_present")
def test_a_spark_flag_beats_a_duckdb_config(lake: Lake) -> None:
    configure(lake, "duckdb")
    assert AppState(lake.root).engine(Engine.SPARK) is Engine.SPARK


@pytest.mark.usefixtures("runtime_missing")
def test_spark_without_its_runtime_is_an_error_saying_what_to_install(lake: Lake) -> None:
    configure(lake, "spark")
    with pytest.raises(BadInputError, match="needs PySpark"):
        AppState(lake.root).engine(None)


@pytest.mark.usefixtures("runtime_missing")
@pytest.mark.parametrize(
    "command",
    [
        ["sql", "-c", "SELECT 1"],
        ["query", "run", "iam-users-created"],
        ["refresh"],
        ["ingest", "-"],
    ],
)
def test_every_engine_command_reports_the_missing_runtime_in_one_line(
    cli: Cli, lake: Lake, command: list[str]
) -> None:
    ran = cli("--lake", lake.root, *command, "--engine", "spark")
    assert ran.code == ExitCode.BAD_INPUT
    assert ran.err == f"error: {MISSING}\n"
    assert ran.out == ""


@pytest.mark.usefixtures("runtime_missing")
def test_a_duckdb_flag_runs_on_duckdb_whatever_the_config(cli: Cli, lake: Lake) -> None:
    configure(lake, "spark")
    ran = cli(
        "--lake", lake.root, "sql", "--engine", "duckdb", "-f", "csv", "-c", "SELECT 41 + 1 AS n"
    )
    assert (ran.code, ran.out) == (0, "n\n42\n")


def test_an_unknown_engine_is_a_usage_error(cli: Cli, lake: Lake) -> None:
    ran = cli("--lake", lake.root, "sql", "--engine", "oracle", "-c", "SELECT 1")
    assert ran.code == ExitCode.USAGE
    assert "oracle" in ran.err
