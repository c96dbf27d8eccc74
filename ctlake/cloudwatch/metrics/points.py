"""Reading `metric_points`: the configured filters with what the lake holds of their
metrics (`ctlake metrics list`), and one metric's statistic per period (`ctlake metrics
show`), as CloudWatch's GetMetricStatistics gives it.

A metric is named `NAMESPACE/NAME`; the name is what follows the last `/`, since
namespaces may hold slashes (`AWS/CloudTrail`) and metric names may not. As in CloudWatch,
a metric's datapoints are kept per dimension set, and a query names one set exactly
(`--dimension K=V` per dimension; none: the points published without dimensions).
Statistics: SampleCount, Sum, Average, Minimum, Maximum, and pNN (0 < NN <= 100, such as
p99 or p99.9), a nearest-rank percentile over every datapoint of the period.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from ctlake.config import MetricsConfig
from ctlake.errors import BadInputError
from ctlake.resources import read_sql

STATISTICS = ("SampleCount", "Sum", "Average", "Minimum", "Maximum")
PERCENTILE = re.compile(r"p(\d{1,3}(?:\.\d+)?)")
MISSING_TABLE = "no metric datapoints yet: run `ctlake refresh` (or `ctlake run`) first"


@dataclass(frozen=True)
class SeriesQuery:
    """What `metrics show` asks for, checked."""

    namespace: str
    metric_name: str
    dimensions: str  # compact JSON object, keys sorted
    statistic: str
    fraction: float | None  # pNN / 100
    period: timedelta
    since: datetime | None
    until: datetime | None

    @property
    def metric(self) -> str:
        return f"{self.namespace}/{self.metric_name}"

    def sql(self) -> str:
        """The statement giving (timestamp, value) per period."""
        return read_sql(__file__, "metric_series" if self.fraction is None else "metric_percentile")

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "namespace": self.namespace,
            "metric_name": self.metric_name,
            "dimensions": self.dimensions,
            "period": int(self.period.total_seconds()),
            "since": self.since,
            "until": self.until,
        }
        if self.fraction is None:
            params["statistic"] = self.statistic
        else:
            params["fraction"] = self.fraction
        return params


def series_query(
    metric: str,
    *,
    statistic: str = "Sum",
    period: timedelta = timedelta(minutes=5),
    dimensions: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> SeriesQuery:
    """Check the arguments of `metrics show`; errors name the argument."""
    namespace, _, name = metric.rpartition("/")
    if not namespace or not name:
        raise BadInputError(
            f"metric {metric!r}: expected NAMESPACE/NAME, such as CISBenchmark/RootAccountUsage"
        )
    if period < timedelta(minutes=1) or period % timedelta(minutes=1):
        raise BadInputError(f"--period {period}: expected whole minutes (1m, 5m, 1h, 1d)")
    stat, fraction = parse_statistic(statistic)
    return SeriesQuery(
        namespace, name, dimension_json(dimensions or []), stat, fraction, period, since, until
    )


def parse_statistic(text: str) -> tuple[str, float | None]:
    """(statistic, fraction): a name of STATISTICS (any case) or pNN."""
    for name in STATISTICS:
        if text.lower() == name.lower():
            return name, None
    match = PERCENTILE.fullmatch(text.strip().lower())
    if match and 0 < float(match.group(1)) <= 100:
        return f"p{match.group(1)}", float(match.group(1)) / 100
    raise BadInputError(
        f"--statistic {text!r}: expected one of {', '.join(STATISTICS)} or a percentile "
        "such as p90, p99.9"
    )


def dimension_json(pairs: list[str]) -> str:
    """`K=V` pairs as metric_points keeps a dimension set: compact JSON, keys sorted."""
    dimensions: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise BadInputError(f"--dimension {pair!r}: expected NAME=VALUE")
        if key in dimensions:
            raise BadInputError(f"--dimension {key!r} is given twice")
        dimensions[key] = value
    return json.dumps(dimensions, sort_keys=True, separators=(",", ":"))


def check_series(
    con: duckdb.DuckDBPyConnection, query: SeriesQuery, configured: MetricsConfig
) -> None:
    """Fail with a readable line when there is nothing to show: no table yet, a metric
    neither configured nor in the lake (naming those that are), or a dimension set the lake
    does not hold (naming the sets it does hold)."""
    try:
        params = {"namespace": query.namespace, "metric_name": query.metric_name}
        rows = con.execute(read_sql(__file__, "metric_dimensions"), params).fetchall()
    except duckdb.CatalogException:
        raise BadInputError(MISSING_TABLE) from None
    held = [row[0] for row in rows]
    known = configured.metrics()
    if not held and query.metric not in known:
        raise BadInputError(
            f"metric {query.metric} is not in the lake nor in ctlake.toml; metrics of the "
            f"configured filters: {', '.join(known) or 'none (see `ctlake metrics import`)'}"
        )
    if held and query.dimensions not in held:
        sets = ", ".join(_dimension_text(d) for d in held[:5])
        more = f" and {len(held) - 5} more" if len(held) > 5 else ""
        raise BadInputError(
            f"metric {query.metric} has no datapoints with dimensions "
            f"{_dimension_text(query.dimensions)}; it has: {sets}{more} (give them with "
            "--dimension NAME=VALUE)"
        )


def _dimension_text(dimensions: str) -> str:
    data = json.loads(dimensions)
    return " ".join(f"{k}={v}" for k, v in data.items()) if data else "(none)"


def list_sql(con: duckdb.DuckDBPyConnection, config: MetricsConfig) -> str:
    """Register the configured filters as `configured` on `con` and return the SQL of
    `metrics list`."""
    columns = {
        "position": list(range(len(config.filters))),
        "filter_name": [f.name for f in config.filters],
        "namespace": [f.namespace for f in config.filters],
        "metric_name": [f.metric_name for f in config.filters],
        "metric_value": [f.value for f in config.filters],
        "pattern": [f.pattern for f in config.filters],
    }
    schema = pa.schema([("position", pa.int64())] + [(k, pa.string()) for k in list(columns)[1:]])
    con.register("configured", pa.table(columns, schema=schema))
    try:
        con.execute(read_sql(__file__, "count_points")).fetchall()
    except duckdb.CatalogException:
        raise BadInputError(MISSING_TABLE) from None
    return read_sql(__file__, "metric_list")
