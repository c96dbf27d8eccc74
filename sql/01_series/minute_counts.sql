/*
kind: incremental
time_column: minute
lookback: 0m
grain: [series_type, recipientAccountId, awsRegion, eventSource, eventName, errorCode, minute]
description: >
  Calls and errors per series and minute. The two series CloudTrail Insights watches,
  counted per minute (non-zero minutes only):
  'calls' = write management events per account, region, eventSource and eventName;
  'errors' = management events (reads and writes) with an errorCode, per the same key plus
  errorCode. Insights records themselves are never counted.
*/
WITH management AS (
    SELECT
        recipientAccountId,
        awsRegion,
        eventSource,
        eventName,
        NULLIF(errorCode, '') AS errorCode,
        readOnly,
        date_trunc('minute', eventTime) AS minute
    FROM events
    WHERE eventTime >= {{ start }}
      AND eventTime < {{ end }}
      AND eventDate >= CAST({{ start }} AS DATE)
      AND eventDate <= CAST({{ end }} AS DATE)
      AND (managementEvent IS NULL OR managementEvent)
      AND (eventType IS NULL OR eventType <> 'AwsCloudTrailInsight')
)

SELECT
    'calls' AS series_type,
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    CAST(NULL AS VARCHAR) AS errorCode,
    minute,
    CAST(count(*) AS BIGINT) AS n
FROM management
WHERE readOnly = FALSE
GROUP BY 1, 2, 3, 4, 5, 6, 7

UNION ALL

SELECT
    'errors' AS series_type,
    recipientAccountId,
    awsRegion,
    eventSource,
    eventName,
    errorCode,
    minute,
    CAST(count(*) AS BIGINT) AS n
FROM management
WHERE errorCode IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6, 7
