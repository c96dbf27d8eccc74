-- One eventDate partition of the benchmark lake: every event of the seed partition
-- {{ source }} repeated $copies times (copy n gets eventID '<id>-n'), sorted by eventTime as
-- the lake keeps it. Same accounts, identities and APIs; `copies` times the volume.
SELECT * REPLACE (eventID || '-' || CAST(copy AS VARCHAR) AS eventID)
FROM read_parquet({{ source }}) CROSS JOIN range(CAST($copies AS BIGINT)) AS copies(copy)
ORDER BY eventTime
