"""The one error type of the Logs Insights translation."""

from __future__ import annotations

from ctlake.errors import BadInputError


class LogsInsightsError(BadInputError):
    """A Logs Insights query ctlake cannot run: a syntax error (line, column, what was
    found), or a command, function or field use it does not support (naming it)."""
