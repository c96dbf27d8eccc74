-- The batch's Insights records (registered as `new_insights`); one already stored is kept.
INSERT OR IGNORE INTO aws_insights BY NAME SELECT * FROM new_insights
