-- The last seq of alarm_history (0 when empty): a run numbers its changes after it.
SELECT coalesce(max(seq), 0) FROM alarm_history
