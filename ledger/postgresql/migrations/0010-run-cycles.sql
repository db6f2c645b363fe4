-- Version 10 (as ledger/migrations/0010-run-cycles.sql): each award's
-- processed cycles kept beside its sums by the run.
ALTER TABLE award_index ADD COLUMN cycles text COLLATE "C";
