"""Logs Insights on a generated trail (`ctlake generate`): typical queries through the
command line give the rows hand-written SQL gives on the same lake."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from typer.testing import CliRunner

from ctlake.cli.app import app
from ctlake.generate import generate_trail
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader

END = datetime(2024, 6, 1)
CASES = [
    (
        "stats count(*) as n by eventSource | sort n desc, eventSource | limit 5",
        "SELECT eventSource, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, 1 LIMIT 5",
    ),
    (
        "filter ispresent(errorCode) | stats count(*) as n by errorCode, eventName "
        "| sort n desc, errorCode, eventName | limit 10",
        "SELECT errorCode, eventName, count(*) AS n FROM events WHERE errorCode IS NOT NULL "
        "GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 10",
    ),
    (
        "stats count(*) as n, count_distinct(sourceIPAddress) as ips by bin(1h) as hour",
        "SELECT strftime(date_trunc('hour', eventTime), '%Y-%m-%d %H:%M:%S'), count(*), "
        "count(DISTINCT sourceIPAddress) FROM events GROUP BY 1 ORDER BY 1",
    ),
    (
        'filter userIdentity.type = "AssumedRole" | stats count(*) as n by '
        "userIdentity.sessionContext.sessionIssuer.userName as role | sort n desc, role | limit 5",
        "SELECT userIdentity.sessionContext.sessionIssuer.userName AS role, count(*) AS n "
        "FROM events WHERE userIdentity.type = 'AssumedRole' GROUP BY 1 "
        "ORDER BY n DESC, role LIMIT 5",
    ),
    (
        "fields eventName, awsRegion | filter readOnly = 'false' and eventName like /^Create/ "
        "| sort eventName, awsRegion | dedup eventName, awsRegion",
        "SELECT DISTINCT eventName, awsRegion FROM events WHERE NOT readOnly "
        "AND regexp_matches(eventName, '^Create') ORDER BY 1, 2",
    ),
]


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    root = tmp_path_factory.mktemp("generated")
    generate_trail(root / "trail", days=2, seed=7, scale=0.05, end=END, broken_files=False)
    lake = Lake(root / "lake")
    ingest(lake, [str(root / "trail")])
    return lake


@pytest.mark.parametrize(("query", "hand_written"), CASES)
def test_a_typical_query_gives_the_rows_of_hand_written_sql(
    lake: Lake, query: str, hand_written: str
) -> None:
    result = CliRunner().invoke(
        app, ["--lake", str(lake.root), "sql", "--dialect", "logs-insights", "-f", "csv",
              "-c", query],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    got = list(csv.reader(io.StringIO(result.stdout)))[1:]
    con = reader.connect(lake)
    want = [[str(v) for v in row] for row in con.execute(hand_written).fetchall()]
    con.close()
    assert got == want
    assert got
