-- Whether the current database has a table or view named $name (schema main).
SELECT count(*) > 0
FROM information_schema.tables
WHERE table_catalog = current_database()
  AND table_schema = 'main'
  AND table_name = $name
