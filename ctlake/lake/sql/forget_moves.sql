-- The moves of batch $batch_id are made: forget them.
DELETE FROM pending_moves WHERE batch_id = $batch_id
