/*
 * Unit tests for bacs.c: the Bacs character set and transliteration,
 * validation that names every offending payment, and the file's shape.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "phsg.h"
#include "phsg/bacs.h"

static void text_is(const char *in, size_t n, const char *want)
{
	char out[64];
	phsg_bacs_text(out, n, in);
	assert_int_equal(strlen(out), n);
	assert_string_equal(out, want);
}

static void test_text(void **state)
{
	(void)state;
	text_is("Jo Bloggs", 12, "JO BLOGGS   ");
	text_is("Ben O'Neill", 12, "BEN ONEILL  ");                 /* apostrophe dropped */
	text_is("Ben O\xe2\x80\x99Neill", 12, "BEN ONEILL  ");     /* typographic apostrophe */
	text_is("Homes & Hope Ltd.", 18, "HOMES & HOPE LTD. ");    /* & and . are allowed */
	text_is("Zo\xc3\xab M\xc3\xbcller-\xc3\x85str\xc3\xb6m", 18, "ZOE MULLER-ASTROM "); /* Zoë Müller-Åström */
	text_is("Stra\xc3\x9f" "e 1/2", 10, "STRASSE 1/");             /* ß -> SS, cut at 10 */
	text_is("\xc5\x81\xc3\xb3" "d\xc5\xba", 6, "LODZ  ");           /* Łódź (Latin Extended-A) */
	text_is("a;b,c\"d(e)", 12, "A B C D E   ");                /* other characters: blanks */
	text_is("  lots   of   space  ", 14, "LOTS OF SPACE ");      /* folded and trimmed */
	text_is("\xe4\xb8\xad\xe6\x96\x87 name", 8, "NAME    ");      /* other scripts: not passed through */
	text_is("", 4, "    ");
}

static void test_validate(void **state)
{
	phsg_finance org = { 1, (char *)"123456", (char *)"COUNCIL", (char *)"401234", (char *)"12345678" };
	phsg_finance none = { 0 };
	phsg_bacs_credit c[] = {
		{ "401234", "12345678", "OK", "REF-OK", 100 },
		{ "40123", "12345678", "SHORT SORT", "REF-1", 100 },
		{ "401234", "1234567X", "BAD ACCOUNT", "REF-2", 100 },
		{ "401234", "12345678", "ZERO", "REF-3", 0 },
	};
	(void)state;
	assert_int_equal(phsg_bacs_validate(&org, c, 1), 0);
	assert_int_equal(phsg_bacs_validate(&org, c, 4), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "3 payments cannot be paid by Bacs"));
	assert_non_null(strstr(phsg_error_last(), "REF-1 (sort code is not 6 digits)"));
	assert_non_null(strstr(phsg_error_last(), "REF-2 (account number is not 8 digits)"));
	assert_non_null(strstr(phsg_error_last(), "REF-3 (amount is not between"));
	assert_null(strstr(phsg_error_last(), "REF-OK"));
	assert_int_equal(phsg_bacs_validate(&none, c, 1), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "no finance group"));
}

static void test_file(void **state)
{
	phsg_finance org = { 1, (char *)"123456", (char *)"Medway Council", (char *)"401234", (char *)"12345678" };
	phsg_bacs_credit c[] = {
		{ "200000", "11112222", "A", "R1", 1 },
		{ "200000", "33334444", "B", "R2", 1234567 },
	};
	phsg_date d;
	char *buf = NULL, line[128];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n = 0;
	(void)state;
	assert_non_null(f);
	assert_int_equal(phsg_date_parse(&d, "2024-12-31"), 0);
	assert_int_equal(phsg_bacs_write(f, &org, 7, d, d, c, 2), 0);
	fclose(f);
	/* 4 labels + 2 credits + contra + 3 labels; 2024 is a leap year: day 366 */
	for (char *p = buf; *p; n++) {
		char *e = strstr(p, "\r\n");
		assert_non_null(e);
		memcpy(line, p, (size_t)(e - p));
		line[e - p] = '\0';
		assert_int_equal(strlen(line), n >= 4 && n <= 6 ? 100 : 80);
		if (n == 3)
			assert_memory_equal(line, "UHL1 24366", 10);
		if (n == 6) /* contra: code 17, total 1234568 pence */
			assert_memory_equal(line, "401234" "12345678" "0" "17" "401234" "12345678" "    "
					    "00001234568" "MEDWAY COUNCIL    " "CONTRA", 70);
		if (n == 9)
			assert_memory_equal(line, "UTL1000000123456800000012345680000001" "0000002", 44);
		p = e + 2;
	}
	assert_int_equal(n, 10);
	free(buf);
}

/*
 * The split into parts (SPEC section 17), in the credits' order: a part
 * takes credits while its total stays within 99,999,999,999 pence.
 * 60e9 + 39,999,999,999 = 99,999,999,999 exactly fits part 1; the next
 * penny starts part 2; an amount no file holds counts in no part.
 */
static void test_split(void **state)
{
	phsg_bacs_split s = PHSG_BACS_SPLIT_INIT;

	(void)state;
	assert_int_equal(phsg_bacs_split_next(&s, 60000000000LL), 1);
	assert_int_equal(phsg_bacs_split_next(&s, 39999999999LL), 1);
	assert_int_equal(s.total, 99999999999LL);
	assert_int_equal(phsg_bacs_split_next(&s, 1), 2);
	assert_int_equal(phsg_bacs_split_next(&s, 0), 2);
	assert_int_equal(phsg_bacs_split_next(&s, 100000000000LL), 2);
	assert_int_equal(s.n, 1);
	assert_int_equal(phsg_bacs_split_next(&s, 99999999999LL), 3);
	assert_int_equal(phsg_bacs_split_next(&s, 1), 4);
	/* the count: 9,999,999 credits fill a part */
	s = (phsg_bacs_split)PHSG_BACS_SPLIT_INIT;
	s.n = PHSG_BACS_MAX_CREDITS - 1;
	assert_int_equal(phsg_bacs_split_next(&s, 1), 1);
	assert_int_equal(phsg_bacs_split_next(&s, 1), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_split),
	};
	return cmocka_run_group_tests_name("bacs", tests, NULL, NULL);
}
