-- Version 9: the run keeps each award's sums beside its due date, and
-- payments are indexed by batch, then award (issue 15).
--
-- A 4-weekly run at a million awards wrote 340,248 payments in 9 s, and
-- most of it was the index by award (payments_award, 289 MB): each run adds
-- one entry or two for every award it pays, all over the index, so it wrote
-- nearly every page of it again.  Its bare-SQLite replay took 8 s of the 9.
--
-- * payments_award goes.  payments_batch becomes (batch_id, award_id,
--   component, due, amount): a run's entries all go at its end, in award
--   order.  A read of one award's payments, or of a range of awards', reads
--   each batch's part of the index there (a seek per batch), and the
--   payments outside any batch (opening postings) under batch NULL.
-- * award_index.sums: what the run that last set dirty = 0 left each award
--   with, by component ("core=17120 contribution=0"): paid less recovered,
--   and the contributions charged, in whole pence, over every date.  A run
--   reads it instead of the award's payments, recoveries and contributions
--   while dirty is 0.  Everything else that writes those rows (a void, a
--   return, a recovery, an opening posting with its award) sets dirty = 1
--   in the same transaction, and a run reads such an award's rows again and
--   keeps what it found with what it paid.  NULL: nothing kept (every award
--   after this migration, and in a copied ledger), read the rows.
--   `phsg verify` checks every kept figure against the rows.
-- * A run that reads the kept sums no longer reads the amounts they came
--   from, so it would no longer see one changed by hand into something that
--   is not a whole number of pence (text, or a real), which it refuses.  An
--   index of the rows that hold one, empty in a sound ledger, lets a run
--   look for them all in three reads before it pays anything.
ALTER TABLE award_index ADD COLUMN sums TEXT;
DROP INDEX payments_award;
DROP INDEX payments_batch;
CREATE INDEX payments_batch ON payments(batch_id, award_id, component, due, amount);
CREATE INDEX payments_not_whole ON payments(id) WHERE typeof(amount) <> 'integer';
CREATE INDEX recoveries_not_whole ON recoveries(id) WHERE typeof(amount) <> 'integer';
CREATE INDEX contributions_not_whole ON contributions(id) WHERE typeof(amount) <> 'integer';
