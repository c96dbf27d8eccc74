"""CloudWatch's metric-alarm state machine, evaluated on event time at each period's end.

At the end `t` of every period (periods aligned on multiples of `period` since the epoch,
as CloudWatch aligns them) the alarm looks at its *evaluation range*: the `N + EXTRA`
periods before `t`, where N is `evaluation_periods` and M `datapoints_to_alarm`. AWS's
documentation ("Configuring how CloudWatch alarms treat missing data") describes what it
does with them; this module does exactly that:

1. If the range holds at least N real datapoints, the most recent N of them are evaluated
   (older ones are not needed): ALARM when at least M breach the threshold, else OK. The
   missing-data treatment plays no part.
2. If it holds fewer (k < N), the N - k missing ones are filled as the treatment says —
   every real datapoint in the range still counts, fills are used as few times as possible:
   - `breaching`: the fills breach; ALARM when real breaches + (N - k) >= M, else OK;
   - `notBreaching`: the fills do not; ALARM when real breaches >= M, else OK;
   - `ignore`: ALARM when the real breaches alone reach M, OK when even breaching fills
     could not reach M, otherwise the current state is kept; no datapoint at all keeps it;
   - `missing`: as `ignore`, except that no datapoint at all is INSUFFICIENT_DATA, and
     AWS's rule against premature transitions is applied: when the oldest breaching
     datapoint of the range is at least M periods old and every more recent one breaches
     or is missing, the alarm goes to ALARM though fewer than M datapoints breach.

CloudWatch does not publish the length of the evaluation range; AWS's worked example
evaluates 3 periods over a range of 5, so ctlake takes N + 2 (`EXTRA`).

`run` replays the machine from a state over a span of period ends and returns each state
change with CloudWatch's reason text and reason data. It is pure: no clock, no I/O.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ctlake.config.alarms import AlarmConfig

OK, ALARM, INSUFFICIENT = "OK", "ALARM", "INSUFFICIENT_DATA"
STATES = (OK, ALARM, INSUFFICIENT)
EXTRA = 2  # evaluation range = evaluation_periods + EXTRA periods
EPOCH = datetime(1970, 1, 1)

_WORDS = {
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "GreaterThanThreshold": "greater than",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}


@dataclass(frozen=True)
class Change:
    """One state change: at the end of the period starting `timestamp - period`."""

    timestamp: datetime
    old_state: str
    new_state: str
    reason: str
    reason_data: dict[str, Any] = field(default_factory=dict)


def breaches(alarm: AlarmConfig, value: float) -> bool:
    op, threshold = alarm.comparison_operator, alarm.threshold
    if op == "GreaterThanOrEqualToThreshold":
        return value >= threshold
    if op == "GreaterThanThreshold":
        return value > threshold
    if op == "LessThanThreshold":
        return value < threshold
    return value <= threshold


def period_start(moment: datetime, period: int) -> datetime:
    """The start of the period holding `moment` (periods aligned on the epoch)."""
    seconds = int((moment - EPOCH).total_seconds())
    return EPOCH + timedelta(seconds=seconds - seconds % period)


def decide(alarm: AlarmConfig, window: list[float | None], state: str) -> str:
    """The state after one evaluation of `window` (the range, oldest first; None = missing)."""
    n, m = alarm.evaluation_periods, alarm.datapoints_to_alarm
    real = [value for value in window if value is not None]
    if len(real) >= n:
        return ALARM if sum(breaches(alarm, v) for v in real[-n:]) >= m else OK
    hits, fills = sum(breaches(alarm, v) for v in real), n - len(real)
    treatment = alarm.treat_missing_data
    if treatment == "breaching":
        return ALARM if hits + fills >= m else OK
    if treatment == "notBreaching":
        return ALARM if hits >= m else OK
    if not real:
        return state if treatment == "ignore" else INSUFFICIENT
    if hits >= m:
        return ALARM
    if hits + fills < m:
        return OK
    if treatment == "missing" and _premature_rule(alarm, window):
        return ALARM
    return state


def _premature_rule(alarm: AlarmConfig, window: list[float | None]) -> bool:
    """The oldest breaching datapoint is at least M periods old and every more recent
    datapoint breaches or is missing."""
    newest_first = list(reversed(window))
    breaching = [i for i, v in enumerate(newest_first) if v is not None and breaches(alarm, v)]
    if not breaching or breaching[-1] + 1 < alarm.datapoints_to_alarm:
        return False
    return all(v is None or breaches(alarm, v) for v in newest_first[: breaching[-1]])


def run(
    alarm: AlarmConfig,
    points: Mapping[datetime, float],
    state: str,
    first_end: datetime,
    last_end: datetime,
) -> Iterator[Change]:
    """The state changes of evaluating at every period end from `first_end` to `last_end`
    (both included, aligned) starting in `state`; `points` maps period start -> value."""
    step = timedelta(seconds=alarm.period)
    span = alarm.evaluation_periods + EXTRA
    starts = sorted(points)
    end = first_end
    while end <= last_end:
        window_starts = [end - step * (span - i) for i in range(span)]
        window = [points.get(start) for start in window_starts]
        new = decide(alarm, window, state)
        if new != state:
            why = reason(alarm, window, window_starts, state, new)
            yield Change(end, state, new, why, reason_data(alarm, window, window_starts, end))
            state = new
        end = _next_end(alarm, starts, end, state, step)


def _next_end(
    alarm: AlarmConfig, starts: list[datetime], end: datetime, state: str, step: timedelta
) -> datetime:
    """The next period end worth evaluating: the next one, or — when an empty range leaves
    the state as it is and the next range is empty — the first whose range holds a
    datapoint (datetime.max when none does)."""
    following = end + step
    if decide(alarm, [None] * (alarm.evaluation_periods + EXTRA), state) != state:
        return following
    oldest = following - step * (alarm.evaluation_periods + EXTRA)
    index = bisect_left(starts, oldest)
    if index == len(starts):
        return datetime.max
    return following if starts[index] < following else starts[index] + step


def _stamp(moment: datetime) -> str:
    return moment.strftime("%d/%m/%y %H:%M:%S")


def reason(
    alarm: AlarmConfig, window: list[float | None], starts: list[datetime], old: str, new: str
) -> str:
    """CloudWatch's StateReason for a change from `old` to `new`."""
    real = [(s, v) for s, v in zip(starts, window, strict=True) if v is not None]
    if new == INSUFFICIENT:
        return f"Insufficient Data: {_count(len(window), 'datapoint')} {_was(len(window))} unknown."
    n, m = alarm.evaluation_periods, alarm.datapoints_to_alarm
    fills = n - len(real) if alarm.treat_missing_data in _FILLED else 0
    treated = _FILLED.get(alarm.treat_missing_data, "")
    if fills == n:
        return (
            f"Threshold Crossed: no datapoints were received for {_count(n, 'period')} and "
            f"{_count(n, 'missing datapoint')} {_was(n)} treated as [{treated}]."
        )
    shown = real[-n:][::-1]
    listed = ", ".join(f"{v:g} ({_stamp(s)})" for s, v in shown)
    word = _WORDS[alarm.comparison_operator]
    if new == ALARM:
        count = sum(breaches(alarm, v) for _, v in shown)
    else:
        count, word = sum(not breaches(alarm, v) for _, v in shown), f"not {word}"
    filled = f" and {_count(fills, 'missing datapoint')} treated as [{treated}]" if fills else ""
    return (
        f"Threshold Crossed: {count} out of the last {len(shown)} datapoints "
        f"[{listed}] {_was(count)} {word} the threshold ({alarm.threshold:g}){filled} "
        f"(minimum {_count(m, 'datapoint')} for {old} -> {new} transition)."
    )


_FILLED = {"breaching": "Breaching", "notBreaching": "NonBreaching"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def reason_data(
    alarm: AlarmConfig, window: list[float | None], starts: list[datetime], end: datetime
) -> dict[str, Any]:
    """CloudWatch's StateReasonData: the datapoints evaluated, newest first."""
    real = [(s, v) for s, v in zip(starts, window, strict=True) if v is not None]
    recent = real[-alarm.evaluation_periods :][::-1]
    stat_key = "extendedStatistic" if alarm.percentile is not None else "statistic"
    return {
        "version": "1.0",
        "queryDate": end.strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        "startDate": starts[0].strftime("%Y-%m-%dT%H:%M:%S.000+0000"),
        stat_key: alarm.statistic,
        "period": alarm.period,
        "recentDatapoints": [v for _, v in recent],
        "threshold": alarm.threshold,
        "evaluatedDatapoints": [
            {"timestamp": s.strftime("%Y-%m-%dT%H:%M:%S.000+0000"), "value": v} for s, v in recent
        ],
    }
