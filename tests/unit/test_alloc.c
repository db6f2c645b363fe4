/*
 * Unit tests for alloc.c: quotes for every Medway package and the
 * Oxfordshire components, checked against figures worked by hand here.
 *
 * Medway rates: £16.50 an hour from 2011-04-01, £21.40 from 2024-04-01.
 * Oxfordshire rates: £15.00 from 2011-04-01, £22.00 from 2025-04-01.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "phsg.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif

static phsg_scheme *medway, *oxon, *fraction;

static int setup(void **state)
{
	(void)state;
	/* fraction-pence.cfg: one rate, £21.45 an hour; maintenance low = 0.5 h */
	if (phsg_scheme_load(&medway, PHSG_CONFIG_DIR "/medway.cfg") ||
	    phsg_scheme_load(&oxon, PHSG_CONFIG_DIR "/oxfordshire.cfg") ||
	    phsg_scheme_load(&fraction, PHSG_CONFIG_DIR "/../tests/cli/data/fraction-pence.cfg"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	phsg_scheme_free(medway);
	phsg_scheme_free(oxon);
	phsg_scheme_free(fraction);
	return 0;
}

/* The explanation, line for line: every line whole, and no more lines. */
static void assert_explanation(const phsg_quote *q, const char *const *want)
{
	size_t n = 0;
	for (; want[n]; n++) {
		assert_true(n < q->n_explanation);
		assert_string_equal(q->explanation[n], want[n]);
	}
	assert_int_equal(q->n_explanation, n);
}

/* Is `line` one of the explanation's lines, whole? */
static void assert_has_line(const phsg_quote *q, const char *line)
{
	for (size_t i = 0; i < q->n_explanation; i++)
		if (strcmp(q->explanation[i], line) == 0)
			return;
	for (size_t i = 0; i < q->n_explanation; i++)
		print_message("  %s\n", q->explanation[i]);
	fail_msg("no explanation line '%s'", line);
}

static void assert_no_line_containing(const phsg_quote *q, const char *part)
{
	for (size_t i = 0; i < q->n_explanation; i++)
		if (strstr(q->explanation[i], part))
			fail_msg("explanation line %zu has '%s': %s", i + 1, part, q->explanation[i]);
}

#define L "\xc2\xa3" /* the pound sign, in UTF-8 */

static phsg_date D(const char *s)
{
	phsg_date d = 0;
	assert_int_equal(phsg_date_parse(&d, s), 0);
	return d;
}

static void assert_pence(const mpz_t p, const char *want)
{
	char buf[PHSG_NUM_BUF];
	phsg_money_format_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, want);
}

static void assert_money(const phsg_scheme *sc, const mpq_t x, const char *want)
{
	mpz_t p;
	mpz_init(p);
	phsg_money_round_pence(p, NULL, x, sc->rounding);
	assert_pence(p, want);
	mpz_clear(p);
}

static void assert_exact(const mpq_t x, const char *want)
{
	char buf[PHSG_NUM_BUF];
	phsg_money_format(buf, sizeof(buf), x, 0);
	assert_string_equal(buf, want);
}

/* A quote from a package id, needs ("intensive=high,..." one at a time), level, start. */
typedef struct {
	const char *package;
	int level, tier, chosen;
	const char *hours;
	const char *needs[3];
	const char *start;
} ask;

static int quote(const phsg_scheme *sc, const ask *in, phsg_quote **out)
{
	phsg_assessment a;
	int rc;
	phsg_alloc_assessment_init(&a, sc);
	a.package = phsg_scheme_package(sc, in->package);
	assert_non_null(a.package);
	a.level = in->level;
	a.tier = in->tier;
	a.chosen_tier = in->chosen;
	if (in->hours) {
		assert_int_equal(phsg_money_parse(a.hours, in->hours, 0), 0);
		a.has_hours = 1;
	}
	for (int i = 0; i < 3 && in->needs[i]; i++)
		assert_int_equal(phsg_alloc_assessment_set_need(&a, sc, in->needs[i]), 0);
	rc = phsg_alloc_quote(out, sc, &a, D(in->start));
	phsg_alloc_assessment_release(&a);
	return rc;
}

static void test_acquiring_independence(void **state)
{
	phsg_quote *q;
	(void)state;
	ask in = { "acquiring-independence", 0, 0, 0, NULL,
		   { "intensive=high", "basic=medium", "maintenance=low" }, "2026-04-06" };
	assert_int_equal(quote(medway, &in, &q), 0);
	/* hours: 10 + 2 + 0.5 = 12.5; weekly 12.5 x 21.40 = 267.50; cycle x4 = 1070.00 */
	assert_exact(q->weekly_hours, "12.5");
	assert_money(medway, q->weekly, "267.50");
	assert_money(medway, q->cycle, "1070.00");
	/* 12 months: 2026-04-06 to 2027-04-06 = 365 days; 365 x 267.50 / 7
	 * = 97637.5 / 7 = 13948.2142... -> 13948.21 */
	assert_int_equal(q->end, D("2027-04-06"));
	assert_pence(q->award_total_pence, "13948.21");
	/* ceiling 60 months: to 2031-04-06, 1826 days (one 29 Feb, 2028);
	 * 1826 x 267.50 / 7 = 488455 / 7 = 69779.2857... -> 69779.29 */
	assert_false(q->unlimited);
	assert_int_equal(q->extendable_to, D("2031-04-06"));
	assert_pence(q->max_total_pence, "69779.29");
	assert_has_line(q, "Support hours: 10 + 2 + 0.5 = 12.5 hours a week.");
	/* 365 x 267.50 = 97637.50; / 7 = 13948.2142... -> 13948.21 */
	assert_has_line(q, "Award total: 365 days at " L "267.50 a week = " L "13,948.21 ("
			L "97,637.50 / 7 = " L "13,948.214..., the exact amount rounded once, half-up).");
	/* 60 months from 2026-04-06: the last day covered is 2031-04-05 */
	assert_has_line(q, "Extension: up to 60 months from the start, to 2031-04-05 (last day "
			"included); extended that far the total would be " L "69,779.29.");
	phsg_alloc_quote_free(q);
}

static void test_rate_change_inside_award(void **state)
{
	phsg_quote *q;
	(void)state;
	/* Long Term Support, maintenance high = 2 hours, from 2023-10-01 for 24 months
	 * to 2025-10-01.  At £16.50 for 183 days (to 2024-04-01), then £21.40 for
	 * 548 days (365 + 183).  Total = (183 x 2 x 16.50 + 548 x 2 x 21.40) / 7
	 * = (6039 + 23454.40) / 7 = 29493.40 / 7 = 4213.3428... -> 4213.34.
	 * Weekly at the start rate: 2 x 16.50 = 33.00. */
	ask in = { "long-term-support", 0, 0, 0, NULL, { "maintenance=high" }, "2023-10-01" };
	assert_int_equal(quote(medway, &in, &q), 0);
	assert_money(medway, q->weekly, "33.00");
	assert_money(medway, q->cycle, "132.00");
	assert_int_equal(q->end, D("2025-10-01"));
	assert_pence(q->award_total_pence, "4213.34");
	assert_true(q->unlimited);
	/* The explanation, whole.  Each segment shows its own amount: 183 x 33.00 =
	 * 6039.00, / 7 = 862.714285... -> 862.71; 548 x 42.80 = 23454.40, / 7 =
	 * 3350.628571... -> 3350.63.  The total adds the exact amounts and rounds
	 * once: (6039.00 + 23454.40) / 7 = 29493.40 / 7 = 4213.342857... -> 4213.34.
	 * Dates: 2024-04-01 is the first day at the new rate, so the first segment's
	 * last day is 2024-03-31; the award's last day is 2025-09-30. */
	static const char *const want[] = {
		"Package: Long Term Support (long-term-support): awarded for 24 months, "
		"extendable without limit.",
		"Long-term maintenance: high need = 2 hours a week.",
		"Hourly rate in force on 2023-10-01: " L "16.50 (in force from 2011-04-01); "
		"it changes to " L "21.40 on 2024-04-01, during the award.",
		"ras (assessed support): 2 hours x " L "16.50 = " L "33.00 a week, paid to the award's payee.",
		"Weekly amount: " L "33.00; 4-weekly cycle: 4 x " L "33.00 = " L "132.00.",
		"Award period: 2023-10-01 to 2025-09-30 (last day included): 24 months, 731 days.",
		"ras: 2023-10-01 to 2024-03-31, 2 hours x " L "16.50 = " L "33.00 a week; "
		"183 days at " L "33.00 a week = " L "862.71 (" L "6,039.00 / 7 = " L "862.714..., "
		"rounded half-up).",
		"ras: 2024-04-01 to 2025-09-30, 2 hours x " L "21.40 = " L "42.80 a week; "
		"548 days at " L "42.80 a week = " L "3,350.63 (" L "23,454.40 / 7 = " L "3,350.628..., "
		"rounded half-up).",
		"Award total: the exact sum of those days, rounded once: (" L "6,039.00 + " L "23,454.40)"
		" / 7 = " L "29,493.40 / 7 = " L "4,213.342..., rounded half-up = " L "4,213.34.",
		"Extension: the award can be extended without limit, so there is no maximum total.",
		"Payments: every 4 weeks, each cycle's share of the exact entitlement, so the payments "
		"add up to the award total to the penny.",
		NULL
	};
	assert_explanation(q, want);
	phsg_alloc_quote_free(q);
}

static void test_fractions_of_a_penny(void **state)
{
	phsg_quote *q;
	(void)state;
	/* Half an hour at 21.45 = 10.725 a week: shown as it is, so that the cycle adds
	 * up (4 x 10.725 = 42.90; a rounded 10.73 would give 42.92).  24 months from
	 * 2026-04-01 to 2028-04-01: 365 + 366 (29 Feb 2028) = 731 days; 731 x 10.725
	 * = 7839.975, / 7 = 1119.996428... -> 1120.00 (a rounded 10.73 would give
	 * 731 x 10.73 / 7 = 7843.63 / 7 = 1120.518... -> 1120.52, wrongly). */
	ask in = { "long-term-support", 0, 0, 0, NULL, { "maintenance=low" }, "2026-04-01" };
	static const char *const want[] = {
		"Package: Long Term Support (long-term-support): awarded for 24 months, "
		"extendable without limit.",
		"Long-term maintenance: low need = 0.5 hours a week.",
		"Hourly rate in force on 2026-04-01: " L "21.45 (in force from 2011-04-01).",
		"ras (assessed support): 0.5 hours x " L "21.45 = " L "10.725 a week, paid to the award's payee.",
		"Weekly amount: " L "10.725; 4-weekly cycle: 4 x " L "10.725 = " L "42.90.",
		"Award period: 2026-04-01 to 2028-03-31 (last day included): 24 months, 731 days.",
		"Award total: 731 days at " L "10.725 a week = " L "1,120.00 (" L "7,839.975 / 7 = "
		L "1,119.996..., the exact amount rounded once, half-up).",
		"Extension: the award can be extended without limit, so there is no maximum total.",
		"Payments: every 4 weeks, each cycle's share of the exact entitlement, so the payments "
		"add up to the award total to the penny.",
		NULL
	};
	assert_int_equal(quote(fraction, &in, &q), 0);
	assert_exact(q->weekly, "10.725");
	assert_money(fraction, q->cycle, "42.90");
	assert_pence(q->award_total_pence, "1120.00");
	assert_explanation(q, want);
	phsg_alloc_quote_free(q);

	/* A cycle with fractions of a penny says how it is rounded: core-and-flexi
	 * with 5.0001 flexi hours at 22.00 = 110.0022; 38.00 + 110.0022 + 10.00 =
	 * 158.0022 a week; 4 x 158.0022 = 632.0088 -> 632.01. */
	ask flexi = { "core-and-flexi", 0, 0, 0, "5.0001", { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &flexi, &q), 0);
	assert_has_line(q, "flexi (hours the person chooses): 5.0001 hours x " L "22.00 = "
			L "110.0022 a week, paid to the award's payee.");
	assert_has_line(q, "Weekly amount: " L "38.00 + " L "110.0022 + " L "10.00 = " L "158.0022; "
			"4-weekly cycle: 4 x " L "158.0022 = " L "632.0088 (" L "632.01 rounded half-up).");
	phsg_alloc_quote_free(q);
}

static void test_supported_living_levels(void **state)
{
	phsg_quote *q;
	(void)state;
	/* intensive medium 6 + basic low 1 = 7 hours x 21.40 = 149.80 a week */
	ask in = { "supported-living", 1, 0, 0, NULL, { "intensive=medium", "basic=low" }, "2026-05-01" };
	/* level 1: 24 months to 2028-05-01 = 731 days (29 Feb 2028);
	 * 731 x 149.80 / 7 = 731 x 21.40 = 15643.40 exactly; unlimited */
	assert_int_equal(quote(medway, &in, &q), 0);
	assert_money(medway, q->weekly, "149.80");
	assert_int_equal(q->end, D("2028-05-01"));
	assert_pence(q->award_total_pence, "15643.40");
	assert_true(q->unlimited);
	/* one hour is "1 hour"; a total with no fraction of a penny is not "rounded":
	 * 731 x 149.80 = 109503.80, / 7 = 15643.40 exactly */
	assert_has_line(q, "Short-term basic intervention: low need = 1 hour a week.");
	assert_has_line(q, "Support hours: 6 + 1 = 7 hours a week.");
	assert_has_line(q, "Award total: 731 days at " L "149.80 a week = " L "15,643.40 ("
			L "109,503.80 / 7).");
	phsg_alloc_quote_free(q);
	/* level 2: 12 months to 2027-05-01 = 365 days; 365 x 21.40 = 7811.00;
	 * ceiling 60 months to 2031-05-01 = 1826 days; 1826 x 21.40 = 39076.40 */
	in.level = 2;
	assert_int_equal(quote(medway, &in, &q), 0);
	assert_pence(q->award_total_pence, "7811.00");
	assert_int_equal(q->extendable_to, D("2031-05-01"));
	assert_pence(q->max_total_pence, "39076.40");
	phsg_alloc_quote_free(q);
	/* level 3: the same term as level 2 */
	in.level = 3;
	assert_int_equal(quote(medway, &in, &q), 0);
	assert_pence(q->award_total_pence, "7811.00");
	assert_pence(q->max_total_pence, "39076.40");
	phsg_alloc_quote_free(q);
	/* no level, or a level the package does not have: refused */
	in.level = 0;
	assert_int_equal(quote(medway, &in, &q), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "needs a level"));
	in.level = 4;
	assert_int_equal(quote(medway, &in, &q), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "no level 4"));
}

static void test_leap_day_and_month_end_starts(void **state)
{
	phsg_quote *q;
	(void)state;
	/* Crisis Intervention from 29 Feb 2024, intensive medium 6 h.
	 * 3 months to 2024-05-29: 29 + 31 + 30 = 90 days, across the rate change:
	 * 32 days (29 Feb to 1 Apr) at 6 x 16.50 = 99.00/wk and 58 days at
	 * 6 x 21.40 = 128.40/wk: (32 x 99 + 58 x 128.40) / 7 = (3168 + 7447.20) / 7
	 * = 10615.20 / 7 = 1516.457... -> 1516.46.  Extendable to 3 months only. */
	ask crisis = { "crisis-intervention", 0, 0, 0, NULL, { "intensive=medium" }, "2024-02-29" };
	assert_int_equal(quote(medway, &crisis, &q), 0);
	assert_money(medway, q->weekly, "99.00");
	assert_int_equal(q->end, D("2024-05-29"));
	assert_pence(q->award_total_pence, "1516.46");
	assert_int_equal(q->extendable_to, D("2024-05-29"));
	assert_pence(q->max_total_pence, "1516.46");
	/* 3 months extendable to 3: it cannot be extended, and says so; one
	 * intervention: its hours are the total, with no sum of one term */
	assert_has_line(q, "Package: Crisis Intervention (crisis-intervention): awarded for 3 months, "
			"not extendable.");
	assert_has_line(q, "Extension: none; this package cannot be extended beyond its 3 months.");
	assert_no_line_containing(q, "Support hours");
	assert_no_line_containing(q, "6 = 6");
	/* 32 x 99.00 = 3168.00, / 7 = 452.571428... -> 452.57 (29 Feb to 31 Mar);
	 * 58 x 128.40 = 7447.20, / 7 = 1063.885714... -> 1063.89 (1 Apr to 28 May);
	 * (3168.00 + 7447.20) / 7 = 10615.20 / 7 = 1516.457142... -> 1516.46 */
	assert_has_line(q, "ras: 2024-02-29 to 2024-03-31, 6 hours x " L "16.50 = " L "99.00 a week; "
			"32 days at " L "99.00 a week = " L "452.57 (" L "3,168.00 / 7 = " L "452.571..., "
			"rounded half-up).");
	assert_has_line(q, "ras: 2024-04-01 to 2024-05-28, 6 hours x " L "21.40 = " L "128.40 a week; "
			"58 days at " L "128.40 a week = " L "1,063.89 (" L "7,447.20 / 7 = "
			L "1,063.885..., rounded half-up).");
	assert_has_line(q, "Award total: the exact sum of those days, rounded once: (" L "3,168.00 + "
			L "7,447.20) / 7 = " L "10,615.20 / 7 = " L "1,516.457..., rounded half-up = "
			L "1,516.46.");
	phsg_alloc_quote_free(q);
	/* Housing Options from 31 Jan 2026, basic high 4 h x 21.40 = 85.60.
	 * 3 months to 30 Apr 2026 (no 31 April): 1 + 28 + 31 + 29 = 89 days;
	 * 89 x 85.60 / 7 = 7618.40 / 7 = 1088.342... -> 1088.34 */
	ask options = { "housing-options", 0, 0, 0, NULL, { "basic=high" }, "2026-01-31" };
	assert_int_equal(quote(medway, &options, &q), 0);
	assert_int_equal(q->end, D("2026-04-30"));
	assert_pence(q->award_total_pence, "1088.34");
	phsg_alloc_quote_free(q);
	/* Resettlement from 31 Aug 2026: 6 months to 28 Feb 2027 (clipped), 181 days
	 * (1+30+31+30+31+31+27 = 181); intensive low 3 + basic low 1 = 4 h = 85.60/wk;
	 * 181 x 85.60 / 7 = 15493.60 / 7 = 2213.3714... -> 2213.37.
	 * Ceiling 12 months to 2027-08-31: 365 days; 365 x 85.60 / 7 = 31244 / 7
	 * = 4463.428... -> 4463.43 */
	ask resettle = { "resettlement", 0, 0, 0, NULL, { "intensive=low", "basic=low" }, "2026-08-31" };
	assert_int_equal(quote(medway, &resettle, &q), 0);
	assert_int_equal(q->end, D("2027-02-28"));
	assert_pence(q->award_total_pence, "2213.37");
	assert_int_equal(q->extendable_to, D("2027-08-31"));
	assert_pence(q->max_total_pence, "4463.43");
	phsg_alloc_quote_free(q);
}

static void test_every_medway_package(void **state)
{
	phsg_quote *q;
	(void)state;
	/* Practical Support from 2026-04-01, maintenance medium 1 h = 21.40/wk;
	 * 24 months to 2028-04-01 = 731 days; 731 x 21.40 / 7 = 15643.40 / 7
	 * = 2234.7714... -> 2234.77 */
	ask practical = { "practical-support", 0, 0, 0, NULL, { "maintenance=medium" }, "2026-04-01" };
	assert_int_equal(quote(medway, &practical, &q), 0);
	assert_pence(q->award_total_pence, "2234.77");
	assert_true(q->unlimited);
	phsg_alloc_quote_free(q);
	/* Long Term Support from 2026-04-01, maintenance low 0.5 h = 10.70/wk; 731 days;
	 * 731 x 10.70 / 7 = 7821.70 / 7 = 1117.3857... -> 1117.39 */
	ask lts = { "long-term-support", 0, 0, 0, NULL, { "maintenance=low" }, "2026-04-01" };
	assert_int_equal(quote(medway, &lts, &q), 0);
	assert_pence(q->award_total_pence, "1117.39");
	phsg_alloc_quote_free(q);
}

static void test_refusals(void **state)
{
	phsg_quote *q = NULL;
	phsg_assessment a;
	(void)state;
	/* maintenance is not part of resettlement */
	ask bad = { "resettlement", 0, 0, 0, NULL, { "maintenance=high" }, "2026-04-06" };
	assert_int_equal(quote(medway, &bad, &q), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "does not include the intervention 'maintenance'"));
	/* no needs at all for a RAS package */
	ask none = { "resettlement", 0, 0, 0, NULL, { NULL }, "2026-04-06" };
	assert_int_equal(quote(medway, &none, &q), PHSG_EINVAL);
	/* a level on a package without levels */
	ask lvl = { "resettlement", 2, 0, 0, NULL, { "basic=low" }, "2026-04-06" };
	assert_int_equal(quote(medway, &lvl, &q), PHSG_EINVAL);
	/* a start before any rate */
	ask early = { "resettlement", 0, 0, 0, NULL, { "basic=low" }, "2010-01-01" };
	assert_int_equal(quote(medway, &early, &q), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "no hourly rate"));
	/* tiers or hours on a package that takes neither */
	ask tier = { "resettlement", 0, 2, 0, NULL, { "basic=low" }, "2026-04-06" };
	assert_int_equal(quote(medway, &tier, &q), PHSG_EINVAL);
	ask hours = { "resettlement", 0, 0, 0, "3", { "basic=low" }, "2026-04-06" };
	assert_int_equal(quote(medway, &hours, &q), PHSG_EINVAL);
	assert_null(q);
	/* unknown intervention, unknown level, the same need twice */
	phsg_alloc_assessment_init(&a, medway);
	assert_int_equal(phsg_alloc_assessment_set_need(&a, medway, "gardening=high"), PHSG_EINVAL);
	assert_int_equal(phsg_alloc_assessment_set_need(&a, medway, "basic=extreme"), PHSG_EINVAL);
	assert_int_equal(phsg_alloc_assessment_set_need(&a, medway, "basic"), PHSG_EINVAL);
	assert_int_equal(phsg_alloc_assessment_set_need(&a, medway, "basic=high"), 0);
	assert_int_equal(phsg_alloc_assessment_set_need(&a, medway, "basic=low"), PHSG_EINVAL);
	phsg_alloc_assessment_release(&a);
}

static void test_core_and_flexi(void **state)
{
	phsg_quote *q;
	(void)state;
	/* core 38.00 + flexi 5 h x 22.00 = 110.00 + cash 40.00 / 4 = 10.00 -> 158.00/wk.
	 * 365 days from 2026-04-06.  Each component rounded once:
	 *   core  365 x 38 / 7  = 13870 / 7 = 1981.428... -> 1981.43
	 *   flexi 365 x 110 / 7 = 40150 / 7 = 5735.714... -> 5735.71
	 *   cash  365 x 10 / 7  = 3650 / 7  = 521.428...  -> 521.43
	 * award total 1981.43 + 5735.71 + 521.43 = 8238.57 */
	ask in = { "core-and-flexi", 0, 0, 0, "5", { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &in, &q), 0);
	assert_money(oxon, q->weekly, "158.00");
	assert_money(oxon, q->cycle, "632.00");
	assert_int_equal(q->n_components, 3);
	assert_pence(q->components[0].total_pence, "1981.43");
	assert_pence(q->components[1].total_pence, "5735.71");
	assert_pence(q->components[2].total_pence, "521.43");
	assert_pence(q->award_total_pence, "8238.57");
	assert_has_line(q, "cash (cash): " L "40.00 per 4-week cycle / 4 = " L "10.00 a week, "
			"accruing by day, paid to the award's payee.");
	assert_has_line(q, "Weekly amount: " L "38.00 + " L "110.00 + " L "10.00 = " L "158.00; "
			"4-weekly cycle: 4 x " L "158.00 = " L "632.00.");
	assert_has_line(q, "core: 365 days at " L "38.00 a week = " L "1,981.43 (" L "13,870.00 / 7 = "
			L "1,981.428..., the exact amount rounded once, half-up).");
	assert_has_line(q, "Award total: " L "1,981.43 + " L "5,735.71 + " L "521.43 = " L "8,238.57 "
			"(each component rounded once).");
	phsg_alloc_quote_free(q);
	/* above the maximum of 8 hours: refused by the scheme's rule */
	ask over = { "core-and-flexi", 0, 0, 0, "8.5", { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &over, &q), PHSG_ERULE);
	assert_non_null(strstr(phsg_error_last(), "maximum of 8 hours"));
	/* hours missing */
	ask missing = { "core-and-flexi", 0, 0, 0, NULL, { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &missing, &q), PHSG_EINVAL);
}

static void test_tiers(void **state)
{
	phsg_quote *q;
	(void)state;
	/* assessed 2 (3.00), chosen 4 (12.00): funded 3.00, person pays 9.00 a week;
	 * 365 x 3 / 7 = 1095 / 7 = 156.428... -> 156.43 */
	ask up = { "older-people-tiered", 0, 2, 4, NULL, { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &up, &q), 0);
	assert_money(oxon, q->weekly, "3.00");
	assert_money(oxon, q->contribution_weekly, "9.00");
	assert_pence(q->award_total_pence, "156.43");
	phsg_alloc_quote_free(q);
	/* assessed 4 (12.00), chosen 2 (3.00): funds only 3.00, no contribution */
	ask down = { "older-people-tiered", 0, 4, 2, NULL, { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &down, &q), 0);
	assert_money(oxon, q->weekly, "3.00");
	assert_money(oxon, q->contribution_weekly, "0.00");
	phsg_alloc_quote_free(q);
	/* tier 6 does not exist; tier missing */
	ask six = { "older-people-tiered", 0, 6, 0, NULL, { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &six, &q), PHSG_EINVAL);
	ask no = { "older-people-tiered", 0, 0, 0, NULL, { NULL }, "2026-04-06" };
	assert_int_equal(quote(oxon, &no, &q), PHSG_EINVAL);
}

static void test_home_alone(void **state)
{
	phsg_quote *q;
	(void)state;
	/* 1 month from 2026-01-31 to 2026-02-28 = 28 days; 28 x 20 / 7 = 80.00;
	 * not extendable past the month */
	ask in = { "home-alone", 0, 0, 0, NULL, { NULL }, "2026-01-31" };
	assert_int_equal(quote(oxon, &in, &q), 0);
	assert_int_equal(q->end, D("2026-02-28"));
	assert_pence(q->award_total_pence, "80.00");
	assert_int_equal(q->extendable_to, q->end);
	/* no hours at all: no hourly rate line; the last day covered is 27 Feb;
	 * 28 x 20.00 = 560.00, / 7 = 80.00 exactly; 1 month, singular */
	assert_no_line_containing(q, "hour");
	assert_has_line(q, "Package: Home Alone (temporary) (home-alone): awarded for 1 month, "
			"not extendable.");
	assert_has_line(q, "Award period: 2026-01-31 to 2026-02-27 (last day included): 1 month, 28 days.");
	assert_has_line(q, "Award total: 28 days at " L "20.00 a week = " L "80.00 (" L "560.00 / 7).");
	assert_has_line(q, "Extension: none; this package cannot be extended beyond its 1 month.");
	phsg_alloc_quote_free(q);
}

static void test_accrue_segments(void **state)
{
	mpq_t hours, fixed, amount, acc_hours;
	mpz_t p;
	(void)state;
	mpq_inits(hours, fixed, amount, acc_hours, NULL);
	mpz_init(p);
	/* the published figure through the accrual: fixed 150.00/wk for 31 days */
	mpq_set_ui(fixed, 150, 1);
	assert_int_equal(phsg_alloc_accrue(amount, NULL, medway, hours, fixed,
				     D("2026-01-01"), D("2026-02-01")), 0);
	phsg_money_round_pence(p, NULL, amount, PHSG_ROUND_HALF_UP);
	assert_pence(p, "664.29");
	/* 1 hour a week across the rate change, 2024-03-25 to 2024-04-08:
	 * 7 days at 16.50 + 7 days at 21.40 = (115.50 + 149.80) / 7 = 37.90; 2 hours */
	mpq_set_ui(amount, 0, 1);
	mpq_set_ui(fixed, 0, 1);
	mpq_set_ui(hours, 1, 1);
	assert_int_equal(phsg_alloc_accrue(amount, acc_hours, medway, hours, fixed,
				     D("2024-03-25"), D("2024-04-08")), 0);
	assert_money(medway, amount, "37.90");
	assert_exact(acc_hours, "2");
	/* an empty or reversed period accrues nothing */
	mpq_set_ui(amount, 0, 1);
	assert_int_equal(phsg_alloc_accrue(amount, NULL, medway, hours, fixed,
				     D("2024-04-08"), D("2024-04-08")), 0);
	assert_int_equal(mpq_sgn(amount), 0);
	mpq_clears(hours, fixed, amount, acc_hours, NULL);
	mpz_clear(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_acquiring_independence),
		cmocka_unit_test(test_rate_change_inside_award),
		cmocka_unit_test(test_fractions_of_a_penny),
		cmocka_unit_test(test_supported_living_levels),
		cmocka_unit_test(test_leap_day_and_month_end_starts),
		cmocka_unit_test(test_every_medway_package),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_core_and_flexi),
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_home_alone),
		cmocka_unit_test(test_accrue_segments),
	};
	return cmocka_run_group_tests_name("alloc", tests, setup, teardown);
}
