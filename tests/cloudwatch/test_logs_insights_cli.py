"""`ctlake sql --dialect logs-insights` end to end, and the blog's four saved Logs Insights
queries against hand-written SQL on the scenario lake."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from ctlake.cli.app import app
from ctlake.errors import ExitCode
from ctlake.lake import Lake, reader
from ctlake.queries import load_queries, parse_query
from ctlake.shell import Session, Settings
from tests.queries import scenario
from tests.shell.conftest import exit_code

COUNT = 'filter eventSource = "sts.amazonaws.com" | stats count(*) as n by eventName'
SEED = Path(__file__).resolve().parents[2] / "queries" / "cloudwatch"


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return scenario.build(Path(tmp_path_factory.mktemp("insights-cli")))


@pytest.fixture(scope="module")
def con(lake: Lake) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = reader.connect(lake)
    yield connection
    connection.close()


def run(lake: Lake, *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, ["--lake", str(lake.root), *args], input=stdin)


def insights(lake: Lake, *args: str, stdin: str | None = None) -> Any:
    return run(lake, "sql", "--dialect", "logs-insights", *args, stdin=stdin)


# -- the command ----------------------------------------------------------------------------


def test_dash_c_runs_a_logs_insights_query(lake: Lake) -> None:
    result = insights(lake, "-c", COUNT, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "eventName,n\nAssumeRole,6\n"


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_every_text_format(lake: Lake, fmt: str) -> None:
    result = insights(lake, "-c", COUNT, "-f", fmt)
    assert result.exit_code == 0, result.output
    assert "AssumeRole" in result.stdout and "6" in result.stdout


def test_parquet_output(lake: Lake, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    result = insights(lake, "-c", COUNT, "-f", "parquet", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert pq.read_table(target).to_pylist() == [{"eventName": "AssumeRole", "n": 6}]


def test_a_file_and_stdin_hold_one_query_with_comments_and_semicolon(
    lake: Lake, tmp_path: Path
) -> None:
    text = "# sts calls; by name\n" + COUNT.replace("|", "\n|") + "\n;\n"
    script = tmp_path / "q.insights"
    script.write_text(text)
    from_file = insights(lake, str(script), "-f", "csv")
    from_stdin = insights(lake, "-f", "csv", stdin=".mode jsonl\n" + text)
    assert from_file.stdout == "eventName,n\nAssumeRole,6\n"
    assert [orjson.loads(line) for line in from_stdin.stdout.splitlines()] == [
        {"eventName": "AssumeRole", "n": 6}
    ]


def test_since_and_until_give_the_time_range(lake: Lake) -> None:
    query = "stats count(*) as n"
    whole = insights(lake, "-c", query, "-f", "csv")
    day = insights(lake, "-c", query, "-f", "csv", "--since", "2024-05-05", "--until", "2024-05-06")
    assert whole.stdout == f"n\n{len(scenario.records())}\n"
    in_range = [r for r in scenario.records() if r["eventTime"].startswith("2024-05-05")]
    assert day.stdout == f"n\n{len(in_range)}\n"


def test_an_empty_time_range_is_refused(lake: Lake) -> None:
    result = insights(
        lake, "-c", "stats count(*)", "--since", "2024-05-06", "--until", "2024-05-01"
    )
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert "--since 2024-05-06 is not before --until 2024-05-01" in str(result.exception)


def test_since_is_refused_with_sql_dialects(lake: Lake) -> None:
    result = run(lake, "sql", "--since", "1d", "-c", "SELECT 1")
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert "--since/--until" in str(result.exception)


def test_a_mistake_is_exit_3_and_one_line_naming_the_command(lake: Lake) -> None:
    result = insights(lake, "-c", "fields eventName | unnest x")
    assert exit_code(result) == ExitCode.BAD_INPUT
    message = str(result.exception)
    assert "command unnest is not supported" in message and "\n" not in message


def test_a_syntax_error_names_the_line_of_the_script(lake: Lake) -> None:
    result = insights(lake, "-f", "csv", stdin=".mode csv\n\nfields eventName\n| filter ((")
    assert exit_code(result) == ExitCode.BAD_INPUT
    assert "ends too early" in str(result.exception)
    result = insights(lake, stdin=".mode csv\nfields eventName\n| filter eventName ==")
    assert "line 3, column 21: unexpected '='" in str(result.exception)


def test_the_shell_switches_to_logs_insights_with_a_dot_command(
    con: duckdb.DuckDBPyConnection, capsys: pytest.CaptureFixture[str]
) -> None:
    from ctlake.output import Format

    session = Session(con, Settings(fmt=Format.CSV), err=io.StringIO())
    session.run_script(".dialect logs-insights\n" + COUNT + ";\n", "<stdin>")
    assert capsys.readouterr().out == "eventName,n\nAssumeRole,6\n"
    assert session.settings.dialect == "logs-insights"


# -- saved queries --------------------------------------------------------------------------


def test_the_library_reads_subfolders_and_keeps_names_unique(tmp_path: Path) -> None:
    queries = load_queries()
    assert {path.stem for path in SEED.glob("*.sql")} <= set(queries)
    assert queries["cloudwatch-kms-keys-created"].dialect == "logs-insights"
    (tmp_path / "a").mkdir()
    for where in (tmp_path, tmp_path / "a"):
        (where / "same.sql").write_text("/*\ndescription: x.\n*/\nSELECT 1")
    with pytest.raises(Exception, match="a saved query named same already exists"):
        load_queries(tmp_path)


def test_a_logs_insights_query_takes_only_its_time_range(tmp_path: Path) -> None:
    path = tmp_path / "q.sql"
    path.write_text(
        "/*\ndescription: x.\ndialect: logs-insights\nparameters:\n"
        "  days: {type: integer, default: 3}\n*/\nstats count(*)"
    )
    with pytest.raises(Exception, match="parameter days: a logs-insights query takes only"):
        parse_query(path)


def test_the_seed_queries_are_the_blogs_text_unchanged() -> None:
    blog = Path("/work/shared/seeds/004_b7456339f6aba3a0.txt")
    if not blog.exists():
        pytest.skip("the seed text is not on this machine")
    published = " ".join(blog.read_text().split())
    for path in SEED.glob("*.sql"):
        assert " ".join(parse_query(path).text.split()) in published, path.name


def saved(con: duckdb.DuckDBPyConnection, name: str, **values: str) -> list[tuple[Any, ...]]:
    sql, params = load_queries()[name].bind(values)
    return con.execute(sql, params).fetchall()


def test_console_signin_failures_as_hand_written_sql(con: duckdb.DuckDBPyConnection) -> None:
    want = con.execute(
        """
        SELECT sourceIPAddress, errorMessage, awsRegion, userIdentity.arn,
            additionalEventData['MFAUsed'], count(*)
        FROM events
        WHERE eventSource = 'signin.amazonaws.com' AND eventName = 'ConsoleLogin'
            AND responseElements['ConsoleLogin'] = 'Failure'
        GROUP BY ALL ORDER BY ALL
        """
    ).fetchall()
    assert saved(con, "cloudwatch-console-signin-failures") == want
    assert sum(row[-1] for row in want) == 4


def test_kms_keys_created_as_hand_written_sql(con: duckdb.DuckDBPyConnection) -> None:
    # `keyMaterial != "AWS_*"` compares with the text AWS_*: no wildcard, as in CloudWatch.
    want = con.execute(
        """
        SELECT eventName, requestParameters['origin'],
            json_extract_string(responseElements['keyMetadata'], '$.keyUsage'), awsRegion,
            userIdentity.arn, json_extract_string(responseElements['keyMetadata'], '$.keyId')
        FROM events
        WHERE eventName = 'CreateKey' AND requestParameters['origin'] <> 'AWS_*'
        ORDER BY eventTime DESC
        """
    ).fetchall()
    assert saved(con, "cloudwatch-kms-keys-created") == want
    assert [row[1] for row in want] == ["AWS_KMS", "EXTERNAL"]


def test_rds_instances_created_as_hand_written_sql(con: duckdb.DuckDBPyConnection) -> None:
    want = con.execute(
        """
        SELECT awsRegion, requestParameters['dBInstanceIdentifier'], userIdentity.arn
        FROM events
        WHERE eventSource = 'rds.amazonaws.com' AND eventName = 'CreateDBInstance'
        ORDER BY eventTime DESC
        """
    ).fetchall()
    assert saved(con, "cloudwatch-rds-instances-created") == want
    assert [row[1] for row in want] == ["db1"]


def test_rds_instances_modified_as_hand_written_sql(con: duckdb.DuckDBPyConnection) -> None:
    want = con.execute(
        """
        SELECT awsRegion, requestParameters['dBInstanceIdentifier'], userIdentity.arn,
            regexp_extract(eventJson, 'requestParameters":\\{(.*?)\\}', 1)
        FROM events
        WHERE eventSource = 'rds.amazonaws.com' AND eventName = 'ModifyDBInstance'
        ORDER BY eventTime DESC
        """
    ).fetchall()
    assert saved(con, "cloudwatch-rds-instances-modified") == want
    assert (
        want[0][3] == '"dBInstanceIdentifier":"db1","allocatedStorage":200,"applyImmediately":true'
    )


def test_a_saved_query_runs_over_its_start_and_end(con: duckdb.DuckDBPyConnection) -> None:
    assert saved(con, "cloudwatch-kms-keys-created", start="2024-05-06") == []
    assert len(saved(con, "cloudwatch-kms-keys-created", end="2024-05-06")) == 2


def test_query_run_and_show(lake: Lake) -> None:
    result = run(lake, "query", "run", "cloudwatch-rds-instances-created", "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "AWS_Region,Database_Name,IAM_Arn"
    shown = run(lake, "query", "show", "cloudwatch-rds-instances-created")
    assert "dialect: logs-insights" in shown.stdout
    assert 'filter eventSource="rds.amazonaws.com"' in shown.stdout
