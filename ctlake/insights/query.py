"""Selecting insight records: the filters of `ctlake insights list` turned into bound
parameters of one SQL statement (`sql/select_insights.sql`).

The contract: `select(con, filters)` fills TEMP TABLE `selected_insights` with the records
(Start and End) of table `insight_events` that match every filter given; a filter left
unset matches everything. The time range selects insights whose period overlaps
`[since, until)`, so a Start is never separated from its End. Times are UTC; they may be
absolute (`2024-05-01`, `2024-05-01T12:00`, `...Z`) or relative to now (`90m`, `12h`, `7d`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ctlake.db import scalar
from ctlake.errors import LakeError
from ctlake.resources import read_sql

if TYPE_CHECKING:  # types only: the CLI's options name InsightType and State
    import duckdb

INSIGHT_TABLES = ("insight_events", "insight_attributions", "minute_counts")


class InsightType(StrEnum):
    CALL_RATE = "ApiCallRateInsight"
    ERROR_RATE = "ApiErrorRateInsight"
    CALL_GAP = "ApiCallGapInsight"


class State(StrEnum):
    START = "Start"
    END = "End"


@dataclass(frozen=True)
class InsightFilter:
    """What `ctlake insights list` narrows on; None means no filter."""

    since: datetime | None = None
    until: datetime | None = None
    insight_type: str | None = None
    source: str | None = None
    name: str | None = None
    account: str | None = None
    region: str | None = None
    state: str | None = None

    def params(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "insight_type": self.insight_type,
            "source": self.source,
            "name": self.name,
            "account": self.account,
            "region": self.region,
            "state": self.state,
        }


def require_insight_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Fail with one line when the models have not produced the insight tables yet."""
    found = scalar(con, read_sql(__file__, "tables_present"), {"names": list(INSIGHT_TABLES)})
    if int(found or 0) < len(INSIGHT_TABLES):
        raise LakeError("the lake has no insights yet: run `ctlake refresh` to build the models")


def select(con: duckdb.DuckDBPyConnection, filters: InsightFilter) -> int:
    """Fill TEMP TABLE selected_insights; return how many records it holds."""
    require_insight_tables(con)
    con.execute(read_sql(__file__, "select_insights"), filters.params()).fetchall()
    return int(scalar(con, read_sql(__file__, "count_selected")) or 0)


def table_sql() -> str:
    """The rows of the selection for people (table) and spreadsheets (csv)."""
    return read_sql(__file__, "list_table")


def record_texts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The CloudTrail JSON text of each selected record, in list order."""
    return [row[0] for row in con.execute(read_sql(__file__, "list_records")).fetchall()]
