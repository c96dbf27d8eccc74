"""The lake's configuration, `<lake>/ctlake.toml`: read once, checked whole, one typed
section for each part of ctlake.

    [lake]       data = folder or URL (s3a://, hdfs://, ...) of the Parquet files; options
    [sources]    paths = [folders or globs of CloudTrail files for `ctlake run`]
    [[sinks.folder|eventbridge|webhook|command]]  where new insight events are delivered
    [reports]    folder = "reports"; [[reports.query]] saved queries written on an interval
    [retention]  days = N: event partitions older than this are removed
    [schedule]   every = "5m", wait = seconds to wait for another writer
    [insights]   thresholds of the models, per-API overrides, suppressions
    [cost]       prices for `ctlake cost`
    [engine]     name = "duckdb" or "spark": the engine of ingest, refresh and queries
    [spark]      master and settings of the Spark session when Spark is the engine
    [[metrics.filter]]  CloudWatch metric filters, computed per minute by `ctlake refresh`
    [alarms]     account and region of the alarms; [[alarms.alarm]] CloudWatch metric alarms

`load(lake_root)` reads the file and gives a `Config`; each part of ctlake takes its own
section from it (the batch its sources, sinks, reports, retention and schedule; the model
runner `insights`; `ctlake cost` `cost`). Every key is checked: an unknown key or a value
of the wrong type is one BadInputError naming the file, the key's full path
(`insights.override[0].rate_factor`) and what was expected, so a typo never silently falls
back to a default. Relative paths are relative to the lake folder, so a lake can be moved
whole.

A section is a module here with a frozen dataclass that has `from_toml(value, path)` (check
and build) and `to_toml()` (the effective values, secrets masked, for `config show`); to add
one, write it, list it in `SECTIONS` and give `Config` a field of the same name.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctlake.config.alarms import AlarmConfig, AlarmsConfig
from ctlake.config.cost import CostConfig
from ctlake.config.engine import EngineConfig, SparkConfig
from ctlake.config.insights import InsightConfig
from ctlake.config.keys import KeyPath, only
from ctlake.config.lake import LakeStorage
from ctlake.config.metrics import MetricFilter, MetricsConfig
from ctlake.config.reports import Report, Reports
from ctlake.config.retention import Retention
from ctlake.config.schedule import Schedule
from ctlake.config.sinks import Sink, Sinks
from ctlake.config.sources import Sources
from ctlake.errors import BadInputError

CONFIG_FILE = "ctlake.toml"
# Section name -> its reader, in the order `config show` prints them.
SECTIONS: dict[str, Callable[[Any, KeyPath], Any]] = {
    "lake": LakeStorage.from_toml,
    "sources": Sources.from_toml,
    "schedule": Schedule.from_toml,
    "retention": Retention.from_toml,
    "sinks": Sinks.from_toml,
    "reports": Reports.from_toml,
    "insights": InsightConfig.from_toml,
    "cost": CostConfig.from_toml,
    "engine": EngineConfig.from_toml,
    "spark": SparkConfig.from_toml,
    "metrics": MetricsConfig.from_toml,
    "alarms": AlarmsConfig.from_toml,
}


@dataclass(frozen=True)
class Config:
    path: Path  # the file, which may not exist (then every section has its defaults)
    lake: LakeStorage
    sources: Sources
    schedule: Schedule
    retention: Retention
    sinks: Sinks
    reports: Reports
    insights: InsightConfig
    cost: CostConfig
    engine: EngineConfig
    spark: SparkConfig
    metrics: MetricsConfig
    alarms: AlarmsConfig

    def to_toml(self) -> dict[str, Any]:
        """The effective configuration by section, as `config show` prints it."""
        return {name: getattr(self, name).to_toml() for name in SECTIONS}


def load(lake_root: Path) -> Config:
    """The configuration of the lake at `lake_root` (defaults when it has no ctlake.toml)."""
    path = lake_root / CONFIG_FILE
    data = read_toml(path) if path.is_file() else {}
    root = KeyPath(path)
    only(data, SECTIONS, root, "a section")
    sections = {name: read(data.get(name, {}), root / name) for name, read in SECTIONS.items()}
    return Config(path, **sections)


def load_storage(lake_root: Path) -> LakeStorage:
    """Only `[lake]` of the lake's ctlake.toml: where its data files are. Every command
    that opens the lake needs it, so it must not fail on a problem in another section
    (`config check` reports those)."""
    path = lake_root / CONFIG_FILE
    data = read_toml(path) if path.is_file() else {}
    return LakeStorage.from_toml(data.get("lake", {}), KeyPath(path) / "lake")


def appended(text: str, tables: str) -> str:
    """A ctlake.toml's `text` (or "" for a new file) with the TOML `tables` added at its end,
    after one blank line: how `config init --cis` and `metrics import` extend a user's file
    without rewriting (and losing the comments of) what is there."""
    return text + ("" if not text or text.endswith("\n") else "\n") + "\n" + tables


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInputError(f"{path}: not valid TOML: {exc}") from None


__all__ = [
    "CONFIG_FILE",
    "SECTIONS",
    "AlarmConfig",
    "AlarmsConfig",
    "Config",
    "CostConfig",
    "EngineConfig",
    "InsightConfig",
    "KeyPath",
    "LakeStorage",
    "MetricFilter",
    "MetricsConfig",
    "Report",
    "Reports",
    "Retention",
    "Schedule",
    "Sink",
    "Sinks",
    "Sources",
    "SparkConfig",
    "load",
    "load_storage",
]
