-- A run's state changes, one list per column (zipped by unnest), seq numbered in the
-- order they were recorded.
INSERT INTO alarm_history (
    seq, alarm_name, "timestamp", old_state, new_state, reason, reason_data, late, event_id,
    recorded_at
)
SELECT
    unnest(CAST($seq AS BIGINT[])),
    unnest(CAST($alarm_name AS VARCHAR[])),
    unnest(CAST($timestamp AS TIMESTAMP[])),
    unnest(CAST($old_state AS VARCHAR[])),
    unnest(CAST($new_state AS VARCHAR[])),
    unnest(CAST($reason AS VARCHAR[])),
    unnest(CAST($reason_data AS VARCHAR[])),
    unnest(CAST($late AS BOOLEAN[])),
    unnest(CAST($event_id AS VARCHAR[])),
    CAST(now() AS TIMESTAMP)
