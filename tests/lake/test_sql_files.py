"""The lake's and ingest's statements live in `.sql` files beside their modules, and each
file a module names is there: a statement is read, reviewed and diffed as SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ctlake.lake import events
from ctlake.resources import read_sql
from tests.conftest import ROOT

MODULES = sorted(
    [
        *(ROOT / "ctlake" / "lake").glob("*.py"),
        *(ROOT / "ctlake" / "ingest").glob("*.py"),
        ROOT / "ctlake" / "batch" / "retention.py",
    ]
)
STATEMENT = re.compile(
    r"^\s*(SELECT|INSERT|DELETE|UPDATE|CREATE|DROP|COPY|ATTACH|DETACH|USE|SET|BEGIN|COMMIT)\s"
)


def strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_statement_is_a_python_string(path: Path) -> None:
    assert [s for s in strings(path) if STATEMENT.match(s)] == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sql_file_a_module_reads_is_there(path: Path) -> None:
    names = re.findall(r'read_sql\(__file__, "([a-z_]+)"\)', path.read_text())
    for name in names:
        assert (path.parent / "sql" / f"{name}.sql").is_file(), f"{path.name}: {name}.sql"


def test_the_row_groups_written_are_the_ones_handed_over() -> None:
    # register_part chunks rows by ROW_GROUP_ROWS; write_events.sql must write groups as big
    assert f"ROW_GROUP_SIZE {events.ROW_GROUP_ROWS}" in read_sql(events.__file__, "write_events")
