"""The SQL shell behind `ctlake sql`: a terminal-free statement loop (`session`), its
dot-commands, completion and the prompt_toolkit front end (`repl`)."""

from ctlake.shell.session import Session, Settings

__all__ = ["Session", "Settings"]
