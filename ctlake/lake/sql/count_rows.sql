-- The rows of the Parquet file $file.
SELECT count(*) FROM read_parquet($file, hive_partitioning = false)
