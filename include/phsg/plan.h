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

#include <stdint.h>
#include "phsg/award.h"

/** How far ahead `report reviews` looks for a review or an end falling due (days). */
#define PHSG_PLAN_DUE_WITHIN_DAYS 28

/** An award shorter than this (days) is a short stay, left out of outcome counts. */
#define PHSG_PLAN_SHORT_STAY_DAYS 28

/** An outcome's status; PHSG_OUTCOME_NONE until a review names it. */
enum {
	PHSG_OUTCOME_NONE = 0,     /**< not reviewed yet */
	PHSG_OUTCOME_ACHIEVED,     /**< achieved */
	PHSG_OUTCOME_PARTIAL,      /**< partly achieved */
	PHSG_OUTCOME_NOT_ACHIEVED, /**< not achieved */
	PHSG_OUTCOME_NOT_RELEVANT, /**< no longer relevant */
	PHSG_OUTCOME_REGRESSED     /**< further from it than at the start */
};

/** "achieved", "partial", "not-achieved", "not-relevant", "regressed" ("not-reviewed" for none). */
const char *phsg_plan_outcome_status_name(int status);

/** Parse a status into *out; PHSG_EINVAL for anything but the five names a review may give. */
int phsg_plan_outcome_status_parse(int *out, const char *text);

/**
 * One outcome of a plan.  As input (phsg_ledger_plan_add) the strings are
 * the caller's; as loaded (phsg_ledger_plan_load) they belong to the plan
 * and are freed by phsg_plan_release().
 */
typedef struct {
	int number;                /**< 1, 2, ... within the award */
	const char *area;          /**< the scheme's outcome area id */
	const char *goal;          /**< what the person wants to achieve */
	const char *measure;       /**< how progress is measured, or NULL */
	const char *way;           /**< the scheme's way the money is used, or NULL */
	const char *provider;      /**< the provider's payee reference, or NULL */
	phsg_date by;              /**< the target date, or 0: ongoing */
	int has_hours;             /**< whether `hours` is set */
	mpq_t hours;               /**< weekly hours it needs */
	/* computed by phsg_plan_statuses: */
	int status;                /**< latest status as of the cutoff */
	phsg_date status_on;       /**< the review that set it (0: none) */
	phsg_date achieved_on;     /**< when status is achieved: the review that last set it so */
} phsg_plan_outcome;

/** One outcome's status set by one review. */
typedef struct {
	phsg_date on;              /**< the review's date */
	int outcome;               /**< the outcome's number */
	int status;                /**< a PHSG_OUTCOME_* */
} phsg_review_mark;

/** An award's plan: its outcomes and the reviews of them. */
typedef struct {
	size_t n_outcomes;         /**< the number of outcomes */
	phsg_plan_outcome *outcomes; /**< by number */
	size_t n_reviews;          /**< the number of reviews */
	phsg_date *reviews;        /**< review dates, ascending */
	size_t n_marks;            /**< the number of marks */
	phsg_review_mark *marks;   /**< ascending by review date, then as recorded */
} phsg_plan;

/** Free what a plan holds (not the struct); a zeroed plan is a no-op. */
void phsg_plan_release(phsg_plan *p);

/** Work out each outcome's status from the reviews dated before `cutoff`. */
void phsg_plan_statuses(phsg_plan *p, phsg_date cutoff);

/**
 * Plan hours into `out` (initialised): the hours of the outcomes whose
 * latest status is neither achieved nor not-relevant.
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

/** The version of phsg_review this library was built with. */
#define PHSG_REVIEW_VERSION 1

/**
 * A review to record (phsg_ledger_review_add): its date, a note, and the
 * status it sets for some outcomes.  The arrays are the caller's.  Start
 * from PHSG_REVIEW_INIT.
 */
typedef struct {
	unsigned int version;      /**< PHSG_REVIEW_VERSION */
	phsg_date on;              /**< the review's date */
	const char *note;          /**< free text, or NULL */
	const int *outcomes;       /**< the outcomes' numbers */
	const int *statuses;       /**< statuses[i] for outcomes[i], PHSG_OUTCOME_* */
	size_t n;                  /**< the number of outcomes named */
} phsg_review;

/** A phsg_review with nothing set but its version. */
#define PHSG_REVIEW_INIT { .version = PHSG_REVIEW_VERSION }

/**
 * May review `r` be recorded?  Its date must lie from the award's start
 * to its end, the end date itself included (PHSG_ERULE otherwise); each
 * outcome it names must exist and be named once (PHSG_EINVAL).
 */
int phsg_plan_check_review(const phsg_award *aw, const phsg_plan *p, const phsg_review *r);

/**
 * When the next review is due: start + first_review_weeks when there has
 * been none, else the latest review + review_months.
 */
phsg_date phsg_plan_next_review(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p);

/* ---- what is due (report reviews) ---- */

/** A review due, an award ending unreviewed, or an outcome past its date. */
typedef struct {
	phsg_date due;             /**< when it is (or was) due */
	const char *reason;        /**< first-review, periodic, ending, outcome-past-date */
	int outcome;               /**< the outcome's number for outcome-past-date, else 0 */
} phsg_review_due;

/**
 * For an award running on `as_of`: reviews due within
 * PHSG_PLAN_DUE_WITHIN_DAYS or overdue, its end within
 * PHSG_PLAN_DUE_WITHIN_DAYS with no review since its latest extension (or
 * its start), and outcomes past their date neither achieved nor not
 * relevant.  fn is called for each; `p` must have its statuses worked out.
 * A non-zero return from fn stops and is returned.
 */
int phsg_plan_dues(const phsg_scheme *sc, const phsg_award *aw, const phsg_plan *p,
		   phsg_date as_of, int (*fn)(void *ctx, const phsg_review_due *d), void *ctx);

/* ---- what the money achieved (report outcomes) ---- */

/** The results in one outcome area. */
typedef struct {
	long people;               /**< people with an outcome in the area */
	long achieved;             /**< of them, people who achieved every outcome there */
	long partial;              /**< people who achieved or partly achieved some */
	long not_achieved;         /**< people who achieved none */
	long sustained;            /**< achievers who had achieved sustain_months before the end */
} phsg_area_result;

/** The results of one package. */
typedef struct {
	const char *package;       /**< the package's id */
	int64_t paid;              /**< net paid to the population's awards of it, all time */
	long achieved;             /**< achieved areas of their people */
} phsg_package_result;

/** An outcomes report being built (opaque). */
typedef struct phsg_outcomes_report phsg_outcomes_report;

/**
 * Start a report over the leavers (awards that ended in [from, to)), or
 * with `all` every award active in the period, statuses as at `to`.
 * *out is freed with phsg_plan_outcomes_report_free(); `sc` must outlive
 * it.  Returns 0.
 */
int phsg_plan_outcomes_report_new(phsg_outcomes_report **out, const phsg_scheme *sc,
				  phsg_date from, phsg_date to, int all);

/** Add an award (its plan loaded, `paid` its net paid); one outside the population is skipped. */
void phsg_plan_outcomes_report_add(phsg_outcomes_report *r, const phsg_award *aw, phsg_plan *p,
				   int64_t paid);

/**
 * Work out the results: per scheme area (in scheme order) and per package
 * (by id), and the short stays left out.  The arrays belong to the report.
 */
void phsg_plan_outcomes_report_finish(const phsg_area_result **areas,
				      const phsg_package_result **packages, size_t *n_packages,
				      long *short_stays, phsg_outcomes_report *r);

/** Free a report; NULL is a no-op. */
void phsg_plan_outcomes_report_free(phsg_outcomes_report *r);

#endif
