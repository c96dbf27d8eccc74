-- The configured alarms of a lake whose catalog has no alarm state yet (no run of a
-- ctlake that evaluates alarms has written it).
SELECT
    unnest(CAST($names AS VARCHAR[])) AS name,
    'INSUFFICIENT_DATA' AS state,
    CAST(NULL AS VARCHAR) AS since,
    'Not evaluated yet: `ctlake run` evaluates the alarms' AS reason
ORDER BY 1
