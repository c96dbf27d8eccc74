"""Completion offers keywords, tables, columns, dot-commands and saved-query names;
the history file lives where XDG says."""

from __future__ import annotations

from pathlib import Path

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from ctlake.lake import Lake, reader
from ctlake.shell.completion import ShellCompleter, Vocabulary
from ctlake.shell.repl import history_path


def complete(completer: ShellCompleter, text: str) -> list[str]:
    found = completer.get_completions(Document(text), CompleteEvent(completion_requested=True))
    return [c.text for c in found]


def completer(lake: Lake) -> ShellCompleter:
    con = reader.connect(lake)
    try:
        return ShellCompleter(Vocabulary.load(con, lambda: ["daily-errors", "denied"]))
    finally:
        con.close()


def test_sql_words_complete_to_tables_columns_and_keywords(small_lake: Lake) -> None:
    shell = completer(small_lake)
    assert complete(shell, "SELECT * FROM eve")[0] == "events"
    assert "eventName" in complete(shell, "SELECT eventN")
    assert "SELECT" in complete(shell, "sel")
    assert "json_extract_string" in complete(shell, "SELECT json_extract_s")


def test_table_dot_completes_that_tables_columns(small_lake: Lake) -> None:
    assert "events.userIdentity" in complete(completer(small_lake), "SELECT events.userI")


def test_dot_commands_and_their_arguments_complete(small_lake: Lake) -> None:
    shell = completer(small_lake)
    assert complete(shell, ".ti") == [".timer"]
    assert complete(shell, ".mode j") == ["json", "jsonl"]
    assert complete(shell, ".run d") == ["daily-errors", "denied"]
    assert complete(shell, ".schema qua") == ["quarantine"]


def test_history_lives_in_the_xdg_state_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", "/x/state")
    assert history_path() == Path("/x/state/ctlake/history")
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", "/home/u")
    assert history_path() == Path("/home/u/.local/state/ctlake/history")
