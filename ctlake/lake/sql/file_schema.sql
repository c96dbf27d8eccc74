-- The columns and types of one Parquet file, in order: what a reader of the file sees.
SELECT column_name, column_type
FROM (DESCRIBE SELECT * FROM read_parquet($file, hive_partitioning = false))
