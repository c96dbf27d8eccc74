"""Every userIdentity field of AWS's reference is a typed column path; a subfield CloudTrail
adds later is read from the record itself in the Lake dialect; an older lake stays
readable and is brought up to the schema by the next ingest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest

from ctlake.db import render_sql, sql_string
from ctlake.dialect import to_duckdb
from ctlake.ingest import ingest
from ctlake.lake import Lake, reader, store
from ctlake.lake.upgrade import SCHEMA_KEY
from ctlake.resources import read_sql
from tests.queries.scenario import event, role_session

VPC = "vpc-0123456789abcdef0"
NEW_FIELDS = (
    '"ec2IssuedInVPC": "VARCHAR",',
    ',\n                    "signInSessionArn": "VARCHAR"',
    '"invokedByDelegate": {"accountId": "VARCHAR"},',
)


def ec2_role_event() -> dict[str, Any]:
    identity = role_session()
    identity["sessionContext"].update(
        {
            "ec2RoleDelivery": "2.0",
            "ec2IssuedInVPC": VPC,
            "signInSessionArn": "arn:aws:signin:us-east-1:111122223333:session/abc",
            "someNewField": "future",
            "nextThing": {"depth": {"value": 7}},
        }
    )
    identity["invokedByDelegate"] = {"accountId": "999999999999"}
    identity["inScopeOf"] = {
        "issuerType": "AWS::Lambda::Function",
        "credentialsIssuedTo": "arn:aws:lambda:us-east-1:111122223333:function:f",
        "credentialsIssuedToVersion": "arn:aws:lambda:us-east-1:111122223333:function:f:$LATEST",
    }
    record = event("2024-05-02T10:00", "ec2", "DescribeInstances", userIdentity=identity)
    record["eventID"] = "EC2-ROLE"
    return record


def make_lake(root: Path) -> Lake:
    root.mkdir(parents=True, exist_ok=True)
    source = root / "a.json"
    plain = event("2024-05-01T09:00", "iam", "ListUsers")
    plain["eventID"] = "PLAIN"
    source.write_bytes(orjson.dumps({"Records": [ec2_role_event(), plain]}))
    lake = Lake(root / "lake")
    ingest(lake, [str(source)])
    return lake


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return make_lake(Path(tmp_path_factory.mktemp("paths")))


@pytest.fixture(scope="module")
def con(lake: Lake) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = reader.connect(lake)
    yield connection
    connection.close()


def lake_rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(to_duckdb(sql, con)).fetchall()


def test_every_field_of_the_user_identity_reference_is_typed(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = """
        SELECT userIdentity.sessionContext.ec2IssuedInVPC,
            userIdentity.sessionContext.signInSessionArn,
            userIdentity.invokedByDelegate.accountId,
            userIdentity.sessionContext.ec2RoleDelivery, userIdentity.inScopeOf.issuerType
        FROM events WHERE eventID = 'EC2-ROLE'
    """
    assert con.execute(sql).fetchall() == [
        (
            VPC,
            "arn:aws:signin:us-east-1:111122223333:session/abc",
            "999999999999",
            "2.0",
            "AWS::Lambda::Function",
        )
    ]


def test_the_flatten_samples_identity_columns_select_in_the_lake_dialect(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = """
        SELECT userIdentity.sessionContext.sourceIdentity,
            userIdentity.sessionContext.ec2RoleDelivery,
            userIdentity.sessionContext.ec2IssuedInVPC,
            userIdentity.sessionContext.sessionIssuer.principalID
        FROM <event_data_store_id> WHERE eventID = 'EC2-ROLE'
    """
    assert lake_rows(con, sql) == [(None, "2.0", VPC, "AROAAPP")]


def test_a_subfield_the_schema_does_not_know_is_read_from_the_record(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sql = """
        SELECT eventName, userIdentity.sessionContext.someNewField,
            e.useridentity.sessioncontext.nextThing.depth AS depth,
            userIdentity.inScopeOf.credentialsIssuedToVersion
        FROM $EDS_ID e
        WHERE e.userIdentity.sessionContext.someNewField = 'future'
    """
    translated = to_duckdb(sql, con)
    result = con.execute(translated)
    assert [column[0] for column in result.description] == [
        "eventName",
        "someNewField",
        "depth",
        "credentialsIssuedToVersion",
    ]
    assert result.fetchall() == [
        (
            "DescribeInstances",
            "future",
            '{"value":7}',
            "arn:aws:lambda:us-east-1:111122223333:function:f:$LATEST",
        )
    ]
    assert '$."userIdentity"."sessionContext"."someNewField"' in translated


def test_a_new_subfield_is_null_where_the_record_has_none(con: duckdb.DuckDBPyConnection) -> None:
    sql = "SELECT eventID, userIdentity.sessionContext.someNewField FROM $EDS_ID ORDER BY 1"
    assert lake_rows(con, sql) == [("EC2-ROLE", "future"), ("PLAIN", None)]


@pytest.mark.parametrize(
    "select",
    [
        "eventNmae",  # a misspelt column stays an error
        "userIdentity.arn.more",  # under a scalar: not a struct path
    ],
)
def test_what_is_not_a_struct_path_stays_an_error(
    con: duckdb.DuckDBPyConnection, select: str
) -> None:
    with pytest.raises(duckdb.BinderException):
        lake_rows(con, f"SELECT {select} FROM $EDS_ID")


def write_as_previous_version(lake: Lake) -> None:
    """Make `lake` as the previous ctlake left it: files typed without the new fields, and
    no schema recorded."""
    old_typing = read_sql(store.__file__, "type_events")
    for field in NEW_FIELDS:
        assert field in old_typing
        old_typing = old_typing.replace(field, "")
    work = duckdb.connect()
    with lake.catalog() as catalog:
        paths = [p for (p,) in catalog.execute("SELECT path FROM lake_files").fetchall()]
        catalog.execute("DELETE FROM lake_meta")
    for path in [*paths, "events/_schema.parquet"]:
        target = lake.root / path
        work.execute(render_sql(read_sql(store.__file__, "upgrade_part"), file=str(target)))
        work.execute(f"COPY ({old_typing}) TO {sql_string(str(target) + '.old')} (FORMAT parquet)")
        work.execute("DROP VIEW part")
        Path(str(target) + ".old").replace(target)
    work.close()


def test_an_older_lake_reads_and_is_upgraded_by_the_next_ingest(tmp_path: Path) -> None:
    lake = make_lake(tmp_path)
    write_as_previous_version(lake)
    sql = "SELECT userIdentity.sessionContext.ec2IssuedInVPC FROM events WHERE eventID = 'EC2-ROLE'"
    with reader.connect(lake) as con:
        with pytest.raises(duckdb.BinderException):
            con.execute(sql)
        assert lake_rows(con, sql.replace("events", "$EDS_ID")) == [(VPC,)]
    said: list[str] = []
    empty = tmp_path / "none.json"
    empty.write_text('{"Records": []}')
    ingest(lake, [str(empty)], progress=said.append)
    assert "ingest: upgrading 2 event files to this version's schema" in said
    with reader.connect(lake) as con:
        assert con.execute(sql).fetchall() == [(VPC,)]
        assert con.execute("SELECT count(*) FROM events").fetchall() == [(2,)]
        assert con.execute(f"SELECT count(*) FROM lake_meta WHERE key = '{SCHEMA_KEY}'").fetchall()
        assert con.execute("SELECT count(*) FROM pending_moves").fetchall() == [(0,)]
    said.clear()
    ingest(lake, [str(empty)], force=True, progress=said.append)
    assert not any("upgrading" in line for line in said)  # recorded: not checked again


def test_an_upgrade_cut_short_after_its_commit_is_finished_by_the_next_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = make_lake(tmp_path)
    write_as_previous_version(lake)
    empty = tmp_path / "none.json"
    empty.write_text('{"Records": []}')

    apply_moves = store.apply_moves

    def crash(lake: Lake, moves: list[store.FileMove]) -> None:
        if moves:  # the first re-typed file, once its move is committed
            raise RuntimeError("killed after the commit point")
        apply_moves(lake, moves)

    monkeypatch.setattr(store, "apply_moves", crash)
    with pytest.raises(RuntimeError, match="killed after the commit point"):
        ingest(lake, [str(empty)])
    monkeypatch.undo()
    with lake.catalog(read_only=True) as catalog:
        assert catalog.execute("SELECT count(*) FROM pending_moves").fetchall() == [(1,)]
    ingest(lake, [str(empty)])
    sql = "SELECT eventID, userIdentity.sessionContext.ec2IssuedInVPC FROM events ORDER BY 1"
    with reader.connect(lake) as con:
        assert con.execute(sql).fetchall() == [("EC2-ROLE", VPC), ("PLAIN", None)]
        assert con.execute("SELECT count(*) FROM pending_moves").fetchall() == [(0,)]
    assert not list((lake.root / "events").glob("*/*.tmp"))
