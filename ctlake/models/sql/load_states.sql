-- The run state of every model (see model_state.sql), in ModelState's field order.
SELECT model, kind, high_water, last_batch, window_start, rows, refreshed_at, seconds, digest
FROM model_state
