-- What ingest added since a model last ran: the newest batch id and the earliest event time
-- of the batches newer than $last_batch (late CloudTrail delivery lowers a model's window).
SELECT
    (SELECT max(batch_id) FROM batches) AS latest_batch,
    (SELECT min(min_event_time) FROM batches WHERE batch_id > $last_batch) AS earliest_change,
    (SELECT max(max_event_time) FROM batches) AS latest_event
