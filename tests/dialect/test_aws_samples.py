"""AWS's own CloudTrail Lake sample queries (tests/fixtures/aws-samples), as published — a
multi-line `/* ... */` header mentioning `<EDS ID>`, then the query — run unchanged, with
the same answer, through `-c "$(cat f.sql)"`, a file argument, stdin and the shell."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ctlake.lake import Lake, reader
from ctlake.output import Format
from ctlake.shell import Session, Settings
from ctlake.shell.statements import is_complete
from tests.conftest import lake_of
from tests.queries.scenario import ACCOUNT, OTHER_ACCOUNT, event, role_session, user
from tests.shell.conftest import run

SAMPLES = Path(__file__).parents[1] / "fixtures" / "aws-samples"
ALICE_ROLE = "arn:aws:iam::555555555555:role/alice"


def sample_records() -> list[dict[str, Any]]:
    """One event for each sample to find, on the dates the samples ask for."""
    alice = role_session()
    alice["sessionContext"]["sessionIssuer"]["arn"] = ALICE_ROLE
    keyed = {**user("bob"), "accessKeyId": "AKIAIOSFODNN7EXAMPLE"}
    bucket = [{"accountId": ACCOUNT, "type": "AWS::IAM::Role", "ARN": "arn:aws:iam::r/support"}]
    tags = {
        "resourcesSet": {"items": [{"resourceId": "i-0abc"}]},
        "tagSet": {"items": [{"key": "team", "value": "blue"}]},
    }
    found = [
        event("2023-01-03T10:00", "dynamodb", "DescribeTable", userIdentity=alice),
        event(
            "2023-01-04T11:00",
            "s3",
            "GetObject",
            userIdentity=keyed,
            requestParameters={"bucketName": "photos", "key": "cat.jpg"},
        ),
        event(
            "2023-01-05T12:00",
            "signin",
            "ConsoleLogin",
            additionalEventData={"MFAUsed": "No"},
        ),
        event("2022-05-10T09:00", "s3", "ListBuckets", userIdentity=user("eve", OTHER_ACCOUNT)),
        event(
            "2023-02-01T08:00",
            "sts",
            "AssumeRole",
            userAgent="support.amazonaws.com",
            resources=bucket,
        ),
        event("2022-03-01T07:00", "ec2", "CreateTags", requestParameters=tags),
    ]
    for n, record in enumerate(found, start=1):
        record["eventID"] = f"SAMPLE-{n:04d}"
    return found


@pytest.fixture(scope="module")
def samples_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return lake_of(Path(tmp_path_factory.mktemp("samples")), sample_records())


@pytest.fixture
def session(samples_lake: Lake) -> Iterator[Session]:
    con = reader.connect(samples_lake)
    yield Session(con, Settings(fmt=Format.CSV, dialect="lake"), err=io.StringIO())
    con.close()


EXPECTED = {
    "iam-role-activity.sql": (
        "eventSource,eventName,eventTime,eventID,errorCode\n"
        "dynamodb.amazonaws.com,DescribeTable,2023-01-03 10:00:00,SAMPLE-0001,\n"
    ),
    "s3-actions-by-iam-access-key.sql": (
        "BucketName,ObjectName,eventName\nphotos,cat.jpg,GetObject\n"
    ),
    "cross-account-access.sql": (
        "principalid,eventName,eventSource,accountId,recipientAccountId,requestParameters,"
        "eventTime\nAIDAEVE,ListBuckets,s3.amazonaws.com,444455556666,111122223333,,"
        "2022-05-10 09:00:00\n"
    ),
    "tag-history-by-resource.sql": (
        "awsRegion,eventSource,resourceId,eventTime,eventName,key,value,identityarn\n"
        "us-east-1,ec2.amazonaws.com,i-0abc,2022-03-01 07:00:00,CreateTags,team,blue,"
        f"arn:aws:iam::{ACCOUNT}:user/alice\n"
    ),
}
ONE_ROW = {"console-login-with-no-mfa.sql": "SAMPLE-0003", "aws-support-access.sql": "support"}


def sample_names() -> list[str]:
    return sorted(path.name for path in SAMPLES.glob("*.sql"))


def test_the_samples_are_as_aws_publishes_them() -> None:
    for name in sample_names():
        text = (SAMPLES / name).read_text()
        assert text.lstrip().startswith("/*") and "<EDS ID>" in text.split("*/")[0], name
    assert set(sample_names()) == set(EXPECTED) | set(ONE_ROW)


def check_answer(name: str, output: str) -> None:
    if name in EXPECTED:
        assert output == EXPECTED[name]
    else:
        _header, *rows = output.splitlines()
        assert len(rows) == 1 and ONE_ROW[name] in rows[0], output


@pytest.mark.parametrize("name", sample_names())
def test_a_sample_runs_through_dash_c_as_cat_gives_it(samples_lake: Lake, name: str) -> None:
    text = (SAMPLES / name).read_text().rstrip("\n")  # what "$(cat f.sql)" passes
    result = run(samples_lake, "sql", "--dialect", "lake", "-f", "csv", "-c", text)
    assert result.exit_code == 0, result.output
    check_answer(name, result.stdout)


@pytest.mark.parametrize("name", sample_names())
def test_a_sample_runs_as_a_file_argument(samples_lake: Lake, name: str) -> None:
    result = run(samples_lake, "sql", "--dialect", "lake", "-f", "csv", str(SAMPLES / name))
    assert result.exit_code == 0, result.output
    check_answer(name, result.stdout)


@pytest.mark.parametrize("name", sample_names())
def test_a_sample_runs_from_stdin(samples_lake: Lake, name: str) -> None:
    stdin = (SAMPLES / name).read_text()
    result = run(samples_lake, "sql", "--dialect", "lake", "-f", "csv", "-", stdin=stdin)
    assert result.exit_code == 0, result.output
    check_answer(name, result.stdout)


@pytest.mark.parametrize("name", sample_names())
def test_a_sample_pasted_into_the_shell_runs_once_a_semicolon_ends_it(
    session: Session, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    pasted = (SAMPLES / name).read_text()
    first_line = pasted.lstrip().split("\n")[0] + "\n"
    assert not is_complete(first_line)  # the open header comment: Enter continues the line
    if not is_complete(pasted):
        pasted += "\n;"  # the user ends the statement, as in any SQL shell
    assert is_complete(pasted)
    session.handle(pasted)
    assert isinstance(session.err, io.StringIO) and session.err.getvalue() == ""
    check_answer(name, capsys.readouterr().out)
