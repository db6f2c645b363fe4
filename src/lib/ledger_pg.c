/*
 * ledger_pg.c - the ledger's PostgreSQL backend (libpq).
 *
 * The ledger's rules are in ledger.c; this file only stores rows, behind
 * the operations of phsg/sys/ledger_backend.h.  The schema is
 * ledger/postgresql/schema.sql (embedded by tools/embed-sql, with the
 * migrations beside it); phsg_schema marks a database as a phsg ledger and
 * holds its version.
 *
 * Exclusive writers.  Every write transaction takes one transaction-level
 * advisory lock (LOCK_KEY) before it writes, and holds it to COMMIT or
 * ROLLBACK, so writers - a payment run, a finance officer recording an
 * event, on any machine - run one at a time, as SQLite's BEGIN IMMEDIATE
 * makes them.  That is what makes the schema's max(id) + 1 ids gapless and
 * safe, and why transactions are READ COMMITTED: each statement sees
 * everything committed before it, including the commit of the writer that
 * held the lock just before us (REPEATABLE READ would keep the snapshot
 * taken by the statement that asked for the lock, before it was granted).
 * A ledger opened read-only (a report) reads one REPEATABLE READ snapshot
 * from its first statement to its last; other reads outside a transaction
 * run in autocommit.  Readers never wait.
 *
 * Statements.  The ledger's portable SQL numbers its parameters ?1 ... ?20;
 * prepare() rewrites them as $1 ... $20 once per statement, and the first
 * step() prepares it on the server (PQprepare) with the parameter types
 * the bind calls gave: int8 for bind_int, text for bind_text, and for a
 * NULL (bound or not) no type, so that the server takes the column's (a
 * NULL batch_id goes into a bigint column), or text where it cannot (see
 * stmt_prepare_server).  A number the text does not use is typed text, so
 * that the server accepts it.  Unlike SQLite, a command that fails spoils
 * the whole transaction: commit() then rolls back and says so.  Values go
 * and rows come back as text; a SELECT's rows come one at a time, and are
 * read ahead only when another command needs the connection (see drain()).
 *
 * Passwords come from ~/.pgpass or PGPASSFILE (libpq reads them), never
 * from the URI: a URI with a password is refused, as it would show on the
 * command line and in every message that names the ledger.
 */
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "phsg/error.h"
#include "phsg/ledger.h"
#include "phsg/sys/ledger_backend.h"

/*
 * libpq, loaded when a PostgreSQL ledger is first opened (issue 15), not
 * linked: a command that never reaches PostgreSQL - a quote, a run on a
 * SQLite ledger - does not load libpq and the twenty libraries it brings
 * (TLS, Kerberos, LDAP), 5 ms of every process start.
 */
#define PQ_FUNCS(X) \
	X(PQclear) \
	X(PQgetvalue) \
	X(PQexec) \
	X(PQntuples) \
	X(PQgetisnull) \
	X(PQtransactionStatus) \
	X(PQresultErrorField) \
	X(PQresultStatus) \
	X(PQstatus) \
	X(PQprepare) \
	X(PQftype) \
	X(PQexecPrepared) \
	X(PQerrorMessage) \
	X(PQsetNoticeProcessor) \
	X(PQsetClientEncoding) \
	X(PQnfields) \
	X(PQfreemem) \
	X(PQfinish) \
	X(PQconninfoParse) \
	X(PQconninfoFree) \
	X(PQconnectdbParams) \
	X(PQsendQueryPrepared) \
	X(PQsendQueryParams) \
	X(PQsetSingleRowMode) \
	X(PQgetResult) \
	X(PQcmdStatus) \
	X(PQcmdTuples)

static struct {
#define PQ_FIELD(name) __typeof__(name) *name;
	PQ_FUNCS(PQ_FIELD)
#undef PQ_FIELD
} pq_api;

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_missing[512]; /* why libpq could not be loaded, or "" */

static void pq_load_once(void)
{
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		snprintf(pq_missing, sizeof(pq_missing), "%s", dlerror());
		return;
	}
#define PQ_LOAD(name) \
	if (!pq_missing[0] && !(*(void **)&pq_api.name = dlsym(h, #name))) \
		snprintf(pq_missing, sizeof(pq_missing), "libpq.so.5 has no %s", #name);
	PQ_FUNCS(PQ_LOAD)
#undef PQ_LOAD
}

static int pq_load(void)
{
	pthread_once(&pq_once, pq_load_once);
	if (pq_missing[0])
		return phsg_error_set(PHSG_ELEDGER, "this phsg cannot reach PostgreSQL: libpq could "
				      "not be loaded (%s); install it (Debian: apt install libpq5)",
				      pq_missing);
	return 0;
}

extern const struct { int version; const char *sql; } phsg_pg_migrations[];
extern const size_t phsg_pg_n_migrations;

/*
 * The advisory lock every write transaction holds: "phsgledg" in ASCII.
 * Advisory locks belong to a database, so ledgers in different databases
 * never wait for each other.
 */
#define LOCK_KEY "8099850817863246951" /* 0x706873676c656467 */

/* The server's type oids of the types the ledger uses (pg_type.h is not installed). */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25,
       OID_NUMERIC = 1700 };

/*
 * Every phsg table and function, dropped when a ledger this process made
 * is discarded.  A migration that adds one adds it here (the unit test
 * checks that a discarded ledger leaves no table).
 */
static const char drop_sql[] =
	"DROP TABLE IF EXISTS review_statuses, reviews, plan_outcomes, payee_accreditation,"
	" payee_details, contribution_receipts, returns, award_states, award_index, contributions,"
	" recoveries, processed, payee_awards, payments, batch_events, batches, award_events, awards, payees, meta,"
	" phsg_schema;"
	" DROP FUNCTION IF EXISTS typeof(bigint), typeof(numeric), phsg_id_payees(), phsg_id_awards(),"
	" phsg_id_award_events(), phsg_id_batches(), phsg_id_batch_events(), phsg_id_payments(),"
	" phsg_id_recoveries(), phsg_id_contributions(), phsg_id_contribution_receipts(),"
	" phsg_id_payee_details(), phsg_id_payee_accreditation(), phsg_id_plan_outcomes(),"
	" phsg_id_reviews()";

/* The tables check() expects, with the marker. */
static const char *const tables[] = {
	"phsg_schema", "meta", "payees", "awards", "award_events", "batches", "batch_events",
	"payments", "processed", "recoveries", "contributions", "award_index", "returns",
	"contribution_receipts", "payee_details", "payee_accreditation", "plan_outcomes",
	"reviews", "review_statuses", "payee_awards", "award_states"
};

#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

/*
 * A transaction that wrote at least ANALYZE_AFTER rows into a table, and
 * at least a tenth of what the server last counted there (or the table
 * was never counted), has that table analyzed as soon as it commits.
 * That is autovacuum's own rule (50 rows and a tenth), which it applies
 * only at its next look, up to a minute later: until then the server
 * plans for the table as it was.  After a first run over a backlog, the
 * reports of that minute read every award's payments by a plan made with
 * no statistics of them: `report balances` on a 100,000-award ledger took
 * 1.05 s, and 0.88 s once analyzed.  PostgreSQL's manual asks for the same
 * after any bulk load ("Run ANALYZE Afterwards").
 */
enum { ANALYZE_AFTER = 1000 };

/* A bound parameter: its text (NULL for SQL NULL) and the type it was bound as. */
struct param {
	char *buf;
	size_t cap;
	int isnull;
	unsigned int type;   /* OID_INT8, OID_TEXT, or 0 for NULL */
};

struct phsg_ledger_stmt {
	struct pg *pg;
	int which;
	char *source;        /* the portable text it was made from */
	char *text;          /* the same with $N marks */
	int n_used;          /* the highest parameter number the text uses */
	unsigned char *used; /* used[i]: the text uses $(i + 1) */
	unsigned char *null_text; /* null_text[i]: a NULL $(i + 1) is text (see server_prepare) */
	struct param *params;
	int n_params, cap_params; /* the highest bound, and room */
	/* on the server */
	char name[32];
	unsigned int *prep_types;
	int prep_n, prepared, generation;
	/* the current run */
	PGresult *res;
	int ran, row;
	int streaming;       /* its rows come one at a time (single-row mode) */
	int each_time;       /* a SELECT planned with its values each time it runs (PLANNED_EACH_TIME) */
	PGresult **rest;     /* rows read ahead when another command needed the connection */
	size_t n_rest, next_rest, cap_rest;
};

struct pg {
	phsg_ledger_backend b;   /* first: the ops receive &pg->b */
	PGconn *conn;
	phsg_ledger_stmt **stmts;
	int n_stmts;
	const char **values;     /* scratch for PQexecPrepared */
	int cap_values;
	int reading;             /* read-only: in the snapshot opened with the ledger */
	phsg_ledger_stmt *streaming; /* the statement whose rows the connection is sending */
	long long written[N_TABLES]; /* rows the open transaction inserted or updated, by table */
};

#define READ_SNAPSHOT "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

static struct pg *PG(phsg_ledger_backend *b)
{
	return (struct pg *)b;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

/* libpq's messages end with a newline (or several lines): keep the first line. */
static const char *first_line(const char *m, char *buf, size_t n)
{
	size_t len;

	if (!m || !*m)
		return "unknown error";
	len = strcspn(m, "\n");
	if (len >= n)
		len = n - 1;
	memcpy(buf, m, len);
	buf[len] = '\0';
	return buf;
}

/*
 * The error of a failed command, as the interface asks: a broken
 * constraint (SQLSTATE class 23) is PHSG_EINVAL, anything else
 * PHSG_ELEDGER; the message is the server's own (its primary message), or
 * libpq's when the server never answered.
 */
static int result_error(struct pg *pg, const PGresult *res)
{
	const char *state = res ? pq_api.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? pq_api.PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char buf[512];

	if (!msg)
		msg = first_line(pq_api.PQerrorMessage(pg->conn), buf, sizeof(buf));
	if (state && strncmp(state, "23", 2) == 0)
		return phsg_error_set(PHSG_EINVAL, "%s", msg);
	return phsg_error_set(PHSG_ELEDGER, "%s", msg);
}

/*
 * A SELECT's rows come one at a time (libpq's single-row mode), so that a
 * report or an export of millions of rows holds one row at a time, not all
 * of them (issue 15).  The connection sends one statement's rows at a time:
 * before any other command, the rows still to come are read ahead into
 * memory (drain), which only a walk that runs other statements between its
 * rows pays for, as every walk did before.
 */
static void rest_add(phsg_ledger_stmt *s, PGresult *r)
{
	if (s->n_rest == s->cap_rest) {
		s->cap_rest = s->cap_rest ? 2 * s->cap_rest : 64;
		s->rest = xrealloc(s->rest, s->cap_rest * sizeof(*s->rest));
	}
	s->rest[s->n_rest++] = r;
}

static void drain(struct pg *pg)
{
	phsg_ledger_stmt *s = pg->streaming;
	PGresult *r;

	if (!s)
		return;
	pg->streaming = NULL;
	while ((r = pq_api.PQgetResult(pg->conn))) {
		if (pq_api.PQresultStatus(r) == PGRES_TUPLES_OK)
			pq_api.PQclear(r); /* the end of the rows */
		else
			rest_add(s, r);    /* a row, or the error that ended them */
	}
}

/* A statement reset before its last row: the rows still to come are dropped. */
static void stream_discard(phsg_ledger_stmt *s)
{
	struct pg *pg = s->pg;
	PGresult *r;

	if (pg->streaming == s) {
		while ((r = pq_api.PQgetResult(pg->conn)))
			pq_api.PQclear(r);
		pg->streaming = NULL;
	}
	for (size_t i = s->next_rest; i < s->n_rest; i++)
		pq_api.PQclear(s->rest[i]);
	s->n_rest = s->next_rest = 0;
	s->streaming = 0;
}

/* Every command but a streamed SELECT goes through here: the connection is free first. */
static PGresult *command(struct pg *pg, const char *sql)
{
	drain(pg);
	return pq_api.PQexec(pg->conn, sql);
}

/* Did the command work?  If not, the error set (and the result cleared). */
static int ok(struct pg *pg, PGresult *res)
{
	ExecStatusType st = res ? pq_api.PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 0;
	int rc = result_error(pg, res);
	pq_api.PQclear(res);
	/* a failed read spoils the snapshot: the reads after it get a new one */
	if (pg->reading && pq_api.PQtransactionStatus(pg->conn) == PQTRANS_INERROR) {
		pq_api.PQclear(command(pg, "ROLLBACK"));
		pq_api.PQclear(command(pg, READ_SNAPSHOT));
	}
	return rc;
}

/* Run commands that return nothing we read; 0 or the error set, with `what` before it. */
static int run(struct pg *pg, const char *sql, const char *what)
{
	PGresult *res = command(pg, sql);
	int rc = ok(pg, res);

	if (rc) {
		if (what)
			phsg_error_set(rc, "ledger '%s': %s: %s", pg->b.where, what, phsg_error_last());
		return rc;
	}
	pq_api.PQclear(res);
	return 0;
}

/* One row's value of a query with one row (NULL: none, or NULL); caller PQclears *res. */
static int query_value(struct pg *pg, const char *sql, const char *what, PGresult **res,
		       const char **value)
{
	int rc;

	*res = command(pg, sql);
	*value = NULL;
	if ((rc = ok(pg, *res))) {
		*res = NULL;
		return phsg_error_set(rc, "ledger '%s': %s: %s", pg->b.where, what, phsg_error_last());
	}
	if (pq_api.PQntuples(*res) > 0 && !pq_api.PQgetisnull(*res, 0, 0))
		*value = pq_api.PQgetvalue(*res, 0, 0);
	return 0;
}

static int64_t elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	/* in nanoseconds first: dividing a negative tv_nsec difference would round up */
	return ((int64_t)(t.tv_sec - t0->tv_sec) * 1000000000 + (t.tv_nsec - t0->tv_nsec)) / 1000000;
}

/*
 * Inside a transaction: take the writers' lock, trying again after short
 * sleeps (1 ms, doubling to 50 ms) until `wait_ms` has passed.  0 when
 * held, PHSG_LEDGER_BUSY when another writer kept it, or an error.
 */
static int take_lock(struct pg *pg, int wait_ms)
{
	struct timespec t0;
	long sleep_ms = 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		PGresult *res;
		const char *v;
		int rc, held;

		if ((rc = query_value(pg, "SELECT pg_catalog.pg_try_advisory_xact_lock(" LOCK_KEY ")",
				      "taking the writers' lock", &res, &v)))
			return rc;
		held = v && v[0] == 't';
		pq_api.PQclear(res);
		if (held)
			return 0;
		int64_t left = wait_ms - elapsed_ms(&t0);
		if (left <= 0)
			return PHSG_LEDGER_BUSY;
		if (sleep_ms > left)
			sleep_ms = (long)left;
		struct timespec ts = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000 };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		if (sleep_ms < 50)
			sleep_ms *= 2;
	}
}

/* Count the rows a command inserted or updated in its table (begin() starts the count). */
static void note_written(struct pg *pg, const phsg_ledger_stmt *s, PGresult *res)
{
	static const char insert[] = "INSERT INTO ", update[] = "UPDATE ";
	const char *name = NULL, *tuples;
	size_t len;

	if (strncmp(s->text, insert, sizeof(insert) - 1) == 0)
		name = s->text + sizeof(insert) - 1;
	else if (strncmp(s->text, update, sizeof(update) - 1) == 0)
		name = s->text + sizeof(update) - 1;
	if (!name || !(tuples = pq_api.PQcmdTuples(res)) || !*tuples)
		return;
	len = strspn(name, "abcdefghijklmnopqrstuvwxyz_");
	for (size_t i = 0; i < N_TABLES; i++)
		if (strlen(tables[i]) == len && strncmp(tables[i], name, len) == 0)
			pg->written[i] += strtoll(tuples, NULL, 10);
}

/*
 * After a commit: analyze each table the transaction wrote enough of (see
 * ANALYZE_AFTER).  What was written is committed whatever happens here; a
 * server that refuses (a user who does not own the table gets a warning,
 * not an error) leaves it to autovacuum.
 */
static void analyze_written(struct pg *pg)
{
	char sql[160];

	for (size_t i = 0; i < N_TABLES; i++) {
		PGresult *res;
		const char *v;

		if (pg->written[i] < ANALYZE_AFTER)
			continue;
		/* reltuples is -1 for a table never counted */
		snprintf(sql, sizeof(sql), "SELECT %lld * 10 >= reltuples FROM pg_catalog.pg_class"
			 " WHERE oid = pg_catalog.to_regclass('%s')", pg->written[i], tables[i]);
		if (query_value(pg, sql, "counting a table", &res, &v) == 0 && v && v[0] == 't') {
			snprintf(sql, sizeof(sql), "ANALYZE %s", tables[i]);
			(void)run(pg, sql, NULL);
		}
		pq_api.PQclear(res);
	}
}

static void pg_rollback(phsg_ledger_backend *b)
{
	struct pg *pg = PG(b);

	drain(pg);
	if (pq_api.PQtransactionStatus(pg->conn) != PQTRANS_IDLE)
		pq_api.PQclear(command(pg, "ROLLBACK"));
}

static int pg_begin(phsg_ledger_backend *b, int wait_ms)
{
	struct pg *pg = PG(b);
	int rc;

	drain(pg);
	/* a transaction of the caller's own ends the snapshot opened with the ledger */
	if (pg->reading) {
		pq_api.PQclear(command(pg, "ROLLBACK"));
		pg->reading = 0;
	}
	if (pq_api.PQtransactionStatus(pg->conn) != PQTRANS_IDLE)
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s': a transaction is already open",
				      b->where);
	/* what a transaction rolled back had written counts for nothing */
	memset(pg->written, 0, sizeof(pg->written));
	/* READ COMMITTED whatever the server's default: see the top of this file */
	if (b->readonly)
		return run(pg, "BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY",
			   "starting a transaction");
	if ((rc = run(pg, "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE",
		      "starting a transaction")))
		return rc;
	if ((rc = take_lock(pg, wait_ms)))
		pg_rollback(b);
	return rc;
}

static int pg_commit(phsg_ledger_backend *b)
{
	struct pg *pg = PG(b);
	PGresult *res;
	int rc;

	drain(pg);
	/*
	 * COMMIT of a transaction in which a command failed rolls back and
	 * says so only in its command tag: never report that as committed.
	 */
	if (pq_api.PQtransactionStatus(pg->conn) == PQTRANS_INERROR) {
		pg_rollback(b);
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s': a command of the transaction "
				      "failed: it was rolled back", b->where);
	}
	res = command(pg, "COMMIT");
	if ((rc = ok(pg, res)))
		return phsg_error_set(rc, "ledger '%s': committing: %s", b->where,
				      phsg_error_last());
	if (strcmp(pq_api.PQcmdStatus(res), "COMMIT") != 0) {
		pq_api.PQclear(res);
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s': the transaction was rolled back",
				      b->where);
	}
	pq_api.PQclear(res);
	analyze_written(pg);
	return 0;
}

/* ---- statements ---- */

/*
 * The portable text with ?N written $N.  Marks inside '...' literals,
 * "..." names and -- comments are left alone (the ledger's statements use
 * standard strings, with no backslash escapes or $$ quotes).  A ? without
 * a number is refused: PostgreSQL has no anonymous parameters.
 */
static int translate(phsg_ledger_stmt *s, const char *sql)
{
	size_t n = strlen(sql), o = 0;
	char *t = xrealloc(NULL, n + 1);

	s->n_used = 0;
	for (size_t i = 0; i < n; i++) {
		char c = sql[i];

		if (c == '\'' || c == '"') {
			size_t j = i + 1;
			while (j < n && sql[j] != c)
				j++;
			/* a doubled quote is part of the literal: the loop goes on past it */
			if (j >= n)
				goto unterminated;
			memcpy(t + o, sql + i, j - i + 1);
			o += j - i + 1;
			i = j;
		} else if (c == '-' && sql[i + 1] == '-') {
			size_t j = i;
			while (j < n && sql[j] != '\n')
				j++;
			memcpy(t + o, sql + i, j - i);
			o += j - i;
			i = j - 1;
		} else if (c == '?') {
			long num = 0;
			size_t j = i + 1;
			while (j < n && sql[j] >= '0' && sql[j] <= '9' && num < 100000)
				num = num * 10 + (sql[j++] - '0');
			if (j == i + 1 || num < 1 || num > 65535) {
				free(t);
				return phsg_error_set(PHSG_ELEDGER, "a statement's parameter at byte %zu "
						      "is not ?1 ... ?65535", i + 1);
			}
			t[o++] = '$';
			memcpy(t + o, sql + i + 1, j - i - 1);
			o += j - i - 1;
			i = j - 1;
			if (num > s->n_used) {
				s->used = xrealloc(s->used, (size_t)num);
				s->null_text = xrealloc(s->null_text, (size_t)num);
				memset(s->used + s->n_used, 0, (size_t)(num - s->n_used));
				s->n_used = (int)num;
			}
			s->used[num - 1] = 1;
		} else {
			t[o++] = c;
		}
	}
	t[o] = '\0';
	if (s->n_used)
		memset(s->null_text, 0, (size_t)s->n_used);
	free(s->text);
	s->text = t;
	return 0;
unterminated:
	free(t);
	return phsg_error_set(PHSG_ELEDGER, "a statement has a quote that is not closed");
}

static void stmt_clear(phsg_ledger_stmt *s)
{
	stream_discard(s);
	pq_api.PQclear(s->res);
	s->res = NULL;
	s->ran = 0;
	s->row = -1;
}

static void stmt_unbind(phsg_ledger_stmt *s)
{
	for (int i = 0; i < s->n_params; i++) {
		s->params[i].isnull = 1;
		s->params[i].type = 0;
	}
	s->n_params = 0;
}

static void stmt_free(phsg_ledger_stmt *s)
{
	if (!s)
		return;
	stmt_clear(s);
	free(s->rest);
	for (int i = 0; i < s->cap_params; i++)
		free(s->params[i].buf);
	free(s->params);
	free(s->prep_types);
	free(s->used);
	free(s->null_text);
	free(s->text);
	free(s->source);
	free(s);
}

static phsg_ledger_stmt *pg_prepare(phsg_ledger_backend *b, int which, const char *sql)
{
	struct pg *pg = PG(b);
	phsg_ledger_stmt *s;

	if (which < 0) {
		phsg_error_set(PHSG_ELEDGER, "statement %d: no such statement", which);
		return NULL;
	}
	if (which >= pg->n_stmts) {
		pg->stmts = xrealloc(pg->stmts, (size_t)(which + 1) * sizeof(*pg->stmts));
		memset(pg->stmts + pg->n_stmts, 0, (size_t)(which + 1 - pg->n_stmts) * sizeof(*pg->stmts));
		pg->n_stmts = which + 1;
	}
	s = pg->stmts[which];
	if (!s) {
		if (!(s = calloc(1, sizeof(*s))))
			abort();
		s->pg = pg;
		s->which = which;
		s->row = -1;
		pg->stmts[which] = s;
	}
	stmt_clear(s);
	stmt_unbind(s);
	/* the same number always brings the same text; a new text is prepared anew */
	if (!s->source || strcmp(s->source, sql) != 0) {
		if (translate(s, sql))
			return NULL;
		free(s->source);
		s->source = xstrdup(sql);
		/*
		 * A read-only ledger reads one snapshot: no table grows under
		 * it, so one server-side plan serves every chunk (issue 15).
		 */
		s->each_time = !pg->b.readonly && strncmp(sql, "SELECT", 6) == 0 &&
			       strstr(sql, PHSG_PLANNED_EACH_TIME);
		s->prepared = 0;
		s->generation++;
		snprintf(s->name, sizeof(s->name), "phsg_%d_%d", which, s->generation);
	}
	return s;
}

static struct param *slot(phsg_ledger_stmt *s, int i)
{
	if (i < 1 || i > 65535)
		return NULL;
	if (i > s->cap_params) {
		s->params = xrealloc(s->params, (size_t)i * sizeof(*s->params));
		memset(s->params + s->cap_params, 0, (size_t)(i - s->cap_params) * sizeof(*s->params));
		for (int k = s->cap_params; k < i; k++)
			s->params[k].isnull = 1;
		s->cap_params = i;
	}
	if (i > s->n_params) {
		for (int k = s->n_params; k < i; k++) {
			s->params[k].isnull = 1;
			s->params[k].type = 0;
		}
		s->n_params = i;
	}
	return &s->params[i - 1];
}

static void set_value(struct param *p, const char *v, unsigned int type)
{
	size_t n = strlen(v) + 1;

	if (n > p->cap) {
		p->buf = xrealloc(p->buf, n);
		p->cap = n;
	}
	memcpy(p->buf, v, n);
	p->isnull = 0;
	p->type = type;
}

static void pg_bind_int(phsg_ledger_stmt *s, int i, int64_t v)
{
	struct param *p = slot(s, i);
	char buf[24];

	if (!p)
		return;
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	set_value(p, buf, OID_INT8);
}

static void pg_bind_text(phsg_ledger_stmt *s, int i, const char *v)
{
	struct param *p = slot(s, i);

	if (!p)
		return;
	if (!v) {
		p->isnull = 1;
		p->type = 0;
		return;
	}
	set_value(p, v, OID_TEXT);
}

/*
 * The types to prepare with: as bound; a NULL has none (the server infers
 * it from where it is used), unless the server could not (then text); a
 * number the text does not use, text.
 */
static unsigned int want_type(const phsg_ledger_stmt *s, int i)
{
	if (i < s->n_params && !s->params[i].isnull)
		return s->params[i].type;
	return i < s->n_used && s->used[i] && !s->null_text[i] ? 0 : OID_TEXT;
}

/*
 * Is the statement on the server fit for these bindings?  A NULL fits any
 * type; a value needs the type it was prepared with, unless that was the
 * server's guess for a NULL, which is prepared again with the value's.
 */
static int fits(const phsg_ledger_stmt *s, int n)
{
	if (!s->prepared || s->prep_n != n)
		return 0;
	for (int i = 0; i < n; i++) {
		int null = i >= s->n_params || s->params[i].isnull;
		if (!null && s->prep_types[i] != want_type(s, i))
			return 0;
	}
	return 1;
}

/*
 * The parameter a "could not determine data type" error points at: the
 * number after the $ at its position (in characters, from 1).  0 if none.
 */
static int param_at(const phsg_ledger_stmt *s, const PGresult *res)
{
	const char *pos = pq_api.PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	long chars = pos ? strtol(pos, NULL, 10) : 0, k = 0;
	const char *p = s->text;
	int num = 0;

	if (chars < 1)
		return 0;
	for (; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80 && ++k == chars)
			break;
	if (*p++ != '$')
		return 0;
	while (*p >= '0' && *p <= '9' && num < 100000)
		num = num * 10 + (*p++ - '0');
	return num >= 1 && num <= s->n_used ? num : 0;
}

/*
 * Prepare the statement on the server with the types of the bindings.  A
 * NULL's type is left to the server, which takes it from where the
 * parameter is used (a NULL batch_id goes into a bigint column) - except
 * that it cannot where the parameter is first met with no type about it,
 * as in "?3 IS NULL OR payee = ?3": then that parameter is text from now
 * on, and the statement is prepared again.  Inside a transaction the try
 * runs under a savepoint, since a failed command spoils the transaction
 * (a prepared statement, like the failure, is not undone by rolling back
 * to it; this happens once per statement and parameter).
 */
static int stmt_prepare_server(phsg_ledger_stmt *s, int n)
{
	struct pg *pg = s->pg;

	/*
	 * A statement prepared again gets a new name: the old one stays on the
	 * server, unused (it cannot be dropped inside a failed transaction, and
	 * this happens only when a NULL's guessed type meets a value).
	 */
	if (s->prepared) {
		s->generation++;
		snprintf(s->name, sizeof(s->name), "phsg_%d_%d", s->which, s->generation);
		s->prepared = 0;
	}
	s->prep_types = xrealloc(s->prep_types, (size_t)n * sizeof(*s->prep_types));
	for (;;) {
		PGresult *res;
		const char *state;
		int guessing = 0, savepoint, rc, k;

		for (int i = 0; i < n; i++)
			if ((s->prep_types[i] = want_type(s, i)) == 0)
				guessing = 1;
		savepoint = guessing && pq_api.PQtransactionStatus(pg->conn) == PQTRANS_INTRANS;
		if (savepoint && (rc = run(pg, "SAVEPOINT phsg_prepare", NULL)))
			return rc;
		drain(pg);
		res = pq_api.PQprepare(pg->conn, s->name, s->text, n, s->prep_types);
		if (res && pq_api.PQresultStatus(res) == PGRES_COMMAND_OK) {
			pq_api.PQclear(res);
			s->prep_n = n;
			s->prepared = 1;
			return savepoint ? run(pg, "RELEASE SAVEPOINT phsg_prepare", NULL) : 0;
		}
		/* 42P08 ambiguous_parameter, 42P18 indeterminate_datatype */
		state = res ? pq_api.PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		k = guessing && state && (strcmp(state, "42P08") == 0 || strcmp(state, "42P18") == 0) ?
			param_at(s, res) : 0;
		if (!k || s->null_text[k - 1] || s->prep_types[k - 1] != 0)
			return ok(pg, res);
		pq_api.PQclear(res);
		s->null_text[k - 1] = 1;
		if (savepoint && (rc = run(pg, "ROLLBACK TO SAVEPOINT phsg_prepare; "
					   "RELEASE SAVEPOINT phsg_prepare", NULL)))
			return rc;
	}
}

/* The next row of a streamed SELECT: 1 (in s->res, row 0), 0 at the end, or an error. */
static int stream_next(phsg_ledger_stmt *s)
{
	struct pg *pg = s->pg;
	PGresult *r = NULL;

	pq_api.PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	if (pg->streaming == s)
		r = pq_api.PQgetResult(pg->conn);
	else if (s->next_rest < s->n_rest)
		r = s->rest[s->next_rest++];
	if (!r || pq_api.PQresultStatus(r) != PGRES_SINGLE_TUPLE) {
		/* the end, or an error: read what the connection still has, free what was read ahead */
		stream_discard(s);
		if (r && pq_api.PQresultStatus(r) == PGRES_TUPLES_OK) {
			pq_api.PQclear(r);
			r = NULL;
		}
		return r ? ok(pg, r) : 0; /* ok() reports and clears the error */
	}
	s->res = r;
	s->row = 0;
	return 1;
}

static int step_row(phsg_ledger_stmt *s)
{
	struct pg *pg = s->pg;
	int rc;

	if (!s->ran) {
		int n = s->n_used > s->n_params ? s->n_used : s->n_params;

		if (!s->each_time && !fits(s, n) && (rc = stmt_prepare_server(s, n)))
			return rc;
		if (n > pg->cap_values) {
			pg->values = xrealloc(pg->values, (size_t)n * sizeof(*pg->values));
			pg->cap_values = n;
		}
		for (int i = 0; i < n; i++)
			pg->values[i] = i < s->n_params && !s->params[i].isnull ? s->params[i].buf : NULL;
		s->ran = 1;
		s->row = -1;
		drain(pg);
		if (s->each_time) {
			/*
			 * Planned for these values: a prepared statement's plan, made
			 * once for any values, may be one chosen while a table was
			 * nearly empty, and a run's chunk reads tables the run itself
			 * fills (a scan of all payments for every 256 awards).
			 */
			s->prep_types = xrealloc(s->prep_types, (size_t)(n ? n : 1) * sizeof(*s->prep_types));
			for (int i = 0; i < n; i++)
				s->prep_types[i] = want_type(s, i);
			if (!pq_api.PQsendQueryParams(pg->conn, s->text, n, s->prep_types, pg->values, NULL,
						      NULL, 0))
				return result_error(pg, NULL);
			pq_api.PQsetSingleRowMode(pg->conn);
			s->streaming = 1;
			pg->streaming = s;
			return stream_next(s);
		}
		if (strncmp(s->text, "SELECT", 6) == 0) {
			if (!pq_api.PQsendQueryPrepared(pg->conn, s->name, n, pg->values, NULL, NULL, 0))
				return result_error(pg, NULL);
			pq_api.PQsetSingleRowMode(pg->conn);
			s->streaming = 1;
			pg->streaming = s;
			return stream_next(s);
		}
		s->res = pq_api.PQexecPrepared(pg->conn, s->name, n, pg->values, NULL, NULL, 0);
		if ((rc = ok(pg, s->res))) {
			s->res = NULL;
			return rc;
		}
		note_written(pg, s, s->res);
	} else if (s->streaming) {
		return stream_next(s);
	}
	if (!s->res || pq_api.PQresultStatus(s->res) != PGRES_TUPLES_OK)
		return 0;
	if (s->row < pq_api.PQntuples(s->res))
		s->row++;
	return s->row < pq_api.PQntuples(s->res);
}

static int in_row(const phsg_ledger_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < pq_api.PQntuples(s->res) && i >= 0 && i < pq_api.PQnfields(s->res);
}

static int pg_column_type(phsg_ledger_stmt *s, int i)
{
	if (!in_row(s, i) || pq_api.PQgetisnull(s->res, s->row, i))
		return PHSG_COL_NULL;
	switch (pq_api.PQftype(s->res, i)) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_NUMERIC: /* sum() of bigint */
	case OID_BOOL:
		return PHSG_COL_INT;
	default:
		return PHSG_COL_TEXT;
	}
}

/*
 * A sum of bigints is a numeric here: one past 64 bits is refused as
 * SQLite's sum() refuses it, where strtoll() would read it as the largest
 * bigint (a ledger changed by hand: two amounts of 2^62 pence).
 */
static int pg_step(phsg_ledger_stmt *s)
{
	int rc = step_row(s);

	for (int i = 0, n = rc == 1 ? pq_api.PQnfields(s->res) : 0; i < n; i++) {
		if (pq_api.PQftype(s->res, i) != OID_NUMERIC || pq_api.PQgetisnull(s->res, s->row, i))
			continue;
		errno = 0;
		(void)strtoll(pq_api.PQgetvalue(s->res, s->row, i), NULL, 10);
		if (errno == ERANGE) {
			stmt_clear(s);
			return phsg_error_set(PHSG_ELEDGER, "integer overflow");
		}
	}
	return rc;
}

static int64_t pg_column_int(phsg_ledger_stmt *s, int i)
{
	const char *v;

	if (!in_row(s, i) || pq_api.PQgetisnull(s->res, s->row, i))
		return 0;
	v = pq_api.PQgetvalue(s->res, s->row, i);
	/* a boolean comes back as t or f; SQLite would have given 1 or 0 */
	if (pq_api.PQftype(s->res, i) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *pg_column_text(phsg_ledger_stmt *s, int i)
{
	if (!in_row(s, i) || pq_api.PQgetisnull(s->res, s->row, i))
		return NULL;
	return pq_api.PQgetvalue(s->res, s->row, i);
}

static void pg_reset(phsg_ledger_stmt *s)
{
	stmt_clear(s);
}

static int pg_exec(phsg_ledger_backend *b, const char *sql)
{
	return run(PG(b), sql, NULL);
}

/*
 * PostgreSQL has no integrity_check: it checks its pages and constraints
 * as it goes (foreign keys included, always on), and a thorough check
 * (amcheck) needs an extension and privileges a ledger's user may not
 * have.  What is cheap and worth knowing: the marker says a phsg ledger
 * of this program's version, and every table of the schema is there.
 */
static int pg_check(phsg_ledger_backend *b, void (*fault)(void *ctx, const char *what), void *ctx)
{
	struct pg *pg = PG(b);
	char buf[256];
	PGresult *res;
	const char *v;
	int rc;

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(buf, sizeof(buf), "SELECT pg_catalog.to_regclass('%s') IS NOT NULL", tables[i]);
		if ((rc = query_value(pg, buf, "checking the schema", &res, &v)))
			return rc;
		if (!v || v[0] != 't') {
			snprintf(buf, sizeof(buf), "the table %s is missing", tables[i]);
			fault(ctx, buf);
			if (i == 0) {
				pq_api.PQclear(res);
				return 0;
			}
		}
		pq_api.PQclear(res);
	}
	if ((rc = query_value(pg, "SELECT version FROM phsg_schema WHERE application = 'phsg'",
			      "checking the schema", &res, &v)))
		return rc;
	if (!v) {
		fault(ctx, "phsg_schema does not mark the database as a phsg ledger");
	} else if (strtol(v, NULL, 10) != PHSG_LEDGER_VERSION) {
		snprintf(buf, sizeof(buf), "phsg_schema says version %s, not %d", v,
			 PHSG_LEDGER_VERSION);
		fault(ctx, buf);
	}
	pq_api.PQclear(res);
	return 0;
}

/* ---- opening and closing ---- */

/* What the database holds: its tables (in the schema we create in) and its marks. */
struct marks {
	long long tables;
	int marked;          /* phsg_schema exists */
	int phsg;            /* ... and names phsg */
	long long version;
};

static int read_marks(struct pg *pg, struct marks *m)
{
	PGresult *res;
	int rc;

	memset(m, 0, sizeof(*m));
	res = command(pg,
		"SELECT count(*), count(*) FILTER (WHERE c.relname = 'phsg_schema' AND c.relkind = 'r')"
		" FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname = pg_catalog.current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')");
	if ((rc = ok(pg, res)))
		return phsg_error_set(rc, "ledger '%s': reading the schema version: %s", pg->b.where,
				      phsg_error_last());
	m->tables = strtoll(pq_api.PQgetvalue(res, 0, 0), NULL, 10);
	m->marked = pq_api.PQgetvalue(res, 0, 1)[0] != '0';
	pq_api.PQclear(res);
	if (!m->marked)
		return 0;
	res = command(pg, "SELECT version FROM phsg_schema WHERE application = 'phsg'");
	if ((rc = ok(pg, res)))
		return phsg_error_set(rc, "ledger '%s': reading the schema version: %s", pg->b.where,
				      phsg_error_last());
	if (pq_api.PQntuples(res) == 1 && !pq_api.PQgetisnull(res, 0, 0)) {
		m->phsg = 1;
		m->version = strtoll(pq_api.PQgetvalue(res, 0, 0), NULL, 10);
	}
	pq_api.PQclear(res);
	return 0;
}

/* The messages are the SQLite backend's (ledger_sqlite.c), with the URI for the path. */
static int judge(struct pg *pg, const struct marks *m, int mode)
{
	const char *where = pg->b.where;

	if (m->tables == 0 && mode != PHSG_LEDGER_CREATE)
		return phsg_error_set(PHSG_ELEDGER,
			"there is no ledger at '%s' (one is made by the first 'phsg payee add', "
			"'award create' or 'award import'; or give --ledger PATH)", where);
	if (m->tables == 0)
		return 0;
	if (!m->marked || !m->phsg)
		return phsg_error_set(PHSG_ELEDGER, "'%s' is not a phsg ledger", where);
	if (m->version > PHSG_LEDGER_VERSION)
		return phsg_error_set(PHSG_ELEDGER,
			"ledger '%s' has schema version %lld, newer than this program's %d: "
			"use a newer phsg", where, m->version, PHSG_LEDGER_VERSION);
	if (m->version != PHSG_LEDGER_VERSION && mode == PHSG_LEDGER_READONLY)
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s' has schema version %lld and needs "
				      "migrating to %d: run a command that writes to it once, with "
				      "write access", where, m->version, PHSG_LEDGER_VERSION);
	return 0;
}

/*
 * Create the schema in an empty database, or bring an older one up to
 * date: one transaction, under the writers' lock, looking again once the
 * lock is held, since another process may have done it meanwhile.
 */
static int make_current(struct pg *pg, int mode)
{
	struct marks m;
	char buf[128];
	int rc;

	if ((rc = pg_begin(&pg->b, PHSG_LEDGER_OPEN_WAIT_MS)) == PHSG_LEDGER_BUSY)
		return phsg_error_set(PHSG_ELEDGER,
			"ledger '%s' is busy: another payment run or change is in progress; "
			"nothing was done, try again when it has finished", pg->b.where);
	if (rc)
		return rc;
	if ((rc = read_marks(pg, &m)) || (rc = judge(pg, &m, mode)))
		goto fail;
	if (m.tables == 0) {
		if ((rc = run(pg, phsg_pg_migrations[0].sql, "creating the schema")))
			goto fail;
		m.version = phsg_pg_migrations[0].version;
		pg->b.created = 1;
	}
	for (size_t i = 1; i < phsg_pg_n_migrations; i++) {
		if (phsg_pg_migrations[i].version <= m.version)
			continue;
		if ((rc = run(pg, phsg_pg_migrations[i].sql, "migrating the schema")))
			goto fail;
		snprintf(buf, sizeof(buf), "UPDATE phsg_schema SET version = %d WHERE application = 'phsg'",
			 phsg_pg_migrations[i].version);
		if ((rc = run(pg, buf, "recording the schema version")))
			goto fail;
		m.version = phsg_pg_migrations[i].version;
	}
	/* a version below the first PostgreSQL schema's was never made by phsg */
	if (m.version != PHSG_LEDGER_VERSION) {
		rc = phsg_error_set(PHSG_ELEDGER, "ledger '%s' has schema version %lld, which this "
				    "program cannot migrate to %d", pg->b.where, m.version,
				    PHSG_LEDGER_VERSION);
		goto fail;
	}
	if ((rc = pg_commit(&pg->b)))
		pg->b.created = 0;
	return rc;
fail:
	pg->b.created = 0;
	pg_rollback(&pg->b);
	return rc;
}

/* A ledger this process created holds nothing yet (SQLite: still_empty). */
static int still_empty(struct pg *pg)
{
	PGresult *res;
	const char *v;
	int empty;

	if (query_value(pg, "SELECT NOT EXISTS (SELECT 1 FROM payees) AND NOT EXISTS "
			"(SELECT 1 FROM awards)", "checking the ledger", &res, &v))
		return 0;
	empty = v && v[0] == 't';
	pq_api.PQclear(res);
	return empty;
}

static void pg_free(phsg_ledger_backend *b, int discard)
{
	struct pg *pg = PG(b);

	if (!b)
		return;
	if (pg->conn && pq_api.PQstatus(pg->conn) == CONNECTION_OK) {
		pg_rollback(b);
		/*
		 * A command that fails leaves no ledger behind (SPEC section 10):
		 * drop what we made, unless another process has written to it
		 * since, which the lock and a look at it tell.
		 */
		if (discard && b->created && !b->readonly && pg_begin(b, PHSG_LEDGER_OPEN_WAIT_MS) == 0) {
			if (still_empty(pg) && run(pg, drop_sql, NULL) == 0)
				pg_commit(b);
			pg_rollback(b);
		}
	}
	for (int i = 0; i < pg->n_stmts; i++)
		stmt_free(pg->stmts[i]);
	free(pg->stmts);
	free(pg->values);
	pq_api.PQfinish(pg->conn);
	free((char *)b->where);
	free(pg);
}

/* libpq prints the server's notices on stderr; a command's output is its own. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* Does the URI carry a password (user:password@ or ?password=)? */
static int has_password(const char *uri, int *bad)
{
	char *err = NULL;
	PQconninfoOption *opts = pq_api.PQconninfoParse(uri, &err);
	int found = 0;

	*bad = 0;
	if (!opts) {
		*bad = 1;
		if (err)
			phsg_error_set(PHSG_ELEDGER, "'%s' is not a PostgreSQL URI: %s", uri,
				       first_line(err, (char[256]){ 0 }, 256));
		else
			abort(); /* out of memory (phsg/error.h) */
		pq_api.PQfreemem(err);
		return 0;
	}
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			found = 1;
	pq_api.PQconninfoFree(opts);
	return found;
}

int phsg_ledger_postgresql_open(phsg_ledger_backend **out, const char *uri, int mode)
{
	static const char *const keys[] = { "dbname", "fallback_application_name", NULL };
	const char *values[] = { uri, "phsg", NULL };
	struct pg *pg;
	struct marks m;
	char buf[512];
	int rc, bad;

	*out = NULL;
	if (!uri || (strncmp(uri, "postgresql://", 13) != 0 && strncmp(uri, "postgres://", 11) != 0))
		return phsg_error_set(PHSG_ELEDGER, "'%s' is not a PostgreSQL URI (postgresql://...)",
				      uri ? uri : "");
	if ((rc = pq_load()))
		return rc;
	if (has_password(uri, &bad))
		return phsg_error_set(PHSG_ELEDGER, "the ledger's URI holds a password: give it in "
				      "~/.pgpass (or the file PGPASSFILE names), never on the "
				      "command line");
	if (bad)
		return PHSG_ELEDGER;
	if (!(pg = calloc(1, sizeof(*pg))))
		abort();
	/* PHSG_LEDGER_BACKEND_INIT, which -Wmissing-field-initializers refuses: calloc zeroed the rest */
	pg->b.version = PHSG_LEDGER_BACKEND_VERSION;
	pg->b.name = "postgresql";
	pg->b.where = xstrdup(uri);
	pg->b.readonly = mode == PHSG_LEDGER_READONLY;
	pg->b.begin = pg_begin;
	pg->b.commit = pg_commit;
	pg->b.rollback = pg_rollback;
	pg->b.prepare = pg_prepare;
	pg->b.bind_int = pg_bind_int;
	pg->b.bind_text = pg_bind_text;
	pg->b.step = pg_step;
	pg->b.column_type = pg_column_type;
	pg->b.column_int = pg_column_int;
	pg->b.column_text = pg_column_text;
	pg->b.reset = pg_reset;
	pg->b.exec = pg_exec;
	pg->b.check = pg_check;
	pg->b.free = pg_free;

	/* expand_dbname: the URI is the whole connection string */
	pg->conn = pq_api.PQconnectdbParams(keys, values, 1);
	if (!pg->conn)
		abort(); /* libpq could not allocate the connection */
	if (pq_api.PQstatus(pg->conn) != CONNECTION_OK) {
		rc = phsg_error_set(PHSG_ELEDGER, "cannot open ledger '%s': %s", uri,
				    first_line(pq_api.PQerrorMessage(pg->conn), buf, sizeof(buf)));
		goto fail;
	}
	pq_api.PQsetNoticeProcessor(pg->conn, quiet, NULL);
	/*
	 * Text in UTF-8 whatever the client's locale says; a read-only ledger
	 * refuses writes on the server too, autocommit statements included.
	 */
	if ((rc = pq_api.PQsetClientEncoding(pg->conn, "UTF8") != 0 ?
	     phsg_error_set(PHSG_ELEDGER, "ledger '%s': the server cannot speak UTF-8", uri) : 0) ||
	    (rc = run(pg, "SET default_transaction_isolation = 'read committed'",
		      "setting the isolation level")) ||
	    (pg->b.readonly && (rc = run(pg, "SET default_transaction_read_only = on",
					 "opening read-only"))))
		goto fail;
	if ((rc = read_marks(pg, &m)) || (rc = judge(pg, &m, mode)))
		goto fail;
	/* a current ledger is only read: opening one never waits for a payment run */
	if (m.tables == 0 || m.version != PHSG_LEDGER_VERSION)
		if ((rc = make_current(pg, mode)))
			goto fail;
	/* a report reads one snapshot from its first statement to its last, as on SQLite */
	if (pg->b.readonly) {
		if ((rc = run(pg, READ_SNAPSHOT, "starting to read")))
			goto fail;
		pg->reading = 1;
	}
	*out = &pg->b;
	return 0;
fail:
	pg->b.created = 0;
	pg_free(&pg->b, 0);
	return rc;
}
