/*
 * Unit tests for money.c: exact parsing, the three rounding rules (exact
 * halves after odd and even digits, negatives, residues), and formatting.
 * Every expected figure is worked by hand in the comment beside it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "phsg.h"

static void assert_parses(const char *text, unsigned flags, long num, unsigned long den)
{
	mpq_t q, want;
	mpq_inits(q, want, NULL);
	assert_int_equal(phsg_money_parse(q, text, flags), 0);
	mpq_set_si(want, num, den);
	mpq_canonicalize(want);
	assert_true(mpq_equal(q, want));
	mpq_clears(q, want, NULL);
}

static void assert_rejects(const char *text, unsigned flags)
{
	mpq_t q;
	mpq_init(q);
	assert_int_equal(phsg_money_parse(q, text, flags), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), text[0] ? text : "''"));
	mpq_clear(q);
}

static void test_parse_exact(void **state)
{
	(void)state;
	assert_parses("16.50", 0, 33, 2);      /* 1650/100 */
	assert_parses("7.5", 0, 15, 2);
	assert_parses("0.25", 0, 1, 4);
	assert_parses("0", 0, 0, 1);
	assert_parses("21.40", 0, 107, 5);     /* 2140/100 */
	assert_parses("0.10", PHSG_MONEY_PENCE, 1, 10);
	assert_parses("-3.25", PHSG_MONEY_NEGATIVE, -13, 4);
	/* 0.1 has no binary float form; as a decimal it is exactly 1/10 */
	assert_parses("0.1", 0, 1, 10);
}

static void test_parse_rejects(void **state)
{
	(void)state;
	assert_rejects("", 0);
	assert_rejects("1e3", 0);
	assert_rejects("1.5e2", 0);
	assert_rejects("1.2.3", 0);
	assert_rejects(".5", 0);
	assert_rejects("5.", 0);
	assert_rejects("+1", 0);
	assert_rejects(" 1", 0);
	assert_rejects("1 ", 0);
	assert_rejects("-1", 0);               /* negative not allowed here */
	assert_rejects("1,000", 0);
	assert_rejects("abc", 0);
	assert_rejects("0x10", 0);
	assert_rejects("--1", PHSG_MONEY_NEGATIVE);
	assert_rejects("1.234", PHSG_MONEY_PENCE); /* more than two places */
}

/*
 * round(num/den) in pence by mode, worked twice: as it is (small enough for
 * machine words) and moved 2^80 away from zero (GMP's numbers), which must
 * round the same apart from the 100 x 2^80 pence added.
 */
static long rounded(long num, unsigned long den, phsg_rounding mode)
{
	mpq_t x, far;
	mpz_t p, q;
	long r;
	mpq_inits(x, far, NULL);
	mpz_inits(p, q, NULL);
	mpq_set_si(x, num, den);
	mpq_canonicalize(x);
	phsg_money_round_pence(p, NULL, x, mode);
	r = mpz_get_si(p);
	assert_true(mpz_fits_slong_p(p));
	/* far = x + 2^80 (or x - 2^80 when x < 0), so the part past the penny is x's */
	mpz_ui_pow_ui(q, 2, 80);
	if (mpq_sgn(x) < 0)
		mpz_neg(q, q);
	mpq_set_z(far, q);
	mpq_add(far, far, x);
	phsg_money_round_pence(p, NULL, far, mode);
	mpz_submul_ui(p, q, 100);
	assert_true(mpz_cmp_si(p, r) == 0);
	mpq_clears(x, far, NULL);
	mpz_clears(p, q, NULL);
	return r;
}

static void test_round_half_up(void **state)
{
	(void)state;
	/* exact halves of a penny: 0.005 = 5/1000 */
	assert_int_equal(rounded(5, 1000, PHSG_ROUND_HALF_UP), 1);    /* 0.005 -> 0.01 (even digit before) */
	assert_int_equal(rounded(15, 1000, PHSG_ROUND_HALF_UP), 2);   /* 0.015 -> 0.02 (odd digit before) */
	assert_int_equal(rounded(25, 1000, PHSG_ROUND_HALF_UP), 3);   /* 0.025 -> 0.03 */
	assert_int_equal(rounded(-5, 1000, PHSG_ROUND_HALF_UP), -1);  /* away from zero */
	assert_int_equal(rounded(-25, 1000, PHSG_ROUND_HALF_UP), -3);
	assert_int_equal(rounded(4999, 1000000, PHSG_ROUND_HALF_UP), 0); /* 0.004999 */
	assert_int_equal(rounded(2, 3, PHSG_ROUND_HALF_UP), 67);      /* 0.666.. */
	assert_int_equal(rounded(1, 3, PHSG_ROUND_HALF_UP), 33);
	assert_int_equal(rounded(-2, 3, PHSG_ROUND_HALF_UP), -67);
	assert_int_equal(rounded(1234, 100, PHSG_ROUND_HALF_UP), 1234); /* already pence */
	/* the largest numerator rounded in machine words, and the next: N = (2^63 - 1) / 100
	 * = 92233720368547758; 100N/3 = 3074457345618258600 exactly; 100(N + 1)/3 =
	 * 9223372036854775900/3 = 3074457345618258633.33.. */
	assert_true(rounded(92233720368547758L, 3, PHSG_ROUND_HALF_UP) == 3074457345618258600L);
	assert_true(rounded(92233720368547759L, 3, PHSG_ROUND_HALF_UP) == 3074457345618258633L);
	assert_true(rounded(-92233720368547759L, 3, PHSG_ROUND_HALF_UP) == -3074457345618258633L);
}

static void test_round_half_even(void **state)
{
	(void)state;
	assert_int_equal(rounded(5, 1000, PHSG_ROUND_HALF_EVEN), 0);   /* 0.005 -> 0.00: 0 is even */
	assert_int_equal(rounded(15, 1000, PHSG_ROUND_HALF_EVEN), 2);  /* 0.015 -> 0.02: 1 is odd */
	assert_int_equal(rounded(25, 1000, PHSG_ROUND_HALF_EVEN), 2);  /* 0.025 -> 0.02: 2 is even */
	assert_int_equal(rounded(35, 1000, PHSG_ROUND_HALF_EVEN), 4);  /* 0.035 -> 0.04 */
	assert_int_equal(rounded(-25, 1000, PHSG_ROUND_HALF_EVEN), -2);
	assert_int_equal(rounded(-15, 1000, PHSG_ROUND_HALF_EVEN), -2);
	assert_int_equal(rounded(251, 10000, PHSG_ROUND_HALF_EVEN), 3); /* 0.0251: above half */
	assert_int_equal(rounded(2, 3, PHSG_ROUND_HALF_EVEN), 67);
}

static void test_round_down(void **state)
{
	(void)state;
	assert_int_equal(rounded(19, 1000, PHSG_ROUND_DOWN), 1);     /* 0.019 -> 0.01 */
	assert_int_equal(rounded(-19, 1000, PHSG_ROUND_DOWN), -1);   /* towards zero */
	assert_int_equal(rounded(5, 1000, PHSG_ROUND_DOWN), 0);
	assert_int_equal(rounded(2, 3, PHSG_ROUND_DOWN), 66);
}

static void test_residue(void **state)
{
	mpq_t x, res, want;
	mpz_t p;
	(void)state;
	mpq_inits(x, res, want, NULL);
	mpz_init(p);
	/* 2/3 rounds to 0.67; residue 2/3 - 67/100 = (200 - 201)/300 = -1/300 */
	mpq_set_ui(x, 2, 3);
	phsg_money_round_pence(p, res, x, PHSG_ROUND_HALF_UP);
	assert_int_equal(mpz_get_si(p), 67);
	mpq_set_si(want, -1, 300);
	assert_true(mpq_equal(res, want));
	/* with down: 0.66, residue 2/3 - 66/100 = (200 - 198)/300 = 1/150 */
	phsg_money_round_pence(p, res, x, PHSG_ROUND_DOWN);
	mpq_set_si(want, 1, 150);
	assert_true(mpq_equal(res, want));
	/* money variant gives pounds: 67/100 */
	phsg_money_round(x, NULL, x, PHSG_ROUND_HALF_UP);
	mpq_set_si(want, 67, 100);
	assert_true(mpq_equal(x, want));
	mpq_clears(x, res, want, NULL);
	mpz_clear(p);
}

/* The published council figure: £150.00 a week for 31 days = £664.29. */
static void test_published_150_for_31_days(void **state)
{
	mpq_t x;
	mpz_t p;
	char buf[PHSG_NUM_BUF];
	(void)state;
	mpq_init(x);
	mpz_init(p);
	assert_int_equal(phsg_money_parse(x, "150.00", 0), 0);
	mpq_t days;
	mpq_init(days);
	mpq_set_ui(days, 31, 7);
	mpq_mul(x, x, days);               /* 150 x 31 / 7 = 4650/7 = 664.2857... */
	phsg_money_round_pence(p, NULL, x, PHSG_ROUND_HALF_UP);
	phsg_money_format_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, "664.29");
	mpq_clears(x, days, NULL);
	mpz_clear(p);
}

static void assert_format(long num, unsigned long den, int places, const char *want)
{
	mpq_t x;
	char buf[PHSG_NUM_BUF];
	mpq_init(x);
	mpq_set_si(x, num, den);
	mpq_canonicalize(x);
	assert_int_equal(phsg_money_format(buf, sizeof(buf), x, places), 0);
	assert_string_equal(buf, want);
	mpq_clear(x);
}

static void test_format(void **state)
{
	mpz_t p;
	char buf[PHSG_NUM_BUF];
	(void)state;
	assert_format(627, 1, 2, "627.00");
	assert_format(19, 2, 0, "9.5");
	assert_format(10, 3, 0, "10/3");      /* no finite decimal form */
	assert_format(-1, 20, 2, "-0.05");
	assert_format(1, 1024, 0, "0.0009765625");
	assert_format(0, 1, 0, "0");
	assert_format(0, 1, 2, "0.00");
	assert_format(1, 8, 2, "0.125");      /* exact, more places than the minimum */
	mpz_init_set_si(p, 119840);
	phsg_money_pretty_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, "\xc2\xa3" "1,198.40");
	mpz_set_si(p, -5);
	phsg_money_pretty_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, "-\xc2\xa3" "0.05");
	mpz_set_si(p, 123456789);
	phsg_money_pretty_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, "\xc2\xa3" "1,234,567.89");
	mpz_set_si(p, 1);
	phsg_money_format_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, "0.01");
	/* a buffer too small is an error, not an overflow */
	assert_int_equal(phsg_money_format_pence(buf, 3, p), PHSG_EINVAL);
	mpz_clear(p);
}

static void assert_exact_pretty(long num, unsigned long den, int cut, const char *want)
{
	mpq_t x;
	char buf[PHSG_NUM_BUF];
	mpq_init(x);
	mpq_set_si(x, num, den);
	mpq_canonicalize(x);
	assert_int_equal(phsg_money_pretty(buf, sizeof(buf), x, cut), 0);
	assert_string_equal(buf, want);
	mpq_clear(x);
}

/* Exact money for people: every decimal it has, or cut and marked "...". */
static void test_money_pretty(void **state)
{
	mpq_t x;
	char buf[8];
	(void)state;
	/* half an hour at 21.45 = 10.725 = 429/40: three places, kept */
	assert_exact_pretty(429, 40, 3, "\xc2\xa3" "10.725");
	/* 1234.5 = 2469/2: at least two places, thousands separated */
	assert_exact_pretty(2469, 2, 3, "\xc2\xa3" "1,234.50");
	/* 1,234,567.125 = 9876537/8 */
	assert_exact_pretty(9876537, 8, 3, "\xc2\xa3" "1,234,567.125");
	assert_exact_pretty(0, 1, 3, "\xc2\xa3" "0.00");
	assert_exact_pretty(-5, 100, 3, "-\xc2\xa3" "0.05");
	/* 183 days at 33.00 a week: 6039 / 7 = 862.714285...: cut after 3 places */
	assert_exact_pretty(6039, 7, 3, "\xc2\xa3" "862.714...");
	/* 29493.40 / 7 = 294934 / 70 = 4213.342857... */
	assert_exact_pretty(294934, 70, 3, "\xc2\xa3" "4,213.342...");
	/* cut towards zero, never rounded: 2/3 = 0.666... -> 0.66... with 2 places */
	assert_exact_pretty(2, 3, 2, "\xc2\xa3" "0.66...");
	assert_exact_pretty(-1, 3, 3, "-\xc2\xa3" "0.333...");
	/* fewer than two places asked for: two */
	assert_exact_pretty(1, 3, 0, "\xc2\xa3" "0.33...");
	/* a buffer too small is an error, not an overflow */
	mpq_init(x);
	mpq_set_ui(x, 6039, 7);
	assert_int_equal(phsg_money_pretty(buf, sizeof(buf), x, 3), PHSG_EINVAL);
	mpq_set_ui(x, 123456, 1);
	assert_int_equal(phsg_money_pretty(buf, sizeof(buf), x, 3), PHSG_EINVAL);
	mpq_clear(x);
}

static void test_rounding_names(void **state)
{
	phsg_rounding m = PHSG_ROUND_INVALID;
	(void)state;
	assert_int_equal(phsg_money_rounding_parse(&m, "half-even"), 0);
	assert_int_equal(m, PHSG_ROUND_HALF_EVEN);
	assert_string_equal(phsg_money_rounding_name(PHSG_ROUND_DOWN), "down");
	assert_int_equal(phsg_money_rounding_parse(&m, "bankers"), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "bankers"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_exact),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_round_half_up),
		cmocka_unit_test(test_round_half_even),
		cmocka_unit_test(test_round_down),
		cmocka_unit_test(test_residue),
		cmocka_unit_test(test_published_150_for_31_days),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_money_pretty),
		cmocka_unit_test(test_rounding_names),
	};
	return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
