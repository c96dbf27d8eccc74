-- The tables and views of the current database (schema main), lower-cased, with their type.
-- duckdb_tables() and duckdb_views() answer in milliseconds; information_schema takes tens
-- on a cold catalog.
SELECT lower(table_name), 'table'
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main'
UNION ALL
SELECT lower(view_name), 'view'
FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main'
