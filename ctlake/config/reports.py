"""`[reports]`: saved queries `ctlake run` writes to CSV files on an interval.

[reports]
folder = "reports"        # <folder>/<name>/<name>_<UTC time>.csv
[[reports.query]]
query = "top-errors"      # a saved query (`ctlake query list`)
every = "1d"
params = { days = 1 }
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from ctlake.config.keys import KeyPath, duration, lake_path, only, string, table, tables
from ctlake.durations import format_duration

REPORT_KEYS = {"name", "query", "every", "params"}


@dataclass(frozen=True)
class Report:
    name: str
    query: str
    every: timedelta
    params: dict[str, Any] = field(default_factory=dict)
    where: str = field(default="", compare=False)  # `<file>: reports.query[0]`, for errors


@dataclass(frozen=True)
class Reports:
    folder: Path
    queries: tuple[Report, ...] = ()

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> Reports:
        data = table(value, path)
        only(data, {"folder", "query"}, path, "a key")
        folder = lake_path(path.lake_root, string(data, "folder", path, "reports"))
        items = tables(data.get("query", []), path / "query")
        return cls(
            Path(folder), tuple(_report(item, path / "query" / i) for i, item in enumerate(items))
        )

    def to_toml(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "query": [
                {
                    "name": r.name,
                    "query": r.query,
                    "every": format_duration(r.every),
                    "params": r.params,
                }
                for r in self.queries
            ],
        }


def _report(item: dict[str, Any], path: KeyPath) -> Report:
    only(item, REPORT_KEYS, path, "a key of a report")
    query = string(item, "query", path)
    params = item.get("params", {})
    if not isinstance(params, dict):
        raise (path / "params").expected("a table of parameter values", params)
    every = duration(item.get("every", "1d"), path / "every")
    return Report(string(item, "name", path, query), query, every, params, path.where())
