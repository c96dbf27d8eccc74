UPDATE outbox
SET state = 'delivered',
    attempts = attempts + 1,
    last_error = NULL,
    next_attempt_at = NULL,
    delivered_at = CAST(now() AS TIMESTAMP)
WHERE sink = $sink
    AND eventID IN (SELECT unnest(CAST($ids AS VARCHAR[])))
    AND state = 'pending'
