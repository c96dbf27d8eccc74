"""`[sources]`: the folders or globs of CloudTrail files `ctlake run` ingests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ctlake.config.keys import KeyPath, lake_path, only, strings, table


@dataclass(frozen=True)
class Sources:
    paths: tuple[str, ...] = ()  # absolute; globs kept as globs

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> Sources:
        data = table(value, path)
        only(data, {"paths"}, path, "a key")
        return cls(tuple(lake_path(path.lake_root, p) for p in strings(data, "paths", path)))

    def to_toml(self) -> dict[str, Any]:
        return {"paths": list(self.paths)}
