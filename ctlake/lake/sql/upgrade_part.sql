-- The stored rows of one event file as the `part` type_events.sql types, in the file's
-- order: re-typed from the record itself (eventJson), keeping their source and batch.
CREATE OR REPLACE TEMP VIEW part AS
SELECT eventJson AS j, lakeSource, eventTime, lakeBatch
FROM read_parquet({{ file }}, hive_partitioning = false)
