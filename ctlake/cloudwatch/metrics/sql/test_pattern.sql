-- The first $limit events a filter pattern matches, oldest first, for `ctlake metrics
-- test`: the predicate replaces the column `pattern_matches` (testing.py, with sqlglot).
-- $since, $until: TIMESTAMP or NULL (open).
SELECT
    eventTime,
    eventID,
    eventSource,
    eventName,
    errorCode,
    userIdentity.arn AS userArn,
    sourceIPAddress
FROM events
WHERE ($since IS NULL OR eventTime >= $since)
  AND ($until IS NULL OR eventTime < $until)
  AND ($since IS NULL OR eventDate >= CAST($since AS DATE))
  AND ($until IS NULL OR eventDate <= CAST($until AS DATE))
  AND pattern_matches
ORDER BY eventTime, eventID
LIMIT $limit
