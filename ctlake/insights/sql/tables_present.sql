-- How many of the named tables the lake's catalog holds (the insight tables are produced by
-- the models; before the first `ctlake refresh` they are absent).
SELECT count(*)
FROM duckdb_tables()
WHERE database_name = 'lake' AND table_name IN (SELECT unnest($names))
