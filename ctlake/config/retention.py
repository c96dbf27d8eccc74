"""`[retention]`: event partitions older than `days` are removed, as an event data store's
retention period does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ctlake.config.keys import KeyPath, number, only, table


@dataclass(frozen=True)
class Retention:
    days: int | None = None  # None: keep everything

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> Retention:
        data = table(value, path)
        only(data, {"days"}, path, "a key")
        if "days" not in data:
            return cls()
        return cls(int(number(data["days"], path / "days", least=1, whole=True)))

    def to_toml(self) -> dict[str, Any]:
        return {} if self.days is None else {"days": self.days}
