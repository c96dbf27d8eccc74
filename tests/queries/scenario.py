"""A small lake with one or two events for each thing the saved queries look for, spread
over several days (so several eventDate partitions) of May 2024.

`UNTIL` is the end of the data: reports run with `until=UNTIL` are reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from ctlake.ingest import ingest
from ctlake.lake import Lake
from tests.conftest import make_record

UNTIL = "2024-05-08T00:00:00"
ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
MALLORY = f"arn:aws:iam::{ACCOUNT}:user/mallory"
APP_ROLE = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/i-0abc"


def user(name: str, account: str = ACCOUNT, kind: str = "IAMUser") -> dict[str, Any]:
    arn = (
        f"arn:aws:iam::{account}:root" if kind == "Root" else f"arn:aws:iam::{account}:user/{name}"
    )
    return {
        "type": kind,
        "principalId": f"AIDA{name.upper()}",
        "arn": arn,
        "accountId": account,
        "userName": name,
        "accessKeyId": f"AKIA{name.upper()}",
    }


def role_session() -> dict[str, Any]:
    return {
        "type": "AssumedRole",
        "principalId": "AROAAPP:i-0abc",
        "arn": APP_ROLE,
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAAPP",
        "sessionContext": {
            "attributes": {"creationDate": "2024-05-05T09:00:00Z", "mfaAuthenticated": "false"},
            "sessionIssuer": {
                "type": "Role",
                "principalId": "AROAAPP",
                "userName": "app",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/app",
                "accountId": ACCOUNT,
            },
        },
    }


def event(when: str, source: str, name: str, **fields: Any) -> dict[str, Any]:
    """One record at `when` (2024-05-DDTHH:MM) calling `source` `name`; by alice unless
    `userIdentity` is given; everything else as `make_record` makes it."""
    fields.setdefault("userIdentity", user("alice"))
    fields.setdefault("requestParameters", None)
    fields.setdefault("responseElements", None)
    return make_record(
        0,
        eventTime=f"{when}:00Z",
        eventSource=f"{source}.amazonaws.com",
        eventName=name,
        **fields,
    )


def console_login(
    when: str, who: dict[str, Any], outcome: str, mfa: str, ip: str
) -> dict[str, Any]:
    extra: dict[str, Any] = (
        {"errorMessage": "Failed authentication"} if outcome == "Failure" else {}
    )
    return event(
        when,
        "signin",
        "ConsoleLogin",
        userIdentity=who,
        sourceIPAddress=ip,
        responseElements={"ConsoleLogin": outcome},
        eventType="AwsConsoleSignIn",
        additionalEventData={"MFAUsed": mfa, "LoginTo": "https://console.aws.amazon.com"},
        **extra,
    )


def records() -> list[dict[str, Any]]:
    """The scenario's records, with eventIDs numbered in order."""
    found = _records()
    for n, record in enumerate(found, start=1):
        record["eventID"] = f"00000000-0000-0000-0000-{n:012d}"
        record["requestID"] = f"req-{n}"
    return found


def _records() -> list[dict[str, Any]]:
    open_rule = '[{"ipProtocol":"tcp","fromPort":22,"ipRanges":[{"cidrIp":"0.0.0.0/0"}]}]'
    bucket = [{"accountId": ACCOUNT, "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::bucket-a"}]
    return [
        event("2024-04-20T08:00", "iam", "CreateUser", requestParameters={"userName": "old"}),
        event("2024-05-06T10:00", "iam", "CreateUser", requestParameters={"userName": "bob"}),
        *[
            console_login(f"2024-05-03T01:0{i}", user("alice"), "Failure", "No", "203.0.113.5")
            for i in range(3)
        ],
        console_login("2024-05-03T02:00", user("alice"), "Failure", "No", "198.51.100.7"),
        console_login("2024-05-04T09:00", user("carol"), "Success", "No", "192.0.2.20"),
        console_login("2024-05-04T09:05", user("dave"), "Success", "Yes", "192.0.2.21"),
        event(
            "2024-05-02T07:00", "iam", "GetAccountSummary", userIdentity=user("root", kind="Root")
        ),
        event(
            "2024-05-06T11:00",
            "iam",
            "CreateAccessKey",
            requestParameters={"userName": "bob"},
            responseElements={
                "accessKey": {"accessKeyId": "AKIABOB", "status": "Active", "userName": "bob"}
            },
        ),
        event(
            "2024-05-05T12:00",
            "kms",
            "CreateKey",
            requestParameters={"origin": "EXTERNAL"},
            responseElements={"keyMetadata": {"keyId": "key-ext", "keyUsage": "ENCRYPT_DECRYPT"}},
        ),
        event("2024-05-05T12:01", "kms", "CreateKey", requestParameters={"origin": "AWS_KMS"}),
        event(
            "2024-05-05T13:00",
            "rds",
            "CreateDBInstance",
            requestParameters={
                "dBInstanceIdentifier": "db1",
                "engine": "postgres",
                "dBInstanceClass": "db.t3.micro",
                "publiclyAccessible": True,
            },
        ),
        event(
            "2024-05-06T13:00",
            "rds",
            "ModifyDBInstance",
            requestParameters={
                "dBInstanceIdentifier": "db1",
                "allocatedStorage": 200,
                "applyImmediately": True,
            },
        ),
        *[
            event(
                f"2024-05-05T14:{i:02d}",
                "sts",
                "AssumeRole",
                userIdentity=role_session(),
                requestParameters={
                    "roleArn": f"arn:aws:iam::{ACCOUNT}:role/app",
                    "roleSessionName": f"s{i}",
                    "durationSeconds": 900,
                },
            )
            for i in range(5)
        ],
        event(
            "2024-05-05T15:00",
            "sts",
            "AssumeRole",
            requestParameters={
                "roleArn": f"arn:aws:iam::{ACCOUNT}:role/admin",
                "roleSessionName": "long",
                "durationSeconds": 43200,
            },
        ),
        *[
            event(
                f"2024-05-05T16:0{i}",
                "ec2",
                "DescribeInstances",
                userIdentity=role_session(),
                errorCode="Client.RequestLimitExceeded",
                readOnly=True,
            )
            for i in range(2)
        ],
        event(
            "2024-05-07T03:00",
            "s3",
            "GetObject",
            userIdentity=user("mallory"),
            errorCode="AccessDenied",
            errorMessage="Access Denied",
            eventCategory="Data",
            requestParameters={"bucketName": "bucket-a", "key": "secret.txt"},
            readOnly=True,
            sourceIPAddress="198.51.100.66",
            resources=bucket,
        ),
        event(
            "2024-05-07T03:05",
            "ec2",
            "RunInstances",
            userIdentity=user("mallory"),
            errorCode="Client.UnauthorizedOperation",
            awsRegion="ap-southeast-3",
            sourceIPAddress="198.51.100.66",
            requestParameters={"instanceType": "p4d.24xlarge"},
        ),
        event(
            "2024-05-07T03:10",
            "cloudtrail",
            "StopLogging",
            userIdentity=user("mallory"),
            requestParameters={"name": "main-trail"},
            sourceIPAddress="198.51.100.66",
        ),
        event(
            "2024-05-07T03:11",
            "cloudtrail",
            "DeleteTrail",
            userIdentity=user("mallory"),
            requestParameters={"name": "main-trail"},
            sourceIPAddress="198.51.100.66",
        ),
        event(
            "2024-05-07T03:12",
            "s3",
            "PutBucketPolicy",
            userIdentity=user("mallory"),
            requestParameters={"bucketName": "bucket-a", "policy": {"Statement": []}},
            resources=bucket,
        ),
        event("2024-05-07T03:13", "s3", "DeleteBucket", requestParameters={"bucketName": "old-b"}),
        event(
            "2024-05-07T03:14",
            "ec2",
            "AuthorizeSecurityGroupIngress",
            requestParameters={"groupId": "sg-1", "ipPermissions": open_rule},
        ),
        event(
            "2024-05-06T18:00",
            "s3",
            "ListBuckets",
            readOnly=True,
            userIdentity=user("partner", account=OTHER_ACCOUNT),
        ),
        event(
            "2024-05-06T19:00",
            "secretsmanager",
            "GetSecretValue",
            userIdentity=role_session(),
            requestParameters={"secretId": "prod/db"},
            readOnly=True,
            tlsDetails={"tlsVersion": "TLSv1.1", "cipherSuite": "ECDHE-RSA-AES128-SHA"},
        ),
        event("2024-05-01T10:00", "s3", "CreateBucket", requestParameters={"bucketName": "logs"}),
        event(
            "2024-05-01T11:00",
            "cloudtrail",
            "StartQuery",
            requestParameters={"queryStatement": "SELECT * FROM eds LIMIT 1"},
            responseElements={"queryId": "q-1"},
        ),
    ]


def build(root: Path) -> Lake:
    """Ingest `records()` into a new lake under `root`."""
    source = root / "in" / "scenario.json"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(orjson.dumps({"Records": records()}))
    lake = Lake(root / "lake")
    ingest(lake, [str(source)])
    return lake
