/*
 * phsg/bacs.h - Bacs Standard 18 payment files.
 *
 * A single-day file: VOL1, HDR1, HDR2 and UHL1 labels (80 characters), one
 * 100-character direct credit record (transaction code 99) per payment,
 * one contra record (transaction code 17) debiting the originator for the
 * total, then EOF1, EOF2 and UTL1.  Records end with CRLF.  Everything in
 * the file is derived from the batch and the scheme (no clock is read), so
 * exporting the same batch twice gives byte-identical files.
 */
#ifndef PHSG_BACS_H
#define PHSG_BACS_H

#include <stdint.h>
#include <stdio.h>
#include "phsg/scheme.h"

/** One direct credit. */
typedef struct {
	const char *sort_code;   /**< 6 digits */
	const char *account;     /**< 8 digits */
	const char *name;        /**< the account name (any text: transliterated) */
	const char *reference;   /**< the payment reference (transliterated) */
	int64_t pence;           /**< > 0 */
} phsg_bacs_credit;

/**
 * Write the Bacs text form of `in` into `out` (size n + 1): upper case,
 * accented Latin letters as their base letters, apostrophes dropped, any
 * other character outside A-Z 0-9 space . & / - as a space; runs of spaces
 * folded; padded with spaces (or cut) to exactly n characters.
 */
void phsg_bacs_text(char *out, size_t n, const char *in);

/**
 * Check every credit (sort code 6 digits, account 8 digits, amount within
 * 11 digits) and the originator; on failure nothing is written and the
 * message names every offending credit (by its reference).
 */
int phsg_bacs_validate(const phsg_finance *originator, const phsg_bacs_credit *credits,
		       size_t n);

/**
 * A Bacs file written credit by credit, so that a batch of any size needs
 * little memory.  phsg_bacs_begin() checks the originator and writes the
 * labels; phsg_bacs_add() checks one credit and writes it; phsg_bacs_end()
 * writes the contra record and the trailer labels, or - when any credit was
 * refused - returns PHSG_EINVAL naming every one of them, in which case what
 * was written to `f` must be discarded.  end also frees the writer.
 */
typedef struct phsg_bacs_writer phsg_bacs_writer;
/** Start a file for batch `serial` on `f`: checks the originator, writes the labels. */
int phsg_bacs_begin(phsg_bacs_writer **out, FILE *f, const phsg_finance *originator,
		    long long serial, phsg_date created, phsg_date processing);
/** Check one credit and write it (a refused one is named by phsg_bacs_end). */
void phsg_bacs_add(phsg_bacs_writer *w, const phsg_bacs_credit *credit);
/** Write the contra and trailers, or PHSG_EINVAL naming each refused credit; frees `w`. */
int phsg_bacs_end(phsg_bacs_writer *w);

/** The most one file holds: its contra amount (11 digits of pence)... */
#define PHSG_BACS_MAX_PENCE 99999999999LL
/** ... and its count of credits (UTL1's 7 digits). */
#define PHSG_BACS_MAX_CREDITS 9999999

/**
 * A batch too large for one file is written in parts (SPEC section 17):
 * the credits, in the batch's order, fill part 1 until the next one would
 * take its total above PHSG_BACS_MAX_PENCE or its count above
 * PHSG_BACS_MAX_CREDITS; that credit starts part 2, and so on.  So every
 * credit is in exactly one part, the parts keep the batch's order, and the
 * number of parts depends only on the batch.  Start with
 * PHSG_BACS_SPLIT_INIT and call phsg_bacs_split_next() for each credit.
 */
typedef struct {
	int part;       /**< the part the last credit went in (1 after the first) */
	int64_t total;  /**< pence in that part so far */
	size_t n;       /**< credits in that part so far */
} phsg_bacs_split;
/** A split before its first credit: `phsg_bacs_split s = PHSG_BACS_SPLIT_INIT;` */
#define PHSG_BACS_SPLIT_INIT { 1, 0, 0 }

/**
 * The part (from 1) a credit of `pence` goes in, given those before it.
 * An amount no file can hold (0 or less, or above PHSG_BACS_MAX_PENCE) is
 * counted in no part: the writer refuses it.
 */
int phsg_bacs_split_next(phsg_bacs_split *s, int64_t pence);

/**
 * Like phsg_bacs_begin(), for part `part` (from 1) of a batch written in
 * parts: phsg_bacs_add() then checks every credit of the batch but writes
 * only the part's, and the contra and trailer are the part's own.  The
 * labels are those of the whole file, but for HDR1's and EOF1's file
 * sequence number, which is the part's number.  `part` 0 writes the
 * whole batch as one file, as phsg_bacs_begin() does, except that a batch
 * too large for one file is refused by phsg_bacs_end() with PHSG_ERULE
 * (saying how many parts it needs) rather than a credit being named.
 */
int phsg_bacs_begin_part(phsg_bacs_writer **out, FILE *f, const phsg_finance *originator,
			 long long serial, phsg_date created, phsg_date processing, int part);

/**
 * How many parts the credits given to `w` so far need (0 before the first
 * bankable credit): call it after the last phsg_bacs_add(), before
 * phsg_bacs_end().  phsg_bacs_end() of a part beyond them is refused
 * (PHSG_ERULE).
 */
int phsg_bacs_parts(const phsg_bacs_writer *w);

/**
 * Write the whole file to `f`.  `serial` numbers the submission (the batch),
 * `created` is the date the batch was made, `processing` the Bacs
 * processing day.  Validates first; PHSG_EINVAL without writing on failure.
 */
int phsg_bacs_write(FILE *f, const phsg_finance *originator, long long serial,
		    phsg_date created, phsg_date processing,
		    const phsg_bacs_credit *credits, size_t n);

#endif
