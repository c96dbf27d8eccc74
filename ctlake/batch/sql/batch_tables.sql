-- Run state of `ctlake run`: one row per batch (a row left 'running' belongs to a process
-- that died), and when each scheduled report last ran.
CREATE SEQUENCE IF NOT EXISTS run_seq START 1;
CREATE TABLE IF NOT EXISTS run_log (
    run_id      BIGINT PRIMARY KEY,
    pid         INTEGER NOT NULL,
    every_s     BIGINT,            -- the schedule's interval, if run by `ctlake schedule`
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    result      VARCHAR NOT NULL,  -- running | ok | partial | stopped | failed | killed
    exit_code   INTEGER,
    summary     VARCHAR,
    error       VARCHAR
);

CREATE TABLE IF NOT EXISTS report_runs (
    report      VARCHAR PRIMARY KEY,
    last_run_at TIMESTAMP NOT NULL,
    last_file   VARCHAR NOT NULL
);
