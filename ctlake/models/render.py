"""Filling a model's SQL: Jinja with StrictUndefined, values only.

The context holds `start` and `end` (SQL timestamp literals of the half-open window
`[start, end)`), the configured thresholds (numbers) and `metric_filters` (the compiled
`[[metrics.filter]]`: SQL text made by sqlglot, see ctlake/cloudwatch/metrics/compiled.py).
Nothing in it says whether the run is a full build or an incremental one: a full build is
simply the widest window, so the same SQL text serves both and cannot drift between them.
An undefined name is an error naming the model, never an empty string.

Each render compiles its template (about 1.5 ms a model): a bytecode cache saved about 15 ms
of an hourly refresh on the bench lake, under the 20 ms a shortcut must save to be kept
(bench/README.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import jinja2
import jinja2.meta

from ctlake.errors import BadInputError

# The widest window: what a full build passes as `start`.
EPOCH = datetime(1970, 1, 1)


_ENV = jinja2.Environment(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=True,
)


def timestamp_literal(value: datetime) -> str:
    """A portable SQL TIMESTAMP literal (CAST keeps it standard across engines)."""
    return f"CAST('{value.strftime('%Y-%m-%d %H:%M:%S')}' AS TIMESTAMP)"


def render(
    path: Path,
    text: str,
    start: datetime,
    end: datetime,
    values: Mapping[str, object],
) -> str:
    """The SQL of model file `path` for the window [start, end)."""
    context: dict[str, object] = dict(values)
    context["start"] = timestamp_literal(start)
    context["end"] = timestamp_literal(end)
    try:
        return _ENV.from_string(text).render(context)
    except jinja2.UndefinedError as exc:
        raise BadInputError(f"{path}: {exc.message} (known values: {_names(context)})") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise BadInputError(f"{path}: line {exc.lineno}: {exc.message}") from exc


def template_names(text: str) -> set[str]:
    """The values a model's template reads (besides its own `set` names)."""
    return set(jinja2.meta.find_undeclared_variables(_ENV.parse(text)))


def _names(context: Mapping[str, object]) -> str:
    return ", ".join(sorted(context))
