-- `ctlake models`: the models in run order with their state (model_list is registered
-- from the project and the catalog's model_state).
SELECT model, kind, depends_on, high_water, rows, refreshed_at, seconds, description
FROM model_list
ORDER BY position
