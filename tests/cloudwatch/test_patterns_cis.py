"""The CIS monitoring pack (data/cis/cis.toml): fifteen filters with an alarm each, every
one citing its source; every pattern compiles and matches a hand-written record it should
match and not a near miss."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import duckdb
import pytest

from ctlake.cloudwatch.patterns import compile_pattern
from ctlake.resources import bundled_data, cis_pack
from tests.cloudwatch.events import events_table

PACK = tomllib.loads(cis_pack())
FILTERS = {f["name"]: f for f in PACK["metrics"]["filter"]}


def call(name: str, source: str = "ec2.amazonaws.com", **fields: Any) -> dict[str, Any]:
    """A management API call by an IAM user, with `fields` set."""
    record: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "accountId": "111122223333", "userName": "ops"},
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "eventType": "AwsApiCall",
        "readOnly": False,
    }
    record.update(fields)
    return record


ROOT = {"type": "Root", "accountId": "111122223333", "arn": "arn:aws:iam::111122223333:root"}
# filter name -> (a record it matches, a record it does not match)
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "RootAccountUsage": (
        call("ListBuckets", "s3.amazonaws.com", userIdentity=ROOT),
        call(
            "ListBuckets",
            "s3.amazonaws.com",
            userIdentity={**ROOT, "invokedBy": "s3.amazonaws.com"},
        ),
    ),
    "UnauthorizedAPICalls": (
        call("RunInstances", errorCode="Client.UnauthorizedOperation"),
        call("RunInstances", errorCode="Client.InvalidParameterValue"),
    ),
    "ConsoleSigninWithoutMFA": (
        call(
            "ConsoleLogin",
            "signin.amazonaws.com",
            eventType="AwsConsoleSignIn",
            additionalEventData={"MFAUsed": "No"},
            responseElements={"ConsoleLogin": "Success"},
        ),
        call(
            "ConsoleLogin",
            "signin.amazonaws.com",
            eventType="AwsConsoleSignIn",
            additionalEventData={"MFAUsed": "Yes"},
            responseElements={"ConsoleLogin": "Success"},
        ),
    ),
    "IAMPolicyChanges": (
        call("PutRolePolicy", "iam.amazonaws.com"),
        call("GetRolePolicy", "iam.amazonaws.com"),
    ),
    "CloudTrailChanges": (
        call("StopLogging", "cloudtrail.amazonaws.com"),
        call("GetTrailStatus", "cloudtrail.amazonaws.com"),
    ),
    "ConsoleAuthenticationFailure": (
        call("ConsoleLogin", "signin.amazonaws.com", errorMessage="Failed authentication"),
        call("ConsoleLogin", "signin.amazonaws.com", responseElements={"ConsoleLogin": "Success"}),
    ),
    "DisableOrDeleteCMK": (
        call("ScheduleKeyDeletion", "kms.amazonaws.com"),
        call("DisableKey", "ec2.amazonaws.com"),
    ),
    "S3BucketPolicyChanges": (
        call("PutBucketPolicy", "s3.amazonaws.com"),
        call("GetBucketPolicy", "s3.amazonaws.com"),
    ),
    "AWSConfigChanges": (
        call("StopConfigurationRecorder", "config.amazonaws.com"),
        call("DescribeConfigurationRecorders", "config.amazonaws.com"),
    ),
    "SecurityGroupChanges": (
        call("AuthorizeSecurityGroupIngress"),
        call("DescribeSecurityGroups"),
    ),
    "NetworkACLChanges": (call("ReplaceNetworkAclEntry"), call("DescribeNetworkAcls")),
    "NetworkGatewayChanges": (call("AttachInternetGateway"), call("DescribeInternetGateways")),
    "RouteTableChanges": (call("DisassociateRouteTable"), call("DescribeRouteTables")),
    "VPCChanges": (call("CreateVpcPeeringConnection"), call("DescribeVpcs")),
    "OrganizationsChanges": (
        call("InviteAccountToOrganization", "organizations.amazonaws.com"),
        call("ListAccounts", "organizations.amazonaws.com"),
    ),
}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    records = []
    for name, (match, miss) in CASES.items():
        records += [{"eventID": f"{name}+", **match}, {"eventID": f"{name}-", **miss}]
    return events_table(records)


def test_the_pack_has_the_fifteen_controls_each_with_its_alarm() -> None:
    assert sorted(FILTERS) == sorted(CASES)
    alarmed = {a["metric_name"] for a in PACK["alarms"]["alarm"]}
    assert alarmed == {f["metric_name"] for f in FILTERS.values()}
    assert {a["namespace"] for a in PACK["alarms"]["alarm"]} == {"LogMetrics"}


def test_each_filter_cites_its_published_source() -> None:
    text = cis_pack()
    for name in FILTERS:
        before = text[: text.index(f'name = "{name}"')].rsplit("[[metrics.filter]]", 1)[0]
        assert re.search(r"# source: https://\S+\s*$", before), name
    assert (bundled_data("cis") / "cis.toml").is_file()


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_pattern_matches_its_record_and_not_the_near_miss(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    where = compile_pattern(FILTERS[name]["pattern"]).sql("duckdb")
    found = [row[0] for row in con.execute(f"SELECT eventID FROM events WHERE {where}").fetchall()]
    assert found == [f"{name}+"]
