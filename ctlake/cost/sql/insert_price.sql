INSERT INTO cost_prices VALUES ($position, $setting, $value, $unit, $origin)
