-- The machine's state changes of a run's replays (registered Arrow table
-- `new_alarm_timeline`); the replayed spans were deleted first.
INSERT INTO alarm_timeline BY NAME SELECT * FROM new_alarm_timeline
