-- The records batch_keys.sql set aside, with where they came from and why.
SELECT
    k.row_no,
    f.source,
    f.unit || ' ' || CAST(k.ordinal AS VARCHAR) AS location,
    k.reason
FROM batch_keys AS k
JOIN batch_files AS f ON f.file_no = k.file_no
WHERE k.reason IS NOT NULL
ORDER BY k.row_no
