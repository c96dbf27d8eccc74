DELETE FROM alarm_datapoints WHERE alarm_name = $name
