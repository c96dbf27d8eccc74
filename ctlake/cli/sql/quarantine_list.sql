-- Quarantined input, newest batch first; $source filters on the path, $raw adds the text.
SELECT
    id,
    source,
    coalesce(location, 'whole file') AS location,
    reason,
    CASE WHEN $raw THEN raw END AS raw,
    quarantined_at
FROM quarantine
WHERE source LIKE '%' || $source || '%'
ORDER BY batch_id DESC, id
