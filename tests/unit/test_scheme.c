/*
 * Unit tests for scheme.c: the shipped schemes load; each kind of bad
 * setting is refused with the file, the line and the setting; and the
 * working-day calendar knows England and Wales bank holidays.
 *
 * Each bad-config case takes a small valid scheme (BASE below, one setting
 * per line so line numbers are easy to read off), replaces one fragment,
 * and checks the message names the line where the fault stands.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "phsg.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif

static const char BASE[] =
	"scheme = \"Test\";\n"                                      /* 1 */
	"currency = \"GBP\";\n"                                     /* 2 */
	"rounding = \"half-up\";\n"                                 /* 3 */
	"calendar = {\n"                                            /* 4 */
	"  anchor = \"2011-04-04\";\n"                              /* 5 */
	"  lead_days = 0;\n"                                        /* 6 */
	"  roll = \"previous\";\n"                                  /* 7 */
	"  bank_holidays = \"hols.cfg\";\n"                         /* 8 */
	"};\n"                                                      /* 9 */
	"rates = (\n"                                               /* 10 */
	"  { from = \"2011-04-01\"; hourly = \"16.50\"; },\n"       /* 11 */
	"  { from = \"2024-04-01\"; hourly = \"21.40\"; }\n"        /* 12 */
	");\n"                                                      /* 13 */
	"interventions = (\n"                                       /* 14 */
	"  { id = \"intensive\"; name = \"Intensive\";\n"           /* 15 */
	"    hours = { high = \"10\"; medium = \"6\"; low = \"3\"; }; },\n" /* 16 */
	"  { id = \"basic\"; name = \"Basic\";\n"                   /* 17 */
	"    hours = { high = \"4\"; medium = \"2\"; low = \"1\"; }; }\n"   /* 18 */
	");\n"                                                      /* 19 */
	"packages = (\n"                                            /* 20 */
	"  { id = \"resettlement\"; name = \"Resettlement\";\n"     /* 21 */
	"    interventions = [ \"intensive\", \"basic\" ];\n"       /* 22 */
	"    period_months = 6; extendable_to_months = 12; },\n"    /* 23 */
	"  { id = \"tiered\"; name = \"Tiered\";\n"                 /* 24 */
	"    period_months = 12; extendable_to_months = \"unlimited\";\n" /* 25 */
	"    tiers = (\n"                                           /* 26 */
	"      { tier = 1; name = \"One\"; weekly = \"1.50\"; },\n" /* 27 */
	"      { tier = 2; name = \"Two\"; weekly = \"3.00\"; }\n"  /* 28 */
	"    ); },\n"                                               /* 29 */
	"  { id = \"cf\"; name = \"Core and flexi\";\n"             /* 30 */
	"    period_months = 12; extendable_to_months = 24;\n"      /* 31 */
	"    components = (\n"                                      /* 32 */
	"      { id = \"core\"; kind = \"fixed\"; weekly = \"38.00\"; },\n" /* 33 */
	"      { id = \"flexi\"; kind = \"hours\"; max_weekly_hours = \"8\"; }\n" /* 34 */
	"    ); }\n"                                                /* 35 */
	");\n"                                                      /* 36 */
	"payment_methods = [ \"direct\", \"provider\", \"card\" ];\n"; /* 37 */

static char dir[] = "/tmp/phsg-scheme-test-XXXXXX";
static char path[256];

static int setup(void **state)
{
	char hols[300];
	FILE *f;
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/scheme.cfg", dir);
	snprintf(hols, sizeof(hols), "%s/hols.cfg", dir);
	f = fopen(hols, "w");
	if (!f)
		return -1;
	fputs("dates = [ \"2026-12-25\", \"2026-12-28\", \"2026-01-01\", \"2027-01-01\" ];\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	char hols[300];
	(void)state;
	snprintf(hols, sizeof(hols), "%s/hols.cfg", dir);
	unlink(hols);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Write BASE with `from` replaced by `to` (which must occur once). */
static void write_scheme(const char *from, const char *to)
{
	const char *at = from ? strstr(BASE, from) : NULL;
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	if (from) {
		assert_non_null(at);
		fwrite(BASE, 1, (size_t)(at - BASE), f);
		fputs(to, f);
		fputs(at + strlen(from), f);
	} else {
		fputs(BASE, f);
	}
	fclose(f);
}

/* Loading fails with EINVAL and a message containing scheme.cfg:LINE and `what`. */
static void assert_refused(const char *from, const char *to, int line, const char *what)
{
	phsg_scheme *sc = NULL;
	char where[64];
	write_scheme(from, to);
	assert_int_equal(phsg_scheme_load(&sc, path), PHSG_EINVAL);
	assert_null(sc);
	snprintf(where, sizeof(where), "scheme.cfg:%d:", line);
	if (!strstr(phsg_error_last(), where) || !strstr(phsg_error_last(), what))
		fail_msg("expected '%s' and '%s' in: %s", where, what, phsg_error_last());
}

static void test_base_loads(void **state)
{
	phsg_scheme *sc = NULL;
	const phsg_package *p;
	(void)state;
	write_scheme(NULL, NULL);
	assert_int_equal(phsg_scheme_load(&sc, path), 0);
	assert_int_equal(sc->n_packages, 3);
	assert_int_equal(sc->n_rates, 2);
	p = phsg_scheme_package(sc, "resettlement");
	assert_non_null(p);
	assert_int_equal(p->term.period_months, 6);
	assert_int_equal(p->term.extendable_months, 12);
	assert_int_equal(p->n_components, 1);            /* the implicit ras component */
	assert_int_equal(p->components[0].kind, PHSG_COMP_RAS);
	p = phsg_scheme_package(sc, "tiered");
	assert_int_equal(p->term.extendable_months, PHSG_UNLIMITED);
	assert_int_equal(p->components[0].kind, PHSG_COMP_TIER);
	assert_null(phsg_scheme_package(sc, "nope"));
	assert_int_equal(sc->calendar.first_year, 2026);
	assert_int_equal(sc->calendar.last_year, 2027);
	phsg_scheme_free(sc);
	phsg_scheme_free(NULL);
}

static void test_shipped_schemes_load(void **state)
{
	phsg_scheme *sc = NULL;
	const phsg_term *t;
	(void)state;
	assert_int_equal(phsg_scheme_load(&sc, PHSG_CONFIG_DIR "/medway.cfg"), 0);
	assert_int_equal(sc->n_packages, 7);
	assert_int_equal(sc->rounding, PHSG_ROUND_HALF_UP);
	const phsg_package *sl = phsg_scheme_package(sc, "supported-living");
	assert_int_equal(sl->n_levels, 3);
	assert_int_equal(phsg_scheme_package_term(&t, sl, 1), 0);
	assert_int_equal(t->period_months, 24);
	assert_int_equal(t->extendable_months, PHSG_UNLIMITED);
	assert_int_equal(phsg_scheme_package_term(&t, sl, 3), 0);
	assert_int_equal(t->extendable_months, 60);
	assert_int_equal(phsg_scheme_package_term(&t, sl, 4), PHSG_EINVAL);
	assert_int_equal(phsg_scheme_package_term(&t, sl, 0), PHSG_EINVAL);
	assert_true(sc->finance.present);
	assert_int_equal(sc->calendar.first_year, 2011);
	assert_int_equal(sc->calendar.last_year, 2035);
	phsg_scheme_free(sc);
	assert_int_equal(phsg_scheme_load(&sc, PHSG_CONFIG_DIR "/oxfordshire.cfg"), 0);
	const phsg_package *cf = phsg_scheme_package(sc, "core-and-flexi");
	assert_int_equal(cf->n_components, 3);
	assert_string_equal(cf->components[0].payee, "scheme-provider");
	assert_int_equal(phsg_scheme_package(sc, "older-people-tiered")->n_tiers, 5);
	phsg_scheme_free(sc);
}

static void test_refusals(void **state)
{
	(void)state;
	/* money written as a float */
	assert_refused("hourly = \"16.50\"", "hourly = 16.5", 11, "floats cannot hold pence");
	/* money as a bare integer */
	assert_refused("weekly = \"38.00\"", "weekly = 38", 33, "decimal string");
	/* a non-decimal amount */
	assert_refused("low = \"3\"", "low = \"three\"", 16, "not a non-negative decimal");
	/* a negative amount */
	assert_refused("weekly = \"3.00\"", "weekly = \"-3.00\"", 28, "tiers[1].weekly");
	/* unknown key */
	assert_refused("lead_days = 0;", "lead_days = 0; colour = \"red\";", 6, "unknown setting 'colour'");
	/* missing key */
	assert_refused("  roll = \"previous\";\n", "", 4, "calendar.roll: missing required");
	/* anchor not a date */
	assert_refused("anchor = \"2011-04-04\"", "anchor = \"2011-02-30\"", 5, "calendar.anchor");
	/* overlapping rates */
	assert_refused("from = \"2024-04-01\"", "from = \"2011-04-01\"", 12, "overlaps");
	/* duplicate ids */
	assert_refused("id = \"basic\"", "id = \"intensive\"", 17, "duplicate intervention id");
	assert_refused("id = \"cf\"", "id = \"tiered\"", 30, "duplicate package id 'tiered'");
	assert_refused("id = \"flexi\"", "id = \"core\"", 34, "duplicate component id");
	/* a package naming an intervention the scheme does not have */
	assert_refused("[ \"intensive\", \"basic\" ]", "[ \"intensive\", \"nope\" ]", 22,
		       "unknown intervention 'nope'");
	/* a need level the scheme does not define */
	assert_refused("low = \"1\"", "lowest = \"1\"", 18, "unknown setting 'lowest'");
	/* extension ceiling below the period */
	assert_refused("extendable_to_months = 12", "extendable_to_months = 3", 23, "shorter than the period");
	/* tiers out of order */
	assert_refused("tier = 2;", "tier = 3;", 28, "out of order");
	/* a component of an unknown kind */
	assert_refused("kind = \"hours\"", "kind = \"vouchers\"", 34, "unknown component kind 'vouchers'");
	/* a key that belongs to another kind */
	assert_refused("max_weekly_hours = \"8\"", "weekly = \"8\"", 34, "unknown setting 'weekly'");
	/* rounding rule */
	assert_refused("\"half-up\"", "\"bankers\"", 3, "bankers");
	/* roll rule */
	assert_refused("\"previous\"", "\"nearest\"", 7, "nearest");
	/* payment method */
	assert_refused("\"card\" ]", "\"cheque\" ]", 37, "cheque");
	/* holidays file that does not exist */
	assert_refused("hols.cfg", "missing.cfg", 8, "cannot read");
	/* lead days out of range */
	assert_refused("lead_days = 0", "lead_days = -1", 6, "out of range");
	/* currency */
	assert_refused("\"GBP\"", "\"EUR\"", 2, "EUR");
}

/*
 * budgets = { yNNNN = "AMOUNT"; ... } (SPEC section 13), appended after
 * line 37: "budgets = {" is line 38, y2027 line 39, y2026 line 40.
 */
#define METHODS "payment_methods = [ \"direct\", \"provider\", \"card\" ];\n"
#define BUDGETS(a, b) METHODS "budgets = {\n" a "\n" b "\n};\n"

static void test_budgets(void **state)
{
	phsg_scheme *sc = NULL;
	mpq_t want;
	(void)state;
	mpq_init(want);
	/* listed out of order, kept in year order; the largest budget allowed */
	write_scheme(METHODS, BUDGETS("  y2027 = \"999999999999.99\";", "  y2026 = \"15359116.00\";"));
	assert_int_equal(phsg_scheme_load(&sc, path), 0);
	assert_int_equal(sc->n_budgets, 2);
	assert_int_equal(sc->budgets[0].year, 2026);
	mpq_set_str(want, "15359116", 10);
	assert_true(mpq_equal(sc->budgets[0].amount, want));
	assert_int_equal(sc->budgets[1].year, 2027);
	mpq_set_str(want, "99999999999999/100", 10);
	assert_true(mpq_equal(sc->budgets[1].amount, want));
	assert_ptr_equal(phsg_scheme_budget(sc, 2027), &sc->budgets[1]);
	assert_null(phsg_scheme_budget(sc, 2028));
	phsg_scheme_free(sc);
	/* none: no budgets; an empty group: none either */
	write_scheme(NULL, NULL);
	assert_int_equal(phsg_scheme_load(&sc, path), 0);
	assert_int_equal(sc->n_budgets, 0);
	phsg_scheme_free(sc);
	write_scheme(METHODS, METHODS "budgets = { };\n");
	assert_int_equal(phsg_scheme_load(&sc, path), 0);
	assert_int_equal(sc->n_budgets, 0);
	phsg_scheme_free(sc);
	mpq_clear(want);

	/* each refusal names the file, the line and the setting */
	assert_refused(METHODS, BUDGETS("  y2027 = \"1.00\";", "  y2026 = 15359116.0;"), 40,
		       "budgets.y2026: is written as a float");
	assert_refused(METHODS, BUDGETS("  y2027 = \"1.00\";", "  y2026 = 15359116;"), 40,
		       "budgets.y2026: must be a decimal string");
	assert_refused(METHODS, BUDGETS("  y2027 = \"-1.00\";", "  y2026 = \"1.00\";"), 39,
		       "budgets.y2027: '-1.00' is negative");
	assert_refused(METHODS, BUDGETS("  y2027 = \"1.005\";", "  y2026 = \"1.00\";"), 39,
		       "more than two decimal places");
	assert_refused(METHODS, BUDGETS("  y2027 = \"1000000000000.00\";", "  y2026 = \"1.00\";"), 39,
		       "more than 999,999,999,999.99, the largest budget");
	assert_refused(METHODS, BUDGETS("  y2027 = \"1,000.00\";", "  y2026 = \"1.00\";"), 39,
		       "not a non-negative decimal");
	assert_refused(METHODS, BUDGETS("  y2027 = \"1.00\";", "  y26 = \"1.00\";"), 40,
		       "budgets.y26: unknown setting 'y26'");
	assert_refused(METHODS, BUDGETS("  year2027 = \"1.00\";", "  y2026 = \"1.00\";"), 39,
		       "unknown setting 'year2027'");
	assert_refused(METHODS, BUDGETS("  y2027a = \"1.00\";", "  y2026 = \"1.00\";"), 39,
		       "unknown setting 'y2027a'");
	assert_refused(METHODS, BUDGETS("  Y2027 = \"1.00\";", "  y2026 = \"1.00\";"), 39,
		       "unknown setting 'Y2027'");
	assert_refused(METHODS, BUDGETS("  y1899 = \"1.00\";", "  y2026 = \"1.00\";"), 39,
		       "from y1900 to y9998");
	assert_refused(METHODS, METHODS "budgets = ( \"1.00\" );\n", 38, "budgets: must be a group");
	/* the same year twice: libconfig's own refusal, at the line of the second */
	assert_refused(METHODS, BUDGETS("  y2026 = \"1.00\";", "  y2026 = \"2.00\";"), 40,
		       "duplicate setting name");
}

static void test_syntax_error_has_line(void **state)
{
	phsg_scheme *sc = NULL;
	(void)state;
	write_scheme("rates = (", "rates = ((");
	assert_int_equal(phsg_scheme_load(&sc, path), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "scheme.cfg:"));
	assert_int_equal(phsg_scheme_load(&sc, "/nonexistent/x.cfg"), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "cannot read"));
}

static phsg_date D(const char *s)
{
	phsg_date d = 0;
	assert_int_equal(phsg_date_parse(&d, s), 0);
	return d;
}

static void test_bank_holidays(void **state)
{
	phsg_scheme *sc = NULL;
	int w = -1;
	phsg_date out;
	(void)state;
	assert_int_equal(phsg_scheme_load(&sc, PHSG_CONFIG_DIR "/medway.cfg"), 0);
	const phsg_calendar *cal = &sc->calendar;
	/* the one-off days, from the proclamations */
	const char *const one_offs[] = { "2011-04-29", "2012-06-04", "2012-06-05", "2020-05-08",
		"2022-06-02", "2022-06-03", "2022-09-19", "2023-05-08" };
	for (size_t i = 0; i < sizeof(one_offs) / sizeof(one_offs[0]); i++) {
		assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D(one_offs[i])), 0);
		assert_int_equal(w, 0);
	}
	/* the days they displaced are working days */
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2020-05-04")), 0);
	assert_int_equal(w, 1);
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2012-05-28")), 0);
	assert_int_equal(w, 1);
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2022-05-30")), 0);
	assert_int_equal(w, 1);
	/* Christmas 2026 is a Friday; Boxing Day (Saturday) moves to Monday 28 */
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2026-12-25")), 0);
	assert_int_equal(w, 0);
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2026-12-28")), 0);
	assert_int_equal(w, 0);
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2026-12-29")), 0);
	assert_int_equal(w, 1);
	/* Good Friday and Easter Monday 2026: 3 and 6 April */
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2026-04-03")), 0);
	assert_int_equal(w, 0);
	assert_int_equal(phsg_scheme_calendar_is_working_day(&w, cal, D("2026-04-06")), 0);
	assert_int_equal(w, 0);
	/* roll: Monday 28 Dec 2026 back over the weekend and Christmas to Thursday 24 */
	assert_int_equal(phsg_scheme_calendar_roll(&out, cal, D("2026-12-28")), 0);
	assert_int_equal(out, D("2026-12-24"));
	/* a Saturday rolls back to Friday */
	assert_int_equal(phsg_scheme_calendar_roll(&out, cal, D("2026-11-28")), 0);
	assert_int_equal(out, D("2026-11-27"));
	/* past the list's last year: an error naming the year */
	assert_int_equal(phsg_scheme_calendar_roll(&out, cal, D("2036-01-07")), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "2036"));
	((phsg_calendar *)cal)->roll = PHSG_ROLL_NEXT;
	assert_int_equal(phsg_scheme_calendar_roll(&out, cal, D("2026-12-25")), 0);
	assert_int_equal(out, D("2026-12-29"));
	phsg_scheme_free(sc);
}

static void test_rate_at(void **state)
{
	phsg_scheme *sc = NULL;
	size_t r = 99;
	(void)state;
	write_scheme(NULL, NULL);
	assert_int_equal(phsg_scheme_load(&sc, path), 0);
	assert_int_equal(phsg_scheme_rate_at(&r, sc, D("2024-03-31")), 0);
	assert_int_equal(r, 0);
	assert_int_equal(phsg_scheme_rate_at(&r, sc, D("2024-04-01")), 0);
	assert_int_equal(r, 1);
	assert_int_equal(phsg_scheme_rate_at(&r, sc, D("2011-03-31")), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "no hourly rate"));
	phsg_scheme_free(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_loads),
		cmocka_unit_test(test_shipped_schemes_load),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_budgets),
		cmocka_unit_test(test_syntax_error_has_line),
		cmocka_unit_test(test_bank_holidays),
		cmocka_unit_test(test_rate_at),
	};
	return cmocka_run_group_tests_name("scheme", tests, setup, teardown);
}
