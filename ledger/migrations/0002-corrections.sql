-- Version 2: corrections a finance team can trust (SPEC section 10).
--
-- * A batch holds only payments.  Cycles a run processed with nothing to
--   pay, and a person's contribution charges, are recorded without one
--   (batch_id NULL), so a run that pays nothing makes no batch.
-- * Processed marks no longer depend on their batch: voiding a batch makes
--   its payments stop counting as paid, and the next run pays what is owed
--   by the payment rule.  (Marks of batches voided before version 2 stay;
--   their cycles were processed again by the runs that followed, and a
--   cycle marked twice is the same as one marked once.)
-- * An event can be cancelled by a later `cancel` event.
-- * A payment returned by the bank is reversed by a row in `payments`
--   (kind 'reversal', due on the return date) and explained in `returns`.
-- * Recoveries received name the payee they came from.
-- * People's contributions are received and refunded.
-- * Payments may be `opening` postings (SPEC section 11), outside any batch.
--
-- SQLite cannot relax NOT NULL or change a CHECK in place: those tables are
-- rebuilt.  Migrations run before foreign keys are enabled.

CREATE TABLE payments_v2 (
	id          INTEGER PRIMARY KEY,
	batch_id    INTEGER REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('cycle', 'adjustment', 'reversal', 'opening')),
	cycle_start TEXT NOT NULL,
	cycle_end   TEXT NOT NULL,
	due         TEXT NOT NULL,
	amount      INTEGER NOT NULL,
	payee       TEXT NOT NULL,
	method      TEXT NOT NULL,
	reverses    INTEGER REFERENCES payments(id),
	created_at  TEXT NOT NULL,
	operator    TEXT NOT NULL
);
INSERT INTO payments_v2 (id, batch_id, award_id, component, kind, cycle_start, cycle_end, due,
	amount, payee, method, reverses, created_at, operator)
	SELECT id, batch_id, award_id, component, kind, cycle_start, cycle_end, due,
	amount, payee, method, reverses, created_at, operator FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v2 RENAME TO payments;
CREATE INDEX payments_award ON payments(award_id, component);
CREATE INDEX payments_batch ON payments(batch_id);
CREATE UNIQUE INDEX payments_reverses ON payments(reverses) WHERE reverses IS NOT NULL;

CREATE TABLE processed_v2 (
	batch_id    INTEGER REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	first_cycle INTEGER NOT NULL,
	last_cycle  INTEGER NOT NULL CHECK (last_cycle >= first_cycle)
);
INSERT INTO processed_v2 (batch_id, award_id, component, first_cycle, last_cycle)
	SELECT batch_id, award_id, component, first_cycle, last_cycle FROM processed;
DROP TABLE processed;
ALTER TABLE processed_v2 RENAME TO processed;
CREATE INDEX processed_award ON processed(award_id, component);

CREATE TABLE contributions_v2 (
	id          INTEGER PRIMARY KEY,
	batch_id    INTEGER REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	cycle_start TEXT NOT NULL,
	cycle_end   TEXT NOT NULL,
	due         TEXT NOT NULL,
	amount      INTEGER NOT NULL,   -- a charge; negative: a charge withdrawn
	reverses    INTEGER REFERENCES contributions(id),
	created_at  TEXT NOT NULL,
	operator    TEXT NOT NULL
);
INSERT INTO contributions_v2 (id, batch_id, award_id, cycle_start, cycle_end, due, amount,
	reverses, created_at, operator)
	SELECT id, batch_id, award_id, cycle_start, cycle_end, due, amount,
	reverses, created_at, operator FROM contributions;
DROP TABLE contributions;
ALTER TABLE contributions_v2 RENAME TO contributions;
CREATE INDEX contributions_award ON contributions(award_id);

CREATE TABLE award_events_v2 (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	kind        TEXT NOT NULL CHECK (kind IN ('create', 'extend', 'reassess',
	            'suspend', 'resume', 'end', 'change-payee', 'cancel')),
	effective   TEXT NOT NULL,
	data        TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
INSERT INTO award_events_v2 (id, award_id, kind, effective, data, recorded_at, operator)
	SELECT id, award_id, kind, effective, data, recorded_at, operator FROM award_events;
DROP TABLE award_events;
ALTER TABLE award_events_v2 RENAME TO award_events;
CREATE INDEX award_events_award ON award_events(award_id, id);

-- Payments the bank returned after their batch was sent.
CREATE TABLE returns (
	payment_id  INTEGER PRIMARY KEY REFERENCES payments(id),
	reversal_id INTEGER NOT NULL UNIQUE REFERENCES payments(id),
	returned_on TEXT NOT NULL,
	reason      TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);

ALTER TABLE recoveries ADD COLUMN payee TEXT;
UPDATE recoveries SET payee = (SELECT p.payee FROM payments p
	WHERE p.award_id = recoveries.award_id AND p.component = recoveries.component
	ORDER BY p.due DESC, p.id DESC LIMIT 1);

-- A person's contributions received, and refunds of what they overpaid.
CREATE TABLE contribution_receipts (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	kind        TEXT NOT NULL CHECK (kind IN ('received', 'refund')),
	amount      INTEGER NOT NULL CHECK (amount > 0),
	on_date     TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE INDEX contribution_receipts_award ON contribution_receipts(award_id);

-- A client's awards of a package, to refuse a duplicate made by accident.
CREATE INDEX awards_client ON awards(client, package);
