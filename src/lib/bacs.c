/*
 * bacs.c - Bacs Standard 18 files, built field by field.
 *
 * Labels (80 characters):
 *   VOL1  1-4 "VOL1", 5-10 serial, 11 accessibility, 12-37 blank,
 *         38-51 owner (4 blanks, service user number, 4 blanks),
 *         52-79 blank, 80 label standard "1"
 *   HDR1  1-4, 5-21 file identifier "A" SUN "S" 2 blanks "1" SUN,
 *         22-27 set identification (serial), 28-31 section "0001",
 *         32-35 sequence "0001", 36-41 blank (generation), 42-47 creation
 *         date " YYDDD", 48-53 expiry date " YYDDD", 54 blank,
 *         55-60 block count "000000", 61-80 blank
 *   HDR2  1-4, 5 "F", 6-10 block length "02000", 11-15 record length
 *         "00100", 16-50 blank, 51-52 "00", 53-80 blank
 *   UHL1  1-4, 5-10 processing date " YYDDD", 11-20 "999999    ",
 *         21-22 "00", 23-28 "000000", 29-37 "1 DAILY  ", 38-40 "001",
 *         41-80 blank
 *   EOF1, EOF2 as HDR1, HDR2
 *   UTL1  1-4, 5-17 debit value, 18-30 credit value (pence, 13 digits),
 *         31-37 debit count, 38-44 credit count (7 digits), 45-80 blank
 * Data records (100 characters):
 *   1-6 destination sort code, 7-14 destination account, 15 type "0",
 *   16-17 transaction code (99 credit, 17 contra), 18-23 originator's sort
 *   code, 24-31 originator's account, 32-35 blank, 36-46 amount in pence
 *   (11 digits), 47-64 originator's name, 65-82 reference, 83-100 the
 *   destination account's name.  The contra record pays the total from the
 *   originator's own account, with the reference CONTRA.
 * Dates are " YYDDD": a blank, the year's last two digits, the day of the
 * year.
 *
 * Parts (SPEC section 17): one file holds at most 99,999,999,999 pence (its
 * contra's 11 digits) and 9,999,999 credits (UTL1's 7 digits).  A larger
 * batch is cut, in its own order, into parts that each fill up to those
 * limits (phsg_bacs_split_next), and each part is a complete file with its
 * own contra and trailer.  A part's writer sees every credit of the batch,
 * checks each (a batch that cannot be written whole is not written in any
 * part), and writes only its own.  HDR1/EOF1's file sequence number is the
 * part's number (0001 for a batch in one file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/bacs.h"
#include "phsg/error.h"
#include "phsg/money.h"
#include "util.h"

/* UTF-8 letters of Latin-1 Supplement and Latin Extended-A to base letters. */
static char fold_latin(unsigned cp)
{
	static const char latin1[65] =
		/* U+00C0 .. U+00FF */
		"AAAAAAACEEEEIIII" "DNOOOOO OUUUUYTS"
		"AAAAAAACEEEEIIII" "DNOOOOO OUUUUYTY";
	static const char ext_a[129] =
		/* U+0100 .. U+017F: each letter's base letter (from its Unicode decomposition) */
		"AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGGGGGGHHHHIIIIIIIIIIIIJJKKKLLLLLLLLLLNNNNNNNNNOOOOOOOORRRRRRSSSSSSSSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS";

	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0];
	if (cp >= 0x100 && cp <= 0x17F)
		return ext_a[cp - 0x100];
	return ' ';
}

void phsg_bacs_text(char *out, size_t n, const char *in)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t len = 0;

	while (*p && len < n) {
		unsigned cp = *p;
		char c;
		int more = cp < 0x80 ? 0 : (cp & 0xE0) == 0xC0 ? 1 : (cp & 0xF0) == 0xE0 ? 2 :
			(cp & 0xF8) == 0xF0 ? 3 : -1;

		/* decode one UTF-8 character; a malformed byte becomes a blank */
		p++;
		if (more < 0) {
			cp = '?';
		} else if (more > 0) {
			cp &= 0x3F >> more;
			for (int i = 0; i < more; i++, p++) {
				if ((*p & 0xC0) != 0x80) {
					cp = '?';
					break;
				}
				cp = (cp << 6) | (*p & 0x3F);
			}
		}
		if (cp >= 'a' && cp <= 'z')
			c = (char)(cp - 'a' + 'A');
		else if ((cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '.' ||
			 cp == '&' || cp == '/' || cp == '-')
			c = (char)cp;
		else if (cp == '\'' || cp == 0x2019 || cp == '`')
			continue; /* O'Neill -> ONEILL */
		else if (cp == 0xDF) {
			/* sharp s: SS, cut like any other letters where the field ends */
			out[len++] = 'S';
			if (len < n)
				out[len++] = 'S';
			continue;
		} else if (cp >= 0xC0 && cp <= 0x17F)
			c = fold_latin(cp);
		else
			c = ' ';
		if (c == ' ' && (len == 0 || out[len - 1] == ' '))
			continue; /* no leading or repeated blanks */
		out[len++] = c;
	}
	while (len > 0 && out[len - 1] == ' ')
		len--;
	memset(out + len, ' ', n - len);
	out[n] = '\0';
}

/* Why a credit cannot be paid by Bacs, or NULL. */
static const char *credit_problem(const phsg_bacs_credit *c)
{
	if (!phsg_digits(c->sort_code, 6))
		return "sort code is not 6 digits";
	if (!phsg_digits(c->account, 8))
		return "account number is not 8 digits";
	if (c->pence <= 0 || c->pence > PHSG_BACS_MAX_PENCE)
		return "amount is not between 0.01 and 999999999.99";
	return NULL;
}

static int no_originator(const phsg_finance *org)
{
	if (org && org->present)
		return 0;
	return phsg_error_set(PHSG_EINVAL,
		"the scheme has no finance group (service user number, name, sort code, account): "
		"a Bacs file needs an originator");
}

/* The offending credits, collected for one message. */
typedef struct {
	char msg[900];
	size_t used, bad;
} problems;

static void note_problem(problems *p, const phsg_bacs_credit *c, const char *why)
{
	p->bad++;
	if (p->used < sizeof(p->msg) - 1)
		p->used += (size_t)snprintf(p->msg + p->used, sizeof(p->msg) - p->used, "%s%s (%s)",
					    p->bad > 1 ? "; " : "", c->reference, why);
}

static int refuse(const problems *p)
{
	return phsg_error_set(PHSG_EINVAL, "%zu payment%s cannot be paid by Bacs, so no file was written: %s",
			      p->bad, p->bad == 1 ? "" : "s", p->msg);
}

int phsg_bacs_validate(const phsg_finance *org, const phsg_bacs_credit *c, size_t n)
{
	problems p = { .used = 0, .bad = 0 };
	int rc;

	if ((rc = no_originator(org)))
		return rc;
	int64_t total = 0;

	p.msg[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *why = credit_problem(&c[i]);
		/* the total too: a file refused while writing would be half written */
		if (!why && total > PHSG_BACS_MAX_PENCE - c[i].pence)
			why = "the batch total would be too large for one Bacs file";
		if (why)
			note_problem(&p, &c[i], why);
		else
			total += c[i].pence;
	}
	return p.bad ? refuse(&p) : 0;
}

static void julian(char out[7], phsg_date d)
{
	int y;
	phsg_date jan1;

	phsg_date_to_ymd(&y, NULL, NULL, d);
	phsg_date_from_ymd(&jan1, y, 1, 1);
	snprintf(out, 7, " %02d%03d", y % 100, (int)(d - jan1) + 1);
}

/* Append a field of exactly `width` characters. */
static void field(char *rec, size_t *at, const char *text, size_t width)
{
	size_t len = strlen(text);

	memset(rec + *at, ' ', width);
	memcpy(rec + *at, text, len < width ? len : width);
	*at += width;
}

static void put(FILE *f, char *rec, size_t at, size_t width)
{
	/* pad any rest with blanks: every record is exactly `width` */
	if (at < width)
		memset(rec + at, ' ', width - at);
	fwrite(rec, 1, width, f);
	fputs("\r\n", f);
}

int phsg_bacs_split_next(phsg_bacs_split *s, int64_t pence)
{
	if (pence <= 0 || pence > PHSG_BACS_MAX_PENCE)
		return s->part;
	if (s->n > 0 && (s->total > PHSG_BACS_MAX_PENCE - pence || s->n >= PHSG_BACS_MAX_CREDITS)) {
		s->part++;
		s->total = 0;
		s->n = 0;
	}
	s->total += pence;
	s->n++;
	return s->part;
}

static void header1(FILE *f, const char *id, const phsg_finance *org, const char *serial,
		    const char *created, const char *sequence)
{
	char rec[81], fid[18];
	size_t at = 0;

	snprintf(fid, sizeof(fid), "A%sS  1%s", org->service_user_number, org->service_user_number);
	field(rec, &at, id, 4);
	field(rec, &at, fid, 17);
	field(rec, &at, serial, 6);
	field(rec, &at, "0001", 4);
	field(rec, &at, sequence, 4);
	field(rec, &at, "", 6);
	field(rec, &at, created, 6);
	field(rec, &at, created, 6);
	field(rec, &at, "", 1);
	field(rec, &at, "000000", 6);
	put(f, rec, at, 80);
}

static void header2(FILE *f, const char *id)
{
	char rec[81];
	size_t at = 0;

	field(rec, &at, id, 4);
	field(rec, &at, "F", 1);
	field(rec, &at, "02000", 5);
	field(rec, &at, "00100", 5);
	field(rec, &at, "", 35);
	field(rec, &at, "00", 2);
	put(f, rec, at, 80);
}

static void data_record(FILE *f, const char *dest_sort, const char *dest_acct, const char *code,
			const phsg_finance *org, int64_t pence, const char *org_name,
			const char *reference, const char *name)
{
	char rec[101], amount[12];
	size_t at = 0;

	snprintf(amount, sizeof(amount), "%011lld", (long long)pence);
	field(rec, &at, dest_sort, 6);
	field(rec, &at, dest_acct, 8);
	field(rec, &at, "0", 1);
	field(rec, &at, code, 2);
	field(rec, &at, org->sort_code, 6);
	field(rec, &at, org->account, 8);
	field(rec, &at, "", 4);
	field(rec, &at, amount, 11);
	field(rec, &at, org_name, 18);
	field(rec, &at, reference, 18);
	field(rec, &at, name, 18);
	put(f, rec, at, 100);
}

struct phsg_bacs_writer {
	FILE *f;
	const phsg_finance *org;
	char org_name[19], ser[16], cre[7], seq[8];
	int part;              /* -1: one file, refusing a credit that would overflow it */
	phsg_bacs_split split; /* parts: where each credit of the batch falls */
	int parts;             /* parts the credits so far need */
	int64_t total, all;    /* pence written (the part's), pence in the batch */
	size_t n, n_all;
	problems p;
};

int phsg_bacs_begin(phsg_bacs_writer **out, FILE *f, const phsg_finance *org, long long serial,
		    phsg_date created, phsg_date processing)
{
	return phsg_bacs_begin_part(out, f, org, serial, created, processing, -1);
}

int phsg_bacs_begin_part(phsg_bacs_writer **out, FILE *f, const phsg_finance *org,
			 long long serial, phsg_date created, phsg_date processing, int part)
{
	phsg_bacs_writer *w;
	char rec[101], proc[7];
	size_t at = 0;
	int rc;

	*out = NULL;
	if ((rc = no_originator(org)))
		return rc;
	if (part < -1)
		return phsg_error_set(PHSG_EINVAL, "a Bacs file's part is numbered from 1");
	w = calloc(1, sizeof(*w));
	if (!w)
		abort();
	w->f = f;
	w->org = org;
	w->part = part;
	w->split = (phsg_bacs_split)PHSG_BACS_SPLIT_INIT;
	snprintf(w->seq, sizeof(w->seq), "%04d", part > 0 ? part % 10000 : 1);
	snprintf(w->ser, sizeof(w->ser), "%06lld", serial % 1000000);
	julian(w->cre, created);
	julian(proc, processing);
	phsg_bacs_text(w->org_name, 18, org->name);

	/* VOL1 */
	field(rec, &at, "VOL1", 4);
	field(rec, &at, w->ser, 6);
	field(rec, &at, "", 1);
	field(rec, &at, "", 26);
	field(rec, &at, "", 4);
	field(rec, &at, org->service_user_number, 6);
	field(rec, &at, "", 4);
	field(rec, &at, "", 28);
	field(rec, &at, "1", 1);
	put(f, rec, at, 80);
	header1(f, "HDR1", org, w->ser, w->cre, w->seq);
	header2(f, "HDR2");
	/* UHL1 */
	at = 0;
	field(rec, &at, "UHL1", 4);
	field(rec, &at, proc, 6);
	field(rec, &at, "999999", 10);
	field(rec, &at, "00", 2);
	field(rec, &at, "000000", 6);
	field(rec, &at, "1 DAILY", 9);
	field(rec, &at, "001", 3);
	put(f, rec, at, 80);
	*out = w;
	return 0;
}

void phsg_bacs_add(phsg_bacs_writer *w, const phsg_bacs_credit *c)
{
	char ref[19], name[19];
	const char *why = credit_problem(c);
	int part;

	if (!why && w->part < 0 && w->total > PHSG_BACS_MAX_PENCE - c->pence)
		why = "the batch total would be too large for one Bacs file";
	if (why) {
		note_problem(&w->p, c, why);
		return;
	}
	part = phsg_bacs_split_next(&w->split, c->pence);
	w->parts = part;
	w->all += c->pence;
	w->n_all++;
	if (w->part > 0 ? part != w->part : w->part == 0 && part > 1)
		return; /* another part's, or a whole file that will be refused */
	w->total += c->pence;
	w->n++;
	if (w->p.bad)
		return; /* the file will not be used: stop writing it */
	phsg_bacs_text(ref, 18, c->reference);
	phsg_bacs_text(name, 18, c->name);
	data_record(w->f, c->sort_code, c->account, "99", w->org, c->pence, w->org_name, ref, name);
}

int phsg_bacs_parts(const phsg_bacs_writer *w)
{
	return w ? w->parts : 0;
}

int phsg_bacs_end(phsg_bacs_writer *w)
{
	char rec[101], ref[19], num[16];
	size_t at = 0;
	int rc = 0;

	if (w->p.bad) {
		rc = refuse(&w->p);
		goto cleanup;
	}
	if (w->part == 0 && w->parts > 1) {
		mpz_t all;
		char money[PHSG_NUM_BUF];
		mpz_init(all);
		mpz_set_si(all, (long)w->all);
		phsg_money_pretty_pence(money, sizeof(money), all);
		mpz_clear(all);
		rc = phsg_error_set(PHSG_ERULE, "%zu payments to bank accounts (%s) do not fit one "
			"Bacs file (at most £999,999,999.99 and 9,999,999 payments): they need %d "
			"parts", w->n_all, money, w->parts);
		goto cleanup;
	}
	if (w->part > 0 && w->part > w->parts) {
		rc = phsg_error_set(PHSG_ERULE, "there is no part %d: the payments to bank accounts "
			"make %d Bacs file%s", w->part, w->parts, w->parts == 1 ? "" : "s");
		goto cleanup;
	}
	phsg_bacs_text(ref, 18, "CONTRA");
	data_record(w->f, w->org->sort_code, w->org->account, "17", w->org, w->total, w->org_name,
		    ref, w->org_name);
	header1(w->f, "EOF1", w->org, w->ser, w->cre, w->seq);
	header2(w->f, "EOF2");
	/* UTL1: the contra debits what the credits pay */
	field(rec, &at, "UTL1", 4);
	snprintf(num, sizeof(num), "%013lld", (long long)w->total);
	field(rec, &at, num, 13);
	field(rec, &at, num, 13);
	snprintf(num, sizeof(num), "%07d", 1);
	field(rec, &at, num, 7);
	snprintf(num, sizeof(num), "%07zu", w->n);
	field(rec, &at, num, 7);
	put(w->f, rec, at, 80);
	if (ferror(w->f))
		rc = phsg_error_set(PHSG_EINVAL, "cannot write the Bacs file");
cleanup:
	free(w);
	return rc;
}

int phsg_bacs_write(FILE *f, const phsg_finance *org, long long serial, phsg_date created,
		    phsg_date processing, const phsg_bacs_credit *c, size_t n)
{
	phsg_bacs_writer *w;
	int rc;

	/* check everything before writing anything */
	if ((rc = phsg_bacs_validate(org, c, n)) ||
	    (rc = phsg_bacs_begin(&w, f, org, serial, created, processing)))
		return rc;
	for (size_t i = 0; i < n; i++)
		phsg_bacs_add(w, &c[i]);
	return phsg_bacs_end(w);
}
