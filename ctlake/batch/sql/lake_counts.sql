-- What `ctlake status` counts in the catalog.
SELECT
    (SELECT coalesce(sum(rows), 0) FROM lake_files) AS events,
    (SELECT count(DISTINCT eventDate) FROM lake_files) AS partitions,
    (SELECT count(*) FROM lake_files) AS files,
    (SELECT count(*) FROM quarantine) AS quarantined,
    (SELECT max(max_event_time) FROM batches) AS newest_event,
    (SELECT max(committed_at) FROM batches) AS last_ingest
