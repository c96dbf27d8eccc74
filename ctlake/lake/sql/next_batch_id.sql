SELECT coalesce(max(batch_id), 0) + 1 FROM batches
