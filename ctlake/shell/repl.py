"""The interactive front end of `ctlake sql`: prompt_toolkit over a `Session`.

Enter runs the input once it is complete (a dot-command, or SQL ending with `;`), else it
starts a new line, so a statement can span lines and is recalled whole from the history
(`$XDG_STATE_HOME/ctlake/history`, default `~/.local/state/ctlake/history`). Ctrl-C at
the prompt clears the line; during a query it interrupts DuckDB (`con.interrupt()`), or
Spark's jobs, and returns to the prompt; Ctrl-D on an empty line leaves.

Queries run through `cancel.cancellable`, which turns Ctrl-C into `con.interrupt()` (and,
with `--engine spark`, into cancelling the statement's Spark jobs).
"""

from __future__ import annotations

import os
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

from ctlake.shell import seams
from ctlake.shell.cancel import cancellable
from ctlake.shell.completion import ShellCompleter, Vocabulary
from ctlake.shell.session import Session
from ctlake.shell.statements import is_complete

PROMPT = "ctlake> "
CONTINUATION = "   ...> "
BANNER = "ctlake SQL shell: statements end with ';', .help for commands, Ctrl-D to leave."


def history_path() -> Path:
    """Where the shell keeps its history (XDG base directory spec, "state" data)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "ctlake" / "history"


def run_repl(session: Session) -> None:
    """Prompt, run, repeat until `.quit` or Ctrl-D."""
    session.runner = cancellable(session.con, reraise=False, spark=session.spark)
    with session.catalog():
        vocabulary = Vocabulary.load(session.con, seams.saved_query_names)
    completer = ShellCompleter(vocabulary)
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    prompt: PromptSession[str] = PromptSession(
        history=FileHistory(str(path)),
        completer=completer,
        multiline=True,
        key_bindings=_bindings(),
        prompt_continuation=CONTINUATION,
        complete_while_typing=False,
    )
    session.say(BANNER)
    while not session.done:
        try:
            text = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        try:
            session.handle(text)
        except KeyboardInterrupt:  # Ctrl-C outside a query (between statements)
            session.say("cancelled")
        completer.vocabulary = _reload(session, vocabulary)


def _reload(session: Session, previous: Vocabulary) -> Vocabulary:
    try:  # new TEMP tables appear in completion; a failure keeps the old names
        with session.catalog():
            return Vocabulary.load(session.con, seams.saved_query_names)
    except Exception:
        return previous


def _bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add("enter")
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.complete_state is not None:  # Enter picks the highlighted completion
            buffer.complete_state = None
            return
        text = buffer.text
        if text.lstrip().startswith(".") or is_complete(text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return bindings
