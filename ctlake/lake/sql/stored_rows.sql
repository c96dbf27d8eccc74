-- Stored events as the rows they were typed from (see type_events.sql), so a merge types
-- them again exactly as they were, keeping their source and batch.
SELECT eventJson AS j, lakeSource, eventTime, lakeBatch, eventID
FROM read_parquet($paths, hive_partitioning = false)
