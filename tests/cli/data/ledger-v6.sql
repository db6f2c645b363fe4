-- A version-6 ledger written by phsg at commit 5965e91 (the release before
-- ledger/migrations/0007-payee-awards.sql), by tests/cli/data/ledger-v6.sh.
-- Beside it, what that phsg printed for it: ledger-v6.*.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO meta VALUES('scheme_fingerprint','a7d075bc32694aac');
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
INSERT INTO payees VALUES(1,'P1','Jo Bloggs','bank','401234','12345678',NULL,'2026-12-06T13:13:15.838Z','fixture');
INSERT INTO payees VALUES(2,'P2','Homes & Hope Ltd','bank','309876','87654321',NULL,'2026-12-06T13:13:15.846Z','fixture');
INSERT INTO payees VALUES(3,'C1','Card Holder','card',NULL,NULL,'5555000011112222','2026-12-06T13:13:15.854Z','fixture');
CREATE TABLE awards (
	id         INTEGER PRIMARY KEY,
	ref        TEXT NOT NULL UNIQUE,
	client     TEXT NOT NULL,
	package    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	operator   TEXT NOT NULL
);
INSERT INTO awards VALUES(1,'A000001','V1','long-term-support','2026-12-06T13:13:15.858Z','fixture');
INSERT INTO awards VALUES(2,'A000002','V2','housing-options','2026-12-06T13:13:15.864Z','fixture');
INSERT INTO awards VALUES(3,'A000003','V3','long-term-support','2026-12-06T13:13:15.871Z','fixture');
CREATE TABLE batches (
	id         INTEGER PRIMARY KEY,
	run_date   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	operator   TEXT NOT NULL
, total INTEGER);
INSERT INTO batches VALUES(1,'2026-04-13','2026-12-06T13:13:15.875Z','fixture',34240);
INSERT INTO batches VALUES(2,'2026-05-11','2026-12-06T13:13:15.886Z','fixture',34240);
INSERT INTO batches VALUES(3,'2026-05-11','2026-12-06T13:13:15.898Z','fixture',34240);
INSERT INTO batches VALUES(4,'2026-06-08','2026-12-06T13:13:15.917Z','fixture',34240);
CREATE TABLE batch_events (
	id          INTEGER PRIMARY KEY,
	batch_id    INTEGER NOT NULL REFERENCES batches(id),
	kind        TEXT NOT NULL CHECK (kind IN ('void', 'sent')),
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL,
	UNIQUE (batch_id, kind)
);
INSERT INTO batch_events VALUES(1,1,'sent','2026-12-06T13:13:15.881Z','fixture');
INSERT INTO batch_events VALUES(2,2,'void','2026-12-06T13:13:15.892Z','fixture');
INSERT INTO batch_events VALUES(3,3,'sent','2026-12-06T13:13:15.903Z','fixture');
INSERT INTO batch_events VALUES(4,4,'sent','2026-12-06T13:13:15.924Z','fixture');
CREATE TABLE recoveries (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	amount      INTEGER NOT NULL CHECK (amount > 0),
	received_on TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
, payee TEXT);
CREATE TABLE award_index (
	award_id INTEGER PRIMARY KEY REFERENCES awards(id),
	next_due TEXT,
	dirty    INTEGER NOT NULL DEFAULT 1
);
INSERT INTO award_index VALUES(1,'2026-06-29',0);
INSERT INTO award_index VALUES(2,'2026-06-29',0);
INSERT INTO award_index VALUES(3,'2026-06-29',0);
CREATE TABLE IF NOT EXISTS "payments" (
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
INSERT INTO payments VALUES(1,1,1,'ras','cycle','2026-04-13','2026-05-11','2026-04-13',17120,'P1','direct',NULL,'2026-12-06T13:13:15.875Z','fixture');
INSERT INTO payments VALUES(2,1,2,'ras','cycle','2026-04-13','2026-05-11','2026-04-13',8560,'P2','provider',NULL,'2026-12-06T13:13:15.875Z','fixture');
INSERT INTO payments VALUES(3,1,3,'ras','cycle','2026-04-13','2026-05-11','2026-04-13',8560,'C1','card',NULL,'2026-12-06T13:13:15.875Z','fixture');
INSERT INTO payments VALUES(4,2,1,'ras','cycle','2026-05-11','2026-06-08','2026-05-11',17120,'P1','direct',NULL,'2026-12-06T13:13:15.886Z','fixture');
INSERT INTO payments VALUES(5,2,2,'ras','cycle','2026-05-11','2026-06-08','2026-05-11',8560,'P2','provider',NULL,'2026-12-06T13:13:15.886Z','fixture');
INSERT INTO payments VALUES(6,2,3,'ras','cycle','2026-05-11','2026-06-08','2026-05-11',8560,'C1','card',NULL,'2026-12-06T13:13:15.886Z','fixture');
INSERT INTO payments VALUES(7,2,1,'ras','reversal','2026-05-11','2026-06-08','2026-05-11',-17120,'P1','direct',4,'2026-12-06T13:13:15.892Z','fixture');
INSERT INTO payments VALUES(8,2,2,'ras','reversal','2026-05-11','2026-06-08','2026-05-11',-8560,'P2','provider',5,'2026-12-06T13:13:15.892Z','fixture');
INSERT INTO payments VALUES(9,2,3,'ras','reversal','2026-05-11','2026-06-08','2026-05-11',-8560,'C1','card',6,'2026-12-06T13:13:15.892Z','fixture');
INSERT INTO payments VALUES(10,3,1,'ras','adjustment','2026-05-11','2026-06-08','2026-05-11',17120,'P1','direct',NULL,'2026-12-06T13:13:15.898Z','fixture');
INSERT INTO payments VALUES(11,3,2,'ras','adjustment','2026-05-11','2026-06-08','2026-05-11',8560,'P2','provider',NULL,'2026-12-06T13:13:15.898Z','fixture');
INSERT INTO payments VALUES(12,3,3,'ras','adjustment','2026-05-11','2026-06-08','2026-05-11',8560,'C1','card',NULL,'2026-12-06T13:13:15.898Z','fixture');
INSERT INTO payments VALUES(13,4,1,'ras','cycle','2026-06-08','2026-07-06','2026-06-08',17120,'P2','provider',NULL,'2026-12-06T13:13:15.917Z','fixture');
INSERT INTO payments VALUES(14,4,2,'ras','cycle','2026-06-08','2026-07-06','2026-06-08',8560,'P2','provider',NULL,'2026-12-06T13:13:15.917Z','fixture');
INSERT INTO payments VALUES(15,4,3,'ras','cycle','2026-06-08','2026-07-06','2026-06-08',8560,'C1','card',NULL,'2026-12-06T13:13:15.917Z','fixture');
CREATE TABLE IF NOT EXISTS "processed" (
	batch_id    INTEGER REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	first_cycle INTEGER NOT NULL,
	last_cycle  INTEGER NOT NULL CHECK (last_cycle >= first_cycle)
);
INSERT INTO processed VALUES(1,1,'ras',196,196);
INSERT INTO processed VALUES(1,2,'ras',196,196);
INSERT INTO processed VALUES(1,3,'ras',196,196);
INSERT INTO processed VALUES(2,1,'ras',197,197);
INSERT INTO processed VALUES(2,2,'ras',197,197);
INSERT INTO processed VALUES(2,3,'ras',197,197);
INSERT INTO processed VALUES(4,1,'ras',198,198);
INSERT INTO processed VALUES(4,2,'ras',198,198);
INSERT INTO processed VALUES(4,3,'ras',198,198);
CREATE TABLE IF NOT EXISTS "contributions" (
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
CREATE TABLE IF NOT EXISTS "award_events" (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	kind        TEXT NOT NULL CHECK (kind IN ('create', 'extend', 'reassess',
	            'suspend', 'resume', 'end', 'change-payee', 'cancel')),
	effective   TEXT NOT NULL,
	data        TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
INSERT INTO award_events VALUES(1,1,'create','2026-04-13','{"chosen_tier":null,"component_payees":{},"hours":null,"level":null,"method":"direct","needs":{"maintenance":"high"},"package":"long-term-support","payee":"P1","tier":null}','2026-12-06T13:13:15.858Z','fixture');
INSERT INTO award_events VALUES(2,2,'create','2026-04-13','{"chosen_tier":null,"component_payees":{},"hours":null,"level":null,"method":"provider","needs":{"basic":"low"},"package":"housing-options","payee":"P2","tier":null}','2026-12-06T13:13:15.864Z','fixture');
INSERT INTO award_events VALUES(3,3,'create','2026-04-13','{"chosen_tier":null,"component_payees":{},"hours":null,"level":null,"method":"card","needs":{"maintenance":"medium"},"package":"long-term-support","payee":"C1","tier":null}','2026-12-06T13:13:15.871Z','fixture');
INSERT INTO award_events VALUES(4,1,'change-payee','2026-06-08','{"method":"provider","payee":"P2"}','2026-12-06T13:13:15.907Z','fixture');
CREATE TABLE returns (
	payment_id  INTEGER PRIMARY KEY REFERENCES payments(id),
	reversal_id INTEGER NOT NULL UNIQUE REFERENCES payments(id),
	returned_on TEXT NOT NULL,
	reason      TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE TABLE contribution_receipts (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	kind        TEXT NOT NULL CHECK (kind IN ('received', 'refund')),
	amount      INTEGER NOT NULL CHECK (amount > 0),
	on_date     TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
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
INSERT INTO payee_details VALUES(1,1,'2026-06-08','bank','409999','99998888',NULL,'2026-12-06T13:13:15.912Z','fixture');
INSERT INTO payee_details VALUES(2,2,'2026-07-06','bank','200000','11110000',NULL,'2026-12-06T13:13:15.927Z','fixture');
CREATE TABLE payee_accreditation (
	id          INTEGER PRIMARY KEY,
	payee_id    INTEGER NOT NULL REFERENCES payees(id),
	from_date   TEXT NOT NULL,
	accredited  INTEGER NOT NULL CHECK (accredited IN (0, 1)),
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE TABLE plan_outcomes (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	number      INTEGER NOT NULL,
	area        TEXT NOT NULL,
	goal        TEXT NOT NULL,
	by_date     TEXT,             -- NULL: ongoing
	measure     TEXT,
	way         TEXT,
	provider    TEXT,
	hours       TEXT,             -- exact decimal, NULL when none
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL,
	UNIQUE (award_id, number)
);
CREATE TABLE reviews (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	on_date     TEXT NOT NULL,
	note        TEXT,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
CREATE TABLE review_statuses (
	review_id   INTEGER NOT NULL REFERENCES reviews(id),
	outcome     INTEGER NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('achieved', 'partial', 'not-achieved',
	            'not-relevant', 'regressed')),
	PRIMARY KEY (review_id, outcome)
);
CREATE INDEX recoveries_award ON recoveries(award_id);
CREATE INDEX award_index_due ON award_index(next_due);
CREATE INDEX award_index_dirty ON award_index(dirty) WHERE dirty = 1;
CREATE INDEX payments_award ON payments(award_id, component);
CREATE INDEX payments_batch ON payments(batch_id);
CREATE UNIQUE INDEX payments_reverses ON payments(reverses) WHERE reverses IS NOT NULL;
CREATE INDEX processed_award ON processed(award_id, component);
CREATE INDEX contributions_award ON contributions(award_id);
CREATE INDEX award_events_award ON award_events(award_id, id);
CREATE INDEX contribution_receipts_award ON contribution_receipts(award_id);
CREATE INDEX awards_client ON awards(client, package);
CREATE INDEX payee_details_payee ON payee_details(payee_id, from_date);
CREATE INDEX payee_accreditation_payee ON payee_accreditation(payee_id, from_date);
CREATE INDEX payments_payee ON payments(payee, due);
CREATE INDEX reviews_award ON reviews(award_id, on_date);
COMMIT;
PRAGMA user_version = 6;
PRAGMA application_id = 1885893479;
