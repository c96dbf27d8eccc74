-- One pending row per known insight record and configured sink that has none yet.
INSERT INTO outbox (eventID, sink, state, attempts)
SELECT d.eventID, s.sink, 'pending', 0
FROM delivery_events AS d
CROSS JOIN (SELECT unnest(CAST($sinks AS VARCHAR[])) AS sink) AS s
WHERE NOT EXISTS (
    SELECT 1 FROM outbox AS o WHERE o.eventID = d.eventID AND o.sink = s.sink
)
