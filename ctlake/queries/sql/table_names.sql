-- The tables and views a connection can read by bare name (the lake's catalog, the
-- temporary `events` view), lower-cased: what a saved query may depend on.
SELECT DISTINCT lower(table_name) AS name
FROM information_schema.tables
