-- Version 11 (as ledger/migrations/0011-batch-writer.sql): a payment a run
-- writes leaves who wrote it and when to its batch.  No row changes.
COMMENT ON COLUMN payments.created_at IS
	'when the row was written; '''' for a payment a run wrote (version 11): its batch''s created_at';
COMMENT ON COLUMN payments.operator IS
	'who wrote the row; '''' for a payment a run wrote (version 11): its batch''s operator';
