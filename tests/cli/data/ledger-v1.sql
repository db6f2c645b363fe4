-- A version-1 ledger written by phsg before SPEC section 10 (commit f030cf9),
-- by tests/cli/ledger-migration.sh's recipe: two awards, batch 1 voided and
-- paid again by batch 2, batch 3 sent, then batch 2 (older) voided.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
INSERT INTO meta VALUES('scheme_fingerprint','959fb2281a74b4a1');
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
INSERT INTO payees VALUES(1,'P1','Jo Bloggs','bank','401234','12345678',NULL,'2026-11-25T09:56:36.309Z','fixture');
INSERT INTO payees VALUES(2,'P2','Homes & Hope Ltd','bank','309876','87654321',NULL,'2026-11-25T09:56:36.312Z','fixture');
CREATE TABLE awards (
	id         INTEGER PRIMARY KEY,
	ref        TEXT NOT NULL UNIQUE,
	client     TEXT NOT NULL,
	package    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	operator   TEXT NOT NULL
);
INSERT INTO awards VALUES(1,'A000001','V1','long-term-support','2026-11-25T09:56:36.316Z','fixture');
INSERT INTO awards VALUES(2,'A000002','V2','resettlement','2026-11-25T09:56:36.320Z','fixture');
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
INSERT INTO award_events VALUES(1,1,'create','2026-04-13','{"chosen_tier":null,"component_payees":{},"hours":null,"level":null,"method":"direct","needs":{"maintenance":"high"},"package":"long-term-support","payee":"P1","tier":null}','2026-11-25T09:56:36.316Z','fixture');
INSERT INTO award_events VALUES(2,2,'create','2026-04-13','{"chosen_tier":null,"component_payees":{},"hours":null,"level":null,"method":"provider","needs":{"basic":"low","intensive":"low"},"package":"resettlement","payee":"P2","tier":null}','2026-11-25T09:56:36.320Z','fixture');
INSERT INTO award_events VALUES(3,2,'end','2026-05-11','{}','2026-11-25T09:56:36.324Z','fixture');
CREATE TABLE batches (
	id         INTEGER PRIMARY KEY,
	run_date   TEXT NOT NULL,
	created_at TEXT NOT NULL,
	operator   TEXT NOT NULL
);
INSERT INTO batches VALUES(1,'2026-04-13','2026-11-25T09:56:36.328Z','fixture');
INSERT INTO batches VALUES(2,'2026-05-11','2026-11-25T09:56:36.335Z','fixture');
INSERT INTO batches VALUES(3,'2026-06-08','2026-11-25T09:56:36.341Z','fixture');
CREATE TABLE batch_events (
	id          INTEGER PRIMARY KEY,
	batch_id    INTEGER NOT NULL REFERENCES batches(id),
	kind        TEXT NOT NULL CHECK (kind IN ('void', 'sent')),
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL,
	UNIQUE (batch_id, kind)
);
INSERT INTO batch_events VALUES(1,1,'void','2026-11-25T09:56:36.331Z','fixture');
INSERT INTO batch_events VALUES(2,3,'sent','2026-11-25T09:56:36.345Z','fixture');
INSERT INTO batch_events VALUES(3,2,'void','2026-11-25T09:56:36.355Z','fixture');
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
INSERT INTO payments VALUES(1,1,1,'ras','cycle','2026-04-13','2026-05-11','2026-04-13',17120,'P1','direct',NULL,'2026-11-25T09:56:36.328Z','fixture');
INSERT INTO payments VALUES(2,1,2,'ras','cycle','2026-04-13','2026-05-11','2026-04-13',34240,'P2','provider',NULL,'2026-11-25T09:56:36.328Z','fixture');
INSERT INTO payments VALUES(3,1,1,'ras','reversal','2026-04-13','2026-05-11','2026-04-13',-17120,'P1','direct',1,'2026-11-25T09:56:36.331Z','fixture');
INSERT INTO payments VALUES(4,1,2,'ras','reversal','2026-04-13','2026-05-11','2026-04-13',-34240,'P2','provider',2,'2026-11-25T09:56:36.331Z','fixture');
INSERT INTO payments VALUES(5,2,1,'ras','cycle','2026-04-13','2026-05-11','2026-04-13',17120,'P1','direct',NULL,'2026-11-25T09:56:36.335Z','fixture');
INSERT INTO payments VALUES(6,2,1,'ras','cycle','2026-05-11','2026-06-08','2026-05-11',17120,'P1','direct',NULL,'2026-11-25T09:56:36.335Z','fixture');
INSERT INTO payments VALUES(7,2,2,'ras','cycle','2026-04-13','2026-05-11','2026-04-13',34240,'P2','provider',NULL,'2026-11-25T09:56:36.335Z','fixture');
INSERT INTO payments VALUES(8,3,1,'ras','cycle','2026-06-08','2026-07-06','2026-06-08',17120,'P1','direct',NULL,'2026-11-25T09:56:36.341Z','fixture');
INSERT INTO payments VALUES(9,2,1,'ras','reversal','2026-04-13','2026-05-11','2026-04-13',-17120,'P1','direct',5,'2026-11-25T09:56:36.355Z','fixture');
INSERT INTO payments VALUES(10,2,1,'ras','reversal','2026-05-11','2026-06-08','2026-05-11',-17120,'P1','direct',6,'2026-11-25T09:56:36.355Z','fixture');
INSERT INTO payments VALUES(11,2,2,'ras','reversal','2026-04-13','2026-05-11','2026-04-13',-34240,'P2','provider',7,'2026-11-25T09:56:36.355Z','fixture');
CREATE TABLE processed (
	batch_id    INTEGER NOT NULL REFERENCES batches(id),
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	first_cycle INTEGER NOT NULL,
	last_cycle  INTEGER NOT NULL CHECK (last_cycle >= first_cycle)
);
INSERT INTO processed VALUES(1,1,'ras',196,196);
INSERT INTO processed VALUES(1,2,'ras',196,196);
INSERT INTO processed VALUES(2,1,'ras',196,197);
INSERT INTO processed VALUES(2,2,'ras',196,196);
INSERT INTO processed VALUES(3,1,'ras',198,198);
CREATE TABLE recoveries (
	id          INTEGER PRIMARY KEY,
	award_id    INTEGER NOT NULL REFERENCES awards(id),
	component   TEXT NOT NULL,
	amount      INTEGER NOT NULL CHECK (amount > 0),
	received_on TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	operator    TEXT NOT NULL
);
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
CREATE TABLE award_index (
	award_id INTEGER PRIMARY KEY REFERENCES awards(id),
	next_due TEXT,
	dirty    INTEGER NOT NULL DEFAULT 1
);
INSERT INTO award_index VALUES(1,'2026-06-29',1);
INSERT INTO award_index VALUES(2,NULL,1);
CREATE INDEX award_events_award ON award_events(award_id, id);
CREATE INDEX payments_award ON payments(award_id, component);
CREATE INDEX payments_batch ON payments(batch_id);
CREATE INDEX processed_award ON processed(award_id, component);
CREATE INDEX processed_batch ON processed(batch_id);
CREATE INDEX recoveries_award ON recoveries(award_id);
CREATE INDEX contributions_award ON contributions(award_id);
CREATE INDEX award_index_due ON award_index(next_due);
CREATE INDEX award_index_dirty ON award_index(dirty) WHERE dirty = 1;
COMMIT;
PRAGMA user_version = 1;
PRAGMA application_id = 1885893479;
