"""The SparkSession of a ctlake process.

Spark reaches the lake's data files by the URIs `ctlake.lake.files` gives, so what it reads
and writes on `s3a://` or `hdfs://` is a matter of configuration (`[lake] data`, and
`[spark] master` and `[spark.settings]` for the filesystem's credentials and endpoints), not
of code.

stderr carries ctlake's progress and diagnostics, so the driver's JVM starts with ctlake's
log4j2 configuration (errors only: no start-up warnings) and its stderr passes through a
filter that drops the one line log4j cannot silence, the JVM's own incubator-module warning.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ctlake.config.engine import SparkConfig
from ctlake.errors import BadInputError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# Settings ctlake relies on for equal answers with DuckDB; a user's [spark.settings] may
# add to them but these win, because changing them would change results.
REQUIRED_SETTINGS = {
    # eventTime and every timestamp are UTC, as in the DuckDB lake.
    "spark.sql.session.timeZone": "UTC",
    # Parquet timestamps as DuckDB writes and reads them (microseconds, UTC-adjusted).
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # ANSI mode off: integer division and casts behave like the models expect (NULL on a
    # failed cast, as DuckDB's TRY_CAST), whatever the Spark version's default.
    "spark.sql.ansi.enabled": "false",
}
LOG4J2 = Path(__file__).resolve().parent / "log4j2.properties"
DRIVER_JAVA_OPTIONS = "spark.driver.extraJavaOptions"
# Defaults for a small local run; a user's settings override them.
DEFAULT_SETTINGS = {
    # a user's own options are added after these, so their -D settings win (the last wins)
    DRIVER_JAVA_OPTIONS: f"-Dlog4j2.configurationFile={LOG4J2.as_uri()}",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",  # stderr carries ctlake's own lines
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.adaptive.enabled": "true",
    "spark.driver.memory": "2g",
}


def missing_runtime() -> str | None:
    """What to install for `--engine spark` to work, or None when nothing is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "--engine spark needs PySpark: pip install 'ctlake[spark]'"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and not shutil.which("java"):
        return (
            "--engine spark needs a Java runtime (17 or newer): install one "
            "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )
    return None


def spark_session(config: SparkConfig) -> SparkSession:
    """The process's SparkSession on `config.master`, made once (Spark keeps one active
    session per driver) and reused by every later call."""
    problem = missing_runtime()
    if problem:
        raise BadInputError(problem)
    from pyspark.sql import SparkSession

    # executors run this Python (and its ctlake), not whatever `python3` is on the PATH
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    settings = session_settings(config.settings)
    _start_driver(config.master, settings)
    builder = SparkSession.builder.master(config.master).appName("ctlake")
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    # failures reach the user as one line from ctlake; Spark's log would repeat them whole
    session.sparkContext.setLogLevel("OFF")
    _quiet_pyspark_errors()
    return session


def _quiet_pyspark_errors() -> None:
    """PySpark logs each SQL error it raises to stderr, whole (a JSON line with the JVM's
    stack); ctlake reports it in one line, so those loggers take critical messages only."""
    from pyspark.logger import PySparkLogger

    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).setLevel(logging.CRITICAL)


def session_settings(user: Mapping[str, str]) -> dict[str, str]:
    """The session's settings: ctlake's defaults, then `user`'s ([spark.settings]), then
    the settings equal answers need. The user's driver Java options are appended to
    ctlake's rather than replacing them, so ctlake's log configuration stays unless they
    name their own."""
    settings = {**DEFAULT_SETTINGS, **user, **REQUIRED_SETTINGS}
    if DRIVER_JAVA_OPTIONS in user:
        settings[DRIVER_JAVA_OPTIONS] = (
            f"{DEFAULT_SETTINGS[DRIVER_JAVA_OPTIONS]} {user[DRIVER_JAVA_OPTIONS]}"
        )
    return settings


def _start_driver(master: str, settings: Mapping[str, str]) -> None:
    """Start the driver's JVM and its SparkContext with `settings`, its stderr through
    `_forward_stderr`, unless this process has one already (PySpark keeps one JVM per
    process: a later session reuses it). The JVM's options must be known when it starts,
    which a SparkSession builder's settings are not when the JVM already runs."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway

    if SparkContext._gateway is not None:
        return
    conf = SparkConf().setMaster(master).setAppName("ctlake").setAll(list(settings.items()))
    gateway = launch_gateway(conf, popen_kwargs={"stderr": subprocess.PIPE})
    if gateway.proc is not None:  # None when PySpark connects to a running JVM
        _forward_stderr(gateway.proc.stderr)
    SparkContext(conf=conf, gateway=gateway)


# What the JVM prints itself at start (Spark adds the vector module), not through log4j.
_JVM_NOISE = (b"WARNING: Using incubator modules:",)


def _forward_stderr(stream: IO[bytes]) -> None:
    """Copy the JVM's stderr to ours, less `_JVM_NOISE`, for as long as the JVM runs."""

    def forward() -> None:
        for line in stream:
            if line.startswith(_JVM_NOISE):
                continue
            # to the file descriptor, where the JVM wrote before; when stderr is gone, keep
            # draining, or the JVM blocks on a full pipe
            with contextlib.suppress(OSError):
                os.write(2, line)

    threading.Thread(target=forward, name="spark-stderr", daemon=True).start()
