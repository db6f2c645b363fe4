-- Version 9 (as ledger/migrations/0009-run-sums.sql): each award's sums
-- kept beside its due date by the run.  PostgreSQL keeps its indexes: the
-- queries read payments by batch and award, which its index by award
-- answers as well, and its run is not bound by their writes.
ALTER TABLE award_index ADD COLUMN sums text COLLATE "C";
