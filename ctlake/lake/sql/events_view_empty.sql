-- Table `events` for a lake with no events yet: the schema file, no rows.
CREATE OR REPLACE TEMP VIEW events AS
SELECT *, CAST(NULL AS DATE) AS eventDate
FROM read_parquet({{ schema_file }})
