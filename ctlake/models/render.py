"""Filling a model's SQL: Jinja with StrictUndefined, values only.

The context holds `start` and `end` (SQL timestamp literals of the half-open window
`[start, end)`) and the configured thresholds (numbers). Nothing in it says whether the run
is a full build or an incremental one: a full build is simply the widest window, so the
same SQL text serves both and cannot drift between them. An undefined name is an error
naming the model, never an empty string.

Compiling a template costs about 2 ms, a tenth of an incremental refresh over ten models,
so templates are named by a digest of their text and compiled once: kept in memory for the
process, and as bytecode in Jinja's own per-user cache folder for the next process (Jinja
checks the source's checksum on load; losing the folder costs one compile). Where no safe
cache folder can be had, templates are compiled every time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import jinja2

from ctlake.errors import BadInputError

# The widest window: what a full build passes as `start`.
EPOCH = datetime(1970, 1, 1)


class _TextLoader(jinja2.BaseLoader):
    """Templates named by the digest of their text (registered by `render`)."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template not in self.texts:
            raise jinja2.TemplateNotFound(template)
        return self.texts[template], None, lambda: True


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no safe per-user folder in the temp directory
        return None


_LOADER = _TextLoader()
_ENV = jinja2.Environment(
    loader=_LOADER,
    bytecode_cache=_bytecode_cache(),
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
    values: Mapping[str, float | int],
) -> str:
    """The SQL of model file `path` for the window [start, end)."""
    context: dict[str, object] = dict(values)
    context["start"] = timestamp_literal(start)
    context["end"] = timestamp_literal(end)
    try:
        return _template(text).render(context)
    except jinja2.UndefinedError as exc:
        raise BadInputError(f"{path}: {exc.message} (known values: {_names(context)})") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise BadInputError(f"{path}: line {exc.lineno}: {exc.message}") from exc


def _template(text: str) -> jinja2.Template:
    name = "model-" + hashlib.sha256(text.encode()).hexdigest()[:32]
    _LOADER.texts[name] = text
    return _ENV.get_template(name)


def _names(context: Mapping[str, object]) -> str:
    return ", ".join(sorted(context))
