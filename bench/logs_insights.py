"""Logs Insights benchmark: CloudWatch Logs Insights queries on the ~10M-event lake.

    python bench/logs_insights.py [--work DIR] [--events 10000000] [--days 30] [--runs 3]

The lake is the one `bench/queries.py` builds (a generated trail, amplified to --events;
built once and cached in --work, shared with that script). The queries: the four of AWS's
blog "Analyzing AWS CloudTrail in Amazon CloudWatch" (the saved queries in
`queries/cloudwatch/`, over the whole lake) and seven typical ones (top APIs, AccessDenied by
identity, root activity, events per hour, AssumeRole percentiles, the latest error of each
API with dedup, a text search in @message). Each is timed as a user waits for it —
translation included, every row fetched, on a fresh 2-thread connection, the median of
--runs runs — beside hand-written DuckDB SQL for the same answer (`bench/sql/li_*.sql`),
timed the same way in the same run. Printed: each query's time, the hand-written SQL's,
their ratio and both row counts; then the median over the queries against the target
(median < 0.5 s on 2 cores).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

import queries as lake_bench  # bench/queries.py: the same 10M-event lake
from ctlake.cloudwatch.logs_insights import to_sql
from ctlake.lake import Lake
from ctlake.queries import load_queries
from ctlake.resources import read_sql

TARGET_MEDIAN_S = 0.5
SEED = {
    "signin_failures": "cloudwatch-console-signin-failures",
    "kms_keys_created": "cloudwatch-kms-keys-created",
    "rds_created": "cloudwatch-rds-instances-created",
    "rds_modified": "cloudwatch-rds-instances-modified",
}
TYPICAL = {
    "top_apis": "stats count(*) as n by eventSource, eventName | sort n desc | limit 20",
    "access_denied": (
        'filter errorCode = "AccessDenied" | stats count(*) as n by userIdentity.arn '
        "| sort n desc | limit 10"
    ),
    "root_activity": (
        "fields @timestamp, eventName, sourceIPAddress | filter userIdentity.type = "
        '"Root" | sort @timestamp desc | limit 100'
    ),
    "events_per_hour": "stats count(*) by bin(1h)",
    "assume_role": (
        'filter eventName = "AssumeRole" | stats count(*) as n, '
        "pct(requestParameters.durationSeconds, 90) as p90, count_distinct(sourceIPAddress) "
        "as ips by awsRegion"
    ),
    "latest_errors": (
        "fields @timestamp, eventName, errorCode | filter ispresent(errorCode) "
        "| sort @timestamp desc | dedup eventName, errorCode | limit 50"
    ),
    "message_search": (
        'fields @timestamp, @message | filter @message like "AccessDenied" '
        "| sort @timestamp desc | limit 20"
    ),
}


def timed(lake: Lake, make_sql: object, runs: int) -> tuple[float, int]:
    """The median wall time of `runs` runs — `make_sql()` (the translation) and the query,
    every row fetched, on a fresh connection — and the number of rows."""
    times, rows = [], 0
    for _ in range(runs):
        con = lake_bench.connect(lake)
        started = time.perf_counter()
        sql = make_sql() if callable(make_sql) else str(make_sql)
        rows = len(con.execute(sql).fetchall())
        times.append(time.perf_counter() - started)
        con.close()
    return statistics.median(times), rows


def insights_queries() -> dict[str, str]:
    """Name -> Logs Insights text: the blog's four as shipped, then the typical ones."""
    saved = load_queries()
    return {**{key: saved[name].text for key, name in SEED.items()}, **TYPICAL}


def run_all(lake: Lake, runs: int) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} (the machine is shared: compare ratios)")
    print(f"{lake_bench.THREADS} threads; duckdb {duckdb.__version__}; {os.cpu_count()} cores")
    print(f"{'query':18} {'insights':>9} {'hand SQL':>9} {'ratio':>6} {'rows':>7} {'rows SQL':>8}")
    results: dict[str, float] = {}
    for name, text in insights_queries().items():
        results[name], rows = timed(lake, lambda text=text: to_sql(text), runs)
        reference, reference_rows = timed(lake, read_sql(__file__, f"li_{name}"), runs)
        ratio = results[name] / reference
        print(f"{name:18} {results[name]:8.3f}s {reference:8.3f}s {ratio:6.2f} "
              f"{rows:>7,} {reference_rows:>8,}")  # fmt: skip
    median = statistics.median(results.values())
    slowest = max(results, key=lambda key: results[key])
    print(f"\n{len(results)} queries; median {median:.3f} s, target < {TARGET_MEDIAN_S} s: "
          f"{'OK' if median < TARGET_MEDIAN_S else 'MISSED'}; slowest {results[slowest]:.3f} s "
          f"({slowest})")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f}")
    if median >= TARGET_MEDIAN_S:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/ctlake-bench"))
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    seed = lake_bench.seed_lake(args.work, args.days)
    lake = lake_bench.amplified_lake(seed, args.work, args.events)
    run_all(lake, args.runs)


if __name__ == "__main__":
    main()
