/*
 * tools/bench/json-limit LEDGER - the floor under any command that rebuilds
 * every award of a SQLite ledger (report balances, a walk): the time jansson
 * alone takes to decode every stored award event's data, on one core, with
 * nothing else done with it.  The rows are read first and not timed.
 *
 * Prints "SECONDS EVENTS".  Exit 1 if a row is not JSON or the ledger cannot
 * be read.  A reference for make bench (issue 15), never part of phsg.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct events {
	char *text;          /* every event's data, each ending in a NUL */
	size_t len, cap;
	size_t n;
};

static int read_events(struct events *ev, const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT data FROM award_events ORDER BY award_id, id", -1, &s,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "json-limit: %s: %s\n", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(s, 0) + 1;
		if (ev->len + n > ev->cap) {
			ev->cap = 2 * (ev->len + n);
			if (!(ev->text = realloc(ev->text, ev->cap)))
				abort();
		}
		memcpy(ev->text + ev->len, sqlite3_column_text(s, 0), n);
		ev->len += n;
		ev->n++;
	}
	if (rc != SQLITE_DONE)
		fprintf(stderr, "json-limit: %s: %s\n", path, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc != SQLITE_DONE;
}

int main(int argc, char **argv)
{
	struct events ev = { NULL, 0, 0, 0 };
	struct timespec t0, t1;

	if (argc != 2) {
		fprintf(stderr, "usage: tools/bench/json-limit LEDGER\n");
		return 2;
	}
	if (read_events(&ev, argv[1]))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t at = 0; at < ev.len; at += strlen(ev.text + at) + 1) {
		json_t *data = json_loads(ev.text + at, 0, NULL);
		if (!data) {
			fprintf(stderr, "json-limit: an event's data is not JSON\n");
			return 1;
		}
		json_decref(data);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* whole milliseconds, printed as seconds: no floating point needed */
	long long ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("%lld.%02lld %zu\n", ms / 1000, ms % 1000 / 10, ev.n);
	free(ev.text);
	return 0;
}
