-- The datapoints the alarm was last evaluated on.
SELECT period_start, value FROM alarm_datapoints WHERE alarm_name = $name
