"""`[cost]`: the lake's own prices and usage assumptions for `ctlake cost`, over the
defaults shipped in `ctlake/cost/prices.toml` (AWS's list prices, with source and date).

Only keys of the shipped table are known, each with the type of its default: a price is a
number >= 0, a count a whole number, a switch true or false.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ctlake.config.keys import KeyPath, only, table

DEFAULTS_FILE = Path(__file__).resolve().parents[1] / "cost" / "prices.toml"
Value = float | int | bool
AT_LEAST_ONE = ("trails", "bytes_per_gb")


@cache
def shipped() -> dict[str, Any]:
    """The shipped price table as parsed: `taken`, `[cost]`, `[source]`, `[unit]`."""
    return tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def default_values() -> dict[str, Value]:
    return dict(shipped()["cost"])


def price_problem(key: str, value: Any) -> str | None:
    """What is wrong with `value` for the known setting `key`, as 'expected ..., got ...',
    or None when it is right."""
    default = default_values()[key]
    if isinstance(default, bool):
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    least = 1 if key in AT_LEAST_ONE else 0
    whole = isinstance(default, int)
    if not numeric or (whole and not isinstance(value, int)) or value < least:
        kind = "a whole number" if whole else "a number"
        return f"expected {kind} >= {least}, got {value!r}"
    return None


def checked_price(key: str, value: Any) -> Value:
    """`value` as the type of the setting's default (a float price given as 2 is 2.0)."""
    return value if isinstance(default_values()[key], int) else float(value)


@dataclass(frozen=True)
class CostConfig:
    values: dict[str, Value] = field(default_factory=dict)  # only what the file sets

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> CostConfig:
        data = table(value, path)
        only(data, default_values(), path)
        values = {}
        for key, given in data.items():
            problem = price_problem(key, given)
            if problem:
                raise (path / key).problem(problem)
            values[key] = checked_price(key, given)
        return cls(values)

    def to_toml(self) -> dict[str, Any]:
        return dict(self.values)
