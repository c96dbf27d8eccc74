"""`[sources]`: the folders, globs or bucket URLs of CloudTrail files `ctlake run` ingests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ctlake.config.keys import KeyPath, lake_path, only, strings, table
from ctlake.urls import is_url


@dataclass(frozen=True)
class Sources:
    paths: tuple[str, ...] = ()  # absolute, or URLs (s3://bucket/AWSLogs/); globs kept

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> Sources:
        data = table(value, path)
        only(data, {"paths"}, path, "a key")
        paths = strings(data, "paths", path)
        return cls(tuple(p if is_url(p) else lake_path(path.lake_root, p) for p in paths))

    def to_toml(self) -> dict[str, Any]:
        return {"paths": list(self.paths)}
