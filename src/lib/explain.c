/*
 * explain.c - "why was I paid £X this month?" (SPEC section 11).
 *
 * Each payment is explained by the payment rule that made it: the award is
 * rebuilt as it was known when the payment was posted (its events recorded
 * up to then), its entitlement to the end of the cycle is listed segment by
 * segment and rounded once, and what had already been paid (payments,
 * reversals and recoveries before it) is taken off.  Every figure is
 * written exactly, or rounded as the sentence says, so the arithmetic can
 * be checked by hand.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/explain.h"

typedef struct {
	char **lines;
	size_t n;
	int failed;        /* a figure too long to print: the command fails */
} reasons;

static void say(reasons *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(reasons *r, const char *fmt, ...)
{
	va_list ap;
	char *line = NULL;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	r->lines = realloc(r->lines, (r->n + 1) * sizeof(char *));
	if (!r->lines)
		abort();
	r->lines[r->n++] = line;
}

static void reasons_clear(reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	r->lines = NULL;
	r->n = 0;
}

/* Exact money for people: "£42.80", "£10.725", "£862.714..." */
static const char *money(reasons *r, char buf[PHSG_NUM_BUF], mpq_srcptr x)
{
	if (phsg_money_pretty(buf, PHSG_NUM_BUF, x, 3))
		r->failed = 1;
	return buf;
}

static const char *pence(reasons *r, char buf[PHSG_NUM_BUF], int64_t p)
{
	mpz_t z;

	mpz_init_set_si(z, p);
	if (phsg_money_pretty_pence(buf, PHSG_NUM_BUF, z))
		r->failed = 1;
	mpz_clear(z);
	return buf;
}

static const char *exact(reasons *r, char buf[PHSG_NUM_BUF], mpq_srcptr x)
{
	if (phsg_money_format(buf, PHSG_NUM_BUF, x, 0))
		r->failed = 1;
	return buf;
}

/* "2026-04-13 to 2026-05-10" for [from, to) */
static const char *range(char buf[2 * PHSG_DATE_BUF + 4], phsg_date from, phsg_date to)
{
	char a[PHSG_DATE_BUF], b[PHSG_DATE_BUF];

	phsg_date_format(a, from);
	phsg_date_format(b, to - 1);
	snprintf(buf, 2 * PHSG_DATE_BUF + 4, "%s to %s", a, b);
	return buf;
}

/* One segment: "2026-04-13 to 2026-04-26: 14 days at £42.80 a week (2 hours x £21.40) = £85.60" */
static int segment_line(void *ctx, const phsg_segment *s)
{
	reasons *r = ctx;
	char d[2 * PHSG_DATE_BUF + 4], w[PHSG_NUM_BUF], a[PHSG_NUM_BUF], h[PHSG_NUM_BUF],
	     rate[PHSG_NUM_BUF], f[PHSG_NUM_BUF], how[3 * PHSG_NUM_BUF + 32] = "";
	long days = (long)(s->to - s->from);

	if (s->suspended) {
		say(r, "%s: %ld day%s suspended: nothing accrues.", range(d, s->from, s->to), days,
		    days == 1 ? "" : "s");
		return 0;
	}
	if (s->hourly && mpq_sgn(s->fixed))
		snprintf(how, sizeof(how), " (%s hours x %s + %s)", exact(r, h, s->hours),
			 money(r, rate, s->hourly), money(r, f, s->fixed));
	else if (s->hourly)
		snprintf(how, sizeof(how), " (%s hour%s x %s)", exact(r, h, s->hours),
			 mpq_cmp_ui(s->hours, 1, 1) == 0 ? "" : "s", money(r, rate, s->hourly));
	say(r, "%s: %ld day%s at %s a week%s = %s", range(d, s->from, s->to), days,
	    days == 1 ? "" : "s", money(r, w, s->weekly), how, money(r, a, s->amount));
	return 0;
}

typedef struct {
	phsg_ledger *l;
	const phsg_scheme *sc;
	const phsg_award *now;
	phsg_event_row *events;
	size_t n_events;
	phsg_payment_row *pays;
	size_t n_pays;
	phsg_recovery_row *recs;
	char **rec_text;           /* the recoveries' strings, owned here */
	size_t n_recs;
} context;

static int keep_recovery(void *ctx, const phsg_recovery_row *r)
{
	context *c = ctx;

	c->recs = realloc(c->recs, (c->n_recs + 1) * sizeof(*c->recs));
	c->rec_text = realloc(c->rec_text, (c->n_recs + 1) * 3 * sizeof(char *));
	if (!c->recs || !c->rec_text)
		abort();
	c->recs[c->n_recs] = *r;
	c->rec_text[3 * c->n_recs] = strdup(r->component);
	c->rec_text[3 * c->n_recs + 1] = strdup(r->payee);
	c->rec_text[3 * c->n_recs + 2] = strdup(r->recorded_at);
	if (!c->rec_text[3 * c->n_recs] || !c->rec_text[3 * c->n_recs + 1] ||
	    !c->rec_text[3 * c->n_recs + 2])
		abort();
	c->recs[c->n_recs].component = c->rec_text[3 * c->n_recs];
	c->recs[c->n_recs].payee = c->rec_text[3 * c->n_recs + 1];
	c->recs[c->n_recs].recorded_at = c->rec_text[3 * c->n_recs + 2];
	c->n_recs++;
	return 0;
}

/* The award as it was known at `when`. */
static int award_then(const context *c, const char *when, phsg_award *out)
{
	phsg_award_event *ev = malloc((c->n_events ? c->n_events : 1) * sizeof(*ev));
	size_t k = 0;
	int rc;

	if (!ev)
		abort();
	for (size_t i = 0; i < c->n_events; i++)
		if (strcmp(c->events[i].recorded_at, when) <= 0)
			ev[k++] = (phsg_award_event){ c->events[i].kind, c->events[i].effective,
						      c->events[i].data };
	phsg_award_init(out, c->now->id, c->now->ref, c->now->client);
	rc = phsg_award_replay(out, c->sc, ev, k, 0);
	free(ev);
	return rc;
}

/* What changed for the component between `after` (exclusive) and `upto` (inclusive). */
static void changes(const context *c, reasons *r, const char *component, const char *after,
		    const char *upto, size_t before_payment)
{
	char d[PHSG_DATE_BUF], b[PHSG_NUM_BUF];

	for (size_t i = 0; i < c->n_events; i++) {
		const phsg_event_row *e = &c->events[i];
		if ((after && strcmp(e->recorded_at, after) <= 0) || strcmp(e->recorded_at, upto) > 0 ||
		    !strcmp(e->kind, "create"))
			continue;
		phsg_date_format(d, e->effective);
		say(r, "Since the last payment: event %zu, %s dated %s, was recorded on %.10s by %s.",
		    i + 1, e->kind, d, e->recorded_at, e->operator_name);
	}
	for (size_t i = 0; i < before_payment; i++) {
		const phsg_payment_row *p = &c->pays[i];
		if (strcmp(p->kind, "reversal") || strcmp(p->component, component) ||
		    (after && strcmp(p->created_at, after) <= 0))
			continue;
		say(r, "Since the last payment: payment %lld (%s) was reversed, so it no longer counts "
		    "as paid.", p->reverses, pence(r, b, -p->amount));
	}
	for (size_t i = 0; i < c->n_recs; i++) {
		const phsg_recovery_row *x = &c->recs[i];
		if (strcmp(x->component, component) || (after && strcmp(x->recorded_at, after) <= 0) ||
		    strcmp(x->recorded_at, upto) > 0)
			continue;
		phsg_date_format(d, x->received_on);
		say(r, "Since the last payment: %s was received back on %s.", pence(r, b, x->amount), d);
	}
}

/* Net paid for a component before payment i (payments, reversals; recoveries before it). */
static int64_t paid_before(const context *c, size_t i)
{
	const phsg_payment_row *p = &c->pays[i];
	int64_t sum = 0;

	for (size_t j = 0; j < i; j++)
		if (!strcmp(c->pays[j].component, p->component))
			sum += c->pays[j].amount;
	for (size_t j = 0; j < c->n_recs; j++)
		if (!strcmp(c->recs[j].component, p->component) &&
		    strcmp(c->recs[j].recorded_at, p->created_at) < 0)
			sum -= c->recs[j].amount;
	return sum;
}

static int explain_payment(context *c, size_t i, reasons *r)
{
	const phsg_payment_row *p = &c->pays[i];
	char d1[2 * PHSG_DATE_BUF + 4], d[PHSG_DATE_BUF], b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF],
	     b3[PHSG_NUM_BUF], b4[PHSG_NUM_BUF];
	const char *prev = NULL;
	phsg_award then;
	phsg_date upto;
	int64_t before, target;
	mpq_t e;
	mpz_t z;
	int comp = -1, rc;

	phsg_date_format(d, p->due);
	if (!strcmp(p->kind, "reversal")) {
		phsg_date on;
		char *why = NULL;
		if ((rc = phsg_ledger_return_of(&on, &why, c->l, p->payment_id)) == 0) {
			phsg_date_format(d, on);
			say(r, "Payment %lld (%s) was returned by the bank on %s: %s.  It no longer counts "
			    "as paid; the next run pays it again.", p->reverses, pence(r, b1, -p->amount), d, why);
			free(why);
		} else if (rc == PHSG_ENOTFOUND) {
			say(r, "Batch %lld was voided before it was sent: this reverses payment %lld (%s), "
			    "which no longer counts as paid; the next run pays what is owed.", p->id,
			    p->reverses, pence(r, b1, -p->amount));
		} else {
			return rc;
		}
		return 0;
	}
	for (size_t k = 0; k < c->now->package->n_components; k++)
		if (!strcmp(c->now->package->components[k].id, p->component))
			comp = (int)k;
	if (comp < 0)
		return phsg_error_set(PHSG_EINVAL, "payment %lld: package '%s' has no component '%s'",
				      p->payment_id, c->now->package->id, p->component);
	if ((rc = award_then(c, p->created_at, &then))) {
		phsg_award_release(&then);
		return rc;
	}
	if (!strcmp(p->kind, "opening")) {
		upto = p->due + 1;
		say(r, "Paid by the council's previous system before phsg took the award on: the "
		    "entitlement from the start to %s.", d);
	} else {
		upto = p->cycle_end < then.end ? p->cycle_end : then.end;
		if (!strcmp(p->kind, "cycle"))
			say(r, "The cycle %s, due %s.", range(d1, p->cycle_start, p->cycle_end), d);
		else
			say(r, "An adjustment on the cycle %s, the last due when the run of %s found the "
			    "award owed more than it had been paid.", range(d1, p->cycle_start, p->cycle_end), d);
	}
	mpq_init(e);
	mpz_init(z);
	if ((rc = phsg_award_segments(c->sc, &then, comp, then.start, upto, segment_line, r)) == 0 &&
	    (rc = phsg_award_accrue(e, NULL, c->sc, &then, comp, then.start, upto)) == 0 &&
	    (rc = phsg_payrule_entitled_pence(&target, c->sc, &then, comp, upto)) == 0) {
		phsg_date_format(d, upto - 1);
		say(r, "Entitled from the start to %s: %s in all, rounded once (%s): %s.", d,
		    money(r, b1, e), phsg_money_rounding_name(c->sc->rounding), pence(r, b2, target));
		before = paid_before(c, i);
		for (size_t j = i; j > 0 && !prev; j--)
			if (!strcmp(c->pays[j - 1].component, p->component) &&
			    strcmp(c->pays[j - 1].kind, "reversal"))
				prev = c->pays[j - 1].created_at;
		changes(c, r, p->component, prev, p->created_at, i);
		say(r, "Already paid for %s before this payment: %s.", p->component, pence(r, b3, before));
		say(r, "This payment: %s - %s = %s.", pence(r, b2, target), pence(r, b3, before),
		    pence(r, b4, p->amount));
	}
	mpq_clear(e);
	mpz_clear(z);
	phsg_award_release(&then);
	return rc;
}

static int explain_recovery(const context *c, const phsg_recovery_row *x, reasons *r)
{
	char d[PHSG_DATE_BUF], b[PHSG_NUM_BUF];

	(void)c;
	phsg_date_format(d, x->received_on);
	say(r, "Received back from %s on %s: %s, paid beyond the award's entitlement (see the "
	    "changes listed with the payments before it).", x->payee, d, pence(r, b, x->amount));
	return 0;
}

int phsg_explain_award(phsg_ledger *l, const phsg_scheme *sc, const char *ref,
		       int (*fn)(void *ctx, const phsg_explained *e), void *ctx)
{
	context c = { l, sc, NULL, NULL, 0, NULL, 0, NULL, NULL, 0 };
	phsg_award now;
	reasons r = { NULL, 0, 0 };
	long long id = 0;
	size_t next_rec = 0;
	int rc;

	memset(&now, 0, sizeof(now));
	if ((rc = phsg_ledger_award_lookup(&id, l, ref)) ||
	    (rc = phsg_ledger_award_load(&now, l, sc, id)))
		goto cleanup;
	c.now = &now;
	if ((rc = phsg_ledger_award_events(&c.events, &c.n_events, l, id)) ||
	    (rc = phsg_ledger_award_payments(&c.pays, &c.n_pays, l, id)) ||
	    (rc = phsg_ledger_award_recoveries(l, id, keep_recovery, &c)))
		goto cleanup;
	for (size_t i = 0; i <= c.n_pays && rc == 0; i++) {
		/* recoveries recorded before this payment, in their place */
		while (next_rec < c.n_recs && rc == 0 &&
		       (i == c.n_pays || strcmp(c.recs[next_rec].recorded_at, c.pays[i].created_at) < 0)) {
			const phsg_recovery_row *x = &c.recs[next_rec++];
			phsg_explained e = { 0, 0, x->component, x->payee, "recovery", 0, 0,
					     x->received_on, -x->amount, 0, NULL };
			if ((rc = explain_recovery(&c, x, &r)) == 0) {
				e.n_reasons = r.n;
				e.reasons = r.lines;
				rc = r.failed ? phsg_error_set(PHSG_EINVAL, "a figure is too long to print") :
					fn(ctx, &e);
			}
			reasons_clear(&r);
		}
		if (i == c.n_pays || rc)
			break;
		if ((rc = explain_payment(&c, i, &r)) == 0) {
			const phsg_payment_row *p = &c.pays[i];
			phsg_explained e = { p->id, p->payment_id, p->component, p->payee, p->kind,
					     p->cycle_start, p->cycle_end, p->due, p->amount, r.n, r.lines };
			rc = r.failed ? phsg_error_set(PHSG_EINVAL, "a figure is too long to print") :
				fn(ctx, &e);
		}
		reasons_clear(&r);
	}
cleanup:
	reasons_clear(&r);
	for (size_t i = 0; i < 3 * c.n_recs; i++)
		free(c.rec_text[i]);
	free(c.rec_text);
	free(c.recs);
	phsg_ledger_event_rows_free(c.events, c.n_events);
	phsg_ledger_payment_rows_free(c.pays, c.n_pays);
	phsg_award_release(&now);
	return rc;
}
