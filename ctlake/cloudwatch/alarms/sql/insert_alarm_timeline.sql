-- The machine's state changes of a run's replays, one list per column (zipped by unnest);
-- the replayed spans were deleted first.
INSERT INTO alarm_timeline (alarm_name, period_end, state)
SELECT
    unnest(CAST($alarm_name AS VARCHAR[])),
    unnest(CAST($period_end AS TIMESTAMP[])),
    unnest(CAST($state AS VARCHAR[]))
