"""The price table of `ctlake cost`: defaults shipped in `prices.toml`, overridden per lake
by the `[cost]` table of `<lake>/ctlake.toml`, and by command-line options last.

Every value is checked (an unknown key, or a value of the wrong type, is a BadInputError
naming the file and the key), so a typo never falls back silently to a default. Each
value keeps where it came from, so `ctlake cost --prices` can say which figure is AWS's
list price (and from what source and date) and which one the lake chose.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ctlake.errors import BadInputError

DEFAULTS_FILE = Path(__file__).resolve().parent / "prices.toml"
CONFIG_FILE = "ctlake.toml"
Value = float | int | bool
AT_LEAST_ONE = ("trails", "bytes_per_gb")


@dataclass(frozen=True)
class PriceTable:
    values: dict[str, Value]
    origins: dict[str, str]  # key -> "default (<source>, taken <date>)" | the file | "option"

    def params(self) -> dict[str, Value]:
        """The values as the bound parameters of the cost SQL."""
        return dict(self.values)

    def shown(self, key: str) -> str:
        """The value as `cost --prices` lists it: a price as AWS publishes it, in dollars
        with at least the cents and every digit beyond ($2.00, $0.005); a switch as true or
        false; a count as it is."""
        value = self.values[key]
        if isinstance(value, bool):
            return str(value).lower()
        if not unit(key).startswith("per "):
            return str(value)
        exact = Decimal(str(value))
        return f"${exact:,.2f}" if exact == round(exact, 2) else f"${exact:,f}"

    def with_options(self, **options: Value | None) -> PriceTable:
        """This table with the command-line options that were given."""
        given = {key: value for key, value in options.items() if value is not None}
        where = "command line"
        checked = {key: _checked(key, value, where, f"--{key}") for key, value in given.items()}
        origins = {**self.origins, **dict.fromkeys(checked, where)}
        return PriceTable({**self.values, **checked}, origins)


@cache
def _shipped() -> dict[str, Any]:
    return tomllib.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def _defaults() -> tuple[dict[str, Value], dict[str, str], str]:
    data = _shipped()
    return dict(data["cost"]), dict(data["source"]), str(data["taken"])


def unit(key: str) -> str:
    """What a setting's value counts ("per GB scanned", "queries a day")."""
    return str(_shipped()["unit"][key])


def load_prices(lake_root: Path) -> PriceTable:
    """The defaults, with the `[cost]` table of `<lake_root>/ctlake.toml` over them."""
    values, sources, taken = _defaults()
    origins = {key: _default_origin(sources[key], taken) for key in values}
    overrides = _lake_overrides(lake_root / CONFIG_FILE)
    origins.update(dict.fromkeys(overrides, str(lake_root / CONFIG_FILE)))
    return PriceTable({**values, **overrides}, origins)


def _default_origin(source: str, taken: str) -> str:
    return "default assumption" if source == "assumption" else f"default: {source}, as of {taken}"


def _lake_overrides(path: Path) -> dict[str, Value]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not valid TOML: {exc}") from None
    section = data.get("cost", {})
    if not isinstance(section, dict):
        raise BadInputError(f"{path}: cost: expected a table [cost]")
    return {key: _checked(key, value, str(path), f"[cost] {key}") for key, value in section.items()}


def _checked(key: str, value: Any, where: str, name: str) -> Value:
    defaults = _defaults()[0]
    if key not in defaults:
        known = ", ".join(sorted(defaults))
        raise BadInputError(f"{where}: {name}: no such setting (known: {known})")
    default = defaults[key]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise BadInputError(f"{where}: {name}: expected true or false, got {value!r}")
        return value
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, int) and not (isinstance(value, int) and numeric):
        raise BadInputError(f"{where}: {name}: expected a whole number, got {value!r}")
    if not numeric or value < (1 if key in AT_LEAST_ONE else 0):
        least = "at least 1" if key in AT_LEAST_ONE else "a number >= 0"
        raise BadInputError(f"{where}: {name}: expected {least}, got {value!r}")
    return value if isinstance(default, int) else float(value)
