/*
 * run.c - one payment run: select the awards that may have something due,
 * apply the payment rule to each, write the batch, commit (or, for a dry
 * run, roll back).
 *
 * Atomic: everything happens inside one BEGIN IMMEDIATE transaction, so a
 * run killed at any instant leaves the ledger as it was, and the next run
 * posts exactly what the killed one would have.  Exclusive: the immediate
 * transaction holds the ledger's write lock for the whole run.  Idempotent:
 * cycles are marked processed in the same transaction as their payments,
 * so a second run for the same date finds nothing new.
 */
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/run.h"

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? *cap * 2 : 64;
	if (*cap < need)
		*cap = need;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

static void free_line(phsg_run_line *l)
{
	free(l->award);
	free(l->client);
	free(l->package);
	free(l->component);
	free(l->payee);
}

void phsg_run_result_release(phsg_run_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_lines; i++)
		free_line(&r->lines[i]);
	free(r->lines);
	for (size_t i = 0; i < r->n_contributions; i++)
		free_line(&r->contributions[i]);
	free(r->contributions);
	for (size_t i = 0; i < r->n_recoveries; i++) {
		free(r->recoveries[i].award);
		free(r->recoveries[i].component);
		free(r->recoveries[i].payee);
	}
	free(r->recoveries);
	memset(r, 0, sizeof(*r));
}

static void record(phsg_run_result *r, const phsg_award *aw, const phsg_posting *p)
{
	phsg_run_line *l;

	if (p->comp == PHSG_CONTRIBUTION) {
		r->contributions = grow(r->contributions, &r->cap_contributions,
					r->n_contributions + 1, sizeof(phsg_run_line));
		l = &r->contributions[r->n_contributions++];
	} else {
		r->lines = grow(r->lines, &r->cap_lines, r->n_lines + 1, sizeof(phsg_run_line));
		l = &r->lines[r->n_lines++];
		r->total += p->amount;
	}
	l->award = xstrdup(aw->ref);
	l->client = xstrdup(aw->client);
	l->package = xstrdup(aw->package->id);
	l->component = xstrdup(p->comp == PHSG_CONTRIBUTION ? "contribution" :
			       aw->package->components[p->comp].id);
	l->payee = xstrdup(p->comp == PHSG_CONTRIBUTION ? aw->client : p->payee);
	l->kind = p->comp == PHSG_CONTRIBUTION ? "contribution" :
		p->kind == PHSG_POST_CYCLE ? "cycle" : "adjustment";
	l->method = p->comp == PHSG_CONTRIBUTION ? "charge" : phsg_method_name(p->method);
	l->cycle_start = p->cycle_start;
	l->cycle_end = p->cycle_end;
	l->due = p->due;
	l->amount = p->amount;
}

static void note_recoveries(phsg_run_result *r, const phsg_award *aw,
			    const phsg_payrule_result *pr, phsg_date date)
{
	for (size_t i = 1; i < pr->n_outstanding; i++) {
		int method;
		if (pr->outstanding[i] <= 0)
			continue;
		r->recoveries = grow(r->recoveries, &r->cap_recoveries, r->n_recoveries + 1,
				     sizeof(phsg_run_recovery));
		phsg_run_recovery *rec = &r->recoveries[r->n_recoveries++];
		rec->award = xstrdup(aw->ref);
		rec->component = xstrdup(aw->package->components[i - 1].id);
		rec->payee = xstrdup(phsg_award_payee(aw, (int)i - 1,
				     aw->end <= date ? aw->end - 1 : date, &method));
		rec->amount = pr->outstanding[i];
		rec->ended = aw->end <= date;
	}
}

int phsg_run(phsg_ledger *l, const phsg_scheme *sc, phsg_date date, int dry_run, int wait_ms,
	     phsg_run_result *out)
{
	phsg_payrule_result pr;
	phsg_component_state *states = NULL;
	long long *ids = NULL, batch = 0;
	size_t n_ids = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->date = date;
	out->dry_run = dry_run;
	phsg_payrule_result_init(&pr);
	if ((rc = phsg_ledger_begin(l, wait_ms)))
		return rc;
	if ((rc = phsg_ledger_scheme_seen(l, sc->fingerprint)) ||
	    (rc = phsg_ledger_awards_due(l, date, &ids, &n_ids)))
		goto cleanup;
	out->awards_considered = n_ids;
	for (size_t i = 0; i < n_ids; i++) {
		phsg_award aw;

		if ((rc = phsg_ledger_award_load(l, sc, ids[i], &aw))) {
			phsg_award_release(&aw);
			goto cleanup;
		}
		states = realloc(states, (aw.package->n_components + 1) * sizeof(*states));
		if (!states)
			abort();
		phsg_payrule_result_reset(&pr);
		if ((rc = phsg_ledger_award_history(l, &aw, states)) ||
		    (rc = phsg_payrule_apply(sc, &aw, date, states, &pr))) {
			char msg[700];
			snprintf(msg, sizeof(msg), "%s", phsg_error_last());
			rc = phsg_error_set(rc, "award %s: %s", aw.ref, msg);
			phsg_award_release(&aw);
			goto cleanup;
		}
		if (!batch && (pr.n_postings || pr.n_processed) &&
		    (rc = phsg_ledger_batch_add(l, date, &batch))) {
			phsg_award_release(&aw);
			goto cleanup;
		}
		for (size_t p = 0; p < pr.n_postings && rc == 0; p++) {
			rc = phsg_ledger_posting_add(l, batch, &aw, &pr.postings[p]);
			record(out, &aw, &pr.postings[p]);
		}
		for (size_t p = 0; p + 1 < pr.n_processed && rc == 0; p += 2)
			rc = phsg_ledger_processed_add(l, batch, &aw, (int)pr.processed[p],
						       pr.processed[p + 1]);
		if (rc == 0)
			rc = phsg_ledger_index_set(l, aw.id, pr.next_due);
		note_recoveries(out, &aw, &pr, date);
		phsg_award_release(&aw);
		if (rc)
			goto cleanup;
	}
	out->batch = batch;
	if (dry_run) {
		/* the same work, not kept: say which number the batch would take */
		if (batch)
			out->batch = batch;
		phsg_ledger_rollback(l);
	} else {
		rc = phsg_ledger_commit(l);
	}
cleanup:
	if (rc) {
		phsg_ledger_rollback(l);
		phsg_run_result_release(out);
	}
	free(ids);
	free(states);
	phsg_payrule_result_release(&pr);
	return rc;
}
