"""The rule that adds `eventDate` bounds implied by `eventTime` bounds, on DuckDB SQL text:
which conditions it reads, what it adds, and what it leaves alone."""

from __future__ import annotations

import pytest

from ctlake.dialect.partitions import with_partition_bounds

DAY = "CAST(CAST({} AS TIMESTAMP) AS DATE)"


@pytest.mark.parametrize(
    ("where", "bound"),
    [
        ("eventTime >= $since", f"eventDate >= {DAY.format('$since')}"),
        ("eventTime > $since", f"eventDate >= {DAY.format('$since')}"),
        ("eventTime < $until", f"eventDate <= {DAY.format('$until')}"),
        ("eventTime <= $until", f"eventDate <= {DAY.format('$until')}"),
        ("eventTime = $at", f"eventDate = {DAY.format('$at')}"),
        ("$since < eventTime", f"eventDate >= {DAY.format('$since')}"),
        ("eventTime < $1", f"eventDate <= {DAY.format('$1')}"),
        ("EVENTTIME >= '2024-05-01'", f"eventDate >= {DAY.format(repr('2024-05-01'))}"),
    ],
)
def test_each_comparison_gives_the_bound_it_implies(where: str, bound: str) -> None:
    assert with_partition_bounds(f"SELECT 1 FROM events WHERE {where}").endswith(f" AND {bound}")


def test_a_window_computed_from_parameters_bounds_the_date_of_the_same_expression() -> None:
    sql = with_partition_bounds(
        "SELECT 1 FROM events WHERE eventTime >= CAST($until AS TIMESTAMP) - "
        "CAST($days AS INTEGER) * INTERVAL 1 DAY AND eventTime < CAST($until AS TIMESTAMP)"
    )
    since = "CAST($until AS TIMESTAMP) - CAST($days AS INT) * INTERVAL '1' DAY"
    assert f"eventDate >= {DAY.format(since)}" in sql
    assert f"eventDate <= {DAY.format('CAST($until AS TIMESTAMP)')}" in sql


def test_between_bounds_both_sides_and_aliases_and_qualified_names_are_followed() -> None:
    sql = with_partition_bounds(
        "SELECT 1 FROM events AS e JOIN accounts AS a ON a.id = e.recipientAccountId "
        "WHERE e.eventTime BETWEEN $since AND $until AND a.eventTime > $since"
    )
    assert sql.endswith(
        f"e.eventDate >= {DAY.format('$since')} AND e.eventDate <= {DAY.format('$until')}"
    )
    assert "a.eventDate" not in sql
    temp = with_partition_bounds("SELECT 1 FROM temp.main.events WHERE eventTime > $since")
    assert temp.endswith(f"eventDate >= {DAY.format('$since')}")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 FROM events WHERE eventTime > $since OR eventName = 'x'",
        "SELECT 1 FROM events WHERE NOT eventTime > $since",
        "SELECT 1 FROM events WHERE eventTime NOT BETWEEN $a AND $b",
        "SELECT 1 FROM events WHERE eventTime <> $since",
        "SELECT 1 FROM events WHERE eventTime > random()",
        "SELECT 1 FROM events WHERE eventTime > ? AND eventName = ?",
        "SELECT 1 FROM events WHERE eventTime > (SELECT max(eventTime) FROM events)",
        "SELECT 1 FROM events AS e, t WHERE e.eventTime > t.since",
        "SELECT 1 FROM events, other WHERE eventTime > $since",  # whose eventTime?
        "WITH events AS (SELECT now() AS eventTime) SELECT 1 FROM events WHERE eventTime > $a",
        "SELECT 1 FROM lake.events WHERE eventTime > $since",
        "SELECT 1 FROM (SELECT * FROM events) WHERE eventTime > $since",
        "SELECT count(*) FROM events GROUP BY eventName HAVING max(eventTime) > $since",
    ],
)
def test_a_condition_not_certain_to_bound_the_events_read_is_left_alone(sql: str) -> None:
    assert with_partition_bounds(sql) == sql


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT 1 FROM events WHERE eventTime > $since; SELECT 2",  # one statement only
        "CREATE TABLE t AS SELECT * FROM events WHERE eventTime > $since",
        "SELECT 1 FROM events WHERE eventTime >",  # DuckDB reports the error itself
        "select  eventName from events  -- no bounds: the text as typed",
    ],
)
def test_what_is_not_one_bounded_query_runs_as_given(sql: str) -> None:
    assert with_partition_bounds(sql) == sql


def test_a_subquery_of_events_gets_its_own_bounds() -> None:
    sql = with_partition_bounds(
        "SELECT n FROM (SELECT count(*) AS n FROM events WHERE (eventTime > $a AND x)) AS s"
    )
    assert f"x) AND eventDate >= {DAY.format('$a')}) AS s" in sql
