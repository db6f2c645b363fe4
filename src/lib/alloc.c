/*
 * alloc.c - from an assessment to weekly amounts, totals and reasons.
 *
 * The model: every component pays `hours x rate(day) + fixed` a week, and
 * accrues a seventh of that each day it is active.  The award total of a
 * component is its exact entitlement over the award period, rounded once
 * by the scheme's rule; because the payment rule pays cumulative rounded
 * entitlement (see schedule), this is also exactly what the 4-weekly
 * payments add up to.  The award total is the sum of the component totals.
 *
 * Accrual is computed per rate segment: for [from, to) the days inside each
 * rate's period are counted, so the cost of a year is a handful of
 * multiplications whatever its length.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/alloc.h"
#include "phsg/error.h"

void phsg_assessment_init(phsg_assessment *a, const phsg_scheme *sc)
{
	memset(a, 0, sizeof(*a));
	mpq_init(a->hours);
	a->n_needs = sc->n_interventions;
	a->needs = malloc((a->n_needs ? a->n_needs : 1) * sizeof(phsg_need));
	if (!a->needs)
		abort();
	for (size_t i = 0; i < a->n_needs; i++)
		a->needs[i] = PHSG_NEED_NONE;
}

void phsg_assessment_release(phsg_assessment *a)
{
	if (!a || !a->needs)
		return;
	mpq_clear(a->hours);
	free(a->needs);
	a->needs = NULL;
}

void phsg_assessment_copy(phsg_assessment *dst, const phsg_assessment *src)
{
	phsg_need *needs = dst->needs;

	if (dst->n_needs != src->n_needs) {
		needs = realloc(needs, (src->n_needs ? src->n_needs : 1) * sizeof(phsg_need));
		if (!needs)
			abort();
	}
	memcpy(needs, src->needs, src->n_needs * sizeof(phsg_need));
	dst->package = src->package;
	dst->level = src->level;
	dst->tier = src->tier;
	dst->chosen_tier = src->chosen_tier;
	dst->has_hours = src->has_hours;
	mpq_set(dst->hours, src->hours);
	dst->n_needs = src->n_needs;
	dst->needs = needs;
}

int phsg_assessment_set_need(phsg_assessment *a, const phsg_scheme *sc, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char name[128];
	phsg_need need;
	long idx;

	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(name))
		return phsg_error_set(PHSG_EINVAL,
			"'%s' is not INTERVENTION=LEVEL (e.g. intensive=high)", spec);
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	idx = phsg_scheme_intervention(sc, name);
	if (idx < 0)
		return phsg_error_set(PHSG_EINVAL, "unknown intervention '%s'", name);
	if (phsg_need_parse(eq + 1, &need))
		return PHSG_EINVAL;
	if (a->needs[idx] != PHSG_NEED_NONE)
		return phsg_error_set(PHSG_EINVAL, "the need for '%s' is given twice", name);
	a->needs[idx] = need;
	return 0;
}

int phsg_assessment_validate(const phsg_assessment *a, const phsg_scheme *sc)
{
	const phsg_package *pkg = a->package;
	const phsg_component *hours = phsg_package_component_of_kind(pkg, PHSG_COMP_HOURS);
	const phsg_term *term;
	int any_need = 0, rc;

	if ((rc = phsg_package_term(pkg, a->level, &term)))
		return rc;
	for (size_t i = 0; i < a->n_needs; i++) {
		if (a->needs[i] == PHSG_NEED_NONE)
			continue;
		if (!phsg_package_has_intervention(pkg, i))
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' does not include the intervention '%s'",
				pkg->id, sc->interventions[i].id);
		any_need = 1;
	}
	if (phsg_package_component_of_kind(pkg, PHSG_COMP_RAS) && !any_need)
		return phsg_error_set(PHSG_EINVAL,
			"package '%s' is funded by assessed need: give at least one --need INTERVENTION=LEVEL",
			pkg->id);
	if (pkg->n_tiers == 0 && (a->tier || a->chosen_tier))
		return phsg_error_set(PHSG_EINVAL, "package '%s' has no tiers (--tier given)", pkg->id);
	if (pkg->n_tiers) {
		if (a->tier == 0)
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' is funded by tier: give the assessed --tier (1 to %zu)",
				pkg->id, pkg->n_tiers);
		if (a->tier < 1 || (size_t)a->tier > pkg->n_tiers)
			return phsg_error_set(PHSG_EINVAL, "package '%s' has no tier %d (tiers 1 to %zu)",
				pkg->id, a->tier, pkg->n_tiers);
		if (a->chosen_tier < 0 || (size_t)a->chosen_tier > pkg->n_tiers)
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' has no tier %d to choose (tiers 1 to %zu)",
				pkg->id, a->chosen_tier, pkg->n_tiers);
	}
	if (!hours && a->has_hours)
		return phsg_error_set(PHSG_EINVAL,
			"package '%s' has no hours the person chooses (--hours given)", pkg->id);
	if (hours) {
		if (!a->has_hours)
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' needs the weekly hours the person chooses for '%s' (--hours H)",
				pkg->id, hours->id);
		if (mpq_cmp(a->hours, hours->amount) > 0) {
			char h[PHSG_NUM_BUF], m[PHSG_NUM_BUF];
			phsg_decimal_format(h, sizeof(h), a->hours, 0);
			phsg_decimal_format(m, sizeof(m), hours->amount, 0);
			return phsg_error_set(PHSG_ERULE,
				"%s hours a week is above the maximum of %s hours for '%s' in package '%s'",
				h, m, hours->id, pkg->id);
		}
	}
	return 0;
}

/* The tier the council funds: the assessed one, or a lower one chosen. */
static int funded_tier(const phsg_assessment *a)
{
	return a->chosen_tier && a->chosen_tier < a->tier ? a->chosen_tier : a->tier;
}

void phsg_component_weekly(const phsg_scheme *sc, const phsg_assessment *a,
			   const phsg_component *comp, mpq_t hours, mpq_t fixed)
{
	mpq_set_ui(hours, 0, 1);
	mpq_set_ui(fixed, 0, 1);
	switch (comp->kind) {
	case PHSG_COMP_RAS:
		for (size_t i = 0; i < a->n_needs; i++)
			if (a->needs[i] != PHSG_NEED_NONE)
				mpq_add(hours, hours, sc->interventions[i].hours[a->needs[i]]);
		break;
	case PHSG_COMP_HOURS:
		mpq_set(hours, a->hours);
		break;
	case PHSG_COMP_FIXED:
		mpq_set(fixed, comp->amount);
		break;
	case PHSG_COMP_CASH:
		/* per 28-day cycle, accruing by day: a quarter of it a week */
		mpq_set(fixed, comp->amount);
		mpz_mul_ui(mpq_denref(fixed), mpq_denref(fixed), 4);
		mpq_canonicalize(fixed);
		break;
	case PHSG_COMP_TIER:
		mpq_set(fixed, a->package->tiers[funded_tier(a) - 1].weekly);
		break;
	default:
		break;
	}
}

void phsg_contribution_weekly(const phsg_assessment *a, mpq_t out)
{
	mpq_set_ui(out, 0, 1);
	if (a->package->n_tiers && a->chosen_tier > a->tier)
		mpq_sub(out, a->package->tiers[a->chosen_tier - 1].weekly,
			a->package->tiers[a->tier - 1].weekly);
}

int phsg_accrue(const phsg_scheme *sc, const mpq_t hours, const mpq_t fixed,
		phsg_date from, phsg_date to, mpq_t amount, mpq_t hours_out)
{
	mpq_t sum, t;
	size_t r;
	int rc = 0;

	if (to <= from)
		return 0;
	mpq_inits(sum, t, NULL);
	if (mpq_sgn(hours) != 0) {
		/* sum = sum over rate segments of days x hourly rate */
		if ((rc = phsg_scheme_rate_at(sc, from, &r)))
			goto cleanup;
		for (phsg_date d = from; d < to; r++) {
			phsg_date seg_end = r + 1 < sc->n_rates && sc->rates[r + 1].from < to ?
				sc->rates[r + 1].from : to;
			mpq_set_ui(t, (unsigned long)(seg_end - d), 1);
			mpq_mul(t, t, sc->rates[r].hourly);
			mpq_add(sum, sum, t);
			d = seg_end;
		}
		mpq_mul(sum, sum, hours);
		if (hours_out) {
			mpq_set_ui(t, (unsigned long)(to - from), 7);
			mpq_canonicalize(t);
			mpq_mul(t, t, hours);
			mpq_add(hours_out, hours_out, t);
		}
	}
	mpq_set_ui(t, (unsigned long)(to - from), 1);
	mpq_mul(t, t, fixed);
	mpq_add(sum, sum, t);
	mpq_set_ui(t, 1, 7);
	mpq_mul(sum, sum, t);
	mpq_add(amount, amount, sum);
cleanup:
	mpq_clears(sum, t, NULL);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The explanation: one sentence per step, with the figures used. */

static void explain(phsg_quote *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void explain(phsg_quote *q, const char *fmt, ...)
{
	va_list ap;
	char *line = NULL;
	char **grown = realloc(q->explanation, (q->n_explanation + 1) * sizeof(char *));

	if (!grown)
		abort();
	q->explanation = grown;
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	q->explanation[q->n_explanation++] = line;
}

/* A figure for people: rounded to pence by the scheme's rule, "£1,234.56". */
static const char *money(char buf[PHSG_NUM_BUF], const phsg_scheme *sc, const mpq_t x)
{
	mpz_t p;

	mpz_init(p);
	phsg_round_pence(p, NULL, x, sc->rounding);
	phsg_pence_pretty(buf, PHSG_NUM_BUF, p);
	mpz_clear(p);
	return buf;
}

static const char *pence(char buf[PHSG_NUM_BUF], const mpz_t p)
{
	phsg_pence_pretty(buf, PHSG_NUM_BUF, p);
	return buf;
}

static const char *num(char buf[PHSG_NUM_BUF], const mpq_t x)
{
	phsg_decimal_format(buf, PHSG_NUM_BUF, x, 0);
	return buf;
}

static const char *rate_str(char buf[PHSG_NUM_BUF], const mpq_t x)
{
	char plain[PHSG_NUM_BUF - 3];
	phsg_decimal_format(plain, sizeof(plain), x, 2);
	snprintf(buf, PHSG_NUM_BUF, "\xc2\xa3%s", plain);
	return buf;
}

static const char *months_word(int months)
{
	return months == 1 ? "month" : "months";
}

static void months_text(char *buf, size_t n, int months)
{
	if (months == PHSG_UNLIMITED)
		snprintf(buf, n, "without limit");
	else
		snprintf(buf, n, "up to %d %s", months, months_word(months));
}

static void explain_needs(phsg_quote *q, const phsg_scheme *sc)
{
	const phsg_assessment *a = &q->assessment;
	char b1[PHSG_NUM_BUF], sum[512] = "";
	size_t used = 0;
	int terms = 0;

	for (size_t i = 0; i < q->package->n_interventions; i++) {
		size_t iv = q->package->interventions[i];
		const phsg_intervention *it = &sc->interventions[iv];
		if (a->needs[iv] == PHSG_NEED_NONE) {
			explain(q, "%s: not assessed, 0 hours a week.", it->name);
			continue;
		}
		explain(q, "%s: %s need = %s hours a week.", it->name,
			phsg_need_name(a->needs[iv]), num(b1, q->intervention_hours[i]));
		if (used < sizeof(sum))
			used += (size_t)snprintf(sum + used, sizeof(sum) - used, "%s%s",
						 terms++ ? " + " : "", b1);
	}
	explain(q, "Support hours: %s = %s hours a week.", used < sizeof(sum) ? sum : "...",
		num(b1, q->weekly_hours));
}

static void explain_component(phsg_quote *q, const phsg_scheme *sc, const phsg_quote_component *c)
{
	const phsg_component *comp = c->component;
	const phsg_assessment *a = &q->assessment;
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], b3[PHSG_NUM_BUF], payee[160];

	if (comp->payee)
		snprintf(payee, sizeof(payee), "paid to %s (fixed by the scheme)", comp->payee);
	else
		snprintf(payee, sizeof(payee), "paid to the award's payee");
	switch (comp->kind) {
	case PHSG_COMP_RAS:
	case PHSG_COMP_HOURS:
		explain(q, "%s (%s): %s hours x %s = %s a week, %s.", comp->id,
			comp->kind == PHSG_COMP_RAS ? "assessed support" : "hours the person chooses",
			num(b1, c->weekly_hours), rate_str(b2, sc->rates[q->rate_index].hourly),
			money(b3, sc, c->weekly), payee);
		break;
	case PHSG_COMP_FIXED:
		explain(q, "%s (fixed): %s a week, %s.", comp->id, money(b1, sc, c->weekly), payee);
		break;
	case PHSG_COMP_CASH:
		explain(q, "%s (cash): %s per 4-week cycle = %s a week, accruing by day, %s.",
			comp->id, money(b1, sc, comp->amount), money(b2, sc, c->weekly), payee);
		break;
	case PHSG_COMP_TIER: {
		int funded = funded_tier(a);
		const phsg_tier *t = &q->package->tiers[funded - 1];
		explain(q, "Assessed tier: %d* %s, %s a week.", a->tier,
			q->package->tiers[a->tier - 1].name,
			money(b1, sc, q->package->tiers[a->tier - 1].weekly));
		if (a->chosen_tier && a->chosen_tier != a->tier)
			explain(q, "Chosen tier: %d* %s, %s a week.", a->chosen_tier,
				q->package->tiers[a->chosen_tier - 1].name,
				money(b1, sc, q->package->tiers[a->chosen_tier - 1].weekly));
		explain(q, "%s (tier): the council funds tier %d* (%s), %s a week, %s.", comp->id,
			funded, t->name, money(b2, sc, c->weekly), payee);
		if (mpq_sgn(q->contribution_weekly) > 0)
			explain(q, "Person's own contribution for the upgrade: %s - %s = %s a week, "
				"charged to the person, never paid from the grant.",
				money(b1, sc, q->package->tiers[a->chosen_tier - 1].weekly),
				money(b2, sc, q->package->tiers[a->tier - 1].weekly),
				money(b3, sc, q->contribution_weekly));
		break;
	}
	default:
		break;
	}
}

/* The award total of one component, with its rate segments spelled out. */
static void explain_total(phsg_quote *q, const phsg_scheme *sc, const phsg_quote_component *c)
{
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	const char *who = q->n_components > 1 ? c->component->id : "Award total";
	size_t r;

	if (mpq_sgn(c->weekly_hours) != 0 && phsg_scheme_rate_at(sc, q->start, &r) == 0 &&
	    (r + 1 < sc->n_rates && sc->rates[r + 1].from < q->end)) {
		/* the award spans a rate change: one line per segment */
		for (phsg_date d = q->start; d < q->end; r++) {
			phsg_date e = r + 1 < sc->n_rates && sc->rates[r + 1].from < q->end ?
				sc->rates[r + 1].from : q->end;
			mpq_t w, part;
			mpq_inits(w, part, NULL);
			mpq_mul(w, c->weekly_hours, sc->rates[r].hourly);
			mpq_add(w, w, c->fixed_weekly);
			phsg_accrue(sc, c->weekly_hours, c->fixed_weekly, d, e, part, NULL);
			phsg_date_format(d1, d);
			phsg_date_format(d2, e);
			explain(q, "%s: %s to %s, %d days at %s a week (rate %s) = %s.", c->component->id,
				d1, d2, (int)(e - d), money(b1, sc, w),
				rate_str(b2, sc->rates[r].hourly), money(b2, sc, part));
			mpq_clears(w, part, NULL);
			d = e;
		}
		explain(q, "%s: the exact sum of those days, rounded once (%s) = %s.", who,
			phsg_rounding_name(sc->rounding), pence(b1, c->total_pence));
	} else {
		explain(q, "%s: %d days x %s a week / 7 = %s (the exact amount, rounded once, %s).",
			who, (int)(q->end - q->start), money(b1, sc, c->weekly),
			pence(b2, c->total_pence), phsg_rounding_name(sc->rounding));
	}
}

static void build_explanation(phsg_quote *q, const phsg_scheme *sc)
{
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], m[64];

	months_text(m, sizeof(m), q->term->extendable_months);
	if (q->term->level)
		explain(q, "Package: %s (%s), level %d: awarded for %d %s, extendable %s.",
			q->package->name, q->package->id, q->term->level, q->term->period_months,
			months_word(q->term->period_months), m);
	else
		explain(q, "Package: %s (%s): awarded for %d %s, extendable %s.",
			q->package->name, q->package->id, q->term->period_months,
			months_word(q->term->period_months), m);
	if (q->package->n_interventions)
		explain_needs(q, sc);
	if (q->has_rate && mpq_sgn(q->weekly_hours) != 0) {
		phsg_date_format(d1, q->start);
		phsg_date_format(d2, sc->rates[q->rate_index].from);
		explain(q, "Hourly rate in force on %s: %s (in force from %s).", d1,
			rate_str(b1, sc->rates[q->rate_index].hourly), d2);
	}
	for (size_t i = 0; i < q->n_components; i++)
		explain_component(q, sc, &q->components[i]);
	explain(q, "Weekly amount: %s; 4-weekly cycle: 4 x %s = %s.", money(b1, sc, q->weekly),
		money(b1, sc, q->weekly), money(b2, sc, q->cycle));
	phsg_date_format(d1, q->start);
	phsg_date_format(d2, q->end);
	explain(q, "Award period: %s to %s, %d days (%d %s; the end date is the first day not covered).",
		d1, d2, (int)(q->end - q->start), q->term->period_months,
		months_word(q->term->period_months));
	for (size_t i = 0; i < q->n_components; i++)
		explain_total(q, sc, &q->components[i]);
	if (q->n_components > 1)
		explain(q, "Award total: the sum of the component totals = %s.",
			pence(b1, q->award_total_pence));
	if (q->unlimited) {
		explain(q, "Extension: the award can be extended without limit, so there is no maximum total.");
	} else {
		phsg_date_format(d1, q->extendable_to);
		explain(q, "Extension: up to %s (%d %s from the start); extended that far the total would be %s.",
			d1, q->term->extendable_months, months_word(q->term->extendable_months),
			pence(b1, q->max_total_pence));
	}
	explain(q, "Payments: every 4 weeks, each cycle's share of the exact entitlement, "
		"so the payments add up to the award total to the penny.");
}

int phsg_quote_compute(phsg_quote **out, const phsg_scheme *sc,
		       const phsg_assessment *a, phsg_date start)
{
	phsg_quote *q = NULL;
	int rc;

	*out = NULL;
	if ((rc = phsg_assessment_validate(a, sc)))
		return rc;
	q = calloc(1, sizeof(*q));
	if (!q)
		abort();
	phsg_assessment_init(&q->assessment, sc);
	phsg_assessment_copy(&q->assessment, a);
	q->package = a->package;
	phsg_package_term(a->package, a->level, &q->term);
	q->start = start;
	q->end = phsg_date_add_months(start, q->term->period_months);
	q->unlimited = q->term->extendable_months == PHSG_UNLIMITED;
	if (!q->unlimited)
		q->extendable_to = phsg_date_add_months(start, q->term->extendable_months);
	mpq_inits(q->weekly_hours, q->weekly, q->cycle, q->contribution_weekly, NULL);
	mpz_inits(q->award_total_pence, q->max_total_pence, NULL);
	q->has_rate = phsg_scheme_rate_at(sc, start, &q->rate_index) == 0;

	q->intervention_hours = calloc(q->package->n_interventions + 1, sizeof(mpq_t));
	q->components = calloc(q->package->n_components, sizeof(phsg_quote_component));
	if (!q->intervention_hours || !q->components)
		abort();
	for (size_t i = 0; i < q->package->n_interventions; i++) {
		size_t iv = q->package->interventions[i];
		mpq_init(q->intervention_hours[i]);
		if (a->needs[iv] != PHSG_NEED_NONE)
			mpq_set(q->intervention_hours[i], sc->interventions[iv].hours[a->needs[iv]]);
	}
	q->n_components = q->package->n_components;
	for (size_t i = 0; i < q->n_components; i++) {
		phsg_quote_component *c = &q->components[i];
		c->component = &q->package->components[i];
		mpq_inits(c->weekly_hours, c->fixed_weekly, c->weekly, c->entitlement, NULL);
		mpz_inits(c->total_pence, c->max_total_pence, NULL);
	}
	for (size_t i = 0; i < q->n_components; i++) {
		phsg_quote_component *c = &q->components[i];
		mpq_t max;

		phsg_component_weekly(sc, a, c->component, c->weekly_hours, c->fixed_weekly);
		if (mpq_sgn(c->weekly_hours) != 0 && !q->has_rate) {
			rc = phsg_scheme_rate_at(sc, start, &q->rate_index);
			goto cleanup;
		}
		mpq_set(c->weekly, c->fixed_weekly);
		if (mpq_sgn(c->weekly_hours) != 0) {
			mpq_t t;
			mpq_init(t);
			mpq_mul(t, c->weekly_hours, sc->rates[q->rate_index].hourly);
			mpq_add(c->weekly, c->weekly, t);
			mpq_clear(t);
		}
		mpq_add(q->weekly_hours, q->weekly_hours, c->weekly_hours);
		mpq_add(q->weekly, q->weekly, c->weekly);
		if ((rc = phsg_accrue(sc, c->weekly_hours, c->fixed_weekly, start, q->end,
				      c->entitlement, NULL)))
			goto cleanup;
		phsg_round_pence(c->total_pence, NULL, c->entitlement, sc->rounding);
		mpz_add(q->award_total_pence, q->award_total_pence, c->total_pence);
		if (!q->unlimited) {
			mpq_init(max);
			rc = phsg_accrue(sc, c->weekly_hours, c->fixed_weekly, start,
					 q->extendable_to, max, NULL);
			phsg_round_pence(c->max_total_pence, NULL, max, sc->rounding);
			mpz_add(q->max_total_pence, q->max_total_pence, c->max_total_pence);
			mpq_clear(max);
			if (rc)
				goto cleanup;
		}
	}
	mpq_set_ui(q->cycle, 4, 1);
	mpq_mul(q->cycle, q->cycle, q->weekly);
	phsg_contribution_weekly(a, q->contribution_weekly);
	build_explanation(q, sc);
cleanup:
	if (rc)
		phsg_quote_free(q);
	else
		*out = q;
	return rc;
}

void phsg_quote_free(phsg_quote *q)
{
	if (!q)
		return;
	for (size_t i = 0; q->intervention_hours && i < q->package->n_interventions; i++)
		mpq_clear(q->intervention_hours[i]);
	free(q->intervention_hours);
	for (size_t i = 0; q->components && i < q->n_components; i++) {
		phsg_quote_component *c = &q->components[i];
		mpq_clears(c->weekly_hours, c->fixed_weekly, c->weekly, c->entitlement, NULL);
		mpz_clears(c->total_pence, c->max_total_pence, NULL);
	}
	free(q->components);
	for (size_t i = 0; i < q->n_explanation; i++)
		free(q->explanation[i]);
	free(q->explanation);
	mpq_clears(q->weekly_hours, q->weekly, q->cycle, q->contribution_weekly, NULL);
	mpz_clears(q->award_total_pence, q->max_total_pence, NULL);
	phsg_assessment_release(&q->assessment);
	free(q);
}
