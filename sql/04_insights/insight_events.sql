/*
kind: table
grain: [eventID]
description: >
  The CloudTrail Insights records. A Start and an End per insight (only a Start while a gap
  is still open), with eventJson in CloudTrail's own shape (eventVersion 1.08,
  insightDetails.insightContext.statistics and attributions). insight.average is the first
  minute's rate on Start and the mean rate over the period on End. eventID is a
  UUID-formatted md5 of sharedEventID and state, so a rebuild gives the same records.
  The JSON is written out as text in the portable subset (both engines give the same
  bytes): strings through json_string, the averages through json_number (rounded to 10
  decimals, plain notation), arrays through string_agg in rank order.
*/
{#- A JSON string (escaping backslash, quote, newline, carriage return, tab), or null. -#}
{% macro json_string(value) -%}
coalesce('"' || replace(replace(replace(replace(replace(
    {{ value }}, '\', '\\'), '"', '\"'), chr(10), '\n'), chr(13), '\r'), chr(9), '\t') || '"',
    'null')
{%- endmacro %}
{#- A non-negative number rounded to 10 decimals in plain notation, trailing zeros dropped
    (2.0, 0.25): whole and fractional digits apart, as no cast to text is written alike. -#}
{% macro json_number(value) -%}
CASE WHEN {{ value }} IS NULL THEN 'null' ELSE
    CAST(CAST(floor(round({{ value }}, 10)) AS BIGINT) AS VARCHAR) || '.' || coalesce(NULLIF(
        TRIM(TRAILING '0' FROM lpad(CAST(CAST(round(
            (round({{ value }}, 10) - floor(round({{ value }}, 10))) * 10000000000
        ) AS BIGINT) AS VARCHAR), 10, '0')),
        ''), '0')
END
{%- endmacro %}
WITH lists AS (
    SELECT
        sharedEventID,
        attribute,
        scope,
        '[' || string_agg(
            '{"value":' || {{ json_string('"value"') }}
            || ',"average":' || {{ json_number('average') }} || '}',
            ',' ORDER BY rank
        ) || ']' AS items
    FROM insight_attributions
    GROUP BY 1, 2, 3
),

per_attribute AS (
    SELECT
        p.sharedEventID,
        a.position,
        '{"attribute":' || {{ json_string('a.attribute') }}
        || ',"insight":' || coalesce(i.items, '[]')
        || ',"baseline":' || coalesce(b.items, '[]') || '}' AS item
    FROM insight_periods AS p
    INNER JOIN (
        VALUES ('userIdentityArn', 1), ('userAgent', 2), ('errorCode', 3)
    ) AS a (attribute, position)
        ON a.attribute <> 'errorCode' OR p.insightType <> 'ApiErrorRateInsight'
    LEFT JOIN lists AS i
        ON i.sharedEventID = p.sharedEventID AND i.attribute = a.attribute AND i.scope = 'insight'
    LEFT JOIN lists AS b
        ON b.sharedEventID = p.sharedEventID AND b.attribute = a.attribute
        AND b.scope = 'baseline'
),

attributions AS (
    SELECT sharedEventID, '[' || string_agg(item, ',' ORDER BY position) || ']' AS attributions
    FROM per_attribute
    GROUP BY 1
),

records AS (
    SELECT
        p.*,
        s.state,
        CASE s.state WHEN 'Start' THEN p.insightStart ELSE p.insightEnd END AS eventTime,
        CASE s.state WHEN 'Start' THEN p.startAverage ELSE p.periodAverage END AS insightAverage,
        md5(p.sharedEventID || '|' || s.state) AS digest,
        a.attributions
    FROM insight_periods AS p
    CROSS JOIN (VALUES ('Start'), ('End')) AS s (state)
    INNER JOIN attributions AS a ON a.sharedEventID = p.sharedEventID
    WHERE s.state = 'Start' OR p.insightEnd IS NOT NULL
),

contexts AS (
    SELECT
        *,
        substr(digest, 1, 8) || '-' || substr(digest, 9, 4) || '-' || substr(digest, 13, 4)
        || '-' || substr(digest, 17, 4) || '-' || substr(digest, 21, 12) AS eventID,
        '{"statistics":{"baseline":{"average":' || {{ json_number('baselineAverage') }}
        || '},"insight":{"average":' || {{ json_number('insightAverage') }}
        || '},"insightDuration":' || coalesce(CAST(insightDuration AS VARCHAR), 'null')
        || ',"baselineDuration":' || coalesce(CAST(baselineDuration AS VARCHAR), 'null')
        || '},"attributions":' || attributions || '}' AS insightContext
    FROM records
)

SELECT
    eventID,
    sharedEventID,
    state,
    eventTime,
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    insightType,
    errorCode,
    insightStart,
    insightEnd,
    baselineAverage,
    insightAverage,
    baselineDuration,
    insightDuration,
    '{"eventVersion":"1.08","eventTime":"'
    || strftime(eventTime, '%Y-%m-%d') || 'T' || strftime(eventTime, '%H:%M:%S') || 'Z"'
    || ',"awsRegion":' || {{ json_string('awsRegion') }}
    || ',"eventID":' || {{ json_string('eventID') }}
    || ',"eventType":"AwsCloudTrailInsight"'
    || ',"recipientAccountId":' || {{ json_string('recipientAccountId') }}
    || ',"sharedEventID":' || {{ json_string('sharedEventID') }}
    || ',"insightDetails":{"state":' || {{ json_string('state') }}
    || ',"eventSource":' || {{ json_string('eventSource') }}
    || ',"eventName":' || {{ json_string('eventName') }}
    || ',"insightType":' || {{ json_string('insightType') }}
    || CASE
        WHEN errorCode IS NULL THEN ''
        ELSE ',"errorCode":' || {{ json_string('errorCode') }}
    END
    || ',"insightContext":' || insightContext || '}'
    || ',"eventCategory":"Insight"}' AS eventJson
FROM contexts
