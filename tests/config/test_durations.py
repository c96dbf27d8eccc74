"""One duration syntax everywhere (`30s`, `5m`, `2h`, `7d`, `2w`); model headers' old
spellings still read, with one deprecation line naming the file, the key and the new one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from ctlake.config import load
from ctlake.durations import format_duration, parse_duration, parse_duration_or_old
from ctlake.errors import BadInputError
from ctlake.models.header import parse_header

HEADER = "/*\nkind: incremental\ntime_column: minute\nlookback: {}\ndescription: M.\n*/\nSELECT 1"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30s", timedelta(seconds=30)),
        ("5m", timedelta(minutes=5)),
        ("2h", timedelta(hours=2)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        (" 10 m ", timedelta(minutes=10)),
    ],
)
def test_the_one_syntax_reads_every_unit(text: str, expected: timedelta) -> None:
    assert parse_duration(text, "x") == expected
    assert parse_duration(format_duration(expected), "x") == expected


@pytest.mark.parametrize("text", ["2w", "45s", "90m"])
def test_schedule_and_reports_take_the_one_syntax(tmp_path: Path, text: str) -> None:
    (tmp_path / "ctlake.toml").write_text(
        f'[schedule]\nevery = "{text}"\n[[reports.query]]\nquery = "q"\nevery = "{text}"\n'
    )
    config = load(tmp_path)
    assert config.schedule.every == config.reports.queries[0].every == parse_duration(text, "x")


def test_an_old_spelling_in_ctlake_toml_is_an_error_that_gives_the_new_one(
    tmp_path: Path,
) -> None:
    """ctlake.toml never took `5 minutes`: no file can hold it, so it stays an error."""
    (tmp_path / "ctlake.toml").write_text('[schedule]\nevery = "5 minutes"\n')
    with pytest.raises(BadInputError) as error:
        load(tmp_path)
    assert str(error.value) == (
        f"{tmp_path / 'ctlake.toml'}: schedule.every: expected a duration such as 30s, 5m, "
        "2h, 7d or 2w, got '5 minutes' (write 5m)"
    )


@pytest.mark.parametrize(
    ("old", "new", "minutes"),
    [("30 minutes", "30m", 30), ("1 hour", "1h", 60), ("8 days", "8d", 11520), ("5", "5m", 5)],
)
def test_an_old_lookback_still_reads_with_one_deprecation_line(
    capsys: pytest.CaptureFixture[str], old: str, new: str, minutes: int
) -> None:
    path = Path(f"sql/old_{minutes}.sql")
    header = parse_header(path, HEADER.format(old))
    assert header.lookback == timedelta(minutes=minutes)
    parse_header(path, HEADER.format(old))  # read again: the line is not repeated
    shown = old if old != "5" else 5
    assert capsys.readouterr().err == (
        f"warning: {path}: header key 'lookback': {shown!r} is deprecated, write {new}\n"
    )


def test_a_new_lookback_reads_silently(capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_header(Path("m.sql"), HEADER.format("0m")).lookback == timedelta(0)
    assert parse_header(Path("m.sql"), HEADER.format("90m")).lookback == timedelta(minutes=90)
    assert capsys.readouterr().err == ""


def test_a_lookback_in_neither_spelling_is_an_error() -> None:
    with pytest.raises(BadInputError) as error:
        parse_header(Path("m.sql"), HEADER.format("soon"))
    assert str(error.value) == (
        "m.sql: header key 'lookback': expected a duration such as 30s, 5m, 2h, 7d or 2w, "
        "got 'soon'"
    )


def test_the_shipped_models_use_the_one_syntax() -> None:
    from ctlake.resources import bundled_dir

    for path in bundled_dir("sql").rglob("*.sql"):
        for line in path.read_text().splitlines():
            if line.startswith("lookback:"):
                parse_duration(line.split(":", 1)[1].strip(), f"{path}", zero=True)


def test_a_zero_duration_is_refused_where_it_cannot_work() -> None:
    with pytest.raises(BadInputError, match="--every: expected a duration"):
        parse_duration("0m", "--every")
    assert parse_duration_or_old("0m", "lookback", zero=True) == timedelta(0)
