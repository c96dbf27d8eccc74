-- Every pending move is made (recover replayed them): forget them.
DELETE FROM pending_moves
