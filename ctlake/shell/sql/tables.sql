-- .tables: the tables and views a statement can name (the lake's catalog, the events view,
-- and any TEMP table the session made), with their kind and column count.
SELECT
    t.table_name AS name,
    lower(t.table_type) AS kind,
    CAST(count(c.column_name) AS INTEGER) AS columns
FROM information_schema.tables AS t
LEFT JOIN information_schema.columns AS c
    ON c.table_catalog = t.table_catalog
    AND c.table_schema = t.table_schema
    AND c.table_name = t.table_name
WHERE t.table_catalog IN ('lake', 'temp', 'memory')
GROUP BY 1, 2
ORDER BY 1
