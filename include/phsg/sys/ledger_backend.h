/*
 * phsg/sys/ledger_backend.h - what a ledger backend provides.
 *
 * The ledger (phsg/ledger.h) is one set of rules over stored rows; where
 * the rows live is a backend's business.  In the manner of libgit2's
 * pluggable backends, a backend is a versioned struct of operations: it
 * opens its store, runs the ledger's statements, and reports rows.  It
 * holds no rule of phsg's: references, the void and sent rules, bank
 * detail checks, what an award is owed - all of that is in ledger.c,
 * once, for every backend.
 *
 * The statements are the ledger's own (src/lib/ledger_sql.h): portable SQL
 * with numbered parameters ?1 ... ?20, which both SQLite and PostgreSQL
 * run as written once a backend has put its parameter marks in.  Dates are
 * ISO text, times ISO 8601 UTC text, money whole pence in 64-bit integers;
 * text compares byte by byte (PostgreSQL's "C" collation) so that every
 * list comes out in the same order from every backend.
 *
 * Write transactions are exclusive: begin() returns only when no other
 * writer holds the ledger (SQLite: BEGIN IMMEDIATE; PostgreSQL: a
 * transaction-level advisory lock), so the rows a transaction numbers with
 * max(id) + 1 are gapless and two payment runs never interleave.
 */
#ifndef PHSG_SYS_LEDGER_BACKEND_H
#define PHSG_SYS_LEDGER_BACKEND_H

#include <stdint.h>

/** The version of struct phsg_ledger_backend this library was built with. */
#define PHSG_LEDGER_BACKEND_VERSION 1

/** Initialise a backend struct: `phsg_ledger_backend b = PHSG_LEDGER_BACKEND_INIT;` */
#define PHSG_LEDGER_BACKEND_INIT { .version = PHSG_LEDGER_BACKEND_VERSION }

/** What a column holds. */
enum { PHSG_COL_NULL = 0, PHSG_COL_INT = 1, PHSG_COL_TEXT = 2 };

/** begin(): another writer kept the ledger past the wait. */
#define PHSG_LEDGER_BUSY 1

/**
 * Written at the end of a SELECT whose best plan depends on its values: a
 * chunk of awards' rows (ids listed or a range) from tables that grow
 * while one transaction reads them.
 */
#define PHSG_PLANNED_EACH_TIME "/* planned each time */"

/** A prepared statement of a backend's. */
typedef struct phsg_ledger_stmt phsg_ledger_stmt;

/** A backend: a versioned struct of operations (below). */
typedef struct phsg_ledger_backend phsg_ledger_backend;

/**
 * What a backend provides.  A backend's open function allocates one
 * (its own struct, with this one first), fills in every operation, and
 * hands it to phsg_ledger_wrap(), which owns it from then on.
 */
struct phsg_ledger_backend {
	unsigned int version;   /**< PHSG_LEDGER_BACKEND_VERSION */
	const char *name;       /**< "sqlite", "postgresql" */
	/**
	 * Where the ledger is, for messages: the path, or the URI without a
	 * password.  Owned by the backend.
	 */
	const char *where;
	/** Set by the open function when it made a new, empty ledger. */
	int created;
	/** Set by the open function when the ledger may only be read. */
	int readonly;

	/**
	 * Start a write transaction, waiting up to `wait_ms` for another
	 * writer.  0, PHSG_LEDGER_BUSY, or a negative phsg error (set).
	 */
	int (*begin)(phsg_ledger_backend *b, int wait_ms);
	int (*commit)(phsg_ledger_backend *b);
	void (*rollback)(phsg_ledger_backend *b);

	/**
	 * Statement `which` (an S_* of ledger_sql.h), whose portable text is
	 * `sql`; a backend may prepare it once and reuse it.  Returned reset,
	 * with no parameter bound (unbound ones are NULL).  NULL on failure,
	 * with the error set.  A SELECT whose text holds PHSG_PLANNED_EACH_TIME
	 * is best planned for the values it runs with, not once for any.
	 */
	phsg_ledger_stmt *(*prepare)(phsg_ledger_backend *b, int which, const char *sql);
	void (*bind_int)(phsg_ledger_stmt *s, int i, int64_t v);
	/** Bind text (copied); NULL binds SQL NULL. */
	void (*bind_text)(phsg_ledger_stmt *s, int i, const char *v);
	/**
	 * Bind text without copying it: `v` stays as it is until the
	 * statement's step has returned its last row or it is reset.  NULL
	 * when the backend has no such thing (bind_text is used).
	 */
	void (*bind_text_kept)(phsg_ledger_stmt *s, int i, const char *v);
	/**
	 * Run (on the first call) and move to the next row: 1 a row, 0 no
	 * more, or a negative phsg error with the database's message set:
	 * PHSG_EINVAL for a broken constraint, else PHSG_ELEDGER.
	 */
	int (*step)(phsg_ledger_stmt *s);
	/** The current row's column i (from 0). */
	int (*column_type)(phsg_ledger_stmt *s, int i);
	int64_t (*column_int)(phsg_ledger_stmt *s, int i);
	/** NULL for SQL NULL; valid until the next step, reset or prepare. */
	const char *(*column_text)(phsg_ledger_stmt *s, int i);
	/** Done with a statement's rows (before all were read). */
	void (*reset)(phsg_ledger_stmt *s);

	/**
	 * Run a script of statements without parameters (e.g. a copy's
	 * bulk work); 0 or a negative phsg error.
	 */
	int (*exec)(phsg_ledger_backend *b, const char *sql);

	/**
	 * The store's own consistency check (SQLite: integrity_check and
	 * foreign_key_check), calling fault once per problem.  0 when it ran.
	 */
	int (*check)(phsg_ledger_backend *b, void (*fault)(void *ctx, const char *what), void *ctx);

	/**
	 * Close and free.  With `discard`, remove the ledger: only ever asked
	 * for one this process created (`created`) and never committed to.
	 */
	void (*free)(phsg_ledger_backend *b, int discard);
};

/**
 * The backends phsg comes with.  `mode` is a PHSG_LEDGER_* of ledger.h;
 * each brings an older schema up to date (not READONLY) and refuses one
 * newer than this program.  PHSG_ELEDGER with the reason on failure.
 */
int phsg_ledger_sqlite_open(phsg_ledger_backend **out, const char *path, int mode);

/**
 * The PostgreSQL backend over a "postgresql://" or "postgres://" URI (its
 * password, if any, in ~/.pgpass, never in the URI); as
 * phsg_ledger_sqlite_open() otherwise.
 */
int phsg_ledger_postgresql_open(phsg_ledger_backend **out, const char *uri, int mode);

#endif
