"""Logs Insights on the lake: each command, operator and function against hand-written SQL
on the scenario lake (tests/queries/scenario.py), and the errors a user can make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from ctlake.cloudwatch.logs_insights import LogsInsightsError, compile_query, to_sql
from ctlake.cloudwatch.logs_insights.fields import typed_fields
from ctlake.cloudwatch.logs_insights.syntax import Call, Field, Filter, Like, Parse, Stats, parse
from ctlake.lake import reader
from tests.queries import scenario


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    lake = scenario.build(Path(tmp_path_factory.mktemp("insights")))
    connection = reader.connect(lake)
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection, query: str, **bounds: Any) -> list[tuple[Any, ...]]:
    return con.execute(to_sql(query, **bounds)).fetchall()


def sql(con: duckdb.DuckDBPyConnection, text: str) -> list[tuple[Any, ...]]:
    return con.execute(text).fetchall()


def columns(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    return [d[0] for d in con.execute(to_sql(query)).description]


# -- the grammar ----------------------------------------------------------------------------


def test_commands_are_separated_by_pipes_and_comments_are_ignored() -> None:
    commands = parse('filter eventName = "A"  # the name\n| stats count(*) by awsRegion')
    assert isinstance(commands[0], Filter)
    assert isinstance(commands[1], Stats)
    assert commands[1].groups[0].name == "awsRegion"
    assert commands[1].aggregates[0].name == "count(*)"


def test_keywords_are_case_insensitive_and_field_names_keep_their_case() -> None:
    commands = parse("FILTER userIdentity.arn LIKE /x/ | Stats Count(*) BY awsRegion")
    condition = commands[0].condition  # type: ignore[union-attr]
    assert isinstance(condition, Like) and condition.item == Field("userIdentity.arn")
    assert isinstance(commands[1].aggregates[0].expr, Call)  # type: ignore[union-attr]


def test_parse_reads_a_glob_with_an_escaped_quote_and_defaults_to_the_message() -> None:
    command = parse('parse "requestParameters\\":{*}" as changes')[0]
    assert isinstance(command, Parse)
    assert command.source.name == "@message"
    assert command.pattern.value == 'requestParameters":{*}'  # type: ignore[union-attr]


def test_the_typed_fields_are_read_from_the_lakes_own_schema() -> None:
    fields = typed_fields()
    assert fields["eventName"] == "VARCHAR"
    assert fields["requestParameters"].startswith("MAP")
    assert "sessionIssuer" in fields["userIdentity"]["sessionContext"]


# -- fields ---------------------------------------------------------------------------------


def test_without_fields_a_query_shows_timestamp_and_message_newest_first(con: Any) -> None:
    got = rows(con, 'filter eventSource = "sts.amazonaws.com"')
    want = sql(
        con,
        "SELECT eventTime, eventJson FROM events WHERE eventSource = 'sts.amazonaws.com' "
        "ORDER BY eventTime DESC",
    )
    assert got == want and len(got) == 6
    assert columns(con, "filter 1 = 1") == ["@timestamp", "@message"]


def test_message_is_the_record_as_cloudtrail_delivers_it(con: Any) -> None:
    ((message,),) = rows(con, 'filter eventName = "StopLogging" | fields @message')
    assert message.startswith('{"eventVersion":"1.08","userIdentity":{"type":"IAMUser"')
    assert ", " not in message  # compact


def test_nested_paths_read_structs_maps_json_values_and_arrays(con: Any) -> None:
    query = (
        'filter eventName = "GetObject" | fields userIdentity.userName, '
        "requestParameters.bucketName, resources.0.ARN, @logStream, eventTime, readOnly"
    )
    assert rows(con, query) == [
        (
            "mallory",
            "bucket-a",
            "arn:aws:s3:::bucket-a",
            "111122223333_CloudTrail_us-east-1",
            "2024-05-07T03:00:00Z",
            "true",
        )
    ]
    keys = rows(con, 'filter eventName = "CreateKey" | fields responseElements.keyMetadata.keyId')
    assert sorted(keys, key=str) == [("key-ext",), (None,)]


def test_a_path_the_lake_does_not_type_is_read_from_the_record(con: Any) -> None:
    query = (
        'filter eventName = "AssumeRole" and requestParameters.roleSessionName = "long" '
        "| fields userIdentity.sessionContext.sessionIssuer.userName, additionalEventData.x, "
        "eventType"
    )
    assert rows(con, query) == [(None, None, "AwsApiCall")]


def test_a_column_without_as_is_named_after_its_expression(con: Any) -> None:
    query = "fields strlen(eventName) + 1, eventName,  abs(-2) * 3 - 1 | limit 1"
    assert columns(con, query) == ["strlen(eventName) + 1", "eventName", "abs(-2) * 3 - 1"]


def test_fields_names_can_be_used_by_later_commands(con: Any) -> None:
    got = rows(
        con,
        "fields tolower(eventName) as n, requestParameters.durationSeconds * 2 as twice "
        '| filter n = "assumerole" and twice > 1800 | display twice',
    )
    assert got == [(86400.0,)]


DURATION = "TRY_CAST(requestParameters['durationSeconds'] AS DOUBLE)"


# -- filter ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "where"),
    [
        ('eventName = "CreateKey"', "eventName = 'CreateKey'"),
        ('eventName != "CreateKey"', "eventName <> 'CreateKey'"),
        ("requestParameters.durationSeconds > 900", f"{DURATION} > 900"),
        ("requestParameters.durationSeconds <= 900", f"{DURATION} <= 900"),
        ('eventName like "Create"', "eventName LIKE '%Create%'"),
        ('eventName not like "Create"', "eventName NOT LIKE '%Create%'"),
        ("eventName like /^Create(Key|User)$/", "eventName IN ('CreateKey', 'CreateUser')"),
        ("eventName =~ /(?i)^createkey/", "eventName = 'CreateKey'"),
        ('eventName in ["CreateKey", "StopLogging"]', "eventName IN ('CreateKey', 'StopLogging')"),
        ('eventName not in ["CreateKey"]', "eventName <> 'CreateKey'"),
        ('not eventName = "CreateKey" and errorCode = "AccessDenied"',
         "eventName <> 'CreateKey' AND errorCode = 'AccessDenied'"),
        ('eventName = "CreateKey" or (awsRegion = "ap-southeast-3")',
         "eventName = 'CreateKey' OR awsRegion = 'ap-southeast-3'"),
        ("ispresent(errorCode)", "errorCode IS NOT NULL"),
        ("isempty(errorCode)", "errorCode IS NULL OR errorCode = ''"),
        ("isblank(requestParameters.key)", "requestParameters['key'] IS NULL"),
        ("@timestamp >= '2024-05-07'", "eventTime >= TIMESTAMP '2024-05-07'"),
        ("toMillis(@timestamp) < 1714521600000", "eventTime < TIMESTAMP '2024-05-01'"),
        ("strlen(eventName) = 9 and strcontains(eventName, 'Key')",
         "length(eventName) = 9 AND contains(eventName, 'Key')"),
        ('readOnly = "true"', "readOnly"),
    ],
)  # fmt: skip
def test_filter_selects_the_rows_the_sql_condition_does(
    con: Any, condition: str, where: str
) -> None:
    got = rows(con, f"filter {condition} | fields eventID | sort eventID")
    want = sql(con, f"SELECT eventID FROM events WHERE {where} ORDER BY eventID")
    assert got == want
    assert got


def test_a_missing_field_matches_no_comparison(con: Any) -> None:
    assert rows(con, 'filter nothing.here = "x" or nothing.here != "x"') == []


# -- functions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("toupper(eventName)", "STOPLOGGING"),
        ("concat(awsRegion, '/', eventName)", "us-east-1/StopLogging"),
        ("substr(eventName, 4)", "Logging"),
        ("substr(eventName, 0, 4)", "Stop"),
        ("replace(eventName, 'Stop', 'Start')", "StartLogging"),
        ("trim(concat('  ', eventName, ' '))", "StopLogging"),
        ("coalesce(errorCode, requestParameters.name)", "main-trail"),
        ("strlen(eventName)", 11),
        ("abs(-3)", 3),
        ("ceil(2.1)", 3),
        ("floor(2.9)", 2),
        ("greatest(1, 5, 2)", 5),
        ("2 ^ 3 + 10 % 3", 9),
        ("datefloor(@timestamp, 1h)", dt.datetime(2024, 5, 7, 3, 0)),
        ("dateceil(@timestamp, 1h)", dt.datetime(2024, 5, 7, 4, 0)),
        ("datefloor(@timestamp, 1d)", dt.datetime(2024, 5, 7)),
        ("toMillis(@timestamp)", 1715051400000),
        ("fromMillis(1715051400000)", dt.datetime(2024, 5, 7, 3, 10)),
    ],
)
def test_functions_compute_what_cloudwatch_documents(
    con: Any, expression: str, expected: Any
) -> None:
    ((value,),) = rows(con, f'filter eventName = "StopLogging" | fields {expression} as v')
    assert value == expected


def test_ipv4_functions(con: Any) -> None:
    got = rows(
        con,
        "fields sourceIPAddress, isValidIpV4(sourceIPAddress), "
        'isIpv4InSubnet(sourceIPAddress, "198.51.100.0/24"), '
        'isIpInSubnet(sourceIPAddress, "192.0.2.0/25") | sort sourceIPAddress '
        "| dedup sourceIPAddress",
    )
    assert got == [
        ("192.0.2.10", True, False, True),
        ("192.0.2.20", True, False, True),
        ("192.0.2.21", True, False, True),
        ("198.51.100.66", True, True, False),
        ("198.51.100.7", True, True, False),
        ("203.0.113.5", True, False, False),
    ]
    ((bad,),) = rows(con, 'fields isValidIpV4("10.0.0.256") or isValidIpV4("a.b.c.d") | limit 1')
    assert bad is False
    with pytest.raises(LogsInsightsError, match="expected a subnet such as"):
        to_sql("filter isIpv4InSubnet(sourceIPAddress, awsRegion)")
    with pytest.raises(LogsInsightsError, match="IPv6 subnets are not supported"):
        to_sql('filter isIpInSubnet(sourceIPAddress, "2001:db8::/32")')


def test_an_unknown_or_unsupported_function_is_one_line_naming_it() -> None:
    with pytest.raises(LogsInsightsError, match="unknown function frobnicate"):
        to_sql("fields frobnicate(eventName)")
    with pytest.raises(LogsInsightsError, match="function isIpv6InSubnet is not supported"):
        to_sql('filter isIpv6InSubnet(sourceIPAddress, "2001:db8::/32")')
    with pytest.raises(LogsInsightsError, match="tolower takes 1 argument, got 2"):
        to_sql("fields tolower(a, b)")
    with pytest.raises(LogsInsightsError, match=r"count\(\*\): count is a stats function"):
        to_sql("fields count(*)")


# -- stats ----------------------------------------------------------------------------------


def test_stats_counts_by_groups_named_by_as(con: Any) -> None:
    got = rows(con, "stats count(*) as n, count(errorCode) as errors by eventSource as source")
    want = sql(
        con,
        "SELECT eventSource, count(*), count(errorCode) FROM events GROUP BY 1 ORDER BY 1",
    )
    assert got == want
    assert columns(con, "stats count(*) by eventSource") == ["eventSource", "count(*)"]


def test_every_aggregate_function(con: Any) -> None:
    query = (
        'filter eventName = "AssumeRole" | stats count_distinct(requestParameters.roleArn), '
        "sum(requestParameters.durationSeconds), avg(requestParameters.durationSeconds), "
        "min(requestParameters.durationSeconds), max(requestParameters.durationSeconds), "
        "pct(requestParameters.durationSeconds, 50), stddev(requestParameters.durationSeconds), "
        "earliest(requestParameters.roleSessionName), latest(requestParameters.roleSessionName), "
        "min(@timestamp)"
    )
    want = sql(
        con,
        """
        SELECT count(DISTINCT requestParameters['roleArn']), sum(d), avg(d), min(d), max(d),
            quantile_cont(d, 0.5), stddev_samp(d), arg_min(s, eventTime), arg_max(s, eventTime),
            min(eventTime)
        FROM (SELECT *, CAST(requestParameters['durationSeconds'] AS DOUBLE) AS d,
                requestParameters['roleSessionName'] AS s
              FROM events WHERE eventName = 'AssumeRole')
        """,
    )
    assert rows(con, query) == want
    assert want[0][0] == 2 and want[0][7] == "s0" and want[0][8] == "long"


def test_bin_groups_by_periods_of_event_time(con: Any) -> None:
    got = rows(con, "stats count(*) as n by bin(1d) as day | sort day desc")
    want = sql(
        con,
        "SELECT date_trunc('day', eventTime), count(*) FROM events GROUP BY 1 ORDER BY 1 DESC",
    )
    assert got == want
    by_timestamp = rows(con, "stats count(*) by bin(1d) | sort @timestamp desc")
    assert by_timestamp == want


def test_filter_and_sort_after_stats_read_its_columns(con: Any) -> None:
    got = rows(con, "stats count(*) as n by eventSource | filter n >= 5 | sort n desc, eventSource")
    want = sql(
        con,
        "SELECT eventSource, count(*) AS n FROM events GROUP BY 1 HAVING n >= 5 "
        "ORDER BY n DESC, eventSource",
    )
    assert got == want


def test_sort_after_stats_by_an_aggregate_as_written(con: Any) -> None:
    got = rows(con, "stats count(*) by eventSource | sort count(*) desc, eventSource | limit 2")
    want = sql(
        con, "SELECT eventSource, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2"
    )
    assert got == want


def test_stats_and_fields_can_follow_stats(con: Any) -> None:
    got = rows(
        con,
        "stats count(*) as n by eventSource | stats sum(n) as total, max(n) as most "
        "| fields total - most as rest",
    )
    per_source = "SELECT count(*) AS n FROM events GROUP BY eventSource"
    total, most = sql(con, f"SELECT sum(n), max(n) FROM ({per_source})")[0]
    assert got == [(total, most, total - most)]


def test_stats_needs_an_aggregate_and_later_commands_its_fields() -> None:
    with pytest.raises(LogsInsightsError, match="stats eventName: expected an aggregate"):
        to_sql("stats eventName by awsRegion")
    with pytest.raises(LogsInsightsError, match="field eventName does not exist after stats"):
        to_sql("stats count(*) by awsRegion | filter eventName = 'x'")


# -- sort, limit, dedup ---------------------------------------------------------------------


def test_sort_and_limit(con: Any) -> None:
    got = rows(con, "fields eventName | sort eventName asc, @timestamp desc | limit 3")
    want = sql(con, "SELECT eventName FROM events ORDER BY eventName, eventTime DESC LIMIT 3")
    assert got == want


def test_results_are_capped_at_ten_thousand_rows_by_default() -> None:
    assert "LIMIT 10000" in to_sql("fields eventName")
    assert "LIMIT 25" in to_sql("fields eventName | limit 25")
    with pytest.raises(LogsInsightsError, match="limit 100001: expected 1 to 100000"):
        to_sql("limit 100001")


def test_a_filter_after_limit_sees_only_the_limited_rows(con: Any) -> None:
    got = rows(con, 'sort @timestamp asc | limit 5 | filter eventName = "ConsoleLogin"')
    want = sql(
        con,
        "SELECT eventTime, eventJson FROM (SELECT * FROM events ORDER BY eventTime LIMIT 5) "
        "WHERE eventName = 'ConsoleLogin' ORDER BY eventTime",
    )
    assert got == want and got


def test_dedup_keeps_the_first_event_of_each_value_in_sort_order(con: Any) -> None:
    got = rows(con, "fields eventSource, eventName | sort @timestamp desc | dedup eventSource")
    want = sql(
        con,
        "SELECT eventSource, arg_max(eventName, eventTime) FROM events GROUP BY 1 "
        "ORDER BY max(eventTime) DESC",
    )
    assert got == want


def test_dedup_keeps_events_without_the_field(con: Any) -> None:
    got = rows(con, "fields errorCode | dedup errorCode")
    nulls = sql(con, "SELECT count(*) FROM events WHERE errorCode IS NULL")[0][0]
    distinct = sql(con, "SELECT count(DISTINCT errorCode) FROM events")[0][0]
    assert len(got) == nulls + distinct


def test_only_limit_can_follow_dedup() -> None:
    with pytest.raises(LogsInsightsError, match="only limit can follow dedup"):
        to_sql("dedup eventName | sort eventName")


# -- parse ----------------------------------------------------------------------------------


def test_parse_glob_extracts_text_between_the_literals(con: Any) -> None:
    got = rows(
        con,
        'filter eventName = "GetObject" | parse @message \'"bucketName":"*","key":"*"\' as b, k '
        "| display b, k",
    )
    assert got == [("bucket-a", "secret.txt")]


def test_parse_regex_with_named_groups(con: Any) -> None:
    got = rows(
        con,
        'filter eventSource = "cloudtrail.amazonaws.com" '
        '| parse @message /"name":"(?<trail>[^"]+)"/ | stats count(*) by trail',
    )
    assert got == [("main-trail", 2), (None, 1)]  # events without the text: no trail


def test_parse_mistakes_are_one_line() -> None:
    with pytest.raises(LogsInsightsError, match="2 '\\*' but 1 names"):
        to_sql('parse "a=* b=*" as a')
    with pytest.raises(LogsInsightsError, match="expected named groups"):
        to_sql("parse /a(b)/")


# -- time range and errors ------------------------------------------------------------------


def test_since_and_until_bound_event_time_and_the_partitions(con: Any) -> None:
    since, until = dt.datetime(2024, 5, 5), dt.datetime(2024, 5, 6)
    got = rows(con, "stats count(*)", since=since, until=until)
    want = sql(
        con,
        "SELECT count(*) FROM events WHERE eventTime >= '2024-05-05' AND eventTime < '2024-05-06'",
    )
    assert got == want
    assert "eventDate" in to_sql("stats count(*)", since, until)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("filter eventName ==", "line 1, column 19: unexpected '='"),
        ("fields a\n| filter (a = 1", "ends too early"),
        ("fields a | pattern @message", "line 1, column 12: command pattern is not supported"),
        ("stats count(*) | frob x", "unknown command 'frob'"),
        ("fields @ptr", "field @ptr is not supported"),
        ("filter eventName", "expected a condition"),
        ("fields bin(5m) * 5m", "a period goes in"),
        ("filter datefloor(@timestamp, x) > 1", "expected a period such as 5m"),
    ],
)
def test_mistakes_are_one_clear_line(query: str, message: str) -> None:
    with pytest.raises(LogsInsightsError, match=message) as caught:
        to_sql(query)
    assert "\n" not in str(caught.value)


def test_the_translation_is_a_single_select_over_events() -> None:
    tree = compile_query('filter eventName = "A" | fields awsRegion')
    assert tree.sql(dialect="duckdb").count("SELECT") == 1


# -- AWS's sample queries for CloudTrail (the Logs Insights console's "Sample queries") ------

SAMPLES = [
    "stats count(*) by eventSource, eventName, awsRegion",
    'filter (eventName="StartInstances" or eventName="StopInstances") and awsRegion="us-east-2"',
    'filter eventName="CreateUser" '
    "| fields awsRegion, requestParameters.userName, responseElements.user.arn",
    'filter eventName="UpdateTrail" and ispresent(errorCode) '
    "| stats count(*) by errorCode, errorMessage",
    'filter tlsDetails.tlsVersion in [ "TLSv1", "TLSv1.1" ] | stats count(*) as '
    "numOutdatedTlsCalls by userIdentity.accountId, recipientAccountId, eventSource, "
    "eventName, awsRegion, tlsDetails.tlsVersion, tlsDetails.cipherSuite, userAgent "
    "| sort eventSource, eventName, awsRegion, tlsDetails.tlsVersion",
    "fields @timestamp, @message | sort @timestamp desc | limit 25",
    "filter @message like /Exception/ | stats count(*) as exceptionCount by bin(1h) "
    "| sort exceptionCount desc",
]


@pytest.mark.parametrize("query", SAMPLES)
def test_aws_sample_queries_for_cloudtrail_run(con: Any, query: str) -> None:
    con.execute(to_sql(query)).fetchall()


def test_the_outdated_tls_sample_as_hand_written_sql(con: Any) -> None:
    got = rows(
        con,
        'filter tlsDetails.tlsVersion in [ "TLSv1", "TLSv1.1" ] '
        "| stats count(*) as numOutdatedTlsCalls by eventSource | sort numOutdatedTlsCalls desc",
    )
    want = sql(
        con,
        "SELECT eventSource, count(*) FROM events WHERE tlsDetails.tlsVersion IN "
        "('TLSv1', 'TLSv1.1') GROUP BY 1 ORDER BY 2 DESC",
    )
    assert got == want and got
    users = rows(con, 'filter eventName="CreateUser" | fields requestParameters.userName')
    assert sorted(users) == [("bob",), ("old",)]
