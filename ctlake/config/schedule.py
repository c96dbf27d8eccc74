"""`[schedule]`: how often `ctlake schedule` runs a batch, and how long a batch waits for
another writer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ctlake.config.keys import KeyPath, duration, number, only, table
from ctlake.durations import format_duration

DEFAULT_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Schedule:
    every: timedelta = DEFAULT_EVERY
    wait: float = 0.0  # seconds

    @classmethod
    def from_toml(cls, value: Any, path: KeyPath) -> Schedule:
        data = table(value, path)
        only(data, {"every", "wait"}, path, "a key")
        every = duration(data["every"], path / "every") if "every" in data else DEFAULT_EVERY
        return cls(every, float(number(data.get("wait", 0), path / "wait")))

    def to_toml(self) -> dict[str, Any]:
        return {"every": format_duration(self.every), "wait": self.wait}
