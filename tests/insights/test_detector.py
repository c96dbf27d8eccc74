"""What the insight models find, one behaviour per test, on small generated trails.

Every trail has a heartbeat (one unrelated call an hour from day 0) so the account's
history, and with it the baseline's whole days, starts at BASE.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ctlake.errors import BadInputError
from ctlake.lake import Lake, reader
from ctlake.models import refresh
from tests.insights.trail import Trail, day

HOUR = timedelta(hours=1)


def trail(days: float) -> Trail:
    t = Trail()
    t.every(day(0), day(days), minutes=60, source="sts.amazonaws.com", name="Heartbeat")
    return t


def found(lake: Lake, tmp_path: Path, t: Trail) -> list[dict[str, Any]]:
    """Ingest `t`, refresh, and return the Start records (as dicts)."""
    t.ingest(lake, tmp_path / "in")
    refresh(lake)
    con = reader.connect(lake)
    try:
        cursor = con.execute(
            "SELECT * FROM insight_events WHERE state = 'Start' ORDER BY insightStart, eventName"
        )
        names = [c[0] for c in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def about(insights: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [i for i in insights if i["eventName"] == name]


def test_a_few_calls_to_a_rarely_used_api_are_not_an_insight(lake: Lake, tmp_path: Path) -> None:
    t = trail(3)
    t.every(day(0), day(3), minutes=360, name="SendCommand")
    t.burst(day(2) + 10 * HOUR, 4, minutes=2, name="SendCommand")
    assert about(found(lake, tmp_path, t), "SendCommand") == []


def test_15_send_commands_in_five_minutes_over_a_baseline_of_0_044_a_minute_is_an_insight(
    lake: Lake, tmp_path: Path
) -> None:
    t = trail(8)
    t.every(day(0), day(8), minutes=22.5, name="SendCommand")  # 64 a day = 0.0444 a minute
    t.burst(day(7) + 5 * HOUR + timedelta(minutes=51), 15, minutes=5, name="SendCommand")
    [insight] = about(found(lake, tmp_path, t), "SendCommand")
    assert insight["insightType"] == "ApiCallRateInsight"
    assert insight["baselineAverage"] == pytest.approx(0.0444, abs=0.001)
    assert insight["baselineDuration"] == 10080
    assert day(7) + 5 * HOUR + timedelta(minutes=51) <= insight["insightStart"]
    assert insight["insightStart"] < day(7) + 5 * HOUR + timedelta(minutes=56)


def test_a_tenfold_spike_on_a_busy_api_is_an_insight(lake: Lake, tmp_path: Path) -> None:
    t = trail(3)
    t.every(day(0), day(3), minutes=1, count=1, source="ec2.amazonaws.com", name="CreateTags")
    t.every(
        day(2) + 9 * HOUR,
        day(2) + 9 * HOUR + timedelta(minutes=10),
        minutes=1,
        count=9,
        source="ec2.amazonaws.com",
        name="CreateTags",
        arn="arn:aws:iam::111122223333:user/bot",
    )
    [insight] = about(found(lake, tmp_path, t), "CreateTags")
    # the 5-minute window crosses 4x the baseline (20) in the spike's second minute
    # (1+1+1+10+10 = 23; 14 at 09:00); Start moves back to 09:00, whose 10 calls were already
    # above the per-minute bar max(4 x 1.0, 2 x level 5 / 5) = 4: the spike's first minute
    assert insight["insightStart"] == day(2) + 9 * HOUR
    assert insight["insightEnd"] == day(2) + 9 * HOUR + timedelta(minutes=10)
    assert insight["baselineAverage"] == pytest.approx(1.0, rel=0.01)
    assert insight["insightAverage"] == 10.0


def runaway_trail() -> Trail:
    """RunInstances every 20 minutes for 8 days (0.05 a minute; at :00, :20, :40)."""
    t = trail(8)
    t.every(day(0), day(8), minutes=20, source="ec2.amazonaws.com", name="RunInstances")
    return t


LAMBDA = "arn:aws:sts::111122223333:assumed-role/provisioner/capacity-provisioner"


def runaway(t: Trail, start: datetime, end: datetime) -> None:
    """Two RunInstances calls a minute by the Lambda in [start, end)."""
    t.every(
        start, end, minutes=1, count=2, source="ec2.amazonaws.com", name="RunInstances", arn=LAMBDA
    )


def test_a_slow_runaway_starts_at_the_minute_it_began_not_when_its_window_crossed_the_bar(
    lake: Lake, tmp_path: Path
) -> None:
    t = runaway_trail()
    began = day(7) + 10 * HOUR + timedelta(minutes=3)
    runaway(t, began, began + timedelta(minutes=25))
    [insight] = about(found(lake, tmp_path, t), "RunInstances")
    # the window first holds min_count (10) calls at 10:07, the runaway's fifth minute; each
    # minute before it had 2 calls > its onset_threshold max(4 x 0.05, 2 x level 1 / 5) = 0.4
    assert insight["insightStart"] == began
    assert insight["insightEnd"] == began + timedelta(minutes=25)
    assert insight["baselineAverage"] == pytest.approx(0.05)
    assert insight["insightAverage"] == 2.0  # the Start minute's count


@pytest.mark.parametrize(("gap", "minutes_after_onset"), [(0, 2), (1, 0)])
def test_start_bridges_quiet_minutes_inside_a_burst_only_as_onset_gap_minutes_allows(
    lake: Lake, tmp_path: Path, gap: int, minutes_after_onset: int
) -> None:
    lake.root.mkdir(parents=True)
    (lake.root / "ctlake.toml").write_text(f"[insights]\nonset_gap_minutes = {gap}\n")
    t = runaway_trail()
    began = day(7) + 10 * HOUR + timedelta(minutes=5)
    t.call(began - timedelta(minutes=3), source="ec2.amazonaws.com", name="RunInstances")
    runaway(t, began, began + timedelta(minutes=1))  # 10:05, then 10:06 is quiet
    runaway(t, began + timedelta(minutes=2), began + timedelta(minutes=25))
    [insight] = about(found(lake, tmp_path, t), "RunInstances")
    # flagged from 10:11 (10:07-10:11 = 10 calls). By default the run stops at the quiet
    # 10:06 (Start 10:07); a gap of 1 bridges it (Start 10:05) but not the two quiet minutes
    # before 10:05 that separate the lone call at 10:02
    assert insight["insightStart"] == began + timedelta(minutes=minutes_after_onset)


def test_a_second_burst_starts_no_earlier_than_the_end_of_the_first(
    lake: Lake, tmp_path: Path
) -> None:
    t = trail(3)
    at = day(2) + 15 * HOUR
    fields: dict[str, Any] = {"source": "iam.amazonaws.com", "name": "CreateUser"}
    t.burst(at, 40, minutes=2, **fields)  # 15:00-15:01
    t.every(at + timedelta(minutes=2), at + timedelta(minutes=12), minutes=1, **fields)
    t.burst(at + timedelta(minutes=12), 40, minutes=2, **fields)  # 15:12-15:13
    first, second = about(found(lake, tmp_path, t), "CreateUser")
    # the first period lasts while its window holds 10 calls: to 15:05 (End 15:06); the
    # second is flagged from 15:12 and every minute before it had a call (> 0 = the bar of
    # a never-seen API), but its Start stops at the first's End
    assert (first["insightStart"], first["insightEnd"]) == (at, at + timedelta(minutes=6))
    assert second["insightStart"] == at + timedelta(minutes=6)


def test_a_nightly_job_at_the_same_time_every_day_is_normal(lake: Lake, tmp_path: Path) -> None:
    t = trail(8)
    t.every(day(0) + 2 * HOUR, day(8), minutes=1440, count=300, minutes_per_burst=3)
    assert about(found(lake, tmp_path, t), "SendCommand") == []


def test_the_same_burst_at_another_time_of_day_is_an_insight(lake: Lake, tmp_path: Path) -> None:
    t = trail(8)
    t.every(day(0) + 2 * HOUR, day(7), minutes=1440, count=300, minutes_per_burst=3)
    t.burst(day(7) + 14 * HOUR, 300, minutes=3, name="SendCommand")
    [insight] = about(found(lake, tmp_path, t), "SendCommand")
    assert insight["insightStart"] == day(7) + 14 * HOUR


def test_a_sizeable_burst_on_a_never_seen_api_is_an_insight(lake: Lake, tmp_path: Path) -> None:
    t = trail(3)
    t.burst(day(2) + 15 * HOUR, 40, minutes=2, source="iam.amazonaws.com", name="CreateUser")
    [insight] = about(found(lake, tmp_path, t), "CreateUser")
    assert (insight["baselineAverage"], insight["baselineDuration"]) == (0.0, 2 * 1440)
    assert insight["insightAverage"] == 20.0


def test_business_hours_rhythm_is_not_an_insight(lake: Lake, tmp_path: Path) -> None:
    t = trail(5)
    for d in range(5):
        t.every(day(d) + 9 * HOUR, day(d) + 13 * HOUR, minutes=1, count=3, name="PutParameter")
    assert about(found(lake, tmp_path, t), "PutParameter") == []


def test_nothing_is_reported_before_the_learning_period(lake: Lake, tmp_path: Path) -> None:
    t = trail(2)
    t.burst(day(0) + 20 * HOUR, 100, minutes=2, name="CreateUser")
    assert about(found(lake, tmp_path, t), "CreateUser") == []


def test_a_burst_of_errors_is_an_error_rate_insight_naming_the_error(
    lake: Lake, tmp_path: Path
) -> None:
    t = trail(3)
    t.burst(
        day(2) + 8 * HOUR,
        30,
        minutes=2,
        source="iam.amazonaws.com",
        name="GetRole",
        read_only=True,
        error="AccessDenied",
    )
    [insight] = about(found(lake, tmp_path, t), "GetRole")
    assert (insight["insightType"], insight["errorCode"]) == ("ApiErrorRateInsight", "AccessDenied")
    assert '"errorCode":"AccessDenied","insightContext"' in insight["eventJson"]


def test_a_periodic_job_that_stops_is_a_gap_insight(lake: Lake, tmp_path: Path) -> None:
    t = trail(4)
    t.every(day(0), day(3) + 2 * HOUR, minutes=15, source="backup.amazonaws.com", name="Backup")
    t.every(day(3) + 6 * HOUR, day(4), minutes=15, source="backup.amazonaws.com", name="Backup")
    [insight] = about(found(lake, tmp_path, t), "Backup")
    assert insight["insightType"] == "ApiCallGapInsight"
    assert insight["insightStart"] == day(3) + 2 * HOUR  # the first run that did not happen
    assert insight["insightEnd"] == day(3) + 6 * HOUR  # the run that resumed the series
    assert insight["baselineAverage"] == pytest.approx(1 / 15)


def test_the_night_after_a_series_first_day_of_business_hours_is_not_a_gap(
    lake: Lake, tmp_path: Path
) -> None:
    # the demo's StopInstances: first called on day 1 (the account's data starts on day 0),
    # 25 calls 30 minutes apart in business hours, then quiet until the next morning. Its
    # longest interval is the 33 hours before its first call, not 30 minutes
    t = trail(3)
    for d in (1, 2):
        t.every(day(d) + 9 * HOUR, day(d) + 21 * HOUR + HOUR / 2, minutes=30, name="StopInstances")
    assert about(found(lake, tmp_path, t), "StopInstances") == []


def test_a_per_api_override_raises_the_bar_for_that_api_only(lake: Lake, tmp_path: Path) -> None:
    lake.root.mkdir(parents=True)
    (lake.root / "ctlake.toml").write_text(
        '[insights]\nrate_factor = 4\n[[insights.override]]\neventSource = "iam.amazonaws.com"\n'
        'eventName = "CreateUser"\nmin_count = 100\n'
    )
    t = trail(3)
    t.burst(day(2) + 15 * HOUR, 40, minutes=2, source="iam.amazonaws.com", name="CreateUser")
    t.burst(day(2) + 15 * HOUR, 40, minutes=2, source="iam.amazonaws.com", name="DeleteUser")
    assert [i["eventName"] for i in found(lake, tmp_path, t)] == ["DeleteUser"]


def test_a_suppression_removes_matching_insights(lake: Lake, tmp_path: Path) -> None:
    lake.root.mkdir(parents=True)
    (lake.root / "ctlake.toml").write_text(
        '[[insights.suppress]]\neventName = "CreateUser"\nreason = "onboarding week"\n'
    )
    t = trail(3)
    t.burst(day(2) + 15 * HOUR, 40, minutes=2, source="iam.amazonaws.com", name="CreateUser")
    assert found(lake, tmp_path, t) == []


def test_an_unknown_config_key_is_an_error_naming_the_file_and_key(
    lake: Lake, tmp_path: Path
) -> None:
    lake.root.mkdir(parents=True)
    (lake.root / "ctlake.toml").write_text("[insights]\nrate_factr = 3\n")
    with pytest.raises(BadInputError, match=r"ctlake\.toml: unknown key insights\.rate_factr"):
        found(lake, tmp_path, trail(1))


def test_a_wrongly_typed_config_value_is_an_error(lake: Lake, tmp_path: Path) -> None:
    lake.root.mkdir(parents=True)
    (lake.root / "ctlake.toml").write_text('[insights]\nmin_count = "ten"\n')
    with pytest.raises(BadInputError, match=r"insights\.min_count: expected a whole number >= 0"):
        found(lake, tmp_path, trail(1))


def test_an_insight_still_going_on_at_the_end_of_the_data_has_no_end_yet(
    lake: Lake, tmp_path: Path
) -> None:
    t = trail(3)  # the last heartbeat is at day 2 23:00
    t.burst(day(2) + 23 * HOUR, 40, minutes=2, source="iam.amazonaws.com", name="CreateUser")
    [insight] = about(found(lake, tmp_path, t), "CreateUser")
    assert insight["insightEnd"] is None
    con = reader.connect(lake)
    try:
        states = con.execute("SELECT state FROM insight_events").fetchall()
    finally:
        con.close()
    assert states == [("Start",)]


def test_weekday_business_hours_are_learnt_after_one_weekday_when_data_starts_on_a_weekend(
    lake: Lake, tmp_path: Path
) -> None:
    t = Trail()  # day(3) is Saturday 4 May 2024
    t.every(day(3), day(8), minutes=60, source="sts.amazonaws.com", name="Heartbeat")
    t.every(day(3), day(5), minutes=60, name="PutParameter")  # a quiet weekend
    for d in (5, 6, 7):  # Monday to Wednesday, 09:00-13:00
        t.every(day(d) + 9 * HOUR, day(d) + 13 * HOUR, minutes=1, count=3, name="PutParameter")
    found_ = about(found(lake, tmp_path, t), "PutParameter")
    assert found_, "the first Monday has nothing to compare with: an insight"
    assert all(i["insightStart"] < day(6) for i in found_)
