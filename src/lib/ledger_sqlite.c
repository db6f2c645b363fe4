/*
 * ledger_sqlite.c - the ledger's SQLite backend, the embedded default.
 *
 * One database file, WAL journal, synchronous=FULL: a committed payment run
 * survives a power cut, and an interrupted one (kill -9 at any instant)
 * leaves no trace, because every command's writes are one transaction.
 * Write transactions start with BEGIN IMMEDIATE, so two writers never
 * interleave: the second waits for the first, or gives up.
 *
 * This file stores and fetches; the rules are in ledger.c.  It prepares
 * each of the ledger's statements once per open ledger and reuses it.  The
 * file is created with mode 0600 before SQLite opens it, because it holds
 * bank details.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "phsg/error.h"
#include "phsg/text.h"
#include "phsg/ledger.h"
#include "phsg/sys/ledger_backend.h"
#include "ledger_chunk.h"

#define PHSG_APPLICATION_ID 0x70687367 /* "phsg" */

extern const struct { int version; const char *sql; } phsg_migrations[];
extern const size_t phsg_n_migrations;

struct phsg_ledger_stmt {
	sqlite3_stmt *s;
	sqlite3 *db;
};

typedef struct {
	phsg_ledger_backend base;
	sqlite3 *db;
	char *path;
	struct phsg_ledger_stmt *stmts;  /* by statement number, prepared when first used */
	size_t n_stmts;
	dev_t dev;                       /* the file opened, for a reader to open the same */
	ino_t ino;
} sqlite_backend;

/* Does q's path name the file q opened?  A reader opens the path again. */
static int same_file(const sqlite_backend *q)
{
	struct stat sb;

	return q->ino && stat(q->path, &sb) == 0 && sb.st_dev == q->dev && sb.st_ino == q->ino;
}

static int sq_error(sqlite3 *db)
{
	return phsg_error_set(PHSG_ELEDGER, "%s", db ? sqlite3_errmsg(db) : "out of memory");
}

static int exec(sqlite_backend *q, const char *text, const char *what)
{
	char *err = NULL;

	if (sqlite3_exec(q->db, text, NULL, NULL, &err) != SQLITE_OK) {
		int rc = phsg_error_set(PHSG_ELEDGER, "ledger '%s': %s: %s", q->path, what,
					err ? err : sqlite3_errmsg(q->db));
		sqlite3_free(err);
		return rc;
	}
	return 0;
}

static int pragma_int(sqlite_backend *q, const char *pragma, int64_t *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(q->db, pragma, -1, &s, NULL) != SQLITE_OK) {
		if (sqlite3_errcode(q->db) == SQLITE_NOTADB)
			return phsg_error_set(PHSG_ELEDGER,
				"'%s' is not a phsg ledger (not an SQLite database)", q->path);
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s': reading the schema version: %s",
				      q->path, sqlite3_errmsg(q->db));
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = 0;
	} else if (rc == SQLITE_NOTADB) {
		rc = phsg_error_set(PHSG_ELEDGER,
			"'%s' is not a phsg ledger (not an SQLite database)", q->path);
	} else {
		rc = phsg_error_set(PHSG_ELEDGER, "ledger '%s': reading the schema version: %s",
				    q->path, sqlite3_errmsg(q->db));
	}
	sqlite3_finalize(s);
	return rc;
}

/* Read the marks that say what this file is. */
static int read_marks(sqlite_backend *q, int64_t *app, int64_t *version, int64_t *tables)
{
	int rc;

	if ((rc = pragma_int(q, "PRAGMA application_id", app)) ||
	    (rc = pragma_int(q, "PRAGMA user_version", version)) ||
	    (rc = pragma_int(q, "SELECT count(*) FROM sqlite_master", tables)))
		return rc;
	if (*app != PHSG_APPLICATION_ID && !(*app == 0 && *version == 0 && *tables == 0))
		return phsg_error_set(PHSG_ELEDGER, "'%s' is not a phsg ledger", q->path);
	if (*version > PHSG_LEDGER_VERSION)
		return phsg_error_set(PHSG_ELEDGER,
			"ledger '%s' has schema version %lld, newer than this program's %d: "
			"use a newer phsg", q->path, (long long)*version, PHSG_LEDGER_VERSION);
	return 0;
}

/* A ledger opened read-only must be a current phsg ledger: it cannot be migrated. */
static int check_readable(sqlite_backend *q)
{
	int64_t app = 0, version = 0, tables = 0;
	int rc;

	if ((rc = read_marks(q, &app, &version, &tables)))
		return rc;
	if (app != PHSG_APPLICATION_ID)
		return phsg_error_set(PHSG_ELEDGER, "'%s' is not a phsg ledger", q->path);
	if (version != PHSG_LEDGER_VERSION)
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s' has schema version %lld and needs "
				      "migrating to %d: run a command that writes to it once, with "
				      "write access", q->path, (long long)version, PHSG_LEDGER_VERSION);
	return 0;
}

/*
 * Bring the schema to PHSG_LEDGER_VERSION, in one transaction.  A ledger
 * that is already current is only read, so opening one never waits for a
 * payment run in progress.
 */
static int migrate(sqlite_backend *q)
{
	int64_t app = 0, version = 0, tables = 0;
	char buf[96];
	int rc;

	if ((rc = read_marks(q, &app, &version, &tables)))
		return rc;
	if (app != PHSG_APPLICATION_ID && !q->base.created)
		return phsg_error_set(PHSG_ELEDGER, "'%s' is not a phsg ledger", q->path);
	if (version == PHSG_LEDGER_VERSION)
		return 0;
	if ((rc = exec(q, "BEGIN IMMEDIATE", "starting the schema migration")))
		return rc;
	/* again, under the lock: another process may have migrated meanwhile */
	if ((rc = read_marks(q, &app, &version, &tables)))
		goto fail;
	for (size_t i = 0; i < phsg_n_migrations; i++) {
		if (phsg_migrations[i].version <= version)
			continue;
		if ((rc = exec(q, phsg_migrations[i].sql, "migrating the schema")))
			goto fail;
		snprintf(buf, sizeof(buf), "PRAGMA user_version = %d", phsg_migrations[i].version);
		if ((rc = exec(q, buf, "recording the schema version")))
			goto fail;
	}
	if (app == 0) {
		snprintf(buf, sizeof(buf), "PRAGMA application_id = %d", PHSG_APPLICATION_ID);
		if ((rc = exec(q, buf, "marking the ledger")))
			goto fail;
	}
	return exec(q, "COMMIT", "committing the schema");
fail:
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* SPEC section 12: a new path or a phsg ledger; never a name SQLite treats specially. */
static int check_path(const char *path)
{
	if (!path || !*path)
		return phsg_error_set(PHSG_ELEDGER, "the ledger path is empty: give --ledger PATH");
	if (strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0 || path[0] == ':')
		return phsg_error_set(PHSG_ELEDGER, "'%s' is not a file path: a ledger is a file "
				      "(SQLite's special names and URIs are refused)", path);
	return phsg_text_check_name("the ledger path", path, 4000) ?
		phsg_error_set(PHSG_ELEDGER, "the ledger path: %s", phsg_error_last()) : 0;
}

/* "file:/a%20b.db?immutable=1": a ledger in a folder this user cannot write. */
static char *immutable_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF", tail[] = "?immutable=1";
	size_t n = strlen(path), o = 0;
	char *u = malloc(3 * n + sizeof(tail) + 5);

	if (!u)
		abort();
	memcpy(u, "file:", 5);
	o = 5;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("/._-~", c)) {
			u[o++] = (char)c;
		} else {
			u[o++] = '%';
			u[o++] = hex[c >> 4];
			u[o++] = hex[c & 15];
		}
	}
	memcpy(u + o, tail, sizeof(tail));
	return u;
}

/* ---- the operations ---- */

static int sq_begin(phsg_ledger_backend *b, int wait_ms)
{
	sqlite_backend *q = (sqlite_backend *)b;
	int rc;

	sqlite3_busy_timeout(q->db, wait_ms);
	rc = sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	sqlite3_busy_timeout(q->db, PHSG_LEDGER_OPEN_WAIT_MS);
	if (rc == SQLITE_BUSY)
		return PHSG_LEDGER_BUSY;
	return rc == SQLITE_OK ? 0 : sq_error(q->db);
}

static int sq_commit(phsg_ledger_backend *b)
{
	sqlite_backend *q = (sqlite_backend *)b;

	return sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : sq_error(q->db);
}

static void sq_rollback(phsg_ledger_backend *b)
{
	sqlite3_exec(((sqlite_backend *)b)->db, "ROLLBACK", NULL, NULL, NULL);
}

/*
 * A writer keeps more of a run's pages in memory, and its
 * statement journals - a multi-row INSERT's - in memory rather than in a
 * temporary file: both bounded, neither growing with the ledger (issue 15).
 * A report keeps SQLite's page cache and temporary files, so a large sort
 * spills to disk.
 */
static int connection_settings(sqlite_backend *q)
{
	int rc;

	/*
	 * A report reads in one transaction: one snapshot of the ledger from
	 * its first statement to its last (a run committing meanwhile is all
	 * in it or all out), and no lock taken and dropped around each of a
	 * million statements.  Its large sort (the journal's, by date) may use
	 * a second thread.
	 */
	if (q->base.readonly) {
		if ((rc = exec(q, "PRAGMA threads = 2", "letting a sort use a second thread")))
			return rc;
		return exec(q, "BEGIN", "starting to read");
	}
	if ((rc = exec(q, "PRAGMA cache_size = -32768", "sizing the page cache")))
		return rc;
	return exec(q, "PRAGMA temp_store = MEMORY", "keeping statement journals in memory");
}

static phsg_ledger_stmt *sq_prepare(phsg_ledger_backend *b, int which, const char *sql)
{
	sqlite_backend *q = (sqlite_backend *)b;
	struct phsg_ledger_stmt *s;

	if (which < 0) {
		phsg_error_set(PHSG_ELEDGER, "statement %d", which);
		return NULL;
	}
	if ((size_t)which >= q->n_stmts) {
		size_t n = (size_t)which + 16;
		q->stmts = realloc(q->stmts, n * sizeof(*q->stmts));
		if (!q->stmts)
			abort();
		memset(q->stmts + q->n_stmts, 0, (n - q->n_stmts) * sizeof(*q->stmts));
		q->n_stmts = n;
	}
	s = &q->stmts[which];
	if (!s->s) {
		if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->s,
				       NULL) != SQLITE_OK) {
			sq_error(q->db);
			return NULL;
		}
		s->db = q->db;
	} else {
		sqlite3_reset(s->s);
		sqlite3_clear_bindings(s->s);
	}
	return s;
}

static void sq_bind_int(phsg_ledger_stmt *s, int i, int64_t v)
{
	sqlite3_bind_int64(s->s, i, v);
}

static void sq_bind_text(phsg_ledger_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s->s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s->s, i);
}

/* prepare() clears every binding, so a kept pointer is never read once stale */
static void sq_bind_text_kept(phsg_ledger_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s->s, i, v, -1, SQLITE_STATIC);
}

static int sq_step(phsg_ledger_stmt *s)
{
	int rc = sqlite3_step(s->s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return phsg_error_set(rc == SQLITE_CONSTRAINT ? PHSG_EINVAL : PHSG_ELEDGER, "%s",
			      sqlite3_errmsg(s->db));
}

static int sq_column_type(phsg_ledger_stmt *s, int i)
{
	switch (sqlite3_column_type(s->s, i)) {
	case SQLITE_NULL:
		return PHSG_COL_NULL;
	case SQLITE_INTEGER:
		return PHSG_COL_INT;
	default:
		return PHSG_COL_TEXT;
	}
}

static int64_t sq_column_int(phsg_ledger_stmt *s, int i)
{
	return sqlite3_column_int64(s->s, i);
}

static const char *sq_column_text(phsg_ledger_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s->s, i);
}

static void sq_reset(phsg_ledger_stmt *s)
{
	sqlite3_reset(s->s);
}

static int sq_exec(phsg_ledger_backend *b, const char *sql)
{
	sqlite_backend *q = (sqlite_backend *)b;
	char *err = NULL;

	if (sqlite3_exec(q->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		int rc = phsg_error_set(PHSG_ELEDGER, "%s", err ? err : sqlite3_errmsg(q->db));
		sqlite3_free(err);
		return rc;
	}
	return 0;
}

/* SQLite's own checks: the file's structure, then every reference. */
static int sq_check(phsg_ledger_backend *b, void (*fault)(void *ctx, const char *what), void *ctx)
{
	sqlite_backend *q = (sqlite_backend *)b;
	sqlite3_stmt *s = NULL;
	char msg[1024];
	int rc;

	if (sqlite3_prepare_v2(q->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return sq_error(q->db);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		if (t && strcmp(t, "ok")) {
			snprintf(msg, sizeof(msg), "SQLite integrity check: %s", t);
			fault(ctx, msg);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sq_error(q->db);
	/* every reference names a row that is there (integrity_check has
	 * checked the CHECK constraints): a run writes without SQLite checking
	 * each row (phsg_ledger_sqlite_row_checks), so here they are checked
	 * all at once */
	if (sqlite3_prepare_v2(q->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
		return sq_error(q->db);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(s, 0);
		const char *parent = (const char *)sqlite3_column_text(s, 2);
		if (sqlite3_column_type(s, 1) == SQLITE_NULL)
			snprintf(msg, sizeof(msg), "a row of %s names a row of %s that is not there",
				 table ? table : "?", parent ? parent : "?");
		else
			snprintf(msg, sizeof(msg), "row %lld of %s names a row of %s that is not there",
				 (long long)sqlite3_column_int64(s, 1), table ? table : "?",
				 parent ? parent : "?");
		fault(ctx, msg);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : sq_error(q->db);
}

static void sq_free(phsg_ledger_backend *b, int discard)
{
	sqlite_backend *q = (sqlite_backend *)b;

	if (!q)
		return;
	for (size_t i = 0; i < q->n_stmts; i++)
		sqlite3_finalize(q->stmts[i].s);
	free(q->stmts);
	if (q->db && !sqlite3_get_autocommit(q->db))
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL); /* a report's reading */
	sqlite3_close(q->db);
	if (discard) {
		static const char *const side[] = { "", "-wal", "-shm", "-journal" };
		char name[4200];
		for (size_t i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
			snprintf(name, sizeof(name), "%s%s", q->path, side[i]);
			unlink(name);
		}
	}
	free(q->path);
	free(q);
}

static const phsg_ledger_backend sqlite_ops = {
	.version = PHSG_LEDGER_BACKEND_VERSION,
	.name = "sqlite",
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_text_kept = sq_bind_text_kept,
	.step = sq_step,
	.column_type = sq_column_type,
	.column_int = sq_column_int,
	.column_text = sq_column_text,
	.reset = sq_reset,
	.exec = sq_exec,
	.check = sq_check,
	.free = sq_free,
};

/* Make the file (0600) or check that the one there may be a ledger. */
static int find_file(sqlite_backend *q, int create)
{
	struct stat sb;
	int fd = create ? open(q->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;

	if (fd >= 0) {
		close(fd);
		q->base.created = 1;
		return 0;
	}
	if (create && errno != EEXIST)
		return phsg_error_set(PHSG_ELEDGER, "cannot create ledger '%s': %s", q->path,
				      strerror(errno));
	if (stat(q->path, &sb) != 0)
		return phsg_error_set(PHSG_ELEDGER,
			"there is no ledger at '%s' (one is made by the first 'phsg payee add', "
			"'award create' or 'award import'; or give --ledger PATH)", q->path);
	if (!S_ISREG(sb.st_mode))
		return phsg_error_set(PHSG_ELEDGER, "'%s' is not a file: not a phsg ledger", q->path);
	if (sb.st_size == 0)
		return phsg_error_set(PHSG_ELEDGER, "'%s' exists but is empty: not a phsg ledger "
				      "(a new ledger is made only where there is no file)", q->path);
	return 0;
}

/*
 * SQLite counts every allocation it makes under a global mutex unless told
 * not to, which was a twentieth of a payment run (issue 15).  phsg never
 * asks for those counts.  This can only be set before SQLite starts: once,
 * before the first ledger opens; when the program has started SQLite itself
 * the call is refused and nothing changes.
 */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_start(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

/*
 * Whether b's connection checks each row it writes against the schema's
 * references (PRAGMA foreign_keys, which changes only outside a
 * transaction) and CHECK constraints (PRAGMA ignore_check_constraints).
 * 1 when set, 0 when b is not phsg's SQLite backend, which is left as it is.
 */
int phsg_ledger_sqlite_row_checks(phsg_ledger_backend *b, int on)
{
	sqlite_backend *q = (sqlite_backend *)b;
	int now = -1, rc;

	if (b->free != sq_free)
		return 0;
	if ((rc = exec(q, on ? "PRAGMA ignore_check_constraints = OFF" :
			       "PRAGMA ignore_check_constraints = ON", "setting its checks of rows")))
		return rc;
	/* the setting as it is after the call: unchanged inside a transaction */
	if (sqlite3_db_config(q->db, SQLITE_DBCONFIG_ENABLE_FKEY, on, &now) != SQLITE_OK || now != on)
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s': cannot turn its checks of references %s%s",
				      q->path, on ? "on" : "off",
				      sqlite3_get_autocommit(q->db) ? "" : " inside a transaction");
	return 1;
}

/*
 * A second connection to writer w's ledger that can only read (a run's
 * reader, ledger_chunk.h).  Opened read-only, never immutable: it reads
 * the write-ahead log, as w does.  w has checked the ledger and its
 * schema, and it reads in one transaction; its page cache is SQLite's
 * default, as it reads each page of a chunk's rows about once.
 */
int phsg_ledger_sqlite_reader(phsg_ledger_backend **out, const phsg_ledger_backend *w)
{
	const sqlite_backend *ws = (const sqlite_backend *)w;
	sqlite_backend *q;
	int rc;

	*out = NULL;
	/* the path now names another file (moved, replaced; or relative, and the
	 * process changed folder): the run reads on w itself */
	if (w->free != sq_free || !same_file(ws))
		return 0;
	if (!(q = calloc(1, sizeof(*q))) || !(q->path = strdup(ws->path)))
		abort();
	q->base = sqlite_ops;
	q->base.where = q->path;
	q->base.readonly = 1;
	if (sqlite3_open_v2(q->path, &q->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		if (!q->db)
			abort(); /* SQLite could not allocate the connection (phsg/error.h) */
		rc = phsg_error_set(PHSG_ELEDGER, "cannot open ledger '%s' a second time, to read "
				    "it: %s", q->path, sqlite3_errmsg(q->db));
		goto fail;
	}
	sqlite3_db_config(q->db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 1200, 1000);
	sqlite3_busy_timeout(q->db, PHSG_LEDGER_OPEN_WAIT_MS);
	/* its snapshot taken, from the file it opened: still w's? */
	if ((rc = exec(q, "BEGIN; SELECT 1 FROM meta LIMIT 1", "starting to read")))
		goto fail;
	q->dev = ws->dev;
	q->ino = ws->ino;
	if (!same_file(q)) {
		sq_free(&q->base, 0);
		return 0;
	}
	*out = &q->base;
	return 0;
fail:
	sq_free(&q->base, 0);
	return rc;
}

int phsg_ledger_sqlite_open(phsg_ledger_backend **out, const char *path, int mode)
{

	sqlite_backend *q;
	struct stat sb;
	int rc, readonly = mode == PHSG_LEDGER_READONLY;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	char *uri = NULL;

	*out = NULL;
	pthread_once(&sqlite_once, sqlite_start);
	if ((rc = check_path(path)))
		return rc;
	if (!(q = calloc(1, sizeof(*q))) || !(q->path = strdup(path)))
		abort();
	q->base = sqlite_ops;
	q->base.where = q->path;
	q->base.readonly = readonly;
	if ((rc = find_file(q, mode == PHSG_LEDGER_CREATE)))
		goto fail;
	if (readonly) {
		/*
		 * Reports need no write access.  Where the user may write the file
		 * and its folder it is opened as usual (so an older schema is
		 * migrated), and phsg_ledger_begin() refuses; where not, read-only,
		 * and without a writable folder (no -shm) immutable.
		 */
		char *dir = strdup(path), *slash;
		int folder_ok;
		if (!dir)
			abort();
		slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		folder_ok = access(slash ? dir : ".", W_OK) == 0;
		free(dir);
		if (!folder_ok) {
			uri = immutable_uri(path);
			flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
		} else if (access(path, W_OK) != 0) {
			flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
		} else {
			readonly = 0; /* for opening: the ledger stays read-only */
		}
	}
	if (sqlite3_open_v2(uri ? uri : path, &q->db, flags, NULL) != SQLITE_OK) {
		if (!q->db)
			abort(); /* SQLite could not allocate the connection (phsg/error.h) */
		rc = phsg_error_set(PHSG_ELEDGER, "cannot open ledger '%s': %s", path,
				    sqlite3_errmsg(q->db));
		goto fail;
	}
	sqlite3_db_config(q->db, SQLITE_DBCONFIG_LOOKASIDE, NULL, 1200, 1000);
	sqlite3_busy_timeout(q->db, PHSG_LEDGER_OPEN_WAIT_MS);
	if (stat(q->path, &sb) == 0) {
		q->dev = sb.st_dev;
		q->ino = sb.st_ino;
	}
	if ((rc = readonly ? check_readable(q) : migrate(q)) ||
	    (!readonly && (rc = exec(q, "PRAGMA journal_mode = WAL", "setting the journal mode"))) ||
	    (rc = exec(q, "PRAGMA synchronous = FULL", "setting durability")) ||
	    (rc = exec(q, "PRAGMA foreign_keys = ON", "enabling foreign keys")) ||
	    (rc = connection_settings(q)))
		goto fail;
	free(uri);
	*out = &q->base;
	return 0;
fail:
	free(uri);
	/* a file this call made holds nothing yet */
	sq_free(&q->base, q->base.created);
	return rc;
}
