"""Reading the alarms' recorded state changes (`alarm_history`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ctlake.lake import Lake
from ctlake.resources import read_sql


@dataclass(frozen=True)
class StateChange:
    alarm: str
    timestamp: datetime  # the period end (event time)
    old_state: str
    new_state: str
    reason: str


def state_changes(lake: Lake) -> list[StateChange]:
    """Every alarm's state changes in the order recorded; call after `evaluate_alarms`."""
    with lake.catalog(read_only=True) as catalog:
        rows = catalog.execute(read_sql(__file__, "history_all")).fetchall()
    return [StateChange(*row) for row in rows]
