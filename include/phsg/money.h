/*
 * phsg/money.h - exact money and hours.
 *
 * Money and hours are GMP rationals (mpq_t) from the moment they are read
 * until the one place where a figure is rounded to pence.  They are read
 * only from decimal strings ("16.50", "7.5"), never from binary floating
 * point, and rounded only by phsg_money_round_pence() with a named rule.
 */
#ifndef PHSG_MONEY_H
#define PHSG_MONEY_H

#include <stddef.h>
#include <gmp.h>

/**
 * Rounding rules for pence.  The zero value is deliberately invalid so that
 * a forgotten initialisation cannot silently pick a rule.
 */
typedef enum {
	PHSG_ROUND_INVALID = 0,
	PHSG_ROUND_HALF_UP,   /**< halves away from zero: 0.005 -> 0.01, -0.005 -> -0.01 */
	PHSG_ROUND_HALF_EVEN, /**< halves to the even penny: 0.005 -> 0.00, 0.015 -> 0.02 */
	PHSG_ROUND_DOWN       /**< towards zero: 0.019 -> 0.01, -0.019 -> -0.01 */
} phsg_rounding;

/** Parse "half-up", "half-even" or "down"; PHSG_EINVAL otherwise. */
int phsg_money_rounding_parse(phsg_rounding *out, const char *name);

/** The configuration name of a rule ("half-up", ...). */
const char *phsg_money_rounding_name(phsg_rounding mode);

/** Flags for phsg_money_parse(). */
enum {
	PHSG_MONEY_NEGATIVE = 1, /**< accept a leading '-' */
	PHSG_MONEY_PENCE = 2     /**< at most two decimal places */
};

/**
 * Parse a decimal string exactly into `out`: digits, optionally a point and
 * more digits ("16.50", "7.5", "0", "-3.25" with PHSG_MONEY_NEGATIVE).
 * Rejected: empty strings, signs not allowed by `flags`, a leading '+',
 * exponents, more than one point, a point without digits on both sides,
 * spaces and any other character.  Returns 0 or PHSG_EINVAL with a message
 * naming the value.
 */
int phsg_money_parse(mpq_t out, const char *text, unsigned flags);

/**
 * Round `x` to a whole number of pence by `mode`.
 *
 * `pence` receives the rounded amount as an integer count of pence.  When
 * `residue` is not NULL it receives x minus the rounded amount (in pounds),
 * the fraction the rounding dropped, so a caller can carry it.
 */
void phsg_money_round_pence(mpz_t pence, mpq_t residue, const mpq_t x,
		      phsg_rounding mode);

/** As phsg_money_round_pence(), with the result in pounds as a rational. */
void phsg_money_round(mpq_t out, mpq_t residue, const mpq_t x,
		      phsg_rounding mode);

/** A buffer large enough for any figure phsg prints. */
#define PHSG_NUM_BUF 96

/**
 * Write `x` as an exact decimal with at least `min_places` decimal places
 * and no trailing zeros beyond them ("627.00" with 2, "9.5" with 0).  A
 * value with no finite decimal form is written as a fraction ("10/3").
 * Returns 0, or PHSG_EINVAL if `size` is too small.
 */
int phsg_money_format(char *buf, size_t size, const mpq_t x, int min_places);

/**
 * Write an amount of pence as pounds with exactly two places ("627.00").
 */
int phsg_money_format_pence(char *buf, size_t size, const mpz_t pence);

/**
 * Write an amount of pence for people to read: "£1,198.40", "-£0.05".
 */
int phsg_money_pretty_pence(char *buf, size_t size, const mpz_t pence);

/**
 * Write an exact amount of money for people to read, unrounded: at least
 * two places and every decimal it has ("£1,234.50", "£10.725").  A value
 * with no finite decimal form is cut towards zero after `cut_places`
 * decimals (at least 2) and marked as going on: 4213.342857... with 3 is
 * "£4,213.342...".  Returns 0, or PHSG_EINVAL if `size` is too small.
 */
int phsg_money_pretty(char *buf, size_t size, const mpq_t x, int cut_places);

#endif
