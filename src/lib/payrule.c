/*
 * payrule.c - the payment rule: cumulative rounding, so nothing drifts.
 *
 * The rule.  Let E(j) be the exact entitlement of an award component from
 * its start to the end of cycle j (or to the award's end, if sooner),
 * computed from every event known at the time of the run, and P what has
 * been paid for the component so far, net of money recovered.  A run on
 * date D, for each component:
 *   1. for each cycle j due on or before D that no earlier run processed,
 *      in order: posts round(E(j)) - P if positive, adds it to P, and marks
 *      j processed (also when it posted nothing);
 *   2. if no cycle was newly processed and round(E(last due cycle)) - P is
 *      positive, posts the difference as an adjustment due on D.
 *
 * Why it never drifts.  After a run, P = max(P_before, round(E(last))): the
 * payments are differences of rounded cumulative totals, so they telescope
 * and their sum is the exact total rounded once; each payment is within a
 * penny of its cycle's exact share.  Nothing is rounded twice and no
 * residue is carried: the exact total is recomputed each time.
 *
 * Why every change reconciles.  E is recomputed from all events at every
 * run, so a backdated reassessment, suspension, extension, ending or rate
 * change simply changes E; the next payment (or an adjustment) is the
 * difference.  A payment is never negative: while P > round(E) the excess
 * is an outstanding recovery, netted from later payments, and reported.
 *
 * Cost.  E(j) is computed over date segments (rates, assessments,
 * suspensions), not day by day, and consecutive new cycles extend the
 * previous total by one cycle's accrual: a run's work per award is
 * proportional to the cycles it newly processes.
 */
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/payrule.h"

long phsg_payrule_cycle_of(const phsg_calendar *cal, phsg_date day)
{
	return (long)phsg_date_floor_div((int64_t)day - cal->anchor, PHSG_CYCLE_DAYS);
}

phsg_date phsg_payrule_cycle_start(const phsg_calendar *cal, long k)
{
	return (phsg_date)(cal->anchor + PHSG_CYCLE_DAYS * (int64_t)k);
}

int phsg_payrule_cycle_due(phsg_date *out, const phsg_calendar *cal, long k)
{
	return phsg_scheme_calendar_roll(out, cal, phsg_payrule_cycle_start(cal, k) - cal->lead_days);
}

void phsg_payrule_result_init(phsg_payrule_result *r)
{
	memset(r, 0, sizeof(*r));
	r->next_due = PHSG_DATE_MAX;
}

void phsg_payrule_result_release(phsg_payrule_result *r)
{
	free(r->postings);
	free(r->processed);
	free(r->outstanding);
	memset(r, 0, sizeof(*r));
}

void phsg_payrule_result_reset(phsg_payrule_result *r)
{
	r->n_postings = 0;
	r->n_processed = 0;
	r->n_outstanding = 0;
	r->next_due = PHSG_DATE_MAX;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 16;
	if (*cap < need)
		*cap = need;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

static phsg_posting *add_posting(phsg_payrule_result *r)
{
	r->postings = grow(r->postings, &r->cap_postings, r->n_postings + 1, sizeof(phsg_posting));
	return &r->postings[r->n_postings++];
}

static void add_processed(phsg_payrule_result *r, int comp, long cycle)
{
	r->processed = grow(r->processed, &r->cap_processed, r->n_processed + 2, sizeof(long));
	r->processed[r->n_processed++] = comp;
	r->processed[r->n_processed++] = cycle;
}

/* round(e) in pence; a figure past 64 bits is refused, never wrapped (SPEC section 12) */
static int round_pence(const phsg_scheme *sc, const mpq_t e, int64_t *out)
{
	mpz_t p;
	int rc = 0;

	mpz_init(p);
	phsg_money_round_pence(p, NULL, e, sc->rounding);
	if (mpz_fits_slong_p(p))
		*out = mpz_get_si(p);
	else
		rc = phsg_error_set(PHSG_EINVAL, "an entitlement of more than 2^63 pence cannot be paid");
	mpz_clear(p);
	return rc;
}

int phsg_payrule_entitled_pence(int64_t *out, const phsg_scheme *sc, const phsg_award *aw,
			int comp, phsg_date upto)
{
	mpq_t e;
	int rc;

	mpq_init(e);
	rc = phsg_award_accrue(e, NULL, sc, aw, comp, aw->start, upto);
	if (rc == 0)
		rc = round_pence(sc, e, out);
	mpq_clear(e);
	return rc;
}

/* The last cycle of the award due on or before D (k0 - 1 when none is). */
static int last_due_cycle(const phsg_calendar *cal, long k0, long k1, phsg_date run_date,
			  long *out)
{
	long k = phsg_payrule_cycle_of(cal, run_date + cal->lead_days);
	phsg_date due;
	int rc;

	if (k > k1)
		k = k1;
	/* a roll to the previous working day can bring the next cycle forward;
	 * a roll to the next can push this one past D */
	while (k >= k0) {
		if ((rc = phsg_payrule_cycle_due(&due, cal, k)))
			return rc;
		if (due <= run_date)
			break;
		k--;
	}
	while (k + 1 <= k1) {
		if (phsg_payrule_cycle_start(cal, k + 1) - cal->lead_days - 7 > run_date)
			break; /* no roll moves a due date a week */
		if ((rc = phsg_payrule_cycle_due(&due, cal, k + 1)))
			return rc;
		if (due > run_date)
			break;
		k++;
	}
	*out = k < k0 ? k0 - 1 : k;
	return 0;
}

static int apply_component(const phsg_scheme *sc, const phsg_award *aw, int comp,
			   phsg_date run_date, long k0, long last,
			   const phsg_component_state *st, phsg_payrule_result *out)
{
	const phsg_calendar *cal = &sc->calendar;
	int64_t paid = st->paid;
	size_t p = 0;
	int newly = 0, rc = 0, have_e = 0;
	phsg_date e_upto = aw->start, step_days = 0;
	size_t step_key = 0;
	mpq_t e, step;

	/* step: what the last stretch added to E; a stretch like it adds the same */
	mpq_inits(e, step, NULL);
	for (long k = k0; k <= last; k++) {
		phsg_date cs = phsg_payrule_cycle_start(cal, k), ce = cs + PHSG_CYCLE_DAYS;
		int64_t target, amount;
		size_t key;

		while (p < st->n_processed && st->processed[p] < k)
			p++;
		if (p < st->n_processed && st->processed[p] == k)
			continue;
		/* E(k): extend the running total to the end of cycle k */
		if (!have_e) {
			mpq_set_ui(e, 0, 1);
			e_upto = aw->start;
			have_e = 1;
		}
		key = phsg_award_stretch_key(sc, aw, e_upto, ce);
		if (!key || key != step_key || ce - e_upto != step_days) {
			mpq_set_ui(step, 0, 1);
			if ((rc = phsg_award_accrue(step, NULL, sc, aw, comp, e_upto, ce)))
				goto cleanup;
			step_key = key;
			step_days = ce - e_upto;
		}
		mpq_add(e, e, step);
		e_upto = ce;
		if ((rc = round_pence(sc, e, &target)))
			goto cleanup;
		amount = target - paid;
		/* a charge to the person is also withdrawn when a change lowers it */
		if (amount > 0 || (amount < 0 && comp == PHSG_CONTRIBUTION)) {
			phsg_posting *ps = add_posting(out);
			ps->comp = comp;
			ps->kind = PHSG_POST_CYCLE;
			ps->cycle = k;
			ps->cycle_start = cs;
			ps->cycle_end = ce;
			if ((rc = phsg_payrule_cycle_due(&ps->due, cal, k))) {
				out->n_postings--;
				goto cleanup;
			}
			ps->amount = amount;
			ps->payee = phsg_award_payee(aw, comp, ps->due, &ps->method);
			paid += amount;
		}
		add_processed(out, comp, k);
		newly = 1;
	}
	if (last >= k0) {
		phsg_date ce = phsg_payrule_cycle_start(cal, last) + PHSG_CYCLE_DAYS;
		int64_t target;
		if (!have_e || e_upto != ce) {
			mpq_set_ui(e, 0, 1);
			if ((rc = phsg_award_accrue(e, NULL, sc, aw, comp, aw->start, ce)))
				goto cleanup;
		}
		if ((rc = round_pence(sc, e, &target)))
			goto cleanup;
		if (!newly && (target > paid || (target < paid && comp == PHSG_CONTRIBUTION))) {
			phsg_posting *ps = add_posting(out);
			ps->comp = comp;
			ps->kind = PHSG_POST_ADJUSTMENT;
			ps->cycle = last;
			ps->cycle_start = ce - PHSG_CYCLE_DAYS;
			ps->cycle_end = ce;
			ps->due = run_date;
			ps->amount = target - paid;
			ps->payee = phsg_award_payee(aw, comp, run_date, &ps->method);
			paid = target;
		}
		out->outstanding[comp + 1] = paid > target ? paid - target : 0;
	} else {
		out->outstanding[comp + 1] = paid > 0 ? paid : 0;
	}
cleanup:
	mpq_clears(e, step, NULL);
	return rc;
}

int phsg_payrule_owed_back(int64_t *owed, const phsg_scheme *sc, const phsg_award *aw,
			   int comp, const phsg_component_state *st)
{
	int64_t target = 0;
	int rc;

	*owed = 0;
	if (st->n_processed) {
		phsg_date upto = phsg_payrule_cycle_start(&sc->calendar, st->processed[st->n_processed - 1]) +
				 PHSG_CYCLE_DAYS;
		if ((rc = phsg_payrule_entitled_pence(&target, sc, aw, comp, upto < aw->end ? upto : aw->end)))
			return rc;
	}
	if (st->paid > target)
		*owed = st->paid - target;
	return 0;
}

int phsg_payrule_apply(phsg_payrule_result *out, const phsg_scheme *sc, const phsg_award *aw,
		       phsg_date run_date, const phsg_component_state *states)
{
	const phsg_calendar *cal = &sc->calendar;
	long k0 = phsg_payrule_cycle_of(cal, aw->start), k1 = phsg_payrule_cycle_of(cal, aw->end - 1), last;
	size_t n = aw->package->n_components + 1;
	int rc;

	out->outstanding = grow(out->outstanding, &out->cap_outstanding, n, sizeof(int64_t));
	out->n_outstanding = n;
	memset(out->outstanding, 0, n * sizeof(int64_t));
	if ((rc = last_due_cycle(cal, k0, k1, run_date, &last)))
		return rc;
	for (int c = PHSG_CONTRIBUTION; c < (int)aw->package->n_components; c++) {
		if (c == PHSG_CONTRIBUTION && !phsg_award_has_contribution(aw) &&
		    states[0].paid == 0)
			continue;
		if ((rc = apply_component(sc, aw, c, run_date, k0, last, &states[c + 1], out)))
			return rc;
	}
	/* next time this award may have a cycle due: conservatively early */
	out->next_due = last + 1 <= k1 ?
		phsg_payrule_cycle_start(cal, last + 1) - cal->lead_days - 7 : PHSG_DATE_MAX;
	return 0;
}
