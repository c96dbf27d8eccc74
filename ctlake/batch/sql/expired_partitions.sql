-- Live files of the event partitions older than the retention period, oldest first.
SELECT CAST(eventDate AS VARCHAR) AS event_date, path
FROM lake_files
WHERE eventDate < CAST($cutoff AS DATE)
ORDER BY 1, 2
