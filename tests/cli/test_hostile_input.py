"""Every command fed what users get wrong: missing and odd paths, a file where a folder is
expected and the reverse, unreadable and empty files, a full disk, a closed stdout. Each
ends with one line on stderr, no traceback, and a documented exit code (README)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from ctlake.errors import ExitCode
from ctlake.ingest.sources import SourceFile
from ctlake.lake import Lake
from tests.cli.conftest import Cli, Ran, ctlake_process
from tests.conftest import WriteFile
from tests.insights.conftest import CALL

RULE = Path(__file__).resolve().parents[2] / "data" / "contributor-rules" / "access-denied.json"
FULL = Path("/dev/full")  # every write fails with ENOSPC: a full disk
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="no /dev/full to fill")

LAKE_COMMANDS = [
    ["ingest", "-"],
    ["sql", "-c", "SELECT 1"],
    ["query", "run", "access-denied"],
    ["insights", "list"],
    ["insights", "show", "x"],
    ["insights", "export", "out"],
    ["quarantine", "list"],
    ["quarantine", "show", "1"],
    ["refresh"],
    ["models"],
    ["cost"],
    ["contributors", str(RULE)],
    ["status"],
    ["run"],
    ["schedule", "--print", "cron"],
    ["config", "init"],
    ["config", "show"],
]


def one_line(ran: Ran, code: int, message: str) -> None:
    """The run failed with `code`, printing `error: MESSAGE` and nothing else."""
    assert (ran.code, ran.err, ran.out) == (code, f"error: {message}\n", "")


# -- the lake path ---------------------------------------------------------------------


@pytest.mark.parametrize("args", LAKE_COMMANDS, ids=" ".join)
def test_each_command_given_a_file_as_the_lake_says_so_and_exits_4(
    cli: Cli, tmp_path: Path, args: list[str]
) -> None:
    lake = tmp_path / "notes.txt"
    lake.write_text("not a lake")
    one_line(
        cli("--lake", lake, *args),
        ExitCode.LAKE,
        f"{lake} is a file, not a lake folder: point --lake / $CTLAKE_LAKE at a folder",
    )
    assert lake.read_text() == "not a lake"


def test_a_lake_path_below_a_file_names_the_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("")
    lake = tmp_path / "notes.txt" / "lake"
    one_line(
        cli("ingest", "-", "--lake", lake),
        ExitCode.LAKE,
        f"{tmp_path / 'notes.txt'} is a file, not a lake folder (so {lake} cannot be made): "
        "point --lake / $CTLAKE_LAKE at a folder",
    )


def test_ctlake_lake_naming_a_file_is_the_same_error(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "notes.txt").write_text("")
    monkeypatch.setenv("CTLAKE_LAKE", str(tmp_path / "notes.txt"))
    ran = cli("sql", "-c", "SELECT 1")
    assert ran.code == ExitCode.LAKE
    assert ran.err.startswith(f"error: {tmp_path / 'notes.txt'} is a file, not a lake folder")


def test_commands_that_never_open_the_lake_ignore_a_lake_path_that_is_a_file(
    cli: Cli, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("")
    ran = cli("--lake", tmp_path / "notes.txt", "query", "list")
    assert ran.code == ExitCode.OK
    assert "access-denied" in ran.out


def test_a_lake_whose_catalog_is_a_folder_is_a_damaged_lake(cli: Cli, tmp_path: Path) -> None:
    catalog = tmp_path / "lake" / "catalog.duckdb"
    catalog.mkdir(parents=True)
    one_line(
        cli("--lake", tmp_path / "lake", "sql", "-c", "SELECT 1"),
        ExitCode.LAKE,
        f"{catalog} is a folder, not the lake's catalog file",
    )


def test_a_lake_whose_catalog_is_not_a_database_is_a_damaged_lake(cli: Cli, tmp_path: Path) -> None:
    catalog = tmp_path / "lake" / "catalog.duckdb"
    catalog.parent.mkdir()
    catalog.write_text("not a database")
    ran = cli("--lake", tmp_path / "lake", "status")
    assert ran.code == ExitCode.LAKE
    assert ran.err.startswith(f"error: cannot open the catalog {catalog}: ")
    assert ran.err.count("\n") == 1


# -- ingest ----------------------------------------------------------------------------


def test_ingest_of_an_empty_file_sets_it_aside_and_exits_6(
    cli: Cli, write_records: WriteFile, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    ran = cli("--lake", tmp_path / "lake", "ingest", empty)
    assert ran.code == ExitCode.PARTIAL
    assert "quarantined 1" in ran.err.splitlines()[0]
    assert "Traceback" not in ran.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_ingest_of_an_unreadable_file_names_it_and_exits_3(cli: Cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"Records": []}')
    secret.chmod(0)
    one_line(
        cli("--lake", tmp_path / "lake", "ingest", secret),
        ExitCode.BAD_INPUT,
        f"{secret}: Permission denied",
    )


def test_ingest_of_a_file_the_system_refuses_to_read_names_it_and_exits_3(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a chmod 000 file does for a user other than root, simulated where the file is
    read, for the tests that run as root."""
    secret = tmp_path / "secret.json"
    secret.write_text('{"Records": []}')

    def refuse(source: SourceFile) -> bytes:
        raise PermissionError(13, "Permission denied", source.name)

    monkeypatch.setattr(SourceFile, "read", refuse)
    one_line(
        cli("--lake", tmp_path / "lake", "ingest", secret),
        ExitCode.BAD_INPUT,
        f"{secret}: Permission denied",
    )


# -- sql and query run: statements in, results out -------------------------------------


def test_sql_of_a_missing_file_names_it(cli: Cli, cli_lake: Lake, tmp_path: Path) -> None:
    missing = tmp_path / "nope.sql"
    one_line(
        cli("--lake", cli_lake.root, "sql", missing),
        ExitCode.BAD_INPUT,
        f"cannot read {missing}: No such file or directory",
    )


def test_sql_of_a_folder_instead_of_a_file_names_it(
    cli: Cli, cli_lake: Lake, tmp_path: Path
) -> None:
    one_line(
        cli("--lake", cli_lake.root, "sql", tmp_path),
        ExitCode.BAD_INPUT,
        f"cannot read {tmp_path}: Is a directory",
    )


def test_sql_output_into_a_folder_names_it(cli: Cli, cli_lake: Lake, tmp_path: Path) -> None:
    ran = cli("--lake", cli_lake.root, "sql", "-c", "SELECT 1", "-f", "csv", "-o", tmp_path)
    one_line(ran, ExitCode.BAD_INPUT, f"cannot write {tmp_path}: Is a directory")


@needs_dev_full
@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_sql_output_to_a_full_disk_says_so(cli: Cli, cli_lake: Lake, fmt: str) -> None:
    ran = cli("--lake", cli_lake.root, "sql", "-c", "SELECT 1", "-f", fmt, "-o", FULL)
    one_line(
        ran, ExitCode.BAD_INPUT, "-c: statement 1: cannot write /dev/full: No space left on device"
    )


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_query_run_output_into_a_folder_names_it(
    cli: Cli, cli_lake: Lake, tmp_path: Path, fmt: str
) -> None:
    ran = cli("--lake", cli_lake.root, "query", "run", "access-denied", "-f", fmt, "-o", tmp_path)
    one_line(ran, ExitCode.BAD_INPUT, f"{tmp_path} is a folder, not a file")


@needs_dev_full
def test_query_run_output_to_a_full_disk_says_so(cli: Cli, cli_lake: Lake) -> None:
    ran = cli("--lake", cli_lake.root, "query", "run", "access-denied", "-f", "csv", "-o", FULL)
    one_line(
        ran,
        ExitCode.BAD_INPUT,
        'IO Error: Could not write file "/dev/full": No space left on device',
    )


def test_query_run_output_below_a_file_names_the_path(
    cli: Cli, cli_lake: Lake, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("")
    target = tmp_path / "notes.txt" / "out.csv"
    ran = cli("--lake", cli_lake.root, "query", "run", "access-denied", "-f", "csv", "-o", target)
    one_line(ran, ExitCode.BAD_INPUT, f'IO Error: Cannot open file "{target}": Not a directory')


# -- insights --------------------------------------------------------------------------


def test_insights_export_into_a_file_names_the_file(
    cli: Cli, cli_lake: Lake, tmp_path: Path
) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("keep me")
    ran = cli("--lake", cli_lake.root, "insights", "export", out)
    assert ran.code == ExitCode.BAD_INPUT
    assert ran.err.startswith(f"error: {out} is a file, not a folder (in the path {out}/")
    assert ran.err.count("\n") == 1
    assert out.read_text() == "keep me"


@needs_dev_full
@pytest.mark.parametrize("fmt", ["json", "jsonl", "table"])
def test_insights_list_to_a_full_disk_says_so(
    cli: Cli, cli_lake: Lake, tmp_path: Path, fmt: str
) -> None:
    """Through a link to /dev/full: were the file renamed over rather than written through,
    the link would be replaced, not the device."""
    full = tmp_path / "full"
    full.symlink_to(FULL)
    ran = cli("--lake", cli_lake.root, "insights", "list", "-f", fmt, "-o", full)
    one_line(ran, ExitCode.BAD_INPUT, f"cannot write {full}: No space left on device")
    assert full.is_symlink()


def test_insights_list_into_a_folder_names_it(cli: Cli, cli_lake: Lake, tmp_path: Path) -> None:
    ran = cli("--lake", cli_lake.root, "insights", "list", "-f", "json", "-o", tmp_path)
    one_line(ran, ExitCode.BAD_INPUT, f"{tmp_path} is a folder, not a file")


def test_insights_list_through_a_link_writes_the_target_and_keeps_the_link(
    cli: Cli, cli_lake: Lake, tmp_path: Path
) -> None:
    """As `-o /dev/stdout` must: a rename would replace the link itself."""
    target, link = tmp_path / "target.json", tmp_path / "link.json"
    target.write_text("")
    link.symlink_to(target)
    ran = cli("--lake", cli_lake.root, "insights", "list", "-f", "jsonl", "-o", link)
    assert ran.code == ExitCode.OK, ran.err
    assert link.is_symlink()
    assert CALL["shared"] in target.read_text()


def test_insights_show_of_an_unknown_id_is_one_line(cli: Cli, cli_lake: Lake) -> None:
    one_line(
        cli("--lake", cli_lake.root, "insights", "show", "no-such-id"),
        ExitCode.BAD_INPUT,
        "no insight with eventID or sharedEventID 'no-such-id'",
    )


def test_insights_show_png_into_a_folder_names_it(cli: Cli, cli_lake: Lake, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    ran = cli("--lake", cli_lake.root, "insights", "show", CALL["shared"], "--png", tmp_path)
    assert ran.code == ExitCode.BAD_INPUT
    assert ran.err == f"error: {tmp_path} is a folder, not a file\n"


# -- generate, contributors, config, quarantine ----------------------------------------


def test_generate_into_a_file_names_it(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("keep me")
    one_line(
        cli("generate", out, "--days", "2"), ExitCode.BAD_INPUT, f"{out} is a file, not a folder"
    )
    assert out.read_text() == "keep me"


def test_generate_below_a_file_names_the_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("")
    out = tmp_path / "notes.txt" / "trail"
    one_line(
        cli("generate", out, "--days", "2"),
        ExitCode.BAD_INPUT,
        f"{tmp_path / 'notes.txt'} is a file, not a folder (in the path {out})",
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "cannot read: No such file or directory"),
        ("", "not JSON: Input is a zero-length, empty document: line 1 column 1 (char 0)"),
        (
            "rule: yes",
            "not JSON: unexpected character, expected a JSON value: line 1 column 1 (char 0)",
        ),
    ],
    ids=["missing", "empty", "not JSON"],
)
def test_contributors_with_a_bad_rule_file_names_it(
    cli: Cli, cli_lake: Lake, tmp_path: Path, content: str | None, expected: str
) -> None:
    rule = tmp_path / "rule.json"
    if content is not None:
        rule.write_text(content)
    one_line(
        cli("--lake", cli_lake.root, "contributors", rule),
        ExitCode.BAD_INPUT,
        f"{rule}: {expected}",
    )


def test_contributors_with_a_folder_for_a_rule_names_it(
    cli: Cli, cli_lake: Lake, tmp_path: Path
) -> None:
    one_line(
        cli("--lake", cli_lake.root, "contributors", tmp_path),
        ExitCode.BAD_INPUT,
        f"{tmp_path}: cannot read: Is a directory",
    )


def test_quarantine_show_of_an_unknown_id_is_one_line(cli: Cli, cli_lake: Lake) -> None:
    one_line(
        cli("--lake", cli_lake.root, "quarantine", "show", "999"),
        ExitCode.BAD_INPUT,
        "no quarantined item 999: see `ctlake quarantine list`",
    )


def test_quarantine_show_of_an_id_that_is_not_a_number_is_a_usage_error(
    cli: Cli, cli_lake: Lake
) -> None:
    ran = cli("--lake", cli_lake.root, "quarantine", "show", "twelve")
    assert ran.code == ExitCode.USAGE
    assert "Traceback" not in ran.err


# -- stdout: closed by its reader, or on a full disk -----------------------------------


def closed_after_one_line(*args: object) -> tuple[int, bytes]:
    """Run `ctlake ARGS | head -1`: ctlake's exit code and stderr."""
    producer = ctlake_process(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert producer.stdout is not None
    head = subprocess.run(["head", "-1"], stdin=producer.stdout, capture_output=True, check=True)
    producer.stdout.close()  # as the shell does: only head holds the pipe's reading end
    _, err = producer.communicate(timeout=120)
    assert head.stdout.count(b"\n") == 1, err
    return producer.returncode, err


@pytest.mark.parametrize(
    "args",
    [
        ["sql", "-c", "SELECT * FROM range(100000)"],
        ["sql", "-c", "SELECT * FROM range(100000)", "-f", "csv"],
        [
            "query",
            "run",
            "iam-users-created",
            "-p",
            "until=2024-06-01",
            "-p",
            "days=90",
            "-f",
            "jsonl",
        ],
        ["insights", "list", "-f", "jsonl"],
        ["query", "list"],
    ],
    ids=" ".join,
)
def test_output_piped_into_head_ends_quietly(cli_lake: Lake, args: list[str]) -> None:
    code, err = closed_after_one_line("--lake", cli_lake.root, *args)
    assert err == b""
    assert code in (ExitCode.OK, ExitCode.STDOUT_CLOSED)


def test_a_large_output_into_a_closed_pipe_exits_141(cli_lake: Lake) -> None:
    """100,000 rows cannot fit in the pipe: the write fails, and ctlake ends as `cat` does."""
    producer = ctlake_process(
        "--lake", cli_lake.root, "sql", "-c", "SELECT * FROM range(100000)", "-f", "csv",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert producer.stdout is not None
    producer.stdout.close()
    _, err = producer.communicate(timeout=120)
    assert (producer.returncode, err) == (ExitCode.STDOUT_CLOSED, b"")
    assert ExitCode.STDOUT_CLOSED == 141


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [["query", "list"], ["sql", "-c", "SELECT * FROM range(1000)", "-f", "csv"]],
    ids=" ".join,
)
def test_stdout_on_a_full_disk_says_so_and_exits_3(cli_lake: Lake, args: list[str]) -> None:
    with FULL.open("wb") as full:
        process = ctlake_process(
            "--lake", cli_lake.root, *args, stdout=full, stderr=subprocess.PIPE
        )
        _, err = process.communicate(timeout=120)
    assert process.returncode == ExitCode.BAD_INPUT
    assert err == b"error: cannot write the output: No space left on device\n"
