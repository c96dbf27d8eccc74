-- The live event files of the partitions $dates (VARCHAR 'YYYY-MM-DD').
SELECT CAST(eventDate AS VARCHAR) AS eventDate, path, rows
FROM lake_files
WHERE CAST(eventDate AS VARCHAR) IN (SELECT unnest($dates))
ORDER BY path
