/*
 * Unit tests for the PostgreSQL backend (ledger_pg.c), driven through its
 * operations as ledger.c drives them, against a throwaway cluster:
 *
 *	tools/pgtest run build/asan/tests/test_ledger_pg    (make pg-unit)
 *
 * tools/pgtest exports PHSG_PGHOST (the cluster's socket folder) and
 * PHSG_PGUSER; without them the test says it skipped and passes, so that
 * `make unit` runs everywhere.  Each test works in a fresh database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include "phsg/error.h"
#include "phsg/ledger.h"
#include "phsg/sys/ledger_backend.h"

#define NOW "2025-01-31T12:00:00.000Z"

static const char *host, *user;

/* step() and say the backend's message when it is not what was wanted */
#define STEP(b, s, want) \
	do { \
		int r_ = (b)->step(s); \
		if (r_ != (want)) \
			fail_msg("step gave %d, not %d: %s", r_, (int)(want), phsg_error_last()); \
	} while (0)

/* A statement number for each statement a test prepares (the backend caches by number). */
enum { Q_PAYEE_ADD, Q_PAYEE_GET, Q_BATCH_ADD, Q_AWARD_ADD, Q_PAY_ADD, Q_PAY_IDS, Q_VOID,
       Q_SPARSE, Q_PROCESSED_ADD, Q_SUMS, Q_VERSION, Q_COUNT_PAYEES, Q_V_AMOUNTS, Q_META_SET, Q_NULL_IN_TX,
       Q_REFS, Q_TYPEOF, Q_PAYEES_MANY, Q_PAYEES_RENAME, Q_ACCREDIT_MANY,
       Q_COMMENTED, Q_UNCLOSED };

static const char *const sql_payee_add =
	"INSERT INTO payees(ref, name, kind, sort_code, account, card_id, created_at, operator)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?20, ?7) RETURNING id";
static const char *const sql_payee_get =
	"SELECT id, ref, name, sort_code, card_id, created_at FROM payees WHERE ref = ?1";
static const char *const sql_batch_add =
	"INSERT INTO batches(run_date, created_at, operator) VALUES (?1, ?20, ?2) RETURNING id";

static PGconn *admin(const char *db)
{
	const char *keys[] = { "host", "user", "dbname", NULL };
	const char *values[] = { host, user, db, NULL };
	PGconn *c = PQconnectdbParams(keys, values, 0);

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot connect to the test cluster: %s", PQerrorMessage(c));
	return c;
}

static void admin_exec(const char *db, const char *sql)
{
	PGconn *c = admin(db);
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static long long admin_value(const char *db, const char *sql)
{
	PGconn *c = admin(db);
	PGresult *r = PQexec(c, sql);
	long long v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return v;
}

/* A fresh, empty database; its name in db, its phsg URI in uri. */
static void new_db(char *db, size_t n_db, char *uri, size_t n_uri)
{
	static int counter;
	char sql[128];

	snprintf(db, n_db, "phsg_unit_%ld_%d", (long)getpid(), ++counter);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	admin_exec("postgres", sql);
	snprintf(uri, n_uri, "postgresql:///%s?host=%s&user=%s", db, host, user);
}

static phsg_ledger_backend *open_ok(const char *uri, int mode)
{
	phsg_ledger_backend *b = NULL;
	int rc = phsg_ledger_postgresql_open(&b, uri, mode);

	if (rc != 0)
		fail_msg("opening %s: %d %s", uri, rc, phsg_error_last());
	assert_non_null(b);
	return b;
}

/* Run a statement that returns one integer. */
static int64_t one_int(phsg_ledger_backend *b, int which, const char *sql)
{
	phsg_ledger_stmt *s = b->prepare(b, which, sql);
	int64_t v;

	assert_non_null(s);
	STEP(b, s, 1);
	assert_int_equal(b->column_type(s, 0), PHSG_COL_INT);
	v = b->column_int(s, 0);
	STEP(b, s, 0);
	return v;
}

static int64_t payee_add(phsg_ledger_backend *b, const char *ref)
{
	phsg_ledger_stmt *s = b->prepare(b, Q_PAYEE_ADD, sql_payee_add);
	int rc;

	assert_non_null(s);
	b->bind_text(s, 1, ref);
	b->bind_text(s, 2, "Flat Co-op");
	b->bind_text(s, 3, "bank");
	b->bind_text(s, 4, "112233");
	b->bind_text(s, 5, "12345678");
	b->bind_text(s, 6, NULL);
	b->bind_text(s, 7, "tester");
	b->bind_text(s, 20, NOW);
	rc = b->step(s);
	if (rc != 1)
		return rc < 0 ? rc : -100;
	int64_t id = b->column_int(s, 0);
	STEP(b, s, 0);
	return id;
}

static int64_t batch_add(phsg_ledger_backend *b)
{
	phsg_ledger_stmt *s = b->prepare(b, Q_BATCH_ADD, sql_batch_add);

	assert_non_null(s);
	b->bind_text(s, 1, "2025-01-31");
	b->bind_text(s, 2, "tester");
	b->bind_text(s, 20, NOW);
	STEP(b, s, 1);
	return b->column_int(s, 0);
}

static void test_create_and_reopen(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	assert_int_equal(b->version, PHSG_LEDGER_BACKEND_VERSION);
	assert_string_equal(b->name, "postgresql");
	assert_string_equal(b->where, uri);
	assert_int_equal(b->created, 1);
	assert_int_equal(b->readonly, 0);
	assert_int_equal(one_int(b, Q_VERSION, "SELECT version FROM phsg_schema WHERE application = 'phsg'"),
			 PHSG_LEDGER_VERSION);
	b->free(b, 0);

	/* the schema stays; opening it again makes nothing */
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	assert_int_equal(b->created, 0);
	b->free(b, 0);
	b = open_ok(uri, PHSG_LEDGER_WRITE);
	assert_int_equal(b->created, 0);
	assert_int_equal(b->readonly, 0);
	b->free(b, 0);
}

/*
 * A SELECT's rows come one at a time (single-row mode).  Another statement
 * run between them reads the rest ahead, and the walk goes on where it
 * was; a walk reset partway leaves the connection free for the next.
 */
static void test_streamed_rows(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b;
	phsg_ledger_stmt *walk, *s;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	assert_int_equal(b->begin(b, 1000), 0);
	for (int i = 1; i <= 4; i++) {
		char ref[8];
		snprintf(ref, sizeof(ref), "P%03d", i);
		assert_int_equal(payee_add(b, ref), i);
	}
	assert_int_equal(b->commit(b), 0);

	walk = b->prepare(b, Q_REFS, "SELECT ref FROM payees ORDER BY ref");
	STEP(b, walk, 1);
	assert_string_equal(b->column_text(walk, 0), "P001");
	/* another statement between two rows */
	s = b->prepare(b, Q_PAYEE_GET, sql_payee_get);
	b->bind_text(s, 1, "P004");
	STEP(b, s, 1);
	assert_int_equal(b->column_int(s, 0), 4);
	STEP(b, s, 0);
	STEP(b, walk, 1);
	assert_string_equal(b->column_text(walk, 0), "P002");
	/* a transaction begun between two rows */
	assert_int_equal(b->begin(b, 1000), 0);
	assert_int_equal(payee_add(b, "P005"), 5);
	assert_int_equal(b->commit(b), 0);
	STEP(b, walk, 1);
	assert_string_equal(b->column_text(walk, 0), "P003");
	STEP(b, walk, 1);
	assert_string_equal(b->column_text(walk, 0), "P004");
	STEP(b, walk, 0);
	STEP(b, walk, 0);

	/* walked again, reset after one row: the connection is free, the rows all there */
	walk = b->prepare(b, Q_REFS, "SELECT ref FROM payees ORDER BY ref");
	STEP(b, walk, 1);
	b->reset(walk);
	assert_null(b->column_text(walk, 0));
	s = b->prepare(b, Q_PAYEE_GET, sql_payee_get);
	b->bind_text(s, 1, "P005");
	STEP(b, s, 1);
	assert_int_equal(b->column_int(s, 0), 5);
	walk = b->prepare(b, Q_REFS, "SELECT ref FROM payees ORDER BY ref");
	for (int i = 1; i <= 5; i++) {
		char ref[8];
		snprintf(ref, sizeof(ref), "P%03d", i);
		STEP(b, walk, 1);
		assert_string_equal(b->column_text(walk, 0), ref);
	}
	STEP(b, walk, 0);
	b->free(b, 0);
}

static void test_statements(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b;
	phsg_ledger_stmt *s;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	assert_int_equal(b->begin(b, 1000), 0);
	assert_int_equal(payee_add(b, "P001"), 1);
	assert_int_equal(payee_add(b, "P002"), 2);
	assert_int_equal(b->commit(b), 0);

	/* a -- comment ends at its line: the statement goes on after it */
	s = b->prepare(b, Q_COMMENTED, "SELECT count(*) -- the payees\n + ?1 FROM payees");
	assert_non_null(s);
	b->bind_int(s, 1, 40);
	STEP(b, s, 1);
	assert_int_equal(b->column_int(s, 0), 42);
	STEP(b, s, 0);

	/* a quote left open is refused before the server sees it */
	assert_null(b->prepare(b, Q_UNCLOSED, "SELECT 'abc FROM payees"));
	assert_string_equal(phsg_error_last(), "a statement has a quote that is not closed");

	/* read back, outside a transaction (autocommit) */
	s = b->prepare(b, Q_PAYEE_GET, sql_payee_get);
	assert_non_null(s);
	b->bind_text(s, 1, "P002");
	STEP(b, s, 1);
	assert_int_equal(b->column_type(s, 0), PHSG_COL_INT);
	assert_int_equal(b->column_int(s, 0), 2);
	assert_int_equal(b->column_type(s, 1), PHSG_COL_TEXT);
	assert_string_equal(b->column_text(s, 1), "P002");
	assert_string_equal(b->column_text(s, 2), "Flat Co-op");
	assert_string_equal(b->column_text(s, 3), "112233");
	assert_int_equal(b->column_type(s, 4), PHSG_COL_NULL);
	assert_null(b->column_text(s, 4));
	assert_string_equal(b->column_text(s, 5), NOW);
	STEP(b, s, 0);
	STEP(b, s, 0);

	/* prepared again: reset, with nothing bound (?1 NULL matches nothing) */
	s = b->prepare(b, Q_PAYEE_GET, sql_payee_get);
	STEP(b, s, 0);
	s = b->prepare(b, Q_PAYEE_GET, sql_payee_get);
	b->bind_text(s, 1, "P001");
	STEP(b, s, 1);
	b->reset(s);
	assert_null(b->column_text(s, 1));

	/*
	 * Numbers the text does not use (?2, ?20 here), a ?N inside a literal
	 * (left alone), an int and a text in one statement.
	 */
	s = b->prepare(b, Q_SPARSE, "SELECT '?1 and ''?3''', ?1 + 1, ?3 || '!', ref = 'P001'"
		       " FROM payees WHERE ?4 IS NULL OR ref = ?4 ORDER BY ref");
	assert_non_null(s);
	b->bind_int(s, 1, INT64_C(5000000000));
	b->bind_text(s, 2, "never used");
	b->bind_text(s, 3, "text");
	b->bind_text(s, 20, NOW);
	STEP(b, s, 1);
	assert_string_equal(b->column_text(s, 0), "?1 and '?3'");
	assert_int_equal(b->column_int(s, 1), INT64_C(5000000001));
	assert_string_equal(b->column_text(s, 2), "text!");
	assert_int_equal(b->column_type(s, 3), PHSG_COL_INT); /* a boolean, as 1 or 0 */
	assert_int_equal(b->column_int(s, 3), 1);
	STEP(b, s, 1);
	assert_int_equal(b->column_int(s, 3), 0);
	STEP(b, s, 0);
	/* again with ?4: prepared anew now that it has a value; NULL fits that */
	for (int i = 0; i < 2; i++) {
		s = b->prepare(b, Q_SPARSE, "SELECT '?1 and ''?3''', ?1 + 1, ?3 || '!', ref = 'P001'"
			       " FROM payees WHERE ?4 IS NULL OR ref = ?4 ORDER BY ref");
		b->bind_int(s, 1, 1);
		b->bind_text(s, 3, "x");
		b->bind_text(s, 4, i ? NULL : "P002");
		STEP(b, s, 1);
		assert_string_equal(b->column_text(s, 2), "x!");
		assert_int_equal(b->column_int(s, 3), i);
		if (i)
			STEP(b, s, 1);
		STEP(b, s, 0);
	}

	/*
	 * The same, first met inside a transaction (the server's refusal to
	 * guess must not spoil it), after a character of two bytes (the
	 * server points at the parameter in characters).
	 */
	assert_int_equal(b->begin(b, 1000), 0);
	s = b->prepare(b, Q_NULL_IN_TX, "SELECT '\xc3\xa9', count(*) FROM payees WHERE ?1 IS NULL OR ref = ?1");
	STEP(b, s, 1);
	assert_string_equal(b->column_text(s, 0), "\xc3\xa9");
	assert_int_equal(b->column_int(s, 1), 2);
	assert_int_equal(payee_add(b, "P003"), 3);
	assert_int_equal(b->commit(b), 0);

	/*
	 * A NULL into a bigint column (a charge in no batch), then a value into
	 * the same statement: the server takes the NULL's type from the column.
	 */
	assert_int_equal(b->begin(b, 1000), 0);
	s = b->prepare(b, Q_AWARD_ADD, "INSERT INTO awards(ref, client, package, created_at, operator)"
		       " VALUES (?1, ?2, ?3, ?20, ?4) RETURNING id");
	b->bind_text(s, 1, "A000001");
	b->bind_text(s, 2, "C1");
	b->bind_text(s, 3, "home");
	b->bind_text(s, 4, "tester");
	b->bind_text(s, 20, NOW);
	STEP(b, s, 1);
	assert_int_equal(b->column_int(s, 0), 1);
	assert_int_equal(batch_add(b), 1);
	static const char *const processed_add = "INSERT INTO processed(batch_id, award_id, component,"
		" first_cycle, last_cycle) VALUES (?1, ?2, ?3, ?4, ?5)";
	for (int i = 0; i < 3; i++) {
		s = b->prepare(b, Q_PROCESSED_ADD, processed_add);
		if (i == 1)
			b->bind_int(s, 1, 1);
		else if (i == 2)
			b->bind_text(s, 1, NULL);
		/* i == 0: ?1 not bound at all */
		b->bind_int(s, 2, 1);
		b->bind_text(s, 3, "rent");
		b->bind_int(s, 4, i);
		b->bind_int(s, 5, i + 1);
		STEP(b, s, 0);
	}
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM processed WHERE batch_id IS NULL"), 2);

	/* sum() of bigint is numeric: still an integer column */
	s = b->prepare(b, Q_SUMS, "SELECT sum(last_cycle), count(*), max(component) FROM processed");
	STEP(b, s, 1);
	assert_int_equal(b->column_type(s, 0), PHSG_COL_INT);
	assert_int_equal(b->column_int(s, 0), 6);
	assert_int_equal(b->column_int(s, 1), 3);
	assert_int_equal(b->column_type(s, 2), PHSG_COL_TEXT);
	STEP(b, s, 0);

	/* SQLite's typeof() and the upsert the ledger's statements use */
	s = b->prepare(b, Q_V_AMOUNTS, "SELECT count(*) FILTER (WHERE typeof(amount) <> 'integer'),"
		       " count(*) FROM payments");
	STEP(b, s, 1);
	assert_int_equal(b->column_int(s, 0), 0);
	assert_int_equal(b->begin(b, 1000), 0);
	for (int i = 0; i < 2; i++) {
		s = b->prepare(b, Q_META_SET, "INSERT INTO meta(key, value) VALUES (?1, ?2)"
			       " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
		b->bind_text(s, 1, "scheme");
		b->bind_text(s, 2, i ? "second" : "first");
		STEP(b, s, 0);
	}
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM meta WHERE value = 'second'"), 1);

	/* exec: a script */
	assert_int_equal(b->exec(b, "CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2)"), 0);
	assert_int_equal(b->exec(b, "SELECT nonsense FROM nowhere"), PHSG_ELEDGER);
	assert_non_null(strstr(phsg_error_last(), "nowhere"));
	b->free(b, 0);
}

static void test_gapless_ids(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b;
	phsg_ledger_stmt *s;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);

	/* a batch numbered in a transaction that rolled back leaves no gap */
	assert_int_equal(b->begin(b, 1000), 0);
	assert_int_equal(batch_add(b), 1);
	assert_int_equal(batch_add(b), 2);
	b->rollback(b);
	assert_int_equal(b->begin(b, 1000), 0);
	assert_int_equal(batch_add(b), 1);

	/* INSERT ... SELECT numbers its rows one after another, in order */
	s = b->prepare(b, Q_AWARD_ADD, "INSERT INTO awards(ref, client, package, created_at, operator)"
		       " VALUES (?1, ?2, ?3, ?20, ?4) RETURNING id");
	b->bind_text(s, 1, "A000001");
	b->bind_text(s, 2, "C1");
	b->bind_text(s, 3, "home");
	b->bind_text(s, 4, "tester");
	b->bind_text(s, 20, NOW);
	STEP(b, s, 1);
	for (int i = 0; i < 4; i++) {
		s = b->prepare(b, Q_PAY_ADD, "INSERT INTO payments(batch_id, award_id, component, kind,"
			       " cycle_start, cycle_end, due, amount, payee, method, created_at, operator)"
			       " VALUES (?1, 1, 'rent', 'cycle', ?2, ?2, ?2, ?3, 'P001', 'bacs', ?20, 'tester')"
			       " RETURNING id");
		b->bind_int(s, 1, 1);
		b->bind_text(s, 2, "2025-01-01");
		b->bind_int(s, 3, 1000 + i);
		b->bind_text(s, 20, NOW);
		STEP(b, s, 1);
		assert_int_equal(b->column_int(s, 0), i + 1);
	}
	s = b->prepare(b, Q_VOID, "INSERT INTO payments(batch_id, award_id, component, kind, cycle_start,"
		       " cycle_end, due, amount, payee, method, reverses, created_at, operator)"
		       " SELECT batch_id, award_id, component, 'reversal', cycle_start, cycle_end, due,"
		       " -amount, payee, method, id, ?20, ?2 FROM payments"
		       " WHERE batch_id = ?1 AND kind <> 'reversal' ORDER BY id DESC RETURNING id, reverses");
	b->bind_int(s, 1, 1);
	b->bind_text(s, 2, "tester");
	b->bind_text(s, 20, NOW);
	for (int i = 0; i < 4; i++) {
		STEP(b, s, 1);
		assert_int_equal(b->column_int(s, 0), 5 + i);
		assert_int_equal(b->column_int(s, 1), 4 - i); /* in the SELECT's order */
	}
	STEP(b, s, 0);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM payments WHERE amount = -1003"
				     " AND id = 5 AND reverses = 4"), 1);
	b->free(b, 0);
}

static void test_constraint(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	assert_int_equal(b->begin(b, 1000), 0);
	assert_int_equal(payee_add(b, "P001"), 1);
	/* a duplicate reference, then a broken CHECK: PHSG_EINVAL, the server's words */
	assert_int_equal(payee_add(b, "P001"), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "duplicate key"));
	b->rollback(b);
	assert_int_equal(b->begin(b, 1000), 0);
	phsg_ledger_stmt *s = b->prepare(b, Q_BATCH_ADD, sql_batch_add);
	b->bind_text(s, 1, "2025-01-31");
	/* operator (?2) left NULL: NOT NULL */
	b->bind_text(s, 20, NOW);
	STEP(b, s, PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "operator"));
	/* a transaction with a failed command never commits */
	assert_int_equal(b->commit(b), PHSG_ELEDGER);
	assert_int_equal(b->begin(b, 1000), 0);
	assert_int_equal(payee_add(b, "P002"), 1);  /* the first P001 rolled back: id 1 again */
	assert_int_equal(b->commit(b), 0);
	b->free(b, 0);
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void test_busy(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *a, *b;
	int64_t t0, waited;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	a = open_ok(uri, PHSG_LEDGER_CREATE);
	b = open_ok(uri, PHSG_LEDGER_WRITE);
	assert_int_equal(a->begin(a, 0), 0);
	assert_int_equal(payee_add(a, "P001"), 1);

	/* a current ledger is opened without the writers' lock: at once, to write or to read */
	t0 = now_ms();
	phsg_ledger_backend *c = open_ok(uri, PHSG_LEDGER_WRITE), *r = open_ok(uri, PHSG_LEDGER_READONLY);
	assert_true(now_ms() - t0 < 1000);
	c->free(c, 0);
	r->free(r, 0);

	t0 = now_ms();
	assert_int_equal(b->begin(b, 200), PHSG_LEDGER_BUSY);
	waited = now_ms() - t0;
	assert_true(waited >= 200);
	assert_true(waited < 2000);
	/* the busy writer is left outside any transaction: it may read */
	phsg_ledger_stmt *s = b->prepare(b, Q_COUNT_PAYEES, "SELECT count(*) FROM payees");
	STEP(b, s, 1);
	assert_int_equal(b->column_int(s, 0), 0);
	b->reset(s);
	assert_int_equal(b->begin(b, 0), PHSG_LEDGER_BUSY);

	/* once the first commits, the second gets the lock and sees its rows */
	assert_int_equal(a->commit(a), 0);
	assert_int_equal(b->begin(b, 200), 0);
	assert_int_equal(payee_add(b, "P002"), 2);
	assert_int_equal(a->begin(a, 0), PHSG_LEDGER_BUSY);
	b->rollback(b);
	assert_int_equal(a->begin(a, 0), 0);
	a->rollback(a);
	a->free(a, 0);
	b->free(b, 0);
}

static void test_discard(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b = NULL;
	(void)state;

	/* a ledger made and never written to is dropped whole: no table, no function left */
	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	assert_int_equal(b->created, 1);
	b->free(b, 1);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
				     " ON n.oid = c.relnamespace WHERE n.nspname = 'public'"), 0);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
				     " ON n.oid = p.pronamespace WHERE n.nspname = 'public'"), 0);
	b = NULL;
	assert_int_equal(phsg_ledger_postgresql_open(&b, uri, PHSG_LEDGER_WRITE), PHSG_ELEDGER);
	assert_null(b);
	char want[400];
	snprintf(want, sizeof(want), "there is no ledger at '%s' (", uri);
	assert_memory_equal(phsg_error_last(), want, strlen(want));
	assert_int_equal(phsg_ledger_postgresql_open(&b, uri, PHSG_LEDGER_READONLY), PHSG_ELEDGER);

	/* one that another process wrote to meanwhile stays */
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	assert_int_equal(b->created, 1);
	phsg_ledger_backend *other = open_ok(uri, PHSG_LEDGER_WRITE);
	assert_int_equal(other->begin(other, 1000), 0);
	assert_int_equal(payee_add(other, "P001"), 1);
	assert_int_equal(other->commit(other), 0);
	other->free(other, 0);
	b->free(b, 1);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM payees"), 1);
}

static void test_refusals(void **state)
{
	char db[64], uri[256], buf[400];
	phsg_ledger_backend *b = NULL;
	(void)state;

	/* a password in the URI, either way, and it is never repeated */
	assert_int_equal(phsg_ledger_postgresql_open(&b, "postgresql://me:s3cret@localhost/ledger",
						     PHSG_LEDGER_WRITE), PHSG_ELEDGER);
	assert_null(b);
	assert_non_null(strstr(phsg_error_last(), "~/.pgpass"));
	assert_null(strstr(phsg_error_last(), "s3cret"));
	assert_int_equal(phsg_ledger_postgresql_open(&b, "postgres:///ledger?password=s3cret",
						     PHSG_LEDGER_CREATE), PHSG_ELEDGER);
	assert_null(strstr(phsg_error_last(), "s3cret"));
	assert_int_equal(phsg_ledger_postgresql_open(&b, "mysql://x/y", PHSG_LEDGER_WRITE), PHSG_ELEDGER);

	/* a database with tables of someone else's */
	new_db(db, sizeof(db), uri, sizeof(uri));
	admin_exec(db, "CREATE TABLE accounts (id int)");
	assert_int_equal(phsg_ledger_postgresql_open(&b, uri, PHSG_LEDGER_CREATE), PHSG_ELEDGER);
	snprintf(buf, sizeof(buf), "'%s' is not a phsg ledger", uri);
	assert_string_equal(phsg_error_last(), buf);

	/* a newer ledger */
	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	b->free(b, 0);
	admin_exec(db, "UPDATE phsg_schema SET version = 99");
	assert_int_equal(phsg_ledger_postgresql_open(&b, uri, PHSG_LEDGER_WRITE), PHSG_ELEDGER);
	snprintf(buf, sizeof(buf), "ledger '%s' has schema version 99, newer than this program's %d: "
		 "use a newer phsg", uri, PHSG_LEDGER_VERSION);
	assert_string_equal(phsg_error_last(), buf);
	admin_exec(db, "UPDATE phsg_schema SET version = 4");
	assert_int_equal(phsg_ledger_postgresql_open(&b, uri, PHSG_LEDGER_READONLY), PHSG_ELEDGER);
	assert_non_null(strstr(phsg_error_last(), "needs migrating"));

	/*
	 * A ledger of version 6 (before 0007-payee-awards.sql, made again by
	 * undoing it, 0008, 0009, 0010 and 0011) with an award paying two
	 * payees, P1 twice and then P2: opened for writing, it is brought to 11,
	 * its payee_awards filled with the award's two payees, the index by
	 * payee gone, award_states made, empty, award_index given its sums and
	 * cycles, none kept, and its index by due date gone.
	 */
	admin_exec(db, "INSERT INTO awards VALUES (1, 'A000001', 'V1', 'p', 't', 'o');"
		   " INSERT INTO batches(id, run_date, created_at, operator) VALUES (1, '2026-04-13', 't', 'o');"
		   " INSERT INTO payments(id, batch_id, award_id, component, kind, cycle_start, cycle_end,"
		   " due, amount, payee, method, created_at, operator) VALUES"
		   " (1, 1, 1, 'ras', 'cycle', '2026-04-13', '2026-05-11', '2026-04-13', 100, 'P1', 'direct', 't', 'o'),"
		   " (2, 1, 1, 'ras', 'cycle', '2026-05-11', '2026-06-08', '2026-05-11', 100, 'P1', 'direct', 't', 'o'),"
		   " (3, 1, 1, 'ras', 'cycle', '2026-06-08', '2026-07-06', '2026-06-08', 100, 'P2', 'direct', 't', 'o');"
		   " DROP TABLE payee_awards; CREATE INDEX payments_payee ON payments(payee, due);"
		   " DROP TABLE award_states; ALTER TABLE award_index DROP COLUMN sums, DROP COLUMN cycles;"
		   " CREATE INDEX award_index_due ON award_index(next_due);"
		   " UPDATE phsg_schema SET version = 6");
	b = open_ok(uri, PHSG_LEDGER_WRITE);
	b->free(b, 0);
	assert_int_equal(admin_value(db, "SELECT version FROM phsg_schema"), PHSG_LEDGER_VERSION);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM payee_awards WHERE award_id = 1"
				     " AND payee IN ('P1', 'P2')"), 2);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM payee_awards"), 2);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'payments_payee'"), 0);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM award_states"), 0);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM information_schema.columns"
				     " WHERE table_name = 'award_index' AND column_name IN ('sums', 'cycles')"), 2);
	assert_int_equal(admin_value(db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'award_index_due'"), 0);

	/*
	 * A ledger of version 5 (the schema before 0006-whole-sums.sql, made
	 * again by undoing it, 0007, 0008, 0009, 0010 and 0011) opened for
	 * writing is brought to 11: typeof() of a sum is there again.
	 */
	admin_exec(db, "DROP FUNCTION typeof(numeric); DROP TABLE payee_awards;"
		   " CREATE INDEX payments_payee ON payments(payee, due);"
		   " DROP TABLE award_states; ALTER TABLE award_index DROP COLUMN sums, DROP COLUMN cycles;"
		   " CREATE INDEX award_index_due ON award_index(next_due);"
		   " UPDATE phsg_schema SET version = 5");
	b = open_ok(uri, PHSG_LEDGER_WRITE);
	assert_int_equal(one_int(b, Q_VERSION, "SELECT version FROM phsg_schema WHERE application = 'phsg'"),
			 PHSG_LEDGER_VERSION);
	assert_int_equal(one_int(b, Q_TYPEOF, "SELECT count(*) FROM (SELECT typeof(sum(x)) AS t FROM"
				 " (VALUES (1::bigint), (2::bigint)) v(x)) s WHERE t = 'integer'"), 1);
	b->free(b, 0);

	/* read-only: the server refuses writes, in and out of a transaction */
	b = open_ok(uri, PHSG_LEDGER_READONLY);
	assert_int_equal(b->readonly, 1);
	assert_int_equal(b->created, 0);
	assert_int_equal(b->exec(b, "INSERT INTO meta VALUES ('k', 'v')"), PHSG_ELEDGER);
	assert_non_null(strstr(phsg_error_last(), "read-only"));
	assert_int_equal(b->begin(b, 0), 0);
	assert_int_equal(payee_add(b, "P001"), PHSG_ELEDGER);
	b->rollback(b);
	b->free(b, 0);

	/* no server there */
	snprintf(buf, sizeof(buf), "postgresql:///%s?host=/nonexistent&user=%s", db, user);
	assert_int_equal(phsg_ledger_postgresql_open(&b, buf, PHSG_LEDGER_WRITE), PHSG_ELEDGER);
	assert_non_null(strstr(phsg_error_last(), "cannot open ledger"));
}

static int n_faults;

static void count_fault(void *ctx, const char *what)
{
	(void)ctx;
	(void)what;
	n_faults++;
}

static void test_check(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	n_faults = 0;
	assert_int_equal(b->check(b, count_fault, NULL), 0);
	assert_int_equal(n_faults, 0);
	admin_exec(db, "DROP TABLE review_statuses");
	assert_int_equal(b->check(b, count_fault, NULL), 0);
	assert_int_equal(n_faults, 1);
	b->free(b, 0);
}

/* Payees P<from> to P<to>, written by one statement. */
static void payees_many(phsg_ledger_backend *b, int64_t from, int64_t to)
{
	phsg_ledger_stmt *s = b->prepare(b, Q_PAYEES_MANY,
		"INSERT INTO payees(ref, name, kind, sort_code, account, card_id, created_at, operator)"
		" SELECT 'P' || n, 'Many', 'bank', '112233', '12345678', NULL, ?20, 'tester'"
		" FROM generate_series(?1, ?2) AS n");

	assert_non_null(s);
	b->bind_int(s, 1, from);
	b->bind_int(s, 2, to);
	b->bind_text(s, 20, NOW);
	STEP(b, s, 0);
}

/* The first n payees renamed, by one statement. */
static void payees_rename(phsg_ledger_backend *b, int64_t n)
{
	phsg_ledger_stmt *s = b->prepare(b, Q_PAYEES_RENAME,
					 "UPDATE payees SET name = 'Renamed' WHERE id <= ?1");

	assert_non_null(s);
	b->bind_int(s, 1, n);
	STEP(b, s, 0);
}

static long long analyses(const char *db)
{
	return admin_value(db, "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'payees'");
}

static long long counted(const char *db)
{
	return admin_value(db, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'payees'::regclass");
}

/*
 * A transaction that wrote at least 1,000 rows into a table, and at least
 * a tenth of the server's last count of it, has it analyzed when it
 * commits (ANALYZE_AFTER).  Autovacuum is off for the table, so every
 * analysis counted is phsg's.
 */
static void test_analyze_after_bulk(void **state)
{
	char db[64], uri[256];
	phsg_ledger_backend *b;
	(void)state;

	new_db(db, sizeof(db), uri, sizeof(uri));
	b = open_ok(uri, PHSG_LEDGER_CREATE);
	admin_exec(db, "ALTER TABLE payees SET (autovacuum_enabled = off)");
	/* 999 rows: too few */
	assert_int_equal(b->begin(b, 1000), 0);
	payees_many(b, 1, 999);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(analyses(db), 0);
	assert_int_equal(counted(db), -1);
	/* 1,000 rows into a table never counted: analyzed, 1,999 counted */
	assert_int_equal(b->begin(b, 1000), 0);
	payees_many(b, 1000, 1999);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(analyses(db), 1);
	assert_int_equal(counted(db), 1999);
	/* rolled back: nothing written, nothing analyzed, nothing carried to the next transaction */
	assert_int_equal(b->begin(b, 1000), 0);
	payees_many(b, 2000, 2999);
	b->rollback(b);
	assert_int_equal(b->begin(b, 1000), 0);
	payees_many(b, 2000, 2099);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(analyses(db), 1);
	/* 9,901 rows (2,100 to 12,000): 2 analyses, 12,000 counted */
	assert_int_equal(b->begin(b, 1000), 0);
	payees_many(b, 2100, 12000);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(analyses(db), 2);
	assert_int_equal(counted(db), 12000);
	/* 1,000 rows, under a tenth of 12,000: not analyzed, still 12,000 counted */
	assert_int_equal(b->begin(b, 1000), 0);
	payees_many(b, 12001, 13000);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(analyses(db), 2);
	assert_int_equal(counted(db), 12000);
	/* 1,200 rows updated, exactly a tenth of 12,000: analyzed, 13,000 counted */
	assert_int_equal(b->begin(b, 1000), 0);
	payees_rename(b, 1200);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(analyses(db), 3);
	assert_int_equal(counted(db), 13000);
	/* 700 inserted and 700 updated in one transaction count as 1,400: 14,000 >= 13,000 */
	assert_int_equal(b->begin(b, 1000), 0);
	payees_many(b, 13001, 13700);
	payees_rename(b, 700);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(analyses(db), 4);
	assert_int_equal(counted(db), 13700);
	/* 1,000 rows into another table (a name with an underscore): that table alone */
	assert_int_equal(b->begin(b, 1000), 0);
	phsg_ledger_stmt *s = b->prepare(b, Q_ACCREDIT_MANY,
		"INSERT INTO payee_accreditation(payee_id, from_date, accredited, recorded_at, operator)"
		" SELECT id, '2025-01-01', 1, ?20, 'tester' FROM payees WHERE id <= 1000");
	assert_non_null(s);
	b->bind_text(s, 20, NOW);
	STEP(b, s, 0);
	assert_int_equal(b->commit(b), 0);
	assert_int_equal(admin_value(db, "SELECT analyze_count FROM pg_stat_user_tables"
				     " WHERE relname = 'payee_accreditation'"), 1);
	assert_int_equal(analyses(db), 4);
	b->free(b, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_reopen),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_streamed_rows),
		cmocka_unit_test(test_gapless_ids),
		cmocka_unit_test(test_constraint),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_analyze_after_bulk),
	};

	host = getenv("PHSG_PGHOST");
	user = getenv("PHSG_PGUSER");
	if (!host || !*host || !user || !*user) {
		printf("test_ledger_pg: skipped: PHSG_PGHOST is not set "
		       "(make pg-unit runs it against a throwaway cluster)\n");
		return 0;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
