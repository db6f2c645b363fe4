/*
 * fuzz_money.c - money parsing, rounding and formatting (src/lib/money.c).
 *
 * Input: a control byte (the parse flags, a divisor, the formatting
 * places and buffer sizes come from the first bytes), then the text to
 * parse.  Invariants:
 *   - phsg_money_parse accepts exactly the grammar of money.h (checked
 *     against an independent reader), with each flag, and reads the exact
 *     value; a refusal always leaves a message;
 *   - parse(format(x)) == x, for decimals and for fractions ("10/3");
 *     formatting into a buffer of any size either fits (and never writes
 *     past it: the buffers are exactly that size, on the heap, for ASan)
 *     or fails leaving an empty string;
 *   - rounding, by each rule: residue + rounded == exact, the residue is
 *     within the rule's bound, halves go the rule's way, rounding is
 *     symmetric, and phsg_money_round agrees with phsg_money_round_pence;
 *   - the pretty forms are the plain form with a pound sign and commas
 *     every three digits ("..." when cut).
 */
#include <gmp.h>
#include "fuzz.h"
#include "phsg/error.h"
#include "phsg/money.h"

/* The grammar, read independently: [-]digits[.digits] within the flags. */
static int reference_parse(const char *s, unsigned flags, mpq_t out, size_t max_digits)
{
	const char *p = s;
	int neg = 0;
	size_t ints = 0, fracs = 0;
	char digits[1024];
	size_t n = 0;

	if (*p == '-' && (flags & PHSG_MONEY_NEGATIVE)) {
		neg = 1;
		p++;
	}
	while (*p >= '0' && *p <= '9') {
		if (n < sizeof(digits) - 1)
			digits[n++] = *p;
		p++, ints++;
	}
	if (ints == 0)
		return 0;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (n < sizeof(digits) - 1)
				digits[n++] = *p;
			p++, fracs++;
		}
		if (fracs == 0)
			return 0;
	}
	if (*p != '\0')
		return 0;
	/* money.c keeps at most 126 digits (and says so); more is refused */
	if (ints + fracs > max_digits || ints + fracs >= sizeof(digits))
		return 0;
	if ((flags & PHSG_MONEY_PENCE) && fracs > 2)
		return 0;
	digits[n] = '\0';
	mpz_set_str(mpq_numref(out), digits, 10);
	if (neg)
		mpz_neg(mpq_numref(out), mpq_numref(out));
	mpz_ui_pow_ui(mpq_denref(out), 10, fracs);
	mpq_canonicalize(out);
	return 1;
}

/* A heap buffer of exactly `size` bytes, so that ASan sees any overrun. */
static char *exact_buf(size_t size)
{
	char *b = malloc(size ? size : 1);
	if (!b)
		abort();
	if (size)
		memset(b, 'Z', size);
	return b;
}

/* Has x a finite decimal form? */
static int finite(const mpq_t x)
{
	mpz_t d;
	int r;

	mpz_init_set(d, mpq_denref(x));
	while (mpz_divisible_ui_p(d, 2))
		mpz_divexact_ui(d, d, 2);
	while (mpz_divisible_ui_p(d, 5))
		mpz_divexact_ui(d, d, 5);
	r = mpz_cmp_ui(d, 1) == 0;
	mpz_clear(d);
	return r;
}

/* Read back what phsg_money_format wrote: a decimal, or "n/d". */
static void read_back(const char *s, mpq_t out)
{
	if (strchr(s, '/')) {
		FUZZ_CHECK(mpq_set_str(out, s, 10) == 0, "'%s' is not a fraction", s);
		mpq_canonicalize(out);
		return;
	}
	/* phsg reads back what it writes, up to its 126 digits; longer, read it here */
	if (strspn(s, "-0123456789.") == strlen(s) && strlen(s) - (s[0] == '-') - !!strchr(s, '.') > 126)
		FUZZ_CHECK(reference_parse(s, PHSG_MONEY_NEGATIVE, out, 1000), "'%s' is not a decimal", s);
	else
		FUZZ_CHECK(phsg_money_parse(out, s, PHSG_MONEY_NEGATIVE) == 0,
			   "formatted '%s' does not parse back: %s", s, phsg_error_last());
}

static void check_format(const mpq_t x, int min_places, size_t small)
{
	size_t big = mpz_sizeinbase(mpq_numref(x), 10) + mpz_sizeinbase(mpq_denref(x), 10) + 300;
	char *b = exact_buf(big), *s;
	mpq_t back;
	int rc;

	mpq_init(back);
	rc = phsg_money_format(b, big, x, min_places);
	FUZZ_CHECK(rc == 0, "format into %zu bytes failed: %s", big, phsg_error_last());
	FUZZ_CHECK(memchr(b, '\0', big) != NULL, "no terminator");
	read_back(b, back);
	FUZZ_CHECK(mpq_equal(back, x), "parse(format(x)) != x: '%s'", b);
	if (finite(x)) {
		const char *point = strchr(b, '.');
		size_t places = point ? strlen(point + 1) : 0;
		FUZZ_CHECK(!strchr(b, '/'), "a finite decimal written as a fraction: '%s'", b);
		FUZZ_CHECK(places >= (size_t)min_places, "'%s' has fewer than %d places", b, min_places);
		if (places > (size_t)min_places)
			FUZZ_CHECK(b[strlen(b) - 1] != '0', "'%s' has a trailing zero past %d places", b,
				   min_places);
		FUZZ_CHECK(mpq_sgn(x) < 0 ? b[0] == '-' : b[0] != '-', "sign of '%s'", b);
		FUZZ_CHECK(b[b[0] == '-'] != '.', "'%s' has no digit before the point", b);
	} else {
		FUZZ_CHECK(strchr(b, '/') != NULL, "no finite decimal form, but written '%s'", b);
	}
	/* any smaller buffer: it fits, or fails with an empty string */
	s = exact_buf(small);
	rc = phsg_money_format(s, small, x, min_places);
	if (rc == 0) {
		FUZZ_CHECK(strcmp(s, b) == 0, "'%s' in %zu bytes but '%s' in %zu", s, small, b, big);
	} else {
		FUZZ_CHECK(rc == PHSG_EINVAL, "rc %d", rc);
		FUZZ_CHECK(small == 0 || s[0] == '\0', "a failed format left '%.20s'", s);
		FUZZ_CHECK(small < 2 * strlen(b) + 8,
			   "refused %zu bytes for '%s' (%zu bytes)", small, b, strlen(b) + 1);
		FUZZ_CHECK(phsg_error_last()[0] != '\0', "no message");
	}
	free(s);
	free(b);
	mpq_clear(back);
}

static void check_round(const mpq_t x, phsg_rounding mode)
{
	mpz_t p, p2, pn;
	mpq_t res, res2, money, sum, half, absr, negx, resn;
	int cmp;

	mpz_inits(p, p2, pn, NULL);
	mpq_inits(res, res2, money, sum, half, absr, negx, resn, NULL);
	phsg_money_round_pence(p, res, x, mode);
	/* residue + rounded == exact */
	mpq_set_z(sum, p);
	mpz_mul_ui(mpq_denref(sum), mpq_denref(sum), 100);
	mpq_canonicalize(sum);
	mpq_add(sum, sum, res);
	FUZZ_CHECK(mpq_equal(sum, x), "%s: residue + rounded != exact", phsg_money_rounding_name(mode));
	/* the residue's bound: a penny (down), half a penny (half rules) */
	mpq_abs(absr, res);
	mpq_set_ui(half, 1, mode == PHSG_ROUND_DOWN ? 100 : 200);
	cmp = mpq_cmp(absr, half);
	if (mode == PHSG_ROUND_DOWN) {
		FUZZ_CHECK(cmp < 0, "down: residue of a penny or more");
		FUZZ_CHECK(mpq_sgn(res) == 0 || mpq_sgn(res) == mpq_sgn(x), "down: not towards zero");
	} else {
		FUZZ_CHECK(cmp <= 0, "%s: residue over half a penny", phsg_money_rounding_name(mode));
		if (cmp == 0 && mode == PHSG_ROUND_HALF_UP)
			FUZZ_CHECK(mpq_sgn(res) == -mpq_sgn(x), "half-up: a half not away from zero");
		if (cmp == 0 && mode == PHSG_ROUND_HALF_EVEN)
			FUZZ_CHECK(mpz_even_p(p), "half-even: a half to an odd penny");
	}
	/* without a residue, the same pence */
	phsg_money_round_pence(p2, NULL, x, mode);
	FUZZ_CHECK(mpz_cmp(p, p2) == 0, "rounded differently without a residue");
	/* phsg_money_round agrees */
	phsg_money_round(money, res2, x, mode);
	mpq_set_z(sum, p);
	mpz_mul_ui(mpq_denref(sum), mpq_denref(sum), 100);
	mpq_canonicalize(sum);
	FUZZ_CHECK(mpq_equal(money, sum) && mpq_equal(res2, res), "phsg_money_round disagrees");
	/* every rule is symmetric: round(-x) == -round(x) */
	mpq_neg(negx, x);
	phsg_money_round_pence(pn, resn, negx, mode);
	mpz_neg(pn, pn);
	mpq_neg(resn, resn);
	FUZZ_CHECK(mpz_cmp(p, pn) == 0 && mpq_equal(res, resn), "%s is not symmetric",
		   phsg_money_rounding_name(mode));
	mpz_clears(p, p2, pn, NULL);
	mpq_clears(res, res2, money, sum, half, absr, negx, resn, NULL);
}

/* "-£1,234.50" -> "-1234.50": a pound sign, and commas every three digits. */
static void strip_pretty(const char *pretty, char *plain, size_t size, const char *tail)
{
	const char *p = pretty, *end;
	size_t o = 0, len = strlen(pretty), tl = strlen(tail), group = 0, groups = 0;

	FUZZ_CHECK(len >= tl && strcmp(pretty + len - tl, tail) == 0, "'%s' does not end '%s'",
		   pretty, tail);
	end = pretty + len - tl;
	FUZZ_CHECK(len + 1 < size, "too long");
	if (*p == '-')
		plain[o++] = *p++;
	FUZZ_CHECK(strncmp(p, "\xc2\xa3", 2) == 0, "'%s' has no pound sign", pretty);
	p += 2;
	/* the whole pounds: 1 to 3 digits, then groups of ",ddd" */
	for (; p < end && *p != '.'; p++) {
		if (*p == ',') {
			FUZZ_CHECK(group >= 1 && (groups == 0 ? group <= 3 : group == 3),
				   "a comma in the wrong place in '%s'", pretty);
			group = 0;
			groups++;
			continue;
		}
		FUZZ_CHECK(*p >= '0' && *p <= '9', "'%s': not a digit", pretty);
		plain[o++] = *p;
		group++;
	}
	FUZZ_CHECK(groups == 0 ? group >= 1 && group <= 3 : group == 3,
		   "the commas of '%s' are not every three digits", pretty);
	for (; p < end; p++)
		plain[o++] = *p;
	plain[o] = '\0';
}

static void check_pretty(const mpq_t x, int cut, size_t small)
{
	char plain[512], want[512], *b, *s;
	mpz_t p, scaled, ten;
	mpq_t cutq;
	int rc;

	mpz_inits(p, scaled, ten, NULL);
	mpq_init(cutq);
	/* pence */
	phsg_money_round_pence(p, NULL, x, PHSG_ROUND_HALF_EVEN);
	b = exact_buf(400);
	if (phsg_money_format_pence(want, sizeof(want), p) == 0) {
		rc = phsg_money_pretty_pence(b, 400, p);
		/* it works in PHSG_NUM_BUF: figures past that are refused, with a message */
		FUZZ_CHECK(rc == 0 || (strlen(want) > 80 && b[0] == '\0' && phsg_error_last()[0]),
			   "pence_pretty of '%s' failed: %s", want, phsg_error_last());
		if (rc == 0) {
			strip_pretty(b, plain, sizeof(plain), "");
			FUZZ_CHECK(strcmp(plain, want) == 0, "'%s' is not '%s' made pretty", b, want);
		}
		s = exact_buf(small);
		rc = phsg_money_pretty_pence(s, small, p);
		FUZZ_CHECK(rc == 0 ? strcmp(s, b) == 0 : (small == 0 || s[0] == '\0'),
			   "pence_pretty in %zu bytes: rc %d", small, rc);
		free(s);
	}
	/* exact money */
	rc = phsg_money_pretty(b, 400, x, cut);
	if (rc == 0) {
		if (finite(x)) {
			FUZZ_CHECK(phsg_money_format(want, sizeof(want), x, 2) == 0, "format");
			strip_pretty(b, plain, sizeof(plain), "");
		} else {
			int places = cut < 2 ? 2 : cut;
			mpz_ui_pow_ui(ten, 10, (unsigned long)places);
			mpz_mul(scaled, mpq_numref(x), ten);
			mpz_tdiv_q(scaled, scaled, mpq_denref(x));
			mpq_set_num(cutq, scaled);
			mpq_set_den(cutq, ten);
			mpq_canonicalize(cutq);
			want[0] = '-';
			FUZZ_CHECK(phsg_money_format(want + (mpq_sgn(x) < 0), sizeof(want) - 1, cutq,
						       places) == 0, "format");
			if (mpq_sgn(x) < 0 && want[1] == '-')
				memmove(want + 1, want + 2, strlen(want + 2) + 1);
			strip_pretty(b, plain, sizeof(plain), "...");
		}
		FUZZ_CHECK(strcmp(plain, want) == 0, "money_pretty '%s' is not '%s'", b, want);
		s = exact_buf(small);
		rc = phsg_money_pretty(s, small, x, cut);
		FUZZ_CHECK(rc == 0 ? strcmp(s, b) == 0 : (small == 0 || s[0] == '\0'),
			   "money_pretty in %zu bytes: rc %d", small, rc);
		free(s);
	} else {
		FUZZ_CHECK(b[0] == '\0' && phsg_error_last()[0] != '\0', "failed without a message");
	}
	free(b);
	mpz_clears(p, scaled, ten, NULL);
	mpq_clear(cutq);
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
	unsigned ctl = fuzz_byte(&in), div = fuzz_byte(&in), places = fuzz_byte(&in) % 12;
	size_t small = fuzz_byte(&in);
	int cut = (int)(fuzz_byte(&in) % 24);
	unsigned flags = ctl & 3;
	char *text = fuzz_string(&in);
	phsg_rounding mode;
	mpq_t got, want, x;
	int rc, ok;

	mpq_inits(got, want, x, NULL);
	/* the rule names */
	if (ctl & 4) {
		rc = phsg_money_rounding_parse(&mode, text);
		FUZZ_CHECK((rc == 0) == (!strcmp(text, "half-up") || !strcmp(text, "half-even") ||
					 !strcmp(text, "down")), "rounding_parse('%s') = %d", text, rc);
		if (rc == 0)
			FUZZ_CHECK(!strcmp(phsg_money_rounding_name(mode), text), "name round trip");
		else
			FUZZ_CHECK(phsg_error_last()[0] != '\0', "no message");
	}

	phsg_error_clear();
	rc = phsg_money_parse(got, text, flags);
	ok = reference_parse(text, flags, want, 126);
	FUZZ_CHECK((rc == 0) == ok, "phsg_money_parse('%s', %u) = %d, expected %s", text, flags, rc,
		   ok ? "accepted" : "refused");
	if (rc) {
		FUZZ_CHECK(rc == PHSG_EINVAL && phsg_error_last()[0] != '\0',
			   "refused '%s' without a message", text);
		goto done;
	}
	FUZZ_CHECK(mpq_equal(got, want), "'%s' read as the wrong value", text);

	/* x = the value over a divisor: fractions of every kind */
	mpq_set(x, got);
	if (div > 1) {
		mpz_mul_ui(mpq_denref(x), mpq_denref(x), div);
		mpq_canonicalize(x);
	}
	check_format(got, (int)places, small);
	check_format(x, (int)places, small);
	for (mode = PHSG_ROUND_HALF_UP; mode <= PHSG_ROUND_DOWN; mode++) {
		check_round(got, mode);
		check_round(x, mode);
	}
	check_pretty(got, cut, small);
	check_pretty(x, cut, small);
done:
	free(text);
	mpq_clears(got, want, x, NULL);
	return 0;
}
