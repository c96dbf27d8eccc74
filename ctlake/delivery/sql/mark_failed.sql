UPDATE outbox
SET state = $state,
    attempts = attempts + $tries,
    last_error = $error,
    next_attempt_at = $next_attempt_at
WHERE sink = $sink
    AND eventID = $event_id
    AND state = 'pending'
