/*
 * Unit tests for date.c: strict ISO parsing, day counts, months with
 * end-of-month clipping, weekdays and financial years.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "phsg.h"

static phsg_date D(const char *s)
{
	phsg_date d = 0;
	assert_int_equal(phsg_date_parse(&d, s), 0);
	return d;
}

static void assert_date(phsg_date d, const char *want)
{
	char buf[PHSG_DATE_BUF];
	phsg_date_format(buf, d);
	assert_string_equal(buf, want);
}

static void test_parse(void **state)
{
	phsg_date d;
	(void)state;
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("1970-01-02"), 1);
	assert_int_equal(D("1969-12-31"), -1);
	assert_date(D("2024-02-29"), "2024-02-29");        /* a leap day */
	assert_int_equal(phsg_date_parse(&d, "2026-02-30"), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "2026-02-30"));
	assert_int_equal(phsg_date_parse(&d, "2025-02-29"), PHSG_EINVAL); /* not a leap year */
	assert_int_equal(phsg_date_parse(&d, "1900-02-29"), PHSG_EINVAL); /* century, not leap */
	assert_int_equal(D("2000-02-29") - D("2000-02-28"), 1);          /* 400-year leap */
	assert_int_equal(phsg_date_parse(&d, "2026-13-01"), PHSG_EINVAL);
	assert_int_equal(phsg_date_parse(&d, "2026-00-10"), PHSG_EINVAL);
	assert_int_equal(phsg_date_parse(&d, "2026-04-31"), PHSG_EINVAL);
	assert_int_equal(phsg_date_parse(&d, "2026-4-06"), PHSG_EINVAL);
	assert_int_equal(phsg_date_parse(&d, "2026-04-06x"), PHSG_EINVAL);
	assert_int_equal(phsg_date_parse(&d, "06/04/2026"), PHSG_EINVAL);
	assert_int_equal(phsg_date_parse(&d, ""), PHSG_EINVAL);
	assert_int_equal(phsg_date_parse(&d, "0000-01-01"), PHSG_EINVAL);
}

static void test_round_trip(void **state)
{
	(void)state;
	/* every day from 1999 to 2040 formats and parses back to itself, and
	 * consecutive days differ by one */
	phsg_date first = D("1999-01-01"), last = D("2040-12-31");
	for (phsg_date d = first; d <= last; d++) {
		char buf[PHSG_DATE_BUF];
		phsg_date back;
		phsg_date_format(buf, d);
		assert_int_equal(phsg_date_parse(&back, buf), 0);
		assert_int_equal(back, d);
	}
	/* 42 years including 11 leap days (2000, 2004, ..., 2040) */
	assert_int_equal(last - first + 1, 42 * 365 + 11);
}

static void test_day_counts(void **state)
{
	(void)state;
	assert_int_equal(D("2027-04-06") - D("2026-04-06"), 365);
	assert_int_equal(D("2028-04-06") - D("2027-04-06"), 366); /* spans 29 Feb 2028 */
	assert_int_equal(D("2024-04-01") - D("2023-10-01"), 183); /* 31+30+31+31+29+31 */
}

static void test_add_months(void **state)
{
	(void)state;
	assert_date(phsg_date_add_months(D("2026-01-31"), 1), "2026-02-28");
	assert_date(phsg_date_add_months(D("2024-01-31"), 1), "2024-02-29");
	assert_date(phsg_date_add_months(D("2024-02-29"), 12), "2025-02-28");
	assert_date(phsg_date_add_months(D("2024-02-29"), 48), "2028-02-29");
	assert_date(phsg_date_add_months(D("2026-03-31"), -1), "2026-02-28");
	assert_date(phsg_date_add_months(D("2026-08-31"), 1), "2026-09-30");
	assert_date(phsg_date_add_months(D("2026-11-30"), 3), "2027-02-28");
	assert_date(phsg_date_add_months(D("2026-04-06"), 60), "2031-04-06");
	assert_date(phsg_date_add_months(D("2026-12-15"), 1), "2027-01-15");
	assert_date(phsg_date_add_months(D("2026-01-15"), -1), "2025-12-15");
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(phsg_date_weekday(D("2011-04-04")), 0); /* a Monday */
	assert_int_equal(phsg_date_weekday(D("2026-11-24")), 1); /* a Tuesday */
	assert_int_equal(phsg_date_weekday(D("2026-12-25")), 4); /* a Friday */
	assert_int_equal(phsg_date_weekday(D("1969-12-28")), 6); /* a Sunday, before the epoch */
}

static void test_financial_year(void **state)
{
	char fy[8];
	(void)state;
	phsg_date_fy_name(fy, D("2026-03-31"));
	assert_string_equal(fy, "2025-26");
	phsg_date_fy_name(fy, D("2026-04-01"));
	assert_string_equal(fy, "2026-27");
	phsg_date_fy_name(fy, D("1999-12-01"));
	assert_string_equal(fy, "1999-00");
	assert_date(phsg_date_fy_start(D("2027-02-14")), "2026-04-01");
	assert_date(phsg_date_fy_start(D("2026-04-01")), "2026-04-01");
}

static void test_floor_div(void **state)
{
	(void)state;
	assert_int_equal(phsg_date_floor_div(27, 28), 0);
	assert_int_equal(phsg_date_floor_div(28, 28), 1);
	assert_int_equal(phsg_date_floor_div(-1, 28), -1);
	assert_int_equal(phsg_date_floor_div(-28, 28), -1);
	assert_int_equal(phsg_date_floor_div(-29, 28), -2);
}

/* "2026-27" names the year from 1 April 2026 (SPEC section 1); 2027-28 has 29 Feb 2028. */
static void test_financial_year_names(void **state)
{
	int y = 0;
	(void)state;
	assert_int_equal(phsg_date_fy_parse(&y, "2026-27"), 0);
	assert_int_equal(y, 2026);
	assert_int_equal(phsg_date_fy_parse(&y, "1999-00"), 0);
	assert_int_equal(y, 1999);
	assert_int_equal(phsg_date_fy_parse(&y, "2026-28"), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_parse(&y, "2026/27"), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_parse(&y, "26-27"), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_parse(&y, "2026-2027"), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_parse(&y, "2026-27 "), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_parse(&y, ""), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_parse(&y, "1899-00"), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_parse(&y, "9999-00"), PHSG_EINVAL);
	assert_int_equal(phsg_date_fy_days(2026), 365);
	assert_int_equal(phsg_date_fy_days(2027), 366);  /* 29 February 2028 */
	assert_int_equal(phsg_date_fy_days(2099), 365);  /* 2100 is not a leap year */
	assert_int_equal(phsg_date_fy_days(1999), 366);  /* 2000 is */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_financial_year_names),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_day_counts),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_financial_year),
		cmocka_unit_test(test_floor_div),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
