"""`query run --engine spark` and `sql --engine spark --dialect lake`: the same answer, byte
for byte in CSV, as DuckDB's, on the saved-query scenario and on AWS's Lake samples.

Every saved query answers the same on this scenario; a handful is compared here (Spark is
slow on tiny data). Left out: those whose answer needs a refreshed lake (`insight-events`,
`insights-top-identities`: the refresh tests compare those tables) or a parameter the
scenario does not give (`api-calls-from-ip`, `principal-timeline`). Of AWS's samples,
every one runs: `tag-history-by-resource`'s Trino JSON functions become DuckDB's in the
lake dialect, and Spark's in `ctlake.spark.transpile` (its tests compare the two engines'
JSON functions on awkward documents).
"""

from __future__ import annotations

import _thread
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ctlake.errors import BadInputError
from ctlake.lake import Lake, reader
from ctlake.output import Format
from ctlake.queries import load_query
from ctlake.queries.run import run_query
from ctlake.shell import Session, Settings
from ctlake.shell.cancel import cancellable
from ctlake.spark.queries import SparkQueries
from ctlake.spark.session import DRIVER_JAVA_OPTIONS, LOG4J2, session_settings
from tests.conftest import lake_of
from tests.dialect.test_aws_samples import SAMPLES, check_answer, sample_records
from tests.queries import scenario
from tests.shell.conftest import run

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

PORTABLE = [
    "access-denied",
    "console-logins",
    "critical-changes",
    "ec2-instances-launched",
    "cross-account-access",
    "events-by-day",
    "events-by-service",
    "iam-users-created",
    "long-assume-role-sessions",
    "new-api-calls",
    "s3-data-events-by-bucket",
]


@pytest.fixture(scope="module")
def scenario_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return scenario.build(tmp_path_factory.mktemp("queries"))


@pytest.fixture(scope="module")
def samples_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return lake_of(tmp_path_factory.mktemp("samples"), sample_records())


@pytest.mark.parametrize("name", PORTABLE)
def test_a_saved_query_answers_the_same_on_spark(
    spark: SparkSession, scenario_lake: Lake, tmp_path: Path, name: str
) -> None:
    query = load_query(name)
    values = {"until": scenario.UNTIL} if "until" in query.placeholders else {}
    on_duckdb, on_spark = tmp_path / "duckdb.csv", tmp_path / "spark.csv"
    con = reader.connect(scenario_lake)
    try:
        rows = run_query(con, query, values, Format.CSV, on_duckdb)
        queries = SparkQueries(spark, scenario_lake, con)
        spark_rows = run_query(con, query, values, Format.CSV, on_spark, queries)
    finally:
        con.close()
    assert rows > 0  # the scenario has something for each of these
    assert (spark_rows, on_spark.read_text()) == (rows, on_duckdb.read_text())


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.sql")))
def test_an_aws_lake_sample_answers_the_same_on_spark(
    spark: SparkSession, samples_lake: Lake, name: str
) -> None:
    """Through the command line, as a user runs it: `sql --engine spark --dialect lake`."""
    args = ["sql", "--dialect", "lake", "-f", "csv", str(SAMPLES / name)]
    on_duckdb = run(samples_lake, *args)
    on_spark = run(samples_lake, *args, "--engine", "spark")
    assert on_spark.exit_code == 0, on_spark.output
    check_answer(name, on_duckdb.stdout)
    assert on_spark.stdout == on_duckdb.stdout


def test_a_statement_that_is_not_a_query_is_refused_on_spark(
    spark: SparkSession, samples_lake: Lake
) -> None:
    con = reader.connect(samples_lake)
    try:
        session = Session(con, Settings(), err=io.StringIO())
        session.spark = SparkQueries(spark, samples_lake, con)
        with pytest.raises(BadInputError, match="runs queries"):
            session.run_script("CREATE TABLE t AS SELECT 1", "-c")
    finally:
        con.close()


def test_a_spark_command_keeps_stderr_for_ctlakes_own_lines(
    spark: SparkSession, samples_lake: Lake
) -> None:
    """A process of its own, so its driver's JVM starts as a user's does: none of Spark's
    start-up lines (the JVM's incubator warning, log4j's profile and warnings, the shell's
    log level) nor PySpark's log of a SQL error; the error is ctlake's one line."""
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).parents[2]),
        "CTLAKE_SPARK_MASTER": "local[1]",
    }
    command = ["--lake", str(samples_lake.root), "sql", "--engine", "spark", "-f", "csv"]
    script = "SELECT 1 AS one; SELECT nosuch FROM events"
    result = subprocess.run(
        [sys.executable, "-m", "ctlake", *command, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.stdout == "one\n1\n"
    assert result.stderr.startswith("error: -c: statement 2: SQL error on Spark: ")
    assert len(result.stderr.splitlines()) == 1, result.stderr


def test_a_users_driver_java_options_come_after_ctlakes() -> None:
    """The JVM takes the last of a repeated -D, so a user's own log4j2 file still wins."""
    options = "-Dlog4j2.configurationFile=mine.properties"
    settings = session_settings({DRIVER_JAVA_OPTIONS: options})
    assert (
        settings[DRIVER_JAVA_OPTIONS] == f"-Dlog4j2.configurationFile={LOG4J2.as_uri()} {options}"
    )
    assert LOG4J2.is_file()


# Every combination of 14 copies of the samples' 6 events, each hashed: hours on local[2].
ENDLESS = "SELECT count(*) AS n FROM {} WHERE hash({}) % 7 = 3;".format(
    ", ".join(f"events e{n}" for n in range(14)), ", ".join(f"e{n}.eventID" for n in range(14))
)

NO_BROADCAST = "spark.sql.autoBroadcastJoinThreshold"


def test_in_the_shell_ctrl_c_cancels_the_spark_job(
    spark: SparkSession, samples_lake: Lake, capsys: pytest.CaptureFixture[str]
) -> None:
    """As the interactive shell runs it (`repl.run_repl`'s runner): Ctrl-C cancels the
    statement's Spark jobs, the statement fails as "query cancelled" and the session goes on.
    Python's own SIGINT handler, not PySpark's (which cancels jobs too, when the context was
    made on the main thread): the shell's runner must cancel them itself."""
    con = reader.connect(samples_lake)
    pysparks = signal.signal(signal.SIGINT, signal.default_int_handler)
    # A cancelled task stops when it next reads a row: a broadcast nested-loop join reads
    # its few rows once, then loops for hours, holding the cores the next query needs.
    spark.conf.set(NO_BROADCAST, "-1")
    try:
        err = io.StringIO()
        queries = SparkQueries(spark, samples_lake, con)
        runner = cancellable(con, reraise=False, spark=queries)
        session = Session(con, Settings(fmt=Format.CSV), err=err, runner=runner, spark=queries)
        threading.Timer(5, _thread.interrupt_main, (signal.SIGINT,)).start()
        started = time.monotonic()
        session.handle(ENDLESS)
        assert err.getvalue() == "error: query cancelled\n"
        assert time.monotonic() - started < 60
        session.handle("SELECT 1 AS one;")
    finally:
        spark.conf.unset(NO_BROADCAST)
        signal.signal(signal.SIGINT, pysparks)
        con.close()
    assert capsys.readouterr().out == "one\n1\n"
