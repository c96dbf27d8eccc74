"""The one error of the lake dialect, kept apart so every dialect module can raise it."""

from __future__ import annotations

from ctlake.errors import BadInputError


class LakeDialectError(BadInputError):
    """CloudTrail Lake SQL that cannot be parsed, or uses a construct DuckDB cannot run.
    The message names the construct."""
