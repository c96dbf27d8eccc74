-- Deliveries to attempt now, per sink in time order (Start before End of one insight).
SELECT
    o.sink,
    d.eventID,
    d.recipientAccountId,
    d.awsRegion,
    d.eventTime,
    d.eventJson,
    o.attempts,
    d.kind
FROM outbox AS o
JOIN delivery_events AS d ON d.eventID = o.eventID
WHERE o.state = 'pending'
    AND o.sink IN (SELECT unnest(CAST($sinks AS VARCHAR[])))
    AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= CAST($now AS TIMESTAMP))
ORDER BY o.sink, d.eventTime, d.state = 'End', d.eventID
