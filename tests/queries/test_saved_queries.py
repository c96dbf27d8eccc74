"""Every saved query runs on a small lake and gives the answer the scenario plants."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest

from ctlake.errors import LakeError
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader
from ctlake.output import Format
from ctlake.queries import load_queries, run_query
from tests.queries import scenario

QUERIES = load_queries()
EXAMPLES = {"ip": "203.0.113.5", "principal": "mallory"}
INSIGHT_TABLES = """
CREATE TEMP TABLE insight_events (
    eventID VARCHAR, sharedEventID VARCHAR, state VARCHAR, eventTime TIMESTAMP,
    recipientAccountId VARCHAR, awsRegion VARCHAR, eventSource VARCHAR, eventName VARCHAR,
    insightType VARCHAR, errorCode VARCHAR, insightStart TIMESTAMP, insightEnd TIMESTAMP,
    baselineAverage DOUBLE, insightAverage DOUBLE, baselineDuration BIGINT,
    insightDuration BIGINT, eventJson VARCHAR);
CREATE TEMP TABLE insight_attributions (
    sharedEventID VARCHAR, attribute VARCHAR, scope VARCHAR, rank INTEGER, value VARCHAR,
    average DOUBLE);
"""


@pytest.fixture(scope="module")
def con(scenario_lake: Lake) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = reader.connect(scenario_lake)
    connection.execute(INSIGHT_TABLES)
    yield connection
    connection.close()


def run(con: duckdb.DuckDBPyConnection, name: str, **values: Any) -> list[tuple[Any, ...]]:
    query = QUERIES[name]
    given = {k: v for k, v in EXAMPLES.items() if k in query.placeholders}
    if "until" in query.placeholders:
        given["until"] = scenario.UNTIL
    sql, params = query.bind({**given, **values})
    return con.execute(sql, params).fetchall()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_saved_query_runs_on_a_small_lake(con: duckdb.DuckDBPyConnection, name: str) -> None:
    run(con, name)


@pytest.fixture(scope="module")
def empty_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("empty")
    source = root / "empty.json"
    source.write_text('{"Records": []}')
    lake = Lake(root / "lake")
    ingest(lake, [str(source)])
    connection = reader.connect(lake)
    connection.execute(INSIGHT_TABLES)
    yield connection
    connection.close()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_saved_query_runs_on_a_lake_with_no_events(
    empty_con: duckdb.DuckDBPyConnection, name: str
) -> None:
    assert run(empty_con, name) == [] or name == "lake-summary"


def test_iam_users_created_lists_user_time_creator_and_account(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = run(con, "iam-users-created")
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [
        ("old", "2024-04-20 08:00:00", scenario.ALICE, scenario.ACCOUNT),
        ("bob", "2024-05-06 10:00:00", scenario.ALICE, scenario.ACCOUNT),
    ]
    assert [r[0] for r in run(con, "iam-users-created", days="7")] == ["bob"]


def test_console_failures_group_by_ip_reason_region_identity_and_mfa(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = run(con, "console-signin-failures")
    assert [r[:6] for r in rows] == [
        ("203.0.113.5", "Failed authentication", "us-east-1", scenario.ALICE, "No", 3),
        ("198.51.100.7", "Failed authentication", "us-east-1", scenario.ALICE, "No", 1),
    ]


def test_logins_without_mfa_and_root_activity(con: duckdb.DuckDBPyConnection) -> None:
    assert [r[2] for r in run(con, "console-logins-without-mfa")] == [
        f"arn:aws:iam::{scenario.ACCOUNT}:user/carol"
    ]
    assert [r[2] for r in run(con, "root-account-activity")] == ["GetAccountSummary"]


def test_access_keys_and_external_kms_keys(con: duckdb.DuckDBPyConnection) -> None:
    assert [r[1:3] for r in run(con, "access-keys-created")] == [("bob", "AKIABOB")]
    assert [r[1:4] for r in run(con, "kms-keys-external-origin")] == [
        ("EXTERNAL", "ENCRYPT_DECRYPT", "key-ext")
    ]


def test_rds_queries_show_the_instance_and_what_changed(con: duckdb.DuckDBPyConnection) -> None:
    assert [r[2:5] for r in run(con, "rds-instances-created")] == [
        ("db1", "postgres", "db.t3.micro")
    ]
    assert [r[2:4] for r in run(con, "rds-instances-modified")] == [
        ("db1", "allocatedStorage=200; applyImmediately=true")
    ]


def test_top_api_calls_leave_out_assume_role_unless_told(con: duckdb.DuckDBPyConnection) -> None:
    top = run(con, "top-api-calls", limit="2")
    assert len(top) == 2 and "AssumeRole" not in {r[1] for r in top}
    assert ("AssumeRole", 6) in [r[1:3] for r in run(con, "top-api-calls", exclude="")]


def test_throttled_and_denied_calls_are_counted_by_identity(con: duckdb.DuckDBPyConnection) -> None:
    assert [r[:4] for r in run(con, "throttled-calls")] == [
        ("ec2.amazonaws.com", "DescribeInstances", scenario.APP_ROLE, 2)
    ]
    denied = {(r[0], r[2], r[3], r[4]) for r in run(con, "access-denied")}
    assert denied == {
        (scenario.MALLORY, "GetObject", "AccessDenied", 1),
        (scenario.MALLORY, "RunInstances", "Client.UnauthorizedOperation", 1),
    }


def test_long_assume_role_sessions_respect_the_threshold(con: duckdb.DuckDBPyConnection) -> None:
    assert [(r[4], r[5]) for r in run(con, "long-assume-role-sessions")] == [("long", 43200)]
    assert len(run(con, "long-assume-role-sessions", max_seconds="600")) == 6


def test_critical_changes_catch_the_attack(con: duckdb.DuckDBPyConnection) -> None:
    names = [r[2] for r in run(con, "critical-changes")]
    assert names == [
        "CreateAccessKey",
        "StopLogging",
        "DeleteTrail",
        "PutBucketPolicy",
        "DeleteBucket",
        "AuthorizeSecurityGroupIngress",
    ]
    assert [r[3] for r in run(con, "critical-changes", events="DeleteTrail")] == ["main-trail"]
    assert [r[3] for r in run(con, "security-group-changes")] == [True]


def test_cross_account_and_region_queries(con: duckdb.DuckDBPyConnection) -> None:
    assert [r[:2] for r in run(con, "cross-account-access")] == [
        (scenario.OTHER_ACCOUNT, scenario.ACCOUNT)
    ]
    outside = run(con, "calls-outside-allowed-regions")
    assert [(r[0], r[3]) for r in outside] == [("ap-southeast-3", "RunInstances")]
    allowed = "us-east-1,ap-southeast-3"
    assert run(con, "calls-outside-allowed-regions", allowed_regions=allowed) == []


def test_investigation_queries_follow_one_ip_or_principal(con: duckdb.DuckDBPyConnection) -> None:
    assert len(run(con, "api-calls-from-ip")) == 3
    timeline = run(con, "principal-timeline")
    assert [r[2] for r in timeline] == [
        "GetObject",
        "RunInstances",
        "StopLogging",
        "DeleteTrail",
        "PutBucketPolicy",
    ]
    assert run(con, "principal-timeline", principal="AKIAMALLORY") == timeline


def test_top_errors_and_tls_and_secrets(con: duckdb.DuckDBPyConnection) -> None:
    assert run(con, "top-errors")[0][:4] == (
        "Client.RequestLimitExceeded",
        "ec2.amazonaws.com",
        "DescribeInstances",
        2,
    )
    assert [r[:2] for r in run(con, "tls-outdated")] == [
        ("secretsmanager.amazonaws.com", "TLSv1.1")
    ]
    assert [r[:3] for r in run(con, "secrets-accessed")] == [("prod/db", scenario.APP_ROLE, 1)]


def test_insights_by_top_identities_ranks_identities(scenario_lake: Lake) -> None:
    con = reader.connect(scenario_lake)
    con.execute(INSIGHT_TABLES)
    assert run(con, "insights-top-identities") == []
    con.execute(
        "INSERT INTO insight_events (sharedEventID, state, eventTime, eventSource, eventName, "
        "insightStart) VALUES ('s1', 'Start', '2024-05-05 10:00', 'ec2', 'RunInstances', "
        "'2024-05-05 10:00'), ('s1', 'End', '2024-05-05 10:30', 'ec2', 'RunInstances', "
        "'2024-05-05 10:00'), ('s2', 'Start', '2024-05-06 10:00', 'iam', 'CreateUser', "
        "'2024-05-06 10:00')"
    )
    con.execute(
        "INSERT INTO insight_attributions VALUES ('s1', 'userIdentityArn', 'insight', 1, 'a', 5),"
        "('s2', 'userIdentityArn', 'insight', 1, 'a', 2), ('s2', 'userIdentityArn', 'insight', 2,"
        " 'b', 1), ('s2', 'userIdentityArn', 'insight', 6, 'Other', 9),"
        "('s1', 'userIdentityArn', 'baseline', 1, 'c', 1)"
    )
    assert [r[:4] for r in run(con, "insights-top-identities")] == [
        ("a", 2, 2, 5.0),
        ("b", 1, 1, 1.0),
    ]


def test_a_query_on_a_table_not_built_yet_says_which_and_how(scenario_lake: Lake) -> None:
    connection = reader.connect(scenario_lake)
    with pytest.raises(LakeError) as error:
        run_query(connection, QUERIES["insights-top-identities"], {}, Format.CSV)
    assert str(error.value) == (
        "query insights-top-identities reads table insight_attributions, not in this lake yet: "
        "run `ctlake refresh` to build it"
    )
