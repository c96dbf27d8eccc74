"""A command writing its result to `-o FILE` says so in one stderr line (rows and file),
even with --quiet; stdout stays empty."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

from ctlake.cli.app import app
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import make_record

ROOT = Path(__file__).resolve().parents[2]
RULE = ROOT / "data" / "contributor-rules" / "top-api-calls-except-assumerole.json"


@pytest.fixture(scope="module")
def small_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """Five CreateUser events, one record quarantined."""
    folder = tmp_path_factory.mktemp("written")
    records = [make_record(n) for n in range(5)] + [{"eventName": "no id"}]
    (folder / "a.json").write_bytes(orjson.dumps({"Records": records}))
    lake = Lake(folder / "lake")
    ingest(lake, [str(folder / "a.json")])
    return lake


def ctlake(lake: Lake, *args: str) -> Result:
    return CliRunner().invoke(app, ["--quiet", "--lake", str(lake.root), *args])


@pytest.mark.parametrize(
    ("command", "args", "rows"),
    [
        ("query", ["query", "run", "top-api-calls", "-p", "until=2024-05-02"], 1),
        ("sql", ["sql", "-c", "SELECT * FROM events"], 5),
        ("models", ["models"], 11),
        ("quarantine", ["quarantine", "list"], 1),
        ("contributors", ["contributors", str(RULE)], 1),
    ],
)
def test_writing_to_a_file_says_how_many_rows_and_where(
    small_lake: Lake, tmp_path: Path, command: str, args: list[str], rows: int
) -> None:
    target = tmp_path / "out.csv"
    result = ctlake(small_lake, *args, "-f", "csv", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"{command}: wrote {rows} row{'' if rows == 1 else 's'} to {target}"
    )
    assert len(target.read_text().splitlines()) == rows + 1  # the header


def test_cost_says_it_wrote_its_table_then_the_totals(small_lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "cost.csv"
    result = ctlake(small_lake, "cost", "-f", "csv", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert len(target.read_text().splitlines()) == 2  # the header, May 2024
    said = result.stderr.splitlines()
    assert said[0] == f"cost: wrote 1 row to {target}"
    assert said[1].startswith("2024-05: 5 events would cost $")


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("sql", ["sql", "-c", "SELECT eventName FROM events LIMIT 2"]),
        ("query", ["query", "run", "top-api-calls", "-p", "until=2024-05-02", "-p", "limit=2"]),
    ],
)
def test_a_table_goes_to_the_file_not_the_screen(
    small_lake: Lake, tmp_path: Path, command: str, args: list[str]
) -> None:
    target = tmp_path / "out.txt"
    result = ctlake(small_lake, *args, "-o", str(target))
    assert result.stdout == ""
    rows = 2 if command == "sql" else 1
    assert result.stderr == f"{command}: wrote {rows} row{'s' * (rows > 1)} to {target}\n"
    assert target.read_text().count("CreateUser") == rows


def test_to_stdout_nothing_more_is_said(small_lake: Lake) -> None:
    result = ctlake(small_lake, "sql", "-c", "SELECT 1 AS a", "-f", "csv")
    assert (result.stdout, result.stderr) == ("a\n1\n", "")
