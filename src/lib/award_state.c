/*
 * award_state.c - a rebuilt award as one line of text, and back.
 *
 * The ledger keeps (award_states, version 8) each award as its events
 * last built it under the scheme the ledger last ran with (SPEC section
 * 17: a walk over a million awards decodes no JSON for an award whose
 * events have not changed since).  The text holds only
 * what phsg_award_replay() leaves in an award, in this order, each item
 * followed by one space:
 *
 *   1 PACKAGE LEVEL START END MONTHS CLOSED WITHDRAWN SOCIAL_CARE TERM_FROM
 *   N_ASSESS {FROM PACKAGE LEVEL TIER CHOSEN HAS_HOURS HOURS NEEDS}
 *   N_SUSP {FROM TO}   N_PAYEES {FROM METHOD PAYEE}   N_COMP {PAYEE or -}
 *
 * Numbers are decimal (dates as phsg_date day numbers), HOURS is GMP's
 * "num/den", and each text (PACKAGE, PAYEE, NEEDS) is "LENGTH:BYTES", so
 * a payee reference may hold any byte but NUL.  NEEDS has one character
 * per scheme intervention: '0' high, '1' medium, '2' low, '-' not assessed.
 * The leading 1 is the format's version.
 *
 * Reading checks everything against the scheme (the package, its level and
 * components, the number of interventions, each need and method) and
 * refuses a text with anything left over, so a state made under another
 * scheme or damaged is refused, never half used; the caller then replays
 * the events.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/award.h"
#include "phsg/error.h"

#define STATE_FORMAT 1

static void put_text(FILE *f, const char *s)
{
	fprintf(f, "%zu:%s ", strlen(s), s);
}

char *phsg_award_state(const phsg_award *aw)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	fprintf(f, "%d ", STATE_FORMAT);
	put_text(f, aw->package->id);
	fprintf(f, "%d %ld %ld %d %d %d %d %ld %zu ", aw->level, (long)aw->start, (long)aw->end,
		aw->total_months, aw->closed, aw->withdrawn, aw->social_care, (long)aw->term_from,
		aw->n_assess);
	for (size_t i = 0; i < aw->n_assess; i++) {
		const phsg_assessment *a = &aw->assess[i].a;
		char *hours = mpq_get_str(NULL, 10, a->hours);
		fprintf(f, "%ld ", (long)aw->assess[i].from);
		put_text(f, a->package ? a->package->id : "");
		fprintf(f, "%d %d %d %d %s %zu:", a->level, a->tier, a->chosen_tier, a->has_hours,
			hours, a->n_needs);
		for (size_t k = 0; k < a->n_needs; k++)
			fputc(a->needs[k] == PHSG_NEED_NONE ? '-' : '0' + (int)a->needs[k], f);
		fputc(' ', f);
		free(hours);
	}
	fprintf(f, "%zu ", aw->n_susp);
	for (size_t i = 0; i < aw->n_susp; i++)
		fprintf(f, "%ld %ld ", (long)aw->susp[i].from, (long)aw->susp[i].to);
	fprintf(f, "%zu ", aw->n_payees);
	for (size_t i = 0; i < aw->n_payees; i++) {
		fprintf(f, "%ld %d ", (long)aw->payees[i].from, aw->payees[i].method);
		put_text(f, aw->payees[i].payee);
	}
	fprintf(f, "%zu ", aw->package->n_components);
	for (size_t i = 0; i < aw->package->n_components; i++) {
		if (aw->component_payees[i])
			put_text(f, aw->component_payees[i]);
		else
			fputs("- ", f);
	}
	if (fclose(f))
		abort();
	return text;
}

/* A reading position; any fault sets bad, after which every read gives 0. */
typedef struct {
	const char *p;
	int bad;
} cursor;

/* A whole number from lo to hi, then its space. */
static long long number(cursor *c, long long lo, long long hi)
{
	char *end;
	long long v;

	if (c->bad || !(*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))) {
		c->bad = 1;
		return 0;
	}
	errno = 0;
	v = strtoll(c->p, &end, 10);
	if (errno || *end != ' ' || v < lo || v > hi) {
		c->bad = 1;
		return 0;
	}
	c->p = end + 1;
	return v;
}

/* A text ("LENGTH:BYTES" then a space), copied and NUL-ended; NULL when bad. */
static char *text(cursor *c)
{
	size_t n;
	char *s;

	if (c->bad || *c->p < '0' || *c->p > '9')
		goto bad;
	n = 0;
	while (*c->p >= '0' && *c->p <= '9' && n < 100000)
		n = n * 10 + (size_t)(*c->p++ - '0');
	if (*c->p++ != ':' || memchr(c->p, '\0', n) != NULL || c->p[n] != ' ')
		goto bad;
	if (!(s = malloc(n + 1)))
		abort();
	memcpy(s, c->p, n);
	s[n] = '\0';
	c->p += n + 1;
	return s;
bad:
	c->bad = 1;
	return NULL;
}

/* A count of items that take at least `least` bytes each of what is left. */
static size_t count(cursor *c, size_t least)
{
	long long n = number(c, 0, INT_MAX);

	if (!c->bad && (size_t)n > strlen(c->p) / least)
		c->bad = 1;
	return c->bad ? 0 : (size_t)n;
}

static phsg_date date(cursor *c)
{
	return (phsg_date)number(c, PHSG_DATE_FIRST, PHSG_DATE_LAST);
}

/* A package of the scheme, by its id. */
static const phsg_package *package(cursor *c, const phsg_scheme *sc)
{
	char *id = text(c);
	const phsg_package *pkg = id ? phsg_scheme_package(sc, id) : NULL;

	free(id);
	if (!pkg)
		c->bad = 1;
	return pkg;
}

static void assessment(cursor *c, const phsg_scheme *sc, phsg_assessment *a)
{
	char *needs, *hours, *end;

	a->package = package(c, sc);
	a->level = (int)number(c, 0, INT_MAX);
	a->tier = (int)number(c, 0, INT_MAX);
	a->chosen_tier = (int)number(c, 0, INT_MAX);
	a->has_hours = (int)number(c, 0, 1);
	if (c->bad)
		return;
	if (!(end = strchr(c->p, ' '))) {
		c->bad = 1;
		return;
	}
	if (!(hours = strndup(c->p, (size_t)(end - c->p))))
		abort();
	if (mpq_set_str(a->hours, hours, 10) || mpz_sgn(mpq_denref(a->hours)) == 0) {
		c->bad = 1; /* the award is released: GMP's value is never read */
	} else {
		/* only GMP's own canonical form: "2/4" or "+1" is not one it wrote */
		char *again;
		mpq_canonicalize(a->hours);
		again = mpq_get_str(NULL, 10, a->hours);
		if (strcmp(again, hours) || mpq_sgn(a->hours) < 0)
			c->bad = 1;
		free(again);
	}
	free(hours);
	c->p = end + 1;
	if (!(needs = text(c)))
		return;
	if (strlen(needs) != a->n_needs)
		c->bad = 1;
	for (size_t k = 0; k < a->n_needs && !c->bad; k++) {
		if (needs[k] == '-')
			a->needs[k] = PHSG_NEED_NONE;
		else if (needs[k] >= '0' && needs[k] < '0' + PHSG_NEED_COUNT)
			a->needs[k] = (phsg_need)(needs[k] - '0');
		else
			c->bad = 1;
	}
	free(needs);
}

/* A list of n items of `size` bytes made one item longer. */
static void *one_more(void *list, size_t n, size_t size)
{
	if (!(list = realloc(list, (n + 1) * size)))
		abort();
	return list;
}

int phsg_award_from_state(phsg_award *aw, const phsg_scheme *sc, const char *state)
{
	cursor c = { state, 0 };
	const phsg_term *term;
	size_t n_comp;
	int m;

	if (number(&c, STATE_FORMAT, STATE_FORMAT) != STATE_FORMAT || aw->package)
		goto bad;
	aw->package = package(&c, sc);
	aw->level = (int)number(&c, 0, INT_MAX);
	if (c.bad || phsg_scheme_package_term(&term, aw->package, aw->level)) {
		phsg_error_clear();
		goto bad;
	}
	aw->start = date(&c);
	aw->end = date(&c);
	aw->total_months = (int)number(&c, 1, INT_MAX);
	aw->closed = (int)number(&c, 0, 1);
	aw->withdrawn = (int)number(&c, 0, 1);
	aw->social_care = (int)number(&c, 0, 1);
	aw->term_from = date(&c);
	/* each list is grown one item at a time, so a release frees what was read */
	for (size_t n = count(&c, 16); aw->n_assess < n && !c.bad; aw->n_assess++) {
		phsg_award_assessment *as = aw->assess = one_more(aw->assess, aw->n_assess, sizeof(*as));
		as[aw->n_assess].from = date(&c);
		phsg_alloc_assessment_init(&as[aw->n_assess].a, sc);
		assessment(&c, sc, &as[aw->n_assess].a);
	}
	for (size_t n = count(&c, 4); aw->n_susp < n && !c.bad; aw->n_susp++) {
		aw->susp = one_more(aw->susp, aw->n_susp, sizeof(*aw->susp));
		aw->susp[aw->n_susp].from = date(&c);
		aw->susp[aw->n_susp].to = date(&c);
	}
	for (size_t n = count(&c, 6); aw->n_payees < n && !c.bad; aw->n_payees++) {
		phsg_payee_period *pp = aw->payees = one_more(aw->payees, aw->n_payees, sizeof(*pp));
		pp[aw->n_payees].from = date(&c);
		pp[aw->n_payees].method = m = (int)number(&c, 1, PHSG_METHOD_CARD);
		pp[aw->n_payees].payee = text(&c);
		if ((m & (m - 1)) || !(sc->methods & m)) /* one method, one the scheme pays by */
			c.bad = 1;
	}
	n_comp = count(&c, 2);
	if (c.bad || n_comp != aw->package->n_components)
		goto bad;
	if (!(aw->component_payees = calloc(aw->package->n_components ? aw->package->n_components : 1,
					    sizeof(char *))))
		abort();
	for (size_t i = 0; i < aw->package->n_components && !c.bad; i++) {
		if (strncmp(c.p, "- ", 2) == 0)
			c.p += 2;
		else if (aw->package->components[i].payee) /* paid where the scheme says */
			c.bad = 1;
		else
			aw->component_payees[i] = text(&c);
	}
	if (!c.bad && *c.p == '\0' && aw->n_assess > 0 && aw->n_payees > 0)
		return 0;
bad:
	{
		char *ref = aw->ref, *client = aw->client;
		long long id = aw->id;
		aw->ref = aw->client = NULL;
		phsg_award_release(aw);
		aw->id = id;
		aw->ref = ref;
		aw->client = client;
	}
	return phsg_error_set(PHSG_ELEDGER, "award %s: its stored state is not one this phsg wrote "
			      "under this scheme", aw->ref);
}
