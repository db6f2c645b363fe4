/*
 * Unit tests for scenario.c: exact costs per financial year, and the
 * accumulators' overflow into GMP integers.
 *
 * The scheme: one package with a fixed component of 1,000,000.00 a week,
 * the most a scheme amount may be (SPEC section 12): a row adds days x
 * 10^12 millionths of a pound.  30,000 rows from 2025-04-01 to 2028-04-01
 * add 30,000 x 366 x 10^12 = 1.098 x 10^19 to one accumulator in 2027-28,
 * more than a signed 64-bit integer holds (9.22 x 10^18): the flush must
 * keep every unit.
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
#include "phsg/scenario.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif

static char dir[] = "/tmp/phsg-scenario-test-XXXXXX";
static char scheme_path[256], csv_path[256];
static phsg_scheme *sc;

static int setup(void **state)
{
	FILE *f;
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(scheme_path, sizeof(scheme_path), "%s/huge.cfg", dir);
	snprintf(csv_path, sizeof(csv_path), "%s/caseload.csv", dir);
	f = fopen(scheme_path, "w");
	if (!f)
		return -1;
	fprintf(f,
		"scheme = \"Huge\"; currency = \"GBP\"; rounding = \"half-up\";\n"
		"calendar = { anchor = \"2011-04-04\"; lead_days = 0; roll = \"previous\";\n"
		"  bank_holidays = \"%s/bank-holidays-england-wales.cfg\"; };\n"
		"rates = ( { from = \"2011-04-01\"; hourly = \"20.00\"; } );\n"
		"interventions = ( { id = \"basic\"; name = \"Basic\";\n"
		"  hours = { high = \"4\"; medium = \"2\"; low = \"1\"; }; } );\n"
		"packages = ( { id = \"p\"; name = \"P\";\n"
		"  period_months = 36; extendable_to_months = 36;\n"
		"  components = ( { id = \"big\"; kind = \"fixed\"; weekly = \"1000000.00\"; } ); } );\n"
		"payment_methods = [ \"direct\" ];\n", PHSG_CONFIG_DIR);
	fclose(f);
	if (phsg_scheme_load(&sc, scheme_path))
		return -1;
	f = fopen(csv_path, "w");
	if (!f)
		return -1;
	fputs("client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end\n", f);
	for (int i = 0; i < 30000; i++)
		fprintf(f, "C%d,p,,,,,,,,2025-04-01,2028-04-01\n", i);
	/* line 30002: left out (no such package) */
	fputs("BAD,nope,,,,,,,,2025-04-01,\n", f);
	fclose(f);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	phsg_scheme_free(sc);
	unlink(scheme_path);
	unlink(csv_path);
	rmdir(dir);
	return 0;
}

static phsg_date D(const char *s)
{
	phsg_date d = 0;
	assert_int_equal(phsg_date_parse(&d, s), 0);
	return d;
}

static long bad_line;
static void on_bad(void *ctx, long line, const char *why)
{
	(void)ctx;
	(void)why;
	bad_line = line;
}

static void test_overflow_kept_exact(void **state)
{
	phsg_scenario_model *m = NULL;
	const phsg_scenario_result *r;
	size_t n;
	mpq_t want, budget;
	FILE *f = fopen(csv_path, "rb");
	static const int days[3] = { 365, 365, 366 }; /* 2025-26, 2026-27, 2027-28 (29 Feb 2028) */
	(void)state;
	assert_non_null(f);
	mpq_inits(want, budget, NULL);
	mpq_set_ui(budget, 1, 1);
	assert_int_equal(phsg_scenario_new(&m, D("2025-04-01"), D("2028-04-01")), 0);
	assert_int_equal(phsg_scenario_set_budgets(m, budget, NULL, 0), 0);
	assert_int_equal(phsg_scenario_add(m, "big", sc), 0);
	assert_int_equal(phsg_scenario_read(m, f, csv_path, on_bad, NULL), 0);
	fclose(f);
	assert_int_equal(phsg_scenario_rows_used(m), 30000);
	assert_int_equal(phsg_scenario_rows_left_out(m), 1);
	assert_int_equal(bad_line, 30002);
	assert_int_equal(phsg_scenario_results(&r, &n, m), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].n_years, 3);
	for (int y = 0; y < 3; y++) {
		/* cost = 30000 rows x days x 1,000,000.00 a week / 7 */
		mpq_set_ui(want, 30000UL * (unsigned long)days[y], 7);
		mpq_canonicalize(want);
		mpq_t t;
		mpq_init(t);
		mpq_set_ui(t, 1000000UL, 1);
		mpq_mul(want, want, t);
		assert_true(mpq_equal(r[0].years[y].cost, want));
		/* no hours: a fixed amount does not depend on the rate */
		assert_int_equal(mpq_sgn(r[0].years[y].hours), 0);
		assert_int_equal(r[0].years[y].people, 30000);
		/* no hours: no rate makes the cost meet the budget */
		assert_false(r[0].years[y].has_break_even);
		mpq_clear(t);
	}
	assert_string_equal(r[0].years[2].name, "2027-28");
	mpq_clears(want, budget, NULL);
	phsg_scenario_free(m);
}

static void test_refusals(void **state)
{
	phsg_scenario_model *m = NULL;
	(void)state;
	assert_int_equal(phsg_scenario_new(&m, D("2026-04-01"), D("2026-04-01")), PHSG_EINVAL);
	assert_null(m);
	assert_int_equal(phsg_scenario_new(&m, D("2026-04-01"), D("2027-04-01")), 0);
	assert_int_equal(phsg_scenario_read(m, stdin, "x", NULL, NULL), PHSG_EINVAL); /* no scenario */
	phsg_scenario_free(m);
}

/*
 * A part year's budget (SPEC section 13), rounded once by the scheme's own
 * rule: 2028-04-01 to 2028-10-01 is 183 of the 365 days of 2028-29, so a
 * budget of 4000.00 is 4000 x 183 / 365 = 2005.479452...: 2005.47 rounded
 * down (this scheme), 2005.48 half up.  An empty caseload costs nothing:
 * the headroom is the whole budget, and with no hours there is no
 * break-even rate.
 */
static void test_part_year_budget(void **state)
{
	char p[300], c[300];
	phsg_scheme *down = NULL;
	phsg_scenario_model *m = NULL;
	const phsg_scenario_result *r;
	size_t n;
	FILE *f;
	phsg_budget b[2];
	mpq_t every;
	(void)state;
	snprintf(p, sizeof(p), "%s/down.cfg", dir);
	snprintf(c, sizeof(c), "%s/empty.csv", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f,
		"scheme = \"Down\"; currency = \"GBP\"; rounding = \"down\";\n"
		"calendar = { anchor = \"2011-04-04\"; lead_days = 0; roll = \"previous\";\n"
		"  bank_holidays = \"%s/bank-holidays-england-wales.cfg\"; };\n"
		"rates = ( { from = \"2011-04-01\"; hourly = \"20.00\"; } );\n"
		"interventions = ( { id = \"basic\"; name = \"Basic\";\n"
		"  hours = { high = \"4\"; medium = \"2\"; low = \"1\"; }; } );\n"
		"packages = ( { id = \"p\"; name = \"P\"; interventions = [ \"basic\" ];\n"
		"  period_months = 12; extendable_to_months = 12; } );\n"
		"payment_methods = [ \"direct\" ];\n"
		"budgets = { y2028 = \"4000.00\"; y2027 = \"1.00\"; };\n", PHSG_CONFIG_DIR);
	fclose(f);
	f = fopen(c, "w");
	assert_non_null(f);
	fputs("client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end\n", f);
	fclose(f);
	assert_int_equal(phsg_scheme_load(&down, p), 0);

	/* the scheme's own budget */
	assert_int_equal(phsg_scenario_new(&m, D("2028-04-01"), D("2028-10-01")), 0);
	assert_int_equal(phsg_scenario_add(m, "down", down), 0);
	f = fopen(c, "rb");
	assert_int_equal(phsg_scenario_read(m, f, c, NULL, NULL), 0);
	fclose(f);
	assert_int_equal(phsg_scenario_results(&r, &n, m), 0);
	assert_int_equal(r[0].n_years, 1);
	assert_true(r[0].budgets_from_scheme);
	assert_int_equal(r[0].years[0].days, 183);
	assert_int_equal(r[0].years[0].days_in_year, 365);
	assert_true(r[0].years[0].has_budget);
	assert_true(r[0].years[0].budget_prorated);
	assert_int_equal(mpz_get_si(r[0].years[0].budget_pence), 200547);
	assert_int_equal(mpz_get_si(r[0].years[0].headroom_pence), 200547);
	assert_false(r[0].years[0].has_break_even);
	phsg_scenario_free(m);

	/* budgets set for all: only 2027-28 named, so 2028-29 has none */
	mpq_inits(b[0].amount, b[1].amount, every, NULL);
	b[0].year = 2027;
	mpq_set_ui(b[0].amount, 5, 1);
	assert_int_equal(phsg_scenario_new(&m, D("2028-04-01"), D("2028-10-01")), 0);
	assert_int_equal(phsg_scenario_set_budgets(m, NULL, b, 1), 0);
	assert_int_equal(phsg_scenario_add(m, "down", down), 0);
	f = fopen(c, "rb");
	assert_int_equal(phsg_scenario_read(m, f, c, NULL, NULL), 0);
	fclose(f);
	assert_int_equal(phsg_scenario_results(&r, &n, m), 0);
	assert_false(r[0].budgets_from_scheme);
	assert_false(r[0].years[0].has_budget);
	/* refused: a year twice, a negative amount, a fraction of a penny, over the largest */
	b[1].year = 2027;
	assert_int_equal(phsg_scenario_set_budgets(m, NULL, b, 2), PHSG_EINVAL);
	mpq_set_si(every, -1, 1);
	assert_int_equal(phsg_scenario_set_budgets(m, every, NULL, 0), PHSG_EINVAL);
	mpq_set_ui(every, 1, 1000);
	assert_int_equal(phsg_scenario_set_budgets(m, every, NULL, 0), PHSG_EINVAL);
	mpq_set_str(every, "100000000000000/100", 10);
	assert_int_equal(phsg_scenario_set_budgets(m, every, NULL, 0), PHSG_EINVAL);
	phsg_scenario_free(m);
	mpq_clears(b[0].amount, b[1].amount, every, NULL);
	phsg_scheme_free(down);
	unlink(p);
	unlink(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overflow_kept_exact),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_part_year_budget),
	};
	return cmocka_run_group_tests_name("scenario", tests, setup, teardown);
}
