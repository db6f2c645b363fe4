/*
 * scenario.c - a caseload costed under several schemes, in one pass.
 *
 * The model.  Every row (person) contributes, for each of its package's
 * cost keys (an intervention of the RAS component, or a fixed, cash, hours
 * or tier component), a whole number of "units": millionths of an hour a
 * week for rate-dependent keys, millionths of a pound a week (or a cycle,
 * for cash) for the others.  Over the row's active days, cut into slots at
 * financial-year starts and rate changes, it adds days x units to the
 * slot's accumulator for that key.  At the end, each slot's accumulators are
 * turned into money exactly:
 *
 *     cost = acc x rate (if rate-dependent) / (1 000 000 x 7, or x 28 for cash)
 *
 * so the arithmetic per row is a handful of 64-bit multiply-adds, and the
 * rationals appear only once per slot and key.  Accumulators that would
 * overflow are flushed into GMP integers first.
 *
 * A row is validated against every scenario's scheme with the same rules
 * as a quote (phsg_alloc_assessment_validate); a row invalid under any scenario
 * is left out of all of them, so scenarios compare the same people.
 *
 * Reading.  libcsv hands over the fields one by one; each is read as it
 * comes (read_field), by the part its column plays, straight from libcsv's
 * buffer: a date, a level of need, a whole number or a package name that is
 * just as expected is taken as it is, and only a field that is not (or
 * hours, exact) is copied, for the full checks to say what is wrong with it
 * in the order they always have (parse_row).  The UTF-8 check runs a chunk
 * at a time: a field lying in chunks of plain ASCII needs none of its own.
 * Rows alike but for their client and dates (the same package, level,
 * tiers, hours and needs) cost the same under every scenario: the first of
 * a kind is checked in full and its contributions kept (row_kind), and the
 * rest only have their dates checked.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/alloc.h"
#include "phsg/error.h"
#include "phsg/text.h"
#include "phsg/scenario.h"

#define UNIT 1000000LL
#define MAX_CONTRIB 32   /* cost items (interventions and components) of a package */
#define MAX_IV_COLS 64   /* intervention columns in a caseload */

typedef struct {
	const char *name;      /* intervention or component id */
	size_t package;
	int rate_dependent;
	int div;               /* 7: weekly amounts; 28: per-cycle amounts */
} key_def;

typedef struct {
	size_t key;
	int64_t units;
} contrib;

typedef struct {
	const char *name;
	const phsg_scheme *sc;
	phsg_assessment a;
	size_t n_keys;
	key_def *keys;
	size_t *pkg_key;        /* first key of each package */
	int64_t *need_units;    /* [intervention * 3 + need] */
	int64_t *comp_units;    /* [key]: fixed weekly, cash per cycle (0 for ras/hours/tier) */
	long *col_iv;           /* caseload intervention column -> scheme intervention, or -1 */
	size_t n_slots;
	phsg_date *bound;       /* n_slots + 1 */
	size_t *slot_year;
	long *slot_rate;        /* rate index, or -1 */
	int64_t *acc;           /* [slot * n_keys + key] */
	mpz_t *big;             /* overflow, same shape */
	long *people;           /* per year */
	int64_t *tier_units;    /* weekly charge of each package's tiers */
	size_t *pkg_tier;       /* first tier of each package in tier_units */
	contrib c[MAX_CONTRIB]; /* the current row's contributions, worked out */
	const contrib *cp;      /* the current row's contributions: c, or a remembered list */
	size_t n_c;
} scenario;

/*
 * What a row's package, level, tiers, hours and needs come to under one
 * scenario, whatever its dates: its package's term and its contributions.
 */
typedef struct {
	const phsg_term *term;
	int64_t rate_units;     /* rate-dependent units a week: 0 when it needs no rate */
	size_t n_c;
	contrib *c;
} row_costs;

/*
 * Rows alike but for their client and dates: remembered (kind_of), their
 * costs kept.  The key packs the package name's entry, level, tiers and
 * whether hours are given (in a), each level of need in two bits (b), and
 * the hours.
 */
typedef struct {
	uint64_t a, b;
	int64_t hours_units;
	row_costs *costs;       /* one per scenario */
} row_kind;

#define KIND_MAX_NEEDS 32     /* rows of caseloads with more intervention columns are not kept */

#define KIND_SLOTS 8192       /* a hash table of row kinds, at most half full */
#define MAX_KINDS (KIND_SLOTS / 2)

/* A package name met in the caseload, and its package in each scenario (or -1). */
typedef struct {
	char *name;
	size_t len;
	long *pkg;
} pkg_name;

#define MAX_PKG_NAMES 256 /* past this many names, a row's package is looked up as text */
#define PKG_HINTS 256     /* a package name's entry, by a hash of it: where to look first */

/* A month from 1900 on: its first day and its length (months, by year x 12 + month - 1). */
typedef struct {
	int ym;                 /* 0: not yet worked out */
	int dim;
	phsg_date first;
} month_memo;

#define MONTH_MEMO 1024

/* The same, by the text of its first eight bytes, "YYYY-MM-" (0: none). */
typedef struct {
	uint64_t text;
	int y, mo, dim;
	phsg_date first;
} month_text;

/* The scenario-independent parts of the current row. */
typedef struct {
	const char *package;    /* its text */
	const pkg_name *pkg;    /* or NULL: look the text up */
	int level, tier, chosen;
	int has_hours;
	mpq_t hours;
	int64_t hours_units;
	phsg_need needs[MAX_IV_COLS];
	phsg_date start, end;
	int start_y, start_m, start_d;
	int has_end;
} row;

enum { C_CLIENT, C_PACKAGE, C_LEVEL, C_TIER, C_CHOSEN, C_HOURS, C_START, C_END, C_FIXED };
/* a field's part in a row: C_* above, C_FIXED + i for intervention column i, or none */
#define C_NONE (-1)
#define N_SLOTS (C_FIXED + MAX_IV_COLS)
static const char *const fixed_cols[] = { "client", "package", "level", "tier", "chosen_tier",
	"hours", "start", "end" };
static const char *const other_cols[] = { "method", "payee" };
/* the header SPEC section 8 requires */
static const char *const required_cols[] = { "client", "package", "level", "tier", "chosen_tier",
	"hours", "intensive", "basic", "maintenance", "start", "end" };

struct phsg_scenario_model {
	phsg_date from, to;
	int budgets_set;        /* phsg_scenario_set_budgets(): these, not the schemes' own */
	int has_every;
	mpq_t every;            /* for each year not listed */
	size_t n_budgets;
	phsg_budget *budgets;
	size_t n_years;
	phsg_date *year_start;  /* n_years + 1 */
	size_t n_scen;
	scenario *scen;
	long used, left_out;
	/* reading */
	const char *path;
	void (*bad)(void *, long, const char *);
	void (*warn)(void *, const char *);   /* a column no scenario knows */
	void *bad_ctx;
	size_t bad_field;       /* the current row's first field that is not text (1-based) */
	char *iv_known;         /* per intervention column: some scenario knows it */
	long line;
	int header_done, failed;
	char **header;
	size_t n_header;
	long col[C_FIXED];
	size_t n_iv_cols;
	long *iv_col;           /* header index of each intervention column */
	int *slot_of;           /* header index -> C_* or C_FIXED + intervention column, or C_NONE */
	/*
	 * The current row, read as its fields arrive: a field is empty, read
	 * (its value in r), or kept as text (slow[], an offset in rowbuf) for
	 * the checks that name what is wrong with it.
	 */
	unsigned char seen[N_SLOTS]; /* the field is not empty */
	long slow[N_SLOTS];     /* its text, or -1 */
	int extra;              /* a field past the header that is not empty */
	size_t first_len;       /* the length of the row's first field */
	size_t n_pkg_names;
	pkg_name *pkg_names;
	unsigned char pkg_hint[PKG_HINTS]; /* index in pkg_names (+ 1), or 0 */
	month_memo months[MONTH_MEMO];
	month_text month_texts[MONTH_MEMO];
	size_t n_kinds;
	row_kind *kinds;
	long *kind_slot;        /* KIND_SLOTS: index in kinds, or -1 */
	/* the header's fields, or the fields of a row kept as text: one after another, each ending in NUL */
	char *rowbuf;
	size_t row_len, row_cap;
	size_t *field_off;      /* the header's fields */
	size_t n_field, cap_field;
	/*
	 * The UTF-8 check, by chunk: a chunk read with no NUL and no byte above
	 * 0x7f holds only valid text, so a field lying wholly in such chunks
	 * needs no check of its own.
	 */
	long chunk, dirty_chunk, field_chunk;
	row r;
	phsg_scenario_result *results; /* one per scenario, once read */
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

int phsg_scenario_new(phsg_scenario_model **out, phsg_date from, phsg_date to)
{
	phsg_scenario_model *m;
	size_t n = 0;

	*out = NULL;
	if (to <= from)
		return phsg_error_set(PHSG_EINVAL, "the period is empty: --from must be before --to");
	m = xcalloc(1, sizeof(*m));
	m->from = from;
	m->to = to;
	mpq_init(m->every);
	mpq_init(m->r.hours);
	/* financial years overlapping [from, to) */
	for (phsg_date d = phsg_date_fy_start(from); d < to; d = phsg_date_add_months(d, 12))
		n++;
	m->n_years = n;
	m->year_start = xcalloc(n + 1, sizeof(phsg_date));
	m->year_start[0] = phsg_date_fy_start(from);
	for (size_t i = 1; i <= n; i++)
		m->year_start[i] = phsg_date_add_months(m->year_start[i - 1], 12);
	*out = m;
	return 0;
}

/* A budget is whole pence from 0.00 to 999,999,999,999.99 (SPEC section 12). */
static int check_budget(const mpq_t x)
{
	mpq_t most, p;
	int ok;

	mpq_inits(most, p, NULL);
	mpq_set_str(most, PHSG_BUDGET_MAX_PENCE "/100", 10);
	mpq_set_ui(p, 100, 1);
	mpq_mul(p, p, x);
	ok = mpq_sgn(x) >= 0 && mpq_cmp(x, most) <= 0 && mpz_cmp_ui(mpq_denref(p), 1) == 0;
	mpq_clears(most, p, NULL);
	return ok ? 0 : phsg_error_set(PHSG_EINVAL, "a budget is whole pence from 0.00 to "
				       "999,999,999,999.99");
}

int phsg_scenario_set_budgets(phsg_scenario_model *m, const mpq_t every, const phsg_budget *years, size_t n)
{
	if (every && check_budget(every))
		return PHSG_EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (check_budget(years[i].amount))
			return PHSG_EINVAL;
		for (size_t j = 0; j < i; j++)
			if (years[j].year == years[i].year)
				return phsg_error_set(PHSG_EINVAL, "a budget for %d-%02d is set twice",
						      years[i].year, (years[i].year + 1) % 100);
	}
	for (size_t i = 0; i < m->n_budgets; i++)
		mpq_clear(m->budgets[i].amount);
	free(m->budgets);
	m->budgets = xcalloc(n, sizeof(phsg_budget));
	for (size_t i = 0; i < n; i++) {
		m->budgets[i].year = years[i].year;
		mpq_init(m->budgets[i].amount);
		mpq_set(m->budgets[i].amount, years[i].amount);
	}
	m->n_budgets = n;
	m->has_every = every != NULL;
	if (every)
		mpq_set(m->every, every);
	m->budgets_set = 1;
	return 0;
}

/* The budget set for the financial year starting 1 April `year`, or NULL. */
static const mpq_t *budget_for(const phsg_scenario_model *m, const phsg_scheme *sc, int year)
{
	if (!m->budgets_set) {
		const phsg_budget *b = phsg_scheme_budget(sc, year);
		return b ? &b->amount : NULL;
	}
	for (size_t i = 0; i < m->n_budgets; i++)
		if (m->budgets[i].year == year)
			return &m->budgets[i].amount;
	return m->has_every ? &m->every : NULL;
}

static size_t year_of(const phsg_scenario_model *m, phsg_date d)
{
	size_t lo = 0, hi = m->n_years;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (m->year_start[mid] <= d)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* x in millionths, or an error when it has more than six decimal places. */
static int to_units(const mpq_t x, int64_t *out, const char *what)
{
	mpz_t t;
	int rc = 0;

	mpz_init(t);
	mpz_mul_ui(t, mpq_numref(x), (unsigned long)UNIT);
	if (!mpz_divisible_p(t, mpq_denref(x)) ) {
		rc = phsg_error_set(PHSG_EINVAL, "%s has more than six decimal places", what);
	} else {
		mpz_divexact(t, t, mpq_denref(x));
		if (!mpz_fits_slong_p(t) || mpz_cmp_si(t, 1000000000000LL) > 0)
			rc = phsg_error_set(PHSG_EINVAL, "%s is too large to model", what);
		else
			*out = mpz_get_si(t);
	}
	mpz_clear(t);
	return rc;
}

int phsg_scenario_add(phsg_scenario_model *m, const char *name, const phsg_scheme *sc)
{
	scenario *s;
	size_t nk = 0, k = 0, nb = 0;
	phsg_date *b;
	int rc;

	if (m->n_scen == 64)
		return phsg_error_set(PHSG_EINVAL, "at most 64 scenarios can be compared at once");
	/* every cost item of a row is kept: refuse a scheme that has more than fit */
	for (size_t p = 0; p < sc->n_packages; p++)
		if (sc->packages[p].n_interventions + sc->packages[p].n_components > MAX_CONTRIB)
			return phsg_error_set(PHSG_EINVAL, "%s: package '%s' has %zu interventions and "
					      "components: a scenario can cost at most %d per package",
					      sc->path, sc->packages[p].id, sc->packages[p].n_interventions +
					      sc->packages[p].n_components, MAX_CONTRIB);
	m->scen = realloc(m->scen, (m->n_scen + 1) * sizeof(scenario));
	if (!m->scen)
		abort();
	s = &m->scen[m->n_scen];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->sc = sc;
	phsg_alloc_assessment_init(&s->a, sc);
	/* keys: each package's interventions (its ras component), then its other components */
	s->pkg_key = xcalloc(sc->n_packages + 1, sizeof(size_t));
	for (size_t p = 0; p < sc->n_packages; p++) {
		const phsg_package *pkg = &sc->packages[p];
		nk += pkg->n_interventions;
		for (size_t c = 0; c < pkg->n_components; c++)
			nk += pkg->components[c].kind != PHSG_COMP_RAS;
	}
	s->n_keys = nk;
	s->keys = xcalloc(nk, sizeof(key_def));
	s->comp_units = xcalloc(nk, sizeof(int64_t));
	for (size_t p = 0; p < sc->n_packages; p++) {
		const phsg_package *pkg = &sc->packages[p];
		s->pkg_key[p] = k;
		for (size_t i = 0; i < pkg->n_interventions; i++)
			s->keys[k++] = (key_def){ sc->interventions[pkg->interventions[i]].id, p, 1, 7 };
		for (size_t c = 0; c < pkg->n_components; c++) {
			const phsg_component *comp = &pkg->components[c];
			if (comp->kind == PHSG_COMP_RAS)
				continue;
			s->keys[k] = (key_def){ comp->id, p, comp->kind == PHSG_COMP_HOURS,
				comp->kind == PHSG_COMP_CASH ? PHSG_CYCLE_DAYS : 7 };
			if ((comp->kind == PHSG_COMP_FIXED || comp->kind == PHSG_COMP_CASH) &&
			    (rc = to_units(comp->amount, &s->comp_units[k], comp->id)))
				goto fail;
			k++;
		}
	}
	s->pkg_key[sc->n_packages] = k;
	s->need_units = xcalloc(sc->n_interventions * PHSG_NEED_COUNT, sizeof(int64_t));
	for (size_t i = 0; i < sc->n_interventions; i++)
		for (int l = 0; l < PHSG_NEED_COUNT; l++)
			if ((rc = to_units(sc->interventions[i].hours[l],
					   &s->need_units[i * PHSG_NEED_COUNT + l], sc->interventions[i].id)))
				goto fail;
	s->pkg_tier = xcalloc(sc->n_packages + 1, sizeof(size_t));
	for (size_t p = 0, nt = 0; p <= sc->n_packages; p++) {
		s->pkg_tier[p] = nt;
		if (p < sc->n_packages)
			nt += sc->packages[p].n_tiers;
	}
	s->tier_units = xcalloc(s->pkg_tier[sc->n_packages], sizeof(int64_t));
	for (size_t p = 0; p < sc->n_packages; p++)
		for (size_t t = 0; t < sc->packages[p].n_tiers; t++)
			if ((rc = to_units(sc->packages[p].tiers[t].weekly, &s->tier_units[s->pkg_tier[p] + t],
					   sc->packages[p].id)))
				goto fail;
	/* slots: [from, to) cut at financial years and rate changes */
	b = xcalloc(m->n_years + sc->n_rates + 2, sizeof(phsg_date));
	b[nb++] = m->from;
	for (size_t y = 1; y < m->n_years; y++)
		b[nb++] = m->year_start[y];
	for (size_t r = 0; r < sc->n_rates; r++)
		if (sc->rates[r].from > m->from && sc->rates[r].from < m->to)
			b[nb++] = sc->rates[r].from;
	b[nb++] = m->to;
	for (size_t i = 1; i < nb; i++) /* insertion sort: a few dozen at most */
		for (size_t j = i; j > 0 && b[j - 1] > b[j]; j--) {
			phsg_date t = b[j];
			b[j] = b[j - 1];
			b[j - 1] = t;
		}
	s->bound = xcalloc(nb, sizeof(phsg_date));
	s->bound[0] = b[0];
	for (size_t i = 1; i < nb; i++)
		if (b[i] != s->bound[s->n_slots])
			s->bound[++s->n_slots] = b[i];
	free(b);
	s->slot_year = xcalloc(s->n_slots, sizeof(size_t));
	s->slot_rate = xcalloc(s->n_slots, sizeof(long));
	for (size_t i = 0; i < s->n_slots; i++) {
		size_t r;
		s->slot_year[i] = year_of(m, s->bound[i]);
		s->slot_rate[i] = phsg_scheme_rate_at(&r, sc, s->bound[i]) == 0 ? (long)r : -1;
	}
	phsg_error_clear();
	s->acc = xcalloc(s->n_slots * nk, sizeof(int64_t));
	s->big = xcalloc(s->n_slots * nk, sizeof(mpz_t));
	for (size_t i = 0; i < s->n_slots * nk; i++)
		mpz_init(s->big[i]);
	s->people = xcalloc(m->n_years, sizeof(long));
	m->n_scen++;
	return 0;
fail:
	phsg_alloc_assessment_release(&s->a);
	free(s->pkg_tier);
	free(s->tier_units);
	free(s->pkg_key);
	free(s->keys);
	free(s->comp_units);
	free(s->need_units);
	return rc;
}

/* ---- one row ---- */

static int parse_int_cell(const char *v, const char *col, int *out)
{
	int n = 0;

	*out = 0;
	if (!*v)
		return 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9' || n > 1000)
			return phsg_error_set(PHSG_EINVAL, "%s '%s' is not a whole number", col, v);
		n = n * 10 + (*p - '0');
	}
	if (n < 1)
		return phsg_error_set(PHSG_EINVAL, "%s must be at least 1", col);
	*out = n;
	return 0;
}

static const char *field(const phsg_scenario_model *m, size_t i)
{
	return m->rowbuf + m->field_off[i];
}

/* The text of the current row's field in slot k, kept because it was not read as it came. */
static const char *slow_text(const phsg_scenario_model *m, int k)
{
	return m->rowbuf + m->slow[k];
}

/* Month ym (year x 12 + month - 1, from 1900-01 to 9999-12): its first day and length. */
static const month_memo *month_of(phsg_scenario_model *m, int ym)
{
	month_memo *e = &m->months[ym & (MONTH_MEMO - 1)];

	if (e->ym != ym) {
		e->ym = ym;
		e->dim = phsg_date_days_in_month(ym / 12, ym % 12 + 1);
		if (phsg_date_from_ymd(&e->first, ym / 12, ym % 12 + 1, 1))
			abort(); /* 1900-01 to 9999-12: a calendar date */
	}
	return e;
}

/*
 * The same dates as phsg_date_add_months_checked() gives, from the row's
 * start as year, month and day; anything out of range goes to it for its
 * message.
 */
static int start_plus_months(phsg_scenario_model *m, int months, phsg_date *out)
{
	const row *r = &m->r;
	int64_t total = (int64_t)r->start_y * 12 + (r->start_m - 1) + months;
	const month_memo *e;

	if (total < 1900 * 12 || total > 9999 * 12 + 11)
		return phsg_date_add_months_checked(out, r->start, months);
	e = month_of(m, (int)total);
	*out = e->first + (r->start_d > e->dim ? e->dim : r->start_d) - 1;
	return 0;
}

/*
 * The parts of a row every scenario shares, checked in the order (and with
 * the messages) of the first thing wrong: the fields read as they came are
 * right; those kept as text go through the checks that say what is wrong.
 */
static int parse_row(phsg_scenario_model *m)
{
	row *r = &m->r;
	const char *v;
	char d[PHSG_DATE_BUF];
	int rc;

	/* empty cells past the header are a spreadsheet's habit; anything in them is not */
	if (m->extra)
		return phsg_error_set(PHSG_EINVAL, "%zu fields, but the header has %zu columns",
				      m->n_field, m->n_header);
	if (!m->seen[C_CLIENT])
		return phsg_error_set(PHSG_EINVAL, "client is empty");
	if (m->slow[C_CLIENT] >= 0 && (rc = phsg_text_check_ref("client", slow_text(m, C_CLIENT))))
		return rc;
	if (!m->seen[C_PACKAGE])
		return phsg_error_set(PHSG_EINVAL, "package is empty");
	if (m->slow[C_PACKAGE] >= 0) {
		r->pkg = NULL;
		r->package = slow_text(m, C_PACKAGE);
	} else {
		r->package = r->pkg->name;
	}
	if ((m->slow[C_LEVEL] >= 0 && (rc = parse_int_cell(slow_text(m, C_LEVEL), "level", &r->level))) ||
	    (m->slow[C_TIER] >= 0 && (rc = parse_int_cell(slow_text(m, C_TIER), "tier", &r->tier))) ||
	    (m->slow[C_CHOSEN] >= 0 &&
	     (rc = parse_int_cell(slow_text(m, C_CHOSEN), "chosen_tier", &r->chosen))))
		return rc;
	r->has_hours = m->seen[C_HOURS];
	if (r->has_hours && ((rc = phsg_money_parse(r->hours, slow_text(m, C_HOURS), 0)) ||
			     (rc = to_units(r->hours, &r->hours_units, "hours"))))
		return rc;
	for (size_t i = 0; i < m->n_iv_cols; i++)
		if (m->slow[C_FIXED + i] >= 0 &&
		    (rc = phsg_scheme_need_parse(&r->needs[i], slow_text(m, C_FIXED + (int)i))))
			return phsg_error_set(rc, "column %s: %s", m->header[m->iv_col[i]], phsg_error_last());
	if (!m->seen[C_START])
		return phsg_error_set(PHSG_EINVAL, "start is empty");
	if (m->slow[C_START] >= 0) {
		if ((rc = phsg_date_parse(&r->start, slow_text(m, C_START))))
			return rc;
		phsg_date_to_ymd(&r->start_y, &r->start_m, &r->start_d, r->start);
	}
	r->has_end = m->seen[C_END];
	if (m->slow[C_END] >= 0 && (rc = phsg_date_parse(&r->end, slow_text(m, C_END))))
		return rc;
	if (r->has_end && r->end <= r->start) {
		/* a date read as it came is written YYYY-MM-DD, as phsg_date_format() gives it */
		if (m->slow[C_END] >= 0) {
			v = slow_text(m, C_END);
		} else {
			phsg_date_format(d, r->end);
			v = d;
		}
		return phsg_error_set(PHSG_EINVAL, "end %s is not after start", v);
	}
	return 0;
}

/*
 * Check the row's package, level, tiers, hours and needs under scenario si
 * and list its contributions (s->c); its term and rate-dependent units out.
 */
static int prepare_kind(phsg_scenario_model *m, size_t si, const phsg_term **term_out,
			int64_t *rate_units_out)
{
	scenario *s = &m->scen[si];
	const phsg_scheme *sc = s->sc;
	row *r = &m->r;
	phsg_assessment *a = &s->a;
	const phsg_package *pkg = NULL;
	const phsg_term *term;
	size_t p;
	int rc;

	/* a row's package, by id: found when its name was first met, or looked up */
	if (r->pkg) {
		p = r->pkg->pkg[si] >= 0 ? (size_t)r->pkg->pkg[si] : sc->n_packages;
	} else {
		for (p = 0; p < sc->n_packages; p++)
			if (!strcmp(sc->packages[p].id, r->package))
				break;
	}
	if (p < sc->n_packages)
		pkg = &sc->packages[p];
	if (!pkg)
		return phsg_error_set(PHSG_EINVAL, "unknown package '%s'", r->package);
	a->package = pkg;
	a->level = r->level;
	a->tier = r->tier;
	a->chosen_tier = r->chosen;
	a->has_hours = r->has_hours;
	if (r->has_hours)
		mpq_set(a->hours, r->hours);
	for (size_t i = 0; i < a->n_needs; i++)
		a->needs[i] = PHSG_NEED_NONE;
	for (size_t i = 0; i < m->n_iv_cols; i++) {
		if (r->needs[i] == PHSG_NEED_NONE)
			continue;
		if (s->col_iv[i] < 0)
			return phsg_error_set(PHSG_EINVAL, "the scheme has no intervention '%s'",
					      m->header[m->iv_col[i]]);
		a->needs[s->col_iv[i]] = r->needs[i];
	}
	if ((rc = phsg_alloc_assessment_validate(a, sc)))
		return rc;
	phsg_scheme_package_term(&term, pkg, r->level);
	/* contributions */
	s->n_c = 0;
	size_t k = s->pkg_key[p];
	int64_t rate_units = 0;
	for (size_t i = 0; i < pkg->n_interventions; i++, k++) {
		phsg_need need = a->needs[pkg->interventions[i]];
		if (need == PHSG_NEED_NONE)
			continue;
		int64_t u = s->need_units[pkg->interventions[i] * PHSG_NEED_COUNT + need];
		if (u) {
			s->c[s->n_c++] = (contrib){ k, u }; /* fits: checked in phsg_scenario_add */
			rate_units += u;
		}
	}
	for (size_t c = 0; c < pkg->n_components; c++) {
		const phsg_component *comp = &pkg->components[c];
		int64_t u = 0;
		if (comp->kind == PHSG_COMP_RAS)
			continue;
		if (comp->kind == PHSG_COMP_HOURS) {
			u = r->hours_units;
			rate_units += u;
		} else if (comp->kind == PHSG_COMP_TIER) {
			int funded = a->chosen_tier && a->chosen_tier < a->tier ? a->chosen_tier : a->tier;
			u = s->tier_units[s->pkg_tier[p] + (size_t)funded - 1];
		} else {
			u = s->comp_units[k];
		}
		if (u)
			s->c[s->n_c++] = (contrib){ k, u };
		k++;
	}
	s->cp = s->c;
	*term_out = term;
	*rate_units_out = rate_units;
	return 0;
}

/* Check the row's dates under scenario si, given what its kind comes to there; its end out. */
static int prepare_dates(phsg_scenario_model *m, size_t si, const phsg_term *term,
			 int64_t rate_units, phsg_date *end)
{
	const phsg_scheme *sc = m->scen[si].sc;
	const row *r = &m->r;
	int rc;

	if (!r->has_end && (rc = start_plus_months(m, term->period_months, end)))
		return rc;
	if (r->has_end)
		*end = r->end;
	if (r->has_end && term->extendable_months != PHSG_UNLIMITED) {
		phsg_date ceiling;
		if (start_plus_months(m, term->extendable_months, &ceiling))
			ceiling = phsg_date_add_months(r->start, term->extendable_months);
		if (r->end > ceiling) {
			char e[PHSG_DATE_BUF];
			phsg_date_format(e, ceiling);
			return phsg_error_set(PHSG_ERULE, "end is past the package's ceiling of %d months (%s)",
					      term->extendable_months, e);
		}
	}
	if (rate_units && r->start < sc->rates[0].from) {
		char d[PHSG_DATE_BUF];
		phsg_date_format(d, r->start);
		return phsg_error_set(PHSG_EINVAL, "no hourly rate is in force on %s", d);
	}
	return 0;
}

static void add(scenario *s, size_t slot, const contrib *c, int64_t days)
{
	size_t i = slot * s->n_keys + c->key;
	int64_t v = days * c->units, sum;

	if (__builtin_add_overflow(s->acc[i], v, &sum)) {
		/* flush into the exact big integer and start again */
		mpz_t t;
		mpz_init_set_si(t, s->acc[i]);
		mpz_add(s->big[i], s->big[i], t);
		mpz_clear(t);
		sum = v;
	}
	s->acc[i] = sum;
}

static void accrue(phsg_scenario_model *m, scenario *s, phsg_date a, phsg_date b)
{
	size_t lo = 0, hi = s->n_slots;
	size_t last_year = (size_t)-1;

	if (a < m->from)
		a = m->from;
	if (b > m->to)
		b = m->to;
	if (a >= b)
		return;
	while (hi - lo > 1) { /* the slot containing a */
		size_t mid = (lo + hi) / 2;
		if (s->bound[mid] <= a)
			lo = mid;
		else
			hi = mid;
	}
	for (size_t k = lo; k < s->n_slots && s->bound[k] < b; k++) {
		phsg_date x = a > s->bound[k] ? a : s->bound[k];
		phsg_date y = b < s->bound[k + 1] ? b : s->bound[k + 1];
		if (x >= y)
			continue;
		for (size_t c = 0; c < s->n_c; c++)
			add(s, k, &s->cp[c], y - x);
		if (s->slot_year[k] != last_year) {
			last_year = s->slot_year[k];
			s->people[last_year]++;
		}
	}
}

/*
 * The row's kind as a key: all that, but its dates, decides its costs; 0
 * when it cannot be one (a package looked up by its text, too many columns).
 */
static int row_key(const phsg_scenario_model *m, row_kind *k)
{
	const row *r = &m->r;

	if (!r->pkg || m->n_iv_cols > KIND_MAX_NEEDS)
		return 0;
	/* parse_int_cell() reads at most 10009: 14 bits each */
	k->a = (uint64_t)(r->pkg - m->pkg_names) | (uint64_t)r->level << 8 | (uint64_t)r->tier << 22 |
		(uint64_t)r->chosen << 36 | (uint64_t)(r->has_hours != 0) << 50;
	k->b = 0;
	for (size_t i = 0; i < m->n_iv_cols; i++)
		k->b |= (uint64_t)(r->needs[i] + 1) << (2 * i);
	k->hours_units = r->has_hours ? r->hours_units : 0;
	return 1;
}

static size_t kind_hash(const row_kind *k)
{
	uint64_t h = k->a * 0x9e3779b97f4a7c15u ^ k->b * 0xc2b2ae3d27d4eb4fu ^
		(uint64_t)k->hours_units * 0x165667b19e3779f9u;

	return (size_t)(h >> 40) & (KIND_SLOTS - 1);
}

/*
 * The row's kind, remembered: its costs under every scenario, or NULL when
 * it has not been met (then *slot is where it goes, or KIND_SLOTS when it
 * cannot be kept).
 */
static const row_kind *kind_of(phsg_scenario_model *m, const row_kind *key, size_t *slot)
{
	size_t h;

	*slot = KIND_SLOTS;
	if (!m->kind_slot) {
		m->kind_slot = xcalloc(KIND_SLOTS, sizeof(long));
		for (size_t i = 0; i < KIND_SLOTS; i++)
			m->kind_slot[i] = -1;
		m->kinds = xcalloc(MAX_KINDS, sizeof(row_kind));
	}
	for (h = kind_hash(key); m->kind_slot[h] >= 0; h = (h + 1) & (KIND_SLOTS - 1)) {
		const row_kind *k = &m->kinds[m->kind_slot[h]];
		if (k->a == key->a && k->b == key->b && k->hours_units == key->hours_units)
			return k;
	}
	if (m->n_kinds < MAX_KINDS)
		*slot = h;
	return NULL;
}

/* Remember the row's kind and its costs, just worked out (s->c), in an empty slot. */
static void remember_kind(phsg_scenario_model *m, const row_kind *key, size_t slot,
			  const phsg_term *const *terms, const int64_t *rate_units)
{
	row_kind *k = &m->kinds[m->n_kinds];

	*k = *key;
	k->costs = xcalloc(m->n_scen, sizeof(row_costs));
	for (size_t i = 0; i < m->n_scen; i++) {
		const scenario *s = &m->scen[i];
		k->costs[i].term = terms[i];
		k->costs[i].rate_units = rate_units[i];
		k->costs[i].n_c = s->n_c;
		k->costs[i].c = xcalloc(s->n_c, sizeof(contrib));
		memcpy(k->costs[i].c, s->c, s->n_c * sizeof(contrib));
	}
	m->kind_slot[slot] = (long)m->n_kinds++;
}

static void process_row(phsg_scenario_model *m)
{
	phsg_date ends[64];
	const phsg_term *terms[64];
	int64_t rate_units[64];
	const row_kind *kind;
	row_kind key;
	size_t slot;
	char why[700];
	int rc;

	if ((rc = parse_row(m))) {
		snprintf(why, sizeof(why), "%s", phsg_error_last());
		goto bad;
	}
	/*
	 * Every scenario in turn, each checked through (its package, needs and
	 * so on, then the dates) before the next, so the first thing wrong is
	 * the one reported; a kind of row met before is known to pass the first.
	 */
	kind = NULL;
	slot = KIND_SLOTS;
	if (row_key(m, &key))
		kind = kind_of(m, &key, &slot);
	for (size_t i = 0; i < m->n_scen; i++) { /* at most 64: phsg_scenario_add */
		if (kind) {
			m->scen[i].cp = kind->costs[i].c;
			m->scen[i].n_c = kind->costs[i].n_c;
			terms[i] = kind->costs[i].term;
			rate_units[i] = kind->costs[i].rate_units;
			rc = 0;
		} else {
			rc = prepare_kind(m, i, &terms[i], &rate_units[i]);
		}
		if (rc || (rc = prepare_dates(m, i, terms[i], rate_units[i], &ends[i]))) {
			if (m->n_scen > 1)
				snprintf(why, sizeof(why), "scenario '%s': %s", m->scen[i].name, phsg_error_last());
			else
				snprintf(why, sizeof(why), "%s", phsg_error_last());
			goto bad;
		}
		/* keep the contributions: prepare_kind() of the next scenario uses its own */
	}
	if (!kind && slot < KIND_SLOTS)
		remember_kind(m, &key, slot, terms, rate_units);
	for (size_t i = 0; i < m->n_scen; i++)
		accrue(m, &m->scen[i], m->r.start, ends[i]);
	m->used++;
	return;
bad:
	m->left_out++;
	if (m->bad)
		m->bad(m->bad_ctx, m->line, why);
}

/* ---- reading the CSV ---- */

/* Keep a field's text in rowbuf, ending in NUL; its offset. */
static size_t keep(phsg_scenario_model *m, const char *data, size_t len)
{
	size_t off = m->row_len;

	if (m->row_cap - m->row_len < len + 1) {
		while (m->row_cap - m->row_len < len + 1)
			m->row_cap = m->row_cap ? m->row_cap * 2 : 4096;
		m->rowbuf = realloc(m->rowbuf, m->row_cap);
		if (!m->rowbuf)
			abort();
	}
	if (len)
		memcpy(m->rowbuf + off, data, len);
	m->rowbuf[off + len] = '\0';
	m->row_len += len + 1;
	return off;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A reference phsg_text_check_ref() accepts, or 0 (then it says what is wrong). */
static int plain_ref(const char *s, size_t len)
{
	if (len > PHSG_REF_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) ||
		      (i > 0 && (c == '.' || c == '_' || c == '-' || c == '/'))))
			return 0;
	}
	return 1;
}

/* A whole number from 1 to 999 as parse_int_cell() reads it, or 0 (then it decides). */
static int plain_int(const char *s, size_t len)
{
	int n = 0;

	if (len > 3)
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return 0;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

/* A level of need as phsg_scheme_need_parse() reads it, or PHSG_NEED_NONE (then it decides). */
static phsg_need plain_need(const char *s, size_t len)
{
	if (len == 4 && !memcmp(s, "high", 4))
		return PHSG_NEED_HIGH;
	if (len == 6 && !memcmp(s, "medium", 6))
		return PHSG_NEED_MEDIUM;
	if (len == 3 && !memcmp(s, "low", 3))
		return PHSG_NEED_LOW;
	return PHSG_NEED_NONE;
}

/* Month "YYYY-MM-" from 1900 on, as phsg_date_parse() reads it, in e; or -1. */
static int month_text_of(phsg_scenario_model *m, const char *s, month_text *e)
{
	const month_memo *mm;

	if (s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && !is_digit(s[i]))
			return -1;
	e->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	e->mo = (s[5] - '0') * 10 + (s[6] - '0');
	if (e->y < 1900 || e->mo < 1 || e->mo > 12)
		return -1;
	mm = month_of(m, e->y * 12 + e->mo - 1);
	e->dim = mm->dim;
	e->first = mm->first;
	memcpy(&e->text, s, 8);
	return 0;
}

/*
 * A calendar date YYYY-MM-DD from 1900 on, as phsg_date_parse() reads it,
 * or -1 (then it decides).  Its month is remembered by its text.
 */
static int plain_date(phsg_scenario_model *m, const char *s, size_t len, phsg_date *out,
		      int *y, int *mo, int *d)
{
	month_text *e;
	uint64_t text;
	int day;

	if (len != 10 || !is_digit(s[8]) || !is_digit(s[9]))
		return -1;
	memcpy(&text, s, 8);
	e = &m->month_texts[(text * 0x9e3779b97f4a7c15u) >> 54 & (MONTH_MEMO - 1)];
	if (e->text != text && month_text_of(m, s, e)) {
		e->text = 0; /* empty: no text matches it but eight NULs, and no day fits it */
		e->dim = 0;
		return -1;
	}
	day = (s[8] - '0') * 10 + (s[9] - '0');
	if (day < 1 || day > e->dim)
		return -1;
	*y = e->y;
	*mo = e->mo;
	*d = day;
	*out = e->first + day - 1;
	return 0;
}

/* A package name: its entry, added when first met; NULL when there are too many. */
static const pkg_name *package_named(phsg_scenario_model *m, const char *s, size_t len)
{
	size_t h = len ? (len * 31 + (unsigned char)s[0] * 7 + (unsigned char)s[len - 1]) % PKG_HINTS : 0;
	pkg_name *e;

	if (m->pkg_hint[h]) {
		e = &m->pkg_names[m->pkg_hint[h] - 1];
		if (e->len == len && !memcmp(e->name, s, len))
			return e;
	}
	for (size_t i = 0; i < m->n_pkg_names; i++) {
		e = &m->pkg_names[i];
		if (e->len == len && !memcmp(e->name, s, len)) {
			m->pkg_hint[h] = (unsigned char)(i + 1);
			return e;
		}
	}
	if (m->n_pkg_names == MAX_PKG_NAMES - 1 || len > 100 || memchr(s, '\0', len))
		return NULL;
	m->pkg_hint[h] = (unsigned char)(m->n_pkg_names + 1);
	if (!m->pkg_names)
		m->pkg_names = xcalloc(MAX_PKG_NAMES, sizeof(pkg_name));
	e = &m->pkg_names[m->n_pkg_names++];
	e->name = xcalloc(len + 1, 1);
	memcpy(e->name, s, len);
	e->len = len;
	e->pkg = xcalloc(m->n_scen, sizeof(long));
	for (size_t si = 0; si < m->n_scen; si++) {
		const phsg_scheme *sc = m->scen[si].sc;
		e->pkg[si] = -1;
		for (size_t p = 0; p < sc->n_packages; p++)
			if (!strcmp(sc->packages[p].id, e->name)) {
				e->pkg[si] = (long)p;
				break;
			}
	}
	return e;
}

/*
 * A field of a row after the header: read as it comes, into m->r, when it
 * is as expected; otherwise kept as text for parse_row() to say what is
 * wrong with it.
 */
static void read_field(phsg_scenario_model *m, size_t i, const char *s, size_t len)
{
	row *r = &m->r;
	int k, ok = 1;

	if (i >= m->n_header) {
		m->extra |= len != 0;
		return;
	}
	k = m->slot_of[i];
	if (k == C_NONE || len == 0)
		return;
	m->seen[k] = 1;
	switch (k) {
	case C_CLIENT:
		ok = plain_ref(s, len);
		break;
	case C_PACKAGE:
		ok = (r->pkg = package_named(m, s, len)) != NULL;
		break;
	case C_LEVEL:
		ok = (r->level = plain_int(s, len)) != 0;
		break;
	case C_TIER:
		ok = (r->tier = plain_int(s, len)) != 0;
		break;
	case C_CHOSEN:
		ok = (r->chosen = plain_int(s, len)) != 0;
		break;
	case C_HOURS:
		ok = 0; /* exact hours: phsg_money_parse() */
		break;
	case C_START:
		ok = plain_date(m, s, len, &r->start, &r->start_y, &r->start_m, &r->start_d) == 0;
		break;
	case C_END:
		ok = plain_date(m, s, len, &r->end, &(int){ 0 }, &(int){ 0 }, &(int){ 0 }) == 0;
		break;
	default:
		ok = (r->needs[k - C_FIXED] = plain_need(s, len)) != PHSG_NEED_NONE;
		break;
	}
	if (!ok)
		m->slow[k] = (long)keep(m, s, len);
}

static void on_field(void *data, size_t len, void *ctx)
{
	phsg_scenario_model *m = ctx;
	size_t i = m->n_field;

	/* SPEC section 12: no NUL, no invalid UTF-8 (the row is left out, or the header refused) */
	if (m->dirty_chunk >= m->field_chunk && !m->bad_field && !phsg_text_utf8_valid(data, len))
		m->bad_field = i + 1;
	m->field_chunk = m->chunk; /* the next field starts in this chunk, or a later one */
	if (i == 0)
		m->first_len = len;
	m->n_field++;
	if (m->failed)
		return;
	if (m->header_done) {
		read_field(m, i, data, len);
		return;
	}
	/* the header: every field kept */
	if (i == m->cap_field) {
		m->cap_field = m->cap_field ? m->cap_field * 2 : 32;
		m->field_off = realloc(m->field_off, m->cap_field * sizeof(size_t));
		if (!m->field_off)
			abort();
	}
	m->field_off[i] = keep(m, data, len);
}

/* Ready for the next row: every field empty. */
static void clear_row(phsg_scenario_model *m)
{
	size_t n = C_FIXED + m->n_iv_cols;

	memset(m->seen, 0, n);
	for (size_t k = 0; k < n; k++)
		m->slow[k] = -1;
	for (size_t i = 0; i < m->n_iv_cols; i++)
		m->r.needs[i] = PHSG_NEED_NONE;
	m->r.level = m->r.tier = m->r.chosen = 0;
	m->r.pkg = NULL;
	m->extra = 0;
	m->bad_field = 0;
	m->n_field = 0;
	m->row_len = 0;
}

static int take_header(phsg_scenario_model *m)
{
	m->n_header = m->n_field;
	m->header = xcalloc(m->n_header, sizeof(char *));
	for (size_t i = 0; i < m->n_header; i++) {
		m->header[i] = strdup(field(m, i));
		if (!m->header[i])
			abort();
	}
	for (size_t c = 0; c < sizeof(required_cols) / sizeof(required_cols[0]); c++) {
		int found = 0;
		for (size_t i = 0; i < m->n_header; i++)
			found |= !strcmp(m->header[i], required_cols[c]);
		if (!found)
			return phsg_error_set(PHSG_EINVAL, "%s: line 1: the header has no '%s' column",
					      m->path, required_cols[c]);
	}
	/* a column given twice cannot be told apart: refuse it (as import does) */
	for (size_t i = 0; i < m->n_header; i++)
		for (size_t k = 0; k < i; k++)
			if (!strcmp(m->header[i], m->header[k]))
				return phsg_error_set(PHSG_EINVAL, "%s: line 1: column '%s' is given twice",
						      m->path, m->header[i]);
	for (int c = 0; c < C_FIXED; c++) {
		m->col[c] = -1;
		for (size_t i = 0; i < m->n_header; i++)
			if (!strcmp(m->header[i], fixed_cols[c]))
				m->col[c] = (long)i;
	}
	/* every other column, but method and payee, names an intervention */
	m->iv_col = xcalloc(m->n_header, sizeof(long));
	for (size_t i = 0; i < m->n_header; i++) {
		int other = 0;
		for (int c = 0; c < C_FIXED; c++)
			other |= m->col[c] == (long)i;
		for (size_t c = 0; c < 2; c++)
			other |= !strcmp(m->header[i], other_cols[c]);
		if (!other && m->n_iv_cols == MAX_IV_COLS)
			return phsg_error_set(PHSG_EINVAL, "%s: line 1: more than %d intervention "
					      "columns: a caseload may have at most %d", m->path,
					      MAX_IV_COLS, MAX_IV_COLS);
		if (!other)
			m->iv_col[m->n_iv_cols++] = (long)i;
	}
	for (size_t s = 0; s < m->n_scen; s++) {
		scenario *sc = &m->scen[s];
		sc->col_iv = xcalloc(m->n_iv_cols, sizeof(long));
		for (size_t i = 0; i < m->n_iv_cols; i++)
			sc->col_iv[i] = phsg_scheme_intervention(sc->sc, m->header[m->iv_col[i]]);
	}
	/* a column no scenario knows is ignored, and named once (SPEC section 12) */
	m->iv_known = xcalloc(m->n_iv_cols ? m->n_iv_cols : 1, sizeof(char));
	for (size_t i = 0; i < m->n_iv_cols; i++) {
		for (size_t s = 0; s < m->n_scen; s++)
			m->iv_known[i] |= m->scen[s].col_iv[i] >= 0;
		if (!m->iv_known[i] && m->warn)
			m->warn(m->bad_ctx, m->header[m->iv_col[i]]);
	}
	/* what each column is for: read as it comes (read_field) */
	m->slot_of = xcalloc(m->n_header, sizeof(int));
	for (size_t i = 0; i < m->n_header; i++)
		m->slot_of[i] = C_NONE;
	for (int c = 0; c < C_FIXED; c++)
		m->slot_of[m->col[c]] = c;
	for (size_t i = 0; i < m->n_iv_cols; i++)
		if (m->iv_known[i])
			m->slot_of[m->iv_col[i]] = C_FIXED + (int)i;
	return 0;
}

static void on_row(int c, void *ctx)
{
	phsg_scenario_model *m = ctx;

	(void)c;
	m->line++;
	m->field_chunk = m->chunk;
	if (m->failed) {
		m->n_field = 0;
		m->row_len = 0;
		return;
	}
	if (!m->header_done) {
		m->header_done = 1;
		if (m->bad_field) {
			phsg_error_set(PHSG_EINVAL, "%s: line 1: column %zu holds a NUL byte or invalid "
				       "UTF-8", m->path, m->bad_field);
			m->failed = 1;
		} else if (take_header(m)) {
			m->failed = 1;
		}
	} else if (m->bad_field) {
		char why[96];
		snprintf(why, sizeof(why), "field %zu holds a NUL byte or invalid UTF-8", m->bad_field);
		if (m->bad)
			m->bad(m->bad_ctx, m->line, why);
		m->left_out++;
	} else if (!(m->n_field == 1 && m->first_len == 0)) {
		process_row(m);
	}
	clear_row(m);
}

/* Whether buf holds a NUL or a byte that is not ASCII. */
static int dirty(const char *buf, size_t n)
{
	uint64_t high = 0, zero = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, buf + i, 8);
		high |= w;
		zero |= (w - 0x0101010101010101u) & ~w;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		high |= c;
		zero |= c == 0 ? 0x80u : 0;
	}
	return ((high | zero) & 0x8080808080808080u) != 0;
}

int phsg_scenario_read(phsg_scenario_model *m, FILE *f, const char *path,
		    void (*bad)(void *ctx, long line, const char *why), void *ctx)
{
	struct csv_parser p;
	size_t n, size = 1 << 16;
	char *buf;
	int rc = 0;

	if (m->n_scen == 0)
		return phsg_error_set(PHSG_EINVAL, "no scenario to cost");
	buf = malloc(size);
	m->path = path;
	m->bad = bad;
	m->bad_ctx = ctx;
	m->chunk = 0;
	m->dirty_chunk = -1;
	m->field_chunk = 0;
	if (!buf || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		abort(); /* out of memory: csv_init fails only when malloc does */
	for (int first = 1; !m->failed && (n = fread(buf, 1, size, f)) > 0; first = 0) {
		size_t skip = 0;
		/* Excel's UTF-8 byte-order mark (SPEC section 12) */
		if (first && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			skip = 3;
		m->chunk++;
		if (dirty(buf + skip, n - skip))
			m->dirty_chunk = m->chunk;
		if (csv_parse(&p, buf + skip, n - skip, on_field, on_row, m) != n - skip) {
			rc = phsg_error_set(PHSG_EINVAL, "%s: line %ld: %s", path, m->line + 1,
					    csv_strerror(csv_error(&p)));
			break;
		}
	}
	if (rc == 0 && !m->failed && ferror(f))
		rc = phsg_error_set(PHSG_EINVAL, "%s: read error", path);
	if (rc == 0 && !m->failed && csv_fini(&p, on_field, on_row, m) != 0)
		rc = phsg_error_set(PHSG_EINVAL, "%s: line %ld: %s", path, m->line + 1,
				    csv_strerror(csv_error(&p)));
	if (rc == 0 && m->failed)
		rc = PHSG_EINVAL; /* the header's message is already set */
	if (rc == 0 && !m->header_done)
		rc = phsg_error_set(PHSG_EINVAL, "%s: the caseload is empty (no header row)", path);
	csv_free(&p);
	free(buf);
	return rc;
}

void phsg_scenario_on_unknown_column(phsg_scenario_model *m, void (*warn)(void *ctx, const char *column))
{
	m->warn = warn;
}

long phsg_scenario_rows_used(const phsg_scenario_model *m)
{
	return m->used;
}

long phsg_scenario_rows_left_out(const phsg_scenario_model *m)
{
	return m->left_out;
}

/* ---- results ---- */

static phsg_named_amount *named(phsg_named_amount **list, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*list)[i].name, name))
			return &(*list)[i];
	*list = realloc(*list, (*n + 1) * sizeof(phsg_named_amount));
	if (!*list)
		abort();
	phsg_named_amount *a = &(*list)[(*n)++];
	a->name = name;
	mpq_init(a->exact);
	mpz_init(a->pence);
	return a;
}

static void build_results(phsg_scenario_model *m)
{
	mpq_t v, t;

	mpq_inits(v, t, NULL);
	m->results = xcalloc(m->n_scen, sizeof(phsg_scenario_result));
	for (size_t si = 0; si < m->n_scen; si++) {
		scenario *s = &m->scen[si];
		phsg_scenario_result *res = &m->results[si];
		res->name = s->name;
		res->scheme = s->sc;
		res->budgets_from_scheme = !m->budgets_set;
		res->n_years = m->n_years;
		res->years = xcalloc(m->n_years, sizeof(phsg_scenario_year));
		for (size_t y = 0; y < m->n_years; y++) {
			phsg_scenario_year *yr = &res->years[y];
			int fy;
			mpq_inits(yr->cost, yr->hours, yr->fixed, yr->budget_year, NULL);
			mpz_inits(yr->cost_pence, yr->headroom_pence, yr->break_even_pence,
				  yr->budget_pence, NULL);
			phsg_date_fy_name(yr->name, m->year_start[y]);
			phsg_date_to_ymd(&fy, NULL, NULL, m->year_start[y]);
			yr->start = m->year_start[y] > m->from ? m->year_start[y] : m->from;
			yr->end = m->year_start[y + 1] < m->to ? m->year_start[y + 1] : m->to;
			yr->days = (long)(yr->end - yr->start);
			yr->days_in_year = phsg_date_fy_days(fy);
			yr->people = s->people[y];
			/* every package and key appears, in scheme order, even at zero */
			for (size_t k = 0; k < s->n_keys; k++) {
				named(&yr->by_package, &yr->n_packages, s->sc->packages[s->keys[k].package].id);
				named(&yr->by_intervention, &yr->n_interventions, s->keys[k].name);
			}
		}
		for (size_t slot = 0; slot < s->n_slots; slot++) {
			phsg_scenario_year *yr = &res->years[s->slot_year[slot]];
			for (size_t k = 0; k < s->n_keys; k++) {
				size_t i = slot * s->n_keys + k;
				const key_def *kd = &s->keys[k];
				mpz_t total;
				mpz_init_set_si(total, s->acc[i]);
				mpz_add(total, total, s->big[i]);
				if (mpz_sgn(total) == 0) {
					mpz_clear(total);
					continue;
				}
				/* v = total / (UNIT x div): hours (or pounds) a week x days / 7 */
				mpq_set_z(v, total);
				mpq_set_ui(t, (unsigned long)UNIT * (unsigned long)kd->div, 1);
				mpq_div(v, v, t);
				if (kd->rate_dependent) {
					mpq_add(yr->hours, yr->hours, v);
					if (s->slot_rate[slot] >= 0)
						mpq_mul(v, v, s->sc->rates[s->slot_rate[slot]].hourly);
				} else {
					mpq_add(yr->fixed, yr->fixed, v);
				}
				mpq_add(yr->cost, yr->cost, v);
				phsg_named_amount *pa = named(&yr->by_package, &yr->n_packages,
							      s->sc->packages[kd->package].id);
				mpq_add(pa->exact, pa->exact, v);
				phsg_named_amount *ia = named(&yr->by_intervention, &yr->n_interventions, kd->name);
				mpq_add(ia->exact, ia->exact, v);
				mpz_clear(total);
			}
		}
		for (size_t y = 0; y < m->n_years; y++) {
			phsg_scenario_year *yr = &res->years[y];
			phsg_rounding mode = s->sc->rounding;
			phsg_money_round_pence(yr->cost_pence, NULL, yr->cost, mode);
			for (size_t i = 0; i < yr->n_packages; i++)
				phsg_money_round_pence(yr->by_package[i].pence, NULL, yr->by_package[i].exact, mode);
			for (size_t i = 0; i < yr->n_interventions; i++)
				phsg_money_round_pence(yr->by_intervention[i].pence, NULL, yr->by_intervention[i].exact, mode);
			/*
			 * The budget: a whole year's, or for a part year (SPEC section 13)
			 * budget x days modelled / days in the year, exact, rounded once.
			 */
			int fy;
			phsg_date_to_ymd(&fy, NULL, NULL, m->year_start[y]);
			const mpq_t *budget = budget_for(m, s->sc, fy);
			if (!budget)
				continue;
			yr->has_budget = 1;
			mpq_set(yr->budget_year, *budget);
			yr->budget_prorated = yr->days != yr->days_in_year;
			mpq_set_ui(t, (unsigned long)yr->days, (unsigned long)yr->days_in_year);
			mpq_canonicalize(t);
			mpq_mul(v, *budget, t);
			phsg_money_round_pence(yr->budget_pence, NULL, v, mode);
			/* headroom: the budget less the cost, both as reported */
			mpz_sub(yr->headroom_pence, yr->budget_pence, yr->cost_pence);
			if (mpq_sgn(yr->hours) > 0) {
				/* (budget - rate-independent cost) / hours */
				mpq_set_z(v, yr->budget_pence);
				mpz_mul_ui(mpq_denref(v), mpq_denref(v), 100);
				mpq_canonicalize(v);
				mpq_sub(v, v, yr->fixed);
				mpq_div(v, v, yr->hours);
				phsg_money_round_pence(yr->break_even_pence, NULL, v, mode);
				yr->has_break_even = 1;
			}
		}
	}
	mpq_clears(v, t, NULL);
}

int phsg_scenario_results(const phsg_scenario_result **out, size_t *n, phsg_scenario_model *m)
{
	if (!m->results)
		build_results(m);
	*out = m->results;
	*n = m->n_scen;
	return 0;
}

static void free_named(phsg_named_amount *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		mpq_clear(a[i].exact);
		mpz_clear(a[i].pence);
	}
	free(a);
}

void phsg_scenario_free(phsg_scenario_model *m)
{
	if (!m)
		return;
	for (size_t si = 0; si < m->n_scen; si++) {
		scenario *s = &m->scen[si];
		phsg_alloc_assessment_release(&s->a);
		free(s->pkg_key);
		free(s->keys);
		free(s->comp_units);
		free(s->need_units);
		free(s->col_iv);
		free(s->bound);
		free(s->slot_year);
		free(s->slot_rate);
		free(s->acc);
		for (size_t i = 0; i < s->n_slots * s->n_keys; i++)
			mpz_clear(s->big[i]);
		free(s->big);
		free(s->people);
		free(s->pkg_tier);
		free(s->tier_units);
		if (!m->results)
			continue;
		for (size_t y = 0; y < m->results[si].n_years; y++) {
			phsg_scenario_year *yr = &m->results[si].years[y];
			mpq_clears(yr->cost, yr->hours, yr->fixed, yr->budget_year, NULL);
			mpz_clears(yr->cost_pence, yr->headroom_pence, yr->break_even_pence,
				   yr->budget_pence, NULL);
			free_named(yr->by_package, yr->n_packages);
			free_named(yr->by_intervention, yr->n_interventions);
		}
		free(m->results[si].years);
	}
	free(m->results);
	free(m->scen);
	for (size_t i = 0; i < m->n_header; i++)
		free(m->header[i]);
	free(m->header);
	free(m->iv_col);
	free(m->iv_known);
	free(m->rowbuf);
	free(m->field_off);
	free(m->slot_of);
	for (size_t i = 0; i < m->n_pkg_names; i++) {
		free(m->pkg_names[i].name);
		free(m->pkg_names[i].pkg);
	}
	free(m->pkg_names);
	for (size_t i = 0; i < m->n_kinds; i++) {
		for (size_t j = 0; j < m->n_scen; j++)
			free(m->kinds[i].costs[j].c);
		free(m->kinds[i].costs);
	}
	free(m->kinds);
	free(m->kind_slot);
	mpq_clear(m->every);
	for (size_t i = 0; i < m->n_budgets; i++)
		mpq_clear(m->budgets[i].amount);
	free(m->budgets);
	mpq_clear(m->r.hours);
	free(m->year_start);
	free(m);
}
