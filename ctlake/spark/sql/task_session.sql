-- A Spark executor's DuckDB: Spark already runs one task per core, so each task's DuckDB
-- keeps to one thread instead of competing with the others for every core.
SET threads = 1;
