INSERT INTO alarm_timeline VALUES ($name, $period_end, $state)
