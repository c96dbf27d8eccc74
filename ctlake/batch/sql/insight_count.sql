SELECT count(*) FROM insight_events
