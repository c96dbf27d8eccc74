"""`[engine]` and `[spark]`: which engine runs ingest, refresh and queries, and how Spark is
reached when it is the one.

    [engine]
    name = "duckdb"            # or "spark"; `--engine` on a command overrides it

    [spark]
    master = "local[*]"        # CTLAKE_SPARK_MASTER overrides it; any Spark master URL
    [spark.settings]           # passed to the SparkSession builder as they are
    "spark.executor.memory" = "4g"
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from ctlake.config.keys import KeyPath, only, string, table

ENGINES = ("duckdb", "spark")
DEFAULT_MASTER = "local[*]"
MASTER_VARIABLE = "CTLAKE_SPARK_MASTER"


@dataclass(frozen=True)
class EngineConfig:
    name: str = "duckdb"

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> EngineConfig:
        data = table(value, path)
        only(data, {"name"}, path, "a key")
        name = string(data, "name", path, default="duckdb")
        if name not in ENGINES:
            raise (path / "name").expected("duckdb or spark", name)
        return cls(name)

    def to_toml(self) -> dict[str, Any]:
        return {"name": self.name}


@dataclass(frozen=True)
class SparkConfig:
    master_setting: str | None = None  # as ctlake.toml gives it
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def master(self) -> str:
        """The environment first (a cluster job sets it), then the file, then local[*]."""
        return os.environ.get(MASTER_VARIABLE) or self.master_setting or DEFAULT_MASTER

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> SparkConfig:
        data = table(value, path)
        only(data, {"master", "settings"}, path, "a key")
        master = string(data, "master", path) if "master" in data else None
        raw = table(data.get("settings", {}), path / "settings")
        settings: dict[str, str] = {}
        for key, item in raw.items():
            if not isinstance(item, str | int | float | bool):
                raise (path / "settings" / key).expected("a string, number or boolean", item)
            settings[key] = str(item).lower() if isinstance(item, bool) else str(item)
        return cls(master, settings)

    def to_toml(self) -> dict[str, Any]:
        return {"master": self.master, "settings": dict(self.settings)}
