"""A lake shaped for AWS's published CloudTrail Lake examples: the events they look for, on
the dates they use, so the examples run unchanged and have an answer to check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ctlake.lake import Lake, reader
from tests.conftest import lake_of
from tests.queries.scenario import ACCOUNT, OTHER_ACCOUNT, event, role_session, user

ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/app"


def records() -> list[dict[str, Any]]:
    maker = {**user("maker"), "principalId": "AIDABUCKETMAKER"}
    signer = {**user("x"), "type": "AssumedRole", "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/ops"}
    bucket = [{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::photos"}]
    found = [
        event("2019-12-31T23:00", "iam", "ListUsers"),
        event(
            "2022-01-21T16:38", "signin", "ConsoleLogin", userIdentity=signer, awsRegion="us-west-2"
        ),
        event("2022-02-08T19:54", "signin", "ConsoleLogin", userIdentity=signer),
        event(
            "2022-02-09T10:00", "signin", "ConsoleLogin", userIdentity=signer, awsRegion="eu-west-1"
        ),
        event(
            "2023-01-10T08:00",
            "cloudtrail",
            "StartQuery",
            requestParameters={"queryStatement": "select * from eds limit 1;"},
            responseElements={"queryId": "EXAMPLE-query"},
        ),
        event(
            "2023-02-10T08:00",
            "cloudtrail",
            "StartQuery",
            requestParameters={"queryStatement": "select 2;"},
            responseElements={"queryId": "q2"},
        ),
        event(
            "2023-01-22T10:00",
            "s3",
            "CreateBucket",
            userIdentity=maker,
            requestParameters={"bucketName": "photos"},
            resources=bucket,
        ),
        event("2023-01-22T16:53", "cloudtrail", "DescribeQuery", userIdentity=user("bob")),
        event("2023-01-22T20:25", "s3", "ListBuckets", userIdentity=user("bob")),
        event("2023-01-23T09:00", "s3", "ListBuckets", userIdentity=user("bob")),
        *[
            event(
                f"2023-01-0{i + 2}T12:00",
                "s3",
                "PutObject",
                resources=bucket,
                requestParameters={"bucketName": "photos", "key": f"k{i}"},
            )
            for i in range(3)
        ],
        *[
            event(
                f"2023-01-0{i + 2}T13:00", "dynamodb", "DescribeTable", userIdentity=role_session()
            )
            for i in range(2)
        ],
        event("2023-01-05T14:00", "sts", "AssumeRole", userIdentity=role_session()),
        event(
            "2023-01-06T09:00",
            "rds",
            "CreateDBInstance",
            requestParameters={"dBInstanceIdentifier": "open-db", "publiclyAccessible": True},
        ),
        event("2023-01-06T10:00", "s3", "ListBuckets", userIdentity=user("partner", OTHER_ACCOUNT)),
        event(
            "2023-07-07T10:00",
            "ec2",
            "AuthorizeSecurityGroupIngress",
            requestParameters={"groupId": "sg-1", "ipPermissions": '[{"cidrIp":"0.0.0.0/0"}]'},
        ),
        event(
            "2023-07-07T11:00",
            "ec2",
            "ModifySecurityGroupRules",
            requestParameters={
                "ModifySecurityGroupRulesRequest": {"GroupId": "sg-2", "Rule": "10.0.0.0/8"}
            },
        ),
    ]
    for n, record in enumerate(found, start=1):
        record["eventID"] = f"EXAMPLE-{n:04d}"
    return found


@pytest.fixture(scope="session")
def examples_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return lake_of(Path(tmp_path_factory.mktemp("examples")), records())


@pytest.fixture(scope="module")
def con(examples_lake: Lake) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = reader.connect(examples_lake)
    yield connection
    connection.close()
