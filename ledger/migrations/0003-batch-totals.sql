-- Version 3: each batch records the total it was posted with, so that
-- `phsg verify` can tell a payment removed or altered afterwards.  Set by
-- the run that posts the batch, inside the same transaction (the one
-- update the ledger allows besides award_index).  Batches from before
-- version 3 take the sum of their payments as they stand.
ALTER TABLE batches ADD COLUMN total INTEGER;
UPDATE batches SET total = (SELECT coalesce(sum(amount), 0) FROM payments p
	WHERE p.batch_id = batches.id AND p.kind <> 'reversal');
