-- The event time the lake covers, from the batches' own bounds (no scan of the events).
SELECT min(min_event_time), max(max_event_time) FROM batches
