-- A sink's backlog dropped: its pending and failed rows become 'dropped', never attempted
-- again, and kept (a sink put back under the same name does not get them again).
UPDATE outbox
SET state = 'dropped',
    next_attempt_at = NULL
WHERE sink = $sink
    AND state IN ('pending', 'failed')
