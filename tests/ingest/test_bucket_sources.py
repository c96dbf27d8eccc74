"""Ingest straight from a bucket: `ctlake ingest s3://bucket/AWSLogs/` (a local S3 server,
reached through s3fs as AWS would be) stores what ingesting a copy of the same tree does,
exactly once, digests skipped and other files passed over alike; `[sources]` takes bucket
URLs and globs; Spark's executors read the same URLs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ctlake.errors import BadInputError, ExitCode
from ctlake.generate import generate_trail
from ctlake.ingest import ingest
from ctlake.lake import Lake
from ctlake.spark.session import missing_runtime
from tests.batch.conftest import ctlake
from tests.conftest import ROOT, lake_rows
from tests.s3 import new_bucket, s3


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated two-day delivery tree (digests, a broken file, duplicate deliveries),
    with a README beside it that ingest passes over."""
    out = tmp_path_factory.mktemp("bucket-trail")
    generate_trail(out, days=2, seed=5, scale=0.02)
    (out / "AWSLogs" / "README.txt").write_text("not CloudTrail")
    return out / "AWSLogs"


@pytest.fixture(scope="module")
def bucket(s3_endpoint: str, trail: Path) -> str:
    """The trail uploaded to a bucket, as CloudTrail delivers it (read by every test)."""
    name = new_bucket()
    s3().put(str(trail), f"{name}/AWSLogs", recursive=True)
    return name


def test_a_bucket_is_ingested_as_a_copy_of_it_is(tmp_path: Path, trail: Path, bucket: str) -> None:
    url = f"s3://{bucket}/AWSLogs"
    local, remote = Lake(tmp_path / "local"), Lake(tmp_path / "remote")
    expected = ingest(local, [str(trail)])
    got = ingest(remote, [url])
    assert got.line() == expected.line()
    assert got.passed_over == expected.passed_over and got.digests_skipped > 0
    assert same_events(local, remote, trail, url)
    again = ingest(remote, [url + "/"])
    assert (again.files_skipped, again.records) == (expected.files_read, 0)


def test_a_missing_bucket_prefix_is_one_line(bucket: str, tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=rf"^s3://{bucket}/nothing: no such file or folder$"):
        ingest(Lake(tmp_path / "lake"), [f"s3://{bucket}/nothing"])


def test_a_url_without_a_bucket_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"^s3://: name a bucket, and a prefix in it"):
        ingest(Lake(tmp_path / "lake"), ["s3://"])


def test_no_credentials_is_one_line_saying_where_they_come_from(
    bucket: str, tmp_path: Path
) -> None:
    hidden = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN")
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env.update(
        PYTHONPATH=str(ROOT),
        AWS_EC2_METADATA_DISABLED="true",  # no instance role to ask
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_CONFIG_FILE=os.devnull,
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ctlake",
            "--lake",
            str(tmp_path),
            "ingest",
            f"s3://{bucket}/AWSLogs",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == ExitCode.BAD_INPUT
    assert done.stderr.splitlines() == [
        "error: S3: Unable to locate credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY, or run where an instance or task role applies"
    ]


def test_a_run_reads_bucket_globs_into_a_lake_on_s3(tmp_path: Path, bucket: str) -> None:
    folder = tmp_path / "lake"
    folder.mkdir()
    (folder / "ctlake.toml").write_text(
        f'[lake]\ndata = "s3a://{bucket}/lake"\n'
        f'[sources]\npaths = ["s3://{bucket}/AWSLogs/*/CloudTrail/*"]\n'
    )
    done = ctlake(folder, "run")
    assert done.returncode == ExitCode.PARTIAL, done.stderr  # the trail's broken file
    counted = ctlake(folder, "sql", "-c", "SELECT count(*) AS n FROM events", "-f", "csv")
    assert int(counted.stdout.splitlines()[1]) > 0
    assert s3().glob(f"{bucket}/lake/events/eventDate=*/*.parquet")


def test_spark_executors_read_the_bucket(tmp_path: Path, trail: Path, bucket: str) -> None:
    """In a process of its own, so the executors inherit the test endpoint."""
    problem = missing_runtime()
    if problem:
        pytest.skip(problem)
    url = f"s3://{bucket}/AWSLogs"
    local, remote = Lake(tmp_path / "local"), Lake(tmp_path / "remote")
    expected = ingest(local, [str(trail)])
    done = ctlake(remote.root, "ingest", "--engine", "spark", url, timeout=300)
    assert done.returncode == ExitCode.PARTIAL, done.stderr
    assert expected.line().removeprefix("ingest: ") in done.stderr
    assert same_events(local, remote, trail, url)


def same_events(local: Lake, remote: Lake, trail: Path, url: str) -> bool:
    """The same events, row for row, each from the same file under its own name."""
    con = duckdb.connect()
    views = []
    for lake, prefix in ((local, str(trail)), (remote, url)):
        files = lake.files.location("events/*/*.parquet")
        views.append(
            f"SELECT * REPLACE (replace(lakeSource, '{prefix}', '') AS lakeSource) "
            f"FROM read_parquet('{files}', hive_partitioning = true)"
        )
    same = all(
        con.sql(f"SELECT count(*) FROM ({a} EXCEPT ALL {b})").fetchall() == [(0,)]
        for a, b in ((views[0], views[1]), (views[1], views[0]))
    )
    con.close()
    return same and lake_rows(remote, "SELECT count(*) FROM events") != [(0,)]
