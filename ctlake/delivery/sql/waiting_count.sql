-- Pending deliveries to the configured sinks that wait out a retry delay: not due now, but
-- still owed, so the run that leaves them is not a complete one.
SELECT count(*)
FROM outbox
WHERE state = 'pending'
    AND sink IN (SELECT unnest(CAST($sinks AS VARCHAR[])))
    AND next_attempt_at > CAST($now AS TIMESTAMP)
