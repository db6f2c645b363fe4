-- Version 11 (as ledger/migrations/0011-run-writes.sql): a payment a run
-- writes leaves who wrote it and when to its batch (no row changes), and
-- the run's index loses its index by due date; an idle run reads meta
-- 'due_from', which each run notes.
COMMENT ON COLUMN payments.created_at IS
	'when the row was written; '''' for a payment a run wrote (version 11): its batch''s created_at';
COMMENT ON COLUMN payments.operator IS
	'who wrote the row; '''' for a payment a run wrote (version 11): its batch''s operator';
DROP INDEX award_index_due;
