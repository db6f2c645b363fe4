/*
 * phsg/plan.h - support plans, reviews and outcomes (SPEC section 13).
 *
 * An award's plan is the outcomes the person wants to achieve with the
 * grant, each in an outcome area of the scheme, with a target date (or
 * ongoing), how progress is measured, the way the money is used and the
 * weekly hours it needs.  Reviews, dated, record each outcome's status; an
 * outcome not named in a review keeps its status.  The rules for adding an
 * outcome and for when reviews fall due live here, not in a backend.
 */
#ifndef PHSG_PLAN_H
#define PHSG_PLAN_H

#include "phsg/ledger.h"

/** An outcome's status; PHSG_OUTCOME_NONE until a review names it. */
enum {
	PHSG_OUTCOME_NONE = 0,
	PHSG_OUTCOME_ACHIEVED,
	PHSG_OUTCOME_PARTIAL,
	PHSG_OUTCOME_NOT_ACHIEVED,
	PHSG_OUTCOME_NOT_RELEVANT,
	PHSG_OUTCOME_REGRESSED
};

/** "achieved", "partial", "not-achieved", "not-relevant", "regressed" ("not-reviewed" for none). */
const char *phsg_plan_outcome_status_name(int status);
/** PHSG_EINVAL for anything but the five names a review may give. */
int phsg_plan_outcome_status_parse(int *out, const char *text);

typedef struct {
	int number;                /**< 1, 2, ... within the award */
	char *area, *goal, *measure, *way, *provider;   /**< measure, way, provider may be NULL */
	phsg_date by;              /**< the target date, or 0: ongoing */
	int has_hours;
	mpq_t hours;               /**< weekly hours it needs */
	/* computed by phsg_plan_statuses: */
	int status;                /**< latest status as of the cutoff */
	phsg_date status_on;       /**< the review that set it (0: none) */
	phsg_date achieved_on;     /**< when status is achieved: the review that last set it so */
} phsg_plan_outcome;

typedef struct {
	phsg_date on;
	int outcome, status;
} phsg_review_mark;

typedef struct {
	size_t n_outcomes;
	phsg_plan_outcome *outcomes;
	size_t n_reviews;
	phsg_date *reviews;        /**< review dates, ascending */
	size_t n_marks;
	phsg_review_mark *marks;   /**< ascending by review date, then as recorded */
} phsg_plan;

/** An award's plan and reviews; statuses as of every review. */
int phsg_ledger_plan_load(phsg_plan *out, phsg_ledger *l, long long award_id);
void phsg_plan_release(phsg_plan *p);

/** Work out each outcome's status from the reviews dated before `cutoff`. */
void phsg_plan_statuses(phsg_plan *p, phsg_date cutoff);

/** The award's weekly support hours as currently assessed (its last assessment). */
void phsg_award_weekly_hours(mpq_t out, const phsg_scheme *sc, const phsg_award *aw);

/**
 * Plan hours: the hours of the outcomes whose latest status is neither
 * achieved nor not-relevant.
 */
void phsg_plan_hours(mpq_t out, const phsg_plan *p);

/**
 * May outcome `o` be added to the award's plan?  PHSG_EINVAL for an
 * unknown area or way; PHSG_ERULE, with the figures, for a target date
 * outside the award (up to its ceiling), a way that needs an accredited
 * provider without one (`provider_accredited` 0), a way that needs adult
 * social care for an award without it, or plan hours above the award's.
 */
int phsg_plan_check_add(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p,
			const phsg_plan_outcome *o, int provider_accredited);

/** Record outcome `o`; its number is the next in the award's plan. */
int phsg_ledger_plan_add(phsg_ledger *l, long long award_id, phsg_plan_outcome *o);

/**
 * Record a review on `on` (from the award's start to its end, the end date
 * itself included: PHSG_ERULE otherwise) setting outcomes[i] to statuses[i].
 */
int phsg_plan_check_review(const phsg_award *aw, const phsg_plan *p, phsg_date on,
			   const int *outcomes, size_t n);
int phsg_ledger_review_add(phsg_ledger *l, long long award_id, phsg_date on, const char *note,
			   const int *outcomes, const int *statuses, size_t n);

/**
 * When the next review is due: start + first_review_weeks when there has
 * been none, else the latest review + review_months.
 */
phsg_date phsg_plan_next_review(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p);

/* ---- what is due (report reviews) ---- */

/** A review due, an award ending unreviewed, or an outcome past its date. */
typedef struct {
	phsg_date due;
	const char *reason;        /**< first-review, periodic, ending, outcome-past-date */
	int outcome;               /**< the outcome's number for outcome-past-date, else 0 */
} phsg_review_due;

/**
 * For an award running on `as_of`: reviews due within 28 days or overdue,
 * its end within 28 days with no review since its latest extension (or its
 * start), and outcomes past their date neither achieved nor not relevant.
 * fn is called for each; `p` must have its statuses worked out.
 */
int phsg_plan_dues(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p,
		   phsg_date as_of, int (*fn)(void *ctx, const phsg_review_due *d), void *ctx);

/* ---- what the money achieved (report outcomes) ---- */

typedef struct {
	long people, achieved, partial, not_achieved, sustained;
} phsg_area_result;

typedef struct {
	const char *package;
	int64_t paid;              /**< net paid to the population's awards of it, all time */
	long achieved;             /**< achieved areas of their people */
} phsg_package_result;

typedef struct phsg_outcomes_report phsg_outcomes_report;

/**
 * A report over the leavers (awards that ended in [from, to)), or with
 * `all` every award active in the period, statuses as at `to`.
 */
phsg_outcomes_report *phsg_outcomes_report_new(const phsg_scheme *sc, phsg_date from, phsg_date to,
					       int all);
/** Add an award (its plan loaded, `paid` its net paid); one outside the population is skipped. */
void phsg_plan_outcomes_report_add(phsg_outcomes_report *r, const phsg_award *aw, phsg_plan *p,
			      int64_t paid);
/** Work out the results: per scheme area (in scheme order) and per package (by id). */
void phsg_plan_outcomes_report_finish(const phsg_area_result **areas, const phsg_package_result **packages,
				 size_t *n_packages, long *short_stays,
				 phsg_outcomes_report *r);
void phsg_plan_outcomes_report_free(phsg_outcomes_report *r);

#endif
