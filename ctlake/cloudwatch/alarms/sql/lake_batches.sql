-- The lake's ingest batches and the event times they stored: the lake's span, and what
-- changed since the batch an alarm was last evaluated with.
SELECT batch_id, min_event_time, max_event_time FROM batches ORDER BY batch_id
