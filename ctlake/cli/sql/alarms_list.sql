-- The configured alarms with their current state (an alarm not evaluated yet, by
-- `ctlake run`, is INSUFFICIENT_DATA with no time), by name as CloudWatch lists them.
WITH configured AS (
    SELECT unnest(CAST($names AS VARCHAR[])) AS name
)
SELECT
    c.name,
    coalesce(s.state, 'INSUFFICIENT_DATA') AS state,
    strftime(s.since, '%Y-%m-%dT%H:%M:%SZ') AS since,
    coalesce(s.reason, 'Not evaluated yet: `ctlake run` evaluates the alarms') AS reason
FROM configured AS c
LEFT JOIN alarm_state AS s ON s.alarm_name = c.name
ORDER BY c.name
