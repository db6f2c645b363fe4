/*
 * test_ledger.c - the ledger's conformance suite (SPEC section 14): what
 * every backend must do, asked through the public ledger API only.
 *
 * It runs against SQLite always, and against PostgreSQL too when
 * PHSG_PGTEST is set (inside `tools/pgtest run`, which makes a fresh
 * database for each test).  The figures are worked by hand from
 * config/medway.cfg: long-term support, maintenance high is 2 hours a week
 * at 21.40 an hour = 42.80 a week, 171.20 for a 4-week cycle; housing
 * options, basic high is 4 hours = 85.60 a week, 342.40 a cycle.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "phsg/error.h"
#include "phsg/run.h"
#include "phsg/ledger.h"

typedef struct {
	const char *backend;   /* "sqlite" or "postgresql" */
	char dir[64];          /* SQLite ledgers are made in here */
	int n;                 /* ledgers made so far */
	phsg_scheme *sc;
} fixture;

/* Where a new, empty ledger goes. */
static char *new_where(fixture *f)
{
	char *w = NULL;

	if (strcmp(f->backend, "sqlite") == 0) {
		if (asprintf(&w, "%s/l%d.db", f->dir, ++f->n) < 0)
			abort();
	} else {
		char cmd[512], line[1024];
		FILE *p;
		snprintf(cmd, sizeof(cmd), "'%s' newdb", getenv("PHSG_PGTEST"));
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_non_null(fgets(line, sizeof(line), p));
		assert_int_equal(pclose(p), 0);
		line[strcspn(line, "\n")] = '\0';
		if (!(w = strdup(line)))
			abort();
	}
	return w;
}

static int setup(void **state, const char *backend)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->backend = backend;
	snprintf(f->dir, sizeof(f->dir), "/tmp/phsg-conf.XXXXXX");
	if (!mkdtemp(f->dir) || phsg_scheme_load(&f->sc, "config/medway.cfg"))
		return -1;
	*state = f;
	return 0;
}

static int setup_sqlite(void **state)
{
	return setup(state, "sqlite");
}

static int setup_pg(void **state)
{
	return setup(state, "postgresql");
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	phsg_scheme_free(f->sc);
	free(f);
	return 0;
}

static phsg_ledger *open_new(fixture *f, char **where)
{
	phsg_ledger *l = NULL;

	*where = new_where(f);
	assert_int_equal(phsg_ledger_open(&l, *where, "tester", PHSG_LEDGER_CREATE), 0);
	assert_string_equal(phsg_ledger_backend_name(l), f->backend);
	return l;
}

static void add_payee(phsg_ledger *l, const char *ref, const char *sort_code)
{
	phsg_payee p = { .ref = ref, .name = "Jo Bloggs",
			 .sort_code = sort_code, .account = "12345678" };

	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_payee_add(l, &p), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
}

/* Create an award from `start` in its own transaction; its reference (caller frees). */
static char *add_award_from(fixture *f, phsg_ledger *l, const char *client, const char *package,
			    const char *need, const char *payee, const char *start, int *rc)
{
	const char *needs[] = { need };
	phsg_award_request n = { .version = PHSG_AWARD_REQUEST_VERSION, .client = client, .package = package, .method = "direct",
				 .payee = payee, .needs = needs, .n_needs = 1 };
	char *ref = NULL;

	phsg_date_parse(&n.start, start);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	if ((*rc = phsg_ledger_award_create(&ref, l, f->sc, &n)) == 0)
		assert_int_equal(phsg_ledger_commit(l), 0);
	else
		phsg_ledger_rollback(l);
	return ref;
}

/* The same from 2026-04-13. */
static char *add_award(fixture *f, phsg_ledger *l, const char *client, const char *package,
		       const char *need, const char *payee, int *rc)
{
	return add_award_from(f, l, client, package, need, payee, "2026-04-13", rc);
}

static int64_t net_paid(fixture *f, phsg_ledger *l, const char *ref)
{
	phsg_award aw;
	phsg_balance b;
	long long id = 0;

	assert_int_equal(phsg_ledger_award_lookup(&id, l, ref), 0);
	assert_int_equal(phsg_ledger_award_load(&aw, l, f->sc, id), 0);
	assert_int_equal(phsg_ledger_balance(&b, l, f->sc, &aw, -1, PHSG_DATE_LAST, 0), 0);
	phsg_award_release(&aw);
	return b.net;
}

/* A run listing at most listed_max due awards at once (0: the default), else paging them. */
static phsg_run_summary run_listing(fixture *f, phsg_ledger *l, const char *date, size_t listed_max)
{
	phsg_run_summary s;
	phsg_date d;

	phsg_date_parse(&d, date);
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;

	o.date = d;
	o.wait_ms = 0;
	o.listed_max = listed_max;
	if (phsg_run(&s, l, f->sc, &o))
		fail_msg("the run of %s: %s", date, phsg_error_last());
	return s;
}

static phsg_run_summary run_on(fixture *f, phsg_ledger *l, const char *date)
{
	return run_listing(f, l, date, 0);
}

static void count_fault(void *ctx, const char *what)
{
	(void)what;
	(*(size_t *)ctx)++;
}

/* verify's faults, one a line. */
static void note_fault(void *ctx, const char *what)
{
	char *all = ctx;

	strcat(all, what);
	strcat(all, "\n");
}

/* phsg verify finds nothing wrong with the ledger. */
static void assert_verifies(fixture *f, phsg_ledger *l)
{
	size_t faults = 0;

	assert_int_equal(phsg_ledger_verify(&faults, l, f->sc, count_fault, &faults), 0);
	assert_int_equal(faults, 0);
}

/* SQL run on the ledger by its own command-line client (sqlite3 or psql). */
static void sql_run(fixture *f, const char *where, const char *sql)
{
	char cmd[2048];

	if (strcmp(f->backend, "sqlite") == 0)
		snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"", where, sql);
	else
		snprintf(cmd, sizeof(cmd), "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -c \"%s\" >/dev/null",
			 where, sql);
	assert_int_equal(system(cmd), 0);
}

/* The first line a query prints through the ledger's own client, without its newline. */
static void sql_value(fixture *f, const char *where, const char *sql, char *out, size_t size)
{
	char cmd[2048];
	FILE *p;

	if (strcmp(f->backend, "sqlite") == 0)
		snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"", where, sql);
	else
		snprintf(cmd, sizeof(cmd), "psql -X -q -At -d '%s' -c \"%s\"", where, sql);
	assert_non_null(p = popen(cmd, "r"));
	if (!fgets(out, (int)size, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	assert_int_equal(pclose(p), 0);
}

/* A new ledger a command never wrote to is not left behind. */
static void test_unwritten_ledger_discarded(void **state)
{
	fixture *f = *state;
	phsg_ledger *l;
	char *where;

	l = open_new(f, &where);
	phsg_ledger_close(l);
	l = NULL;
	assert_int_equal(phsg_ledger_open(&l, where, "tester", PHSG_LEDGER_WRITE), PHSG_ELEDGER);
	assert_non_null(strstr(phsg_error_last(), "there is no ledger at"));
	assert_null(l);
	free(where);

	/* one this command did not make is kept, even with nothing in it */
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	phsg_ledger_close(l);
	sql_run(f, where, "DELETE FROM payees");
	l = NULL;
	assert_int_equal(phsg_ledger_open(&l, where, "tester", PHSG_LEDGER_WRITE), 0);
	phsg_ledger_close(l);
	l = NULL;
	assert_int_equal(phsg_ledger_open(&l, where, "tester", PHSG_LEDGER_WRITE), 0);
	phsg_ledger_close(l);
	free(where);
}

/* Rolled back is as if never done; committed is there for the next reader. */
static void test_transactions(void **state)
{
	fixture *f = *state;
	phsg_payee p = { .ref = "P1", .name = "Jo", .sort_code = "401234",
			 .account = "12345678" }, got;
	phsg_ledger *l, *r = NULL;
	char *where;

	l = open_new(f, &where);
	add_payee(l, "P0", "401234");
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_payee_add(l, &p), 0);
	phsg_ledger_rollback(l);
	assert_int_equal(phsg_ledger_payee_get(&got, l, "P1"), PHSG_ENOTFOUND);
	add_payee(l, "P1", "309876");
	assert_int_equal(phsg_ledger_open(&r, where, "reader", PHSG_LEDGER_READONLY), 0);
	assert_int_equal(phsg_ledger_payee_get(&got, r, "P1"), 0);
	assert_string_equal(got.sort_code, "309876");
	phsg_ledger_payee_release(&got);
	/* a ledger opened for reading is never written */
	assert_int_equal(phsg_ledger_begin(r, 0), PHSG_ELEDGER);
	/* the rules are the library's: bad details and duplicates refused on every backend */
	p.sort_code = "12345";
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_payee_add(l, &p), PHSG_EINVAL);
	p.sort_code = "401234";
	assert_int_equal(phsg_ledger_payee_add(l, &p), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "already exists"));
	phsg_ledger_rollback(l);
	phsg_ledger_close(r);
	phsg_ledger_close(l);
	free(where);
}

/* A writer waits for another, then gives up with "busy"; never both at once. */
static void test_exclusive_writers(void **state)
{
	fixture *f = *state;
	phsg_ledger *a, *b = NULL;
	char *where;

	a = open_new(f, &where);
	add_payee(a, "P1", "401234");
	assert_int_equal(phsg_ledger_open(&b, where, "other", PHSG_LEDGER_WRITE), 0);
	assert_int_equal(phsg_ledger_begin(a, 0), 0);
	assert_int_equal(phsg_ledger_begin(b, 200), PHSG_ELEDGER);
	assert_non_null(strstr(phsg_error_last(), "is busy"));
	assert_int_equal(phsg_ledger_commit(a), 0);
	assert_int_equal(phsg_ledger_begin(b, 200), 0);
	phsg_ledger_rollback(b);
	phsg_ledger_close(b);
	phsg_ledger_close(a);
	free(where);
}

/*
 * References without gaps, also after a refused create; a run pays, a
 * second run pays nothing; a void is repaid exactly by the next run; a
 * sent batch cannot be voided.
 */
static void test_awards_and_runs(void **state)
{
	fixture *f = *state;
	phsg_ledger *l;
	phsg_run_summary s;
	char *where, *a, *b, *bad;
	long long next = 0;
	int rc;

	l = open_new(f, &where);
	/* batches are numbered 1, 2, ... and a number is never given again */
	assert_int_equal(phsg_ledger_next_batch(&next, l), 0);
	assert_int_equal(next, 1);
	add_payee(l, "P1", "401234");
	a = add_award(f, l, "V1", "long-term-support", "maintenance=high", "P1", &rc);
	assert_int_equal(rc, 0);
	bad = add_award(f, l, "V2", "housing-options", "basic=high", "NOBODY", &rc);
	assert_int_equal(rc, PHSG_ENOTFOUND);
	assert_null(bad);
	b = add_award(f, l, "V2", "housing-options", "basic=high", "P1", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(a, "A000001");
	assert_string_equal(b, "A000002");

	/* 2026-04-13: the first cycle of each, 171.20 + 342.40 = 513.60 */
	s = run_on(f, l, "2026-04-13");
	assert_int_equal(s.batch, 1);
	assert_int_equal(s.n_payments, 2);
	assert_int_equal(s.total, 17120 + 34240);
	s = run_on(f, l, "2026-04-13");
	assert_int_equal(s.batch, 0);
	assert_int_equal(s.n_payments, 0);
	assert_int_equal(phsg_ledger_next_batch(&next, l), 0);
	assert_int_equal(next, 2); /* the idle run made no batch */

	/* voided: nothing counts as paid; the next run (05-11) pays both cycles of each */
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_batch_void(l, 1), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	assert_int_equal(net_paid(f, l, a), 0);
	assert_int_equal(phsg_ledger_next_batch(&next, l), 0);
	assert_int_equal(next, 2); /* a voided batch keeps its number */
	s = run_on(f, l, "2026-05-11");
	assert_int_equal(s.batch, 2);
	assert_int_equal(s.total, 2 * (17120 + 34240));
	assert_int_equal(net_paid(f, l, a), 2 * 17120);
	assert_int_equal(net_paid(f, l, b), 2 * 34240);

	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_batch_sent(l, 2), 0);
	assert_int_equal(phsg_ledger_batch_void(l, 2), PHSG_ERULE);
	assert_int_equal(phsg_ledger_batch_void(l, 1), PHSG_ERULE);
	phsg_ledger_rollback(l);
	assert_verifies(f, l);
	phsg_ledger_close(l);
	free(a);
	free(b);
	free(where);
}

/* The journal as text, to compare two ledgers. */
static int journal_line(void *ctx, const phsg_journal_entry *e)
{
	char **text = ctx, d[PHSG_DATE_BUF], *more = NULL;

	phsg_date_format(d, e->date);
	if (asprintf(&more, "%s%s %s %s %s %s %lld %lld\n", *text ? *text : "", e->kind, d, e->award,
		     e->component, e->payee, (long long)e->amount, e->batch) < 0)
		abort();
	free(*text);
	*text = more;
	return 0;
}

static char *journal_of(phsg_ledger *l)
{
	char *text = NULL;

	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, journal_line, &text), 0);
	return text;
}

/* A copy into this backend (from SQLite) has the same journal; a second copy is refused. */
static void test_copy(void **state)
{
	fixture *f = *state;
	fixture lite = *f;
	phsg_ledger *from, *to;
	size_t rows = 0, faults = 0;
	char *w1, *w2, *a, *j1, *j2;
	int rc;

	lite.backend = "sqlite";
	from = open_new(&lite, &w1);
	f->n = lite.n;
	add_payee(from, "P1", "401234");
	a = add_award(f, from, "V1", "long-term-support", "maintenance=high", "P1", &rc);
	run_on(f, from, "2026-04-13");
	assert_int_equal(phsg_ledger_begin(from, 0), 0);
	assert_int_equal(phsg_ledger_batch_void(from, 1), 0);
	assert_int_equal(phsg_ledger_commit(from), 0);
	run_on(f, from, "2026-05-11");
	to = open_new(f, &w2);
	assert_int_equal(phsg_ledger_copy(&rows, &faults, from, to, f->sc, count_fault, &faults), 0);
	assert_int_equal(faults, 0);
	assert_true(rows > 10);
	j1 = journal_of(from);
	j2 = journal_of(to);
	assert_string_equal(j1, j2);
	assert_int_equal(net_paid(f, to, a), 2 * 17120);
	assert_int_equal(phsg_ledger_copy(&rows, &faults, from, to, f->sc, count_fault, &faults),
			 PHSG_ERULE);
	free(j1);
	free(j2);
	free(a);
	phsg_ledger_close(to);
	phsg_ledger_close(from);
	free(w1);
	free(w2);
}

/* The one award a walk sees: its sums for each of its (at most 3) components. */
typedef struct {
	int seen;
	int64_t paid[3], recovered[3];
} comp_sums;

static int comp_note(void *ctx, const phsg_award *aw, const phsg_award_sums *s)
{
	comp_sums *c = ctx;

	c->seen++;
	for (size_t j = 0; j < aw->package->n_components && j < 3; j++) {
		c->paid[j] = s->paid[j];
		c->recovered[j] = s->recovered[j];
	}
	return 0;
}

/*
 * Balances per component, and money received back split over components
 * (ledger_money.c), on Oxfordshire's core and flexi: core 38.00 a week
 * (152.00 a cycle) to the scheme's provider, flexi 2 hours at 22.00 =
 * 44.00 a week (176.00 a cycle), cash 40.00 a cycle; 368.00 in all.
 */
static void test_money_rules(void **state)
{
	fixture *f = *state;
	phsg_scheme *ox = NULL;
	phsg_award_request n = { .version = PHSG_AWARD_REQUEST_VERSION, .client = "X1", .package = "core-and-flexi", .method = "direct",
				 .payee = "P1", .hours = "2" };
	phsg_award aw, before, after;
	phsg_balance b;
	phsg_ledger *l;
	long long id = 0;
	char *where, *ref = NULL;
	phsg_date on;

	assert_int_equal(phsg_scheme_load(&ox, "config/oxfordshire.cfg"), 0);
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_payee(l, "scheme-provider", "309876");
	phsg_date_parse(&n.start, "2026-04-13");
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_award_create(&ref, l, ox, &n), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	phsg_date_parse(&on, "2026-04-13");
	{
		phsg_run_summary s;
		phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
		o.date = on;
		assert_int_equal(phsg_run(&s, l, ox, &o), 0);
		assert_int_equal(s.total, 15200 + 17600 + 4000);
	}
	{
		/* a walk's sums, component by component, as the run paid them */
		comp_sums cs = { 0 };
		assert_int_equal(phsg_ledger_awards_walk(l, ox, on, comp_note, &cs), 0);
		assert_int_equal(cs.seen, 1);
		assert_int_equal(cs.paid[0], 15200);
		assert_int_equal(cs.paid[1], 17600);
		assert_int_equal(cs.paid[2], 4000);
		assert_int_equal(cs.recovered[0] + cs.recovered[1] + cs.recovered[2], 0);
	}
	assert_int_equal(phsg_ledger_award_lookup(&id, l, ref), 0);
	assert_int_equal(phsg_ledger_award_load(&aw, l, ox, id), 0);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 0, on, 0), 0);
	assert_int_equal(b.net, 15200);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 1, on, 0), 0);
	assert_int_equal(b.net, 17600);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, -1, on, 0), 0);
	assert_int_equal(b.net, 36800);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 3, on, 0), PHSG_EINVAL);
	/* paid no more than its entitlement: nothing to receive back */
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_recovery_receive(l, ox, &aw, 100, on), PHSG_ERULE);
	assert_non_null(strstr(phsg_error_last(), "owes nothing back"));
	phsg_ledger_rollback(l);
	phsg_award_release(&aw);

	/* ended on 2026-04-20, its last day 04-19: 7 days, so entitled to core
	 * 38.00, flexi 44.00, cash 40.00 x 7 / 28 = 10.00; owed back 114.00,
	 * 132.00 and 30.00 = 276.00 */
	phsg_date_parse(&on, "2026-04-20");
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_award_change(&before, &after, l, ox, ref, "end", on, "{}"), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	phsg_award_release(&before);
	phsg_award_release(&after);
	assert_int_equal(phsg_ledger_award_load(&aw, l, ox, id), 0);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_recovery_receive(l, ox, &aw, 0, on), PHSG_EINVAL);
	assert_int_equal(phsg_ledger_recovery_receive(l, ox, &aw, 27601, on), PHSG_ERULE);
	assert_non_null(strstr(phsg_error_last(), "the amount owed is 276.00"));
	/* 164.00: core takes all it owes (114.00), flexi the rest (50.00) */
	assert_int_equal(phsg_ledger_recovery_receive(l, ox, &aw, 16400, on), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 0, PHSG_DATE_LAST, 0), 0);
	assert_int_equal(b.recovered, 11400);
	assert_int_equal(b.net, 15200 - 11400);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 1, PHSG_DATE_LAST, 0), 0);
	assert_int_equal(b.recovered, 5000);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 2, PHSG_DATE_LAST, 0), 0);
	assert_int_equal(b.recovered, 0);
	/*
	 * A penny is a recovery too: 0.01 goes to flexi (owed 82.00 more); then
	 * 82.00 takes flexi's last 81.99 and one penny of cash's 30.00.
	 */
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_recovery_receive(l, ox, &aw, 1, on), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 1, PHSG_DATE_LAST, 0), 0);
	assert_int_equal(b.recovered, 5001);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_recovery_receive(l, ox, &aw, 8200, on), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 1, PHSG_DATE_LAST, 0), 0);
	assert_int_equal(b.recovered, 13200);
	assert_int_equal(phsg_ledger_balance(&b, l, ox, &aw, 2, PHSG_DATE_LAST, 0), 0);
	assert_int_equal(b.recovered, 1);
	{
		/* and a walk's: each recovery on its own component, the payments as they were */
		comp_sums cs = { 0 };
		assert_int_equal(phsg_ledger_awards_walk(l, ox, PHSG_DATE_LAST, comp_note, &cs), 0);
		assert_int_equal(cs.recovered[0], 11400);
		assert_int_equal(cs.recovered[1], 13200);
		assert_int_equal(cs.recovered[2], 1);
		assert_int_equal(cs.paid[0], 15200);
		assert_int_equal(cs.paid[1], 17600);
		assert_int_equal(cs.paid[2], 4000);
	}
	phsg_award_release(&aw);
	phsg_ledger_close(l);
	phsg_scheme_free(ox);
	free(ref);
	free(where);
}

/* A client's second award of a package: refused while the periods overlap. */
static void test_overlaps(void **state)
{
	fixture *f = *state;
	const char *needs[] = { "maintenance=low" };
	phsg_award_request n = { .version = PHSG_AWARD_REQUEST_VERSION, .client = "V1", .package = "long-term-support", .method = "direct",
				 .payee = "P1", .needs = needs, .n_needs = 1 };
	phsg_ledger *l;
	char *where, *a, *ref = NULL;
	int rc;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	/* 24 months from 2026-04-13: its last day is 2028-04-12 */
	a = add_award(f, l, "V1", "long-term-support", "maintenance=high", "P1", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	phsg_date_parse(&n.start, "2028-04-12");
	assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), PHSG_ERULE);
	assert_non_null(strstr(phsg_error_last(), "overlaps this one"));
	n.allow_overlap = 1;
	assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), 0);
	free(ref);
	n.allow_overlap = 0;
	n.client = "V9";     /* another client: no overlap */
	assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), 0);
	free(ref);
	n.client = "V1";
	n.package = "practical-support";   /* another package: no overlap */
	assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), 0);
	free(ref);
	phsg_ledger_rollback(l);
	/* the day after the first's last day: allowed without saying so */
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	n.package = "long-term-support";
	phsg_date_parse(&n.start, "2028-04-13");
	assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), 0);
	assert_string_equal(ref, "A000002");
	assert_int_equal(phsg_ledger_commit(l), 0);
	free(ref);
	free(a);
	phsg_ledger_close(l);
	free(where);
}

/* Oxfordshire's tiered support for T1 from 2026-04-13, paid to P1: assessed tier 2, chosen 4. */
static phsg_award_request tiered_request(void)
{
	phsg_award_request n = PHSG_AWARD_REQUEST_INIT;

	n.client = "T1";
	n.package = "older-people-tiered";
	n.method = "direct";
	n.payee = "P1";
	n.tier = 2;
	n.chosen_tier = 4;
	phsg_date_parse(&n.start, "2026-04-13");
	return n;
}

/* A new ledger holding that award (*ref), with Oxfordshire's scheme loaded into *ox. */
static phsg_ledger *tiered_ledger(fixture *f, char **where, phsg_scheme **ox, char **ref)
{
	phsg_award_request n = tiered_request();
	phsg_ledger *l;

	assert_int_equal(phsg_scheme_load(ox, "config/oxfordshire.cfg"), 0);
	l = open_new(f, where);
	add_payee(l, "P1", "401234");
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_award_create(ref, l, *ox, &n), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	return l;
}

/*
 * A person's own contribution (ledger_money.c), on Oxfordshire's tiered
 * support: assessed tier 2 (3.00 a week, the council's), chosen tier 4
 * (12.00 a week), so the person pays 9.00 a week, 36.00 a cycle.
 */
static void test_contributions(void **state)
{
	fixture *f = *state;
	phsg_scheme *ox = NULL;
	phsg_award_request n;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_contribution_account acc;
	phsg_run_summary s;
	phsg_award aw, plain;
	phsg_event_row *rows = NULL;
	phsg_ledger *l;
	long long id = 0;
	size_t n_rows = 0;
	char *where, *ref = NULL, year[8];
	struct tm tm;
	time_t now = time(NULL);

	l = tiered_ledger(f, &where, &ox, &ref);
	n = tiered_request();
	/* every row a command writes carries the time it was written, in UTC */
	assert_int_equal(phsg_ledger_award_lookup(&id, l, ref), 0);
	assert_int_equal(phsg_ledger_award_events(&rows, &n_rows, l, id), 0);
	assert_int_equal(n_rows, 1);
	gmtime_r(&now, &tm);
	snprintf(year, sizeof(year), "%04d-", tm.tm_year + 1900);
	assert_memory_equal(rows[0].recorded_at, year, 5);
	assert_int_equal(strlen(rows[0].recorded_at), strlen("2026-11-25T13:01:15.123Z"));
	phsg_ledger_event_rows_free(rows, n_rows);

	phsg_date_parse(&o.date, "2026-04-13");
	assert_int_equal(phsg_run(&s, l, ox, &o), 0);
	assert_int_equal(s.total, 1200);
	assert_int_equal(s.contributions_total, 3600);
	assert_int_equal(phsg_ledger_award_load(&aw, l, ox, id), 0);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_contribution_record(l, &aw, 0, 5000, o.date), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	/* charged 36.00, received 50.00: 14.00 to refund, nothing outstanding */
	assert_int_equal(phsg_ledger_contribution_account(&acc, l, &aw, o.date), 0);
	assert_int_equal(acc.charged, 3600);
	assert_int_equal(acc.received, 5000);
	assert_int_equal(acc.refunded, 0);
	assert_int_equal(acc.outstanding, 0);
	assert_int_equal(acc.refund_due, 1400);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_contribution_record(l, &aw, 1, 1401, o.date), PHSG_ERULE);
	assert_non_null(strstr(phsg_error_last(), "the person paid 14.00 beyond what was charged"));
	assert_int_equal(phsg_ledger_contribution_record(l, &aw, 1, 1400, o.date), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	assert_int_equal(phsg_ledger_contribution_account(&acc, l, &aw, o.date), 0);
	assert_int_equal(acc.refunded, 1400);
	assert_int_equal(acc.refund_due, 0);
	/* the day before: nothing charged or received yet */
	assert_int_equal(phsg_ledger_contribution_account(&acc, l, &aw, o.date - 1), 0);
	assert_int_equal(acc.charged + acc.received + acc.refunded, 0);

	/* an award with no tier above the one assessed has nothing to receive */
	n.chosen_tier = 2;
	n.client = "T2";
	free(ref);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_award_create(&ref, l, ox, &n), 0);
	assert_int_equal(phsg_ledger_award_lookup(&id, l, ref), 0);
	assert_int_equal(phsg_ledger_award_load(&plain, l, ox, id), 0);
	assert_int_equal(phsg_ledger_contribution_record(l, &plain, 0, 100, o.date), PHSG_ERULE);
	assert_non_null(strstr(phsg_error_last(), "no contribution of the person's own"));
	phsg_ledger_rollback(l);
	phsg_award_release(&plain);

	/*
	 * verify counts the contribution's cycles too: without the run's mark
	 * for its cycle from 04-13 (due that day), the award the index next
	 * reads on 05-04 (a week before the cycle from 05-11) has a charge due
	 * that no run would make.
	 */
	{
		char faults[1024] = "";
		size_t n_faults = 0;
		assert_int_equal(phsg_ledger_verify(&n_faults, l, ox, note_fault, faults), 0);
		assert_int_equal(n_faults, 0);
		/* and charged as far as it is marked: 36.00 a cycle, so 72.00 to 06-07
		 * (the run's kept cycles dropped: their fault is test_kept_cycles') */
		sql_run(f, where, "UPDATE processed SET last_cycle = last_cycle + 1"
			" WHERE component = 'contribution'");
		sql_run(f, where, "UPDATE award_index SET cycles = NULL");
		assert_int_equal(phsg_ledger_verify(&n_faults, l, ox, note_fault, faults), 0);
		assert_string_equal(faults, "award A000001 contribution: the payment rule gives 72.00"
				    " to 2026-06-07, the end of its last processed cycle, but 36.00 is"
				    " charged: 36.00 short\n");
		faults[0] = '\0';
		sql_run(f, where, "DELETE FROM processed WHERE component = 'contribution'");
		assert_int_equal(phsg_ledger_verify(&n_faults, l, ox, note_fault, faults), 0);
		assert_string_equal(faults, "award A000001: its cycle from 2026-04-13 falls due on"
				    " 2026-04-13 and no run has processed it, but the run's index"
				    " (award_index) would first read the award on 2026-05-04: a run"
				    " before then would not pay it\n");
	}
	phsg_award_release(&aw);
	phsg_ledger_close(l);
	phsg_scheme_free(ox);
	free(ref);
	free(where);
}

/* Medway's scheme edited by a sed expression, as NAME in the test's folder, with its holidays. */
static phsg_scheme *scheme_edited(fixture *f, const char *name, const char *sed)
{
	phsg_scheme *sc = NULL;
	char cfg[128], cmd[512];

	snprintf(cfg, sizeof(cfg), "%s/%s", f->dir, name);
	snprintf(cmd, sizeof(cmd), "sed '%s' config/medway.cfg > '%s'"
		 " && cp config/bank-holidays-england-wales.cfg '%s/'", sed, cfg, f->dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(phsg_scheme_load(&sc, cfg), 0);
	return sc;
}

/*
 * A changed scheme makes the next run look at every award again: the
 * hourly rate from 2024 raised from 21.40 to 22.00 after the first cycle
 * was paid (2 hours a week, 4 weeks: 171.20), so the run on the same date
 * pays 2 x 0.60 x 4 = 4.80 more to each, though nothing fell due.  The same
 * with the due awards listed (two, under the run's limit) and paged (a
 * limit of one): a run that pages reads them on a second connection to a
 * SQLite ledger, except when, as here, it must see its own marks first.
 */
static void test_scheme_change(void **state)
{
	fixture *f = *state;
	phsg_scheme *raised = NULL;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary s;
	phsg_ledger *l;
	char *where, *a[2];
	int rc;

	raised = scheme_edited(f, "raised.cfg", "s/hourly = \"21.40\"/hourly = \"22.00\"/");
	for (size_t listed_max = 0; listed_max < 2; listed_max++) {
		l = open_new(f, &where);
		add_payee(l, "P1", "401234");
		for (int i = 0; i < 2; i++) {
			a[i] = add_award(f, l, i ? "V2" : "V1", "long-term-support", "maintenance=high",
					 "P1", &rc);
			assert_int_equal(rc, 0);
		}
		s = run_on(f, l, "2026-04-13");
		assert_int_equal(s.total, 2 * 17120);
		phsg_date_parse(&o.date, "2026-04-13");
		o.listed_max = listed_max;
		assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
		assert_int_equal(s.awards_considered, 0);
		assert_int_equal(s.total, 0);
		assert_int_equal(phsg_run(&s, l, raised, &o), 0);
		assert_int_equal(s.awards_considered, 2);
		assert_int_equal(s.total, 2 * 480);
		/* and once seen, the next run under it looks at none again */
		assert_int_equal(phsg_run(&s, l, raised, &o), 0);
		assert_int_equal(s.awards_considered, 0);
		for (int i = 0; i < 2; i++) {
			assert_int_equal(net_paid(f, l, a[i]), 17600);
			free(a[i]);
		}
		phsg_ledger_close(l);
		free(where);
	}
	phsg_scheme_free(raised);
}

/*
 * A run holds the rows it writes and writes them 64 to a statement (issue
 * 15).  70 awards paid by one run: one statement of 64 rows and 6 of one.
 * Each is paid once, in award order, with ids in that order; the run's own
 * statements see what it holds (the batch total); a dry run's rows are
 * dropped; a second run finds the cycles processed.  A report opened
 * before the run commits reads the ledger as it was when it began: all of
 * the run or none of it.  Long-term support, maintenance high: 171.20 a
 * cycle, 70 x 171.20 = 11,984.00.
 */
static void test_held_rows(void **state)
{
	fixture *f = *state;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary s;
	phsg_ledger *l, *before = NULL, *after = NULL;
	char *where, *refs[70], *journal, expected[70 * 64], *e = expected;
	phsg_posting opening = { .comp = 0, .kind = PHSG_POST_OPENING, .amount = 500, .payee = "P1",
				 .method = PHSG_METHOD_DIRECT };
	phsg_award_history h = { 0 };
	phsg_award aw;
	long long id = 0;
	int rc;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	for (int i = 0; i < 70; i++) {
		char client[16];
		snprintf(client, sizeof(client), "V%d", i + 1);
		refs[i] = add_award(f, l, client, "long-term-support", "maintenance=high", "P1", &rc);
		assert_int_equal(rc, 0);
	}
	phsg_date_parse(&o.date, "2026-04-13");
	o.dry_run = 1;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
	assert_int_equal(s.n_payments, 70);
	assert_int_equal(s.total, 1198400);
	assert_null(journal_of(l));

	assert_int_equal(phsg_ledger_open(&before, where, "reader", PHSG_LEDGER_READONLY), 0);
	assert_int_equal(net_paid(f, before, refs[0]), 0);
	s = run_on(f, l, "2026-04-13");
	assert_int_equal(s.batch, 1);
	assert_int_equal(s.n_payments, 70);
	assert_int_equal(s.total, 1198400);
	assert_int_equal(net_paid(f, before, refs[69]), 0);
	assert_null(journal_of(before));
	assert_int_equal(phsg_ledger_open(&after, where, "reader", PHSG_LEDGER_READONLY), 0);
	assert_int_equal(net_paid(f, after, refs[69]), 17120);

	for (int i = 0; i < 70; i++)
		e += sprintf(e, "cycle 2026-04-13 A%06d ras P1 17120 1\n", i + 1);
	journal = journal_of(after);
	assert_string_equal(journal, expected);
	free(journal);
	s = run_on(f, l, "2026-04-13");
	assert_int_equal(s.n_payments, 0);
	s = run_on(f, l, "2026-05-11");
	assert_int_equal(s.batch, 2);
	assert_int_equal(s.n_payments, 70);
	assert_int_equal(net_paid(f, l, refs[64]), 2 * 17120);

	/* a posting held for an award is in that award's history read next, until rolled back */
	assert_int_equal(phsg_ledger_award_lookup(&id, l, refs[0]), 0);
	assert_int_equal(phsg_ledger_award_load(&aw, l, f->sc, id), 0);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	phsg_date_parse(&opening.cycle_start, "2026-04-13");
	phsg_date_parse(&opening.cycle_end, "2026-05-11");
	opening.due = opening.cycle_start;
	assert_int_equal(phsg_ledger_posting_add(l, 0, &aw, &opening), 0);
	assert_int_equal(phsg_ledger_award_history(&h, l, &aw), 0);
	assert_int_equal(h.states[1].paid, 2 * 17120 + 500);
	phsg_ledger_rollback(l);
	assert_int_equal(phsg_ledger_award_history(&h, l, &aw), 0);
	assert_int_equal(h.states[1].paid, 2 * 17120);
	/* so is a processed mark held for it: the cycles of 04-13 and 05-11, then one ten later */
	assert_int_equal(h.states[1].n_processed, 2);
	long later = h.states[1].processed[1] + 10;
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_processed_add(l, 0, &aw, 0, later, later), 0);
	assert_int_equal(phsg_ledger_award_history(&h, l, &aw), 0);
	assert_int_equal(h.states[1].n_processed, 3);
	assert_int_equal(h.states[1].processed[2], later);
	phsg_ledger_rollback(l);
	phsg_ledger_award_history_release(&h);
	assert_verifies(f, l);
	/* after that rollback, outside any transaction, a posting is written at once */
	phsg_ledger *other = NULL;
	assert_int_equal(phsg_ledger_posting_add(l, 0, &aw, &opening), 0);
	assert_int_equal(phsg_ledger_open(&other, where, "reader", PHSG_LEDGER_READONLY), 0);
	assert_int_equal(net_paid(f, other, refs[0]), 2 * 17120 + 500);
	phsg_ledger_close(other);
	phsg_award_release(&aw);
	phsg_ledger_close(after);
	phsg_ledger_close(before);
	phsg_ledger_close(l);
	for (int i = 0; i < 70; i++)
		free(refs[i]);
	free(where);
}

static int note_changed(void *ctx, const char *payee)
{
	strcat(ctx, payee);
	strcat(ctx, " ");
	return 0;
}

/*
 * The check a run makes of every payee its batch pays (SPEC section 11):
 * those paid to other bank details than their last payment, named once
 * each, by reference.  Five payees, met in the order Z9 A1 M5 B2 Y8 (each
 * but the first goes before or between those met already); A1 and Y8 change
 * their details from 2026-05-11, M5 from 2026-06-08.
 */
static void test_bank_details_changed(void **state)
{
	static const char *const payees[] = { "Z9", "A1", "M5", "B2", "Y8" };
	fixture *f = *state;
	phsg_run_sink sink = { .bank_changed = note_changed };
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary s;
	phsg_payee changed = { .name = "Jo Bloggs", .account = "99990000" };
	phsg_date from;
	phsg_ledger *l;
	char *where, *refs[5], seen[64] = "", sort_code[8];
	int rc;

	l = open_new(f, &where);
	for (int i = 0; i < 5; i++) {
		char client[8];
		snprintf(sort_code, sizeof(sort_code), "40000%d", i);
		add_payee(l, payees[i], sort_code);
		snprintf(client, sizeof(client), "V%d", i);
		refs[i] = add_award(f, l, client, "long-term-support", "maintenance=high", payees[i], &rc);
		assert_int_equal(rc, 0);
	}
	o.sink = &sink;
	sink.ctx = seen;
	phsg_date_parse(&o.date, "2026-04-13");
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
	assert_int_equal(s.n_payments, 5);
	assert_string_equal(seen, "");

	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	phsg_date_parse(&from, "2026-05-11");
	changed.ref = "Y8";
	changed.sort_code = "300008";
	assert_int_equal(phsg_ledger_payee_update(l, &changed, from), 0);
	changed.ref = "A1";
	changed.sort_code = "300001";
	assert_int_equal(phsg_ledger_payee_update(l, &changed, from), 0);
	phsg_date_parse(&from, "2026-06-08");
	changed.ref = "M5";
	changed.sort_code = "300005";
	assert_int_equal(phsg_ledger_payee_update(l, &changed, from), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);

	phsg_date_parse(&o.date, "2026-05-11");
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
	assert_int_equal(s.n_payments, 5);
	assert_string_equal(seen, "A1 Y8 ");
	/* the same, asked of the batch afterwards (batch 2) */
	seen[0] = '\0';
	assert_int_equal(phsg_ledger_batch_changed_payees(l, 2, note_changed, seen), 0);
	assert_string_equal(seen, "A1 Y8 ");
	seen[0] = '\0';
	phsg_date_parse(&o.date, "2026-06-08");
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
	assert_int_equal(s.n_payments, 5);
	assert_string_equal(seen, "M5 ");
	phsg_ledger_close(l);
	for (int i = 0; i < 5; i++)
		free(refs[i]);
	free(where);
}

static int note_award(void *ctx, const phsg_payment_row *p, const phsg_payee *payee)
{
	(void)payee;
	strcat(ctx, p->award);
	strcat(ctx, " ");
	return 0;
}

/*
 * A run pays awards in the order of their references, whatever order the
 * run's index gives them in.  Awards from 09-07, 04-13 and 04-20 (cycles
 * start 04-13, 05-11, ... 08-31, 09-28).  A run on 04-27 pays A000002's
 * first cycle, 171.20, and A000003's from 04-20, 21 days x 42.80 / 7 =
 * 128.40; its index next looks at A000002 and A000003 from 05-04 and at
 * A000001 from 08-24, so by date it holds A000002, A000003, A000001.  A
 * run on 09-07 pays A000001's cycle from 09-07, 128.40, due 08-28 (08-31
 * is a bank holiday), then five cycles each of the others (05-11 ...
 * 08-31): 128.40 + 10 x 171.20 = 1,840.40, in award order.
 */
static void test_run_order(void **state)
{
	static const char *const starts[] = { "2026-09-07", "2026-04-13", "2026-04-20" };
	fixture *f = *state;
	phsg_run_summary s;
	phsg_ledger *l;
	char *where, *refs[3], order[160] = "";
	int rc;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	for (int i = 0; i < 3; i++) {
		refs[i] = add_award_from(f, l, i == 0 ? "V1" : i == 1 ? "V2" : "V3",
					 "long-term-support", "maintenance=high", "P1", starts[i], &rc);
		assert_int_equal(rc, 0);
	}
	s = run_on(f, l, "2026-04-27");
	assert_int_equal(s.n_payments, 2);
	assert_int_equal(s.total, 17120 + 12840);
	s = run_on(f, l, "2026-09-07");
	assert_int_equal(s.batch, 2);
	assert_int_equal(s.n_payments, 11);
	assert_int_equal(s.total, 12840 + 10 * 17120);
	assert_int_equal(phsg_ledger_batch_each(l, 2, note_award, order), 0);
	assert_string_equal(order, "A000001 A000002 A000002 A000002 A000002 A000002 "
			    "A000003 A000003 A000003 A000003 A000003 ");
	phsg_ledger_close(l);
	for (int i = 0; i < 3; i++)
		free(refs[i]);
	free(where);
}

/*
 * A run over more due awards than it lists at once reads them a page at a
 * time (listed_max; issue 15), and pays the same, in the same order.  The
 * awards of test_run_order on two ledgers, one listing, one paging (at most
 * one award listed).  04-27: as there, 171.20 + 128.40.  05-11: A000002 and
 * A000003 are due (their index looks from 05-04), A000001 not (08-24), so
 * the page skips it: their cycle 05-11, 2 x 171.20.  09-07: A000001's
 * 128.40 and four cycles each of the others (06-08 ... 08-31):
 * 128.40 + 8 x 171.20 = 1,498.00.
 */
/*
 * A run whose due awards' ids have gaps (2, 4, 10, 11, 12) reads them by a
 * list of ids, not a range: what each was already paid must still count.
 * Long-term support, maintenance high: 42.80 a week, 171.20 a cycle from
 * 2026-04-13; the other seven awards start 2026-09-07, after both runs.
 */
static void test_run_gaps(void **state)
{
	fixture *f = *state;
	phsg_run_summary s;
	phsg_ledger *l;
	char *where, *refs[12], client[8];
	int rc;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	for (int i = 0; i < 12; i++) {
		int now = i == 1 || i == 3 || i >= 9;
		snprintf(client, sizeof(client), "G%d", i + 1);
		refs[i] = add_award_from(f, l, client, "long-term-support", "maintenance=high", "P1",
					 now ? "2026-04-13" : "2026-09-07", &rc);
		assert_int_equal(rc, 0);
	}
	s = run_on(f, l, "2026-04-13");
	assert_int_equal(s.n_payments, 5);
	assert_int_equal(s.total, 5 * 17120);
	/* the second cycle: E = 2 x 171.20, less the 171.20 paid, for each */
	s = run_on(f, l, "2026-05-11");
	assert_int_equal(s.n_payments, 5);
	assert_int_equal(s.total, 5 * 17120);
	assert_int_equal(net_paid(f, l, refs[9]), 2 * 17120);
	assert_verifies(f, l);
	phsg_ledger_close(l);
	for (int i = 0; i < 12; i++)
		free(refs[i]);
	free(where);
}

static void test_run_paged(void **state)
{
	static const char *const starts[] = { "2026-09-07", "2026-04-13", "2026-04-20" };
	static const char *const dates[] = { "2026-04-27", "2026-05-11", "2026-09-07" };
	static const size_t considered[] = { 3, 2, 3 }, payments[] = { 2, 2, 9 };
	static const int64_t totals[] = { 17120 + 12840, 2 * 17120, 12840 + 8 * 17120 };
	fixture *f = *state;
	phsg_ledger *l[2];
	char *where[2], *ref, order[2][160];
	int rc;

	for (int k = 0; k < 2; k++) {
		l[k] = open_new(f, &where[k]);
		add_payee(l[k], "P1", "401234");
		for (int i = 0; i < 3; i++) {
			ref = add_award_from(f, l[k], i == 0 ? "V1" : i == 1 ? "V2" : "V3",
					     "long-term-support", "maintenance=high", "P1", starts[i], &rc);
			assert_int_equal(rc, 0);
			free(ref);
		}
	}
	for (int r = 0; r < 3; r++) {
		for (int k = 0; k < 2; k++) {
			phsg_run_summary s = run_listing(f, l[k], dates[r], k == 0 ? 0 : 1);
			assert_int_equal(s.batch, r + 1);
			assert_int_equal(s.awards_considered, considered[r]);
			assert_int_equal(s.n_payments, payments[r]);
			assert_int_equal(s.total, totals[r]);
			order[k][0] = '\0';
			assert_int_equal(phsg_ledger_batch_each(l[k], r + 1, note_award, order[k]), 0);
		}
		assert_string_equal(order[0], order[1]);
	}
	assert_string_equal(order[1], "A000001 A000002 A000002 A000002 A000002 "
			    "A000003 A000003 A000003 A000003 ");
	/* nothing is due the next day: neither lists nor pages anything */
	for (int k = 0; k < 2; k++) {
		phsg_run_summary s = run_listing(f, l[k], "2026-09-08", k == 0 ? 0 : 1);
		assert_int_equal(s.awards_considered, 0);
		assert_int_equal(s.batch, 0);
		phsg_ledger_close(l[k]);
		free(where[k]);
	}
}

/*
 * A run with no sink (a library caller's) still holds an award it cannot
 * work out and pays the others.  The holiday list cut to 2026: the
 * long-term support award (from 2026-04-13, open) has cycles due in 2027
 * and is held; housing options, basic low, 2026-08-03 to 2026-11-03 is
 * paid in full: 92 days x 21.40 / 7 = 281.26 (tests/cli/ledger-bad-input.sh).
 */
static void test_held_without_sink(void **state)
{
	fixture *f = *state;
	phsg_scheme *shorter = NULL;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary s;
	phsg_ledger *l;
	char *where, *a, *h, cfg[128], cmd[512];
	int rc;

	snprintf(cfg, sizeof(cfg), "%s/short.cfg", f->dir);
	snprintf(cmd, sizeof(cmd), "sed 's#bank_holidays = .*#bank_holidays = \"short-holidays.cfg\";#'"
		 " config/medway.cfg > '%s' && printf 'dates = [ \"2026-01-01\", \"2026-12-25\","
		 " \"2026-12-28\" ];\\n' > '%s/short-holidays.cfg'", cfg, f->dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(phsg_scheme_load(&shorter, cfg), 0);
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	a = add_award(f, l, "V1", "long-term-support", "maintenance=high", "P1", &rc);
	assert_int_equal(rc, 0);
	h = add_award_from(f, l, "V2", "housing-options", "basic=low", "P1", "2026-08-03", &rc);
	assert_int_equal(rc, 0);
	phsg_date_parse(&o.date, "2027-01-11");
	o.sink = NULL;
	assert_int_equal(phsg_run(&s, l, shorter, &o), 0);
	assert_int_equal(s.n_held, 1);
	assert_int_equal(s.total, 28126);
	assert_int_equal(net_paid(f, l, a), 0);
	assert_int_equal(net_paid(f, l, h), 28126);
	phsg_ledger_close(l);
	phsg_scheme_free(shorter);
	free(a);
	free(h);
	free(where);
}

/* A sink that fails at its second payment line, as a full disk would. */
static int fail_second(void *ctx, const phsg_run_line *line)
{
	int *seen = ctx;

	(void)line;
	return ++*seen == 2 ? 7 : 0;
}

/*
 * A run whose sink fails after its batch was made returns the sink's
 * failure and writes nothing; the next run pays both awards, each its
 * first cycle: basic=low is 1 hour a week at 21.40, 4 x 21.40 = 85.60.
 * The ledger verifies after it.
 */
static void test_sink_failure(void **state)
{
	fixture *f = *state;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary s;
	int seen = 0, rc;
	phsg_run_sink sink = { .ctx = &seen, .payment = fail_second };
	phsg_ledger *l;
	char *where, *a, *b;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	a = add_award(f, l, "V1", "resettlement", "basic=low", "P1", &rc);
	assert_int_equal(rc, 0);
	b = add_award(f, l, "V2", "resettlement", "basic=low", "P1", &rc);
	assert_int_equal(rc, 0);
	phsg_date_parse(&o.date, "2026-04-13");
	o.sink = &sink;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 7);
	assert_int_equal(seen, 2);
	assert_int_equal(net_paid(f, l, a), 0);
	assert_int_equal(net_paid(f, l, b), 0);
	o.sink = NULL;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
	assert_int_equal(s.n_payments, 2);
	assert_int_equal(s.batch, 1);
	assert_int_equal(net_paid(f, l, a), 8560);
	assert_int_equal(net_paid(f, l, b), 8560);
	assert_verifies(f, l);
	phsg_ledger_close(l);
	free(a);
	free(b);
	free(where);

	/*
	 * payee_awards after a failed run: a run pays one award two cycles
	 * (2026-04-13 and 05-11, 85.60 each), and its sink fails at the
	 * second.  The row saying that the award pays P1 went with the
	 * rollback, though it was the last such row this ledger handle had
	 * written: the next run writes it again, and the ledger verifies (each
	 * payment of an award missing from payee_awards is a fault).
	 */
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	a = add_award(f, l, "V1", "resettlement", "basic=low", "P1", &rc);
	assert_int_equal(rc, 0);
	phsg_date_parse(&o.date, "2026-05-11");
	seen = 0;
	o.sink = &sink;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 7);
	assert_int_equal(seen, 2);
	o.sink = NULL;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
	assert_int_equal(s.n_payments, 2);
	assert_int_equal(net_paid(f, l, a), 2 * 8560);
	assert_verifies(f, l);
	phsg_ledger_close(l);
	free(a);
	free(where);
}

/* What a walk saw: each award's reference in order, and its sums. */
typedef struct {
	int seen, stop_at, wrong_order;
	long long last_id;
	int64_t paid, charged, other;
	char first[16], last[16];
} walk_seen;

static int walk_note(void *ctx, const phsg_award *aw, const phsg_award_sums *s)
{
	walk_seen *w = ctx;

	if (aw->id <= w->last_id)
		w->wrong_order++;
	w->last_id = aw->id;
	if (!w->seen++)
		snprintf(w->first, sizeof(w->first), "%s", aw->ref);
	snprintf(w->last, sizeof(w->last), "%s", aw->ref);
	if (s) {
		w->paid += s->paid[0];
		w->charged += s->charged;
		w->other += s->recovered[0] + s->received + s->refunded;
	}
	return w->seen == w->stop_at ? 7 : 0;
}

/* Journal entries counted and summed, in date order; stops at stop_at with 7. */
typedef struct {
	long n, stop_at, out_of_order, cycles;
	int64_t total;
	phsg_date last;
} journal_seen;

static int journal_note(void *ctx, const phsg_journal_entry *e)
{
	journal_seen *j = ctx;

	if (e->date < j->last)
		j->out_of_order++;
	j->last = e->date;
	j->cycles += strcmp(e->kind, "cycle") == 0 && e->award && e->award[0] == 'A' &&
		     strcmp(e->payee, "P1") == 0;
	j->total += e->amount;
	return ++j->n == j->stop_at ? 7 : 0;
}

/*
 * Awards 1..n (clients PREFIX1 ...) from `start` in one transaction:
 * long-term support, maintenance high, except award `odd` (0: none),
 * resettlement, intensive low.
 */
static void add_awards_from(fixture *f, phsg_ledger *l, int n, const char *prefix, int odd,
			    const char *start)
{
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	for (int i = 1; i <= n; i++) {
		const char *needs[] = { i == odd ? "intensive=low" : "maintenance=high" };
		phsg_award_request r = PHSG_AWARD_REQUEST_INIT;
		char client[16], *ref = NULL;
		snprintf(client, sizeof(client), "%s%d", prefix, i);
		r.client = client;
		r.package = i == odd ? "resettlement" : "long-term-support";
		r.method = "direct";
		r.payee = "P1";
		r.needs = needs;
		r.n_needs = 1;
		phsg_date_parse(&r.start, start);
		assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &r), 0);
		free(ref);
	}
	assert_int_equal(phsg_ledger_commit(l), 0);
}

/* The same from 2026-04-13. */
static void add_awards(fixture *f, phsg_ledger *l, int n, const char *prefix, int odd)
{
	add_awards_from(f, l, n, prefix, odd, "2026-04-13");
}

/* Awards in a run's chunk: PHSG_RUN_CHUNK in src/lib/ledger_chunk.h. */
enum { RUN = 256 };

/*
 * A run reads a chunk of awards that are not one range of ids by the list
 * of its ids, within the range from its first to its last.  2 x RUN + 2
 * awards paid their first cycle on 2026-04-13, then every other one marked
 * for the next run: a run the same day reads those RUN + 1 (ids 2 to
 * 2 x RUN + 2 in steps of 2: one chunk of RUN, from 2 to 2 x RUN, and one
 * of a single award), finds nothing more to pay and no cycle to process,
 * holds none, and leaves none due that day.
 */
static void test_run_sparse_chunk(void **state)
{
	enum { N = 2 * RUN + 2 };
	fixture *f = *state;
	phsg_run_summary s;
	phsg_ledger *l;
	phsg_date day;
	size_t due = 0;
	char *where;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_awards(f, l, N, "S", 0);
	assert_int_equal(run_on(f, l, "2026-04-13").n_payments, N);
	sql_run(f, where, "UPDATE award_index SET dirty = 1 WHERE award_id % 2 = 0");
	/* on 05-04 the others are due too: next_due is a week before the cycle from 05-11 */
	phsg_date_parse(&day, "2026-05-04");
	assert_int_equal(phsg_ledger_awards_due_count(&due, l, day), 0);
	assert_int_equal(due, N);
	phsg_date_parse(&day, "2026-04-13");
	assert_int_equal(phsg_ledger_awards_due_count(&due, l, day), 0);
	assert_int_equal(due, RUN + 1);
	s = run_on(f, l, "2026-04-13");
	assert_int_equal(s.awards_considered, RUN + 1);
	assert_int_equal(s.n_held, 0);
	assert_int_equal(s.n_payments, 0);
	assert_int_equal(s.n_processed, 0); /* cycle 04-13 is marked: not processed again */
	assert_int_equal(phsg_ledger_awards_due_count(&due, l, day), 0);
	assert_int_equal(due, 0);
	phsg_ledger_close(l);
	free(where);
}

/* Awards in a walk's chunk: WALK_CHUNK in src/lib/ledger.c. */
enum { WALK = 2048 };

/*
 * The walk over every award (SPEC section 17) reads them WALK at a time:
 * 2 x WALK + 1 awards are two whole chunks and one of a single award.  Each
 * is seen once, in order, with what it was paid; the walk stops where fn
 * says.
 */
static void test_awards_walk(void **state)
{
	enum { N = 2 * WALK + 1 };
	fixture *f = *state;
	phsg_ledger *l;
	phsg_date before, after;
	char *where;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_awards(f, l, N, "W", 0);
	/* test_run_order: an award of 2026-04-13 is paid 171.20 by the run of 2026-04-27 */
	phsg_run_summary s = run_on(f, l, "2026-04-27");
	assert_int_equal(s.n_payments, N);
	phsg_date_parse(&before, "2026-04-12");
	phsg_date_parse(&after, "2027-01-01");

	walk_seen w = { 0 };
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, after, walk_note, &w), 0);
	assert_int_equal(w.seen, N);
	assert_int_equal(w.wrong_order, 0);
	assert_string_equal(w.first, "A000001");
	assert_string_equal(w.last, "A004097");
	assert_int_equal(w.paid, (int64_t)N * 17120);
	assert_int_equal(w.charged, 0);
	assert_int_equal(w.other, 0);

	/* as of a day before any payment was due: nothing paid */
	memset(&w, 0, sizeof(w));
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, before, walk_note, &w), 0);
	assert_int_equal(w.seen, N);
	assert_int_equal(w.paid, 0);

	/* no date: the awards without sums */
	memset(&w, 0, sizeof(w));
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, 0, walk_note, &w), 0);
	assert_int_equal(w.seen, N);
	assert_int_equal(w.paid, 0);

	/*
	 * fn's non-zero return stops the walk and is returned: in the second
	 * chunk, and in the first, while the second is being rebuilt beside it
	 */
	memset(&w, 0, sizeof(w));
	w.stop_at = WALK + 300;
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, after, walk_note, &w), 7);
	assert_int_equal(w.seen, WALK + 300);
	assert_string_equal(w.last, "A002348");
	memset(&w, 0, sizeof(w));
	w.stop_at = 100;
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, after, walk_note, &w), 7);
	assert_int_equal(w.seen, 100);
	assert_string_equal(w.last, "A000100");

	/*
	 * The journal, in date order: three more 4-weekly runs (05-25, 06-22,
	 * 07-20) pay each award one more full cycle, 4 x 4,097 = 16,388 entries.
	 */
	static const char *const runs[] = { "2026-05-25", "2026-06-22", "2026-07-20" };
	for (int r = 0; r < 3; r++) {
		/* the first and last page their awards: eight pages of 256 (a run's chunk), then 1 */
		s = run_listing(f, l, runs[r], r == 1 ? 0 : 100);
		assert_int_equal(s.awards_considered, N);
		assert_int_equal(s.n_payments, N);
		assert_int_equal(s.total, (int64_t)N * 17120);
	}
	journal_seen j = { 0 };
	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, journal_note, &j), 0);
	assert_int_equal(j.n, 4 * N);
	assert_int_equal(j.cycles, 4 * N);
	assert_int_equal(j.out_of_order, 0);
	assert_int_equal(j.total, (int64_t)4 * N * 17120);
	/* stopped near the end: fn's return, and nothing after */
	memset(&j, 0, sizeof(j));
	j.stop_at = 4 * N - 2;
	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, journal_note, &j), 7);
	assert_int_equal(j.n, 4 * N - 2);
	/* stopped at the first entry */
	memset(&j, 0, sizeof(j));
	j.stop_at = 1;
	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, journal_note, &j), 7);
	assert_int_equal(j.n, 1);
	/* and the ledger is usable after a stopped walk */
	memset(&j, 0, sizeof(j));
	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, journal_note, &j), 0);
	assert_int_equal(j.n, 4 * N);
	phsg_ledger_close(l);
	free(where);
}

/*
 * A walk rebuilds one chunk on a second thread while it reads the next: an
 * award that no longer rebuilds (its package renamed in the scheme) stops
 * the walk with that award's own error, after every award of the chunks
 * before it was seen and none of its own.  2 x WALK awards, the last but
 * one on resettlement, the others long-term support: the failing award is
 * in the second chunk only when a chunk is WALK awards (one of WALK / 2
 * would see 3 x WALK / 2 before it; one of 2 x WALK, none).
 */
static void test_walk_failure(void **state)
{
	enum { N = 2 * WALK, BAD = 2 * WALK - 1 };
	fixture *f = *state;
	phsg_scheme *renamed = NULL;
	phsg_ledger *l;
	phsg_date after;
	char *where;
	walk_seen w = { 0 };

	renamed = scheme_edited(f, "renamed.cfg", "s/id = \"resettlement\"/id = \"resettled\"/");
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_awards(f, l, N, "F", BAD);
	phsg_date_parse(&after, "2027-01-01");
	/* under the scheme they were made by: every award, in order */
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, after, walk_note, &w), 0);
	assert_int_equal(w.seen, N);
	assert_int_equal(w.wrong_order, 0);
	/* renamed: the first chunk's 2,048 awards are seen, then A004095's error */
	memset(&w, 0, sizeof(w));
	assert_int_equal(phsg_ledger_awards_walk(l, renamed, after, walk_note, &w), PHSG_EINVAL);
	assert_int_equal(w.seen, WALK);
	assert_string_equal(w.last, "A002048");
	assert_non_null(strstr(phsg_error_last(), "award A004095 no longer applies under"));
	/* and without sums the same */
	memset(&w, 0, sizeof(w));
	assert_int_equal(phsg_ledger_awards_walk(l, renamed, 0, walk_note, &w), PHSG_EINVAL);
	assert_int_equal(w.seen, WALK);
	/*
	 * fn stopping at the 100th award, while the second chunk (with the
	 * award that fails) is rebuilt beside it: fn's return and error stand
	 */
	memset(&w, 0, sizeof(w));
	w.stop_at = 100;
	phsg_error_set(PHSG_EINVAL, "fn's own error");
	assert_int_equal(phsg_ledger_awards_walk(l, renamed, after, walk_note, &w), 7);
	assert_int_equal(w.seen, 100);
	assert_null(strstr(phsg_error_last(), "no longer applies"));
	/*
	 * A run under the renamed scheme holds that award and pays the others:
	 * each of the N - 1 its cycle 2026-04-13, 4 x 42.80 = 171.20.
	 */
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary s;
	phsg_date_parse(&o.date, "2026-04-13");
	o.wait_ms = 0;
	assert_int_equal(phsg_run(&s, l, renamed, &o), 0);
	assert_int_equal(s.awards_considered, N);
	assert_int_equal(s.n_held, 1);
	assert_int_equal(s.n_payments, N - 1);
	assert_int_equal(s.total, (int64_t)(N - 1) * 17120);
	phsg_ledger_close(l);
	phsg_scheme_free(renamed);
	free(where);
}

/* One award as a walk saw it: its end, what it was paid, and how many awards there were. */
typedef struct {
	long long id;
	phsg_date end;
	int64_t paid;
	int seen;
} one_seen;

static int one_note(void *ctx, const phsg_award *aw, const phsg_award_sums *s)
{
	one_seen *o = ctx;

	o->seen++;
	if (aw->id == o->id) {
		o->end = aw->end;
		o->paid = s ? s->paid[0] : -1;
	}
	return 0;
}

static one_seen walk_one(phsg_ledger *l, const phsg_scheme *sc, long long id)
{
	one_seen o = { id, 0, 0, 0 };
	phsg_date after;

	phsg_date_parse(&after, "2027-01-01");
	assert_int_equal(phsg_ledger_awards_walk(l, sc, after, one_note, &o), 0);
	return o;
}

static size_t faults_of(phsg_ledger *l, const phsg_scheme *sc)
{
	size_t n = 0, counted = 0;

	assert_int_equal(phsg_ledger_verify(&n, l, sc, count_fault, &counted), 0);
	return n;
}

/*
 * Each award as its events built it is kept in award_states by the run
 * (ledger version 8), and a walk reads it instead of the events,
 * while it is good: no event since, the same scheme.  To see which one a
 * walk used, award 5's kept state is given an end a week late (no event
 * could make it so); the walk shows it, and `verify` names it.  Its events
 * win again once an event marks it for the next run, under another scheme,
 * and when the state cannot be read (award WALK + 1, in the second chunk:
 * rebuilt from its events there, and its sums still counted).
 * Long-term support from 2026-04-13, 24 months: it ends 2028-04-13; the
 * run of 2026-04-27 paid each its first cycle, 171.20.  A run builds each
 * award from its kept state too, and writes the state of an award it
 * rebuilt from its events, and only those.
 */
static void test_kept_states(void **state)
{
	enum { N = WALK + 2 };
	fixture *f = *state;
	phsg_scheme *other = NULL;
	phsg_ledger *l;
	phsg_award aw;
	phsg_date end;
	char *where, *kept, sql[1024];
	one_seen o;

	other = scheme_edited(f, "other.cfg", "1i# the same scheme, but for this line");
	phsg_date_parse(&end, "2028-04-13");
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_awards(f, l, N, "K", 0);
	assert_int_equal(run_on(f, l, "2026-04-27").n_payments, N);
	assert_int_equal(faults_of(l, f->sc), 0);

	/* award 5's state, its end a week late */
	assert_int_equal(phsg_ledger_award_load(&aw, l, f->sc, 5), 0);
	aw.end += 7;
	kept = phsg_award_state(&aw);
	phsg_award_release(&aw);
	snprintf(sql, sizeof(sql), "UPDATE award_states SET state = '%s' WHERE award_id = 5", kept);
	sql_run(f, where, sql);
	o = walk_one(l, f->sc, 5);
	assert_int_equal(o.seen, N);
	assert_int_equal(o.end, end + 7);
	assert_int_equal(o.paid, 17120);
	assert_int_equal(faults_of(l, f->sc), 1);
	/* under another scheme the events are replayed */
	assert_int_equal(walk_one(l, other, 5).end, end);
	assert_int_equal(faults_of(l, other), 0);
	/* and when an event since marks it for the next run */
	sql_run(f, where, "UPDATE award_index SET dirty = 1 WHERE award_id = 5");
	assert_int_equal(walk_one(l, f->sc, 5).end, end);
	assert_int_equal(faults_of(l, f->sc), 0);
	/*
	 * The next run, 2026-05-11, pays every award its second cycle (171.20):
	 * it keeps award 5's state as its events build it (it was dirty), and
	 * leaves every other award's as it was: award 4's, given a late end
	 * like award 5's, is still what a walk shows.
	 */
	assert_int_equal(phsg_ledger_award_load(&aw, l, f->sc, 4), 0);
	aw.end += 7;
	free(kept);
	kept = phsg_award_state(&aw);
	phsg_award_release(&aw);
	snprintf(sql, sizeof(sql), "UPDATE award_states SET state = '%s' WHERE award_id = 4", kept);
	sql_run(f, where, sql);
	assert_int_equal(run_on(f, l, "2026-05-11").n_payments, N);
	assert_int_equal(walk_one(l, f->sc, 5).end, end);
	o = walk_one(l, f->sc, 4);
	assert_int_equal(o.end, end + 7);
	assert_int_equal(o.paid, 2 * 17120);
	assert_int_equal(faults_of(l, f->sc), 1);
	sql_run(f, where, "DELETE FROM award_states WHERE award_id = 4");
	assert_int_equal(faults_of(l, f->sc), 0);
	snprintf(sql, sizeof(sql), "UPDATE award_states SET state = 'garbage' WHERE award_id = %d",
		 WALK + 1);
	sql_run(f, where, sql);
	o = walk_one(l, f->sc, WALK + 1);
	assert_int_equal(o.seen, N);
	assert_int_equal(o.end, end);
	assert_int_equal(o.paid, 2 * 17120);
	/* a state that cannot be read is not what the events build either */
	assert_int_equal(faults_of(l, f->sc), 1);

	/*
	 * A run builds each award from its kept state too.  Award 3's is given
	 * an end of 2026-06-08, the start of its third cycle: the run of that
	 * day pays it nothing, and every other award its third cycle, 171.20.
	 * Award WALK + 1's unreadable state (in the run's ninth chunk of 256)
	 * is rebuilt from its events: paid, and kept again as they build it.
	 */
	assert_int_equal(phsg_ledger_award_load(&aw, l, f->sc, 3), 0);
	phsg_date_parse(&aw.end, "2026-06-08");
	free(kept);
	kept = phsg_award_state(&aw);
	phsg_award_release(&aw);
	snprintf(sql, sizeof(sql), "UPDATE award_states SET state = '%s' WHERE award_id = 3", kept);
	sql_run(f, where, sql);
	{
		phsg_run_summary r = run_on(f, l, "2026-06-08");
		assert_int_equal(r.n_payments, N - 1);
		assert_int_equal(r.total, (N - 1) * 17120);
		assert_int_equal(r.n_held, 0);
	}
	o = walk_one(l, f->sc, 3);
	assert_int_equal(o.paid, 2 * 17120);
	o = walk_one(l, f->sc, WALK + 1);
	assert_int_equal(o.end, end);
	assert_int_equal(o.paid, 3 * 17120);
	{
		char faults[4096] = "";
		size_t n = 0;
		assert_int_equal(phsg_ledger_verify(&n, l, f->sc, note_fault, faults), 0);
		/* award 3's hand-made state, and what it made the run leave undone; not WALK + 1's */
		assert_string_equal(faults,
			"award A000003: the state kept in award_states is not what its events build: "
			"reports would show the award as kept\n"
			"award A000003: its cycle from 2026-06-08 falls due on 2026-06-08 and no run "
			"has processed it, but the run's index (award_index) says nothing more is due: "
			"no run would pay it\n");
		assert_int_equal(n, 2);
	}
	phsg_ledger_close(l);
	phsg_scheme_free(other);
	free(kept);
	free(where);
}

/*
 * A run keeps each award's sums in its index (award_index.sums, ledger
 * version 9): paid and recovered by component, and the latest date of the
 * rows they add up.  The next run reads them instead of the award's
 * payments, recoveries and contributions while nothing has marked the
 * award for it, and so does a report as of that date or later.
 * Long-term support from 2026-04-13 (the fixture's awards) is 171.20 a
 * cycle, each cycle due on its first day; the run of 2026-04-27 pays each
 * award its first cycle, and each run 4 weeks on the next.  To see which
 * figures were used, award 5's kept sums are changed by hand:
 *   - to 0.01 paid: a report as of 2027-01-01 shows 0.01; one as of
 *     2026-04-12, before the kept latest date, reads the rows: nothing due
 *     by then, 0.00;
 *   - to nothing paid, beside a kept text no run writes (award 6's: a
 *     letter O after its figure recovered), or an award marked for the run
 *     (award 7), in the same chunk: the rows are read, every award is paid
 *     its one cycle, 171.20, and the kept sums are right again;
 *   - to nothing paid, alone: the run pays award 5 from the kept 0.00,
 *     round(E) to the end of its fourth cycle less 0.00, 4 x 171.20 = 684.80.
 * `verify` names each kept text that is not what the rows give.
 */
static void test_kept_sums(void **state)
{
	enum { N = 8 };
	fixture *f = *state;
	phsg_ledger *l;
	char *where, got[256];
	one_seen o = { 5, 0, 0, 0 };
	phsg_date as_of;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_awards(f, l, N, "K", 0);
	assert_int_equal(run_on(f, l, "2026-04-27").total, N * 17120);
	sql_value(f, where, "SELECT sums FROM award_index WHERE award_id = 5", got, sizeof(got));
	assert_string_equal(got, "ras=17120,0 (through)=2026-04-13");
	assert_int_equal(faults_of(l, f->sc), 0);

	sql_run(f, where, "UPDATE award_index SET sums = 'ras=1,0 (through)=2026-04-13' WHERE award_id = 5");
	assert_int_equal(walk_one(l, f->sc, 5).paid, 1);
	phsg_date_parse(&as_of, "2026-04-12");
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, as_of, one_note, &o), 0);
	assert_int_equal(o.seen, N);
	assert_int_equal(o.paid, 0);
	assert_int_equal(faults_of(l, f->sc), 1);

	sql_run(f, where, "UPDATE award_index SET sums = 'ras=0,0 (through)=2026-04-13' WHERE award_id = 5");
	sql_run(f, where, "UPDATE award_index SET sums = 'ras=17120,0O (through)=2026-04-13'"
		" WHERE award_id = 6");
	assert_int_equal(faults_of(l, f->sc), 2);
	assert_int_equal(run_on(f, l, "2026-05-11").total, N * 17120);
	sql_value(f, where, "SELECT sums FROM award_index WHERE award_id = 5", got, sizeof(got));
	assert_string_equal(got, "ras=34240,0 (through)=2026-05-11");
	sql_value(f, where, "SELECT sums FROM award_index WHERE award_id = 6", got, sizeof(got));
	assert_string_equal(got, "ras=34240,0 (through)=2026-05-11");
	assert_int_equal(faults_of(l, f->sc), 0);

	sql_run(f, where, "UPDATE award_index SET sums = 'ras=0,0 (through)=2026-05-11' WHERE award_id = 5");
	sql_run(f, where, "UPDATE award_index SET dirty = 1 WHERE award_id = 7");
	assert_int_equal(run_on(f, l, "2026-06-08").total, N * 17120);
	assert_int_equal(faults_of(l, f->sc), 0);

	sql_run(f, where, "UPDATE award_index SET sums = 'ras=0,0 (through)=2026-06-08' WHERE award_id = 5");
	assert_int_equal(faults_of(l, f->sc), 1);
	assert_int_equal(run_on(f, l, "2026-07-06").total, (N - 1) * 17120 + 4 * 17120);
	/* kept 0.00 + 684.80, where its rows hold 3 x 171.20 + 684.80 */
	sql_value(f, where, "SELECT sums FROM award_index WHERE award_id = 5", got, sizeof(got));
	assert_string_equal(got, "ras=68480,0 (through)=2026-07-06");
	assert_true(faults_of(l, f->sc) >= 1);
	phsg_ledger_close(l);
	free(where);
}

/*
 * A run keeps each award's processed cycles beside its sums
 * (award_index.cycles, ledger version 10), and the next run reads them
 * instead of the processed marks while nothing has marked the award.  The
 * cycle from 2026-04-13 is cycle 196: 5,488 days, 196 x 28, after the
 * scheme's anchor (2011-04-04); each run 4 weeks on processes the next.
 * To see which were read, the run summary's count of cycles newly
 * processed, and award 3's and 6's kept cycles changed by hand:
 *   - award 3's to "ras=196-197", before the run of 2026-05-11: that run
 *     takes cycle 197 as processed, so it processes none for award 3 (N - 1
 *     cycles in all) and pays it the 171.20 owed as an adjustment (the
 *     payment rule's step 2): N x 171.20 in all;
 *   - award 3's to none kept (NULL, as every award after migrating): the
 *     marks are read, and the run of 2026-06-08 processes cycles 197 and
 *     198 for it (N + 1 in all), posting nothing for 197 (342.40 is paid)
 *     and 171.20 for 198;
 *   - award 6's to a text no run writes, one that also says cycle 199 is
 *     processed ("196-198,199-199": two ranges not apart), then to one
 *     that would take every cycle away ("200-196", a range backwards): the
 *     chunk reads the marks, and the runs of 2026-07-06 and 2026-08-03
 *     process N cycles each;
 *   - award 4's to "196-198,200-200" (cycle 199 taken away): the run of
 *     2026-08-31 processes 199 for it, posting nothing (round(E) to its end
 *     is 4 x 171.20 = 684.80, 856.00 is paid), and 201, 171.20, N + 1
 *     cycles in all; award 4 keeps the cycles in order, "196-201".
 * `verify` names a kept text that is not what the marks give.
 */
static void test_kept_cycles(void **state)
{
	enum { N = 8 };
	fixture *f = *state;
	phsg_ledger *l;
	phsg_run_summary r;
	char *where, got[256], faults[2048] = "";
	size_t n = 0;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_awards(f, l, N, "K", 0);
	r = run_on(f, l, "2026-04-27");
	assert_int_equal(r.n_processed, N);
	sql_value(f, where, "SELECT cycles FROM award_index WHERE award_id = 5", got, sizeof(got));
	assert_string_equal(got, "ras=196-196");
	assert_int_equal(faults_of(l, f->sc), 0);

	sql_run(f, where, "UPDATE award_index SET cycles = 'ras=196-197' WHERE award_id = 3");
	assert_int_equal(phsg_ledger_verify(&n, l, f->sc, note_fault, faults), 0);
	assert_string_equal(faults, "award A000003: the run's index (award_index) keeps its processed "
			    "cycles as 'ras=196-197', but its processed marks give 'ras=196-196': the "
			    "next run would take the kept cycles as processed\n");
	r = run_on(f, l, "2026-05-11");
	assert_int_equal(r.n_processed, N - 1);
	assert_int_equal(r.n_payments, N);
	assert_int_equal(r.total, N * 17120);
	sql_value(f, where, "SELECT cycles FROM award_index WHERE award_id = 3", got, sizeof(got));
	assert_string_equal(got, "ras=196-197");
	sql_value(f, where, "SELECT cycles FROM award_index WHERE award_id = 4", got, sizeof(got));
	assert_string_equal(got, "ras=196-197");

	sql_run(f, where, "UPDATE award_index SET cycles = NULL WHERE award_id = 3");
	assert_int_equal(faults_of(l, f->sc), 1); /* the cycle from 05-11 that no run processed */
	r = run_on(f, l, "2026-06-08");
	assert_int_equal(r.n_processed, N + 1);
	assert_int_equal(r.total, N * 17120);
	sql_value(f, where, "SELECT cycles FROM award_index WHERE award_id = 3", got, sizeof(got));
	assert_string_equal(got, "ras=196-198");
	assert_int_equal(faults_of(l, f->sc), 0);

	sql_run(f, where, "UPDATE award_index SET cycles = 'ras=196-198,199-199' WHERE award_id = 6");
	assert_int_equal(faults_of(l, f->sc), 1);
	r = run_on(f, l, "2026-07-06");
	assert_int_equal(r.n_processed, N);
	assert_int_equal(r.total, N * 17120);
	sql_run(f, where, "UPDATE award_index SET cycles = 'ras=200-196' WHERE award_id = 6");
	r = run_on(f, l, "2026-08-03");
	assert_int_equal(r.n_processed, N);
	assert_int_equal(r.total, N * 17120);
	sql_value(f, where, "SELECT cycles FROM award_index WHERE award_id = 6", got, sizeof(got));
	assert_string_equal(got, "ras=196-200");
	assert_int_equal(faults_of(l, f->sc), 0);

	sql_run(f, where, "UPDATE award_index SET cycles = 'ras=196-198,200-200' WHERE award_id = 4");
	r = run_on(f, l, "2026-08-31");
	assert_int_equal(r.n_processed, N + 1);
	assert_int_equal(r.total, N * 17120);
	sql_value(f, where, "SELECT cycles FROM award_index WHERE award_id = 4", got, sizeof(got));
	assert_string_equal(got, "ras=196-201");
	phsg_ledger_close(l);
	free(where);
}

/*
 * The contribution's cycles are kept too, first, for a package with tiers:
 * Oxfordshire's tiered support for older people, assessed tier 2, chosen
 * tier 4 (test_contributions: 12.00 the council's a cycle, 36.00 the
 * person's).  Each run 4 weeks on processes one cycle of each, two in all;
 * the second reads the first's from the kept text, "(contribution)=...".
 */
static void test_kept_cycles_tiers(void **state)
{
	fixture *f = *state;
	phsg_scheme *ox = NULL;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary r;
	phsg_ledger *l;
	char *where, *ref = NULL, got[256];

	l = tiered_ledger(f, &where, &ox, &ref);
	free(ref);
	for (int k = 0; k < 2; k++) {
		phsg_date_parse(&o.date, k ? "2026-05-11" : "2026-04-13");
		assert_int_equal(phsg_run(&r, l, ox, &o), 0);
		assert_int_equal(r.n_processed, 2);
		assert_int_equal(r.total, 1200);
		assert_int_equal(r.contributions_total, 3600);
		sql_value(f, where, "SELECT cycles FROM award_index WHERE award_id = 1", got, sizeof(got));
		assert_string_equal(got, k ? "(contribution)=196-197 tier=196-197" :
				    "(contribution)=196-196 tier=196-196");
	}
	assert_int_equal(faults_of(l, ox), 0);
	phsg_ledger_close(l);
	phsg_scheme_free(ox);
	free(where);
}

/* Each award's balance from the walk, against phsg_ledger_balance()'s own reading of the ledger. */
typedef struct {
	phsg_ledger *l;
	const phsg_scheme *sc;
	phsg_date as_of;
	int seen, differ, with_balance;
	int64_t entitled, net;
} balance_seen;

static int balance_note(void *ctx, const phsg_award *aw, const phsg_award_sums *s)
{
	balance_seen *b = ctx;
	phsg_balance own;

	b->seen++;
	if (!s->balance)
		return 0;
	b->with_balance++;
	assert_int_equal(phsg_ledger_balance(&own, b->l, b->sc, aw, -1, b->as_of, b->as_of + 1), 0);
	b->differ += own.entitled != s->balance->entitled || own.paid != s->balance->paid ||
		     own.recovered != s->balance->recovered || own.net != s->balance->net;
	b->entitled += s->balance->entitled;
	b->net += s->balance->net;
	return 0;
}

/*
 * A walk for balances works each award's out beside its rebuilding: the
 * same as phsg_ledger_balance() reads from the ledger for that award, over
 * two chunks and a third of one award.  Awards from 2026-06-08 (award 3
 * resettlement, intensive low; the others long-term support, maintenance
 * high) paid by the run of 2026-06-22, and one more from 2026-04-13.
 * Under a scheme whose rates begin on 2026-05-01, that last award's balance
 * cannot be worked out (no rate from 2026-04-13): the walk hands fn every
 * award before it, then stops with the error phsg_ledger_balance() gives.
 */
static void test_walk_balances(void **state)
{
	enum { N = 2 * WALK + 1 };
	fixture *f = *state;
	phsg_scheme *late = NULL;
	phsg_ledger *l;
	phsg_balance own;
	phsg_award last;
	char *where, *ref, want[1024];
	int rc;

	late = scheme_edited(f, "late.cfg", "s/\"2011-04-01\"/\"2026-05-01\"/; s/\"2024-04-01\"/\"2026-06-01\"/");
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	add_awards_from(f, l, N - 1, "B", 3, "2026-06-08");
	ref = add_award_from(f, l, "B0", "long-term-support", "maintenance=high", "P1", "2026-04-13", &rc);
	assert_int_equal(rc, 0);
	/* each its first cycle; B0's three, from 04-13, 05-11 and 06-08 */
	assert_int_equal(run_on(f, l, "2026-06-22").n_payments, N - 1 + 3);

	balance_seen b = { l, f->sc, 0, 0, 0, 0, 0, 0 };
	phsg_date_parse(&b.as_of, "2026-12-21");
	assert_int_equal(phsg_ledger_awards_walk_balances(l, f->sc, b.as_of, balance_note, &b), 0);
	assert_int_equal(b.seen, N);
	assert_int_equal(b.with_balance, N);
	assert_int_equal(b.differ, 0);
	assert_true(b.entitled > b.net && b.net > 0);
	/* a plain walk hands over no balance */
	memset(&b, 0, sizeof(b));
	b.l = l;
	b.sc = f->sc;
	phsg_date_parse(&b.as_of, "2026-12-21");
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, b.as_of, balance_note, &b), 0);
	assert_int_equal(b.seen, N);
	assert_int_equal(b.with_balance, 0);
	assert_int_equal(phsg_ledger_awards_walk_balances(l, f->sc, 0, balance_note, &b), PHSG_EINVAL);

	/* the late rates: what phsg_ledger_balance() says of the last award, then the walk */
	assert_int_equal(phsg_ledger_award_load(&last, l, late, N), 0);
	assert_string_equal(last.ref, ref);
	assert_int_not_equal(phsg_ledger_balance(&own, l, late, &last, -1, b.as_of, b.as_of + 1), 0);
	snprintf(want, sizeof(want), "%s", phsg_error_last());
	phsg_award_release(&last);
	memset(&b, 0, sizeof(b));
	b.l = l;
	b.sc = late;
	phsg_date_parse(&b.as_of, "2026-12-21");
	assert_int_not_equal(phsg_ledger_awards_walk_balances(l, late, b.as_of, balance_note, &b), 0);
	assert_string_equal(phsg_error_last(), want);
	assert_int_equal(b.seen, N - 1);
	assert_int_equal(b.differ, 0);
	phsg_ledger_close(l);
	phsg_scheme_free(late);
	free(ref);
	free(where);
}

/*
 * A connection that lives on (the web service's) sees what other
 * connections commit: none of its reads leaves a statement on a row, which
 * would hold an SQLite connection's snapshot where it was, hide later
 * writes from it, and refuse its next write (SQLITE_BUSY_SNAPSHOT).  Each
 * read below returns one row; then another connection adds payee P2, which
 * this one must find, and this one must write.
 */
static void test_fresh_reads(void **state)
{
	fixture *f = *state;
	phsg_ledger *l, *other = NULL;
	phsg_payee p, p3 = { .ref = "P3", .name = "Jo", .sort_code = "401236", .account = "12345678" };
	phsg_batch b;
	phsg_award aw;
	phsg_date on;
	int64_t received, refunded;
	long long id;
	char *where, *ref;
	int rc;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	ref = add_award(f, l, "V1", "long-term-support", "maintenance=high", "P1", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(run_on(f, l, "2026-04-13").n_payments, 1); /* reads the scheme's key */
	assert_int_equal(phsg_ledger_award_lookup(&id, l, ref), 0);
	assert_int_equal(phsg_ledger_award_load(&aw, l, f->sc, id), 0);
	phsg_award_release(&aw);
	/* an id it does not have: refused, and the award left empty, safe to release */
	assert_int_equal(phsg_ledger_award_load(&aw, l, f->sc, id + 1), PHSG_ENOTFOUND);
	assert_null(aw.ref);
	phsg_award_release(&aw);
	assert_int_equal(phsg_ledger_batch_info(&b, l, 1), 0);
	phsg_ledger_batch_release(&b);
	phsg_date_parse(&on, "2026-12-21");
	assert_int_equal(phsg_ledger_contribution_receipts(&received, &refunded, l, id, on), 0);
	assert_int_equal(phsg_ledger_payee_get(&p, l, "P1"), 0);
	phsg_ledger_payee_release(&p);

	assert_int_equal(phsg_ledger_open(&other, where, "other", PHSG_LEDGER_WRITE), 0);
	add_payee(other, "P2", "401235");
	phsg_ledger_close(other);
	assert_int_equal(phsg_ledger_payee_get(&p, l, "P2"), 0);
	phsg_ledger_payee_release(&p);
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_payee_add(l, &p3), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	phsg_ledger_close(l);
	free(ref);
	free(where);
}

/*
 * A new ledger with payee P1 and award A000001 (long-term support,
 * maintenance high, from 2026-04-13), paid its first cycle by a run that
 * day: 2 hours a week at 21.40 for 4 weeks, 171.20.
 */
static phsg_ledger *open_paid(fixture *f, char **where, char **ref)
{
	phsg_ledger *l = open_new(f, where);
	int rc;

	add_payee(l, "P1", "401234");
	*ref = add_award(f, l, "C1", "long-term-support", "maintenance=high", "P1", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(run_on(f, l, "2026-04-13").total, 17120);
	return l;
}

/* A run on date d, listing at most listed_max due awards (0: the default): how many it considered. */
static size_t considered_on(fixture *f, phsg_ledger *l, const char *d, size_t listed_max)
{
	phsg_run_summary s = run_listing(f, l, d, listed_max);

	assert_int_equal(s.n_payments, 0);
	return s.awards_considered;
}

/* meta due_from as the ledger's own client reads it ("" when there is none) */
static void due_from_is(fixture *f, const char *where, const char *want)
{
	char got[64];

	sql_value(f, where, "SELECT coalesce((SELECT value FROM meta WHERE key = 'due_from'), '')",
		  got, sizeof(got));
	assert_string_equal(got, want);
}

/*
 * A run notes the earliest date an award not marked for the next run is
 * next due (meta due_from, ledger version 11), and an idle run - nothing
 * marked, an earlier date - reads that instead of the run's index.
 * A000001 (from 2026-04-13, 4-weekly cycles) is paid its first cycle on
 * 04-13; its next cycle starts 05-11 and, with lead_days 0, is due then,
 * which the payment rule brings forward by 7 days to be safe from a
 * working day rolled back: next due 05-04.  So, listed and paged alike:
 *   - noted "2026-05-04"; a run on 05-03 considers no award;
 *   - one on 05-04 considers A000001 (due, nothing to pay yet) and leaves
 *     the note as it was;
 *   - A000002, created (marked) from 2026-06-08: a run on 05-03 considers
 *     it, pays nothing (not started), and notes min(05-04, 06-08 - 7 =
 *     06-01) = 05-04: a run on 05-03 again considers none;
 *   - A000001's next due date set to 2026-04-20 behind phsg's back, the
 *     note left: a run on 05-03 trusts the note and considers none - which
 *     is why phsg verify compares the two and names the date; with the
 *     note not a date, or gone, the run reads the index, considers
 *     A000001, works its next due date out again (05-04) and notes it;
 *   - the note 'none' (no award not marked is due again) with A000001 due:
 *     verify says so.
 */
static void test_due_from(void **state)
{
	fixture *f = *state;
	phsg_ledger *l;
	char *where, *ref, *ref2, faults[1024];
	size_t n;
	int rc;

	for (size_t listed_max = 0; listed_max < 2; listed_max++) {
		l = open_paid(f, &where, &ref);
		due_from_is(f, where, "2026-05-04");
		assert_int_equal(considered_on(f, l, "2026-05-03", listed_max), 0);
		assert_int_equal(considered_on(f, l, "2026-05-04", listed_max), 1);
		due_from_is(f, where, "2026-05-04");
		ref2 = add_award_from(f, l, "C2", "long-term-support", "maintenance=high", "P1",
				      "2026-06-08", &rc);
		assert_int_equal(rc, 0);
		assert_int_equal(considered_on(f, l, "2026-05-03", listed_max), 1);
		due_from_is(f, where, "2026-05-04");
		assert_int_equal(considered_on(f, l, "2026-05-03", listed_max), 0);
		assert_verifies(f, l);

		sql_run(f, where, "UPDATE award_index SET next_due = '2026-04-20' WHERE award_id = 1");
		assert_int_equal(considered_on(f, l, "2026-05-03", listed_max), 0);
		faults[0] = '\0';
		assert_int_equal(phsg_ledger_verify(&n, l, f->sc, note_fault, faults), 0);
		assert_string_equal(faults, "meta due_from notes that no award is due before 2026-05-04, "
				    "but an award not marked for the next run is due on 2026-04-20: a run "
				    "from then, with no award marked, would pay nothing\n");
		sql_run(f, where, "UPDATE meta SET value = 'soon' WHERE key = 'due_from'");
		faults[0] = '\0';
		assert_int_equal(phsg_ledger_verify(&n, l, f->sc, note_fault, faults), 0);
		assert_string_equal(faults, "meta due_from: 'soon' is neither a date nor 'none'\n");
		/* and worked A000001's next due date out again, 05-04, and noted it */
		assert_int_equal(considered_on(f, l, "2026-05-03", listed_max), 1);
		due_from_is(f, where, "2026-05-04");
		assert_verifies(f, l);
		sql_run(f, where, "UPDATE award_index SET next_due = '2026-04-20' WHERE award_id = 1;"
			" DELETE FROM meta WHERE key = 'due_from'");
		assert_int_equal(considered_on(f, l, "2026-05-03", listed_max), 1);
		due_from_is(f, where, "2026-05-04");

		sql_run(f, where, "UPDATE meta SET value = 'none' WHERE key = 'due_from'");
		faults[0] = '\0';
		assert_int_equal(phsg_ledger_verify(&n, l, f->sc, note_fault, faults), 0);
		assert_string_equal(faults, "meta due_from notes that no award not marked is due again, "
				    "but an award not marked for the next run is due on 2026-05-04: a run "
				    "from then, with no award marked, would pay nothing\n");
		phsg_ledger_close(l);
		free(ref);
		free(ref2);
		free(where);
	}
}

/*
 * phsg verify on payments written straight to the ledger, beside the run's
 * payment 1 (171.20, for the cycle from 2026-04-13):
 *   2  an adjustment of 0.00: not positive, the one fault it has;
 *   3  one of 0.01 recorded in 2000, before the award was: the award as
 *      known then cannot be built, the one fault it has;
 *   4  one of 0.01 recorded with payment 1, for a cycle ending 2026-06-08:
 *      within the two cycles' 342.40 (171.20 + 0.00 + 0.01 + 0.01 before
 *      it), no fault - the award as known then is built again after 3;
 *   5  one of 0.01 with created_at '', which since ledger version 11 means
 *      its batch's time, and no batch: the one fault it has.
 * Payment 1 itself, written by the run, leaves its time and operator to its
 * batch (''); 2 and 4 are given the batch's time.  In no batch, so that no
 * batch's total changes.  Written by hand, they leave the award unmarked for
 * the next run, which would read the 171.20 the run kept (award_index.sums)
 * where the rows now hold 171.20 + 0.00 + 0.01 + 0.01 + 0.01 = 171.23: a
 * fault of its own, named first.
 */
static void test_verify_damage(void **state)
{
	fixture *f = *state;
	phsg_ledger *l;
#define COPY_PAYMENT_1 "INSERT INTO payments(id, batch_id, award_id, component, kind, cycle_start," \
	" cycle_end, due, amount, payee, method, created_at, operator) SELECT %d, NULL, award_id," \
	" component, 'adjustment', cycle_start, %s, due, %d, payee, method, %s, operator" \
	" FROM payments WHERE id = 1"
#define BATCH_1_TIME "(SELECT created_at FROM batches WHERE id = 1)"
	char *where, *ref, faults[4096] = "", sql[1024];
	size_t n = 0;

	l = open_paid(f, &where, &ref);
	sql_value(f, where, "SELECT count(*) FROM payments WHERE id = 1 AND created_at = ''"
		  " AND operator = ''", sql, sizeof(sql));
	assert_string_equal(sql, "1");
	snprintf(sql, sizeof(sql), COPY_PAYMENT_1, 2, "cycle_end", 0, BATCH_1_TIME);
	sql_run(f, where, sql);
	snprintf(sql, sizeof(sql), COPY_PAYMENT_1, 3, "'2026-06-08'", 1, "'2000-01-01T00:00:00.000Z'");
	sql_run(f, where, sql);
	snprintf(sql, sizeof(sql), COPY_PAYMENT_1, 4, "'2026-06-08'", 1, BATCH_1_TIME);
	sql_run(f, where, sql);
	snprintf(sql, sizeof(sql), COPY_PAYMENT_1, 5, "'2026-06-08'", 1, "''");
	sql_run(f, where, sql);
	assert_int_equal(phsg_ledger_verify(&n, l, f->sc, note_fault, faults), 0);
	assert_int_equal(n, 4);
	assert_string_equal(faults,
		"award A000001: the run's index (award_index) keeps its sums as 'ras=17120,0 "
		"(through)=2026-04-13', but its payments, recoveries and contributions give "
		"'ras=17123,0 (through)=2026-04-13': the next run would pay from the kept figures\n"
		"payment 2 of award A000001 is not positive\n"
		"award A000001 as known on 2000-01-01T00:00:00.000Z: award A000001 has no create event\n"
		"payment 5 of award A000001 says neither when it was written nor which batch it is in\n");
	phsg_ledger_close(l);
	free(ref);
	free(where);
}

/*
 * Sums a run reads from the rows come a batch at a time (payments are
 * indexed by batch, then award), each whole, and are added up in phsg: two
 * batches of 2^62 pence (4611686018427387904), written by hand beside the
 * run's 171.20, are more than 2^63 - 1 together, and the run refuses the
 * ledger, naming the award, where it would otherwise wrap.  Nothing is
 * written.  A report reads the same rows.
 */
static void test_sums_past_64_bits(void **state)
{
	fixture *f = *state;
	phsg_ledger *l;
	phsg_run_summary s;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	one_seen w = { 1, 0, 0, 0 };
	char *where, *ref, got[64];

	l = open_paid(f, &where, &ref);
	sql_run(f, where, "INSERT INTO batches(id, run_date, created_at, operator)"
		" VALUES (2, '2026-04-13', '2026-04-13T00:00:00.000Z', 'hand')");
	sql_run(f, where, "INSERT INTO payments(batch_id, award_id, component, kind, cycle_start,"
		" cycle_end, due, amount, payee, method, created_at, operator) SELECT b, award_id,"
		" component, 'adjustment', cycle_start, cycle_end, due, 4611686018427387904, payee,"
		" method, created_at, operator FROM payments, (SELECT 1 AS b UNION ALL SELECT 2) t"
		" WHERE id = 1");
	sql_run(f, where, "UPDATE award_index SET dirty = 1");
	phsg_date_parse(&o.date, "2026-05-11");
	assert_int_equal(phsg_run(&s, l, f->sc, &o), PHSG_ELEDGER);
	assert_string_equal(phsg_error_last(),
			    "award A000001: its payments of ras add up to more than 2^63 pence");
	/* the run's batch 3 was never made: the two batches and three payments stay */
	sql_value(f, where, "SELECT (SELECT count(*) FROM batches) || ' ' ||"
		  " (SELECT count(*) FROM payments)", got, sizeof(got));
	assert_string_equal(got, "2 3");
	assert_int_equal(phsg_ledger_awards_walk(l, f->sc, o.date, one_note, &w), PHSG_ELEDGER);
	assert_string_equal(phsg_error_last(),
			    "award A000001: its payments of ras add up to more than 2^63 pence");
	phsg_ledger_close(l);
	free(ref);
	free(where);
}

/* A new ledger with n awards (clients PREFIX1...), payee P1, that the run of 2026-04-13 paid. */
static phsg_ledger *open_run(fixture *f, char **where, int n, const char *prefix)
{
	phsg_ledger *l = open_new(f, where);

	add_payee(l, "P1", "401234");
	add_awards(f, l, n, prefix, 0);
	assert_int_equal(run_on(f, l, "2026-04-13").n_payments, (size_t)n);
	return l;
}

/* Its batches, payments and processed marks, counted: "B P M". */
static void count_rows(fixture *f, const char *where, char *got, size_t size)
{
	sql_value(f, where, "SELECT (SELECT count(*) FROM batches) || ' ' ||"
		  " (SELECT count(*) FROM payments) || ' ' || (SELECT count(*) FROM processed)",
		  got, size);
}

/*
 * A run that fails in a later chunk stops there and writes nothing, though
 * it was writing the chunk before (and, on SQLite, reading on its second
 * connection): RUN + 2 awards paid their first cycle, then award RUN + 2
 * (id 258) given two payments of 2^62 pence by hand.  In two batches, the
 * chunk is read, and adding the batches' sums up passes 2^63, as above; in
 * one batch, the read itself fails: the sum overflows (PostgreSQL's is a
 * numeric, refused past 64 bits as SQLite refuses it).  The run of
 * 2026-05-11 says so; its batch was never committed, and the next run,
 * once the rows are put right, pays all RUN + 2 their second cycle.
 */
static void test_run_fails_in_later_chunk(void **state)
{
	enum { N = RUN + 2 };
	fixture *f = *state;
	phsg_ledger *l;
	phsg_run_summary s;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	char *where, got[64], expected[512], sql[512];

	for (int same_batch = 0; same_batch < 2; same_batch++) {
		l = open_run(f, &where, N, "F");
		sql_run(f, where, "INSERT INTO batches(id, run_date, created_at, operator)"
			" VALUES (2, '2026-04-13', '2026-04-13T00:00:00.000Z', 'hand')");
		snprintf(sql, sizeof(sql), "INSERT INTO payments(batch_id, award_id, component, kind,"
			 " cycle_start, cycle_end, due, amount, payee, method, created_at, operator)"
			 " SELECT %s, award_id, component, 'adjustment', cycle_start, cycle_end, due,"
			 " 4611686018427387904, payee, method, created_at, operator FROM payments,"
			 " (SELECT 1 AS b UNION ALL SELECT 2) t WHERE award_id = 258",
			 same_batch ? "2" : "b");
		sql_run(f, where, sql);
		sql_run(f, where, "UPDATE award_index SET dirty = 1 WHERE award_id = 258");
		phsg_date_parse(&o.date, "2026-05-11");
		o.listed_max = 1;
		assert_int_equal(phsg_run(&s, l, f->sc, &o), PHSG_ELEDGER);
		if (same_batch)
			snprintf(expected, sizeof(expected), "ledger '%s': summing payments: integer "
				 "overflow", phsg_ledger_where(l));
		else
			snprintf(expected, sizeof(expected), "award A000258: its payments of ras add up "
				 "to more than 2^63 pence");
		assert_string_equal(phsg_error_last(), expected);
		count_rows(f, where, got, sizeof(got));
		assert_string_equal(got, "2 260 258"); /* N payments and marks, and two by hand */
		sql_run(f, where, "DELETE FROM payments WHERE amount = 4611686018427387904");
		sql_run(f, where, "DELETE FROM batches WHERE id = 2");
		s = run_listing(f, l, "2026-05-11", 1);
		assert_int_equal(s.awards_considered, N);
		assert_int_equal(s.n_payments, N);
		assert_int_equal(s.total, N * 17120);
		phsg_ledger_close(l);
		free(where);
	}
}

/*
 * A run whose write fails in a later chunk (a trigger refusing award 300's
 * payment, in the second of three chunks, while the third is read on the
 * second connection and worked out) stops there, and writes nothing: no
 * batch, no payment, no mark beyond the first run's, and no check of the
 * batch's payees (the sink's, as the command line's) that could lose the
 * failure.  Once the trigger is gone the run pays all 3 x RUN.  SQLite
 * only: the trigger is SQLite's, and PostgreSQL's run reads on its own
 * connection.
 */
static void test_run_write_fails_in_later_chunk(void **state)
{
	enum { N = 3 * RUN };
	fixture *f = *state;
	phsg_ledger *l;
	phsg_run_summary s;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	char *where, got[64], seen[64] = "";
	phsg_run_sink sink = { .ctx = seen, .bank_changed = note_changed };

	if (strcmp(f->backend, "sqlite") != 0)
		return;
	l = open_run(f, &where, N, "W");
	sql_run(f, where, "CREATE TRIGGER refuse BEFORE INSERT ON payments WHEN NEW.award_id = 300"
		" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	phsg_date_parse(&o.date, "2026-05-11");
	o.listed_max = 1;
	o.sink = &sink;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), PHSG_EINVAL);
	assert_string_equal(phsg_error_last(), "recording a payment: refused by the test");
	assert_string_equal(seen, "");
	count_rows(f, where, got, sizeof(got));
	assert_string_equal(got, "1 768 768"); /* the first run's: N each */
	sql_run(f, where, "DROP TRIGGER refuse");
	s = run_listing(f, l, "2026-05-11", 1);
	assert_int_equal(s.batch, 2);
	assert_int_equal(s.n_payments, N);
	assert_int_equal(s.total, N * 17120);
	phsg_ledger_close(l);
	free(where);
}

/*
 * l checks rows again.  First, before any transaction: phsg verify on l
 * finds processed marks from cycle 5 to 4, written by sqlite3 with the
 * constraint ignored.  Then batch 2 marked sent in a transaction on l is
 * refused while a trigger makes that write a row that names an award that
 * is not there, and again while one makes it write such marks.
 */
static void assert_rows_checked(fixture *f, phsg_ledger *l, const char *where)
{
	static const struct { const char *insert, *refusal; } bad[] = {
		{ "INSERT INTO payee_awards(payee, award_id) VALUES ('NOBODY', 999999)",
		  "FOREIGN KEY constraint failed" },
		{ "INSERT INTO processed VALUES (NEW.batch_id, 1, 'ras', 5, 4)",
		  "CHECK constraint failed: last_cycle >= first_cycle" },
	};
	char sql[512], faults[1024] = "";
	size_t n_faults = 0;

	sql_run(f, where, "PRAGMA ignore_check_constraints = ON;"
		" INSERT INTO processed VALUES (1, 1, 'ras', 5, 4)");
	assert_int_equal(phsg_ledger_verify(&n_faults, l, f->sc, note_fault, faults), 0);
	assert_string_equal(faults, "SQLite integrity check: CHECK constraint failed in processed\n");
	sql_run(f, where, "DELETE FROM processed WHERE first_cycle > last_cycle");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(sql, sizeof(sql), "CREATE TRIGGER bad AFTER INSERT ON batch_events BEGIN %s; END",
			 bad[i].insert);
		sql_run(f, where, sql);
		assert_int_equal(phsg_ledger_begin(l, 0), 0);
		assert_int_equal(phsg_ledger_batch_sent(l, 2), PHSG_EINVAL);
		assert_non_null(strstr(phsg_error_last(), bad[i].refusal));
		phsg_ledger_rollback(l);
		sql_run(f, where, "DROP TRIGGER bad");
	}
}

/*
 * A run writes without SQLite checking each row's references and CHECK
 * constraints (phsg_ledger_begin_run, ledger_chunk.h); the connection's
 * next transaction checks them again, and phsg verify checks every row.
 * Two awards paid once; a test trigger makes award 1's next payment also
 * list it for payee NOBODY under award 999999, which is not there, and
 * mark cycles 5 to 4 of award 999999 processed.  The run of 2026-05-11
 * still pays both, and verify finds those two rows, and only them: the
 * marks twice (the range, the award), by their rowid.  Then each such row,
 * written in a later transaction on the same connection, is refused
 * (assert_rows_checked): after that run, after a dry run, after a run that
 * failed, and after one that could not begin (another writer held the
 * ledger).  SQLite only: PostgreSQL always checks.
 */
static void test_run_unchecked_rows(void **state)
{
	fixture *f = *state;
	phsg_ledger *l, *other;
	phsg_run_summary s;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	char *where, faults[1024] = "", want[1024], rowid[32];
	size_t n_faults = 0;

	if (strcmp(f->backend, "sqlite") != 0)
		return;
	l = open_run(f, &where, 2, "U");
	sql_run(f, where, "CREATE TRIGGER bad AFTER INSERT ON payments WHEN NEW.award_id = 1"
		" BEGIN INSERT INTO payee_awards(payee, award_id) VALUES ('NOBODY', 999999);"
		" INSERT INTO processed VALUES (NEW.batch_id, 999999, 'ras', 5, 4); END");
	s = run_on(f, l, "2026-05-11");
	assert_int_equal(s.n_payments, 2);
	assert_int_equal(phsg_ledger_verify(&n_faults, l, f->sc, note_fault, faults), 0);
	/* the integrity check first, then the references in SQLite's order of
	 * tables; the marks' row by its rowid (payee_awards has none) */
	sql_value(f, where, "SELECT rowid FROM processed WHERE award_id = 999999", rowid,
		  sizeof(rowid));
	assert_int_equal(n_faults, 3);
	assert_true(strncmp(faults, "SQLite integrity check: CHECK constraint failed in processed\n",
			    strlen("SQLite integrity check: CHECK constraint failed in processed\n")) == 0);
	snprintf(want, sizeof(want), "\nrow %s of processed names a row of awards that is not there\n",
		 rowid);
	assert_non_null(strstr(faults, want));
	assert_non_null(strstr(faults, "\na row of payee_awards names a row of awards that is not there\n"));
	sql_run(f, where, "DROP TRIGGER bad; DELETE FROM payee_awards WHERE award_id = 999999;"
		" DELETE FROM processed WHERE first_cycle > last_cycle");
	assert_verifies(f, l);

	assert_rows_checked(f, l, where); /* after a run that committed */
	phsg_date_parse(&o.date, "2026-06-08");
	o.dry_run = 1;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), 0);
	assert_int_equal(s.n_payments, 2);
	assert_rows_checked(f, l, where); /* after a dry run */
	sql_run(f, where, "CREATE TRIGGER refuse BEFORE INSERT ON payments"
		" BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	o.dry_run = 0;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), PHSG_EINVAL);
	assert_rows_checked(f, l, where); /* after a run that failed */
	assert_int_equal(phsg_ledger_open(&other, where, "tester", PHSG_LEDGER_WRITE), 0);
	assert_int_equal(phsg_ledger_begin(other, 0), 0);
	o.wait_ms = 0;
	assert_int_equal(phsg_run(&s, l, f->sc, &o), PHSG_ELEDGER);
	assert_non_null(strstr(phsg_error_last(), "is busy"));
	phsg_ledger_rollback(other);
	phsg_ledger_close(other);
	assert_rows_checked(f, l, where); /* after a run that could not begin */

	sql_run(f, where, "DROP TRIGGER refuse");
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	assert_int_equal(phsg_ledger_batch_sent(l, 2), 0);
	assert_int_equal(phsg_ledger_commit(l), 0);
	assert_verifies(f, l);
	phsg_ledger_close(l);
	free(where);
}

/*
 * A run reads on a second connection only to the file it writes.  A
 * ledger opened by a relative path (own.db, two awards paid once), and the
 * process then in another folder that has another ledger by that name
 * (five awards paid once): the run of 2026-05-11 still reads and pays its
 * own two awards, in its own file, and the other is left as it was.
 * SQLite only: a PostgreSQL ledger has no path.
 */
static void test_run_reads_its_own_file(void **state)
{
	fixture *f = *state;
	phsg_ledger *l = NULL, *other;
	phsg_run_options o = PHSG_RUN_OPTIONS_INIT;
	phsg_run_summary s;
	char *elsewhere, here[4096], path[256], cmd[512], got[64];
	int rc;

	if (strcmp(f->backend, "sqlite") != 0)
		return;
	other = open_run(f, &elsewhere, 5, "O");
	phsg_ledger_close(other);
	snprintf(cmd, sizeof(cmd), "mkdir '%s/b' && cp '%s' '%s/b/own.db'", f->dir, elsewhere, f->dir);
	assert_int_equal(system(cmd), 0);
	assert_non_null(getcwd(here, sizeof(here)));
	assert_int_equal(chdir(f->dir), 0);
	rc = phsg_ledger_open(&l, "own.db", "tester", PHSG_LEDGER_CREATE);
	assert_int_equal(chdir(here), 0);
	assert_int_equal(rc, 0);
	add_payee(l, "P1", "401234");
	add_awards(f, l, 2, "M", 0);
	assert_int_equal(run_on(f, l, "2026-04-13").n_payments, 2);
	phsg_date_parse(&o.date, "2026-05-11");
	o.listed_max = 1;
	snprintf(path, sizeof(path), "%s/b", f->dir);
	assert_int_equal(chdir(path), 0);
	rc = phsg_run(&s, l, f->sc, &o);
	assert_int_equal(chdir(f->dir), 0);
	phsg_ledger_close(l); /* its write-ahead log is named by the path it was opened by */
	assert_int_equal(chdir(here), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(s.awards_considered, 2);
	assert_int_equal(s.n_payments, 2);
	assert_int_equal(s.total, 2 * 17120);
	snprintf(path, sizeof(path), "%s/own.db", f->dir);
	count_rows(f, path, got, sizeof(got));
	assert_string_equal(got, "2 4 4");
	snprintf(path, sizeof(path), "%s/b/own.db", f->dir);
	count_rows(f, path, got, sizeof(got));
	assert_string_equal(got, "1 5 5");
	free(elsewhere);
}

/* The journal's amounts in its order, to a buffer of up to 16. */
typedef struct {
	int64_t amount[16];
	size_t n;
} journal_amounts;

static int amount_note(void *ctx, const phsg_journal_entry *e)
{
	journal_amounts *j = ctx;

	if (j->n < 16)
		j->amount[j->n] = e->amount;
	j->n++;
	return 0;
}

/* verify's faults on the ledger as it now is: their count, and all of them. */
static size_t verify_faults(fixture *f, phsg_ledger *l, char *faults)
{
	size_t n = 0;

	faults[0] = '\0';
	assert_int_equal(phsg_ledger_verify(&n, l, f->sc, note_fault, faults), 0);
	return n;
}

/* how verify ends the fault of a payment whose payee the award is not listed as paying */
#define NOT_LISTED ", but payee_awards does not list the award as paying it: that payee's" \
	" payments would be read without it\n"

/*
 * phsg verify on texts edited by hand, on the ledger of open_paid() (payee
 * 1 P1, award 1 A000001, payment 1 its first cycle): each control
 * character, C0 or C1, is a fault naming the row, the column and the
 * character's place; an empty text is none (no control character in it).
 * Bytes that are not UTF-8 are a fault too: SQLite only, as PostgreSQL's
 * text refuses them.
 */
static void test_verify_texts(void **state)
{
	fixture *f = *state;
	char *where, *ref, faults[4096], want[4096], long_ref[1201], sql[1400];
	phsg_ledger *l;
	phsg_date on;
	size_t o;

	l = open_paid(f, &where, &ref);
	assert_int_equal(verify_faults(f, l, faults), 0);
	sql_run(f, where, "UPDATE payees SET name = 'Jo\033[2K Bloggs' WHERE id = 1");
	sql_run(f, where, "UPDATE awards SET client = 'C1\n' WHERE id = 1");
	sql_run(f, where, "UPDATE payments SET operator = 'tes\302\205ter' WHERE id = 1");
	assert_int_equal(verify_faults(f, l, faults), 3);
	assert_string_equal(faults, "payee 1, column name: its text holds a control character (U+001B,"
			    " character 3): not allowed\n"
			    "award 1, column client: its text holds a control character (U+000A,"
			    " character 3): not allowed\n"
			    "payment 1, column operator: its text holds a control character (U+0085,"
			    " character 4): not allowed\n");
	sql_run(f, where, "UPDATE payees SET name = 'Jo Bloggs' WHERE id = 1");
	sql_run(f, where, "UPDATE awards SET client = 'C1' WHERE id = 1");
	sql_run(f, where, "UPDATE payments SET operator = '' WHERE id = 1");
	assert_int_equal(verify_faults(f, l, faults), 0);
	/* and the texts inside an event's data, however deep (an empty one is no fault), keys too */
	sql_run(f, where, "UPDATE award_events SET data = replace(data, '\\\"tier\\\":null}',"
		" '\\\"tier\\\":null,\\\"note\\\":[\\\"\\\",{\\\"reason\\\":\\\"a\\u001bb\\\"}]}') WHERE id = 1");
	assert_int_equal(verify_faults(f, l, faults), 1);
	assert_string_equal(faults, "award event 1, column data: its reason holds a control character"
			    " (U+001B, character 2): not allowed\n");
	sql_run(f, where, "UPDATE award_events SET data = replace(data, 'a\\u001bb', 'ab') WHERE id = 1");
	assert_int_equal(verify_faults(f, l, faults), 0);
	sql_run(f, where, "UPDATE award_events SET data = replace(data, 'note', 'n\\u0085') WHERE id = 1");
	assert_int_equal(verify_faults(f, l, faults), 1);
	assert_string_equal(faults, "award event 1, column data: one of its keys holds a control"
			    " character (U+0085, character 2): not allowed\n");
	sql_run(f, where, "UPDATE award_events SET data = replace(data, 'n\\u0085', 'note') WHERE id = 1");
	/* a fault that quotes such a text gives it on one line, escaped, and whole */
	sql_run(f, where, "UPDATE payments SET payee = 'P1\\\\\302\205\342\200\250\304\200\302\237'"
		" WHERE id = 1");
	assert_int_equal(verify_faults(f, l, faults), 2);
	assert_string_equal(faults, "payment 1, column payee: its text holds a control character"
			    " (U+0085, character 4): not allowed\n"
			    "payment 1 (award A000001) pays P1\\\\\\u0085\\u2028\304\200\\u009F" NOT_LISTED);
	/* 300 control characters: each four bytes once escaped (\x01) */
	memset(long_ref, '\001', 300);
	long_ref[300] = '\0';
	snprintf(sql, sizeof(sql), "UPDATE payments SET payee = '%s' WHERE id = 1", long_ref);
	sql_run(f, where, sql);
	assert_int_equal(verify_faults(f, l, faults), 2);
	o = (size_t)snprintf(want, sizeof(want), "payment 1, column payee: its text holds a control"
			     " character (U+0001, character 1): not allowed\n"
			     "payment 1 (award A000001) pays ");
	for (int k = 0; k < 300; k++)
		o += (size_t)snprintf(want + o, sizeof(want) - o, "\\x01");
	snprintf(want + o, sizeof(want) - o, NOT_LISTED);
	assert_string_equal(faults, want);
	memset(long_ref, 'x', sizeof(long_ref) - 1);
	long_ref[sizeof(long_ref) - 1] = '\0';
	snprintf(sql, sizeof(sql), "UPDATE payments SET payee = '%s' WHERE id = 1", long_ref);
	sql_run(f, where, sql);
	assert_int_equal(verify_faults(f, l, faults), 1);
	snprintf(sql, sizeof(sql), "payment 1 (award A000001) pays %s" NOT_LISTED, long_ref);
	assert_string_equal(faults, sql);
	if (strcmp(f->backend, "sqlite") == 0) {
		sql_run(f, where, "UPDATE payments SET payee = 'P1', method = 'dir\377ect' WHERE id = 1");
		assert_int_equal(verify_faults(f, l, faults), 1);
		assert_string_equal(faults, "payment 1, column method: its text is not valid UTF-8"
				    " (byte 4)\n");
		sql_run(f, where, "UPDATE payments SET payee = 'P1\233x', method = 'direct' WHERE id = 1");
		assert_int_equal(verify_faults(f, l, faults), 2);
		assert_string_equal(faults, "payment 1, column payee: its text is not valid UTF-8"
				    " (byte 3)\npayment 1 (award A000001) pays P1\\x9Bx" NOT_LISTED);
	}
	/* the library refuses such text on the way in, as the command line does */
	assert_int_equal(phsg_date_parse(&on, "2026-05-11"), 0);
	assert_int_equal(phsg_ledger_payment_return(l, 1, 1, on, "closed\r\n"), PHSG_EINVAL);
	assert_string_equal(phsg_error_last(), "the reason holds a control character (U+000D,"
			    " character 7): not allowed");
	phsg_ledger_close(l);
	l = (phsg_ledger *)1;
	assert_int_equal(phsg_ledger_open(&l, where, "te\tster", PHSG_LEDGER_READONLY), PHSG_EINVAL);
	assert_null(l);
	assert_int_equal(phsg_ledger_open(&l, where, NULL, PHSG_LEDGER_READONLY), PHSG_EINVAL);
	assert_string_equal(phsg_error_last(), "the operator's name is empty");
	free(ref);
	free(where);
}

/*
 * phsg verify on the run's index and on dates edited by hand.  Award 1
 * runs from 2026-04-13; the run of that day processes its first cycle
 * (2026-04-13 to 05-10) and sets next_due to a week before the next
 * cycle's start (05-11 - 0 lead days - 7 = 05-04).  The cycle from 05-11
 * falls due on 05-11 (a Monday, no bank holiday), so:
 *   next_due 05-11        no fault: a run that day reads the award
 *   next_due 05-12        a fault: a run of 05-11 would pass it by
 *   next_due NULL         a fault: no run would read it again
 *   NULL, other scheme    no fault: the next run reads every award again
 *   NULL but dirty        no fault: a run reads every award marked dirty
 *   clean, marked to 06-07  a fault: 2 hours a week at 21.40 for 8 weeks is
 *                         342.40, and 171.20 was paid
 *   no row at all         a fault (award 2's): no run would read it
 * Award 2 (housing options, 3 months from 2026-01-19 to 04-18) is paid by
 * a second run that day for all its four cycles, from 01-19, 02-16, 03-16
 * and 04-13 (each due on its Monday): nothing of it is left to process, so
 * no next_due is a fault for it.
 * Then dates no one could have written through phsg: each is named by its
 * table's row and column, and verify stops there (its other checks read
 * those dates).  The journal stops at the first entry with a date that
 * cannot be read, after award 2's three entries due before 04-00 sorts,
 * and names the first such column it read (the due date).
 */
static void test_verify_index_dates(void **state)
{
	fixture *f = *state;
	static const char *const late = "award A000001: its cycle from 2026-05-11 falls due on"
		" 2026-05-11 and no run has processed it, but the run's index (award_index) would"
		" first read the award on 2026-05-12: a run before then would not pay it\n";
	static const char *const never = "award A000001: its cycle from 2026-05-11 falls due on"
		" 2026-05-11 and no run has processed it, but the run's index (award_index) says"
		" nothing more is due: no run would pay it\n";
	journal_amounts j = { { 0 }, 0 };
	char *where, *ref, *ref2, faults[4096];
	phsg_scheme *other;
	phsg_ledger *l;
	size_t n = 0;
	int rc;

	l = open_paid(f, &where, &ref);
	ref2 = add_award_from(f, l, "C2", "housing-options", "basic=low", "P1", "2026-01-19", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(run_on(f, l, "2026-04-13").n_payments, 4);
	assert_int_equal(verify_faults(f, l, faults), 0);
	sql_run(f, where, "UPDATE award_index SET next_due = '2026-05-11'");
	assert_int_equal(verify_faults(f, l, faults), 0);
	sql_run(f, where, "UPDATE award_index SET next_due = '2026-05-12'");
	assert_int_equal(verify_faults(f, l, faults), 1);
	assert_string_equal(faults, late);
	sql_run(f, where, "UPDATE award_index SET next_due = NULL");
	assert_int_equal(verify_faults(f, l, faults), 1);
	assert_string_equal(faults, never);
	/* a scheme the ledger has not run under: the next run reads every award again */
	other = scheme_edited(f, "other.cfg", "1i# the same scheme, but for this line");
	assert_int_equal(phsg_ledger_verify(&n, l, other, count_fault, &n), 0);
	assert_int_equal(n, 0);
	phsg_scheme_free(other);
	sql_run(f, where, "UPDATE award_index SET dirty = 1");
	assert_int_equal(verify_faults(f, l, faults), 0);
	sql_run(f, where, "UPDATE award_index SET dirty = 0, next_due = '2026-05-04'");
	sql_run(f, where, "UPDATE processed SET last_cycle = last_cycle + 1 WHERE award_id = 1");
	sql_run(f, where, "UPDATE award_index SET cycles = NULL WHERE award_id = 1"); /* as above */
	assert_int_equal(verify_faults(f, l, faults), 1);
	assert_string_equal(faults, "award A000001 ras: the payment rule gives 342.40 to 2026-06-07,"
			    " the end of its last processed cycle, but 171.20 is paid: 171.20 short\n");
	sql_run(f, where, "UPDATE processed SET last_cycle = last_cycle - 1 WHERE award_id = 1");
	assert_int_equal(verify_faults(f, l, faults), 0);
	sql_run(f, where, "DELETE FROM award_index WHERE award_id = 2");
	assert_int_equal(verify_faults(f, l, faults), 1);
	assert_string_equal(faults, "award A000002: the run's index (award_index) has no row for it:"
			    " no run would read it\n");

	sql_run(f, where, "UPDATE payments SET cycle_end = '2026-06-31', due = '2026-04-00' WHERE id = 1");
	sql_run(f, where, "UPDATE award_events SET effective = '2026/04/13' WHERE id = 1");
	assert_int_equal(verify_faults(f, l, faults), 3);
	assert_string_equal(faults, "award event 1, column effective: '2026/04/13' is not a date"
			    " (expected YYYY-MM-DD)\npayment 1, column cycle_end: '2026-06-31' is not a"
			    " calendar date\npayment 1, column due: '2026-04-00' is not a calendar date\n");
	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, amount_note, &j), PHSG_ELEDGER);
	assert_string_equal(phsg_error_last(), "payment 1, column due: '2026-04-00' is not a"
			    " calendar date; phsg verify lists each date the ledger holds that cannot"
			    " be read");
	assert_int_equal(j.n, 3);
	phsg_ledger_close(l);
	free(ref);
	free(ref2);
	free(where);
}

/*
 * The journal is in order of date, then source (payments, recoveries,
 * contributions charged, contributions received), then id in its table:
 * rows written straight to the tables, with ids against their dates, each
 * told by its amount (payment 2 is award 2's, the others award 1's: a
 * read in award order meets 7 before 2).  Signed as SPEC section 10 says:
 * a recovery and a receipt are negative.
 *   04-30  recovery 9          -209
 *   05-01  payment 2, 7         102, 107
 *          recovery 1          -201
 *          contribution 1       301
 *          receipt 1           -401
 *   05-02  payment 1            101
 * An id of 2^34 or more does not fit the journal's order: the journal that
 * would hold it is refused, one that ends before it is not.  So is one
 * with a date that is not a date, at that entry (the entries before it,
 * in the order above, are given): 04-31 and 05-00 sort just after 04-30.
 */
static void test_journal_order(void **state)
{
	fixture *f = *state;
	static const int64_t want[] = { -209, 102, 107, -201, 301, -401, 101 };
	/* dates of no calendar, in digits (PostgreSQL's sort key reads them too) */
	static const struct {
		const char *set, *undo, *why;
		size_t before;
	} damaged[] = {
		{ "UPDATE recoveries SET received_on = '2026-04-31' WHERE id = 9",
		  "UPDATE recoveries SET received_on = '2026-04-30' WHERE id = 9",
		  "recovery 9, column received_on: '2026-04-31'", 0 },
		{ "UPDATE payments SET cycle_end = '2026-05-32' WHERE id = 7",
		  "UPDATE payments SET cycle_end = '2026-05-03' WHERE id = 7",
		  "payment 7, column cycle_end: '2026-05-32'", 2 },
		{ "UPDATE contributions SET due = '2026-05-00'",
		  "UPDATE contributions SET due = '2026-05-01'",
		  "contribution 1, column due: '2026-05-00'", 1 },
		{ "UPDATE contributions SET cycle_start = '2026-04-31'",
		  "UPDATE contributions SET cycle_start = '2026-04-13'",
		  "contribution 1, column cycle_start: '2026-04-31'", 4 },
		{ "UPDATE contribution_receipts SET on_date = '2026-05-00'",
		  "UPDATE contribution_receipts SET on_date = '2026-05-01'",
		  "contribution receipt 1, column on_date: '2026-05-00'", 1 },
		/* no text at all, the first date the journal reads (PostgreSQL's
		 * sort key cannot read it: the server refuses the journal) */
		{ "UPDATE recoveries SET received_on = '' WHERE id = 9",
		  "UPDATE recoveries SET received_on = '2026-04-30' WHERE id = 9",
		  "recovery 9, column received_on: '' is not a date (expected YYYY-MM-DD)", 0 },
	};
	journal_amounts j = { { 0 }, 0 };
	phsg_date may2;
	phsg_ledger *l;
	char *where, *ref, *ref2;
	int rc;

	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	ref = add_award(f, l, "C1", "long-term-support", "maintenance=high", "P1", &rc);
	assert_int_equal(rc, 0);
	ref2 = add_award(f, l, "C2", "long-term-support", "maintenance=high", "P1", &rc);
	assert_int_equal(rc, 0);
	sql_run(f, where, "INSERT INTO batches(id, run_date, created_at, operator)"
		" VALUES (1, '2026-05-02', 't', 'o')");
	sql_run(f, where, "INSERT INTO payments(id, batch_id, award_id, component, kind, cycle_start,"
		" cycle_end, due, amount, payee, method, created_at, operator) VALUES"
		" (1, 1, 1, 'ras', 'cycle', '2026-05-04', '2026-05-31', '2026-05-02', 101, 'P1', 'direct', 't', 'o'),"
		" (2, 1, 2, 'ras', 'cycle', '2026-04-13', '2026-05-03', '2026-05-01', 102, 'P1', 'direct', 't', 'o'),"
		" (7, 1, 1, 'ras', 'adjustment', '2026-04-13', '2026-05-03', '2026-05-01', 107, 'P1', 'direct', 't', 'o')");
	sql_run(f, where, "INSERT INTO recoveries(id, award_id, component, amount, received_on,"
		" recorded_at, operator, payee) VALUES (1, 1, 'ras', 201, '2026-05-01', 't', 'o', 'P1'),"
		" (9, 1, 'ras', 209, '2026-04-30', 't', 'o', 'P1')");
	sql_run(f, where, "INSERT INTO contributions(id, batch_id, award_id, cycle_start, cycle_end, due,"
		" amount, created_at, operator) VALUES (1, NULL, 1, '2026-04-13', '2026-05-03', '2026-05-01', 301, 't', 'o')");
	sql_run(f, where, "INSERT INTO contribution_receipts(id, award_id, kind, amount, on_date,"
		" recorded_at, operator) VALUES (1, 1, 'received', 401, '2026-05-01', 't', 'o')");
	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, amount_note, &j), 0);
	assert_int_equal(j.n, 7);
	assert_memory_equal(j.amount, want, sizeof(want));

	sql_run(f, where, "INSERT INTO recoveries(id, award_id, component, amount, received_on,"
		" recorded_at, operator, payee) VALUES (17179869184, 1, 'ras', 1, '2026-05-03', 't', 'o', 'P1')");
	memset(&j, 0, sizeof(j));
	assert_int_equal(phsg_ledger_journal(l, PHSG_DATE_LAST, amount_note, &j), PHSG_ELEDGER);
	assert_string_equal(phsg_error_last(), "a recovery entry with id 17179869184: the journal's"
			    " order holds ids below 17179869184 (2^34) only");
	assert_int_equal(j.n, 7);
	memset(&j, 0, sizeof(j));
	phsg_date_parse(&may2, "2026-05-02");
	assert_int_equal(phsg_ledger_journal(l, may2, amount_note, &j), 0);
	assert_memory_equal(j.amount, want, sizeof(want));
	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
		char why[512];
		sql_run(f, where, damaged[i].set);
		memset(&j, 0, sizeof(j));
		assert_int_equal(phsg_ledger_journal(l, may2, amount_note, &j), PHSG_ELEDGER);
		if (strcmp(f->backend, "sqlite") && !strstr(damaged[i].why, "2026")) {
			assert_non_null(strstr(phsg_error_last(), "reading the journal: invalid input"
					       " syntax for type bigint: \"\""));
			assert_int_equal(j.n, 0);
			sql_run(f, where, damaged[i].undo);
			continue;
		}
		snprintf(why, sizeof(why), "%s%s; phsg verify lists each date the ledger holds that"
			 " cannot be read", damaged[i].why,
			 strstr(damaged[i].why, "is not") ? "" : " is not a calendar date");
		assert_string_equal(phsg_error_last(), why);
		assert_int_equal(j.n, damaged[i].before);
		assert_memory_equal(j.amount, want, damaged[i].before * sizeof(want[0]));
		sql_run(f, where, damaged[i].undo);
	}
	phsg_ledger_close(l);
	free(ref);
	free(ref2);
	free(where);
}

/* A need that is not INTERVENTION=LEVEL is refused, whatever its shape. */
static void test_bad_needs(void **state)
{
	fixture *f = *state;
	char long_key[200];
	const char *bad[] = { "=low", "maintenance=", "maintenance", long_key };
	const char *twice[] = { "maintenance=low", "maintenance=high" };
	phsg_award_request n = PHSG_AWARD_REQUEST_INIT;
	phsg_ledger *l;
	char *where, *ref = NULL;

	memset(long_key, 'k', sizeof(long_key));
	strcpy(long_key + 150, "=low");
	l = open_new(f, &where);
	add_payee(l, "P1", "401234");
	n.client = "V1";
	n.package = "long-term-support";
	n.method = "direct";
	n.payee = "P1";
	phsg_date_parse(&n.start, "2026-04-13");
	assert_int_equal(phsg_ledger_begin(l, 0), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n.needs = &bad[i];
		n.n_needs = 1;
		assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), PHSG_EINVAL);
		assert_non_null(strstr(phsg_error_last(), "is not INTERVENTION=LEVEL"));
	}
	n.needs = twice;
	n.n_needs = 2;
	assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "'maintenance' is given twice"));
	n.n_needs = 1;
	assert_int_equal(phsg_ledger_award_create(&ref, l, f->sc, &n), 0);
	assert_string_equal(ref, "A000001");
	phsg_ledger_rollback(l);
	free(ref);
	phsg_ledger_close(l);
	free(where);
}

#define CONFORMANCE(setup_fn) \
	cmocka_unit_test_setup_teardown(test_unwritten_ledger_discarded, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_transactions, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_exclusive_writers, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_awards_and_runs, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_copy, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_money_rules, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_overlaps, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_bad_needs, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_contributions, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_scheme_change, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_fails_in_later_chunk, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_write_fails_in_later_chunk, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_reads_its_own_file, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_unchecked_rows, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_due_from, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_held_rows, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_bank_details_changed, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_order, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_gaps, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_paged, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_awards_walk, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_walk_failure, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_kept_states, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_walk_balances, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_fresh_reads, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_journal_order, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_verify_damage, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_verify_index_dates, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_verify_texts, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_run_sparse_chunk, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_held_without_sink, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_sink_failure, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_kept_sums, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_kept_cycles, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_kept_cycles_tiers, setup_fn, teardown), \
	cmocka_unit_test_setup_teardown(test_sums_past_64_bits, setup_fn, teardown)

int main(void)
{
	const struct CMUnitTest sqlite_tests[] = { CONFORMANCE(setup_sqlite) };
	const struct CMUnitTest pg_tests[] = { CONFORMANCE(setup_pg) };
	int failed = cmocka_run_group_tests_name("ledger conformance: sqlite", sqlite_tests, NULL, NULL);

	if (getenv("PHSG_PGTEST"))
		failed += cmocka_run_group_tests_name("ledger conformance: postgresql", pg_tests, NULL,
						      NULL);
	else
		printf("ledger conformance: postgresql not run here (PHSG_PGTEST unset; make test "
		       "runs it under tools/pgtest)\n");
	return failed;
}
