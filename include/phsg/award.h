/*
 * phsg/award.h - an award as the sum of its dated events.
 *
 * An award is never stored as a mutable record: the ledger keeps its
 * events (create, extend, reassess, suspend, resume, end, change-payee) and
 * the award is rebuilt by applying them in the order they were recorded.
 * The same function that replays an event also validates a new one, so a
 * rule (an extension past the ceiling, overlapping suspensions, a date
 * outside the award) is enforced in exactly one place.
 *
 * Invariants of a built award:
 *   - start < end; end = start + total_months, unless an `end` event set it;
 *   - assessments are sorted by `from` and the first is from `start`;
 *     assessment i applies on [from_i, from_{i+1});
 *   - suspensions are sorted and never overlap; an open one has to = PHSG_DATE_MAX;
 *   - payee periods are sorted by `from`; the first is from `start`.
 */
#ifndef PHSG_AWARD_H
#define PHSG_AWARD_H

#include "phsg/alloc.h"

/** "Never": the end of an open suspension, of an award with nothing more due. */
#define PHSG_DATE_MAX PHSG_DATE_LAST

/** The assessment in force from a date (until the next one). */
typedef struct {
	phsg_date from;        /**< the first day it applies */
	phsg_assessment a;     /**< owned by the award */
} phsg_award_assessment;

/** A suspension: nothing accrues over [from, to). */
typedef struct {
	phsg_date from, to;    /**< [from, to); to is PHSG_DATE_MAX while open */
} phsg_suspension;

/** Who is paid from a date, and how. */
typedef struct {
	phsg_date from;        /**< the first due date it applies to */
	int method;            /**< a PHSG_METHOD_* */
	char *payee;           /**< the payee's reference, owned by the award */
} phsg_payee_period;

/**
 * An award as its events built it.  Every pointer is owned by the award
 * and freed by phsg_award_release(); callers read, never write.
 */
typedef struct {
	long long id;          /**< the ledger's row number (0 for an award not stored) */
	char *ref;             /**< its reference */
	char *client;          /**< the client's reference */
	const phsg_package *package; /**< the scheme's package (NULL before the create event) */
	int level;             /**< the package level at the start; 0 where it has none */
	phsg_date start, end;  /**< [start, end) */
	int total_months;      /**< the months awarded so far (period + extensions) */
	int closed;            /**< an `end` event was recorded */
	int withdrawn;         /**< its create event was cancelled: end = start, nothing owed */
	int social_care;       /**< the person is also funded by adult social care (SPEC section 13) */
	phsg_date term_from;   /**< the start, or where the latest extension began (the old end) */
	size_t n_assess;       /**< the number of assessments (at least 1 once created) */
	phsg_award_assessment *assess; /**< sorted by `from`; the first from `start` */
	size_t n_susp;         /**< the number of suspensions */
	phsg_suspension *susp; /**< sorted, never overlapping */
	size_t n_payees;       /**< the number of payee periods */
	phsg_payee_period *payees; /**< sorted by `from`; the first from `start` */
	char **component_payees; /**< per package component: an override, or NULL */
} phsg_award;

/**
 * Start an empty award (before its create event).  `ref` and `client` are
 * copied.  Release it with phsg_award_release(), also on failure.
 */
void phsg_award_init(phsg_award *aw, long long id, const char *ref, const char *client);

/** Free what an award holds (not the struct); NULL or a zeroed award is a no-op. */
void phsg_award_release(phsg_award *aw);

/**
 * Apply one event to the award, validating it first.  `kind` is create,
 * extend, reassess, suspend, resume, end or change-payee; `data` the
 * event's settings as the text of a JSON object (NULL for none, "{}"):
 *
 *   create        package, level, tier, chosen_tier, hours (decimal
 *                 text), needs {"INTERVENTION": "LEVEL"}, method, payee,
 *                 component_payees {"COMPONENT": "PAYEE"}, social_care
 *   extend        months (the package's period when absent)
 *   reassess      needs, level, tier, chosen_tier, hours: those given change
 *   suspend       to (a date; open until a resume when absent)
 *   change-payee  method, payee
 *
 * On error the award is unchanged: PHSG_EINVAL for bad input (text that is
 * not a JSON object, a date outside the award, an unknown package, need or
 * component), PHSG_ERULE for a request a rule refuses (an extension past
 * the ceiling or after `end`, an overlapping suspension).
 */
int phsg_award_apply(phsg_award *aw, const phsg_scheme *sc, const char *kind,
		     phsg_date effective, const char *data);

/**
 * Add the exact entitlement of component `comp` (an index into the
 * package's components, or -1 for the person's own contribution) over
 * [from, to), as far as the award is active then, to `amount` (and its
 * rate-dependent hours to `hours`, when not NULL).
 */
int phsg_award_accrue(mpq_t amount, mpq_t hours, const phsg_scheme *sc,
		      const phsg_award *aw, int comp, phsg_date from, phsg_date to);

/**
 * What decides the accrual over [from, to), as a number: two stretches of
 * one length with the same non-zero key accrue the same for every
 * component.  Non-zero only when the stretch lies within the award, within
 * one assessment and one hourly rate, and touches no suspension.
 */
size_t phsg_award_stretch_key(const phsg_scheme *sc, const phsg_award *aw, phsg_date from,
			      phsg_date to);

/** A stretch of days over which an award component accrues at one weekly amount. */
typedef struct {
	phsg_date from, to;    /**< [from, to) */
	int suspended;         /**< nothing accrues: the figures below are 0 */
	mpq_srcptr hours;      /**< rate-dependent hours a week (0 when none) */
	mpq_srcptr hourly;     /**< the hourly rate in force, or NULL when no hours */
	mpq_srcptr fixed;      /**< rate-independent amount a week */
	mpq_srcptr weekly;     /**< hours x hourly + fixed */
	mpq_srcptr amount;     /**< days x weekly / 7, exact */
} phsg_segment;

/**
 * Call fn for each stretch of [from, to), within the award, over which
 * component `comp` (or -1, the person's contribution) accrues at one weekly
 * amount: split at reassessments, suspensions and rate changes.  The sum
 * of the amounts is what phsg_award_accrue adds.  The figures are valid
 * during the call only; a non-zero return from fn stops and is returned.
 */
int phsg_award_segments(const phsg_scheme *sc, const phsg_award *aw, int comp, phsg_date from,
			phsg_date to, int (*fn)(void *ctx, const phsg_segment *s), void *ctx);

/** Does the award have a person's contribution (a tier upgrade) at any time? */
int phsg_award_has_contribution(const phsg_award *aw);

/**
 * Who is paid component `comp` for a payment due on `due`, and how.
 * Returns a payee reference owned by the award.
 */
const char *phsg_award_payee(const phsg_award *aw, int comp, phsg_date due, int *method);

/**
 * The status on a date: "active", "suspended", "ended", "not-started" or
 * "withdrawn".
 */
const char *phsg_award_status(const phsg_award *aw, phsg_date on);

/**
 * The weekly amount of all the award's components on `on`: the assessment
 * in force that day at the hourly rate in force that day.
 */
int phsg_award_weekly_on(mpq_t out, const phsg_scheme *sc, const phsg_award *aw, phsg_date on);

/**
 * The award's weekly support hours as currently assessed (its last
 * assessment), into `out` (initialised).
 */
void phsg_award_weekly_hours(mpq_t out, const phsg_scheme *sc, const phsg_award *aw);

/** The level (supported living) in force at the award's current end; 0 for none. */
int phsg_award_current_level(const phsg_award *aw);

/**
 * Rules a new event must meet beyond those replay checks (SPEC section 10):
 * no event on a withdrawn award, no payee change on or after the end.
 * PHSG_ERULE when refused.
 */
int phsg_award_check_new(const phsg_award *aw, const char *kind, phsg_date effective);

/**
 * SPEC section 12: an award's whole period must lie where the scheme has an
 * hourly rate in force and bank holidays listed, so that every run can work
 * it out.  PHSG_ERULE naming the first rate date or the years covered.
 * Checked when an award is created, extended or imported.
 */
int phsg_award_check_covered(const phsg_scheme *sc, const phsg_award *aw);

/** One recorded event, as the ledger stores it. */
typedef struct {
	const char *kind;
	phsg_date effective;
	const char *data;      /**< the JSON object's text */
} phsg_award_event;

/**
 * Rebuild `aw` (fresh from phsg_award_init) from its events in recorded
 * order, numbered from 1.  A `cancel` event ({"event": N, "reason": ...})
 * makes event N as if it had never been recorded; cancelling event 1
 * withdraws the award (end = start: nothing is owed for it, anything paid
 * is a recovery due).  `also_cancel` (0 for none) treats one more event as
 * cancelled, to try a cancellation before recording it.  Errors name the
 * first event that does not apply.
 */
int phsg_award_replay(phsg_award *aw, const phsg_scheme *sc, const phsg_award_event *ev, size_t n,
		      size_t also_cancel);

/**
 * May event `number` (from 1) of the award's events be cancelled?  Not a
 * cancellation, not one already cancelled, and every other event must
 * still apply without it (PHSG_ERULE naming the first that would not).
 */
int phsg_award_check_cancel(const phsg_award *aw, const phsg_scheme *sc,
			    const phsg_award_event *ev, size_t n, size_t number);

/**
 * The award as one line of text (malloc'd; the caller frees it): what the
 * ledger keeps (award_states, ledger version 8), so that a walk need not
 * replay the events of an award that has none since (award_state.c).
 */
char *phsg_award_state(const phsg_award *aw);

/**
 * Fill `aw` (fresh from phsg_award_init) from phsg_award_state()'s text,
 * checked against `sc`.  PHSG_ELEDGER for a text that is not one this phsg
 * wrote under this scheme; `aw` then holds nothing but its id, ref and
 * client, ready to be replayed from its events.
 */
int phsg_award_from_state(phsg_award *aw, const phsg_scheme *sc, const char *state);

#endif
