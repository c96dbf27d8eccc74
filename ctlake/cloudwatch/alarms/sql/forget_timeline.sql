DELETE FROM alarm_timeline WHERE alarm_name = $name AND period_end >= $since
