"""DuckDB SQL to Spark SQL, DuckDB's JSON functions as Spark's, and what keeps the two
engines' model outputs apart."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import duckdb
import pytest

from ctlake.config import InsightConfig
from ctlake.dialect.lake import to_duckdb
from ctlake.errors import BadInputError
from ctlake.models.project import Model, load_project
from ctlake.models.render import EPOCH, render
from ctlake.models.runner import model_digest
from ctlake.resources import bundled_dir
from ctlake.spark.transpile import to_spark

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def test_duckdbs_64_bit_hash_becomes_sparks_64_bit_hash() -> None:
    assert to_spark("SELECT hash(a, b) AS h FROM t", "-c") == "SELECT XXHASH64(a, b) AS h FROM t"


def test_a_statement_sqlglot_cannot_read_names_its_source() -> None:
    with pytest.raises(BadInputError, match=r"^-c: cannot run on Spark: "):
        to_spark("SELECT (", "-c")


MODELS = load_project(bundled_dir("sql"), InsightConfig().values)


@pytest.mark.parametrize("model", MODELS, ids=[m.name for m in MODELS])
def test_every_shipped_model_transpiles(model: Model) -> None:
    sql = render(model.path, model.text, EPOCH, EPOCH, InsightConfig().values)
    assert to_spark(sql, str(model.path)).startswith(("WITH", "SELECT", "/*"))


def test_the_run_digest_names_the_engine() -> None:
    """Series ids are the engine's hash: a refresh on the other engine rebuilds in full
    rather than mixing two hash functions in one table."""
    config = InsightConfig()
    for model in MODELS:
        assert model_digest(model, config, spark=True) != model_digest(model, config)


def test_duckdbs_json_functions_become_sparks() -> None:
    """What the Lake dialect writes for Trino's JSON functions runs on Spark: none of
    DuckDB's own JSON functions is left for Spark to refuse."""
    lake_sql = to_duckdb(
        "SELECT json_extract_scalar(j, '$.a'), json_extract(j, '$.a'), json_array_get(j, 0),"
        " json_array_contains(j, 'x'), is_json_scalar(j) FROM docs"
    )
    spark_sql = to_spark(lake_sql, "-c")
    assert not re.search(r"\bJSON_(VALID|TYPE|EXTRACT|EXTRACT_STRING)\(", spark_sql)
    assert "TRY_PARSE_JSON(" in spark_sql and "GET_JSON_OBJECT(" in spark_sql


@pytest.mark.parametrize("function", ["json_extract", "json_extract_string"])
@pytest.mark.parametrize("path", ["/a/b", "$[#-1]", "$[*].a"])
def test_a_json_path_spark_cannot_follow_is_named(function: str, path: str) -> None:
    with pytest.raises(BadInputError, match=r"^-c: cannot run on Spark: JSON path '"):
        to_spark(f"SELECT {function}(j, '{path}') FROM docs", "-c")


def test_a_json_path_from_a_column_is_left_to_get_json_object() -> None:
    assert to_spark("SELECT j ->> p FROM docs", "-c") == "SELECT GET_JSON_OBJECT(j, p) FROM docs"


DOCUMENTS = [
    '{"a": "x"}',
    '{"a": null}',
    '{"a": 1.50}',
    '{"a": 12}',
    '{"a": -3}',
    '{"a": 18446744073709551615}',
    '{"a": true}',
    '{"a": {"z": 1, "b": [1, "two"]}}',
    '{"a": [1, "two", {"c": true}]}',
    '{"a": "{\\"k\\": 1}"}',
    '{"a": "caf\\u00e9 \\"quoted\\""}',
    '{"a b": "spaced"}',
    '{"b": 1}',
    '[1, "x", null]',
    '["only"]',
    "null",
    "{bad",
    None,
]
# DuckDB's JSON functions, each guarded as the Lake dialect guards them: DuckDB stops the
# query on text that is not JSON, where Spark's answer is NULL.
JSON_SQL = """
SELECT
    n,
    json_valid(j),
    CASE WHEN json_valid(j) THEN json_type(j) END,
    CASE WHEN json_valid(j) THEN json_type(j, '$.a') END,
    CASE WHEN json_valid(j) THEN json_extract(j, '$.a')::VARCHAR END,
    CASE WHEN json_valid(j) THEN json_extract_string(j, '$.a') END,
    CASE WHEN json_valid(j) THEN j ->> '$."a b"' END,
    CASE WHEN json_valid(j) THEN json_extract_string(j, '$[*]') END,
    CASE WHEN json_valid(j) THEN json_extract_string(j, '$.a[*]') END
FROM docs
ORDER BY n
"""
LAKE_SQL = """
SELECT n, json_extract_scalar(j, '$.a'), json_extract(j, '$.a'), json_array_get(j, 0),
    json_array_contains(j, 'x'), json_array_contains(j, 1)
FROM docs
ORDER BY n
"""


@pytest.mark.parametrize("sql", [JSON_SQL, to_duckdb(LAKE_SQL)], ids=["duckdb", "lake"])
def test_json_functions_answer_on_spark_as_on_duckdb(spark: SparkSession, sql: str) -> None:
    rows = list(enumerate(DOCUMENTS))
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE docs (n INTEGER, j VARCHAR)")
        con.executemany("INSERT INTO docs VALUES (?, ?)", rows)
        on_duckdb = con.execute(sql).fetchall()
    finally:
        con.close()
    spark.createDataFrame(rows, "n INT, j STRING").createOrReplaceTempView("docs")
    on_spark = [tuple(row) for row in spark.sql(to_spark(sql, "-c")).collect()]
    assert on_spark == on_duckdb
