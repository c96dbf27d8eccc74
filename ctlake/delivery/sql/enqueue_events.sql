-- Insight records not seen before join the outbox's record store.
INSERT INTO delivery_events (
    eventID, state, eventTime, recipientAccountId, awsRegion, eventJson, found_at, kind
)
SELECT
    eventID,
    CAST(state AS VARCHAR),
    CAST(eventTime AS TIMESTAMP),
    CAST(recipientAccountId AS VARCHAR),
    CAST(awsRegion AS VARCHAR),
    CAST(eventJson AS VARCHAR),
    CAST(now() AS TIMESTAMP),
    'insight'
FROM insight_events
WHERE eventID NOT IN (SELECT eventID FROM delivery_events)
