"""One local SparkSession for every Spark test, or a skip saying what is missing.

Spark takes seconds to start and is slow on tiny data, so the tests share one session on
`local[2]` with two shuffle partitions, and keep their trails to a few thousand events.
Without PySpark or a Java runtime they are skipped with the reason (missing_runtime), so
`pytest` runs them wherever they can run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from ctlake.config.engine import SparkConfig
from ctlake.spark.session import missing_runtime

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_CONFIG = SparkConfig(
    "local[2]",
    {
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.ui.showConsoleProgress": "false",
    },
)


@pytest.fixture(scope="session")
def spark_config() -> SparkConfig:
    """The settings of the shared session; pass it to what takes a SparkConfig, so the
    session is reused as it is."""
    return SPARK_CONFIG


@pytest.fixture(scope="session")
def spark(spark_config: SparkConfig) -> Iterator[SparkSession]:
    """The shared local SparkSession; the test is skipped when Spark cannot run here."""
    problem = missing_runtime()
    if problem:
        pytest.skip(problem)
    # Executors must run this interpreter, which has ctlake's dependencies.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from ctlake.spark.session import spark_session

    session = spark_session(spark_config)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
