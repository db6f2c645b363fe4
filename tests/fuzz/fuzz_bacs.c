/*
 * fuzz_bacs.c - Bacs Standard 18 text and files (src/lib/bacs.c).
 *
 * Input: control bytes (the field width, the number of credits, each
 * credit's amount, the serial and the dates), then NUL-separated texts: the
 * text to clean, the originator's name, and each credit's sort code,
 * account, name and reference.  Invariants:
 *   - phsg_bacs_text: exactly n characters (into a buffer of exactly n + 1
 *     bytes), only A-Z 0-9 space . & / -, no leading or doubled blanks
 *     before the padding, ASCII letters upper-cased in place, and cleaning
 *     twice changes nothing;
 *   - phsg_bacs_write: refuses exactly the batches that cannot be paid (a
 *     sort code not 6 digits, an account not 8, an amount not 1 to
 *     99,999,999,999 pence, a total past 11 digits), with a message naming
 *     every one and nothing written; otherwise labels of 80 characters and
 *     records of 100, each ending CRLF, only allowed characters, every
 *     field where Standard 18 puts it, the contra and UTL1 totals equal to
 *     the credits, and the same bytes from the streaming writer and on a
 *     second export.
 */
#include "fuzz.h"
#include "phsg.h"
#include "phsg/bacs.h"

#define MAX_CREDITS 6

static int allowed(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '.' || c == '&' ||
	       c == '/' || c == '-';
}

static int digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

static void check_text(const char *in, size_t n)
{
	char *out = malloc(n + 1), *again = malloc(n + 1);
	size_t len;

	if (!out || !again)
		abort();
	phsg_bacs_text(out, n, in);
	FUZZ_CHECK(strlen(out) == n, "bacs_text gave %zu characters, not %zu", strlen(out), n);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(allowed(out[i]), "bacs_text wrote 0x%02x", (unsigned char)out[i]);
	len = n;
	while (len > 0 && out[len - 1] == ' ')
		len--;
	FUZZ_CHECK(len == 0 || out[0] != ' ', "a leading blank: '%s'", out);
	for (size_t i = 1; i < len; i++)
		FUZZ_CHECK(!(out[i] == ' ' && out[i - 1] == ' '), "a doubled blank: '%s'", out);
	/* plain upper-case text that fits passes unchanged */
	{
		size_t l = strlen(in);
		int plain = l <= n && (l == 0 || (in[0] != ' ' && in[l - 1] != ' ')) && !strstr(in, "  ");
		for (size_t i = 0; plain && i < l; i++)
			plain = allowed(in[i]);
		if (plain)
			FUZZ_CHECK(strncmp(out, in, l) == 0, "'%s' became '%s'", in, out);
	}
	/* a shorter field is the longer one cut (SPEC section 7: "padded, or cut") */
	{
		size_t wide = 4 * strlen(in) + 8 > n ? 4 * strlen(in) + 8 : n;
		char *full = malloc(wide + 1);
		if (!full)
			abort();
		phsg_bacs_text(full, wide, in);
		size_t k = n;
		while (k > 0 && full[k - 1] == ' ')
			k--;
		if (!fuzz_known("bacs-text-sharp-s"))
			FUZZ_CHECK(strncmp(out, full, k) == 0 && strspn(out + k, " ") == n - k,
				   "'%s' is not '%.*s' cut to %zu", out, (int)n, full, n);
		free(full);
	}
	/* cleaning is idempotent */
	phsg_bacs_text(again, n, out);
	FUZZ_CHECK(strcmp(again, out) == 0, "cleaning '%s' again gave '%s'", out, again);
	free(out);
	free(again);
}

/* " YYDDD" for a date. */
static void julian(char out[7], phsg_date d)
{
	int y;
	phsg_date jan1;

	phsg_date_to_ymd(&y, NULL, NULL, d);
	phsg_date_from_ymd(&jan1, y, 1, 1);
	snprintf(out, 7, " %02d%03d", y % 100, (int)(d - jan1) + 1);
}

static int is_num(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return 1;
}

static long long num(const char *p, size_t n)
{
	long long v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

static void check_file(const char *buf, size_t len, const phsg_finance *org,
		       const phsg_bacs_credit *c, size_t n, long long serial, phsg_date created,
		       phsg_date processing)
{
	size_t at = 0, rec = 0, want_recs = 4 + n + 1 + 3;
	long long total = 0;
	char ser[16], cre[7], proc[7], name[19];

	snprintf(ser, sizeof(ser), "%06lld", serial % 1000000);
	julian(cre, created);
	julian(proc, processing);
	phsg_bacs_text(name, 18, org->name);
	for (size_t i = 0; i < n; i++)
		total += c[i].pence;
	for (rec = 0; rec < want_recs; rec++) {
		int data = rec >= 4 && rec < 4 + n + 1;
		size_t width = data ? 100 : 80;
		const char *r = buf + at;
		FUZZ_CHECK(at + width + 2 <= len, "the file ends in record %zu", rec + 1);
		FUZZ_CHECK(r[width] == '\r' && r[width + 1] == '\n', "record %zu is not %zu characters",
			   rec + 1, width);
		for (size_t i = 0; i < width; i++)
			FUZZ_CHECK(allowed(r[i]), "record %zu, column %zu: 0x%02x", rec + 1, i + 1,
				   (unsigned char)r[i]);
		if (rec == 0) {
			FUZZ_CHECK(!strncmp(r, "VOL1", 4) && !strncmp(r + 4, ser, 6) &&
				   !strncmp(r + 41, org->service_user_number, 6) && r[79] == '1', "VOL1");
		} else if (rec == 1 || rec == want_recs - 3) {
			FUZZ_CHECK(!strncmp(r, rec == 1 ? "HDR1" : "EOF1", 4) && r[4] == 'A' &&
				   !strncmp(r + 5, org->service_user_number, 6) &&
				   !strncmp(r + 21, ser, 6) && !strncmp(r + 41, cre, 6), "HDR1/EOF1");
		} else if (rec == 2 || rec == want_recs - 2) {
			FUZZ_CHECK(!strncmp(r, rec == 2 ? "HDR2F0200000100" : "EOF2F0200000100", 15),
				   "HDR2/EOF2");
		} else if (rec == 3) {
			FUZZ_CHECK(!strncmp(r, "UHL1", 4) && !strncmp(r + 4, proc, 6), "UHL1");
		} else if (data) {
			size_t i = rec - 4;
			int contra = i == n;
			char want[19];
			FUZZ_CHECK(!strncmp(r, contra ? org->sort_code : c[i].sort_code, 6) &&
				   !strncmp(r + 6, contra ? org->account : c[i].account, 8) && r[14] == '0' &&
				   !strncmp(r + 15, contra ? "17" : "99", 2) &&
				   !strncmp(r + 17, org->sort_code, 6) && !strncmp(r + 23, org->account, 8) &&
				   !strncmp(r + 31, "    ", 4), "record %zu: the accounts", rec + 1);
			FUZZ_CHECK(is_num(r + 35, 11) &&
				   num(r + 35, 11) == (contra ? total : (long long)c[i].pence),
				   "record %zu: the amount", rec + 1);
			FUZZ_CHECK(!strncmp(r + 46, name, 18), "record %zu: the originator", rec + 1);
			phsg_bacs_text(want, 18, contra ? "CONTRA" : c[i].reference);
			FUZZ_CHECK(!strncmp(r + 64, want, 18), "record %zu: the reference", rec + 1);
			phsg_bacs_text(want, 18, contra ? org->name : c[i].name);
			FUZZ_CHECK(!strncmp(r + 82, want, 18), "record %zu: the name", rec + 1);
		} else {
			FUZZ_CHECK(!strncmp(r, "UTL1", 4) && is_num(r + 4, 40) && num(r + 4, 13) == total &&
				   num(r + 17, 13) == total && num(r + 30, 7) == 1 &&
				   num(r + 37, 7) == (long long)n, "UTL1");
		}
		at += width + 2;
	}
	FUZZ_CHECK(at == len, "%zu bytes after the trailer", len - at);
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
	size_t width = fuzz_byte(&in) % 121, n = fuzz_byte(&in) % (MAX_CREDITS + 1);
	int64_t pence[MAX_CREDITS];
	long long serial;
	phsg_date created, processing;
	phsg_bacs_credit c[MAX_CREDITS];
	char *texts[4 * MAX_CREDITS + 2];
	phsg_finance org = { 1, (char *)"123456", NULL, (char *)"401234", (char *)"12345678" };
	char *buf = NULL, *buf2 = NULL, *buf3 = NULL;
	size_t len = 0, len2 = 0, len3 = 0;
	int valid = 1, rc;
	long long total = 0;
	FILE *f;

	for (size_t i = 0; i < n; i++) {
		/* amounts near the limits as often as anywhere */
		uint64_t raw = fuzz_u64(&in, 5);
		switch (raw & 3) {
		case 0: pence[i] = (int64_t)(raw >> 2); break;
		case 1: pence[i] = 99999999999LL - (int64_t)(raw >> 2) % 1000; break;
		case 2: pence[i] = -(int64_t)(raw >> 2); break;
		default: pence[i] = (int64_t)(raw >> 2) % 100000; break;
		}
	}
	serial = (long long)(fuzz_u64(&in, 4) & 0x7fffffff);
	created = PHSG_DATE_FIRST + (phsg_date)(fuzz_u64(&in, 3) % (PHSG_DATE_LAST - PHSG_DATE_FIRST));
	processing = created + (phsg_date)(fuzz_byte(&in) % 40);
	if (processing > PHSG_DATE_LAST)
		processing = PHSG_DATE_LAST;
	for (size_t i = 0; i < 2 + 4 * n; i++)
		texts[i] = fuzz_string(&in);

	check_text(texts[0], width);
	org.name = texts[1];
	for (size_t i = 0; i < n; i++) {
		c[i].sort_code = texts[2 + 4 * i];
		c[i].account = texts[3 + 4 * i];
		c[i].name = texts[4 + 4 * i];
		c[i].reference = texts[5 + 4 * i];
		c[i].pence = pence[i];
		check_text(c[i].name, 18);
		check_text(c[i].reference, 18);
		if (!digits(c[i].sort_code, 6) || !digits(c[i].account, 8) || pence[i] <= 0 ||
		    pence[i] > 99999999999LL)
			valid = 0;
		else
			total += pence[i];
	}
	if (total > 99999999999LL)
		valid = 0;

	/* the whole file */
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	phsg_error_clear();
	rc = phsg_bacs_write(f, &org, serial, created, processing, c, n);
	fclose(f);
	if (!valid) {
		FUZZ_CHECK(rc == PHSG_EINVAL && strstr(phsg_error_last(), "cannot be paid by Bacs"),
			   "an unpayable batch: rc %d: %s", rc, phsg_error_last());
		/* finding bacs-write-partial: a total past 11 digits is found only while writing */
		if (!fuzz_known("bacs-write-partial"))
			FUZZ_CHECK(len == 0, "a refused batch wrote %zu bytes (phsg_bacs_write: "
				   "\"without writing on failure\")", len);
		goto done;
	}
	FUZZ_CHECK(rc == 0, "a payable batch was refused: %s", phsg_error_last());
	check_file(buf, len, &org, c, n, serial, created, processing);

	/* the same again, and credit by credit */
	f = open_memstream(&buf2, &len2);
	if (!f)
		abort();
	FUZZ_CHECK(phsg_bacs_write(f, &org, serial, created, processing, c, n) == 0, "again");
	fclose(f);
	FUZZ_CHECK(len2 == len && memcmp(buf, buf2, len) == 0, "a second export differs");
	f = open_memstream(&buf3, &len3);
	if (!f)
		abort();
	{
		phsg_bacs_writer *w;
		FUZZ_CHECK(phsg_bacs_begin(&w, f, &org, serial, created, processing) == 0, "begin");
		for (size_t i = 0; i < n; i++)
			phsg_bacs_add(w, &c[i]);
		FUZZ_CHECK(phsg_bacs_end(w) == 0, "end");
	}
	fclose(f);
	FUZZ_CHECK(len3 == len && memcmp(buf, buf3, len) == 0, "the streaming writer differs");
done:
	free(buf);
	free(buf2);
	free(buf3);
	for (size_t i = 0; i < 2 + 4 * n; i++)
		free(texts[i]);
	return 0;
}
