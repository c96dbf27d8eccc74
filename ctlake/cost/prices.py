"""The price table of `ctlake cost`: defaults shipped in `prices.toml`, overridden per lake
by the `[cost]` section of `<lake>/ctlake.toml` (read and checked by `ctlake.config`), and
by command-line options last.

Each value keeps where it came from, so `ctlake cost --prices` can say which figure is
AWS's list price (and from what source and date) and which one the lake chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ctlake.config import Config, load
from ctlake.config.cost import DEFAULTS_FILE, Value, checked_price, price_problem, shipped
from ctlake.errors import BadInputError

__all__ = ["DEFAULTS_FILE", "PriceTable", "load_prices", "price_table", "unit"]


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
        for key, value in given.items():
            problem = price_problem(key, value)
            if problem:
                raise BadInputError(f"--{key.replace('_', '-')}: {problem}")
        checked = {key: checked_price(key, value) for key, value in given.items()}
        origins = {**self.origins, **dict.fromkeys(checked, "command line")}
        return PriceTable({**self.values, **checked}, origins)


def unit(key: str) -> str:
    """What a setting's value counts ("per GB scanned", "queries a day")."""
    return str(shipped()["unit"][key])


def load_prices(lake_root: Path) -> PriceTable:
    """The defaults, with the `[cost]` section of `<lake_root>/ctlake.toml` over them."""
    return price_table(load(lake_root))


def price_table(config: Config) -> PriceTable:
    """The defaults, with the `[cost]` section of `config` over them."""
    data = shipped()
    values, sources, taken = dict(data["cost"]), dict(data["source"]), str(data["taken"])
    origins = {key: _default_origin(sources[key], taken) for key in values}
    overrides = config.cost.values
    origins.update(dict.fromkeys(overrides, str(config.path)))
    return PriceTable({**values, **overrides}, origins)


def _default_origin(source: str, taken: str) -> str:
    return "default assumption" if source == "assumption" else f"default: {source}, as of {taken}"
