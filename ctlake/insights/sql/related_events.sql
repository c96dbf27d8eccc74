-- The events of an insight's series during its period [start, end): count, and a sample
-- (earliest first) for the detail view. Call rate counts write management events; error
-- rate counts management events with the insight's errorCode (reads and writes).
SELECT
    strftime(eventTime, '%Y-%m-%dT%H:%M:%SZ') AS eventTime,
    userIdentity.arn AS userIdentityArn,
    userAgent,
    errorCode,
    sourceIPAddress,
    eventID,
    count(*) OVER () AS total
FROM events
WHERE eventTime >= CAST($start AS TIMESTAMP)
  AND eventTime < CAST($end AS TIMESTAMP)
  AND recipientAccountId = CAST($account AS VARCHAR)
  AND awsRegion = CAST($region AS VARCHAR)
  AND eventSource = CAST($source AS VARCHAR)
  AND eventName = CAST($name AS VARCHAR)
  AND COALESCE(managementEvent, TRUE)
  AND CASE
        WHEN CAST($error_code AS VARCHAR) IS NULL THEN readOnly = FALSE
        ELSE errorCode = CAST($error_code AS VARCHAR)
      END
ORDER BY events.eventTime, eventID
LIMIT CAST($sample AS BIGINT)
