-- The CloudTrail JSON of the selected records, in the order of list_table.sql.
SELECT eventJson
FROM selected_insights
ORDER BY eventTime, CASE state WHEN 'Start' THEN 0 ELSE 1 END, eventID
