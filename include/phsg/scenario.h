/*
 * phsg/scenario.h - costing a whole caseload under several schemes.
 *
 * A model reads a caseload (CSV, one row per person) once, streaming, and
 * for each named scenario (a scheme) accrues every row's entitlement over
 * [from, to), per financial year, package and intervention or component.
 * Memory does not depend on the number of rows.
 *
 * Exact and fast: a row adds whole numbers - days x hours and days x fixed
 * weekly amounts, in millionths - to per-year, per-rate-period
 * accumulators; the rates are applied, as rationals, once at the end.  An
 * accumulator about to overflow 64 bits is flushed into a GMP integer, so
 * nothing is ever lost.
 */
#ifndef PHSG_SCENARIO_H
#define PHSG_SCENARIO_H

#include <stdio.h>
#include <gmp.h>
#include "phsg/scheme.h"

/** A model being built (opaque): phsg_scenario_new() ... phsg_scenario_free(). */
typedef struct phsg_scenario_model phsg_scenario_model;

/** A named amount: a package's or an intervention's cost, rounded once. */
typedef struct {
	const char *name;
	mpq_t exact;
	mpz_t pence;
} phsg_named_amount;

/** One financial year of one scenario. */
typedef struct {
	char name[8];            /**< "2026-27" */
	phsg_date start, end;    /**< the part of the year inside [from, to) */
	long days;               /**< end - start: the days of the year modelled */
	long days_in_year;       /**< 365, or 366 with a 29 February */
	mpq_t cost;              /**< exact */
	mpz_t cost_pence;        /**< rounded once */
	mpq_t hours;             /**< support hours accrued, exact */
	mpq_t fixed;             /**< the part of the cost that does not depend on the rate */
	long people;             /**< rows with at least one active day */
	size_t n_packages, n_interventions;
	phsg_named_amount *by_package, *by_intervention;
	int has_budget;          /**< a budget is set for this year */
	int budget_prorated;     /**< only part of the year is modelled: its budget is prorated by days */
	mpq_t budget_year;       /**< the whole year's budget, as set */
	mpz_t budget_pence;      /**< the budget of the part modelled: budget_year x days /
				      days_in_year, rounded once by the scheme's rule */
	int has_break_even;      /**< hours were accrued and a budget set */
	mpz_t headroom_pence;    /**< budget_pence - cost_pence, when a budget is set */
	mpz_t break_even_pence;  /**< the one hourly rate that meets budget_pence, rounded */
} phsg_scenario_year;

/** One scenario's results, year by year. */
typedef struct {
	const char *name;        /**< the scenario's name, as added */
	const phsg_scheme *scheme; /**< its scheme */
	int budgets_from_scheme; /**< 1: the scheme's `budgets`; 0: phsg_scenario_set_budgets() */
	size_t n_years;          /**< the financial years [from, to) touches */
	phsg_scenario_year *years; /**< in order */
} phsg_scenario_result;

/**
 * A model over [from, to).  Each scenario is measured against the budgets
 * of its own scheme (its `budgets` group) unless phsg_scenario_set_budgets()
 * sets budgets for all of them.  Free with phsg_scenario_free().
 */
int phsg_scenario_new(phsg_scenario_model **out, phsg_date from, phsg_date to);

/**
 * Budgets for every scenario, in place of their schemes' own: `years[i]`
 * for the financial year starting 1 April years[i].year, and `every` (may
 * be NULL) for each year not listed.  A year with neither has no budget.
 * Each amount is a whole year's; a year only partly inside [from, to) has
 * its budget prorated by days.  Call before phsg_scenario_results();
 * PHSG_EINVAL for a year listed twice.
 */
int phsg_scenario_set_budgets(phsg_scenario_model *m, const mpq_t every, const phsg_budget *years,
			      size_t n);

/** Free a model and its results; NULL is a no-op. */
void phsg_scenario_free(phsg_scenario_model *m);

/** Add a scenario: a name and a loaded scheme (which must outlive the model). */
int phsg_scenario_add(phsg_scenario_model *m, const char *name, const phsg_scheme *sc);

/**
 * Read the caseload and accrue every row under every scenario.  A row that
 * is invalid under any scenario is left out of all of them and passed to
 * `bad` with its line number and the reason.  PHSG_EINVAL for a file that
 * cannot be read or lacks a column.
 */
int phsg_scenario_read(phsg_scenario_model *m, FILE *f, const char *path,
		       void (*bad)(void *ctx, long line, const char *why), void *ctx);

/**
 * Before phsg_scenario_read: `warn` is called once for each caseload column
 * that no scenario's scheme knows (it is ignored), with read's `ctx`.
 */
void phsg_scenario_on_unknown_column(phsg_scenario_model *m,
				     void (*warn)(void *ctx, const char *column));

/** The caseload rows used so far. */
long phsg_scenario_rows_used(const phsg_scenario_model *m);

/** The caseload rows left out so far (each passed to read's `bad`). */
long phsg_scenario_rows_left_out(const phsg_scenario_model *m);

/** The results, after phsg_scenario_read(); owned by the model. */
int phsg_scenario_results(const phsg_scenario_result **out, size_t *n, phsg_scenario_model *m);

#endif
