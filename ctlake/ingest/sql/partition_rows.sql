-- The batch's rows to store in partition $d, in the order its file keeps.
SELECT row_no, file_no, eventTime, eventID
FROM batch_keys
WHERE eventDate = CAST($d AS DATE)
ORDER BY eventTime, eventID
