/*
 * phsg/payrule.h - the payment rule (SPEC section 4).
 *
 * Given an award, what has been paid so far and which cycles earlier runs
 * processed, decide what a run on date D posts.  The rule knows nothing of
 * storage: the ledger hands it plain numbers and writes back what it
 * returns, so a second storage backend cannot change what is paid.
 */
#ifndef PHSG_PAYRULE_H
#define PHSG_PAYRULE_H

#include <stdint.h>
#include "phsg/award.h"

/** The number of the cycle (PHSG_CYCLE_DAYS long, counted from the anchor) containing `day`. */
long phsg_payrule_cycle_of(const phsg_calendar *cal, phsg_date day);
/** The first day of cycle k. */
phsg_date phsg_payrule_cycle_start(const phsg_calendar *cal, long k);
/** The due date of cycle k: its start less the lead days, rolled to a working day. */
int phsg_payrule_cycle_due(phsg_date *out, const phsg_calendar *cal, long k);

/** The component index used for a person's own contribution. */
#define PHSG_CONTRIBUTION (-1)

/** A cycle's payment, an adjustment, or (an imported caseload) an opening posting. */
typedef enum {
	PHSG_POST_CYCLE = 1,   /**< a cycle's payment, due before it starts */
	PHSG_POST_ADJUSTMENT,  /**< what a change since the last payment owes */
	PHSG_POST_OPENING      /**< what a previous system paid (award import --paid-to) */
} phsg_post_kind;

/** One thing a run posts for an award. */
typedef struct {
	int comp;              /**< package component index, or PHSG_CONTRIBUTION */
	phsg_post_kind kind;   /**< what it is */
	long cycle;            /**< the cycle it pays (phsg_payrule_cycle_of) */
	phsg_date cycle_start, cycle_end; /**< [cycle_start, cycle_end) */
	phsg_date due;         /**< the due date */
	int64_t amount;        /**< pence, > 0; for a contribution, < 0 withdraws charges */
	const char *payee;     /**< owned by the award */
	int method;            /**< a PHSG_METHOD_* */
} phsg_posting;

/** What earlier runs did for one component. */
typedef struct {
	int64_t paid;          /**< P: net pence paid (or charged) so far, less recoveries */
	const long *processed; /**< cycles processed by runs that were not voided, ascending */
	size_t n_processed;    /**< the number of processed cycles */
} phsg_component_state;

/**
 * What the payment rule decided for one award.  The caller's, reusable
 * award to award: phsg_payrule_result_init() once, _reset() between
 * awards, _release() at the end.
 */
typedef struct {
	phsg_posting *postings; /**< what to post, in component order */
	size_t n_postings, cap_postings; /**< used and allocated */
	long *processed;        /**< newly processed (comp, cycle) pairs, flattened */
	size_t n_processed, cap_processed; /**< used (longs) and allocated */
	/** per component (index comp + 1): P - round(E(last due)) where positive */
	int64_t *outstanding;
	size_t n_outstanding, cap_outstanding; /**< used and allocated */
	/** the earliest date the award may next have something due (or PHSG_DATE_MAX) */
	phsg_date next_due;
} phsg_payrule_result;

/** Start an empty result. */
void phsg_payrule_result_init(phsg_payrule_result *r);

/** Free what a result holds (it may then be initialised again). */
void phsg_payrule_result_release(phsg_payrule_result *r);

/** Empty the result for the next award, keeping its memory. */
void phsg_payrule_result_reset(phsg_payrule_result *r);

/**
 * Apply the payment rule to `aw` for a run on `run_date`.  `states` has
 * n_components + 1 entries: states[0] is the contribution, states[c + 1]
 * component c.  Postings are appended to `out`.
 */
int phsg_payrule_apply(phsg_payrule_result *out, const phsg_scheme *sc, const phsg_award *aw,
		       phsg_date run_date, const phsg_component_state *states);

/**
 * What the payee owes back on component `comp`: what was paid (net of
 * recoveries) beyond the rounded entitlement to the end of the last
 * processed cycle (or the award's end, if sooner); 0 when nothing is.
 * While the award runs this is its outstanding recovery, once it has
 * ended its recovery due (SPEC sections 4 and 10).
 */
int phsg_payrule_owed_back(int64_t *owed, const phsg_scheme *sc, const phsg_award *aw,
			   int comp, const phsg_component_state *st);

/**
 * The exact entitlement of component `comp` accrued from the award's start
 * to `upto`, rounded once by the scheme's rule, in pence.
 */
int phsg_payrule_entitled_pence(int64_t *out, const phsg_scheme *sc, const phsg_award *aw,
			int comp, phsg_date upto);

#endif
