/*
 * Unit tests for text.c: UTF-8, names, references (SPEC section 12) and the
 * spreadsheet guard on CSV cells.  Each byte sequence is written out with
 * the code point it encodes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "phsg.h"

static void test_utf8(void **state)
{
	(void)state;
	assert_true(phsg_text_utf8_valid("plain", 5));
	assert_true(phsg_text_utf8_valid("\xc2\x80", 2));         /* U+0080, the least 2-byte */
	assert_true(phsg_text_utf8_valid("\xe0\xa0\x80", 3));     /* U+0800, the least 3-byte */
	assert_true(phsg_text_utf8_valid("\xf0\x90\x80\x80", 4)); /* U+10000, the least 4-byte */
	assert_true(phsg_text_utf8_valid("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF, the last */
	assert_true(phsg_text_utf8_valid("\xc3\xa9t\xc3\xa9", 5)); /* "été" */
	assert_false(phsg_text_utf8_valid("\xc1\xbf", 2));        /* U+007F written in 2 bytes */
	assert_false(phsg_text_utf8_valid("\xe0\x9f\xbf", 3));    /* U+07FF in 3: overlong */
	assert_false(phsg_text_utf8_valid("\xf0\x8f\xbf\xbf", 4)); /* U+FFFF in 4: overlong */
	assert_false(phsg_text_utf8_valid("\xed\xa0\x80", 3));    /* U+D800, a surrogate */
	assert_false(phsg_text_utf8_valid("\xf4\x90\x80\x80", 4)); /* U+110000, past the last */
	assert_false(phsg_text_utf8_valid("\xc3", 1));            /* cut short */
	assert_false(phsg_text_utf8_valid("\xc3(", 2));           /* not a continuation byte */
	assert_false(phsg_text_utf8_valid("\xff", 1));
	assert_false(phsg_text_utf8_valid("\0abc", 4));            /* a NUL, first */
	assert_false(phsg_text_utf8_valid("abc\0", 4));            /* a NUL, last */
	/* longer text is read eight bytes at a time while it is ASCII: each byte still counts */
	assert_true(phsg_text_utf8_valid("acquiring-independence", 22));
	assert_true(phsg_text_utf8_valid("supported-living \xc3\xa9t\xc3\xa9", 22));
	assert_false(phsg_text_utf8_valid("abcdefghijklm\0op", 16));   /* a NUL in the second eight */
	assert_false(phsg_text_utf8_valid("abcdefg\0ijklmnop", 16));   /* the last of the first */
	assert_false(phsg_text_utf8_valid("abcdefghijklmno\xff", 16)); /* a bad byte, last */
	assert_false(phsg_text_utf8_valid("abcdefgh\xc3(jklmno", 16)); /* one after the first eight */
	assert_false(phsg_text_utf8_valid("abcdefghijklmnopqr\0", 19)); /* in the bytes after */
	/* a sequence cut by the length, after the first eight, is cut even when the bytes go on */
	assert_false(phsg_text_utf8_valid("abcdefghi\xc3\xa9", 10));
	/* a continuation byte with no lead, after ASCII: 0x80, just past ASCII */
	assert_false(phsg_text_utf8_valid("ab\x80", 3));
}

static void test_names(void **state)
{
	char name[202];
	(void)state;
	assert_int_equal(phsg_text_check_name("the name", "Jo Bloggs", 100), 0);
	assert_int_equal(phsg_text_check_name("the name", "", 100), PHSG_EINVAL);
	assert_int_equal(phsg_text_check_name("the name", NULL, 100), PHSG_EINVAL);
	assert_int_equal(phsg_text_check_name("the name", "Jo\tB", 100), PHSG_EINVAL);
	assert_string_equal(phsg_error_last(),
			    "the name holds a control character (U+0009, character 3): not allowed");
	assert_int_equal(phsg_text_check_name("the name", "ab\x7f", 100), PHSG_EINVAL);  /* DEL */
	assert_int_equal(phsg_text_check_name("the name", "a\xc2\x85", 100), PHSG_EINVAL); /* U+0085, C1 */
	assert_int_equal(phsg_text_check_name("the name", "a\xc2\xa0z", 100), 0);  /* U+00A0 is printable */
	assert_int_equal(phsg_text_check_name("the name", "\xc3\xa9\xff", 100), PHSG_EINVAL);
	assert_string_equal(phsg_error_last(), "the name is not valid UTF-8 (byte 3)");
	/* 100 characters of two bytes each pass; 101 do not */
	for (int i = 0; i < 100; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[200] = '\0';
	assert_int_equal(phsg_text_check_name("the name", name, 100), 0);
	memcpy(name + 200, "x", 2);
	assert_int_equal(phsg_text_check_name("the name", name, 100), PHSG_EINVAL);
	assert_string_equal(phsg_error_last(), "the name is 101 characters long: at most 100");
}

static void test_refs(void **state)
{
	(void)state;
	assert_int_equal(phsg_text_check_ref("the payee reference", "P-HOMES/2.x_1"), 0);
	assert_int_equal(phsg_text_check_ref("the payee reference", "9"), 0);
	/* the ends of each range: A Z a z 0 9 */
	assert_int_equal(phsg_text_check_ref("the payee reference", "AZaz09"), 0);
	assert_int_equal(phsg_text_check_ref("the payee reference", "z"), 0);
	assert_int_equal(phsg_text_check_ref("the payee reference", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"), 0);
	assert_int_equal(phsg_text_check_ref("the payee reference", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"),
			 PHSG_EINVAL);
	assert_int_equal(phsg_text_check_ref("the payee reference", "-P"), PHSG_EINVAL);
	assert_int_equal(phsg_text_check_ref("the payee reference", "P 1"), PHSG_EINVAL);
	assert_string_equal(phsg_error_last(), "the payee reference 'P 1' is not a reference: 1 to 32 "
			    "characters from A-Z a-z 0-9 . _ - /, starting with a letter or a digit");
	/* text with a line break or a byte past ASCII is never quoted into the message */
	assert_int_equal(phsg_text_check_ref("the payee reference", "P1\nforged"), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "'(unprintable)'"));
	assert_int_equal(phsg_text_check_ref("the payee reference", "P\xc3\xa9"), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "'(unprintable)'"));
	assert_int_equal(phsg_text_check_ref("the payee reference", "\x7fP"), PHSG_EINVAL);
	assert_non_null(strstr(phsg_error_last(), "'(unprintable)'"));
	assert_int_equal(phsg_text_check_ref("the payee reference", ""), PHSG_EINVAL);
}

/* "KEY=VALUE": both sides needed, the key must fit. */
static void test_split_pair(void **state)
{
	const char *value = NULL;
	char key[8];

	(void)state;
	assert_int_equal(phsg_text_split_pair(key, sizeof(key), &value, "basic=low", "I=L"), 0);
	assert_string_equal(key, "basic");
	assert_string_equal(value, "low");
	/* "=" inside the value is the value's */
	assert_int_equal(phsg_text_split_pair(key, sizeof(key), &value, "a=b=c", "I=L"), 0);
	assert_string_equal(key, "a");
	assert_string_equal(value, "b=c");
	/* 7 bytes fit with the NUL in 8, 8 do not */
	assert_int_equal(phsg_text_split_pair(key, sizeof(key), &value, "1234567=x", "I=L"), 0);
	assert_int_equal(phsg_text_split_pair(key, sizeof(key), &value, "12345678=x", "I=L"),
			 PHSG_EINVAL);
	assert_string_equal(phsg_error_last(), "'12345678=x' is not I=L");
	assert_int_equal(phsg_text_split_pair(key, sizeof(key), &value, "=x", "I=L"), PHSG_EINVAL);
	assert_int_equal(phsg_text_split_pair(key, sizeof(key), &value, "x=", "I=L"), PHSG_EINVAL);
	assert_int_equal(phsg_text_split_pair(key, sizeof(key), &value, "x", "I=L"), PHSG_EINVAL);
}

static void test_csv_guard(void **state)
{
	(void)state;
	/* what a spreadsheet would run */
	assert_true(phsg_text_csv_needs_guard("=HYPERLINK(\"x\")"));
	assert_true(phsg_text_csv_needs_guard("@SUM(A1)"));
	assert_true(phsg_text_csv_needs_guard("+cmd"));
	assert_true(phsg_text_csv_needs_guard("-2+3"));
	assert_true(phsg_text_csv_needs_guard("\tx"));
	assert_true(phsg_text_csv_needs_guard("\rx"));
	assert_true(phsg_text_csv_needs_guard("-"));
	assert_true(phsg_text_csv_needs_guard("-.5"));
	assert_true(phsg_text_csv_needs_guard("-5."));
	assert_true(phsg_text_csv_needs_guard("-1a"));
	/* numbers are never prefixed, whatever their digits */
	assert_false(phsg_text_csv_needs_guard("-342.40"));
	assert_false(phsg_text_csv_needs_guard("-10"));
	assert_false(phsg_text_csv_needs_guard("-19"));
	assert_false(phsg_text_csv_needs_guard("+9"));
	assert_false(phsg_text_csv_needs_guard("-10/3"));
	assert_false(phsg_text_csv_needs_guard("-1.09"));          /* 0 and 9 after the point */
	/* and nothing else is */
	assert_false(phsg_text_csv_needs_guard("A000001"));
	assert_false(phsg_text_csv_needs_guard(""));
	assert_false(phsg_text_csv_needs_guard(NULL));
}

/*
 * What text phsg could have written (phsg_text_check()'s characters) is
 * printable; a control character, C0, DEL or C1, or a byte that is not
 * UTF-8 is not.  U+00A0, the first character past C1, and U+2028 are.
 */
static void test_printable(void **state)
{
	(void)state;
	assert_true(phsg_text_printable("Jo Bloggs ~!"));
	assert_true(phsg_text_printable(""));
	assert_true(phsg_text_printable(NULL));
	assert_true(phsg_text_printable("a\\b"));              /* a backslash */
	assert_true(phsg_text_printable("\xc3\xa9t\xc3\xa9"));   /* "été" */
	assert_true(phsg_text_printable("\xc2\xa0"));           /* U+00A0 */
	assert_true(phsg_text_printable("\xe2\x80\xa8"));       /* U+2028 */
	assert_true(phsg_text_printable("\xf4\x8f\xbf\xbf"));   /* U+10FFFF */
	assert_false(phsg_text_printable("a\tb"));
	assert_false(phsg_text_printable("\x01"));
	assert_false(phsg_text_printable("\x1f"));               /* the last of C0 */
	assert_false(phsg_text_printable("a\x7f"));              /* DEL */
	assert_false(phsg_text_printable("\xc2\x80"));           /* U+0080, the first of C1 */
	assert_false(phsg_text_printable("\xc2\x9f"));           /* U+009F, the last */
	assert_false(phsg_text_printable("ab\xff"));
	assert_false(phsg_text_printable("\xc3"));               /* cut short */
	assert_false(phsg_text_printable("\xc1\xbf"));           /* overlong */
}

/* Each escape, beside the bytes it stands for; nothing else changes. */
static void test_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ "a\\b", "a\\\\b" },
		{ "\n\r\t", "\\n\\r\\t" },
		{ "\x01\x1b[2K\x1f\x7f", "\\x01\\x1B[2K\\x1F\\x7F" },
		{ "\xc2\x80\xc2\x9f\xc2\xa0", "\\u0080\\u009F\xc2\xa0" },    /* C1; U+00A0 kept */
		{ "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa", "\\u2028\\u2029\xe2\x80\xaa" },
		{ "\xff\xc3(", "\\xFF\\xC3(" },                     /* bytes that are not UTF-8 */
		{ "\xc3\xa9", "\xc3\xa9" },
	};
	char in[256], want[1025];
	char *e;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		e = phsg_text_escape(cases[i].in, strlen(cases[i].in));
		assert_string_equal(e, cases[i].out);
		free(e);
	}
	/* 256 bytes each four once escaped: the buffer holds the most there can be */
	for (int i = 0; i < 256; i++)
		in[i] = (char)0xff;
	for (int i = 0; i < 256; i++)
		memcpy(want + 4 * i, "\\xFF", 4);
	want[1024] = '\0';
	e = phsg_text_escape(in, sizeof(in));
	assert_string_equal(e, want);
	free(e);
	/* a NUL inside the length is a byte like any other */
	e = phsg_text_escape("a\0b", 3);
	assert_string_equal(e, "a\\x00b");
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_refs),
		cmocka_unit_test(test_csv_guard),
		cmocka_unit_test(test_split_pair),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
