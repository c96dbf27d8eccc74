-- The attributions of one insight, as the console's Attributions tab reads them.
SELECT attribute, scope, rank, value, average
FROM insight_attributions
WHERE sharedEventID = CAST($shared_id AS VARCHAR)
ORDER BY attribute, scope, rank
