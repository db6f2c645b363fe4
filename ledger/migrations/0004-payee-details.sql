-- Version 4: day-to-day finance (SPEC section 11).
--
-- A payee's bank details (or card) are dated: payments due on or after a
-- change go to the new ones; the old stay in the history.  The details in
-- the payees row hold from the beginning; each later row of payee_details
-- from its from_date.  Accreditation (section 13) is dated the same way.
CREATE TABLE payee_details (
	id          INTEGER PRIMARY KEY,
	payee_id    INTEGER NOT NULL REFERENCES payees(id),
	from_date   TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('bank', 'card')),
	sort_code   TEXT CHECK (sort_code IS NULL OR length(sort_code) = 6),
	account     TEXT CHECK (account IS NULL OR length(account) = 8),
	card_id     TEXT,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE INDEX payee_details_payee ON payee_details(payee_id, from_date);

CREATE TABLE payee_accreditation (
	id          INTEGER PRIMARY KEY,
	payee_id    INTEGER NOT NULL REFERENCES payees(id),
	from_date   TEXT NOT NULL,
	accredited  INTEGER NOT NULL CHECK (accredited IN (0, 1)),
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE INDEX payee_accreditation_payee ON payee_accreditation(payee_id, from_date);

CREATE INDEX payments_payee ON payments(payee, due);
