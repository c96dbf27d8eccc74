-- How many events a filter pattern matches, and how many it was tried on, for `ctlake
-- metrics test` (the predicate replaces `pattern_matches`, as in test_pattern.sql).
SELECT
    count(*) FILTER (WHERE pattern_matches) AS matched,
    count(*) AS tried
FROM events
WHERE ($since IS NULL OR eventTime >= $since)
  AND ($until IS NULL OR eventTime < $until)
  AND ($since IS NULL OR eventDate >= CAST($since AS DATE))
  AND ($until IS NULL OR eventDate <= CAST($until AS DATE))
