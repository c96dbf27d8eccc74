"""One exception hierarchy and one set of exit codes for the whole tool.

Every error a user can cause is a `CtlakeError` whose message is one readable line naming
what was wrong (file, line, key, parameter) and what was expected. The CLI catches these at
one boundary and prints the message; anything else is a bug and shows a traceback with
`--debug`.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    FAILURE = 1  # an unexpected error (a bug): rerun with --debug for the traceback
    USAGE = 2  # bad command line: unknown option, missing argument (Typer's own code)
    BAD_INPUT = 3  # a file, config, query or parameter the user gave is wrong
    LAKE = 4  # the lake is missing, damaged or from an incompatible version
    BUSY = 5  # another batch holds the lake's write lock
    PARTIAL = 6  # the run finished but set some input aside (see `ctlake quarantine list`)


class CtlakeError(Exception):
    """An error the user can act on; its message is shown as one line."""

    exit_code: ExitCode = ExitCode.FAILURE


class BadInputError(CtlakeError):
    """A path, query, parameter or config value is not what was expected."""

    exit_code = ExitCode.BAD_INPUT


class LakeError(CtlakeError):
    """The lake folder is missing, unreadable or inconsistent."""

    exit_code = ExitCode.LAKE


class LakeBusyError(CtlakeError):
    """Another process holds the lake's write lock."""

    exit_code = ExitCode.BUSY


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (engine errors run to several), or its
    type's name when it has none: what a one-line error shows."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
