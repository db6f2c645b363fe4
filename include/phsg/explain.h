/*
 * phsg/explain.h - why each payment of an award is the amount it is
 * (SPEC section 11, `phsg award explain`).
 *
 * For each payment: the cycle; the entitlement accrued from the award's
 * start to the cycle's end, segment by segment (days, weekly amount, the
 * hours and rate behind it), as the award was known when the payment was
 * posted; that sum rounded once; what had already been paid; and the
 * difference, which is the payment.  For a payment that reconciles a change
 * (an adjustment, or a cycle that also catches up), the events, voids,
 * returns and recoveries recorded since the component's previous payment.
 * Reversals and recoveries received are explained too.
 */
#ifndef PHSG_EXPLAIN_H
#define PHSG_EXPLAIN_H

#include "phsg/ledger.h"

/** One payment (or reversal, or recovery received) with its reasons. */
typedef struct {
	long long batch;          /**< 0 outside a batch (an opening posting, a recovery) */
	long long payment;        /**< the payment's number; 0 for a recovery */
	const char *component, *payee;
	const char *kind;         /**< cycle, adjustment, opening, reversal or recovery */
	phsg_date cycle_start, cycle_end, due;  /**< cycle bounds 0 for a recovery */
	int64_t amount;           /**< pence; reversals and recoveries negative */
	size_t n_reasons;
	char **reasons;           /**< one sentence each, every figure exact or rounded as it says */
} phsg_explained;

/**
 * Call fn for every payment of award `ref`, oldest first, and each
 * recovery received where it falls.  The entry is valid during the call
 * only.  PHSG_ENOTFOUND for an unknown award.
 */
int phsg_explain_award(phsg_ledger *l, const phsg_scheme *sc, const char *ref,
		       int (*fn)(void *ctx, const phsg_explained *e), void *ctx);

#endif
