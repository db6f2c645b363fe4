-- phsg ledger schema, version 1.
--
-- The ledger is append-only: rows in these tables are inserted and never
-- updated or deleted, with one exception, award_index, which is a cache the
-- payment run keeps so that its work grows with what is due, not with the
-- ledger's history (it can be rebuilt from the rest at any time).  A
-- mistake is corrected by a new, reversing row.
--
-- Money is stored as whole pence (INTEGER): every stored amount is a figure
-- that has already been rounded, once, by the scheme's rule.  Dates are ISO
-- text (YYYY-MM-DD); times are UTC ISO 8601 text.
--
-- Later versions add files under ledger/migrations/; PRAGMA user_version
-- holds the version and PRAGMA application_id marks the file as a phsg
-- ledger (0x70687367, "phsg").

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE payees (
	id         INTEGER PRIMARY KEY,
	ref        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('bank', 'card')),
	sort_code  TEXT CHECK (sort_code IS NULL OR length(sort_code) = 6),
	account    TEXT CHECK (account IS NULL OR length(account) = 8),
	card_id    TEXT,
	created_at TEXT NOT NULL,
	operator   TEXT NOT NULL
);

CREATE TABLE awards (
	id         INTEGER PRIMARY KEY,
	ref        TEXT NOT NULL UNIQUE,
	client     TEXT NOT NULL,
	package    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	operator   TEXT NOT NULL
);

-- Every change to an award, in the order it was recorded.  `data` is a
-- JSON object with the event's settings (needs, tier, months, payee ...).
CREATE TABLE award_events (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	kind        TEXT NOT NULL CHECK (kind IN ('create', 'extend', 'reassess',
	            'suspend', 'resume', 'end', 'change-payee')),
	effective   TEXT NOT NULL,
	data        TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE INDEX award_events_award ON award_events(award_id, id);

CREATE TABLE batches (
	id         INTEGER PRIMARY KEY,
	run_date   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	operator   TEXT NOT NULL
);

-- A batch is voided or marked as sent to the bank by a row here.
CREATE TABLE batch_events (
	id          INTEGER PRIMARY KEY,
	batch_id    INTEGER NOT NULL REFERENCES batches(id),
	kind        TEXT NOT NULL CHECK (kind IN ('void', 'sent')),
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL,
	UNIQUE (batch_id, kind)
);

-- Payments posted by runs, and the reversals that voiding writes.
CREATE TABLE payments (
	id          INTEGER PRIMARY KEY,
	batch_id    INTEGER NOT NULL REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('cycle', 'adjustment', 'reversal')),
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
CREATE INDEX payments_award ON payments(award_id, component);
CREATE INDEX payments_batch ON payments(batch_id);

-- Cycles a run has processed (step 1 of the payment rule), also when it
-- posted nothing for them, as ranges of consecutive cycle numbers (cycle k
-- is [anchor + 28k, anchor + 28(k+1))).  Marks of a voided batch no longer
-- count.
CREATE TABLE processed (
	batch_id    INTEGER NOT NULL REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	first_cycle INTEGER NOT NULL,
	last_cycle  INTEGER NOT NULL CHECK (last_cycle >= first_cycle)
);
CREATE INDEX processed_award ON processed(award_id, component);
CREATE INDEX processed_batch ON processed(batch_id);

-- Money received back from a payee, split over the award's components.
CREATE TABLE recoveries (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	amount      INTEGER NOT NULL CHECK (amount > 0),
	received_on TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE INDEX recoveries_award ON recoveries(award_id);

-- A person's own contribution (a tier above the assessed one), charged to
-- the person per cycle, never paid from the grant.
CREATE TABLE contributions (
	id          INTEGER PRIMARY KEY,
	batch_id    INTEGER NOT NULL REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	cycle_start TEXT NOT NULL,
	cycle_end   TEXT NOT NULL,
	due         TEXT NOT NULL,
	amount      INTEGER NOT NULL,
	reverses    INTEGER REFERENCES contributions(id),
	created_at  TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE INDEX contributions_award ON contributions(award_id);

-- The run's cache: when each award next has something due, and whether an
-- event since the last run may have changed what it is owed.
CREATE TABLE award_index (
	award_id INTEGER PRIMARY KEY REFERENCES awards(id),
	next_due TEXT,
	dirty    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX award_index_due ON award_index(next_due);
CREATE INDEX award_index_dirty ON award_index(dirty) WHERE dirty = 1;
