-- Leave the refresh's changes in the catalog's write-ahead log when the connection closes
-- (see runner.refresh): the next process that opens the catalog replays them, and the next
-- one that writes it (ingest) checkpoints them with its own changes.
PRAGMA disable_checkpoint_on_shutdown
