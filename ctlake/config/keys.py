"""Where a value sits in ctlake.toml, and the checks every section shares.

A `KeyPath` is the file and the keys leading to a value (`insights.override[0].rate_factor`);
each error it makes is one line naming both and what was expected:

    /lake/ctlake.toml: insights.override[0].rate_factor: expected a number >= 0, got 'x'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from ctlake.durations import parse_duration
from ctlake.errors import BadInputError

_MISSING = object()


@dataclass(frozen=True)
class KeyPath:
    file: Path
    keys: tuple[str | int, ...] = ()

    def __truediv__(self, key: str | int) -> KeyPath:
        return KeyPath(self.file, (*self.keys, key))

    def __str__(self) -> str:
        text = ""
        for key in self.keys:
            text += f"[{key}]" if isinstance(key, int) else f"{'.' if text else ''}{key}"
        return text

    @property
    def lake_root(self) -> Path:
        """The folder relative paths in the file are relative to: the lake's."""
        return self.file.parent

    def where(self) -> str:
        """`<file>: <key path>`, the start of every message about this value."""
        return f"{self.file}: {self}" if self.keys else str(self.file)

    def problem(self, text: str) -> BadInputError:
        return BadInputError(f"{self.where()}: {text}")

    def expected(self, what: str, got: Any = _MISSING) -> BadInputError:
        """'<file>: <key>: expected <what>, got <value>' (no 'got' when the key is absent)."""
        return self.problem(f"expected {what}" + ("" if got is _MISSING else f", got {got!r}"))


def table(value: Any, path: KeyPath) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise path.expected(f"a table [{path}]", value)
    return value


def tables(value: Any, path: KeyPath) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise path.expected(f"an array of tables [[{path}]]", value)
    return value


def only(data: dict[str, Any], allowed: Iterable[str], path: KeyPath, what: str = "one of") -> None:
    """Every key of `data` is one of `allowed`: a typo is an error, never a silent default."""
    known = sorted(allowed)
    for key in data:
        if key not in known:
            raise BadInputError(
                f"{path.file}: unknown key {path / key} (expected {what}: {', '.join(known)})"
            )


def string(data: dict[str, Any], key: str, path: KeyPath, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        if key not in data:
            raise (path / key).expected("a non-empty string")
        raise (path / key).expected("a non-empty string", value)
    return value


def optional_string(data: dict[str, Any], key: str, path: KeyPath) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise (path / key).expected("a string", value)
    return value


def strings(data: dict[str, Any], key: str, path: KeyPath) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise (path / key).expected("a list of strings", value)
    return tuple(value)


def number(value: Any, path: KeyPath, *, least: float = 0, whole: bool = False) -> float | int:
    """A number >= `least` (a whole one when `whole`); TOML's booleans are no numbers."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or (whole and not isinstance(value, int)) or value < least:
        kind = "a whole number" if whole else "a number"
        raise path.expected(f"{kind} >= {least:g}", value)
    return int(value) if whole else float(value)


def duration(value: Any, path: KeyPath) -> timedelta:
    return parse_duration(value, path.where())


def lake_path(root: Path, value: str) -> str:
    """`value` as an absolute path, a relative one taken from the lake folder, `~` expanded."""
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else root / path)
