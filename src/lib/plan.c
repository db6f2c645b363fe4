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

const char *phsg_plan_outcome_status_name(int status)
{
	return status >= 0 && status <= PHSG_OUTCOME_REGRESSED ? names[status] : "?";
}

int phsg_plan_outcome_status_parse(int *out, const char *text)
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
		free((char *)o->area);
		free((char *)o->goal);
		free((char *)o->measure);
		free((char *)o->way);
		free((char *)o->provider);
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

void phsg_award_weekly_hours(mpq_t out, const phsg_scheme *sc, const phsg_award *aw)
{
	const phsg_assessment *a = &aw->assess[aw->n_assess - 1].a;
	mpq_t h, f;

	mpq_set_ui(out, 0, 1);
	mpq_inits(h, f, NULL);
	for (size_t c = 0; c < aw->package->n_components; c++) {
		phsg_alloc_component_weekly(h, f, sc, a, &aw->package->components[c]);
		mpq_add(out, out, h);
	}
	mpq_clears(h, f, NULL);
}

void phsg_plan_hours(mpq_t out, const phsg_plan *p)
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
	phsg_scheme_package_term(&term, aw->package, phsg_award_current_level(aw));
	if (term->extendable_months != PHSG_UNLIMITED)
		ceiling = phsg_date_add_months(aw->start, term->extendable_months);
	if (o->by && (o->by < aw->start || (ceiling != PHSG_DATE_LAST && o->by >= ceiling))) {
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
	phsg_plan_hours(plan, p);
	if (o->has_hours)
		mpq_add(plan, plan, o->hours);
	phsg_award_weekly_hours(award, sc, aw);
	if (mpq_cmp(plan, award) > 0) {
		if (phsg_money_format(h1, sizeof(h1), plan, 0) ||
		    phsg_money_format(h2, sizeof(h2), award, 0))
			rc = PHSG_EINVAL;
		else
			rc = phsg_error_set(PHSG_ERULE, "the plan would need %s hours a week, more than the "
					    "%s hours a week award %s is assessed for", h1, h2, aw->ref);
	}
	mpq_clears(plan, award, NULL);
	return rc;
}

int phsg_plan_check_review(const phsg_award *aw, const phsg_plan *p, const phsg_review *r)
{
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF];
	const int *outcomes = r->outcomes;
	phsg_date on = r->on;
	size_t n = r->n;

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

/* ---- report reviews ---- */

int phsg_plan_dues(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p,
		   phsg_date as_of, int (*fn)(void *ctx, const phsg_review_due *d), void *ctx)
{
	phsg_review_due d;
	int rc = 0, reviewed = 0;

	if (aw->withdrawn || as_of < aw->start || as_of >= aw->end || !sc->outcomes.present)
		return 0;
	d.due = phsg_plan_next_review(sc, aw, p);
	if (d.due <= as_of + PHSG_PLAN_DUE_WITHIN_DAYS) {
		d.reason = p->n_reviews ? "periodic" : "first-review";
		d.outcome = 0;
		if ((rc = fn(ctx, &d)))
			return rc;
	}
	for (size_t i = 0; i < p->n_reviews; i++)
		reviewed |= p->reviews[i] >= aw->term_from;
	if (aw->end - 1 <= as_of + PHSG_PLAN_DUE_WITHIN_DAYS && !reviewed) {
		d = (phsg_review_due){ aw->end - 1, "ending", 0 };
		if ((rc = fn(ctx, &d)))
			return rc;
	}
	for (size_t i = 0; i < p->n_outcomes && rc == 0; i++) {
		const phsg_plan_outcome *o = &p->outcomes[i];
		if (o->by && o->by < as_of && o->status != PHSG_OUTCOME_ACHIEVED &&
		    o->status != PHSG_OUTCOME_NOT_RELEVANT) {
			d = (phsg_review_due){ o->by, "outcome-past-date", o->number };
			rc = fn(ctx, &d);
		}
	}
	return rc;
}

/* ---- report outcomes ---- */

typedef struct {
	char *client;
	size_t area, package;
	int status;                /* as at the cutoff; never reviewed and regressed are not achieved */
	int sustained;             /* achieved on or before its award's end less sustain_months */
} outcome_fact;

struct phsg_outcomes_report {
	const phsg_scheme *sc;
	phsg_date from, to;
	int all;
	long short_stays;
	outcome_fact *facts;
	size_t n_facts;
	phsg_package_result *packages;
	size_t n_packages;
	phsg_area_result *areas;
};

int phsg_plan_outcomes_report_new(phsg_outcomes_report **out, const phsg_scheme *sc,
				  phsg_date from, phsg_date to, int all)
{
	phsg_outcomes_report *r = calloc(1, sizeof(*r));

	if (!r || !(r->areas = calloc(sc->outcomes.n_areas + 1, sizeof(phsg_area_result))))
		abort();
	r->sc = sc;
	r->from = from;
	r->to = to;
	r->all = all;
	*out = r;
	return 0;
}

static size_t package_slot(phsg_outcomes_report *r, const char *id)
{
	for (size_t i = 0; i < r->n_packages; i++)
		if (!strcmp(r->packages[i].package, id))
			return i;
	r->packages = realloc(r->packages, (r->n_packages + 1) * sizeof(*r->packages));
	if (!r->packages)
		abort();
	r->packages[r->n_packages] = (phsg_package_result){ id, 0, 0 };
	return r->n_packages++;
}

void phsg_plan_outcomes_report_add(phsg_outcomes_report *r, const phsg_award *aw, phsg_plan *p,
			      int64_t paid)
{
	phsg_date end, cutoff;
	size_t pkg;

	if (aw->withdrawn)
		return;
	if (r->all) {
		if (aw->start >= r->to || aw->end <= r->from)
			return;
		end = aw->end < r->to ? aw->end : r->to;
		phsg_plan_statuses(p, r->to);
	} else {
		if (aw->end < r->from || aw->end >= r->to)
			return;
		if (aw->end - aw->start < PHSG_PLAN_SHORT_STAY_DAYS) {
			r->short_stays++; /* numbered, left out of the counts */
			return;
		}
		end = aw->end;
		phsg_plan_statuses(p, PHSG_DATE_LAST + 1);
	}
	cutoff = phsg_date_add_months(end, -r->sc->outcomes.sustain_months);
	pkg = package_slot(r, aw->package->id);
	r->packages[pkg].paid += paid;
	for (size_t i = 0; i < p->n_outcomes; i++) {
		const phsg_plan_outcome *o = &p->outcomes[i];
		outcome_fact *f;
		size_t area = r->sc->outcomes.n_areas;
		for (size_t a = 0; a < r->sc->outcomes.n_areas; a++)
			if (!strcmp(r->sc->outcomes.areas[a].id, o->area))
				area = a;
		if (area == r->sc->outcomes.n_areas || o->status == PHSG_OUTCOME_NOT_RELEVANT)
			continue;
		r->facts = realloc(r->facts, (r->n_facts + 1) * sizeof(*r->facts));
		if (!r->facts)
			abort();
		f = &r->facts[r->n_facts++];
		if (!(f->client = strdup(aw->client)))
			abort();
		f->area = area;
		f->package = pkg;
		f->status = o->status == PHSG_OUTCOME_NONE || o->status == PHSG_OUTCOME_REGRESSED ?
			PHSG_OUTCOME_NOT_ACHIEVED : o->status;
		f->sustained = o->status == PHSG_OUTCOME_ACHIEVED && o->achieved_on <= cutoff;
	}
}

static int cmp_fact(const void *a, const void *b)
{
	const outcome_fact *x = a, *y = b;
	int c = strcmp(x->client, y->client);

	return c ? c : (x->area > y->area) - (x->area < y->area);
}

static int cmp_package(const void *a, const void *b)
{
	return strcmp(((const phsg_package_result *)a)->package,
		      ((const phsg_package_result *)b)->package);
}

void phsg_plan_outcomes_report_finish(const phsg_area_result **areas,
				      const phsg_package_result **packages, size_t *n_packages,
				      long *short_stays, phsg_outcomes_report *r)
{
	if (r->n_facts)
		qsort(r->facts, r->n_facts, sizeof(*r->facts), cmp_fact);
	/* one person, one area: all their outcomes there, across their awards, as one plan */
	for (size_t i = 0; i < r->n_facts;) {
		size_t j = i;
		int all_achieved = 1, some = 0, all_sustained = 1;
		while (j < r->n_facts && !cmp_fact(&r->facts[i], &r->facts[j])) {
			all_achieved &= r->facts[j].status == PHSG_OUTCOME_ACHIEVED;
			some |= r->facts[j].status == PHSG_OUTCOME_ACHIEVED ||
				r->facts[j].status == PHSG_OUTCOME_PARTIAL;
			all_sustained &= r->facts[j].sustained;
			j++;
		}
		phsg_area_result *a = &r->areas[r->facts[i].area];
		a->people++;
		if (all_achieved) {
			a->achieved++;
			a->sustained += all_sustained;
			/* the achievement counts once for each package behind it */
			for (size_t k = i; k < j; k++) {
				int seen = 0;
				for (size_t m = i; m < k; m++)
					seen |= r->facts[m].package == r->facts[k].package;
				if (!seen)
					r->packages[r->facts[k].package].achieved++;
			}
		} else if (some) {
			a->partial++;
		} else {
			a->not_achieved++;
		}
		i = j;
	}
	if (r->n_packages)
		qsort(r->packages, r->n_packages, sizeof(*r->packages), cmp_package);
	*areas = r->areas;
	*packages = r->packages;
	*n_packages = r->n_packages;
	*short_stays = r->short_stays;
}

void phsg_plan_outcomes_report_free(phsg_outcomes_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_facts; i++)
		free(r->facts[i].client);
	free(r->facts);
	free(r->packages);
	free(r->areas);
	free(r);
}
