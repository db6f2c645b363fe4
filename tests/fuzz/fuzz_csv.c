/*
 * fuzz_csv.c - the CSV writer (cli_csv_row, src/cli/common.c) and the text
 * checks of SPEC section 12 (src/lib/text.c).
 *
 * Input: a control byte (cells per row, 1 to 16), then cells separated by
 * NUL bytes, filling rows in turn.  Invariants:
 *   - what cli_csv_row writes parses back with libcsv (strict, whole and
 *     one byte at a time) to the same rows of the same cells, except that
 *     a cell a spreadsheet would run as a formula (one that begins with
 *     = + - @, a tab or a carriage return and is not a plain number) comes
 *     back with a leading ' (and only such a cell); every cell is quoted and
 *     every row ends CRLF;
 *   - phsg_text_csv_needs_guard agrees with that rule, read independently;
 *   - phsg_text_utf8_valid, phsg_text_check and phsg_text_check_ref agree with an
 *     independent reading of UTF-8 (shortest forms, no surrogates, nothing
 *     past U+10FFFF, no NUL) and of the reference rule.
 */
#include <csv.h>
#include "fuzz.h"
#include "cli.h"
#include "phsg/text.h"

#define MAX_COLS 16

/* A plain number, read independently: [+-]digits[(.|/)digits]. */
static int plain_number(const char *s)
{
	size_t i = 0, d = 0;

	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		d++;
	if (d == 0)
		return 0;
	if (s[i] == '.' || s[i] == '/') {
		size_t e = 0;
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			e++;
		if (e == 0)
			return 0;
	}
	return s[i] == '\0';
}

static int needs_guard(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) && !plain_number(s);
}

/* ---- reading back ---- */

typedef struct {
	char **cell;
	size_t *len;
	size_t n, cap;
	size_t *row_len; /* cells in each row */
	size_t rows, cap_rows;
} back;

static void b_field(void *s, size_t len, void *data)
{
	back *b = data;
	char *c = malloc(len + 1);

	if (!c)
		abort();
	if (len)
		memcpy(c, s, len);
	c[len] = '\0';
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->cell = realloc(b->cell, b->cap * sizeof(char *));
		b->len = realloc(b->len, b->cap * sizeof(size_t));
		if (!b->cell || !b->len)
			abort();
	}
	b->cell[b->n] = c;
	b->len[b->n++] = len;
}

static void b_row(int c, void *data)
{
	back *b = data;
	size_t before = 0;

	(void)c;
	for (size_t r = 0; r < b->rows; r++)
		before += b->row_len[r];
	if (b->rows == b->cap_rows) {
		b->cap_rows = b->cap_rows ? 2 * b->cap_rows : 16;
		b->row_len = realloc(b->row_len, b->cap_rows * sizeof(size_t));
		if (!b->row_len)
			abort();
	}
	b->row_len[b->rows++] = b->n - before;
}

static void b_free(back *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->cell[i]);
	free(b->cell);
	free(b->len);
	free(b->row_len);
	memset(b, 0, sizeof(*b));
}

static void read_back(back *b, const char *buf, size_t len, int bytewise)
{
	struct csv_parser p;

	memset(b, 0, sizeof(*b));
	FUZZ_CHECK(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0, "csv_init");
	if (bytewise) {
		for (size_t i = 0; i < len; i++)
			FUZZ_CHECK(csv_parse(&p, buf + i, 1, b_field, b_row, b) == 1,
				   "byte %zu: %s", i, csv_strerror(csv_error(&p)));
	} else {
		FUZZ_CHECK(csv_parse(&p, buf, len, b_field, b_row, b) == len,
			   "the writer's output does not parse: %s", csv_strerror(csv_error(&p)));
	}
	FUZZ_CHECK(csv_fini(&p, b_field, b_row, b) == 0, "csv_fini: %s",
		   csv_strerror(csv_error(&p)));
	csv_free(&p);
}

/* ---- UTF-8 and references, read independently ---- */

/* Length of one well-formed UTF-8 character at s (RFC 3629), else 0. */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned char c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf && n >= 2 && (s[1] & 0xc0) == 0x80) {
		*cp = ((c & 0x1ful) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef && n >= 3 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
			return 0; /* overlong, surrogate */
		*cp = ((c & 0x0ful) << 12) | ((s[1] & 0x3ful) << 6) | (s[2] & 0x3f);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4 && n >= 4 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
			return 0; /* overlong, past U+10FFFF */
		*cp = ((c & 0x07ul) << 18) | ((s[1] & 0x3ful) << 12) | ((s[2] & 0x3ful) << 6) |
		      (s[3] & 0x3f);
		return 4;
	}
	return 0;
}

static void check_text(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	int valid = 1, control = 0;
	size_t chars = 0;

	for (size_t i = 0; i < len;) {
		unsigned long cp = 0;
		size_t k = utf8_char(u + i, len - i, &cp);
		if (k == 0 || cp == 0) {
			valid = 0;
			break;
		}
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			control = 1;
		chars++;
		i += k;
	}
	FUZZ_CHECK(phsg_text_utf8_valid(s, len) == valid, "phsg_text_utf8_valid of %zu bytes: %d, expected %d",
		   len, !valid, valid);
	/* a name: valid, no control character, 1 to 100 characters */
	if (len > 0) {
		int ok = valid && !control && chars >= 1 && chars <= PHSG_NAME_MAX;
		phsg_error_clear();
		int rc = phsg_text_check("the name", s, len, PHSG_NAME_MAX);
		FUZZ_CHECK((rc == 0) == ok, "phsg_text_check: %d, expected %s", rc,
			   ok ? "accepted" : "refused");
		if (rc)
			FUZZ_CHECK(phsg_error_last()[0], "refused without a message");
	}
}

static void check_ref(const char *s)
{
	size_t n = strlen(s);
	int ok = n >= 1 && n <= PHSG_REF_MAX;

	for (size_t i = 0; ok && i < n; i++) {
		char c = s[i];
		int alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		ok = alnum || (i > 0 && (c == '.' || c == '_' || c == '-' || c == '/'));
	}
	phsg_error_clear();
	int rc = phsg_text_check_ref("the reference", s);
	FUZZ_CHECK((rc == 0) == ok, "phsg_text_check_ref('%s') = %d", s, rc);
	if (rc)
		FUZZ_CHECK(phsg_error_last()[0], "refused without a message");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in in = { data, size };
	size_t cols = fuzz_byte(&in) % MAX_COLS + 1, n = 0, cap = 0;
	char **cells = NULL, *out = NULL;
	size_t out_len = 0;
	FILE *f;
	back b;

	/* the text checks see the raw bytes, NULs and all */
	check_text((const char *)in.p, in.n);
	while (in.n || n % cols) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			cells = realloc(cells, cap * sizeof(char *));
			if (!cells)
				abort();
		}
		cells[n++] = fuzz_string(&in);
	}
	for (size_t i = 0; i < n; i++) {
		check_ref(cells[i]);
		FUZZ_CHECK(phsg_text_csv_needs_guard(cells[i]) == needs_guard(cells[i]),
			   "phsg_text_csv_needs_guard('%s')", cells[i]);
	}

	f = open_memstream(&out, &out_len);
	if (!f)
		abort();
	for (size_t r = 0; r < n / cols; r++)
		FUZZ_CHECK(cli_csv_row(f, (const char *const *)cells + r * cols, cols) == 0, "write");
	fclose(f);

	/* every cell quoted, every row ending CRLF */
	FUZZ_CHECK(n == 0 || (out_len >= 2 && out[0] == '"' && !memcmp(out + out_len - 2, "\r\n", 2)),
		   "the output is not quoted cells and CRLF");
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		read_back(&b, out, out_len, bytewise);
		FUZZ_CHECK(b.rows == n / cols, "%zu rows written, %zu read", n / cols, b.rows);
		for (size_t r = 0; r < b.rows; r++)
			FUZZ_CHECK(b.row_len[r] == cols, "row %zu: %zu cells written, %zu read", r + 1, cols,
				   b.row_len[r]);
		for (size_t i = 0; i < n && i < b.n; i++) {
			const char *want = cells[i], *got = b.cell[i];
			if (needs_guard(want)) {
				FUZZ_CHECK(got[0] == '\'' && strcmp(got + 1, want) == 0 &&
					   b.len[i] == strlen(want) + 1,
					   "cell '%s' came back as '%s', not guarded", want, got);
			} else {
				FUZZ_CHECK(strcmp(got, want) == 0 && b.len[i] == strlen(want),
					   "cell '%s' came back as '%s'", want, got);
			}
			/* nothing read back starts a formula */
			FUZZ_CHECK(!needs_guard(got), "cell '%s' would run as a formula", got);
		}
		b_free(&b);
	}
	for (size_t i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
	free(out);
	return 0;
}
