/*
 * money.c - exact decimals, the one rounding function, and formatting.
 *
 * Values are mpq_t throughout.  Parsing reads the decimal digits into an
 * integer and divides by a power of ten, so "16.50" is exactly 33/2.  The
 * rounding function is the only place in phsg where a fraction of a penny
 * is dropped; it takes the rule by name and can hand back what it dropped.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/money.h"

static const char *const rounding_names[] = {
	[PHSG_ROUND_HALF_UP] = "half-up",
	[PHSG_ROUND_HALF_EVEN] = "half-even",
	[PHSG_ROUND_DOWN] = "down",
};

int phsg_money_rounding_parse(phsg_rounding *out, const char *name)
{
	for (int m = PHSG_ROUND_HALF_UP; m <= PHSG_ROUND_DOWN; m++) {
		if (strcmp(name, rounding_names[m]) == 0) {
			*out = (phsg_rounding)m;
			return 0;
		}
	}
	return phsg_error_set(PHSG_EINVAL,
		"unknown rounding rule '%s' (expected half-up, half-even or down)",
		name);
}

const char *phsg_money_rounding_name(phsg_rounding mode)
{
	if (mode < PHSG_ROUND_HALF_UP || mode > PHSG_ROUND_DOWN)
		return "invalid";
	return rounding_names[mode];
}

int phsg_money_parse(mpq_t out, const char *text, unsigned flags)
{
	const char *p = text;
	size_t int_digits = 0, frac_digits = 0;
	int negative = 0;
	mpz_t num;
	char digits[128];
	size_t n = 0;

	if (*p == '-' && (flags & PHSG_MONEY_NEGATIVE)) {
		negative = 1;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++, int_digits++)
		if (n < sizeof(digits) - 1)
			digits[n++] = *p;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, frac_digits++)
			if (n < sizeof(digits) - 1)
				digits[n++] = *p;
		if (frac_digits == 0)
			goto bad;
	}
	if (*p != '\0' || int_digits == 0 || int_digits + frac_digits >= sizeof(digits) - 1)
		goto bad;
	if ((flags & PHSG_MONEY_PENCE) && frac_digits > 2)
		return phsg_error_set(PHSG_EINVAL,
			"'%s' has more than two decimal places (amounts are in pence)", text);
	digits[n] = '\0';

	mpz_init_set_str(num, digits, 10);
	if (negative)
		mpz_neg(num, num);
	mpq_set_z(out, num);
	mpz_ui_pow_ui(num, 10, frac_digits);
	mpz_set(mpq_denref(out), num);
	mpq_canonicalize(out);
	mpz_clear(num);
	return 0;
bad:
	return phsg_error_set(PHSG_EINVAL, "'%s' is not a %sdecimal number%s",
		text, (flags & PHSG_MONEY_NEGATIVE) ? "" : "non-negative ",
		" (write it as digits with an optional point, e.g. \"16.50\")");
}

/*
 * Whether trunc(100x) moves one penny away from zero, by the rule: `cmp`
 * compares twice the remainder's size with the denominator (a half is 0),
 * `odd` says whether trunc(100x) is odd.
 */
static int round_away(phsg_rounding mode, int cmp, int odd)
{
	switch (mode) {
	case PHSG_ROUND_HALF_UP:
		return cmp >= 0;
	case PHSG_ROUND_HALF_EVEN:
		return cmp > 0 || (cmp == 0 && odd);
	case PHSG_ROUND_DOWN:
		return 0;
	default:
		/* An invalid rule is a programming error: never guess. */
		__builtin_trap();
	}
}

void phsg_money_round_pence(mpz_t pence, mpq_t residue, const mpq_t x,
		      phsg_rounding mode)
{
	if (mode < PHSG_ROUND_HALF_UP || mode > PHSG_ROUND_DOWN)
		__builtin_trap();
	if (mpz_fits_slong_p(mpq_numref(x)) && mpz_fits_slong_p(mpq_denref(x)) &&
	    mpz_get_si(mpq_numref(x)) >= -(LONG_MAX / 100) &&
	    mpz_get_si(mpq_numref(x)) <= LONG_MAX / 100) {
		/* the same in machine words, without a number allocated (a run
		 * rounds once a cycle): 100n / d truncates toward zero in C too */
		long n = mpz_get_si(mpq_numref(x)) * 100, d = mpz_get_si(mpq_denref(x));
		long q = n / d, rem = n % d;
		if (rem != 0) {
			unsigned long twice = 2 * (unsigned long)labs(rem);
			int cmp = twice > (unsigned long)d ? 1 : twice == (unsigned long)d ? 0 : -1;
			if (round_away(mode, cmp, q % 2 != 0))
				q += rem > 0 ? 1 : -1;
		}
		mpz_set_si(pence, q);
	} else {
		mpz_t scaled, rem, twice;
		mpz_inits(scaled, rem, twice, NULL);
		mpz_mul_ui(scaled, mpq_numref(x), 100);
		/* pence = trunc(100x); rem has the sign of x. */
		mpz_tdiv_qr(pence, rem, scaled, mpq_denref(x));
		if (mpz_sgn(rem) != 0) {
			mpz_abs(twice, rem);
			mpz_mul_2exp(twice, twice, 1);
			if (round_away(mode, mpz_cmp(twice, mpq_denref(x)), mpz_odd_p(pence))) {
				if (mpz_sgn(rem) > 0)
					mpz_add_ui(pence, pence, 1);
				else
					mpz_sub_ui(pence, pence, 1);
			}
		}
		mpz_clears(scaled, rem, twice, NULL);
	}
	if (residue) {
		mpq_set_z(residue, pence);
		mpz_mul_ui(mpq_denref(residue), mpq_denref(residue), 100);
		mpq_canonicalize(residue);
		mpq_sub(residue, x, residue);
	}
}

void phsg_money_round(mpq_t out, mpq_t residue, const mpq_t x,
		      phsg_rounding mode)
{
	mpz_t pence;

	mpz_init(pence);
	phsg_money_round_pence(pence, residue, x, mode);
	mpq_set_z(out, pence);
	mpz_set_ui(mpq_denref(out), 100);
	mpq_canonicalize(out);
	mpz_clear(pence);
}

int phsg_money_format(char *buf, size_t size, const mpq_t x, int min_places)
{
	mpz_t d, five, scaled;
	unsigned long twos, fives, places;
	size_t len, point;
	int rc = 0;
	/* on failure the buffer holds an empty string, never stale bytes */
	if (size)
		buf[0] = '\0';

	mpz_inits(d, five, scaled, NULL);
	mpz_set_ui(five, 5);
	twos = mpz_scan1(mpq_denref(x), 0);
	mpz_tdiv_q_2exp(d, mpq_denref(x), twos);
	fives = mpz_remove(d, d, five);
	if (mpz_cmp_ui(d, 1) != 0) {
		/* No finite decimal form: write the exact fraction. */
		if (mpz_sizeinbase(mpq_numref(x), 10) + mpz_sizeinbase(mpq_denref(x), 10) + 3 > size)
			rc = phsg_error_set(PHSG_EINVAL, "number too long to print");
		else
			mpq_get_str(buf, 10, x);
		goto cleanup;
	}
	places = twos > fives ? twos : fives;
	if (places < (unsigned long)min_places)
		places = (unsigned long)min_places;
	/* scaled = x * 10^places, an exact integer */
	mpz_ui_pow_ui(scaled, 10, places);
	mpz_mul(scaled, scaled, mpq_numref(x));
	mpz_divexact(scaled, scaled, mpq_denref(x));

	int negative = mpz_sgn(scaled) < 0;
	mpz_abs(scaled, scaled);
	if (mpz_sizeinbase(scaled, 10) + places + 4 > size) {
		rc = phsg_error_set(PHSG_EINVAL, "number too long to print");
		goto cleanup;
	}
	/* digits, left-padded with zeros so there is one before the point */
	char *digits = buf + negative;
	mpz_get_str(digits, 10, scaled);
	len = strlen(digits);
	if (len <= places) {
		size_t pad = places + 1 - len;
		memmove(digits + pad, digits, len + 1);
		memset(digits, '0', pad);
		len += pad;
	}
	if (negative)
		buf[0] = '-';
	if (places > 0) {
		point = len - places;
		memmove(digits + point + 1, digits + point, places + 1);
		digits[point] = '.';
		len++;
	}
cleanup:
	mpz_clears(d, five, scaled, NULL);
	return rc;
}

int phsg_money_format_pence(char *buf, size_t size, const mpz_t pence)
{
	mpq_t q;
	int rc;

	mpq_init(q);
	mpq_set_z(q, pence);
	mpz_set_ui(mpq_denref(q), 100);
	mpq_canonicalize(q);
	rc = phsg_money_format(buf, size, q, 2);
	mpq_clear(q);
	return rc;
}

/* "1234.5" or "-0.05" -> "£1,234.5" or "-£0.05", with `tail` appended. */
static int pounds_pretty(char *buf, size_t size, const char *plain, const char *tail)
{
	const char *digits = plain;
	size_t out = 0, int_len, i;

	if (*digits == '-')
		digits++;
	int_len = strcspn(digits, ".");
	/* sign, pound sign (2 bytes in UTF-8), digits, commas, point, decimals, tail */
	if (size < strlen(plain) + int_len / 3 + strlen(tail) + 4)
		return phsg_error_set(PHSG_EINVAL, "number too long to print");
	if (digits != plain)
		buf[out++] = '-';
	memcpy(buf + out, "\xc2\xa3", 2);
	out += 2;
	for (i = 0; i < int_len; i++) {
		if (i > 0 && (int_len - i) % 3 == 0)
			buf[out++] = ',';
		buf[out++] = digits[i];
	}
	i = strlen(digits + int_len);
	memcpy(buf + out, digits + int_len, i);
	out += i;
	memcpy(buf + out, tail, strlen(tail) + 1);
	return 0;
}

int phsg_money_pretty_pence(char *buf, size_t size, const mpz_t pence)
{
	char plain[PHSG_NUM_BUF];
	int rc;
	/* on failure the buffer holds an empty string, never stale bytes */
	if (size)
		buf[0] = '\0';

	rc = phsg_money_format_pence(plain, sizeof(plain), pence);
	if (rc)
		return rc;
	return pounds_pretty(buf, size, plain, "");
}

/* Has x a finite decimal form (a denominator of 2s and 5s only)? */
static int finite_decimal(const mpq_t x)
{
	mpz_t d, five;
	int finite;

	mpz_inits(d, five, NULL);
	mpz_set_ui(five, 5);
	mpz_tdiv_q_2exp(d, mpq_denref(x), mpz_scan1(mpq_denref(x), 0));
	mpz_remove(d, d, five);
	finite = mpz_cmp_ui(d, 1) == 0;
	mpz_clears(d, five, NULL);
	return finite;
}

int phsg_money_pretty(char *buf, size_t size, const mpq_t x, int cut_places)
{
	char plain[PHSG_NUM_BUF];
	mpz_t scaled, ten;
	mpq_t cut;
	int rc;
	/* on failure the buffer holds an empty string, never stale bytes */
	if (size)
		buf[0] = '\0';

	if (finite_decimal(x)) {
		rc = phsg_money_format(plain, sizeof(plain), x, 2);
		return rc ? rc : pounds_pretty(buf, size, plain, "");
	}
	/* no finite decimal form: cut towards zero after cut_places decimals */
	if (cut_places < 2)
		cut_places = 2;
	mpz_inits(scaled, ten, NULL);
	mpq_init(cut);
	mpz_ui_pow_ui(ten, 10, (unsigned long)cut_places);
	mpz_mul(scaled, mpq_numref(x), ten);
	mpz_tdiv_q(scaled, scaled, mpq_denref(x));
	mpz_abs(scaled, scaled);
	mpq_set_num(cut, scaled);
	mpq_set_den(cut, ten);
	mpq_canonicalize(cut);
	plain[0] = '-';
	rc = phsg_money_format(plain + (mpq_sgn(x) < 0), sizeof(plain) - 1, cut, cut_places);
	mpq_clear(cut);
	mpz_clears(scaled, ten, NULL);
	if (rc)
		return rc;
	return pounds_pretty(buf, size, plain, "...");
}
