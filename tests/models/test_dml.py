"""The runner's DML: identifiers quoted, values bound, the text DuckDB's dialect would write."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest
from sqlglot import exp

from ctlake.models import dml

ODD = 'odd "name" x'


def _statements() -> list[exp.Expr]:
    window = dml.in_window("minute")
    rows = dml.rows_of("SELECT 1 AS k, TIMESTAMP '2024-05-01 00:10' AS minute", "m", window)
    return [
        dml.create_as("table", ODD, rows),
        dml.create_as("view", ODD, "SELECT 1 AS k"),
        dml.create_as("table", "scope", dml.rows_of("SELECT 1", "m"), temporary=True),
        dml.delete(ODD, window.copy()),
        dml.delete(ODD, dml.same_key(["k", "minute"], "s", "t"), alias="t"),
        dml.insert(ODD, rows.copy(), returning=["k", "minute"]),
        dml.duplicate_key(ODD, ["k", "minute"]),
        dml.count_rows(ODD),
        dml.drop("view", ODD, temporary=True),
        exp.Select(expressions=[dml.param("model"), dml.row_hash("f")]),
    ]


@pytest.mark.parametrize("statement", _statements(), ids=lambda s: dml.sql(s)[:30])
def test_written_as_duckdb_dialect_writes_it(statement: exp.Expr) -> None:
    assert dml.sql(statement) == statement.sql(dialect="duckdb")


def test_identifiers_are_quoted_and_window_bounds_bound() -> None:
    window = dml.in_window("minute")
    assert dml.sql(dml.delete(ODD, window)) == (
        'DELETE FROM "odd ""name"" x" WHERE ("minute" >= $start AND "minute" < $end) '
        'OR "minute" IS NULL'
    )
    assert dml.sql(dml.drop("table", ODD)) == 'DROP TABLE "odd ""name"" x"'


def test_window_rows_inserted_and_deleted_on_an_odd_name() -> None:
    con = duckdb.connect()
    model = "SELECT * FROM (VALUES (1, TIMESTAMP '2024-05-01 00:10'), (2, NULL)) AS v (k, minute)"
    params = {"start": datetime(2024, 5, 1), "end": datetime(2024, 5, 2)}
    rows = dml.rows_of(model, "m", dml.in_window("minute"))
    con.execute(dml.sql(dml.create_as("table", ODD, rows)), params)
    inserted = con.execute(dml.sql(dml.insert(ODD, rows, returning=["k"])), params).fetchall()
    assert sorted(inserted) == [(1,), (2,)]
    assert con.execute(dml.sql(dml.duplicate_key(ODD, ["k"]))).fetchall() == [(1,)]
    deleted = con.execute(dml.sql(dml.delete(ODD, dml.in_window("minute"))), params).fetchall()
    assert deleted == [(4,)]
    assert con.execute(dml.sql(dml.count_rows(ODD))).fetchall() == [(0,)]
