/*
 * ledger_money.c - what an award has been paid, owes back and is owed,
 * worked out once from the ledger for every command and report.
 *
 * Net paid is payments (net of reversals) less recoveries; a balance sets
 * it against the rounded entitlement.  A recovery received is split over
 * the award's components in package order, each taking at most what it
 * owes back (phsg_payrule_owed_back); a person's contribution is charged
 * by runs and what they paid is set against it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/ledger.h"
#include "util.h"

/* The one place net paid and the balance are worked out: from each component's sums. */
static int balance_of(phsg_balance *out, phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw,
		      int comp, const phsg_award_sums *sums, phsg_date as_of, phsg_date entitled_to)
{
	size_t first = comp < 0 ? 0 : (size_t)comp;
	size_t last = comp < 0 ? aw->package->n_components : (size_t)comp + 1;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (comp >= (int)aw->package->n_components)
		return phsg_error_set(PHSG_EINVAL, "award %s has no component %d", aw->ref, comp);
	for (size_t c = first; c < last && rc == 0; c++) {
		int64_t e = 0, p = 0, r = 0;
		if (entitled_to && (rc = phsg_payrule_entitled_pence(&e, sc, aw, (int)c, entitled_to)))
			break;
		if (sums) {
			p = sums->paid[c];
			r = sums->recovered[c];
		} else if ((rc = phsg_ledger_award_sums(&p, &r, l, aw->id,
							aw->package->components[c].id, as_of))) {
			break;
		}
		out->entitled += e;
		out->paid += p;
		out->recovered += r;
	}
	out->net = out->paid - out->recovered;
	return rc;
}

int phsg_ledger_balance(phsg_balance *out, phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw,
			int comp, phsg_date as_of, phsg_date entitled_to)
{
	return balance_of(out, l, sc, aw, comp, NULL, as_of, entitled_to);
}

int phsg_award_sums_balance(phsg_balance *out, const phsg_scheme *sc, const phsg_award *aw,
			    int comp, const phsg_award_sums *sums, phsg_date entitled_to)
{
	return balance_of(out, NULL, sc, aw, comp, sums, 0, entitled_to);
}

int phsg_ledger_recovery_receive(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw,
				 int64_t amount, phsg_date on)
{
	size_t n = aw->package->n_components;
	phsg_award_history h = { 0 };
	int64_t *owed = calloc(n ? n : 1, sizeof(int64_t)), owed_total = 0;
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF];
	int rc;

	if (!owed)
		abort();
	if (amount <= 0) {
		rc = phsg_error_set(PHSG_EINVAL, "a recovery must be more than 0.00");
		goto cleanup;
	}
	if ((rc = phsg_ledger_award_history(&h, l, aw)))
		goto cleanup;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = phsg_payrule_owed_back(&owed[i], sc, aw, (int)i, &h.states[i + 1]);
		owed_total += owed[i];
	}
	if (rc)
		goto cleanup;
	if (owed_total == 0) {
		rc = phsg_error_set(PHSG_ERULE, "award %s owes nothing back: it has not been paid "
				    "beyond its entitlement (the amount owed is 0.00)", aw->ref);
		goto cleanup;
	}
	if (amount > owed_total) {
		rc = phsg_error_set(PHSG_ERULE, "%s is more than award %s owes back: the amount owed "
				    "is %s", phsg_pence_text(b1, amount), aw->ref, phsg_pence_text(b2, owed_total));
		goto cleanup;
	}
	for (size_t i = 0; i < n && amount > 0 && rc == 0; i++) {
		int64_t take = owed[i] < amount ? owed[i] : amount;
		int method;
		/* from whom: the payee paid last, on the receipt date or the award's end */
		const char *payee = phsg_award_payee(aw, (int)i, on < aw->end ? on : aw->end - 1,
						     &method);
		if (take > 0)
			rc = phsg_ledger_recovery_add(l, aw->id, aw->package->components[i].id, payee,
						      take, on);
		amount -= take;
	}
cleanup:
	phsg_ledger_award_history_release(&h);
	free(owed);
	return rc;
}

/* What the person owes or is owed: charged, less what they paid, plus refunds. */
static void account_settle(phsg_contribution_account *out)
{
	int64_t net = out->charged - out->received + out->refunded;

	out->outstanding = net > 0 ? net : 0;
	out->refund_due = net < 0 ? -net : 0;
}

int phsg_ledger_contribution_account(phsg_contribution_account *out, phsg_ledger *l, const phsg_award *aw,
				     phsg_date as_of)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = phsg_ledger_contribution_sum(&out->charged, l, aw->id, as_of)) ||
	    (rc = phsg_ledger_contribution_receipts(&out->received, &out->refunded, l, aw->id,
						    as_of)))
		return rc;
	account_settle(out);
	return 0;
}

void phsg_award_sums_contribution(phsg_contribution_account *out, const phsg_award_sums *sums)
{
	memset(out, 0, sizeof(*out));
	out->charged = sums->charged;
	out->received = sums->received;
	out->refunded = sums->refunded;
	account_settle(out);
}

int phsg_ledger_contribution_record(phsg_ledger *l, const phsg_award *aw, int refund,
				    int64_t amount, phsg_date on)
{
	phsg_contribution_account acc;
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], d[PHSG_DATE_BUF];
	int rc;

	if (amount <= 0)
		return phsg_error_set(PHSG_EINVAL, "a contribution must be more than 0.00");
	if ((rc = phsg_ledger_contribution_account(&acc, l, aw, on)))
		return rc;
	if (!refund && !acc.charged && !phsg_award_has_contribution(aw))
		return phsg_error_set(PHSG_ERULE, "award %s has no contribution of the person's own "
				      "(no tier above the one assessed): there is nothing to receive",
				      aw->ref);
	if (refund && amount > acc.refund_due) {
		phsg_date_format(d, on);
		return phsg_error_set(PHSG_ERULE, "%s is more than can be refunded on award %s: the "
				      "person paid %s beyond what was charged by %s",
				      phsg_pence_text(b1, amount), aw->ref, phsg_pence_text(b2, acc.refund_due), d);
	}
	return phsg_ledger_contribution_receipt_add(l, aw->id, refund, amount, on);
}
