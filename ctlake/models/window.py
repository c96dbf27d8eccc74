"""What a refresh does to one model, and on which window: pure functions, no database.

An incremental model recomputes the half-open window `[start, end)`:

- `end` is the end of the data (the minute after the newest event ingested), never earlier
  than the model's high-water mark;
- `start` is the high-water mark minus the model's `lookback`, lowered to the earliest
  change upstream: for a model reading `events`, the earliest event of the batches ingested
  since it last ran (CloudTrail delivers late); for a model downstream of other models, the
  earliest time their outputs changed in this run (an incremental model's window start, a
  rebuilt model's own earliest upstream change).

A model whose output at time t depends only on inputs at or before t (every insight model's
time column has that property; see sql/README.md) therefore gets exactly the rows a full
build would give. A row whose time is NULL is not settled yet (an open gap): it may depend
on anything, so every window includes it. A model runs in full when asked, when it has no
state or table yet, or when its SQL or the config changed (the digest). Views and tables are
rebuilt whenever something upstream changed; with nothing new anywhere, every model is
skipped. Only a new definition (`Plan.replace`) re-creates a view or a table: otherwise a
view already shows the new data and a table is emptied and refilled, which leaves the
catalog's schema untouched (a schema change costs tens of milliseconds when DuckDB
checkpoints at the end of the refresh).

A keyed model (see `keyed`) gets the same `start` without a high-water mark: the earliest
upstream change, against which it compares each key's `key_time`. Which of its rows change
is not a time range, so it reports EPOCH as its change: downstream models see "anything may
have changed".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ctlake.models.project import Model
from ctlake.models.render import EPOCH
from ctlake.models.state import ModelState


@dataclass(frozen=True)
class Plan:
    action: str  # full | incremental | rebuild | skip
    start: datetime
    end: datetime
    changed_from: datetime | None  # earliest time this model's output may change (None: no)
    replace: bool = False  # view/table: its definition is new, create it (else refill it)


def floor_minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def data_end(latest_event: datetime | None) -> datetime:
    """The exclusive end of the data: the minute after the newest event."""
    if latest_event is None:
        return EPOCH
    return floor_minute(latest_event) + timedelta(minutes=1)


def earliest(*times: datetime | None) -> datetime | None:
    present = [t for t in times if t is not None]
    return min(present) if present else None


def plan_model(
    model: Model,
    state: ModelState | None,
    *,
    full: bool,
    digest: str,
    table_exists: bool,
    run_end: datetime,
    upstream_change: datetime | None,
) -> Plan:
    """The plan for `model`. `upstream_change` is the earliest change of its inputs this run
    (new events included), None when nothing it reads changed."""
    rebuild_all = full or state is None or state.digest != digest or not table_exists
    if model.kind == "keyed":
        if rebuild_all:
            return Plan("full", EPOCH, run_end, EPOCH)
        if upstream_change is None:
            return Plan("skip", EPOCH, run_end, None)
        return Plan("incremental", floor_minute(upstream_change), run_end, EPOCH)
    if model.kind != "incremental":
        if rebuild_all:
            return Plan("rebuild", EPOCH, run_end, EPOCH, replace=True)
        if upstream_change is None:
            return Plan("skip", EPOCH, run_end, None)
        return Plan("rebuild", EPOCH, run_end, upstream_change)
    if rebuild_all:
        return Plan("full", EPOCH, run_end, EPOCH)
    assert state is not None
    if upstream_change is None:
        return Plan("skip", EPOCH, run_end, None)
    high_water = state.high_water or EPOCH
    start = floor_minute(min(_minus(high_water, model.header.lookback), upstream_change))
    end = max(run_end, high_water)
    return Plan("incremental", start, end, start)


def _minus(value: datetime, delta: timedelta) -> datetime:
    return value - delta if value - EPOCH > delta else EPOCH
