-- Version 7: which awards have paid each payee, in place of an index of
-- every payment by payee (issue 15).
--
-- The index payments_payee (payee, due) took a third of a backlog run's
-- writes: one more entry, in payee order, for every payment.  What it
-- served is rare: a payee's bank details changed (its latest payment, and
-- the one before a batch).  A payee's payments are now found through the
-- awards that have paid it: one row per award and payee, written the first
-- time that award pays that payee, and each award's payments by the
-- payments_award index.  `phsg verify` checks that every payment's award
-- and payee have their row here.
CREATE TABLE payee_awards (
	payee    TEXT NOT NULL,
	award_id INTEGER NOT NULL REFERENCES awards(id),
	PRIMARY KEY (payee, award_id)
) WITHOUT ROWID;
INSERT INTO payee_awards (payee, award_id)
	SELECT DISTINCT payee, award_id FROM payments ORDER BY payee, award_id;
DROP INDEX payments_payee;
