-- Version 8 (as ledger/migrations/0008-award-state.sql): each award as its
-- events last built it, kept beside its next due date.
ALTER TABLE award_index ADD COLUMN state text COLLATE "C";
