"""`ctlake demo --dir DIR` never mixes a second trail into a folder that holds one."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ctlake.cli.app import app
from ctlake.errors import BadInputError


def test_demo_into_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "trail").mkdir()
    (tmp_path / "notes.txt").write_text("keep me")
    result = CliRunner().invoke(app, ["demo", "--dir", str(tmp_path)])
    assert isinstance(result.exception, BadInputError)  # exit 3 at the CLI's boundary
    assert f"demo: {tmp_path} is not empty" in str(result.exception)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "trail"]


def test_demo_into_a_file_names_it(tmp_path: Path) -> None:
    target = tmp_path / "x"
    target.write_text("")
    result = CliRunner().invoke(app, ["demo", "--dir", str(target)])
    assert isinstance(result.exception, BadInputError)  # exit 3 at the CLI's boundary
    assert str(result.exception) == f"{target} is a file, not a folder"
