-- Version 6 (as ledger/migrations/0006-whole-sums.sql): typeof() of a sum.
-- The ledger checks that a sum of amounts is whole by the type SQLite
-- gives the sum; PostgreSQL's sum of a bigint is a numeric, which here
-- never holds anything but a whole number.
CREATE FUNCTION typeof(numeric) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$SELECT CASE WHEN $1 IS NULL THEN 'null' ELSE 'integer' END$$;
