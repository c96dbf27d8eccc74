"""The metric filters' compiled SQL, kept in the catalog (`metric_filter_sql`) between
refreshes.

Compiling the filters means loading the pattern compiler (Lark, its grammar, the lake's
schema) before any model runs: about 0.12 s of CPU with the 15 CIS filters, more than the
rest of a refresh with nothing to do (bench/README.md). The compiled SQL depends only on
the filter's definition and on the code and schema that compile it, so it is kept under a
key of both: the filter's digest, and a hash of the compiler's files
(ctlake/cloudwatch/patterns/, compiled.py), the lake's typing query (which columns are
typed decides what a selector reads) and sqlglot's version. Any change to one of them is a
new key and a new compilation; the cache holds the current filters' keys only. Losing it
costs one compilation, never a wrong result.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import duckdb
import sqlglot

from ctlake.cloudwatch.metrics import compiled
from ctlake.config.metrics import MetricFilter, MetricsConfig
from ctlake.resources import read_sql

PACKAGE = Path(__file__).resolve().parents[1]  # ctlake/cloudwatch
TYPING_QUERY = PACKAGE.parent / "lake" / "sql" / "type_events.sql"


@cache
def compiler_version() -> str:
    """A hash of everything a filter's compiled SQL depends on besides its definition."""
    files = sorted((PACKAGE / "patterns").rglob("*.py")) + sorted(
        (PACKAGE / "patterns").rglob("*.lark")
    )
    files += [Path(compiled.__file__).resolve(), TYPING_QUERY]
    digest = hashlib.sha256(sqlglot.__version__.encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key(metric_filter: MetricFilter) -> str:
    basis = f"{metric_filter.digest()}:{compiler_version()}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def template_values(
    con: duckdb.DuckDBPyConnection, config: MetricsConfig
) -> list[dict[str, str | None]]:
    """The model's `metric_filters` (compiled.template_values) for `config`, compiling only
    the filters the catalog's cache does not hold, and keeping the cache to these filters.
    Call inside the refresh's transaction: the cache changes with the models' data."""
    con.execute(read_sql(__file__, "filter_sql_table"))
    known = {k: v for k, v in con.execute(read_sql(__file__, "load_filter_sql")).fetchall()}
    keys = [key(f) for f in config.filters]
    values: list[dict[str, str | None]] = []
    for metric_filter, filter_key in zip(config.filters, keys, strict=True):
        if filter_key in known:
            values.append(json.loads(known[filter_key]))
        else:
            values += compiled.template_values([compiled.compile_filter(metric_filter)])
    if sorted(set(keys)) != sorted(known):
        texts = {k: json.dumps(v, sort_keys=True) for k, v in zip(keys, values, strict=True)}
        con.execute(read_sql(__file__, "clear_filter_sql"))
        if texts:
            params = {"keys": list(texts), "compiled": list(texts.values())}
            con.execute(read_sql(__file__, "save_filter_sql"), params)
    return values
