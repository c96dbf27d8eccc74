"""Trino functions and idioms behave as on CloudTrail Lake, and what cannot run says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest

from ctlake.dialect import LakeDialectError, to_duckdb
from ctlake.errors import BadInputError


def one(
    con: duckdb.DuckDBPyConnection, select: str, where: str = "eventName = 'CreateBucket'"
) -> Any:
    """The first value of `SELECT <select> FROM $EDS_ID WHERE <where>`."""
    rows = con.execute(to_duckdb(f"SELECT {select} FROM $EDS_ID WHERE {where}")).fetchall()
    assert len(rows) == 1
    return rows[0][0] if len(rows[0]) == 1 else rows[0]


@pytest.mark.parametrize(
    ("select", "value"),
    [
        ("element_at(requestParameters, 'bucketName')", "photos"),
        ("element_at(requestParameters, 'missing')", None),
        ("requestParameters['bucketName']", "photos"),
        ("date_format(eventTime, '%Y-%m-%d %H:%i:%s')", "2023-01-22 10:00:00"),
        ("format_datetime(eventTime, 'yyyy-MM-dd''T''HH:mm')", "2023-01-22T10:00"),
        ("to_iso8601(eventTime)", "2023-01-22T10:00:00.000Z"),
        ("date_trunc('day', eventTime)", dt.datetime(2023, 1, 22)),
        ("date_diff('hour', from_iso8601_timestamp('2023-01-22T08:00:00Z'), eventTime)", 2),
        ("date_add('day', -1, eventTime)", dt.datetime(2023, 1, 21, 10)),
        ("date(eventTime)", dt.date(2023, 1, 22)),
        ("day_of_week(eventTime)", 7),
        ("year(eventTime) * 100 + month(eventTime)", 202301),
        ("eventTime < current_timestamp", True),
        ("eventTime > date_add('day', -7, now())", False),
        ("cardinality(requestParameters)", 1),
        ("cardinality(resources)", 1),
        ("cardinality(split(userAgent, '/'))", 2),
        ("split(userAgent, '/')[1]", "aws-cli"),
        ("contains(split(userAgent, '/'), 'aws-cli')", True),
        ("regexp_like(eventName, '^Create')", True),
        ("regexp_extract(userIdentity.arn, 'user/(.*)', 1)", "maker"),
        ("json_extract_scalar(eventjson, '$.requestParameters.bucketName')", "photos"),
        ("json_extract_scalar(eventjson, '$.requestParameters')", None),
        ("json_extract_scalar(element_at(requestParameters, 'bucketName'), '$.x')", None),
        ("json_extract(eventjson, '$.resources[0].type')", '"AWS::S3::Bucket"'),
        ("json_array_get(json_extract(eventjson, '$.resources'), 0) IS NOT NULL", True),
        ("json_array_length(json_extract(eventjson, '$.resources'))", 1),
        ("is_json_scalar(json_extract(eventjson, '$.eventName'))", True),
        ("json_array_contains('[1, 2]', 2)", True),
        ("slice(split('a/b/c/d', '/'), 2, 2)", ["b", "c"]),
        ("array_join(split('a/b', '/'), '-')", "a-b"),
        ("map_keys(requestParameters)", ["bucketName"]),
        ("if(readOnly, 'read', 'write')", "write"),
        ("try_cast('x' AS integer)", None),
        ("replace(eventSource, '.amazonaws.com')", "s3"),
        ("CAST(eventTime AS varchar)", "2023-01-22 10:00:00"),
        ("useridentity.sessioncontext.sessionissuer.arn", None),
        ("USERIDENTITY.ACCOUNTID", "111122223333"),
    ],
)
def test_a_trino_expression_gives_what_cloudtrail_lake_gives(
    con: duckdb.DuckDBPyConnection, select: str, value: Any
) -> None:
    assert one(con, select) == value


def test_aggregates_approx_distinct_arbitrary_max_by_min_by(con: duckdb.DuckDBPyConnection) -> None:
    select = (
        "approx_distinct(eventName), arbitrary(eventSource), max_by(eventName, eventTime), "
        "min_by(eventName, eventTime), count_if(readOnly)"
    )
    assert one(con, select, "eventSource = 's3.amazonaws.com'") == (
        3,
        "s3.amazonaws.com",
        "ListBuckets",
        "PutObject",
        0,
    )


def test_timestamps_compare_with_strings_in_any_iso_form(con: duckdb.DuckDBPyConnection) -> None:
    for literal in ["2023-01-22 09:59:59", "2023-01-22T09:59:59Z", "2023-01-22T11:59:59+02:00"]:
        assert one(con, "count(*)", f"eventName = 'CreateBucket' AND eventTime > '{literal}'") == 1
    assert one(con, "count(*)", "eventTime IN ('2023-01-22 10:00:00')") == 1
    assert one(con, "count(*)", "'2023-01-22 10:00:00' = eventTime") == 1


def test_a_session_creation_date_compares_as_a_time(con: duckdb.DuckDBPyConnection) -> None:
    where = "useridentity.sessioncontext.attributes.creationdate > '2024-05-05 08:00:00'"
    assert one(con, "count(*)", where) == 3


def test_a_placeholder_inside_a_string_or_comment_is_left_alone(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = "SELECT 'FROM $EDS_ID' AS s -- FROM <EDS ID>\nFROM $EDS_ID LIMIT 1"
    assert con.execute(to_duckdb(sql)).fetchall() == [("FROM $EDS_ID",)]


def test_event_time_bounds_add_partition_bounds() -> None:
    sql = to_duckdb("SELECT eventName FROM $EDS_ID WHERE eventTime >= '2023-01-22 00:00:00'")
    assert "eventDate >= CAST(CAST('2023-01-22 00:00:00' AS TIMESTAMP) AS DATE)" in sql
    joined = to_duckdb(
        "SELECT a.eventName FROM eds1 a JOIN eds2 b ON a.eventID = b.eventID "
        "WHERE a.eventTime < '2023-01-01' OR b.eventTime > '2023-01-01'"
    )
    assert "eventDate" not in joined  # only top-level AND bounds are safe to copy


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "DELETE FROM $EDS_ID",
            "only SELECT statements are allowed (as in CloudTrail Lake), got DELETE",
        ),
        ("SELECT 1; SELECT 2", "expected one SELECT statement, got 2 statements"),
        (
            "SELECT url_extract_host(userAgent) FROM $EDS_ID",
            "function url_extract_host() has no DuckDB equivalent in ctlake yet",
        ),
        ("SELECT FROM WHERE", "syntax error at line 1, column 13 near 'WHERE': expected table"),
        ("SELECT format_datetime(eventTime, 'QQ') FROM eds", "date pattern letter 'QQ'"),
    ],
)
def test_what_cannot_run_is_one_error_naming_it(sql: str, message: str) -> None:
    with pytest.raises(LakeDialectError) as error:
        to_duckdb(sql)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert isinstance(error.value, BadInputError)


def test_comments_of_every_form_never_change_the_translation() -> None:
    plain = "SELECT eventName FROM $EDS_ID WHERE eventName = 'a--b;/*' AND readOnly"
    commented = (
        "/* Replace <EDS ID>; FROM <EDS ID> WHERE x\n   with your store. */\n"
        "SELECT eventName -- has */ and ; inside\nFROM /* x */ $EDS_ID\n"
        "WHERE eventName = 'a--b;/*' /* 'quote */ AND -- more\n readOnly\n-- after\n"
    )
    assert to_duckdb(commented) == to_duckdb(plain)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "SELECT 1\nFROM $EDS_ID /* open",
            "lake dialect: unclosed comment: the /* at line 2, column 14 has no closing */",
        ),
        (
            "SELECT 'open FROM $EDS_ID",
            "lake dialect: unclosed quote: the ' at line 1, column 8 has no closing '",
        ),
    ],
)
def test_a_comment_or_quote_never_closed_names_where_it_opens(sql: str, message: str) -> None:
    with pytest.raises(LakeDialectError) as error:
        to_duckdb(sql)
    assert str(error.value) == message
