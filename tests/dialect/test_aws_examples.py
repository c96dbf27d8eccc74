"""CloudTrail Lake queries as AWS publishes them (the user guide's examples and the shapes of
the sample-query library) run unchanged through `to_duckdb` and give the right answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest

from ctlake.dialect import to_duckdb
from tests.dialect.conftest import ROLE_ARN
from tests.queries.scenario import ACCOUNT, OTHER_ACCOUNT


def lake_sql(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(to_duckdb(sql)).fetchall()


def test_principals_who_called_create_bucket_on_a_day(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT userIdentity.principalid, eventName
        FROM event_data_store_ID
        WHERE userIdentity.principalid IS NOT NULL
        AND eventTime > '2023-01-22 00:00:00' AND eventTime < '2023-01-23 00:00:00'
        AND eventName='CreateBucket'
    """
    assert lake_sql(con, sql) == [("AIDABUCKETMAKER", "CreateBucket")]


def test_apis_a_user_called_on_a_day(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT eventID, eventName, eventSource, eventTime
        FROM event_data_store_ID
        WHERE userIdentity.username = 'bob'
        AND eventTime > '2023-01-22 00:00:00' AND eventTime < '2023-01-23 00:00:00'
    """
    rows = sorted(lake_sql(con, sql), key=lambda r: r[3])
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("DescribeQuery", "cloudtrail.amazonaws.com", dt.datetime(2023, 1, 22, 16, 53)),
        ("ListBuckets", "s3.amazonaws.com", dt.datetime(2023, 1, 22, 20, 25)),
    ]


def test_api_calls_since_a_date_by_event_name_and_source(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT eventSource, eventName, COUNT(*) AS apiCount
        FROM event_data_store_ID
        WHERE eventTime > '2023-01-01 00:00:00'
        GROUP BY eventSource, eventName ORDER BY apiCount DESC
    """
    rows = lake_sql(con, sql)
    assert set(rows[:2]) == {
        ("s3.amazonaws.com", "PutObject", 3),
        ("s3.amazonaws.com", "ListBuckets", 3),
    }
    assert ("dynamodb.amazonaws.com", "DescribeTable", 2) in rows


def test_console_sign_ins_in_a_set_of_regions(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT eventTime, useridentity.arn, awsRegion
        FROM event_data_store_ID
        WHERE awsRegion in ('us-east-1', 'us-west-2') AND eventName = 'ConsoleLogin'
    """
    arn = f"arn:aws:sts::{ACCOUNT}:assumed-role/ops"
    assert sorted(lake_sql(con, sql)) == [
        (dt.datetime(2022, 1, 21, 16, 38), arn, "us-west-2"),
        (dt.datetime(2022, 2, 8, 19, 54), arn, "us-east-1"),
    ]


def test_lake_queries_run_in_a_month_with_element_at(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT element_at(responseElements, 'queryId'),
            element_at(requestParameters, 'queryStatement')
        FROM event_data_store_ID
        WHERE eventName='StartQuery' AND eventSource = 'cloudtrail.amazonaws.com'
        AND responseElements IS NOT NULL
        AND eventTime > '2023-01-01 00:00:00' AND eventTime < '2023-02-01 00:00:00'
    """
    assert lake_sql(con, sql) == [("EXAMPLE-query", "select * from eds limit 1;")]


def test_publicly_accessible_databases_with_a_pasted_placeholder(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = """
        SELECT * FROM $EDS_ID
        WHERE eventsource = 'rds.amazonaws.com' AND eventname = 'CreateDBInstance'
            AND ELEMENT_AT(requestParameters, 'publiclyAccessible') = 'true'
    """
    rows = lake_sql(con, sql)
    assert len(rows) == 1 and "open-db" in str(rows[0])


def test_role_activity_by_session_issuer_in_lower_case(con: duckdb.DuckDBPyConnection) -> None:
    sql = f"""
        SELECT count (*) as NumberEvents, eventSource, eventName
        FROM <EDS ID>
        WHERE eventTime > '2023-01-01 00:00:00' AND eventTime < '2023-01-07 00:00:00'
        AND useridentity.type = 'AssumedRole'
        AND useridentity.sessioncontext.sessionissuer.arn = '{ROLE_ARN}'
        GROUP by eventSource, eventName
        order by NumberEvents desc;
    """
    assert lake_sql(con, sql) == [
        (2, "dynamodb.amazonaws.com", "DescribeTable"),
        (1, "sts.amazonaws.com", "AssumeRole"),
    ]


def test_cross_account_calls(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT userIdentity.principalid, eventName, userIdentity.accountId, recipientAccountId
        FROM <event_data_store_id>
        WHERE eventTime > '2022-04-30 00:00:00' AND userIdentity.accountId != recipientAccountId
    """
    assert [r[1:] for r in lake_sql(con, sql)] == [("ListBuckets", OTHER_ACCOUNT, ACCOUNT)]


def test_union_over_event_data_store_ids(con: duckdb.DuckDBPyConnection) -> None:
    sql = (
        "Select eventId, eventName from EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE UNION "
        "Select eventId, eventName from EXAMPLEg741-6y1x-9p3v-bnh6iEXAMPLE UNION ALL "
        "Select eventId, eventName from EXAMPLEb529-4e8f9l3d-6m2z-lkp5sEXAMPLE "
        "ORDER BY eventId LIMIT 3;"
    )
    assert [r[0] for r in lake_sql(con, sql)] == ["EXAMPLE-0001", "EXAMPLE-0001", "EXAMPLE-0002"]


def test_left_join_between_two_stores(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT edsA.eventName, edsB.eventName
        FROM eds1 as edsA LEFT JOIN eds2 as edsB ON edsA.eventId = edsB.eventId
        WHERE edsA.eventtime <= '2020-01-01'
        ORDER BY edsB.eventName;
    """
    assert lake_sql(con, sql) == [("ListUsers", "ListUsers")]


def test_security_group_changes_with_union_all_and_json(con: duckdb.DuckDBPyConnection) -> None:
    sql = """
        SELECT element_at(requestParameters, 'groupId') AS securityGroup, eventName
        FROM <event_data_store_id>
        WHERE eventTime >= '2023-07-06 00:00:00' AND eventTime <= '2023-07-08 00:00:00'
            AND eventName = 'AuthorizeSecurityGroupIngress'
            AND element_at(requestParameters, 'ipPermissions') LIKE '%0.0.0.0/0%'
        UNION ALL
        SELECT json_extract_scalar(element_at(requestParameters, 'ModifySecurityGroupRulesRequest'),
                                   '$.GroupId') securityGroup, eventName
        FROM <event_data_store_id>
        WHERE eventTime >= '2023-07-06 00:00:00' AND eventTime <= '2023-07-09 00:00:00'
            AND eventName = 'ModifySecurityGroupRules'
        ORDER BY securityGroup
    """
    assert lake_sql(con, sql) == [
        ("sg-1", "AuthorizeSecurityGroupIngress"),
        ("sg-2", "ModifySecurityGroupRules"),
    ]


def test_resources_by_position_and_unnested_into_columns(con: duckdb.DuckDBPyConnection) -> None:
    first = "SELECT element_at(resources, 1).arn FROM $EDS_ID WHERE eventName = 'CreateBucket'"
    assert lake_sql(con, first) == [("arn:aws:s3:::photos",)]
    unnested = """
        SELECT t.type, t.arn, count(*) FROM $EDS_ID
        CROSS JOIN UNNEST(resources) AS t(accountId, type, arn)
        GROUP BY t.type, t.arn
    """
    assert lake_sql(con, unnested) == [("AWS::S3::Bucket", "arn:aws:s3:::photos", 4)]


def test_from_accepts_an_event_data_store_arn(con: duckdb.DuckDBPyConnection) -> None:
    sql = (
        "SELECT count(*) FROM arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/"
        "EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE WHERE eventName = 'PutObject'"
    )
    assert lake_sql(con, sql) == [(3,)]


@pytest.mark.parametrize(
    "store",
    [
        "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
        "$EDS_ID",
        "${EDS_ID}",
        "<EDS ID>",
        "<event-data-store-ID>",
        "event_data_store_ID",
        "EDS1",
        '"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"',
        "events",
    ],
)
def test_every_way_of_naming_the_store_reads_events(
    con: duckdb.DuckDBPyConnection, store: str
) -> None:
    assert lake_sql(con, f"SELECT count(*) FROM {store} WHERE eventName = 'PutObject'") == [(3,)]
