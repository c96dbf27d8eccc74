-- DuckDB's json_type on Spark: the name DuckDB gives the type of the JSON value :value (a
-- VARIANT; NULL where the path finds nothing), from the name Spark gives it.
CASE REGEXP_EXTRACT(SCHEMA_OF_VARIANT(:value), '^[A-Z]+', 0)
    WHEN 'OBJECT' THEN 'OBJECT'
    WHEN 'ARRAY' THEN 'ARRAY'
    WHEN 'STRING' THEN 'VARCHAR'
    WHEN 'BOOLEAN' THEN 'BOOLEAN'
    WHEN 'VOID' THEN 'NULL'
    -- DuckDB reads a whole number as UBIGINT when it is not negative
    WHEN 'BIGINT' THEN IF(TRY_VARIANT_GET(:value, '$', 'BIGINT') < 0, 'BIGINT', 'UBIGINT')
    -- Spark keeps a fraction, or a whole number past BIGINT, as a DECIMAL; DuckDB as a
    -- DOUBLE unless it is a whole number that fits UBIGINT
    WHEN 'DECIMAL' THEN IF(
        SCHEMA_OF_VARIANT(:value) LIKE 'DECIMAL(%,0)'
        AND TRY_VARIANT_GET(:value, '$', 'DECIMAL(38, 0)') BETWEEN 0 AND 18446744073709551615,
        'UBIGINT',
        'DOUBLE'
    )
    WHEN 'DOUBLE' THEN 'DOUBLE'
END
