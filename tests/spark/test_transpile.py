"""DuckDB SQL to Spark SQL, and what keeps the two engines' model outputs apart."""

from __future__ import annotations

import pytest

from ctlake.config import InsightConfig
from ctlake.errors import BadInputError
from ctlake.models.project import Model, load_project
from ctlake.models.render import EPOCH, render
from ctlake.models.runner import model_digest
from ctlake.resources import bundled_dir
from ctlake.spark.transpile import to_spark


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
