-- One live event file, as the catalog records it.
SELECT CAST(eventDate AS VARCHAR) AS eventDate, rows, batch_id
FROM lake_files
WHERE path = $path
