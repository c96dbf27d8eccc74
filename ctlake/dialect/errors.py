"""The one error of the lake dialect, kept apart so every dialect module can raise it."""

from __future__ import annotations

from ctlake.errors import BadInputError


class LakeDialectError(BadInputError):
    """CloudTrail Lake SQL that cannot be parsed, or uses a construct DuckDB cannot run.
    The message names the construct, and for a syntax error the place: `message` holds
    `{place}`, filled with "line L, column C" of `line` and `column`."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.template, self.line, self.column = message, line, column
        place = f"line {line}, column {column}" if line is not None else "?"
        super().__init__(message.replace("{place}", place, 1))

    def shifted(self, line: int, column: int) -> LakeDialectError:
        """The same error for a statement that starts at `line`, `column` of a script:
        its place counted from the start of the script."""
        if self.line is None or self.column is None:
            return self
        first = column - 1 if self.line == 1 else 0
        return LakeDialectError(self.template, self.line + line - 1, self.column + first)
