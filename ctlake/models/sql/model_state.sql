-- Run state of the models (issue 3): one row per model, replaced by each refresh in the same
-- transaction as the models' data, so state and data never disagree.
CREATE TABLE IF NOT EXISTS model_state (
    model        VARCHAR PRIMARY KEY,
    kind         VARCHAR NOT NULL,
    high_water   TIMESTAMP,   -- incremental: the window end of the last run (exclusive)
    last_batch   BIGINT,      -- the newest ingest batch the run saw
    window_start TIMESTAMP,   -- the start of the last run's window (what it recomputed)
    rows         BIGINT NOT NULL,  -- rows of its table after the run (a view: 0, not counted)
    refreshed_at TIMESTAMP NOT NULL,
    seconds      DOUBLE NOT NULL,
    digest       VARCHAR NOT NULL  -- hash of the SQL file and the config it ran with
);
-- Keyed models: a hash of each row of `keys_from` the model's rows were last built from, so a
-- refresh finds the keys that are new or changed (see ctlake/models/keyed.py).
CREATE TABLE IF NOT EXISTS model_keys (
    model    VARCHAR NOT NULL,
    row_hash VARCHAR NOT NULL
);
-- The tables each model file reads, by parse digest (ctlake/models/project.py): a refresh
-- parses only the files that changed.
CREATE TABLE IF NOT EXISTS model_sources (
    digest VARCHAR PRIMARY KEY,
    tables VARCHAR NOT NULL  -- JSON array of table names
);
