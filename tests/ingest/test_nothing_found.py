"""Ingest says what it found when it finds nothing CloudTrail: files passed over by
extension, a wrong folder an error (exit 3), an empty source of a scheduled run a warning."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from ctlake.batch import run_batch
from ctlake.cli.app import app
from ctlake.config import load
from ctlake.errors import BadInputError, ExitCode
from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import WriteFile, make_record

READS = "ingest reads *.json, *.jsonl, *.ndjson and *.gz"


def ctlake(lake: Lake, *args: str) -> Result:
    return CliRunner().invoke(app, ["--lake", str(lake.root), *args])


def other_files(folder: Path) -> Path:
    """A folder of notes and spreadsheets, hidden files beside them."""
    for name in ("a.txt", "b.txt", "sub/c.csv", "README", ".DS_Store", ".git/objects/x"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("not CloudTrail")
    return folder


def test_a_folder_without_cloudtrail_files_is_an_error_naming_what_it_holds(
    lake: Lake, tmp_path: Path
) -> None:
    folder = other_files(tmp_path / "docs")
    result = ctlake(lake, "ingest", str(folder))
    assert isinstance(result.exception, BadInputError)
    assert result.exception.exit_code == ExitCode.BAD_INPUT
    assert str(result.exception) == (
        f"no CloudTrail files under {folder} "
        f"(4 other files passed over: 2 .txt, 1 .csv, 1 without extension); {READS}"
    )
    assert not lake.root.exists()  # refused before the lake is touched


def test_an_empty_folder_or_only_digests_say_so(lake: Lake, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    digest = tmp_path / "AWSLogs" / "1" / "CloudTrail-Digest" / "d.json.gz"
    digest.parent.mkdir(parents=True)
    digest.write_bytes(b"")
    result = ctlake(lake, "ingest", str(empty), str(tmp_path / "AWSLogs"))
    assert str(result.exception) == (
        f"no CloudTrail files under {empty} (the folder is empty); "
        f"no CloudTrail files under {tmp_path / 'AWSLogs'} (1 digest file skipped)"
    )


def test_a_path_without_cloudtrail_files_beside_others_is_a_warning(
    lake: Lake, tmp_path: Path, write_records: WriteFile
) -> None:
    trail = write_records("a.json", [make_record(1)]).parent
    empty = tmp_path / "empty"
    empty.mkdir()
    result = ctlake(lake, "ingest", str(trail), str(empty))
    assert result.exit_code == 0, result.stderr
    warning, summary = result.stderr.splitlines()
    assert warning == f"warning: no CloudTrail files under {empty} (the folder is empty)"
    assert summary.startswith("ingest: files read 1, skipped 0")


def test_nothing_new_is_no_error(lake: Lake, write_records: WriteFile) -> None:
    trail = write_records("a.json", [make_record(1)]).parent
    assert ctlake(lake, "ingest", str(trail)).exit_code == 0
    again = ctlake(lake, "ingest", str(trail))
    assert again.exit_code == 0, again.stderr
    assert again.stderr.startswith("ingest: files read 0, skipped 1 (already ingested)")


def test_the_summary_counts_the_files_passed_over_by_extension(
    lake: Lake, tmp_path: Path, write_records: WriteFile
) -> None:
    folder = write_records("a.json", [make_record(1)]).parent
    other_files(folder)
    summary = ingest(lake, [str(folder)])
    assert summary.line() == (
        "files read 1, skipped 0 (already ingested), quarantined 0; digest files skipped 0; "
        "other files passed over 4 (2 .txt, 1 .csv, 1 without extension); "
        "records in 1 = stored 1 + duplicates 0 + quarantined 0"
    )


def test_many_kinds_passed_over_name_the_commonest(lake: Lake, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for n, ext in enumerate(["a", "b", "c", "d", "e", "f", "g"]):
        for i in range(7 - n):
            (folder / f"{i}.{ext}").write_text("")
    result = ctlake(lake, "ingest", str(folder))
    assert str(result.exception).startswith(
        f"no CloudTrail files under {folder} (28 other files passed over: "
        "7 .a, 6 .b, 5 .c, 4 .d, 3 .e, 3 of other kinds); "
    )


def test_a_scheduled_run_warns_of_an_empty_source_and_does_not_fail(
    lake: Lake, tmp_path: Path, write_records: WriteFile
) -> None:
    trail = write_records("a.json", [make_record(1)]).parent
    empty = tmp_path / "mount"
    empty.mkdir()
    lake.root.mkdir()
    (lake.root / "ctlake.toml").write_text(
        f'[sources]\npaths = ["{trail}", "{empty}", "{tmp_path}/later/*.json"]\n'
    )
    summary = run_batch(lake, load(lake.root))
    assert summary.exit_code == ExitCode.OK
    assert summary.warnings == [
        f"source {tmp_path}/later/*.json matches no file yet",
        f"no CloudTrail files under {empty} (the folder is empty)",
    ]
    again = ctlake(lake, "run")
    assert again.exit_code == ExitCode.OK, again.stderr
    lines = again.stderr.splitlines()
    assert f"warning: no CloudTrail files under {empty} (the folder is empty)" in lines
    assert lines[-1].startswith("run 2: 0 new files")
