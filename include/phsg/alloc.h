/*
 * phsg/alloc.h - the resource allocation module.
 *
 * An assessment (a package, its level, tier or chosen hours, and a level of
 * need for each intervention) becomes, for each of the package's
 * components, a weekly amount of the form
 *
 *     weekly(day) = hours x hourly rate in force on day + fixed
 *
 * where `hours` is the component's rate-dependent weekly hours (ras, hours)
 * and `fixed` its rate-independent weekly amount (fixed, cash, tier).  Every
 * figure phsg produces - a quote, a payment, a scenario's cost - is the
 * exact sum of that weekly amount / 7 over the days in question, computed
 * over date segments (one per rate in force), never day by day.
 */
#ifndef PHSG_ALLOC_H
#define PHSG_ALLOC_H

#include <stddef.h>
#include <gmp.h>
#include "phsg/scheme.h"

/** What an assessor decided for one person. */
typedef struct {
	const phsg_package *package;
	int level;         /**< the package's level, 0 where it has none */
	int tier;          /**< the assessed tier, 0 where the package has none */
	int chosen_tier;   /**< the tier the person chose; 0 means the assessed one */
	int has_hours;     /**< whether `hours` was given */
	mpq_t hours;       /**< hours chosen for an `hours` component */
	size_t n_needs;
	phsg_need *needs;  /**< per scheme intervention; PHSG_NEED_NONE if not assessed */
} phsg_assessment;

/** Start an empty assessment for `scheme` (release with phsg_alloc_assessment_release()). */
void phsg_alloc_assessment_init(phsg_assessment *a, const phsg_scheme *scheme);

/** Free what an assessment holds; the struct itself is the caller's. */
void phsg_alloc_assessment_release(phsg_assessment *a);

/** Copy `src` into an initialised `dst`. */
void phsg_alloc_assessment_copy(phsg_assessment *dst, const phsg_assessment *src);

/**
 * Record "INTERVENTION=LEVEL" (as given to --need).  PHSG_EINVAL for an
 * unknown intervention or level, or an intervention given twice.
 */
int phsg_alloc_assessment_set_need(phsg_assessment *a, const phsg_scheme *scheme,
			     const char *spec);

/**
 * Check the assessment against its package: the level exists, each need is
 * for an intervention the package allows, a RAS package has at least one
 * need, tiers and hours are given exactly where the package takes them and
 * within its limits.  PHSG_EINVAL for input the package does not take;
 * PHSG_ERULE for chosen hours above the scheme's maximum.
 */
int phsg_alloc_assessment_validate(const phsg_assessment *a, const phsg_scheme *scheme);

/**
 * The weekly shape of one component: `hours` (x the rate in force) and
 * `fixed`.  The assessment must be valid.
 */
void phsg_alloc_component_weekly(mpq_t hours, mpq_t fixed,
			   const phsg_scheme *scheme, const phsg_assessment *a, const phsg_component *comp);

/** What the person pays a week for a tier above the assessed one (else 0). */
void phsg_alloc_contribution_weekly(mpq_t out, const phsg_assessment *a);

/**
 * Add the exact entitlement of a weekly shape over [from, to) to `amount`
 * (and the support hours accrued to `hours_out`, when not NULL):
 * sum over days d of (hours x rate(d) + fixed) / 7, by rate segments.
 * PHSG_EINVAL when hours are non-zero on a day with no rate in force.
 */
int phsg_alloc_accrue(mpq_t amount, mpq_t hours_out, const phsg_scheme *scheme,
		const mpq_t hours, const mpq_t fixed, phsg_date from, phsg_date to);

/** One component of a quote. */
typedef struct {
	const phsg_component *component;
	mpq_t weekly_hours;    /**< rate-dependent hours a week */
	mpq_t fixed_weekly;    /**< rate-independent amount a week */
	mpq_t weekly;          /**< weekly amount at the rate in force on the start date */
	mpq_t entitlement;     /**< exact, over the award period */
	mpz_t total_pence;     /**< entitlement rounded once */
	mpz_t max_total_pence; /**< if extended to the ceiling (when there is one) */
} phsg_quote_component;

/** An indicative budget with its reasons. */
typedef struct {
	const phsg_package *package;
	const phsg_term *term;
	phsg_assessment assessment;
	phsg_date start, end;
	int unlimited;            /**< no extension ceiling */
	phsg_date extendable_to;  /**< when !unlimited */
	mpq_t *intervention_hours; /**< per package intervention (package order) */
	mpq_t weekly_hours;       /**< total rate-dependent hours a week */
	int has_rate;             /**< a rate is in force on the start date */
	size_t rate_index;
	size_t n_components;
	phsg_quote_component *components;
	mpq_t weekly, cycle;      /**< totals, exact */
	mpz_t award_total_pence, max_total_pence;
	mpq_t contribution_weekly;
	size_t n_explanation;
	char **explanation;
} phsg_quote;

/**
 * Quote an assessment from `start`.  The assessment is validated first.
 * On success *out owns a new quote (free with phsg_alloc_quote_free()).
 */
int phsg_alloc_quote(phsg_quote **out, const phsg_scheme *scheme,
		       const phsg_assessment *a, phsg_date start);

/** Free a quote; NULL is a no-op. */
void phsg_alloc_quote_free(phsg_quote *q);

#endif
