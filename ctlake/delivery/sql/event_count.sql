-- How many insight records the outbox holds (enqueue counts the new ones).
SELECT count(*) FROM delivery_events WHERE kind = 'insight'
