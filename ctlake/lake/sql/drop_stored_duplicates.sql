-- Forget the batch's rows whose eventID the live files $paths already hold.
DELETE FROM batch_keys
WHERE eventID IN (SELECT eventID FROM read_parquet($paths, hive_partitioning = false))
