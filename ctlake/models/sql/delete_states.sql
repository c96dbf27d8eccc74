-- The state rows of the models in the list $m, about to be written again (see save_states.sql).
DELETE FROM model_state WHERE list_contains($m, model)
