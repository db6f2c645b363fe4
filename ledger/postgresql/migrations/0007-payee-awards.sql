-- Version 7 (as ledger/migrations/0007-payee-awards.sql): which awards have
-- paid each payee, in place of the index of every payment by payee.
CREATE TABLE payee_awards (
	payee    text COLLATE "C" NOT NULL,
	award_id bigint NOT NULL REFERENCES awards(id),
	PRIMARY KEY (payee, award_id)
);
INSERT INTO payee_awards (payee, award_id)
	SELECT DISTINCT payee, award_id FROM payments ORDER BY payee, award_id;
DROP INDEX payments_payee;
