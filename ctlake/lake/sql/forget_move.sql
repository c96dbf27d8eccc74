-- The move to $dst is made: forget it.
DELETE FROM pending_moves WHERE dst = $dst
