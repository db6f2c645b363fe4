-- phsg ledger schema for PostgreSQL, version 5.
--
-- The same tables, columns, constraints and indexes as the SQLite ledger
-- at version 5 (ledger/schema.sql with ledger/migrations/0002..0005
-- applied); read the comments there for what each table is.  The ledger is
-- append-only but for award_index (the run's cache) and batches.total.
--
-- How it maps:
-- * Money is bigint pence; ids and other whole numbers bigint (SQLite's
--   INTEGER is 64-bit); the 0/1 flags (dirty, accredited) integer.
-- * Dates are ISO text (YYYY-MM-DD), times UTC ISO 8601 text, as in SQLite.
--   Every text column is COLLATE "C": byte order, so that every list comes
--   out in the same order as from SQLite, whatever the database's locale.
-- * No sequences.  A sequence skips the numbers of a transaction that
--   rolled back, and references (awards, batches, payments) must be
--   gapless (SPEC section 14).  A BEFORE INSERT trigger numbers a row with
--   no id as max(id) + 1, which is safe because every write transaction
--   holds the ledger's exclusive advisory lock (src/lib/ledger_pg.c).
-- * typeof(bigint) stands in for SQLite's typeof(), which the ledger's
--   statements use to find amounts that are not whole numbers; in
--   PostgreSQL a bigint column never holds anything else.
-- * phsg_schema marks the database as a phsg ledger and holds its version
--   (SQLite: PRAGMA application_id and user_version).  Later versions add
--   files under ledger/postgresql/migrations/.

CREATE TABLE phsg_schema (
	application text COLLATE "C" PRIMARY KEY,
	version     integer NOT NULL
);
INSERT INTO phsg_schema (application, version) VALUES ('phsg', 5);

-- SQLite's typeof() for the one type the ledger asks it of.  A plain SQL
-- function, IMMUTABLE and not STRICT, so the planner inlines it.
CREATE FUNCTION typeof(bigint) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$SELECT CASE WHEN $1 IS NULL THEN 'null' ELSE 'integer' END$$;

CREATE TABLE meta (
	key   text COLLATE "C" PRIMARY KEY,
	value text COLLATE "C" NOT NULL
);

CREATE TABLE payees (
	id         bigint PRIMARY KEY,
	ref        text COLLATE "C" NOT NULL UNIQUE,
	name       text COLLATE "C" NOT NULL,
	kind       text COLLATE "C" NOT NULL CHECK (kind IN ('bank', 'card')),
	sort_code  text COLLATE "C" CHECK (sort_code IS NULL OR length(sort_code) = 6),
	account    text COLLATE "C" CHECK (account IS NULL OR length(account) = 8),
	card_id    text COLLATE "C",
	created_at text COLLATE "C" NOT NULL,
	operator   text COLLATE "C" NOT NULL
);

CREATE TABLE awards (
	id         bigint PRIMARY KEY,
	ref        text COLLATE "C" NOT NULL UNIQUE,
	client     text COLLATE "C" NOT NULL,
	package    text COLLATE "C" NOT NULL,
	created_at text COLLATE "C" NOT NULL,
	operator   text COLLATE "C" NOT NULL
);
CREATE INDEX awards_client ON awards(client, package);

CREATE TABLE award_events (
	id          bigint PRIMARY KEY,
	award_id    bigint NOT NULL REFERENCES awards(id),
	kind        text COLLATE "C" NOT NULL CHECK (kind IN ('create', 'extend', 'reassess',
	            'suspend', 'resume', 'end', 'change-payee', 'cancel')),
	effective   text COLLATE "C" NOT NULL,
	data        text COLLATE "C" NOT NULL,
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);
CREATE INDEX award_events_award ON award_events(award_id, id);

CREATE TABLE batches (
	id         bigint PRIMARY KEY,
	run_date   text COLLATE "C" NOT NULL,
	created_at text COLLATE "C" NOT NULL,
	operator   text COLLATE "C" NOT NULL,
	total      bigint
);

CREATE TABLE batch_events (
	id          bigint PRIMARY KEY,
	batch_id    bigint NOT NULL REFERENCES batches(id),
	kind        text COLLATE "C" NOT NULL CHECK (kind IN ('void', 'sent')),
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL,
	UNIQUE (batch_id, kind)
);

CREATE TABLE payments (
	id          bigint PRIMARY KEY,
	batch_id    bigint REFERENCES batches(id),
	award_id    bigint NOT NULL REFERENCES awards(id),
	component   text COLLATE "C" NOT NULL,
	kind        text COLLATE "C" NOT NULL CHECK (kind IN ('cycle', 'adjustment', 'reversal', 'opening')),
	cycle_start text COLLATE "C" NOT NULL,
	cycle_end   text COLLATE "C" NOT NULL,
	due         text COLLATE "C" NOT NULL,
	amount      bigint NOT NULL,
	payee       text COLLATE "C" NOT NULL,
	method      text COLLATE "C" NOT NULL,
	reverses    bigint REFERENCES payments(id),
	created_at  text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);
CREATE INDEX payments_award ON payments(award_id, component);
CREATE INDEX payments_batch ON payments(batch_id);
CREATE UNIQUE INDEX payments_reverses ON payments(reverses) WHERE reverses IS NOT NULL;
CREATE INDEX payments_payee ON payments(payee, due);

CREATE TABLE processed (
	batch_id    bigint REFERENCES batches(id),
	award_id    bigint NOT NULL REFERENCES awards(id),
	component   text COLLATE "C" NOT NULL,
	first_cycle bigint NOT NULL,
	last_cycle  bigint NOT NULL CHECK (last_cycle >= first_cycle)
);
CREATE INDEX processed_award ON processed(award_id, component);

CREATE TABLE recoveries (
	id          bigint PRIMARY KEY,
	award_id    bigint NOT NULL REFERENCES awards(id),
	component   text COLLATE "C" NOT NULL,
	amount      bigint NOT NULL CHECK (amount > 0),
	received_on text COLLATE "C" NOT NULL,
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL,
	payee       text COLLATE "C"
);
CREATE INDEX recoveries_award ON recoveries(award_id);

CREATE TABLE contributions (
	id          bigint PRIMARY KEY,
	batch_id    bigint REFERENCES batches(id),
	award_id    bigint NOT NULL REFERENCES awards(id),
	cycle_start text COLLATE "C" NOT NULL,
	cycle_end   text COLLATE "C" NOT NULL,
	due         text COLLATE "C" NOT NULL,
	amount      bigint NOT NULL,   -- a charge; negative: a charge withdrawn
	reverses    bigint REFERENCES contributions(id),
	created_at  text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);
CREATE INDEX contributions_award ON contributions(award_id);

CREATE TABLE award_index (
	award_id bigint PRIMARY KEY REFERENCES awards(id),
	next_due text COLLATE "C",
	dirty    integer NOT NULL DEFAULT 1
);
CREATE INDEX award_index_due ON award_index(next_due);
CREATE INDEX award_index_dirty ON award_index(dirty) WHERE dirty = 1;

CREATE TABLE returns (
	payment_id  bigint PRIMARY KEY REFERENCES payments(id),
	reversal_id bigint NOT NULL UNIQUE REFERENCES payments(id),
	returned_on text COLLATE "C" NOT NULL,
	reason      text COLLATE "C" NOT NULL,
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);

CREATE TABLE contribution_receipts (
	id          bigint PRIMARY KEY,
	award_id    bigint NOT NULL REFERENCES awards(id),
	kind        text COLLATE "C" NOT NULL CHECK (kind IN ('received', 'refund')),
	amount      bigint NOT NULL CHECK (amount > 0),
	on_date     text COLLATE "C" NOT NULL,
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);
CREATE INDEX contribution_receipts_award ON contribution_receipts(award_id);

CREATE TABLE payee_details (
	id          bigint PRIMARY KEY,
	payee_id    bigint NOT NULL REFERENCES payees(id),
	from_date   text COLLATE "C" NOT NULL,
	kind        text COLLATE "C" NOT NULL CHECK (kind IN ('bank', 'card')),
	sort_code   text COLLATE "C" CHECK (sort_code IS NULL OR length(sort_code) = 6),
	account     text COLLATE "C" CHECK (account IS NULL OR length(account) = 8),
	card_id     text COLLATE "C",
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);
CREATE INDEX payee_details_payee ON payee_details(payee_id, from_date);

CREATE TABLE payee_accreditation (
	id          bigint PRIMARY KEY,
	payee_id    bigint NOT NULL REFERENCES payees(id),
	from_date   text COLLATE "C" NOT NULL,
	accredited  integer NOT NULL CHECK (accredited IN (0, 1)),
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);
CREATE INDEX payee_accreditation_payee ON payee_accreditation(payee_id, from_date);

CREATE TABLE plan_outcomes (
	id          bigint PRIMARY KEY,
	award_id    bigint NOT NULL REFERENCES awards(id),
	number      bigint NOT NULL,
	area        text COLLATE "C" NOT NULL,
	goal        text COLLATE "C" NOT NULL,
	by_date     text COLLATE "C",            -- NULL: ongoing
	measure     text COLLATE "C",
	way         text COLLATE "C",
	provider    text COLLATE "C",
	hours       text COLLATE "C",            -- exact decimal, NULL when none
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL,
	UNIQUE (award_id, number)
);

CREATE TABLE reviews (
	id          bigint PRIMARY KEY,
	award_id    bigint NOT NULL REFERENCES awards(id),
	on_date     text COLLATE "C" NOT NULL,
	note        text COLLATE "C",
	recorded_at text COLLATE "C" NOT NULL,
	operator    text COLLATE "C" NOT NULL
);
CREATE INDEX reviews_award ON reviews(award_id, on_date);

CREATE TABLE review_statuses (
	review_id   bigint NOT NULL REFERENCES reviews(id),
	outcome     bigint NOT NULL,
	status      text COLLATE "C" NOT NULL CHECK (status IN ('achieved', 'partial', 'not-achieved',
	            'not-relevant', 'regressed')),
	PRIMARY KEY (review_id, outcome)
);

-- The id of a row inserted without one: its table's greatest plus one.
-- One trigger function per table, so that each one's query is planned
-- once per session (a generic function's EXECUTE plans it for every row,
-- which doubles the cost of inserting).  A row-level BEFORE trigger's
-- queries see the rows the same statement inserted before it, so
-- INSERT ... SELECT numbers its rows one after another, in the SELECT's
-- order.  The table is named as the ledger's own statements name it, by
-- the search path.
DO $do$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['payees', 'awards', 'award_events', 'batches', 'batch_events',
				 'payments', 'recoveries', 'contributions', 'contribution_receipts',
				 'payee_details', 'payee_accreditation', 'plan_outcomes', 'reviews']
	LOOP
		EXECUTE format($f$
			CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $b$
			BEGIN
				IF NEW.id IS NULL THEN
					SELECT coalesce(max(id), 0) + 1 INTO NEW.id FROM %I;
				END IF;
				RETURN NEW;
			END
			$b$$f$, 'phsg_id_' || t, t);
		EXECUTE format('CREATE TRIGGER phsg_id BEFORE INSERT ON %I FOR EACH ROW EXECUTE FUNCTION %I()',
			       t, 'phsg_id_' || t);
	END LOOP;
END
$do$;
