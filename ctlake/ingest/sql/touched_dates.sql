-- The partitions the batch's rows go to.
SELECT DISTINCT CAST(eventDate AS VARCHAR) FROM batch_keys
