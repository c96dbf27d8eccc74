"""One exception hierarchy and one set of exit codes for the whole tool.

Every error a user can cause is a `CtlakeError` whose message is one readable line naming
what was wrong (file, line, key, parameter) and what was expected. The CLI catches these at
one boundary and prints the message; anything else is a bug and shows a traceback with
`--debug`.
"""

from __future__ import annotations

import errno
import json
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    FAILURE = 1  # an unexpected error (a bug): rerun with --debug for the traceback
    USAGE = 2  # bad command line: unknown option, missing argument (Typer's own code)
    BAD_INPUT = 3  # a file, config, query or parameter the user gave is wrong, or a
    # path cannot be read or written (a file where a folder is needed, a full disk)
    LAKE = 4  # the lake is missing, damaged or from an incompatible version
    BUSY = 5  # another batch holds the lake's write lock
    PARTIAL = 6  # the run finished but set some input aside (see `ctlake quarantine list`)
    STDOUT_CLOSED = 141  # stdout's reader went away (`| head`): 128 + SIGPIPE, as `cat` ends


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
    return _engine_detail(text.splitlines()[0]) if text else type(exc).__name__


def _engine_detail(line: str) -> str:
    """DuckDB wraps some I/O errors in JSON (`IO Error: Async write failed for range ...:
    {"exception_type":"IO","exception_message":"Could not write file ...: No space left on
    device",...}`): keep the message inside, which names the file and the reason."""
    start = line.find('{"exception_type"')
    if start < 0:
        return line
    try:
        detail = json.loads(line[start:])
    except ValueError:
        return line
    message = detail.get("exception_message") if isinstance(detail, dict) else None
    if not isinstance(message, str) or not message:
        return line
    kind = line.split(":", 1)[0] if ":" in line[:start] else ""
    return f"{kind}: {message}" if kind else message


def os_error_line(exc: OSError) -> str | None:
    """One line for an OS error about a path the user gave (a file where a folder is
    needed, a full disk, ...), or None when it names no file and is no disk-space error
    (then it is a bug). Python's messages say what failed but not in the user's terms."""
    name = exc.filename if isinstance(exc.filename, str) else None
    reason = exc.strerror or type(exc).__name__
    if name is None:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return f"cannot write the output: {reason}"
        return None
    if isinstance(exc, FileExistsError):  # ctlake makes folders with exist_ok=True
        return f"{name} is a file, not a folder"
    if isinstance(exc, NotADirectoryError):
        blocker = _file_on_the_way(Path(name))
        if blocker is not None:
            return f"{blocker} is a file, not a folder (in the path {name})"
    if isinstance(exc, IsADirectoryError):
        return f"{name} is a folder, not a file"
    return f"{name}: {reason}"


def _file_on_the_way(path: Path) -> Path | None:
    """The file standing where `path` needs a folder (`a.txt` for `a.txt/b/c`)."""
    for parent in reversed(path.parents):
        if parent.is_file():
            return parent
    return None
