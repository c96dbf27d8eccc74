-- The file moves committed batches still have to make, in the order they were recorded.
SELECT action, src, dst FROM pending_moves ORDER BY batch_id, action
