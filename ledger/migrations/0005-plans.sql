-- Version 5: support plans and outcomes (SPEC section 13).
--
-- An award's plan is its outcomes, numbered from 1 within the award
-- (A000001/1); a review records, on a date, the status of some of them.
-- Both are records of what happened, often entered late, and append-only.
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
CREATE INDEX reviews_award ON reviews(award_id, on_date);

CREATE TABLE review_statuses (
	review_id   INTEGER NOT NULL REFERENCES reviews(id),
	outcome     INTEGER NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('achieved', 'partial', 'not-achieved',
	            'not-relevant', 'regressed')),
	PRIMARY KEY (review_id, outcome)
);
