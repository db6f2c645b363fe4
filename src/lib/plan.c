/*
 * plan.c - support plans, reviews and outcomes: the rules (SPEC section 13).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/plan.h"

static const char *const names[] = { "not-reviewed", "achieved", "partial", "not-achieved",
	"not-relevant", "regressed" };

const char *phsg_outcome_status_name(int status)
{
	return status >= 0 && status <= PHSG_OUTCOME_REGRESSED ? names[status] : "?";
}

int phsg_outcome_status_parse(const char *text, int *out)
{
	for (int i = PHSG_OUTCOME_ACHIEVED; i <= PHSG_OUTCOME_REGRESSED; i++)
		if (text && !strcmp(text, names[i])) {
			*out = i;
			return 0;
		}
	return phsg_error_set(PHSG_EINVAL, "'%s' is not a status (achieved, partial, not-achieved, "
			      "not-relevant or regressed)", text ? text : "");
}

void phsg_plan_release(phsg_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_outcomes; i++) {
		phsg_plan_outcome *o = &p->outcomes[i];
		free(o->area);
		free(o->goal);
		free(o->measure);
		free(o->way);
		free(o->provider);
		mpq_clear(o->hours);
	}
	free(p->outcomes);
	free(p->reviews);
	free(p->marks);
	memset(p, 0, sizeof(*p));
}

void phsg_plan_statuses(phsg_plan *p, phsg_date cutoff)
{
	for (size_t i = 0; i < p->n_outcomes; i++) {
		p->outcomes[i].status = PHSG_OUTCOME_NONE;
		p->outcomes[i].status_on = 0;
		p->outcomes[i].achieved_on = 0;
	}
	for (size_t k = 0; k < p->n_marks && p->marks[k].on < cutoff; k++) {
		const phsg_review_mark *m = &p->marks[k];
		for (size_t i = 0; i < p->n_outcomes; i++) {
			phsg_plan_outcome *o = &p->outcomes[i];
			if (o->number != m->outcome)
				continue;
			/* achieved again after being achieved keeps the first date it held */
			if (m->status == PHSG_OUTCOME_ACHIEVED && o->status != PHSG_OUTCOME_ACHIEVED)
				o->achieved_on = m->on;
			o->status = m->status;
			o->status_on = m->on;
		}
	}
}

void phsg_award_weekly_hours(const phsg_scheme *sc, const phsg_award *aw, mpq_t out)
{
	const phsg_assessment *a = &aw->assess[aw->n_assess - 1].a;
	mpq_t h, f;

	mpq_set_ui(out, 0, 1);
	mpq_inits(h, f, NULL);
	for (size_t c = 0; c < aw->package->n_components; c++) {
		phsg_component_weekly(sc, a, &aw->package->components[c], h, f);
		mpq_add(out, out, h);
	}
	mpq_clears(h, f, NULL);
}

void phsg_plan_hours(const phsg_plan *p, mpq_t out)
{
	mpq_set_ui(out, 0, 1);
	for (size_t i = 0; i < p->n_outcomes; i++) {
		const phsg_plan_outcome *o = &p->outcomes[i];
		if (o->has_hours && o->status != PHSG_OUTCOME_ACHIEVED &&
		    o->status != PHSG_OUTCOME_NOT_RELEVANT)
			mpq_add(out, out, o->hours);
	}
}

int phsg_plan_check_add(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p,
			const phsg_plan_outcome *o, int provider_accredited)
{
	const phsg_term *term;
	const phsg_way *way = NULL;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF], h1[PHSG_NUM_BUF], h2[PHSG_NUM_BUF];
	phsg_date ceiling = PHSG_DATE_LAST;
	mpq_t plan, award;
	int rc = 0;

	if (!sc->outcomes.present)
		return phsg_error_set(PHSG_EINVAL, "the scheme %s has no outcomes group: no plans",
				      sc->path);
	if (!phsg_scheme_area(sc, o->area))
		return phsg_error_set(PHSG_EINVAL, "unknown outcome area '%s' in %s", o->area, sc->path);
	if (o->way && !(way = phsg_scheme_way(sc, o->way)))
		return phsg_error_set(PHSG_EINVAL, "unknown way '%s' in %s", o->way, sc->path);
	if (aw->withdrawn)
		return phsg_error_set(PHSG_ERULE, "award %s was withdrawn: it has no plan", aw->ref);
	phsg_package_term(aw->package, phsg_award_current_level(aw), &term);
	if (term->extendable_months != PHSG_UNLIMITED)
		ceiling = phsg_date_add_months(aw->start, term->extendable_months);
	if (o->by && (o->by < aw->start || o->by > ceiling)) {
		phsg_date_format(d1, o->by);
		phsg_date_format(d2, aw->start);
		phsg_date_format(d3, ceiling == PHSG_DATE_LAST ? ceiling : ceiling - 1);
		return phsg_error_set(PHSG_ERULE, "the target date %s is outside award %s, which can run "
				      "from %s to %s at the most (its ceiling)", d1, aw->ref, d2, d3);
	}
	if (way && way->accredited_provider && provider_accredited <= 0)
		return phsg_error_set(PHSG_ERULE, "way '%s' is only through an accredited provider: %s",
				      way->id, o->provider ? "the provider given is not accredited" :
				      "give --provider REF of an accredited provider");
	if (way && way->needs_social_care && !aw->social_care)
		return phsg_error_set(PHSG_ERULE, "way '%s' is only for a person also funded by adult "
				      "social care, and award %s was not made with --social-care",
				      way->id, aw->ref);
	mpq_inits(plan, award, NULL);
	phsg_plan_hours(p, plan);
	if (o->has_hours)
		mpq_add(plan, plan, o->hours);
	phsg_award_weekly_hours(sc, aw, award);
	if (mpq_cmp(plan, award) > 0) {
		if (phsg_decimal_format(h1, sizeof(h1), plan, 0) ||
		    phsg_decimal_format(h2, sizeof(h2), award, 0))
			rc = PHSG_EINVAL;
		else
			rc = phsg_error_set(PHSG_ERULE, "the plan would need %s hours a week, more than the "
					    "%s hours a week award %s is assessed for", h1, h2, aw->ref);
	}
	mpq_clears(plan, award, NULL);
	return rc;
}

int phsg_plan_check_review(const phsg_award *aw, const phsg_plan *p, phsg_date on,
			   const int *outcomes, size_t n)
{
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF];

	if (aw->withdrawn)
		return phsg_error_set(PHSG_ERULE, "award %s was withdrawn: it has no reviews", aw->ref);
	if (on < aw->start || on > aw->end) {
		phsg_date_format(d1, on);
		phsg_date_format(d2, aw->start);
		phsg_date_format(d3, aw->end);
		return phsg_error_set(PHSG_ERULE, "a review on %s is outside award %s: it may be dated "
				      "from %s to %s (an exit review on the end date included)", d1,
				      aw->ref, d2, d3);
	}
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		for (size_t k = 0; k < p->n_outcomes; k++)
			found |= p->outcomes[k].number == outcomes[i];
		if (!found)
			return phsg_error_set(PHSG_EINVAL, "award %s has no outcome %d (see phsg plan show)",
					      aw->ref, outcomes[i]);
		for (size_t k = 0; k < i; k++)
			if (outcomes[k] == outcomes[i])
				return phsg_error_set(PHSG_EINVAL, "outcome %d is named twice", outcomes[i]);
	}
	return 0;
}

phsg_date phsg_plan_next_review(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p)
{
	if (p->n_reviews == 0)
		return aw->start + 7 * sc->outcomes.first_review_weeks;
	return phsg_date_add_months(p->reviews[p->n_reviews - 1], sc->outcomes.review_months);
}
