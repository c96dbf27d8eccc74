"""compile_pattern and value_expression on a small lake: the predicate runs on `events`,
selects the records it should, and bad patterns are one line naming the column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from ctlake.cloudwatch.patterns import (
    PatternError,
    compile_pattern,
    text_expression,
    value_expression,
)
from ctlake.cloudwatch.patterns.fields import lake_schema
from ctlake.lake import Lake
from ctlake.lake.reader import connect
from tests.cloudwatch.events import events_table
from tests.conftest import lake_of, make_record


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    records = [
        make_record(0, eventName="ConsoleLogin", additionalEventData={"MFAUsed": "No"}),
        make_record(1, eventName="ConsoleLogin", additionalEventData={"MFAUsed": "Yes"}),
        make_record(2, errorCode="AccessDenied", requestParameters={"durationSeconds": 900}),
        make_record(3, resources=[{"ARN": "arn:aws:s3:::b", "type": "AWS::S3::Bucket"}]),
    ]
    lake: Lake = lake_of(Path(tmp_path_factory.mktemp("api")), records)
    return connect(lake)


def matching(con: duckdb.DuckDBPyConnection, pattern: str) -> list[int]:
    where = compile_pattern(pattern).sql("duckdb")
    rows = con.sql(f"SELECT requestID FROM events WHERE {where} ORDER BY 1").fetchall()
    return [int(r[0].removeprefix("req-")) for r in rows]


def test_a_json_pattern_selects_the_records_it_names(con: duckdb.DuckDBPyConnection) -> None:
    assert matching(con, '{ $.eventName = "ConsoleLogin" }') == [0, 1]
    assert matching(
        con, '{ $.eventName = ConsoleLogin && $.additionalEventData.MFAUsed != "Yes" }'
    ) == [0]
    assert matching(con, "{ $.errorCode = * }") == [2]
    assert matching(con, "{ $.resources[0].ARN = arn:aws:s3:::* }") == [3]


def test_the_empty_pattern_matches_every_event(con: duckdb.DuckDBPyConnection) -> None:
    assert matching(con, "") == [0, 1, 2, 3]


def test_a_metric_value_reads_a_number_or_null(con: duckdb.DuckDBPyConnection) -> None:
    value = value_expression("$.requestParameters.durationSeconds").sql("duckdb")
    rows = con.sql(f"SELECT requestID, {value} FROM events ORDER BY 1").fetchall()
    assert [r[1] for r in rows] == [None, None, 900.0, None]
    assert con.execute(f"SELECT {value_expression('2').sql('duckdb')}").fetchall() == [(2.0,)]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{ $.eventName = }", "column 17: unexpected '}'"),
        ("{ $.latency > fast }", "column 13: > compares numbers"),
        ("[ip, user]", "space-delimited patterns"),
        ("{ $.a = 1", "unexpected end of the pattern"),
        ("%a(b)%", "'(' is not allowed in a CloudWatch regex"),
        ("%[%", "column 2: %[% is not a valid regex (unterminated character set)"),
        ("{ $.eventName = %*Login% }", "%*Login% is not a valid regex (nothing to repeat)"),
        ("{ $.a = 1 } extra", "column 13: unexpected 'extra'; expected the end of the pattern"),
    ],
)
def test_a_bad_pattern_is_one_line_naming_the_place(pattern: str, message: str) -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_bad_metric_value_names_what_was_expected() -> None:
    with pytest.raises(PatternError, match="expected a number or a selector"):
        value_expression("durationSeconds")


def test_a_field_text_reads_typed_columns_and_maps(con: duckdb.DuckDBPyConnection) -> None:
    columns = ", ".join(
        text_expression(path).sql("duckdb")
        for path in ("$.eventName", "$.additionalEventData.MFAUsed", "$.resources[0].type")
    )
    rows = con.execute(f"SELECT {columns} FROM events ORDER BY requestID").fetchall()
    assert rows == [
        ("ConsoleLogin", "No", None),
        ("ConsoleLogin", "Yes", None),
        ("CreateUser", None, None),
        ("CreateUser", None, "AWS::S3::Bucket"),
    ]
    with pytest.raises(PatternError, match="expected a selector"):
        text_expression("7")


def kind_of(kind: Any) -> Any:
    """A DuckDB type as fields.py describes kinds."""
    if kind.id == "struct":
        return {name: kind_of(sub) for name, sub in kind.children}
    if kind.id == "list":
        return [kind_of(kind.child)]
    return {"map": "map", "varchar": "text", "boolean": "boolean"}.get(kind.id, "other")


def test_the_schema_selectors_follow_is_the_one_the_lake_writes() -> None:
    # read from type_events.sql's json_transform structure; here, from DuckDB's own typing
    relation = events_table([]).table("events")
    written = {
        name: kind_of(kind)
        for name, kind in zip(relation.columns, relation.types, strict=True)
        if name not in {"eventTime", "eventJson", "lakeSource", "lakeBatch"}
    }
    assert lake_schema() == written
