/*
 * fuzz_scheme.c - loading a scheme file and its bank holiday list
 * (phsg_scheme_load, src/lib/scheme.c).
 *
 * libconfig reads files, so the harness writes the input to a scheme file
 * in a temporary folder of its own, and the part after a line
 * "#---holidays---" (if any) to "holidays.cfg" beside it; without that
 * line, holidays.cfg holds England and Wales's real list.  Seed schemes
 * name it: bank_holidays = "holidays.cfg".
 *
 * Any input must load, or fail with a message naming a file (never crash,
 * leak or hang).  A scheme that loads must be one that can pay (SPEC
 * sections 2 and 12): its invariants are checked, every package is quoted
 * at the first rate's date, the calendar rolls to working days, and the
 * scenario model takes it.
 */
#include <unistd.h>
#include "fuzz.h"
#include "phsg.h"
#include "phsg/scenario.h"
#include "phsg/text.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif

#define SEPARATOR "\n#---holidays---\n"

static char dir[64];
static char scheme_path[128], holidays_path[128];
static char *default_holidays;
static size_t default_holidays_len;

static void cleanup(void)
{
	unlink(scheme_path);
	unlink(holidays_path);
	rmdir(dir);
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *f = fopen(PHSG_CONFIG_DIR "/bank-holidays-england-wales.cfg", "rb");
	size_t cap = 1 << 16;

	(void)argc;
	(void)argv;
	/* in memory where there is a tmpfs: two files are written per input */
	snprintf(dir, sizeof(dir), "%s/phsg-fuzz-scheme-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!f || !mkdtemp(dir)) {
		perror("fuzz_scheme: setup");
		abort();
	}
	default_holidays = malloc(cap);
	if (!default_holidays)
		abort();
	default_holidays_len = fread(default_holidays, 1, cap, f);
	fclose(f);
	snprintf(scheme_path, sizeof(scheme_path), "%s/scheme.cfg", dir);
	snprintf(holidays_path, sizeof(holidays_path), "%s/holidays.cfg", dir);
	atexit(cleanup);
	return 0;
}

/* An amount a scheme may hold: at most 1,000,000 with at most 6 places. */
static int bounded(const mpq_t x, int hours)
{
	mpz_t t;
	int ok;

	if (mpq_sgn(x) < 0 || mpq_cmp_ui(x, hours ? 168 : 1000000, 1) > 0)
		return 0;
	mpz_init(t);
	mpz_mul_ui(t, mpq_numref(x), 1000000);
	ok = mpz_divisible_p(t, mpq_denref(x));
	mpz_clear(t);
	return ok;
}

static void check_ref(const char *what, const char *s)
{
	FUZZ_CHECK(s && phsg_text_check_ref(what, s) == 0, "%s '%s' is not a reference", what,
		   s ? s : "(null)");
}

static void check_name(const char *what, const char *s)
{
	FUZZ_CHECK(s && phsg_text_check_name(what, s, PHSG_TEXT_MAX) == 0, "%s is not text: %s", what,
		   phsg_error_last());
}

static void check_term(const phsg_term *t)
{
	FUZZ_CHECK(t->period_months >= 1 && t->period_months <= 1200, "period %d", t->period_months);
	FUZZ_CHECK(t->extendable_months == PHSG_UNLIMITED ||
		   (t->extendable_months >= t->period_months && t->extendable_months <= 1200),
		   "extendable to %d", t->extendable_months);
}

/* What a loaded scheme promises. */
static void check_scheme(const phsg_scheme *sc)
{
	const phsg_calendar *cal = &sc->calendar;

	check_name("scheme", sc->name);
	FUZZ_CHECK(!strcmp(sc->currency, "GBP"), "currency '%s'", sc->currency);
	FUZZ_CHECK(sc->rounding >= PHSG_ROUND_HALF_UP && sc->rounding <= PHSG_ROUND_DOWN, "rounding");
	FUZZ_CHECK(cal->anchor >= PHSG_DATE_FIRST && cal->anchor <= PHSG_DATE_LAST, "anchor");
	FUZZ_CHECK(cal->lead_days >= 0 && cal->lead_days <= 27, "lead_days %d", cal->lead_days);
	FUZZ_CHECK(cal->roll == PHSG_ROLL_PREVIOUS || cal->roll == PHSG_ROLL_NEXT, "roll");
	FUZZ_CHECK(cal->n_holidays >= 1, "no holidays");
	for (size_t i = 1; i < cal->n_holidays; i++)
		FUZZ_CHECK(cal->holidays[i - 1] < cal->holidays[i], "holidays not sorted and unique");
	FUZZ_CHECK(cal->first_year >= 1900 && cal->first_year <= cal->last_year &&
		   cal->last_year <= 9999, "holiday years %d to %d", cal->first_year, cal->last_year);
	FUZZ_CHECK(strlen(sc->fingerprint) == 16 && strspn(sc->fingerprint, "0123456789abcdef") == 16,
		   "fingerprint '%s'", sc->fingerprint);
	FUZZ_CHECK(sc->n_rates >= 1, "no rates");
	for (size_t i = 0; i < sc->n_rates; i++) {
		FUZZ_CHECK(i == 0 || sc->rates[i - 1].from < sc->rates[i].from, "rates out of order");
		FUZZ_CHECK(bounded(sc->rates[i].hourly, 0), "rate %zu past the bounds", i);
	}
	for (size_t i = 0; i < sc->n_interventions; i++) {
		check_ref("intervention id", sc->interventions[i].id);
		check_name("intervention name", sc->interventions[i].name);
		for (int l = 0; l < PHSG_NEED_COUNT; l++)
			FUZZ_CHECK(bounded(sc->interventions[i].hours[l], 1), "hours of '%s' past the bounds",
				   sc->interventions[i].id);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(sc->interventions[i].id, sc->interventions[j].id), "duplicate id");
	}
	FUZZ_CHECK(sc->n_packages >= 1, "no packages");
	for (size_t p = 0; p < sc->n_packages; p++) {
		const phsg_package *pkg = &sc->packages[p];
		check_ref("package id", pkg->id);
		check_name("package name", pkg->name);
		for (size_t j = 0; j < p; j++)
			FUZZ_CHECK(strcmp(pkg->id, sc->packages[j].id), "duplicate package '%s'", pkg->id);
		for (size_t i = 0; i < pkg->n_interventions; i++) {
			FUZZ_CHECK(pkg->interventions[i] < sc->n_interventions, "intervention index");
			for (size_t j = 0; j < i; j++)
				FUZZ_CHECK(pkg->interventions[i] != pkg->interventions[j], "listed twice");
		}
		if (pkg->n_levels == 0)
			check_term(&pkg->term);
		for (size_t l = 0; l < pkg->n_levels; l++) {
			check_term(&pkg->levels[l]);
			FUZZ_CHECK(pkg->levels[l].level >= 1, "level %d", pkg->levels[l].level);
		}
		for (size_t t = 0; t < pkg->n_tiers; t++) {
			FUZZ_CHECK(pkg->tiers[t].tier == (int)t + 1, "tier order");
			FUZZ_CHECK(bounded(pkg->tiers[t].weekly, 0), "tier past the bounds");
			FUZZ_CHECK(t == 0 || mpq_cmp(pkg->tiers[t - 1].weekly, pkg->tiers[t].weekly) <= 0,
				   "a higher tier costs less");
			check_name("tier name", pkg->tiers[t].name);
		}
		FUZZ_CHECK(pkg->n_components >= 1, "package '%s' funds nothing", pkg->id);
		for (size_t c = 0; c < pkg->n_components; c++) {
			const phsg_component *comp = &pkg->components[c];
			check_ref("component id", comp->id);
			if (comp->payee)
				check_ref("component payee", comp->payee);
			FUZZ_CHECK(comp->kind >= PHSG_COMP_RAS && comp->kind <= PHSG_COMP_TIER, "kind");
			FUZZ_CHECK(bounded(comp->amount, comp->kind == PHSG_COMP_HOURS),
				   "component '%s' past the bounds", comp->id);
			FUZZ_CHECK(comp->kind != PHSG_COMP_RAS || pkg->n_interventions, "ras, no needs");
			FUZZ_CHECK(comp->kind != PHSG_COMP_TIER || pkg->n_tiers, "tier, no tiers");
		}
		FUZZ_CHECK(!pkg->n_interventions || phsg_scheme_package_component_of_kind(pkg, PHSG_COMP_RAS),
			   "interventions nothing funds");
		FUZZ_CHECK(!pkg->n_tiers || phsg_scheme_package_component_of_kind(pkg, PHSG_COMP_TIER),
			   "tiers nothing funds");
	}
	FUZZ_CHECK(sc->methods && !(sc->methods & ~7), "payment methods %d", sc->methods);
	if (sc->outcomes.present) {
		const phsg_outcomes *o = &sc->outcomes;
		FUZZ_CHECK(o->first_review_weeks >= 1 && o->review_months >= 1 && o->sustain_months >= 0 &&
			   o->extend_needs_review_days >= 0, "outcome timings");
		for (size_t i = 0; i < o->n_areas; i++) {
			check_ref("outcome area id", o->areas[i].id);
			check_name("outcome area name", o->areas[i].name);
			for (size_t j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(o->areas[i].id, o->areas[j].id), "duplicate area");
		}
		for (size_t i = 0; i < o->n_ways; i++) {
			check_ref("way id", o->ways[i].id);
			check_name("way name", o->ways[i].name);
			for (size_t j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(o->ways[i].id, o->ways[j].id), "duplicate way");
		}
	}
	if (sc->finance.present) {
		FUZZ_CHECK(strlen(sc->finance.service_user_number) == 6 &&
			   strspn(sc->finance.service_user_number, "0123456789") == 6, "SUN");
		FUZZ_CHECK(strlen(sc->finance.sort_code) == 6 &&
			   strspn(sc->finance.sort_code, "0123456789") == 6, "sort code");
		FUZZ_CHECK(strlen(sc->finance.account) == 8 &&
			   strspn(sc->finance.account, "0123456789") == 8, "account");
		check_name("finance name", sc->finance.name);
	}
	/* budgets (SPEC section 13): years in order, each once, whole pence, 0 to 999,999,999,999.99 */
	for (size_t i = 0; i < sc->n_budgets; i++) {
		mpz_t p;
		mpz_init(p);
		FUZZ_CHECK(sc->budgets[i].year >= 1900 && sc->budgets[i].year <= 9998, "budget year");
		FUZZ_CHECK(i == 0 || sc->budgets[i - 1].year < sc->budgets[i].year, "budgets not in order");
		mpz_mul_ui(p, mpq_numref(sc->budgets[i].amount), 100);
		FUZZ_CHECK(mpz_divisible_p(p, mpq_denref(sc->budgets[i].amount)), "a budget not whole pence");
		mpz_divexact(p, p, mpq_denref(sc->budgets[i].amount));
		FUZZ_CHECK(mpz_sgn(p) >= 0 && mpz_cmp_ui(p, 99999999999999UL) <= 0, "a budget out of range");
		mpz_clear(p);
	}
}

/* Quote every package at the first rate's date: a scheme that loads can pay. */
static void check_quotes(const phsg_scheme *sc, unsigned seed)
{
	phsg_date start = sc->rates[0].from;

	for (size_t p = 0; p < sc->n_packages; p++) {
		const phsg_package *pkg = &sc->packages[p];
		const phsg_component *hours = phsg_scheme_package_component_of_kind(pkg, PHSG_COMP_HOURS);
		const phsg_term *term;
		phsg_assessment a;
		phsg_quote *q = NULL;
		phsg_date e;
		mpz_t sum;
		int rc, in_range;

		phsg_alloc_assessment_init(&a, sc);
		a.package = pkg;
		a.level = pkg->n_levels ? pkg->levels[seed % pkg->n_levels].level : 0;
		if (pkg->n_tiers) {
			a.tier = (int)(seed % pkg->n_tiers) + 1;
			a.chosen_tier = (int)((seed >> 3) % (pkg->n_tiers + 1));
		}
		if (hours) {
			mpq_set(a.hours, hours->amount);
			a.has_hours = 1;
		}
		for (size_t i = 0; i < pkg->n_interventions; i++)
			a.needs[pkg->interventions[i]] = (phsg_need)((seed >> (2 * (i % 8))) % 3);
		FUZZ_CHECK(phsg_scheme_package_term(&term, pkg, a.level) == 0, "term");
		in_range = phsg_date_add_months_checked(&e, start, term->period_months) == 0 &&
			   (term->extendable_months == PHSG_UNLIMITED ||
			    phsg_date_add_months_checked(&e, start, term->extendable_months) == 0);
		phsg_error_clear();
		rc = phsg_alloc_quote(&q, sc, &a, start);
		if (!in_range) {
			FUZZ_CHECK(rc != 0 && q == NULL && phsg_error_last()[0], "a quote past 9999");
		} else {
			FUZZ_CHECK(rc == 0, "package '%s' cannot be quoted: %s", pkg->id, phsg_error_last());
			mpz_init(sum);
			for (size_t c = 0; c < q->n_components; c++) {
				mpz_t r;
				mpz_init(r);
				phsg_money_round_pence(r, NULL, q->components[c].entitlement, sc->rounding);
				FUZZ_CHECK(mpz_cmp(r, q->components[c].total_pence) == 0, "component total");
				FUZZ_CHECK(mpq_sgn(q->components[c].entitlement) >= 0, "negative entitlement");
				mpz_add(sum, sum, r);
				mpz_clear(r);
			}
			FUZZ_CHECK(mpz_cmp(sum, q->award_total_pence) == 0, "award total");
			FUZZ_CHECK(q->n_explanation > 0, "no explanation");
			for (size_t i = 0; i < q->n_explanation; i++)
				FUZZ_CHECK(q->explanation[i] && q->explanation[i][0], "empty explanation line");
			mpz_clear(sum);
		}
		phsg_alloc_quote_free(q);
		phsg_alloc_assessment_release(&a);
	}
}

static void check_roll(const phsg_scheme *sc, phsg_date day)
{
	const phsg_calendar *cal = &sc->calendar;
	phsg_date out = 0;
	int working = 0, y, rc;

	phsg_date_to_ymd(&y, NULL, NULL, day);
	rc = phsg_scheme_calendar_roll(&out, cal, day);
	if (y < cal->first_year || y > cal->last_year) {
		FUZZ_CHECK(rc != 0 && phsg_error_last()[0], "a roll outside the holiday years");
		return;
	}
	if (rc) {
		/* only by rolling out of the years the list covers */
		FUZZ_CHECK(phsg_error_last()[0], "roll failed silently");
		return;
	}
	FUZZ_CHECK(phsg_scheme_calendar_is_working_day(&working, cal, out) == 0 && working,
		   "rolled to a day that is not a working day");
	FUZZ_CHECK(cal->roll == PHSG_ROLL_NEXT ? out >= day : out <= day, "rolled the wrong way");
	/* past holidays and the weekends between them, no further */
	FUZZ_CHECK(out - day <= 3 * (phsg_date)cal->n_holidays + 7 &&
		   day - out <= 3 * (phsg_date)cal->n_holidays + 7, "rolled too far");
}

static void check_model(const phsg_scheme *sc)
{
	phsg_scenario_model *m = NULL;
	phsg_date from = sc->rates[0].from, to;
	size_t most = 0;
	int rc;

	if (from > PHSG_DATE_LAST - 800)
		return;
	to = from + 731;
	FUZZ_CHECK(phsg_scenario_new(&m, from, to) == 0, "model");
	for (size_t p = 0; p < sc->n_packages; p++) {
		size_t n = sc->packages[p].n_interventions + sc->packages[p].n_components;
		most = n > most ? n : most;
	}
	rc = phsg_scenario_add(m, "fuzz", sc);
	FUZZ_CHECK(rc == 0 || (most > 32 && phsg_error_last()[0]), "the scenario model refuses it: %s",
		   phsg_error_last());
	phsg_scenario_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memmem(data, size, SEPARATOR, strlen(SEPARATOR));
	size_t scheme_len = sep ? (size_t)(sep - data) : size;
	phsg_scheme *sc = NULL;
	int rc;

	write_file(scheme_path, data, scheme_len);
	if (sep)
		write_file(holidays_path, sep + strlen(SEPARATOR),
			   size - scheme_len - strlen(SEPARATOR));
	else
		write_file(holidays_path, default_holidays, default_holidays_len);

	phsg_error_clear();
	rc = phsg_scheme_load(&sc, scheme_path);
	if (rc) {
		const char *msg = phsg_error_last();
		FUZZ_CHECK(sc == NULL, "a failed load handed out a scheme");
		FUZZ_CHECK(rc == PHSG_EINVAL, "load failed with %d: %s", rc, msg);
		/* "FILE:LINE: ..." or "cannot read ..." naming the file */
		FUZZ_CHECK(msg[0] == '/' ? strchr(msg, ':') != NULL : strncmp(msg, "cannot read", 11) == 0,
			   "the message names no file: '%s'", msg);
		return 0;
	}
	FUZZ_CHECK(sc != NULL, "loaded nothing");
	check_scheme(sc);
	check_quotes(sc, size ? data[size / 2] : 0);
	check_roll(sc, sc->calendar.anchor);
	check_roll(sc, sc->rates[0].from);
	check_roll(sc, sc->calendar.holidays[0]);
	check_roll(sc, sc->calendar.holidays[sc->calendar.n_holidays - 1]);
	check_model(sc);
	phsg_scheme_free(sc);
	return 0;
}
