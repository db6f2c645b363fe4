/*
 * fuzz_caseload.c - caseload rows (SPEC sections 8 and 12): the scenario
 * reader (phsg_scenario_read, src/lib/scenario.c) and, for import, the
 * library calls `phsg award import` makes for each row.
 *
 * `award import` reads its rows in static functions of src/cli/cmd_award.c
 * (and needs a ledger), so it cannot be called from here.  What it does with
 * a row in the library is reached instead: each row is turned into a
 * create event's JSON as cmd_award.c's create_award() builds it (package,
 * level, tier, chosen_tier, hours, needs, method, payee) and applied with
 * phsg_award_apply() ("create", then "extend" and "end" when the row has an
 * end), then phsg_award_check_covered() and phsg_award_accrue().
 *
 * Input: two control bytes, then the caseload.
 *   byte 0: bits 0-1 the scheme, bit 2 a second scenario (bits 3-4 its
 *           scheme), bit 5 the standard header is put first, bit 6 the
 *           rest is cells (NUL-separated, 13 to a row) written with the CSV
 *           writer (cli_csv_row) under the header, bit 7 a budget;
 *   byte 1: the period [from, to) modelled, and the budget.
 * Invariants:
 *   - the reader returns 0 or an error with a message; on 0, every row is
 *     used or left out (rows counted here with libcsv), and each row left
 *     out is reported once, with its line;
 *   - the results add up: per year, the packages and the interventions sum
 *     to the cost, the rounded cost is the exact cost rounded once by the
 *     scheme's rule, headroom and break-even rate follow from the budget;
 *   - every row the model uses is one import's library calls accept, and
 *     under every scenario the model's exact cost and hours of each year
 *     equal the sum of phsg_award_accrue() over the rows it used, and its
 *     people the rows active in that year.
 */
#include <csv.h>
#include <jansson.h>
#include "fuzz.h"
#include "cli.h"
#include "phsg.h"
#include "phsg/scenario.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif

#define HEADER "client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end," \
	"method,payee"
#define N_COLS 13

static const char *const scheme_files[] = {
	PHSG_CONFIG_DIR "/medway.cfg",
	PHSG_CONFIG_DIR "/oxfordshire.cfg",
	PHSG_CONFIG_DIR "/../tests/fuzz/schemes/caseload.cfg",
	PHSG_CONFIG_DIR "/../tests/cli/data/rate-change.cfg",
};
#define N_SCHEMES (sizeof(scheme_files) / sizeof(scheme_files[0]))
static phsg_scheme *schemes[N_SCHEMES];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < N_SCHEMES; i++)
		if (phsg_scheme_load(&schemes[i], scheme_files[i])) {
			fprintf(stderr, "fuzz_caseload: %s\n", phsg_error_last());
			abort();
		}
	return 0;
}

/* ---- the rows, as libcsv gives them ---- */

typedef struct {
	size_t n;
	char **cell;
	size_t len0; /* the first cell's length in bytes (it may hold a NUL) */
	long line;   /* 1-based row number, as the reader counts */
} csv_row;

typedef struct {
	csv_row *rows;
	size_t n_rows, cap_rows;
	char **cell;
	size_t n_cell, cap_cell, len0;
	long line;
} table;

static void t_field(void *s, size_t len, void *data)
{
	table *t = data;
	char *c = malloc(len + 1);

	if (!c)
		abort();
	if (len)
		memcpy(c, s, len);
	c[len] = '\0';
	if (t->n_cell == 0)
		t->len0 = len;
	if (t->n_cell == t->cap_cell) {
		t->cap_cell = t->cap_cell ? 2 * t->cap_cell : 16;
		t->cell = realloc(t->cell, t->cap_cell * sizeof(char *));
		if (!t->cell)
			abort();
	}
	t->cell[t->n_cell++] = c;
}

static void t_row(int c, void *data)
{
	table *t = data;

	(void)c;
	if (t->n_rows == t->cap_rows) {
		t->cap_rows = t->cap_rows ? 2 * t->cap_rows : 16;
		t->rows = realloc(t->rows, t->cap_rows * sizeof(csv_row));
		if (!t->rows)
			abort();
	}
	t->rows[t->n_rows].n = t->n_cell;
	t->rows[t->n_rows].cell = t->cell;
	t->rows[t->n_rows].len0 = t->len0;
	t->rows[t->n_rows].line = ++t->line;
	t->n_rows++;
	t->cell = NULL;
	t->n_cell = t->cap_cell = 0;
}

static void t_free(table *t)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t i = 0; i < t->rows[r].n; i++)
			free(t->rows[r].cell[i]);
		free(t->rows[r].cell);
	}
	for (size_t i = 0; i < t->n_cell; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->rows);
}

/* Read the caseload as the model does; 0 when libcsv refuses it. */
static int t_read(table *t, const char *buf, size_t n)
{
	struct csv_parser p;
	int ok;

	memset(t, 0, sizeof(*t));
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		n -= 3;
	}
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		abort();
	ok = csv_parse(&p, buf, n, t_field, t_row, t) == n && csv_fini(&p, t_field, t_row, t) == 0;
	csv_free(&p);
	return ok;
}

static int blank(const csv_row *r)
{
	return r->n == 1 && r->len0 == 0;
}

static const char *col(const csv_row *hdr, const csv_row *r, const char *name)
{
	const char *v = "";

	/* the last column of that name, as the reader takes it */
	for (size_t i = 0; i < hdr->n; i++)
		if (!strcmp(hdr->cell[i], name))
			v = i < r->n ? r->cell[i] : "";
	return v;
}

/* A need: the last column of that name that is not empty, as the model takes it. */
static const char *col_need(const csv_row *hdr, const csv_row *r, const char *name)
{
	const char *v = "";

	for (size_t i = 0; i < hdr->n; i++)
		if (!strcmp(hdr->cell[i], name) && i < r->n && r->cell[i][0])
			v = r->cell[i];
	return v;
}

/* ---- the rows left out, as the reader reports them ---- */

typedef struct {
	long *lines;
	size_t n, cap;
	char **warned; /* the unknown columns named */
	size_t n_warned;
} bad_list;

static void on_unknown(void *ctx, const char *column)
{
	bad_list *b = ctx;

	/* finding scenario-repeated-column: a repeated unknown column is named each time */
	for (size_t i = 0; i < b->n_warned && !fuzz_known("scenario-repeated-column"); i++)
		FUZZ_CHECK(strcmp(b->warned[i], column), "column '%s' named twice", column);
	b->warned = realloc(b->warned, (b->n_warned + 1) * sizeof(char *));
	if (!b->warned || !(b->warned[b->n_warned] = strdup(column)))
		abort();
	b->n_warned++;
}

/* A column the reader should name as unknown: no fixed column, no scenario's intervention. */
static int unknown_column(const char *name, const phsg_scheme *sa, const phsg_scheme *sb)
{
	static const char *const known[] = { "client", "package", "level", "tier", "chosen_tier",
		"hours", "start", "end", "method", "payee" };

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(name, known[i]))
			return 0;
	return phsg_scheme_intervention(sa, name) < 0 && (!sb || phsg_scheme_intervention(sb, name) < 0);
}

static void on_bad(void *ctx, long line, const char *why)
{
	bad_list *b = ctx;

	FUZZ_CHECK(why && why[0], "row %ld left out without a reason", line);
	if (getenv("FUZZ_DEBUG"))
		fprintf(stderr, "left out: line %ld: %s\n", line, why);
	FUZZ_CHECK(b->n == 0 || b->lines[b->n - 1] < line, "row %ld reported twice or out of order",
		   line);
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->lines = realloc(b->lines, b->cap * sizeof(long));
		if (!b->lines)
			abort();
	}
	b->lines[b->n++] = line;
}

static int is_bad(const bad_list *b, long line)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->lines[i] == line)
			return 1;
	return 0;
}

/* ---- import's library calls for one row ---- */

/* The cell as a whole number the way the model reads it (digits), else -1. */
static int cell_number(const char *v)
{
	int n = 0;

	if (!*v)
		return 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9' || n > 1000)
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n;
}

static json_t *number_or_null(int n)
{
	return n > 0 ? json_integer(n) : json_null();
}

/*
 * Build the award a row describes under scheme sc, as import would:
 * create (as create_award() builds its JSON), then, for an end past the
 * period, an extension, then the end.  0, or the library's error.
 */
/* phsg_award_apply() takes the event's data as JSON text. */
static int apply_json(phsg_award *aw, const phsg_scheme *sc, const char *kind, phsg_date effective,
		      json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT);
	int rc;

	if (!text)
		abort();
	rc = phsg_award_apply(aw, sc, kind, effective, text);
	free(text);
	return rc;
}

static int row_award(const phsg_scheme *sc, const csv_row *hdr, const csv_row *r, phsg_award *aw)
{
	json_t *data = json_object(), *needs = json_object();
	const char *hours = col(hdr, r, "hours"), *end_s = col(hdr, r, "end");
	phsg_date start, end;
	int level = cell_number(col(hdr, r, "level")), tier = cell_number(col(hdr, r, "tier")),
	    chosen = cell_number(col(hdr, r, "chosen_tier")), rc;

	phsg_award_init(aw, 0, "new award", col(hdr, r, "client"));
	if ((rc = phsg_date_parse(&start, col(hdr, r, "start"))))
		goto done;
	if (level < 0 || tier < 0 || chosen < 0) {
		rc = phsg_error_set(PHSG_EINVAL, "not a whole number");
		goto done;
	}
	for (size_t i = 0; i < sc->n_interventions; i++) {
		const char *v = col_need(hdr, r, sc->interventions[i].id);
		if (*v)
			json_object_set_new(needs, sc->interventions[i].id, json_string(v));
	}
	json_object_set_new(data, "package", json_string(col(hdr, r, "package")));
	json_object_set_new(data, "level", number_or_null(level));
	json_object_set_new(data, "tier", number_or_null(tier));
	json_object_set_new(data, "chosen_tier", number_or_null(chosen));
	json_object_set_new(data, "hours", *hours ? json_string(hours) : json_null());
	json_object_set(data, "needs", needs);
	json_object_set_new(data, "method", json_string(phsg_scheme_method_name(sc->methods & -sc->methods)));
	json_object_set_new(data, "payee", json_string("P-FUZZ"));
	json_object_set_new(data, "component_payees", json_object());
	if ((rc = apply_json(aw, sc, "create", start, data)))
		goto done;
	if (*end_s) {
		json_t *ev = json_object();
		if ((rc = phsg_date_parse(&end, end_s)) == 0 && end > aw->end) {
			/* the months the row's end needs past the period */
			int ey, em, sy, sm;
			phsg_date_to_ymd(&ey, &em, NULL, end);
			phsg_date_to_ymd(&sy, &sm, NULL, aw->start);
			int months = (ey * 12 + em) - (sy * 12 + sm) - aw->total_months - 1;
			if (months < 1)
				months = 1;
			while (phsg_date_add_months(aw->start, aw->total_months + months) < end)
				months++;
			/* one extension takes at most 1000 months (award.c): as many as it needs */
			while (rc == 0 && months > 0) {
				int step = months > 1000 ? 1000 : months;
				json_object_set_new(ev, "months", json_integer(step));
				rc = apply_json(aw, sc, "extend", aw->end, ev);
				months -= step;
			}
			json_object_clear(ev);
		}
		if (rc == 0)
			rc = apply_json(aw, sc, "end", end, ev);
		json_decref(ev);
	}
done:
	json_decref(needs);
	json_decref(data);
	return rc;
}

/* The segments of phsg_award_segments, summed; each must start where the last ended. */
typedef struct {
	mpq_t amount;
	phsg_date next;
} seg_sum;

static int add_segment(void *ctx, const phsg_segment *g)
{
	seg_sum *s = ctx;

	FUZZ_CHECK(g->from < g->to, "an empty segment");
	FUZZ_CHECK(g->from == s->next, "segments not contiguous");
	s->next = g->to;
	if (g->suspended)
		FUZZ_CHECK(mpq_sgn(g->amount) == 0, "a suspended segment accrues");
	mpq_add(s->amount, s->amount, g->amount);
	return 0;
}

/* ---- the checks ---- */

typedef struct {
	const phsg_scheme *sc;
	mpq_t *cost, *hours; /* per year, from the awards */
	long *people;
} expected;

static void check_results(phsg_scenario_model *m, const mpq_t budget, int has_budget, expected *ex,
			  size_t n_scen, size_t n_years)
{
	const phsg_scenario_result *res;
	size_t n;
	mpq_t sum, t;
	mpz_t p;

	FUZZ_CHECK(phsg_scenario_results(&res, &n, m) == 0 && n == n_scen, "results");
	mpq_inits(sum, t, NULL);
	mpz_init(p);
	for (size_t s = 0; s < n; s++) {
		phsg_rounding mode = res[s].scheme->rounding;
		FUZZ_CHECK(res[s].n_years == n_years, "years");
		for (size_t y = 0; y < res[s].n_years; y++) {
			const phsg_scenario_year *yr = &res[s].years[y];
			FUZZ_CHECK(mpq_sgn(yr->cost) >= 0 && mpq_sgn(yr->hours) >= 0 &&
				   mpq_sgn(yr->fixed) >= 0 && mpq_cmp(yr->fixed, yr->cost) <= 0,
				   "%s: a negative figure", yr->name);
			FUZZ_CHECK(yr->people >= 0 && yr->people <= phsg_scenario_rows_used(m), "people");
			phsg_money_round_pence(p, NULL, yr->cost, mode);
			FUZZ_CHECK(mpz_cmp(p, yr->cost_pence) == 0, "%s: cost not rounded once", yr->name);
			mpq_set_ui(sum, 0, 1);
			for (size_t i = 0; i < yr->n_packages; i++) {
				mpq_add(sum, sum, yr->by_package[i].exact);
				phsg_money_round_pence(p, NULL, yr->by_package[i].exact, mode);
				FUZZ_CHECK(mpz_cmp(p, yr->by_package[i].pence) == 0, "package rounding");
			}
			FUZZ_CHECK(mpq_equal(sum, yr->cost), "%s: packages do not add up to the cost",
				   yr->name);
			mpq_set_ui(sum, 0, 1);
			for (size_t i = 0; i < yr->n_interventions; i++) {
				mpq_add(sum, sum, yr->by_intervention[i].exact);
				phsg_money_round_pence(p, NULL, yr->by_intervention[i].exact, mode);
				FUZZ_CHECK(mpz_cmp(p, yr->by_intervention[i].pence) == 0,
					   "intervention rounding");
			}
			FUZZ_CHECK(mpq_equal(sum, yr->cost),
				   "%s: interventions do not add up to the cost", yr->name);
			/* the budget for the days modelled: prorated in a part year, rounded once */
			{
				int fy, next;
				phsg_date_to_ymd(&fy, NULL, NULL, phsg_date_fy_start(yr->start));
				next = fy + 1;
				long in_year = (next % 4 == 0 && next % 100 != 0) || next % 400 == 0 ? 366 : 365;
				FUZZ_CHECK(yr->days == yr->end - yr->start && yr->days_in_year == in_year,
					   "%s: days %ld of %ld", yr->name, yr->days, yr->days_in_year);
				FUZZ_CHECK(yr->has_budget == has_budget, "%s: a budget where none was set",
					   yr->name);
				if (has_budget) {
					mpz_t bp;
					mpz_init(bp);
					FUZZ_CHECK(yr->budget_prorated == (yr->days != in_year), "prorated");
					mpq_set_ui(t, (unsigned long)yr->days, (unsigned long)in_year);
					mpq_canonicalize(t);
					mpq_mul(t, t, budget);
					phsg_money_round_pence(bp, NULL, t, mode);
					FUZZ_CHECK(mpz_cmp(bp, yr->budget_pence) == 0, "%s: prorated budget",
						   yr->name);
					mpz_sub(p, bp, yr->cost_pence);
					FUZZ_CHECK(mpz_cmp(p, yr->headroom_pence) == 0, "headroom");
					FUZZ_CHECK(yr->has_break_even == (mpq_sgn(yr->hours) > 0), "break-even");
					if (yr->has_break_even) {
						mpq_set_z(t, bp);
						mpz_mul_ui(mpq_denref(t), mpq_denref(t), 100);
						mpq_canonicalize(t);
						mpq_sub(t, t, yr->fixed);
						mpq_div(t, t, yr->hours);
						phsg_money_round_pence(p, NULL, t, mode);
						FUZZ_CHECK(mpz_cmp(p, yr->break_even_pence) == 0, "break-even rate");
					}
					mpz_clear(bp);
				}
			}
			if (ex) {
				FUZZ_CHECK(mpq_equal(yr->cost, ex[s].cost[y]),
					   "scenario %zu, %s: the model's cost is not what the awards accrue",
					   s, yr->name);
				FUZZ_CHECK(mpq_equal(yr->hours, ex[s].hours[y]),
					   "scenario %zu, %s: the model's hours are not the awards' hours", s,
					   yr->name);
				FUZZ_CHECK(yr->people == ex[s].people[y],
					   "scenario %zu, %s: %ld people, the awards say %ld", s, yr->name,
					   yr->people, ex[s].people[y]);
			}
		}
	}
	mpq_clears(sum, t, NULL);
	mpz_clear(p);
}

/* The years [from, to) covers, as the model cuts them. */
static size_t years_of(phsg_date from, phsg_date to, phsg_date *starts, size_t max)
{
	size_t n = 0;

	for (phsg_date d = phsg_date_fy_start(from); d < to && n < max; d = phsg_date_add_months(d, 12))
		starts[n++] = d;
	starts[n] = phsg_date_add_months(starts[n - 1], 12);
	return n;
}

static const struct {
	const char *from, *to;
} windows[] = {
	{ "2026-04-01", "2027-04-01" }, { "2011-04-01", "2041-04-01" },
	{ "2024-02-29", "2026-03-01" }, { "1900-01-01", "1905-01-01" },
	{ "9990-01-01", "9999-12-31" }, { "2025-06-15", "2031-06-14" },
	{ "2030-01-01", "2030-01-02" }, { "2011-04-04", "2012-04-04" },
};
#define N_WINDOWS (sizeof(windows) / sizeof(windows[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in in = { data, size };
	unsigned ctl = fuzz_byte(&in), per = fuzz_byte(&in);
	const phsg_scheme *sa = schemes[(ctl & 3) % N_SCHEMES];
	const phsg_scheme *sb = (ctl & 4) ? schemes[((ctl >> 3) & 3) % N_SCHEMES] : NULL;
	int with_header = (ctl & 32) != 0, cells = (ctl & 64) != 0, has_budget = (ctl & 128) != 0;
	char *csv = NULL;
	size_t csv_len = 0;
	FILE *f;
	phsg_scenario_model *m = NULL;
	phsg_date from, to, ystart[64];
	size_t n_years, n_scen = sb ? 2 : 1;
	mpq_t budget;
	bad_list bad = { NULL, 0, 0, NULL, 0 };
	table t;
	int rc, parsed, comparable = 1;
	expected ex[2];

	/* the caseload as a file */
	f = open_memstream(&csv, &csv_len);
	if (!f)
		abort();
	if (cells) {
		const char *hdr[N_COLS] = { "client", "package", "level", "tier", "chosen_tier",
			"hours", "intensive", "basic", "maintenance", "start", "end", "method", "payee" };
		FUZZ_CHECK(cli_csv_row(f, hdr, N_COLS) == 0, "header");
		while (in.n) {
			char *row[N_COLS];
			for (size_t i = 0; i < N_COLS; i++)
				row[i] = fuzz_string(&in);
			FUZZ_CHECK(cli_csv_row(f, (const char *const *)row, N_COLS) == 0, "write");
			for (size_t i = 0; i < N_COLS; i++)
				free(row[i]);
		}
	} else {
		if (with_header)
			fputs(HEADER "\r\n", f);
		if (in.n)
			fwrite(in.p, 1, in.n, f);
	}
	if (fclose(f) != 0)
		abort();

	if (getenv("FUZZ_DEBUG")) /* FUZZ_DEBUG=1 fuzz_caseload FILE shows the caseload */
		fprintf(stderr, "caseload (%zu bytes):\n%.*s\n", csv_len, (int)csv_len, csv);

	/* the model */
	phsg_date_parse(&from, windows[per % N_WINDOWS].from);
	phsg_date_parse(&to, windows[per % N_WINDOWS].to);
	n_years = years_of(from, to, ystart, 60);
	mpq_init(budget);
	mpq_set_ui(budget, (per >> 3) * 123457UL + 1, 100);
	FUZZ_CHECK(phsg_scenario_new(&m, from, to) == 0, "model_new");
	/* one budget for every year, or explicitly none (whatever the schemes say) */
	FUZZ_CHECK(phsg_scenario_set_budgets(m, has_budget ? budget : NULL, NULL, 0) == 0, "budgets");
	FUZZ_CHECK(phsg_scenario_add(m, "a", sa) == 0, "model_add: %s", phsg_error_last());
	if (sb)
		FUZZ_CHECK(phsg_scenario_add(m, "b", sb) == 0, "model_add: %s", phsg_error_last());
	f = fmemopen(csv, csv_len ? csv_len : 1, "rb");
	if (!f)
		abort();
	if (csv_len == 0)
		fgetc(f); /* an empty file */
	phsg_scenario_on_unknown_column(m, on_unknown);
	phsg_error_clear();
	rc = phsg_scenario_read(m, f, "caseload.csv", on_bad, &bad);
	fclose(f);

	parsed = t_read(&t, csv, csv_len);
	if (rc) {
		FUZZ_CHECK(phsg_error_last()[0] != '\0', "the caseload was refused without a message");
		goto done;
	}
	FUZZ_CHECK(parsed && t.n_rows >= 1, "read a caseload libcsv refuses");
	FUZZ_CHECK((long)bad.n == phsg_scenario_rows_left_out(m), "%zu rows reported, %ld left out",
		   bad.n, phsg_scenario_rows_left_out(m));
	/* every unknown column named once (SPEC section 12), and nothing else */
	{
		size_t unknown = 0;
		for (size_t i = 0; i < t.rows[0].n; i++) {
			const char *c = t.rows[0].cell[i];
			int seen = 0, dup = 0;
			for (size_t j = 0; j < i; j++)
				dup |= !strcmp(t.rows[0].cell[j], c);
			for (size_t w = 0; w < bad.n_warned; w++)
				seen |= !strcmp(bad.warned[w], c);
			if (unknown_column(c, sa, sb)) {
				FUZZ_CHECK(seen, "unknown column '%s' not named", c);
				unknown += !dup;
			} else if (!fuzz_known("scenario-repeated-column")) {
				/* finding scenario-repeated-column: the first of two 'tier' columns is
				 * ignored and named as unknown */
				FUZZ_CHECK(!seen, "column '%s' named as unknown", c);
			}
		}
		if (!fuzz_known("scenario-repeated-column"))
			FUZZ_CHECK(unknown == bad.n_warned, "%zu unknown columns, %zu named", unknown,
				   bad.n_warned);
	}
	{
		long rows = 0;
		for (size_t r = 1; r < t.n_rows; r++)
			rows += !blank(&t.rows[r]);
		FUZZ_CHECK(rows == phsg_scenario_rows_used(m) + phsg_scenario_rows_left_out(m),
			   "%ld rows, %ld used and %ld left out", rows, phsg_scenario_rows_used(m),
			   phsg_scenario_rows_left_out(m));
	}

	/* what import's library calls make of the rows the model used */
	for (size_t s = 0; s < n_scen; s++) {
		ex[s].sc = s ? sb : sa;
		ex[s].cost = calloc(n_years, sizeof(mpq_t));
		ex[s].hours = calloc(n_years, sizeof(mpq_t));
		ex[s].people = calloc(n_years, sizeof(long));
		if (!ex[s].cost || !ex[s].hours || !ex[s].people)
			abort();
		for (size_t y = 0; y < n_years; y++)
			mpq_inits(ex[s].cost[y], ex[s].hours[y], NULL);
	}
	for (size_t r = 1; r < t.n_rows; r++) {
		const csv_row *row = &t.rows[r];
		int used = !blank(row) && !is_bad(&bad, row->line);
		for (size_t s = 0; s < n_scen; s++) {
			phsg_award aw;
			phsg_error_clear();
			rc = row_award(ex[s].sc, &t.rows[0], row, &aw);
			if (rc) {
				FUZZ_CHECK(phsg_error_last()[0] != '\0', "refused without a message");
				/* an end near 9999-12-31 past the period can need an extension to
				 * a month past it: only then may the row be one import refuses */
				FUZZ_CHECK(!used || (*col(&t.rows[0], row, "end") &&
						     strstr(phsg_error_last(), "leaves phsg's dates")),
					   "line %ld: the model used the row, import refuses it: %s",
					   row->line, phsg_error_last());
				comparable &= !used;
				phsg_award_release(&aw);
				continue;
			}
			phsg_award_check_covered(ex[s].sc, &aw);
			for (size_t y = 0; used && y < n_years; y++) {
				phsg_date a = ystart[y] > from ? ystart[y] : from;
				phsg_date b = ystart[y + 1] < to ? ystart[y + 1] : to;
				mpq_t amount, hours;
				mpq_inits(amount, hours, NULL);
				for (size_t c = 0; c < aw.package->n_components; c++) {
					phsg_date lo = a > aw.start ? a : aw.start, hi = b < aw.end ? b : aw.end;
					seg_sum seg;
					mpq_t one;
					mpq_inits(one, seg.amount, NULL);
					seg.next = lo;
					FUZZ_CHECK(phsg_award_accrue(one, hours, ex[s].sc, &aw, (int)c, a,
								     b) == 0,
						   "line %ld: accrue: %s", row->line, phsg_error_last());
					/* award explain's segments tile the days and add up to the same */
					FUZZ_CHECK(phsg_award_segments(ex[s].sc, &aw, (int)c, a, b, add_segment,
								       &seg) == 0,
						   "line %ld: segments: %s", row->line, phsg_error_last());
					FUZZ_CHECK(mpq_equal(seg.amount, one),
						   "line %ld: the segments do not add up to the accrual",
						   row->line);
					FUZZ_CHECK(seg.next == (lo < hi ? hi : lo),
						   "line %ld: the segments do not cover the days", row->line);
					mpq_add(amount, amount, one);
					mpq_clears(one, seg.amount, NULL);
				}
				mpq_add(ex[s].cost[y], ex[s].cost[y], amount);
				mpq_add(ex[s].hours[y], ex[s].hours[y], hours);
				a = a > aw.start ? a : aw.start;
				b = b < aw.end ? b : aw.end;
				ex[s].people[y] += a < b;
				mpq_clears(amount, hours, NULL);
			}
			phsg_award_release(&aw);
		}
	}
	if (getenv("FUZZ_DEBUG"))
		fprintf(stderr, "%ld rows used, %ld left out; costs %scompared with the awards\n",
			phsg_scenario_rows_used(m), phsg_scenario_rows_left_out(m), comparable ? "" : "not ");
	/* a row import cannot make into an award: compare only the bookkeeping */
	check_results(m, budget, has_budget, comparable ? ex : NULL, n_scen, n_years);
	for (size_t s = 0; s < n_scen; s++) {
		for (size_t y = 0; y < n_years; y++)
			mpq_clears(ex[s].cost[y], ex[s].hours[y], NULL);
		free(ex[s].cost);
		free(ex[s].hours);
		free(ex[s].people);
	}
done:
	t_free(&t);
	free(bad.lines);
	for (size_t i = 0; i < bad.n_warned; i++)
		free(bad.warned[i]);
	free(bad.warned);
	phsg_scenario_free(m);
	mpq_clear(budget);
	free(csv);
	return 0;
}
