-- Table `events` for readers: every live Parquet file of the lake, the partition column
-- eventDate typed as a DATE. {{ files }} is the glob of the lake's event files.
CREATE OR REPLACE TEMP VIEW events AS
SELECT *
FROM read_parquet({{ files }}, hive_partitioning = true, hive_types = {'eventDate': DATE})
