"""The window math of incremental models, as pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ctlake.models.header import ModelHeader
from ctlake.models.project import Model
from ctlake.models.render import EPOCH
from ctlake.models.state import ModelState
from ctlake.models.window import data_end, plan_model

T0 = datetime(2024, 5, 1, 12, 0)


def model(kind: str = "incremental", lookback_minutes: int = 0) -> Model:
    header = ModelHeader(kind, "x", "minute", timedelta(minutes=lookback_minutes))
    return Model("m", Path("m.sql"), "", header, (), ("events",))


def state(high_water: datetime, digest: str = "d") -> ModelState:
    return ModelState("m", "incremental", high_water, 1, None, 0, T0, 0.0, digest)


def plan(m: Model, s: ModelState | None, change: datetime | None, **kw: object):  # type: ignore[no-untyped-def]
    args = {"full": False, "digest": "d", "table_exists": True, "run_end": T0}
    args.update(kw)
    return plan_model(m, s, upstream_change=change, **args)  # type: ignore[arg-type]


def test_a_model_without_state_is_built_in_full() -> None:
    p = plan(model(), None, T0)
    assert (p.action, p.start, p.end, p.changed_from) == ("full", EPOCH, T0, EPOCH)


def test_a_changed_sql_or_config_digest_rebuilds_in_full() -> None:
    assert plan(model(), state(T0), None, digest="other").action == "full"


def test_nothing_new_upstream_skips_the_model() -> None:
    p = plan(model(), state(T0), None)
    assert (p.action, p.changed_from) == ("skip", None)


def test_the_window_starts_at_the_high_water_mark_minus_lookback() -> None:
    hw = T0 - timedelta(hours=1)
    p = plan(model(lookback_minutes=30), state(hw), T0)
    assert (p.action, p.start, p.end) == ("incremental", hw - timedelta(minutes=30), T0)


def test_late_data_lowers_the_window_to_the_earliest_change() -> None:
    late = T0 - timedelta(days=3, seconds=17)
    p = plan(model(lookback_minutes=30), state(T0), late)
    assert p.start == late.replace(second=0) and p.changed_from == p.start


def test_the_end_of_data_is_the_minute_after_the_newest_event() -> None:
    assert data_end(datetime(2024, 5, 1, 12, 0, 59)) == datetime(2024, 5, 1, 12, 1)
    assert data_end(None) == EPOCH


@given(
    hw_minutes=st.integers(0, 10_000),
    lookback=st.integers(0, 2_000),
    change_minutes=st.integers(0, 20_000),
)
def test_an_incremental_window_always_covers_every_change_and_the_lookback(
    hw_minutes: int, lookback: int, change_minutes: int
) -> None:
    hw = T0 + timedelta(minutes=hw_minutes)
    change = T0 + timedelta(minutes=change_minutes, seconds=30)
    p = plan(model(lookback_minutes=lookback), state(hw), change, run_end=T0)
    assert p.start <= change and p.start <= hw - timedelta(minutes=lookback)
    assert p.end >= hw and p.start.second == 0


def test_views_and_tables_are_rebuilt_only_when_something_upstream_changed() -> None:
    view = model("view")
    assert plan(view, state(T0), None).action == "skip"
    assert plan(view, state(T0), T0).changed_from == T0
    assert plan(view, None, None).changed_from == EPOCH


def test_only_a_new_definition_replaces_a_view_or_a_table() -> None:
    table = model("table")
    assert plan(table, state(T0), T0).replace is False
    assert plan(table, state(T0), T0, digest="other").replace is True
    assert plan(table, state(T0), None, table_exists=False).replace is True


def test_a_keyed_model_starts_at_the_earliest_change_and_reports_any_time_changed() -> None:
    keyed = model("keyed")
    late = T0 - timedelta(hours=5, seconds=3)
    p = plan(keyed, state(T0), late)
    assert (p.action, p.start, p.end, p.changed_from) == (
        "incremental",
        late.replace(second=0),
        T0,
        EPOCH,
    )
    assert plan(keyed, state(T0), None).action == "skip"
    assert plan(keyed, None, late).action == "full"
