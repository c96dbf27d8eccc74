"""The model `metric_points`: datapoints per metric, dimensions and minute against counts
worked out by hand, default values, incremental refresh equal to a full one, and a changed
filter recomputing its history."""

from __future__ import annotations

import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctlake.config import KeyPath, MetricsConfig
from ctlake.errors import BadInputError
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from ctlake.models import refresh
from tests.conftest import WriteFile, make_record

SIGNIN = {"eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin"}
FAILED = dict(SIGNIN, errorMessage="Failed authentication")
FILTERS: list[dict[str, Any]] = [
    {
        "name": "ConsoleSignInFailures",
        "pattern": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
        "namespace": "CloudTrailMetrics",
        "metric_name": "ConsoleSigninFailureCount",
        "value": "1",
        "default_value": 0,
    },
    {
        "name": "RoleSessionSeconds",
        "pattern": "{ $.eventName = AssumeRole }",
        "namespace": "CloudTrailMetrics",
        "metric_name": "SessionSeconds",
        "value": "$.requestParameters.durationSeconds",
    },
    {
        "name": "CallsByApi",
        "pattern": '{ $.eventSource = "iam.amazonaws.com" }',
        "namespace": "Api",
        "metric_name": "Calls",
        "value": "2",
        "dimensions": {"Name": "$.eventName", "Account": "$.recipientAccountId"},
    },
]


def metrics(filters: list[dict[str, Any]]) -> MetricsConfig:
    return MetricsConfig.from_toml({"filter": filters}, KeyPath(Path("ctlake.toml")))


def at(minute: int, second: int = 0) -> str:
    return f"2024-05-01T12:{minute:02d}:{second:02d}Z"


def records() -> list[dict[str, Any]]:
    """Minute 0: two failed sign-ins and an AssumeRole of 900s; minute 1: a CreateUser;
    minute 2: one failed sign-in, AssumeRoles of 3600s and of no duration; minute 4: a
    successful sign-in (no failure: the default 0)."""
    sts = {"eventSource": "sts.amazonaws.com", "eventName": "AssumeRole"}
    rows = [
        dict(FAILED, eventTime=at(0, 5)),
        dict(FAILED, eventTime=at(0, 40)),
        dict(sts, eventTime=at(0, 50), requestParameters={"durationSeconds": 900}),
        dict(eventTime=at(1, 10)),  # iam CreateUser
        dict(FAILED, eventTime=at(2, 1)),
        dict(sts, eventTime=at(2, 2), requestParameters={"durationSeconds": 3600}),
        dict(sts, eventTime=at(2, 3), requestParameters={"roleArn": "x"}),
        dict(SIGNIN, eventTime=at(4, 0)),
    ]
    return [make_record(n, **fields) for n, fields in enumerate(rows)]


def points(lake: Lake) -> list[tuple[Any, ...]]:
    con = reader.connect(lake)
    try:
        return con.execute(
            "SELECT namespace, metric_name, dimensions, strftime(minute, '%H:%M'), "
            'sample_count, sum, minimum, maximum, "values" FROM metric_points '
            "ORDER BY 1, 2, 3, 4"
        ).fetchall()
    finally:
        con.close()


EXPECTED = [
    # iam events (CreateUser at 12:01; ConsoleLogin is signin's) with value 2
    ("Api", "Calls", '{"Account":"111122223333","Name":"CreateUser"}', "12:01", 1, 2.0, 2.0, 2.0,
     [2.0]),
    # failures 2, 0 (default: the minute has an event), 1, no minute 3 (no events), 0
    ("CloudTrailMetrics", "ConsoleSigninFailureCount", "{}", "12:00", 2, 2.0, 1.0, 1.0,
     [1.0, 1.0]),
    ("CloudTrailMetrics", "ConsoleSigninFailureCount", "{}", "12:01", 1, 0.0, 0.0, 0.0, [0.0]),
    ("CloudTrailMetrics", "ConsoleSigninFailureCount", "{}", "12:02", 1, 1.0, 1.0, 1.0, [1.0]),
    ("CloudTrailMetrics", "ConsoleSigninFailureCount", "{}", "12:04", 1, 0.0, 0.0, 0.0, [0.0]),
    # the AssumeRole without durationSeconds gives no datapoint
    ("CloudTrailMetrics", "SessionSeconds", "{}", "12:00", 1, 900.0, 900.0, 900.0, [900.0]),
    ("CloudTrailMetrics", "SessionSeconds", "{}", "12:02", 1, 3600.0, 3600.0, 3600.0, [3600.0]),
]  # fmt: skip


def test_the_datapoints_are_the_ones_counted_by_hand(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    refresh(lake, metrics=metrics(FILTERS))
    assert points(lake) == EXPECTED


def test_two_filters_of_one_metric_share_its_rows(lake: Lake, write_records: WriteFile) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    both = [
        dict(FILTERS[0], default_value=None),
        dict(FILTERS[0], name="Again", value="10", default_value=None),
    ]
    refresh(lake, metrics=metrics(both))
    assert [row[3:8] for row in points(lake)] == [
        ("12:00", 4, 22.0, 1.0, 10.0),
        ("12:02", 2, 11.0, 1.0, 10.0),
    ]


def test_an_incremental_refresh_gives_the_rows_of_a_full_one(
    tmp_path: Path, write_records: WriteFile
) -> None:
    """Ingest in three steps, the last one late (its events before the high-water mark),
    refreshing after each; then the same records at once and a full build."""
    rows = records()
    steps, whole = Lake(tmp_path / "steps"), Lake(tmp_path / "whole")
    config = metrics(FILTERS)
    for i, part in enumerate([rows[3:5], rows[5:], rows[:3]]):
        ingest(steps, [str(write_records(f"step{i}.json", part))])
        summary = refresh(steps, metrics=config)
    run = next(r for r in summary.runs if r.name == "metric_points")
    assert run.action == "incremental"
    ingest(whole, [str(write_records("all.json", rows))])
    refresh(whole, metrics=config, full=True)
    assert points(steps) == points(whole) == EXPECTED


def test_a_changed_filter_recomputes_its_history_and_leaves_the_insights(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    refresh(lake, metrics=metrics(FILTERS))
    changed = [dict(FILTERS[0], pattern='{ $.eventName = "ConsoleLogin" }'), *FILTERS[1:]]
    summary = refresh(lake, metrics=metrics(changed))
    actions = {r.name: r.action for r in summary.runs}
    assert actions["metric_points"] == "full"
    assert actions["minute_counts"] == "skip"
    failures = [p for p in points(lake) if p[1] == "ConsoleSigninFailureCount"]
    assert [(p[3], p[5]) for p in failures] == [
        ("12:00", 2.0),
        ("12:01", 0.0),
        ("12:02", 1.0),
        ("12:04", 1.0),  # the successful sign-in now matches
    ]


def test_without_filters_the_table_exists_and_is_empty(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    refresh(lake, metrics=MetricsConfig())
    assert points(lake) == []


def test_a_pattern_that_does_not_compile_names_its_filter(
    lake: Lake, write_records: WriteFile
) -> None:
    ingest(lake, [str(write_records("a.json", records()))])
    broken = [dict(FILTERS[0], pattern="{ $.eventName = ")]
    with pytest.raises(BadInputError, match="metric filter 'ConsoleSignInFailures': "):
        refresh(lake, metrics=metrics(broken))


def spread_records() -> list[dict[str, Any]]:
    """Two days of the fixture's kinds of events at varied minutes (some minutes without a
    failure, so the default value shows), for the random cuts below."""
    rng = random.Random(7)
    sts = {"eventSource": "sts.amazonaws.com", "eventName": "AssumeRole"}
    kinds: list[dict[str, Any]] = [FAILED, dict(SIGNIN), sts, {}, {"eventName": "DeleteUser"}]
    rows = []
    for n in range(120):
        when = datetime(2024, 5, 1) + timedelta(minutes=rng.randrange(0, 2 * 24 * 60, 7))
        fields = dict(rng.choice(kinds), eventTime=f"{when:%Y-%m-%dT%H:%M}:{n % 60:02d}Z")
        if fields.get("eventName") == "AssumeRole" and n % 3:
            fields["requestParameters"] = {"durationSeconds": 900 * (n % 5)}
        rows.append(make_record(n, **fields))
    return rows


SPREAD = spread_records()


@pytest.fixture(scope="module")
def spread_full_build(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Any, ...]]:
    folder = tmp_path_factory.mktemp("spread")
    source = folder / "all.json"
    source.write_bytes(orjson.dumps({"Records": SPREAD}))
    whole = Lake(folder / "lake")
    ingest(whole, [str(source)])
    refresh(whole, metrics=metrics(FILTERS))
    built = points(whole)
    assert len(built) > 40
    return built


# A few minutes of CPU: marked slow as the insights' invariant is (CI runs it).
@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.integers(2, 4),
    late=st.sampled_from([0.0, 0.2]),
    seed=st.integers(0, 999),
    refreshed=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_any_ingests_and_refreshes_give_the_metric_points_of_one_full_build(
    spread_full_build: list[tuple[Any, ...]],
    steps: int,
    late: float,
    seed: int,
    refreshed: list[bool],
) -> None:
    """Deliveries cut in `steps` batches, a `late` share of each delivered in a later one,
    refreshes after the batches `refreshed` says and after the last."""
    rng = random.Random(seed)
    ordered = sorted(SPREAD, key=lambda r: r["eventTime"])
    cuts = sorted(rng.sample(range(1, len(ordered)), steps - 1))
    parts: list[list[dict[str, Any]]] = [[] for _ in range(steps)]
    for index, record in enumerate(ordered):
        step = sum(index >= c for c in cuts)
        if step < steps - 1 and rng.random() < late:
            step = rng.randrange(step + 1, steps)
        parts[step].append(record)
    config = metrics(FILTERS)
    with tempfile.TemporaryDirectory() as tmp:
        lake = Lake(Path(tmp) / "lake")
        for number, part in enumerate(parts):
            source = Path(tmp) / f"b{number}.json"
            source.write_bytes(orjson.dumps({"Records": part}))
            ingest(lake, [str(source)])
            if number == steps - 1 or refreshed[number]:
                refresh(lake, metrics=config)
        assert points(lake) == spread_full_build


def test_a_refresh_compiles_only_the_filters_new_or_changed_since_the_last(
    lake: Lake, write_records: WriteFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled SQL is cached in the catalog by the filter's definition and the
    compiler's version: an hourly refresh compiles nothing."""
    from ctlake.cloudwatch.metrics import cache, compiled

    compiled_names: list[str] = []
    real = compiled.compile_filter

    def counting(metric_filter: Any) -> Any:
        compiled_names.append(metric_filter.name)
        return real(metric_filter)

    monkeypatch.setattr(compiled, "compile_filter", counting)
    rows = records()
    ingest(lake, [str(write_records("a.json", rows[:4]))])
    refresh(lake, metrics=metrics(FILTERS))
    assert compiled_names == [f["name"] for f in FILTERS]

    compiled_names.clear()
    ingest(lake, [str(write_records("b.json", rows[4:]))])
    summary = refresh(lake, metrics=metrics(FILTERS))
    assert compiled_names == []
    assert {r.name: r.action for r in summary.runs}["metric_points"] == "incremental"
    assert points(lake) == EXPECTED

    changed = [*FILTERS[:2], dict(FILTERS[2], value="3")]
    refresh(lake, metrics=metrics(changed))
    assert compiled_names == ["CallsByApi"]

    compiled_names.clear()
    monkeypatch.setattr(cache, "compiler_version", lambda: "another compiler")
    summary = refresh(lake, metrics=metrics(changed))
    assert compiled_names == [f["name"] for f in FILTERS]
    # the same SQL compiled again: the model's digest is unchanged, nothing to rebuild
    assert {r.name: r.action for r in summary.runs}["metric_points"] == "skip"
