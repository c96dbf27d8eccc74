-- Insert one state row per model; each parameter is a list, zipped by unnest.
INSERT INTO model_state (
    model, kind, high_water, last_batch, window_start, rows, refreshed_at, seconds, digest
)
SELECT
    unnest(CAST($model AS VARCHAR[])),
    unnest(CAST($kind AS VARCHAR[])),
    unnest(CAST($high_water AS TIMESTAMP[])),
    unnest(CAST($last_batch AS BIGINT[])),
    unnest(CAST($window_start AS TIMESTAMP[])),
    unnest(CAST($rows AS BIGINT[])),
    unnest(CAST($refreshed_at AS TIMESTAMP[])),
    unnest(CAST($seconds AS DOUBLE[])),
    unnest(CAST($digest AS VARCHAR[]))
