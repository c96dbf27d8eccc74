"""Estimating what the lake's events would cost on AWS, by month and eventSource.

`estimate(con, prices, since, until)` fills TEMP TABLE `cost_rows` (one row per month and
eventSource: event counts, GB, and the USD of each cost line; see `sql/cost_rows.sql` for
the arithmetic and what each line assumes), with every price a bound parameter. The
reports (`report_sql`) and the totals read that table, so the figures of a report and of
its summary line come from one computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from ctlake.cost.prices import PriceTable, unit
from ctlake.resources import read_sql
from ctlake.text import usd as dollars

if TYPE_CHECKING:  # types only: the CLI's options name By
    import duckdb

COST_LINES = ("extra_trails", "data_events", "insights", "lake_ingest", "lake_scan")


class By(StrEnum):
    MONTH_SOURCE = "month-source"
    MONTH = "month"
    SOURCE = "source"


@dataclass(frozen=True)
class Totals:
    first_month: str | None
    last_month: str | None
    events: int
    usd: dict[str, float]  # cost line -> USD

    @property
    def total(self) -> float:
        return sum(self.usd.values())

    def describe(self) -> str:
        """One line for people: the total and each line of it, in dollars and cents."""
        if self.first_month is None:
            return "no events in range: $0.00"
        span = self.first_month
        if self.last_month != self.first_month:
            span += f" to {self.last_month}"
        lines = ", ".join(
            f"{name.replace('_', ' ')} {dollars(amount)}" for name, amount in self.usd.items()
        )
        return f"{span}: {self.events:,} events would cost {dollars(self.total)} ({lines})"


def estimate(
    con: duckdb.DuckDBPyConnection,
    prices: PriceTable,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Totals:
    """Fill TEMP TABLE cost_rows for events in [since, until) and return the totals."""
    params = {**prices.params(), "since": since, "until": until}
    con.execute(read_sql(__file__, "cost_rows"), params).fetchall()
    row = con.execute(read_sql(__file__, "totals")).fetchall()[0]
    first, last, events, *usd = row
    return Totals(first, last, int(events), dict(zip(COST_LINES, map(float, usd), strict=True)))


def report_sql(by: By) -> str:
    """The report over cost_rows, grouped as `by` asks."""
    return read_sql(__file__, "report_" + by.value.replace("-", "_"))


def load_price_rows(con: duckdb.DuckDBPyConnection, prices: PriceTable) -> str:
    """Fill TEMP TABLE cost_prices with the price table; return the SQL that lists it."""
    con.execute(read_sql(__file__, "create_prices")).fetchall()
    insert = read_sql(__file__, "insert_price")
    for position, setting in enumerate(prices.values):
        params = {"position": position, "setting": setting, "value": prices.shown(setting)}
        extra = {"unit": unit(setting), "origin": prices.origins[setting]}
        con.execute(insert, {**params, **extra}).fetchall()
    return read_sql(__file__, "prices_report")
