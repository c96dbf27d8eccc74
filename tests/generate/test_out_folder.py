"""`ctlake generate OUT` never mixes two trails: a non-empty OUT is refused, and --force
replaces only the trail a previous generate wrote there."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from ctlake.cli.app import app
from ctlake.errors import BadInputError, ExitCode

SMALL = ["--days", "2", "--scale", "0.02", "--no-broken"]


def generate(out: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["generate", str(out), *SMALL, *args])


def accounts(out: Path) -> list[str]:
    labels = json.loads((out / "labels.json").read_text())
    return [account["accountId"] for account in labels["accounts"]]


def test_a_non_empty_folder_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = generate(tmp_path)
    assert isinstance(result.exception, BadInputError)
    assert result.exception.exit_code == ExitCode.BAD_INPUT
    assert str(result.exception) == (
        f"generate: {tmp_path} is not empty: give a new or empty folder, or --force to "
        "replace the trail a previous generate wrote there"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_force_replaces_the_previous_trail_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "trail"
    assert generate(out, "--seed", "1").exit_code == 0
    [old] = accounts(out)
    (out / "notes.txt").write_text("mine")
    kept = out / "AWSLogs" / "999999999999" / "CloudTrail" / "real.json"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}")

    assert isinstance(generate(out, "--seed", "2").exception, BadInputError)
    result = generate(out, "--seed", "2", "--force")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        f"generate: --force: removed the previous trail in {out} (AWSLogs/{old}, labels.json)"
    )
    [new] = accounts(out)
    assert new != old
    assert sorted(p.name for p in (out / "AWSLogs").iterdir()) == sorted([new, "999999999999"])
    assert kept.read_text() == "{}" and (out / "notes.txt").read_text() == "mine"


def test_force_refuses_to_overwrite_a_labels_file_generate_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "labels.json").write_text('{"cats": ["tabby"]}')
    result = generate(tmp_path, "--force")
    assert str(result.exception) == (
        f"generate: {tmp_path / 'labels.json'} was not written by generate and would be "
        "overwritten: move it, or give another folder"
    )
    assert (tmp_path / "labels.json").read_text() == '{"cats": ["tabby"]}'


def test_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("")
    result = generate(tmp_path / "x")
    assert str(result.exception) == f"{tmp_path / 'x'} is a file, not a folder"
