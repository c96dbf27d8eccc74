-- The judged keys of an executor's batch (batch_keys.sql), in the order read.
SELECT row_no, file_no, ordinal, eventID, eventType, eventTime, eventDate, reason
FROM batch_keys
ORDER BY row_no
