-- How many rows the batch stores, and the eventTime span they cover.
SELECT count(*), min(eventTime), max(eventTime) FROM batch_keys
