"""Records typed into an in-memory `events` table exactly as the lake types them (the
lake's own typing query), for tests that need `events` rows without a lake on disk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from ctlake.lake.events import PART, register_part
from ctlake.resources import read_sql


def events_table(records: list[dict[str, Any]]) -> duckdb.DuckDBPyConnection:
    """A connection whose table `events` holds `records` (each given an eventID and an
    eventTime when it has none), typed as the lake types them."""
    rows = []
    for n, record in enumerate(records):
        record = {"eventID": f"doc-{n}", "eventTime": "2024-05-01T00:00:00Z", **record}
        rows.append(
            {
                "j": orjson.dumps(record).decode(),
                "lakeSource": "test",
                "eventTime": datetime.fromisoformat(record["eventTime"].replace("Z", "")),
                "lakeBatch": 1,
                "eventID": record["eventID"],
            }
        )
    con = duckdb.connect()
    register_part(con, pa.Table.from_pylist(rows, schema=PART))
    from ctlake.lake import events

    con.sql(read_sql(events.__file__, "type_events")).create("events")
    return con
