-- Words the shell completes: SQL keywords (upper case) and function names (as DuckDB
-- spells them, lower case).
SELECT upper(keyword_name) AS word FROM duckdb_keywords()
UNION
SELECT DISTINCT function_name AS word FROM duckdb_functions()
WHERE function_type IN ('scalar', 'aggregate', 'table')
    AND regexp_matches(function_name, '^[a-z][a-z0-9_]*$')
ORDER BY 1
