-- Version 8: each award as its events last built it, kept beside the run's
-- index (issue 15).
--
-- A walk over every award (reports, the award list, the caseload export)
-- and a payment run rebuilt each award from its events, decoding every
-- event's JSON: at a million awards, three seconds of one core for
-- `report balances` alone.  A run now keeps the award it rebuilt from its
-- events here (src/lib/award_state.c), and a walk reads it instead of the
-- events while award_index says the award has had no event since (dirty
-- 0) and the ledger last ran under the same scheme and phsg (meta
-- scheme_fingerprint).  A table of its own, not a column of award_index,
-- so that a run's update of an award's next due date does not write the
-- state again.  A row may be deleted at any time: the events are replayed
-- as before.  `phsg verify` replays every award that has one and checks
-- that it matches.
CREATE TABLE award_states (
	award_id INTEGER PRIMARY KEY REFERENCES awards(id),
	state    TEXT NOT NULL
);

-- And the sums a walk reads for each award (payments by award and
-- component, due by a date) come from the index alone: it holds the due
-- date and the amount too.  At a million awards `report balances` went
-- from 3.4-3.5 s to 2.4-2.8 s; the SQL GROUP BY of the same sums from
-- 2.4 s to 1.3 s.  The ledger grows by about 6%.  (PostgreSQL keeps its
-- index: an index-only scan there needs the visibility map that VACUUM
-- keeps, which a ledger just written by a run does not have.)
DROP INDEX payments_award;
CREATE INDEX payments_award ON payments(award_id, component, due, amount);
