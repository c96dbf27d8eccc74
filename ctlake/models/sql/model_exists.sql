-- Whether the current database has a table or view named $name (schema main).
SELECT count(*) > 0
FROM (
    SELECT table_name AS name
    FROM duckdb_tables()
    WHERE database_name = current_database() AND schema_name = 'main'
    UNION ALL
    SELECT view_name AS name
    FROM duckdb_views()
    WHERE database_name = current_database() AND schema_name = 'main'
) AS t
WHERE name = $name
