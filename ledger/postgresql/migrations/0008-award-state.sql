-- Version 8 (as ledger/migrations/0008-award-state.sql): each award as its
-- events last built it, kept beside the run's index.
CREATE TABLE award_states (
	award_id bigint PRIMARY KEY REFERENCES awards(id),
	state    text COLLATE "C" NOT NULL
);
