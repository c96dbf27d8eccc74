"""The SparkSession of a ctlake process, and the lake's paths as URIs Spark can read.

Every path handed to Spark goes through `uri()`, so what Spark reads on `s3a://` or
`hdfs://` is a matter of configuration (`[spark] master` and `[spark.settings]` for the
filesystem's credentials and endpoints), not of code. The lake folder itself must still be
one the driver mounts: the catalog, the write lock and the commit's renames are
local-filesystem steps (docs/scale.md).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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
# Defaults for a small local run; a user's settings override them.
DEFAULT_SETTINGS = {
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
    builder = SparkSession.builder.master(config.master).appName("ctlake")
    settings = {**DEFAULT_SETTINGS, **config.settings, **REQUIRED_SETTINGS}
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    # failures reach the user as one line from ctlake; Spark's log would repeat them whole
    session.sparkContext.setLogLevel("OFF")
    return session


def uri(path: str | Path) -> str:
    """`path` as a URI for Spark: an `s3a://`, `hdfs://` or `file:` URI stays as given, a
    local path becomes an absolute `file:` URI (so a relative path never depends on the
    executors' working directory)."""
    text = str(path)
    if "://" in text or text.startswith("file:"):
        return text
    return Path(text).expanduser().resolve().as_uri()
