"""`ctlake query list | show | run`, in-process, asserting exact output."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp
from typer.testing import CliRunner, Result

from ctlake.cli.app import app
from ctlake.cli.query import describe
from ctlake.errors import BadInputError, ExitCode, LakeError
from ctlake.lake import Lake
from ctlake.queries import load_queries, load_query
from tests.queries import scenario


def ctlake(lake: Lake, *args: str) -> Result:
    return CliRunner().invoke(app, ["--lake", str(lake.root), *args])


def inline(sql: str, params: dict[str, Any]) -> str:
    """`sql` with each `$name` replaced by the SQL literal of its value: the statement
    someone would type into `ctlake sql -c` to get the same result."""

    def literal(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Placeholder):
            return node
        value = params[node.name]
        if isinstance(value, dt.datetime):
            return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP")
        if isinstance(value, list):
            return exp.Array(expressions=[exp.Literal.string(v) for v in value])
        return exp.convert(value)

    return sqlglot.parse_one(sql, read="duckdb").transform(literal).sql(dialect="duckdb")


def test_list_prints_every_query_name_with_its_description(scenario_lake: Lake) -> None:
    result = ctlake(scenario_lake, "query", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == len(load_queries())
    assert any(
        line.startswith("iam-users-created ") and line.endswith("in which account.")
        for line in lines
    )


def test_list_filters_by_tag(scenario_lake: Lake) -> None:
    names = [
        line.split()[0]
        for line in ctlake(scenario_lake, "query", "list", "--tag", "rds").stdout.splitlines()
    ]
    assert names == [
        "cloudwatch-rds-instances-created",  # the Logs Insights ones, queries/cloudwatch/
        "cloudwatch-rds-instances-modified",
        "rds-instances-created",
        "rds-instances-modified",
    ]


def test_show_prints_description_parameters_and_sql(scenario_lake: Lake) -> None:
    result = ctlake(scenario_lake, "query", "show", "top-api-calls")
    query = load_query("top-api-calls")
    assert result.stdout == describe(query) + "\n"
    assert "  -p exclude (list, default AssumeRole)  Event names to leave out" in result.stdout
    assert result.stdout.endswith(query.sql + "\n")


def test_run_writes_csv_byte_identical_to_sql_with_the_same_statement(
    scenario_lake: Lake, tmp_path: Path
) -> None:
    for name, args in [
        ("lake-summary", []),
        (
            "top-api-calls",
            ["-p", f"until={scenario.UNTIL}", "-p", "exclude=AssumeRole,ConsoleLogin"],
        ),
    ]:
        saved, typed = tmp_path / f"{name}.query.csv", tmp_path / f"{name}.sql.csv"
        result = ctlake(
            scenario_lake, "query", "run", name, *args, "--format", "csv", "-o", str(saved)
        )
        assert result.exit_code == 0, result.output
        values = dict(a.split("=", 1) for a in args[1::2])
        statement = inline(*load_query(name).bind(values))
        result = ctlake(scenario_lake, "sql", "-c", statement, "--format", "csv", "-o", str(typed))
        assert result.exit_code == 0, result.output
        assert saved.read_bytes() == typed.read_bytes()
        assert len(saved.read_bytes().splitlines()) > 1


def test_run_to_stdout_writes_the_same_bytes_as_to_a_file(
    scenario_lake: Lake, tmp_path: Path
) -> None:
    args = ["query", "run", "iam-users-created", "-p", f"until={scenario.UNTIL}", "-f", "csv"]
    ctlake(scenario_lake, *args, "-o", str(tmp_path / "users.csv"))
    result = ctlake(scenario_lake, *args)
    assert result.stdout_bytes == (tmp_path / "users.csv").read_bytes()
    assert (
        result.stdout.splitlines()[0]
        == "userName,eventTime,createdBy,accountId,awsRegion,sourceIPAddress"
    )


@pytest.mark.parametrize("fmt", ["json", "jsonl", "parquet", "table"])
def test_run_writes_every_format(scenario_lake: Lake, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    args = ["query", "run", "events-by-day", "-p", f"until={scenario.UNTIL}", "-f", fmt]
    result = ctlake(scenario_lake, *args, *([] if fmt == "table" else ["-o", str(target)]))
    assert result.exit_code == 0, result.output
    if fmt == "table":
        assert "2024-05-07" in result.stdout
    else:
        assert target.stat().st_size > 0 and result.stdout == ""


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (
            ["run", "top-api-calls", "-p", "limit=abc"],
            BadInputError,
            "parameter limit: expected an integer, got 'abc'",
        ),
        (
            ["run", "principal-timeline"],
            BadInputError,
            "query principal-timeline: missing parameter principal (string); "
            "give -p principal=VALUE",
        ),
        (["run", "nope"], BadInputError, "no saved query named 'nope'; see `ctlake query list`"),
        (
            ["run", "insight-events"],
            LakeError,
            "query insight-events reads table insight_events, not in this lake yet: "
            "run `ctlake refresh` to build it",
        ),
    ],
)
def test_mistakes_are_one_clear_error(
    scenario_lake: Lake, args: list[str], error: type[Exception], message: str
) -> None:
    result = ctlake(scenario_lake, "query", *args)
    assert isinstance(result.exception, error)
    assert str(result.exception) == message


def test_the_command_line_prints_one_error_line_and_the_exit_code(scenario_lake: Lake) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ctlake",
            "--lake",
            str(scenario_lake.root),
            "query",
            "run",
            "top-api-calls",
            "-p",
            "days=many",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.BAD_INPUT
    assert done.stdout == ""
    assert done.stderr == "error: parameter days: expected an integer, got 'many'\n"
