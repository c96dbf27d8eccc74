-- `ctlake cost --prices`: each price and assumption, its value and where it came from.
SELECT setting, value, origin FROM cost_prices ORDER BY position
