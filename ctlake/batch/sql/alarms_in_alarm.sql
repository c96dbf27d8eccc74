-- The configured alarms in ALARM now, for `ctlake status`.
SELECT alarm_name
FROM alarm_state
WHERE state = 'ALARM'
    AND alarm_name IN (SELECT unnest(CAST($names AS VARCHAR[])))
ORDER BY 1
