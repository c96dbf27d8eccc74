-- `ctlake cost --prices`: each price and assumption, its value, unit and where it came from.
SELECT setting, value, unit, origin FROM cost_prices ORDER BY position
