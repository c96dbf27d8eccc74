"""The shell's dot-commands: `.tables`, `.schema T`, `.mode FORMAT`, `.output [FILE]`,
`.run NAME k=v ...`, `.dialect duckdb|lake|logs-insights`, `.timer on|off`, `.help`, `.quit`.

A dot-command is one line starting with `.` where a statement would start; its arguments
are split like a shell's (quotes group words). Each command is a small function taking the
session and its arguments; a wrong argument raises BadInputError naming the command and
what it expects, which the session reports without ending the shell.
"""

from __future__ import annotations

import difflib
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ctlake.errors import BadInputError
from ctlake.output import Format
from ctlake.resources import read_sql
from ctlake.shell import seams

if TYPE_CHECKING:
    from ctlake.shell.session import Session

Command = Callable[["Session", list[str]], None]

HELP = {
    ".tables": "list the tables and views",
    ".schema TABLE": "show the columns of TABLE",
    ".mode FORMAT": "output format: " + "|".join(f.value for f in Format),
    ".output [FILE]": "write results to FILE; without FILE, back to stdout",
    ".run NAME [k=v ...]": "run saved query NAME with parameters",
    ".dialect duckdb|lake|logs-insights": "dialect of what you type (lake: CloudTrail Lake "
    "SQL, logs-insights: CloudWatch Logs Insights, ending with ;)",
    ".timer on|off": "show how long each statement takes",
    ".help": "this list",
    ".quit": "leave the shell (also .exit or Ctrl-D)",
}


def run(session: Session, line: str) -> None:
    """Run the dot-command `line`."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise BadInputError(f"{line.split()[0]}: {exc}") from None
    name, args = words[0], words[1:]
    command = COMMANDS.get(name)
    if command is None:
        raise BadInputError(f"unknown command {name} (try .help)")
    command(session, args)


def names() -> list[str]:
    return sorted(COMMANDS)


def _tables(session: Session, args: list[str]) -> None:
    _arity(".tables", args, 0, 0)
    session.run_query(read_sql(__file__, "tables"), None)


def _schema(session: Session, args: list[str]) -> None:
    _arity(".schema", args, 1, 1, "TABLE")
    tables = [row[0] for row in session.con.execute(read_sql(__file__, "tables")).fetchall()]
    if args[0].lower() not in {name.lower() for name in tables}:
        close = difflib.get_close_matches(args[0], tables, n=3)
        hint = f"did you mean {' or '.join(close)}?" if close else "see .tables"
        raise BadInputError(f".schema: no table or view named {args[0]!r}; {hint}")
    session.run_query(read_sql(__file__, "columns"), {"table": args[0]})


def _mode(session: Session, args: list[str]) -> None:
    choices = "|".join(f.value for f in Format)
    if not args:
        session.say(f"mode {session.settings.fmt.value} (choices: {choices})")
        return
    _arity(".mode", args, 1, 1, choices)
    try:
        session.settings.fmt = Format(args[0].lower())
    except ValueError:
        raise BadInputError(f".mode: expected one of {choices}, got {args[0]!r}") from None


def _output(session: Session, args: list[str]) -> None:
    _arity(".output", args, 0, 1, "[FILE]")
    session.set_output(Path(args[0]).expanduser() if args else None)


def _run_saved(session: Session, args: list[str]) -> None:
    _arity(".run", args, 1, None, "NAME [k=v ...]")
    values: dict[str, str] = {}
    for arg in args[1:]:
        key, sep, value = arg.partition("=")
        if not sep or not key:
            raise BadInputError(f".run: expected parameters as name=value, got {arg!r}")
        values[key] = value
    sql, params = seams.bind_saved(args[0], values)
    session.run_query(sql, params)


def _dialect(session: Session, args: list[str]) -> None:
    if not args:
        session.say(f"dialect {session.settings.dialect}")
        return
    _arity(".dialect", args, 1, 1, "duckdb|lake|logs-insights")
    choice = args[0].lower()
    if choice not in ("duckdb", "lake", "logs-insights"):
        raise BadInputError(f".dialect: expected duckdb, lake or logs-insights, got {args[0]!r}")
    session.settings.dialect = choice


def _timer(session: Session, args: list[str]) -> None:
    _arity(".timer", args, 1, 1, "on|off")
    if args[0].lower() not in ("on", "off"):
        raise BadInputError(f".timer: expected on or off, got {args[0]!r}")
    session.settings.timer = args[0].lower() == "on"


def _help(session: Session, args: list[str]) -> None:
    width = max(len(key) for key in HELP)
    for key, text in HELP.items():
        session.say(f"{key.ljust(width)}  {text}")
    session.say("SQL statements end with ';'. Ctrl-C cancels a running query.")


def _quit(session: Session, args: list[str]) -> None:
    session.done = True


def _arity(name: str, args: list[str], least: int, most: int | None, usage: str = "") -> None:
    if len(args) < least or (most is not None and len(args) > most):
        expected = f"{name} {usage}".strip()
        raise BadInputError(f"{name}: usage: {expected}")


COMMANDS: dict[str, Command] = {
    ".tables": _tables,
    ".schema": _schema,
    ".mode": _mode,
    ".output": _output,
    ".run": _run_saved,
    ".dialect": _dialect,
    ".timer": _timer,
    ".help": _help,
    ".quit": _quit,
    ".exit": _quit,
}
