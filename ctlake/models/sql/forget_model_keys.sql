-- Forget the row hashes a keyed model was built from (keyed.py records the new ones).
DELETE FROM model_keys WHERE model = $model
