"""The alarm state machine against hand-computed cases: AWS's missing-data table (3 out of 3,
an evaluation range of 5), M out of N sequences for every treatment, and the skip over
empty stretches against a plain period-by-period loop."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctlake.cloudwatch.alarms.machine import ALARM, INSUFFICIENT, OK, decide, period_start, run
from ctlake.config.alarms import AlarmConfig

T0 = datetime(2026, 3, 1, 10, 0)
PERIOD = 300


def alarm(n: int = 3, m: int = 3, missing: str = "missing", **kw: object) -> AlarmConfig:
    settings_ = dict(
        name="a",
        namespace="ns",
        metric_name="m",
        statistic="Sum",
        period=PERIOD,
        evaluation_periods=n,
        datapoints_to_alarm=m,
        threshold=1.0,
        comparison_operator="GreaterThanOrEqualToThreshold",
        treat_missing_data=missing,
    )
    settings_.update(kw)
    return AlarmConfig(**settings_)  # type: ignore[arg-type]


def window(text: str) -> list[float | None]:
    """'0 - X' -> [0.0, None, 5.0]: not breaching, missing, breaching (oldest first)."""
    return [{"0": 0.0, "-": None, "X": 5.0}[c] for c in text.split()]


RETAIN = "retain"
# AWS's table: datapoints, then the state for missing, ignore, breaching, notBreaching.
TABLE = [
    ("0 - X - X", OK, OK, OK, OK),
    ("0 - - - -", OK, OK, OK, OK),
    ("- - - - -", INSUFFICIENT, RETAIN, ALARM, OK),
    ("0 X X - X", ALARM, ALARM, ALARM, ALARM),
    ("- - X - -", ALARM, RETAIN, ALARM, OK),
]


@pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("current", [OK, ALARM, INSUFFICIENT])
def test_the_missing_data_table(row: tuple[str, ...], current: str) -> None:
    points = window(row[0])
    for treatment, expected in zip(
        ("missing", "ignore", "breaching", "notBreaching"), row[1:], strict=True
    ):
        got = decide(alarm(missing=treatment), points, current)
        assert got == (current if expected == RETAIN else expected), treatment


def end(i: int) -> datetime:
    """The end of period i (period 0 starts at T0)."""
    return T0 + timedelta(seconds=PERIOD * (i + 1))


def changes(a: AlarmConfig, values: dict[int, float], last: int) -> list[tuple[int, str]]:
    points = {T0 + timedelta(seconds=PERIOD * i): v for i, v in values.items()}
    out = run(a, points, INSUFFICIENT, end(0), end(last))
    return [(int((c.timestamp - T0).total_seconds()) // PERIOD - 1, c.new_state) for c in out]


# 2 out of 3: periods 0..2 = 5, 0, 5, then nothing. Hand-computed from the rules in
# ctlake/cloudwatch/alarms/machine.py (range = 5 periods).
TWO_OF_THREE = {0: 5.0, 1: 0.0, 2: 5.0}
SEQUENCES = {
    # end 0: [- - - - 5] 1 real, 1 hit < 2 -> OK; end 2: [- - 5 0 5] 2 of 3 -> ALARM;
    # end 5: [0 5 - - -] 2 real, 1 hit, fills do not breach -> OK
    "notBreaching": [(0, OK), (2, ALARM), (5, OK)],
    # end 0: 1 hit + 2 breaching fills -> ALARM, and an empty range stays ALARM
    "breaching": [(0, ALARM)],
    # ends 0, 1 undecided (a hit plus fills could reach 2) -> kept; end 5 [0 5 - - -] kept
    "ignore": [(2, ALARM)],
    # as ignore; end 5 and 6 stay ALARM by the premature-transition rule (the breach is 4
    # and 5 periods old, nothing more recent); end 7: empty range -> INSUFFICIENT_DATA
    "missing": [(2, ALARM), (7, INSUFFICIENT)],
}


@pytest.mark.parametrize("treatment", SEQUENCES)
def test_two_out_of_three(treatment: str) -> None:
    got = changes(alarm(3, 2, treatment), TWO_OF_THREE, 20)
    assert got == SEQUENCES[treatment]


def test_a_sparse_metric_skips_empty_stretches_without_missing_a_change() -> None:
    a = alarm(1, 1, "notBreaching")
    # a breach stays in the range (3 periods) then the empty range is OK, twice
    assert changes(a, {0: 1.0, 50: 1.0}, 60) == [(0, ALARM), (3, OK), (50, ALARM), (53, OK)]


def test_the_premature_transition_rule_needs_the_breach_m_periods_old() -> None:
    a = alarm(3, 3, "missing")
    assert decide(a, window("- - - X -"), OK) == OK  # 2 periods old: undecided, kept
    assert decide(a, window("- - X - -"), OK) == ALARM  # 3 periods old
    assert decide(a, window("- - X - 0"), OK) == OK  # a newer datapoint does not breach


@pytest.mark.parametrize(
    ("operator", "value", "breach"),
    [
        ("GreaterThanOrEqualToThreshold", 1.0, True),
        ("GreaterThanThreshold", 1.0, False),
        ("LessThanThreshold", 0.5, True),
        ("LessThanOrEqualToThreshold", 1.0, True),
        ("LessThanThreshold", 1.0, False),
    ],
)
def test_the_four_operators(operator: str, value: float, breach: bool) -> None:
    a = alarm(1, 1, "notBreaching", comparison_operator=operator)
    assert decide(a, [None, None, value], OK) == (ALARM if breach else OK)


def test_reason_text_and_data_follow_cloudwatch() -> None:
    change = next(iter(run(alarm(1, 1), {T0: 3.0}, INSUFFICIENT, end(0), end(0))))
    assert change.reason == (
        "Threshold Crossed: 1 out of the last 1 datapoints [3 (01/03/26 10:00:00)] was "
        "greater than or equal to the threshold (1) (minimum 1 datapoint for "
        "INSUFFICIENT_DATA -> ALARM transition)."
    )
    assert change.reason_data["recentDatapoints"] == [3.0]
    assert change.reason_data["statistic"] == "Sum"
    assert change.timestamp == datetime(2026, 3, 1, 10, 5)


def test_reasons_name_the_missing_datapoints_treated() -> None:
    a = alarm(2, 1, "notBreaching")
    ok, firing = list(run(a, {T0: 3.0}, ALARM, end(-10), end(3)))
    assert ok.reason == (
        "Threshold Crossed: no datapoints were received for 2 periods and 2 missing "
        "datapoints were treated as [NonBreaching]."
    )
    assert firing.reason.endswith(
        "[3 (01/03/26 10:00:00)] was greater than or equal to the threshold (1) and 1 missing "
        "datapoint treated as [NonBreaching] (minimum 1 datapoint for OK -> ALARM transition)."
    )
    gone = list(run(alarm(1, 1), {T0: 3.0}, OK, end(0), end(5)))[-1]
    assert gone.reason == "Insufficient Data: 3 datapoints were unknown."


def test_periods_are_aligned_on_the_epoch() -> None:
    assert period_start(datetime(2026, 3, 1, 10, 7, 31), 300) == datetime(2026, 3, 1, 10, 5)
    assert period_start(datetime(2026, 3, 1, 10, 7, 31), 3600) == datetime(2026, 3, 1, 10)


def plain_loop(a: AlarmConfig, points: dict[datetime, float], last: datetime) -> list[tuple]:
    step, span = timedelta(seconds=a.period), a.evaluation_periods + 2
    state, out, t = INSUFFICIENT, [], end(0)
    while t <= last:
        new = decide(a, [points.get(t - step * (span - i)) for i in range(span)], state)
        if new != state:
            out.append((t, new))
            state = new
        t += step
    return out


@settings(max_examples=150, deadline=None)
@given(
    n=st.integers(1, 4),
    m_less=st.integers(0, 3),
    treatment=st.sampled_from(["missing", "ignore", "breaching", "notBreaching"]),
    values=st.dictionaries(st.integers(0, 80), st.sampled_from([0.0, 2.0]), max_size=12),
)
def test_run_equals_evaluating_every_period(
    n: int, m_less: int, treatment: str, values: dict[int, float]
) -> None:
    a = alarm(n, max(1, n - m_less), treatment)
    points = {T0 + timedelta(seconds=PERIOD * i): v for i, v in values.items()}
    got = [(c.timestamp, c.new_state) for c in run(a, points, INSUFFICIENT, end(0), end(90))]
    assert got == plain_loop(a, points, end(90))
