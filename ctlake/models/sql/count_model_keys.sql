-- How many `keys_from` row hashes a keyed model was last built from (see keyed.py).
SELECT count(*) FROM model_keys WHERE model = $model
