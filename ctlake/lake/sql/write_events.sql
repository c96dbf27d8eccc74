-- Write the typed rows (view typed_part: type_events.sql over `part`) to the file $file.
-- zstd level 1: as small as the default level on CloudTrail JSON and three times faster.
-- Row groups of 32768 rows (ctlake.lake.events.ROW_GROUP_ROWS) keep the writer's buffers
-- (eventJson is ~1.3 KB a row) below the size malloc hands out by mmap: a fifth less CPU
-- per file than 100k-row groups, mostly the kernel's page zeroing, and finer eventTime
-- pruning for readers.
COPY typed_part TO $file (
    FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 32768
)
