"""What the logged volume would cost on AWS (`ctlake cost`): trails, data events, Insights,
CloudTrail Lake ingestion and scanning, by month and eventSource."""

from ctlake.cost.estimate import By, Totals, estimate, load_price_rows, report_sql
from ctlake.cost.prices import PriceTable, load_prices

__all__ = [
    "By",
    "PriceTable",
    "Totals",
    "estimate",
    "load_price_rows",
    "load_prices",
    "report_sql",
]
