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
	contrib c[MAX_CONTRIB]; /* the current row's contributions */
	size_t n_c;
} scenario;

/* The scenario-independent parts of the current row. */
typedef struct {
	const char *client, *package;
	int level, tier, chosen;
	int has_hours;
	mpq_t hours;
	int64_t hours_units;
	phsg_need needs[MAX_IV_COLS];
	phsg_date start, end;
	int has_end;
} row;

enum { C_CLIENT, C_PACKAGE, C_LEVEL, C_TIER, C_CHOSEN, C_HOURS, C_START, C_END, C_FIXED };
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
	char **field;
	size_t *field_len, *field_cap;
	size_t n_field, cap_field;
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

static const char *cell(const phsg_scenario_model *m, long col)
{
	return col >= 0 && (size_t)col < m->n_field ? m->field[col] : "";
}

/* The parts of a row every scenario shares. */
static int parse_row(phsg_scenario_model *m)
{
	row *r = &m->r;
	const char *v;
	int rc;

	/* empty cells past the header are a spreadsheet's habit; anything in them is not */
	for (size_t i = m->n_header; i < m->n_field; i++)
		if (m->field_len[i])
			return phsg_error_set(PHSG_EINVAL, "%zu fields, but the header has %zu columns",
					      m->n_field, m->n_header);
	r->client = cell(m, m->col[C_CLIENT]);
	r->package = cell(m, m->col[C_PACKAGE]);
	if (!*r->client)
		return phsg_error_set(PHSG_EINVAL, "client is empty");
	if ((rc = phsg_text_check_ref("client", r->client)))
		return rc;
	if (!*r->package)
		return phsg_error_set(PHSG_EINVAL, "package is empty");
	if ((rc = parse_int_cell(cell(m, m->col[C_LEVEL]), "level", &r->level)) ||
	    (rc = parse_int_cell(cell(m, m->col[C_TIER]), "tier", &r->tier)) ||
	    (rc = parse_int_cell(cell(m, m->col[C_CHOSEN]), "chosen_tier", &r->chosen)))
		return rc;
	v = cell(m, m->col[C_HOURS]);
	r->has_hours = *v != '\0';
	if (r->has_hours && ((rc = phsg_money_parse(r->hours, v, 0)) ||
			     (rc = to_units(r->hours, &r->hours_units, "hours"))))
		return rc;
	for (size_t i = 0; i < m->n_iv_cols; i++) {
		v = cell(m, m->iv_col[i]);
		r->needs[i] = PHSG_NEED_NONE;
		if (m->iv_known[i] && *v && (rc = phsg_scheme_need_parse(&r->needs[i], v)))
			return phsg_error_set(rc, "column %s: %s", m->header[m->iv_col[i]], phsg_error_last());
	}
	v = cell(m, m->col[C_START]);
	if (!*v)
		return phsg_error_set(PHSG_EINVAL, "start is empty");
	if ((rc = phsg_date_parse(&r->start, v)))
		return rc;
	v = cell(m, m->col[C_END]);
	r->has_end = *v != '\0';
	if (r->has_end && (rc = phsg_date_parse(&r->end, v)))
		return rc;
	if (r->has_end && r->end <= r->start)
		return phsg_error_set(PHSG_EINVAL, "end %s is not after start", v);
	return 0;
}

/* Check the row under scenario s and list its contributions; *pkg and *end out. */
static int prepare(phsg_scenario_model *m, scenario *s, size_t *pkg_out, phsg_date *end)
{
	const phsg_scheme *sc = s->sc;
	row *r = &m->r;
	phsg_assessment *a = &s->a;
	const phsg_package *pkg = NULL;
	const phsg_term *term;
	size_t p;
	int rc;

	/* a row's package, by id: the first letter rules most out without a call */
	for (p = 0; p < sc->n_packages; p++)
		if (sc->packages[p].id[0] == r->package[0] && !strcmp(sc->packages[p].id, r->package)) {
			pkg = &sc->packages[p];
			break;
		}
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
	if (!r->has_end && (rc = phsg_date_add_months_checked(end, r->start, term->period_months)))
		return rc;
	if (r->has_end)
		*end = r->end;
	if (r->has_end && term->extendable_months != PHSG_UNLIMITED &&
	    r->end > phsg_date_add_months(r->start, term->extendable_months)) {
		char e[PHSG_DATE_BUF];
		phsg_date_format(e, phsg_date_add_months(r->start, term->extendable_months));
		return phsg_error_set(PHSG_ERULE, "end is past the package's ceiling of %d months (%s)",
				      term->extendable_months, e);
	}
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
	if (rate_units && r->start < sc->rates[0].from) {
		char d[PHSG_DATE_BUF];
		phsg_date_format(d, r->start);
		return phsg_error_set(PHSG_EINVAL, "no hourly rate is in force on %s", d);
	}
	*pkg_out = p;
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
			add(s, k, &s->c[c], y - x);
		if (s->slot_year[k] != last_year) {
			last_year = s->slot_year[k];
			s->people[last_year]++;
		}
	}
}

static void process_row(phsg_scenario_model *m)
{
	size_t pkg;
	phsg_date ends[64];
	char why[700];
	int rc;

	if ((rc = parse_row(m))) {
		snprintf(why, sizeof(why), "%s", phsg_error_last());
		goto bad;
	}
	for (size_t i = 0; i < m->n_scen; i++) {
		if ((rc = prepare(m, &m->scen[i], &pkg, &ends[i < 64 ? i : 63]))) {
			if (m->n_scen > 1)
				snprintf(why, sizeof(why), "scenario '%s': %s", m->scen[i].name, phsg_error_last());
			else
				snprintf(why, sizeof(why), "%s", phsg_error_last());
			goto bad;
		}
		/* keep the contributions: prepare() of the next scenario uses its own */
	}
	for (size_t i = 0; i < m->n_scen; i++)
		accrue(m, &m->scen[i], m->r.start, ends[i < 64 ? i : 63]);
	m->used++;
	return;
bad:
	m->left_out++;
	if (m->bad)
		m->bad(m->bad_ctx, m->line, why);
}

/* ---- reading the CSV ---- */

static void on_field(void *data, size_t len, void *ctx)
{
	phsg_scenario_model *m = ctx;
	size_t i = m->n_field;

	/* SPEC section 12: no NUL, no invalid UTF-8 (the row is left out, or the header refused) */
	if (!m->bad_field && !phsg_text_utf8_valid(data, len))
		m->bad_field = i + 1;

	if (i == m->cap_field) {
		m->cap_field = m->cap_field ? m->cap_field * 2 : 32;
		m->field = realloc(m->field, m->cap_field * sizeof(char *));
		m->field_cap = realloc(m->field_cap, m->cap_field * sizeof(size_t));
		m->field_len = realloc(m->field_len, m->cap_field * sizeof(size_t));
		if (!m->field || !m->field_cap || !m->field_len)
			abort();
		for (size_t j = i; j < m->cap_field; j++) {
			m->field[j] = NULL;
			m->field_cap[j] = 0;
		}
	}
	if (m->field_cap[i] < len + 1) {
		m->field_cap[i] = len + 16;
		m->field[i] = realloc(m->field[i], m->field_cap[i]);
		if (!m->field[i])
			abort();
	}
	if (len)
		memcpy(m->field[i], data, len);
	m->field[i][len] = '\0';
	m->field_len[i] = len;
	m->n_field++;
}

static int take_header(phsg_scenario_model *m)
{
	m->n_header = m->n_field;
	m->header = xcalloc(m->n_header, sizeof(char *));
	for (size_t i = 0; i < m->n_header; i++) {
		m->header[i] = strdup(m->field[i]);
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
	return 0;
}

static void on_row(int c, void *ctx)
{
	phsg_scenario_model *m = ctx;

	(void)c;
	m->line++;
	if (m->failed) {
		m->n_field = 0;
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
	} else if (!(m->n_field == 1 && m->field_len[0] == 0)) {
		process_row(m);
	}
	m->bad_field = 0;
	m->n_field = 0;
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
	if (!buf || csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		abort(); /* out of memory: csv_init fails only when malloc does */
	for (int first = 1; !m->failed && (n = fread(buf, 1, size, f)) > 0; first = 0) {
		size_t skip = 0;
		/* Excel's UTF-8 byte-order mark (SPEC section 12) */
		if (first && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			skip = 3;
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
	for (size_t i = 0; i < m->cap_field; i++)
		free(m->field[i]);
	free(m->field);
	free(m->field_len);
	free(m->field_cap);
	mpq_clear(m->every);
	for (size_t i = 0; i < m->n_budgets; i++)
		mpq_clear(m->budgets[i].amount);
	free(m->budgets);
	mpq_clear(m->r.hours);
	free(m->year_start);
	free(m);
}
