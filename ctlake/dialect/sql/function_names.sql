-- Every function name DuckDB knows, lower-cased: a Trino function the lake dialect does
-- not translate must be one of these, or it is reported by name before DuckDB runs.
SELECT DISTINCT lower(function_name) AS name
FROM duckdb_functions()
