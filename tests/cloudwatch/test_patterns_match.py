"""The SQL predicate of a pattern selects exactly the records the reference matcher
(tests/cloudwatch/matcher.py) accepts: on a generated trail and a few hand-written records
shaped like real ones (null fields, nested JSON in requestParameters, resource lists), for
a table of patterns covering every construct and random compounds of them. One lake, one
query per batch of patterns."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from ctlake.cloudwatch.patterns import compile_pattern, parse_pattern
from ctlake.generate import generate_trail
from ctlake.ingest import ingest
from ctlake.lake import Lake
from ctlake.lake.reader import connect
from tests.cloudwatch.matcher import matches
from tests.conftest import make_record

BATCH = 60  # predicates per query

# Shaped like records real trails carry, written for these tests.
HANDWRITTEN: list[dict[str, Any]] = [
    make_record(
        1,
        eventName="ConsoleLogin",
        eventSource="signin.amazonaws.com",
        userIdentity={"type": "Root", "principalId": "111122223333", "accountId": "111122223333"},
        additionalEventData={"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com/"},
        responseElements={"ConsoleLogin": "Success"},
        requestParameters=None,
    ),
    make_record(
        2,
        eventName="PutBucketPolicy",
        eventSource="s3.amazonaws.com",
        requestParameters={
            "bucketName": "logs",
            "bucketPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]},
            "host": ["logs.s3.amazonaws.com"],
        },
        resources=[
            {"ARN": "arn:aws:s3:::logs", "type": "AWS::S3::Bucket"},
            {"accountId": "111122223333", "type": "AWS::S3::Object"},
        ],
        responseElements=None,
        additionalEventData={"bytesTransferredIn": 512.0, "SignatureVersion": "SigV4"},
    ),
    make_record(
        3,
        eventName="UpdateTrail",
        eventSource="cloudtrail.amazonaws.com",
        errorCode="UnauthorizedOperation",
        errorMessage="You are not authorized",
        userIdentity={
            "type": "AssumedRole",
            "invokedBy": "config.amazonaws.com",
            "sessionContext": {"attributes": {"mfaAuthenticated": "true"}},
        },
        requestParameters={"name": "trail", "isMultiRegionTrail": True, "count": "42"},
        readOnly=True,
    ),
    make_record(
        4,
        eventName="DeleteFlowLogs",
        eventSource="ec2.amazonaws.com",
        errorCode=None,
        requestParameters={"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-1"}}},
    ),
]

LEAVES = [
    '{ $.eventName = "ConsoleLogin" }',
    "{ $.eventName = Delete* }",
    "{ $.eventName != Describe* }",
    "{ $.eventName = %^Get% }",
    "{ $.eventName != %Instances$% }",
    "{ $.eventSource = ec2.amazonaws.com }",
    '{ $.errorCode = "*UnauthorizedOperation" }',
    '{ $.errorCode = "AccessDenied*" }',
    "{ $.errorCode = * }",
    "{ $.errorCode NOT EXISTS }",
    "{ $.errorCode IS NULL }",
    '{ $.userIdentity.type = "Root" }',
    '{ $.userIdentity.type != "AssumedRole" }',
    "{ $.userIdentity.invokedBy NOT EXISTS }",
    "{ $.userIdentity.invokedBy = *.amazonaws.com }",
    '{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = "true" }',
    "{ $.userIdentity.sessionContext.sessionIssuer.userName = * }",
    '{ $.eventType != "AwsServiceEvent" }',
    '{ $.additionalEventData.MFAUsed != "Yes" }',
    "{ $.additionalEventData.bytesTransferredIn > 100 }",
    "{ $.additionalEventData.NoSuchKey NOT EXISTS }",
    '{ $.responseElements.ConsoleLogin = "Success" }',
    "{ $.responseElements IS NULL }",
    "{ $.requestParameters IS NULL }",
    "{ $.requestParameters NOT EXISTS }",
    "{ $.requestParameters.bucketName = * }",
    "{ $.requestParameters.bucketPolicy = * }",
    '{ $.requestParameters.bucketPolicy.Version = "2012-10-17" }',
    "{ $.requestParameters.bucketPolicy.Statement[0].Effect = Allow }",
    "{ $.requestParameters.host[0] = *.amazonaws.com }",
    "{ $.requestParameters.isMultiRegionTrail IS TRUE }",
    "{ $.requestParameters.count = 42 }",
    "{ $.requestParameters.durationSeconds >= 3600 }",
    "{ $.requestParameters.durationSeconds > 3600 }",
    "{ $.requestParameters.durationSeconds <= 3600 }",
    "{ $.requestParameters.durationSeconds < 43200 }",
    "{ $.requestParameters.durationSeconds = 3.6e3 }",
    "{ $.requestParameters.durationSeconds != 3600 }",
    "{ $.requestParameters.pendingWindowInDays = 7 }",
    "{ $.additionalEventData.x-amz-id-2 = * }",
    "{ $.requestParameters.instanceType = * }",
    "{ $.requestParameters.DeleteFlowLogsRequest.FlowLogId.content = fl-1 }",
    "{ $.resources[0].ARN = arn:aws:s3:::* }",
    "{ $.resources[1].type = * }",
    '{ $.resources[*].type = "AWS::S3::Object" }',
    "{ $.resources[*].accountId NOT EXISTS }",
    "{ $.readOnly IS TRUE }",
    "{ $.readOnly IS FALSE }",
    "{ $.managementEvent IS TRUE }",
    "{ $.readOnly = true }",
    "{ $.eventVersion > 1.05 }",
    "{ $.eventVersion = 1.08 }",
    "{ $.eventVersion >= 1.09 }",
    "{ $.eventVersion <= 1.08 }",
    "{ $.sourceIPAddress = %^54\\.% }",
    "{ $.sourceIPAddress != 10.* }",
    "{ $.awsRegion = us-east-1 }",
    "{ $.tlsDetails.tlsVersion = TLSv1.3 }",
    "{ $.userAgent = *console* }",
    "{ $.recipientAccountId = * }",
    "{ $.eventCategory = Management }",
    "{ $.* = ConsoleLogin }",
    "{ $.userIdentity.* = Root }",
    "{ $.userIdentity IS NULL }",
    "{ $.userIdentity = * }",
    "{ $.eventTime = 2024-* }",
    "ConsoleLogin",
    "AccessDenied -ConsoleLogin",
    '?"Root" ?UpdateTrail',
    '"signin.amazonaws.com"',
    "%arn:aws:iam::[0-9]+:root%",
    "",
]


SAMPLE = 700  # generated records the random compounds run on (plus the hand-written ones)


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder = Path(tmp_path_factory.mktemp("match"))
    generate_trail(folder / "trail", days=2, seed=11, scale=0.01, regions=("us-east-1",))
    handwritten = folder / "handwritten.json"
    handwritten.write_bytes(orjson.dumps({"Records": HANDWRITTEN}))
    lake = Lake(folder / "lake")
    ingest(lake, [str(folder / "trail" / "AWSLogs"), str(handwritten)])
    return connect(lake)


def compound(rng: random.Random, depth: int = 0) -> str:
    """A random JSON condition built from the leaves, with && || and parentheses."""
    if depth >= 2 or rng.random() < 0.4:
        leaf = rng.choice([p for p in LEAVES if p.startswith("{")])
        return leaf[1:-1].strip()
    operator = rng.choice(["&&", "||"])
    parts = [compound(rng, depth + 1) for _ in range(rng.randint(2, 3))]
    return "(" + f" {operator} ".join(parts) + ")"


def compounds(count: int) -> list[str]:
    rng = random.Random(13)
    return ["{ " + compound(rng) + " }" for _ in range(count)]


def compare(
    con: duckdb.DuckDBPyConnection, patterns: list[str], sample: int | None = None
) -> tuple[dict[str, tuple[int, int]], list[int]]:
    """Run `patterns` as SQL (a batch per query, over every record or a sample of the
    generated ones) and through the matcher on the same rows. Returns the patterns whose
    matches differ (with both counts) and, for each pattern, how many records it matched."""
    typed = typed_paths(con)
    rows = (
        "events"
        if sample is None
        else (
            f"(SELECT * FROM events WHERE eventID LIKE '00000000-%' UNION ALL "
            f"SELECT * FROM (SELECT * FROM events WHERE eventID NOT LIKE '00000000-%' "
            f"ORDER BY eventID LIMIT {sample}))"
        )
    )
    differ: dict[str, tuple[int, int]] = {}
    counts: list[int] = []
    for start in range(0, len(patterns), BATCH):
        batch = patterns[start : start + BATCH]
        columns = ", ".join(compile_pattern(p).sql("duckdb") for p in batch)
        result = con.execute(f"SELECT eventJson, {columns} FROM {rows}").fetchall()
        records = [(orjson.loads(row[0]), row[0]) for row in result]
        for i, pattern in enumerate(batch):
            parsed = parse_pattern(pattern)
            got = [bool(row[i + 1]) for row in result]
            wanted = [matches(parsed, record, text, typed) for record, text in records]
            if got != wanted:
                differ[pattern] = (sum(got), sum(wanted))
            counts.append(sum(wanted))
    return differ, counts


def typed_paths(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The dotted paths of the scalar columns and struct fields of `events`."""
    found: set[str] = set()
    stack = [(name, kind) for name, kind in zip(*_schema(con), strict=True)]
    while stack:
        path, kind = stack.pop()
        if kind.id == "struct":
            stack.extend((f"{path}.{child}", sub) for child, sub in kind.children)
        elif kind.id in ("varchar", "boolean"):
            found.add(path)
    return frozenset(found)


def _schema(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[Any]]:
    relation = con.table("events")
    return relation.columns, relation.types


def test_each_construct_selects_what_the_matcher_selects(con: duckdb.DuckDBPyConnection) -> None:
    differ, counts = compare(con, LEAVES)
    assert differ == {}
    # The table is not trivial: most leaves match some records and not others.
    total = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    assert sum(0 < n < total for n in counts) >= len(LEAVES) * 3 // 4


def test_random_compounds_select_what_the_matcher_selects(con: duckdb.DuckDBPyConnection) -> None:
    differ, counts = compare(con, compounds(200), sample=SAMPLE)
    assert differ == {}
    assert sum(0 < n < SAMPLE for n in counts) >= 200 // 3
