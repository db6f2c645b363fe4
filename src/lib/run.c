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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/run.h"
#include "ledger_chunk.h"
#include "util.h"

static int report(const phsg_run_sink *sink, phsg_run_summary *sum, const phsg_award *aw,
		  const phsg_posting *p)
{
	int contribution = p->comp == PHSG_CONTRIBUTION;
	phsg_run_line ln = {
		.award = aw->ref,
		.client = aw->client,
		.package = aw->package->id,
		.component = contribution ? "contribution" : aw->package->components[p->comp].id,
		.payee = contribution ? aw->client : p->payee,
		.kind = contribution ? (p->amount < 0 ? "contribution-withdrawn" : "contribution-charge") :
			p->kind == PHSG_POST_CYCLE ? "cycle" : "adjustment",
		.method = contribution ? "charge" : phsg_scheme_method_name(p->method),
		.cycle_start = p->cycle_start,
		.cycle_end = p->cycle_end,
		.due = p->due,
		.amount = p->amount,
	};

	if (contribution) {
		sum->n_contributions++;
		sum->contributions_total += p->amount;
		return sink && sink->contribution ? sink->contribution(sink->ctx, &ln) : 0;
	}
	sum->n_payments++;
	sum->total += p->amount;
	return sink && sink->payment ? sink->payment(sink->ctx, &ln) : 0;
}

static int report_recoveries(const phsg_run_sink *sink, phsg_run_summary *sum,
			     const phsg_award *aw, const phsg_payrule_result *pr, phsg_date date)
{
	int rc = 0;

	/* outstanding[0], the contribution, is always 0: an overcharge is withdrawn */
	for (size_t i = 1; i < pr->n_outstanding && rc == 0; i++) {
		int method;
		phsg_run_recovery rec;
		if (pr->outstanding[i] <= 0)
			continue;
		rec.award = aw->ref;
		rec.component = aw->package->components[i - 1].id;
		rec.payee = phsg_award_payee(aw, (int)i - 1, aw->end <= date ? aw->end - 1 : date, &method);
		rec.amount = pr->outstanding[i];
		rec.ended = aw->end <= date;
		sum->n_recoveries++;
		if (sink && sink->recovery)
			rc = sink->recovery(sink->ctx, &rec);
	}
	return rc;
}

/*
 * SPEC section 12: an award a run cannot work out (a rate or a holiday year
 * the scheme no longer has) is held, and the others are paid.  Only a
 * problem with the award itself holds it; a ledger failure stops the run.
 */
static int hold(const phsg_run_sink *sink, phsg_run_summary *sum, const char *ref, long long id,
		int rc, const char *why)
{
	char name[32];

	if (rc != PHSG_EINVAL && rc != PHSG_ERULE && rc != PHSG_ENOTFOUND)
		return rc;
	if (!ref) {
		snprintf(name, sizeof(name), "#%lld", id);
		ref = name;
	}
	sum->n_held++;
	return sink && sink->held ? sink->held(sink->ctx, ref, why) : 0;
}

/* Write the newly processed cycles as ranges of consecutive cycles. */
static int write_processed(phsg_ledger *l, long long batch, const phsg_award *aw,
			   const phsg_payrule_result *pr)
{
	int rc = 0;
	size_t i = 0;

	while (i + 1 < pr->n_processed && rc == 0) {
		int comp = (int)pr->processed[i];
		long first = pr->processed[i + 1], last = first;
		i += 2;
		while (i + 1 < pr->n_processed && pr->processed[i] == comp &&
		       pr->processed[i + 1] == last + 1) {
			last++;
			i += 2;
		}
		rc = phsg_ledger_processed_add(l, batch, aw, comp, first, last);
	}
	return rc;
}

/*
 * The payees a batch pays, by reference in strcmp order, each with the due
 * date of its last payment in the batch: what the bank-details check needs,
 * kept as the run posts rather than sorted out of the batch afterwards.
 */
typedef struct {
	char **ref;
	phsg_date *due;
	size_t n, cap;
} batch_payees;

static void batch_payees_note(batch_payees *b, const char *ref, phsg_date due)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->ref[mid], ref);
		if (c == 0) {
			if (due > b->due[mid])
				b->due[mid] = due;
			return;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		if (!(b->ref = realloc(b->ref, b->cap * sizeof(*b->ref))) ||
		    !(b->due = realloc(b->due, b->cap * sizeof(*b->due))))
			abort();
	}
	memmove(b->ref + lo + 1, b->ref + lo, (b->n - lo) * sizeof(*b->ref));
	memmove(b->due + lo + 1, b->due + lo, (b->n - lo) * sizeof(*b->due));
	if (!(b->ref[lo] = strdup(ref)))
		abort();
	b->due[lo] = due;
	b->n++;
}

static void batch_payees_release(batch_payees *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->ref[i]);
	free(b->ref);
	free(b->due);
}

/* Payees this batch pays to changed bank details: finance checks them first. */
static int check_bank_details(phsg_ledger *l, long long batch, const batch_payees *b,
			      const phsg_run_sink *sink)
{
	int rc = 0, changed;

	for (size_t i = 0; i < b->n && rc == 0; i++)
		if ((rc = phsg_ledger_payee_changed(&changed, l, b->ref[i], batch, b->due[i])) == 0 &&
		    changed)
			rc = sink->bank_changed(sink->ctx, b->ref[i]);
	return rc;
}

/*
 * The awards a run considers, ascending, a chunk at a time.  None when
 * phsg_ledger_nothing_due() finds none can be (an idle run: two rows read).
 * Else up to RUN_LISTED (or the options' listed_max) of them are listed at
 * once; more are read a page at a time by the index's own order, so a run's
 * memory does not grow with the ledger (issue 15).  Either way the ledger
 * reads its run's index through: since ledger version 11 it has no index of
 * it by due date, which a 4-weekly run rewrote a third of.
 */
#define RUN_LISTED 65536

typedef struct {
	long long *ids;      /* listed: all of them; paged: the current page */
	size_t n, at;        /* listed: how many, and the next to hand out */
	int paged;
	int idle;            /* none can be due (phsg_ledger_nothing_due): none read */
	long long last;      /* paged: the last id handed out */
	phsg_date date;
} due_awards;

static int due_open(due_awards *d, phsg_ledger *l, phsg_date date, size_t listed_max)
{
	size_t most = listed_max ? listed_max : RUN_LISTED, count;
	int rc, none;

	memset(d, 0, sizeof(*d));
	d->date = date;
	/* an idle run: nothing marked, and before the earliest date noted */
	if ((rc = phsg_ledger_nothing_due(&none, l, date)) || (d->idle = none))
		return rc;
	if ((rc = phsg_ledger_awards_due_upto(&count, l, date, most + 1)))
		return rc;
	if (count <= most)
		return phsg_ledger_awards_due(&d->ids, &d->n, l, date);
	d->paged = 1;
	if (!(d->ids = malloc(PHSG_RUN_CHUNK * sizeof(*d->ids))))
		abort();
	return 0;
}

/* The next chunk: *ids[0..*n), none at the end. */
static int due_next(due_awards *d, phsg_ledger *l, const long long **ids, size_t *n)
{
	int rc;

	if (!d->paged) {
		*ids = d->ids + d->at;
		*n = d->n - d->at < PHSG_RUN_CHUNK ? d->n - d->at : PHSG_RUN_CHUNK;
		d->at += *n;
		return 0;
	}
	*ids = d->ids;
	rc = phsg_ledger_awards_due_after(d->ids, n, PHSG_RUN_CHUNK, l, d->date, d->last);
	if (rc == 0 && *n)
		d->last = d->ids[*n - 1];
	return rc;
}

/* What the payment rule gave one award of a chunk, or why it is held. */
typedef struct {
	int rc;               /* 0, or the failure that holds the award */
	char *why;            /* that failure's message */
	const phsg_award *aw; /* the award (owned by the chunk); NULL when it could not be made */
	phsg_payrule_result pr;
	char *state;          /* the award to keep in the ledger's index, or NULL (see post_award) */
	char *sums;           /* its sums once its postings are written (phsg_run_chunk_sums) */
	char *cycles;         /* and its processed cycles (phsg_run_chunk_cycles) */
} award_work;

/*
 * A chunk of due awards fetched from the ledger, then worked out (rebuilt,
 * and the payment rule applied to each) on a second thread while the
 * awards before it are written: the working out touches only the chunk,
 * the scheme and these results, never the ledger the run writes.  With a
 * reader (SQLite) the second thread reads the chunk first, with that
 * connection alone, so the first thread only writes.  Only one thread at
 * a time uses the reader and the due awards' cursor: the second, from
 * job_fetch() to job_ready().
 */
typedef struct {
	phsg_run_chunk *chunk;
	long long ids[PHSG_RUN_CHUNK];
	size_t n;
	/* the run's second connection (phsg_ledger_run_reader), or NULL: with
	 * one, the chunk's ids and rows are read on the second thread too */
	phsg_ledger *reader;
	due_awards *due;
	const phsg_scheme *sc;
	phsg_date date;
	phsg_award_history history;
	award_work w[PHSG_RUN_CHUNK];
	phsg_side_job side;   /* its failure: the chunk could not be built (never an award's own) */
} run_chunk_job;

/* The payment rule applied to each award of the built chunk. */
static void chunk_apply(run_chunk_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		award_work *w = &j->w[i];
		const char *why;
		/* aw is NULL when the award cannot be made */
		if ((w->rc = phsg_run_chunk_award(&w->aw, &why, &j->history, j->chunk, i))) {
			w->why = strdup(why ? why : phsg_error_last());
		} else {
			phsg_payrule_result_reset(&w->pr);
			/* nothing of this award is written yet: it is held, the others paid */
			if ((w->rc = phsg_payrule_apply(&w->pr, j->sc, w->aw, j->date, j->history.states)))
				w->why = strdup(phsg_error_last());
			else {
				w->sums = phsg_run_chunk_sums(j->chunk, i, &w->pr);
				w->cycles = phsg_run_chunk_cycles(j->chunk, i, &j->history, &w->pr);
				if (phsg_run_chunk_state_wanted(j->chunk, i))
					w->state = phsg_award_state(w->aw);
			}
		}
		if (w->rc && !w->why)
			abort();
	}
}

/* The next chunk's ids, then its rows, from ledger l, into j (j->n 0 at the end). */
static int job_read(run_chunk_job *j, phsg_ledger *l)
{
	const long long *ids;
	int rc;

	if ((rc = due_next(j->due, l, &ids, &j->n)) || j->n == 0)
		return rc;
	memcpy(j->ids, ids, j->n * sizeof(*ids));
	if ((rc = phsg_ledger_run_chunk_fetch(&j->chunk, l, j->sc, j->ids, j->n)))
		j->n = 0;
	return rc;
}

/* A chunk worked out: read first with the run's second connection, if it has one. */
static void *chunk_work(void *arg)
{
	run_chunk_job *j = arg;
	int rc = 0;

	if (j->reader && ((rc = job_read(j, j->reader)) || j->n == 0)) {
		if (rc)
			phsg_side_failed(&j->side, rc);
		return NULL;
	}
	if ((rc = phsg_run_chunk_build(j->chunk, j->sc)))
		phsg_side_failed(&j->side, rc);
	else if (!phsg_run_chunk_refused(j->chunk)) /* else finished by job_ready() */
		chunk_apply(j);
	return NULL;
}

/*
 * Wait for a chunk's working out.  A kept state it refused (damaged: phsg
 * writes none it would refuse) is rebuilt from its events here, where the
 * ledger may be read, and the chunk worked out on this thread.
 */
static int job_ready(run_chunk_job *j, phsg_ledger *l)
{
	int rc;

	if ((rc = phsg_side_wait(&j->side)) || j->n == 0 || !phsg_run_chunk_refused(j->chunk))
		return rc;
	if ((rc = phsg_ledger_run_chunk_rebuild(j->chunk, l, j->sc)) == 0)
		chunk_apply(j);
	return rc;
}

/* Drop a job's results (its chunk stays, to be fetched into again). */
static void job_clear(run_chunk_job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		free(j->w[i].why);
		j->w[i].why = NULL;
		free(j->w[i].state);
		j->w[i].state = NULL;
		free(j->w[i].sums);
		j->w[i].sums = NULL;
		free(j->w[i].cycles);
		j->w[i].cycles = NULL;
	}
	j->n = 0;
}

static void job_free(run_chunk_job *j)
{
	if (!j)
		return;
	phsg_side_join(&j->side);
	job_clear(j);
	for (size_t i = 0; i < PHSG_RUN_CHUNK; i++)
		phsg_payrule_result_release(&j->w[i].pr);
	phsg_ledger_award_history_release(&j->history);
	phsg_run_chunk_free(j->chunk);
	free(j);
}

static run_chunk_job *job_new(const phsg_scheme *sc, phsg_date date, due_awards *due)
{
	run_chunk_job *j = calloc(1, sizeof(*j));

	if (!j)
		abort();
	j->due = due;
	j->sc = sc;
	j->date = date;
	for (size_t i = 0; i < PHSG_RUN_CHUNK; i++)
		phsg_payrule_result_init(&j->w[i].pr);
	return j;
}

/*
 * Start on the next chunk of due awards (j->n 0 at the end, once ready):
 * read here from l, or on the second thread with the run's reader.
 */
static int job_fetch(run_chunk_job *j, phsg_ledger *l)
{
	int rc;

	job_clear(j);
	if (!j->reader && ((rc = job_read(j, l)) || j->n == 0))
		return rc;
	phsg_side_start(&j->side, chunk_work, j);
	return 0;
}

/* Write what the payment rule gave award i of a worked-out chunk. */
static int post_award(phsg_ledger *l, const phsg_run_sink *sink, phsg_run_summary *out,
		      run_chunk_job *j, size_t i, long long *batch, batch_payees *payees)
{
	const award_work *w = &j->w[i];
	const phsg_payrule_result *pr = &w->pr;
	const phsg_award *aw = w->aw;
	int rc = 0;

	if (w->rc)
		return hold(sink, out, aw ? aw->ref : NULL, j->ids[i], w->rc, w->why);
	/* a batch holds payments only: it is made for the first one */
	for (size_t p = 0; p < pr->n_postings && rc == 0; p++) {
		const phsg_posting *ps = &pr->postings[p];
		if (ps->comp != PHSG_CONTRIBUTION && !*batch)
			rc = phsg_ledger_batch_add(batch, l, j->date);
		if (rc == 0 && (rc = phsg_ledger_posting_add(l, *batch, aw, ps)) == 0)
			rc = report(sink, out, aw, ps);
		if (rc == 0 && ps->comp != PHSG_CONTRIBUTION)
			batch_payees_note(payees, ps->payee, ps->due);
	}
	if (rc == 0)
		rc = write_processed(l, *batch, aw, pr);
	out->n_processed += pr->n_processed / 2;
	if (rc == 0)
		rc = phsg_ledger_index_set(l, aw->id, pr->next_due, w->state, w->sums, w->cycles);
	if (rc == 0)
		rc = report_recoveries(sink, out, aw, pr, j->date);
	return rc;
}

int phsg_run(phsg_run_summary *out, phsg_ledger *l, const phsg_scheme *sc,
	     const phsg_run_options *opts)
{
	const phsg_run_sink *sink;
	run_chunk_job *job[2] = { NULL, NULL };
	phsg_ledger *reader = NULL;
	batch_payees payees = { 0 };
	due_awards due = { 0 };
	long long batch = 0;
	phsg_date date;
	int rc, dry_run, now = 0;

	memset(out, 0, sizeof(*out));
	if (!opts || opts->version != PHSG_RUN_OPTIONS_VERSION)
		return phsg_error_set(PHSG_EINVAL, "run options of version %u, not the %d this "
				      "library was built for", opts ? opts->version : 0,
				      PHSG_RUN_OPTIONS_VERSION);
	if (!opts->date)
		return phsg_error_set(PHSG_EINVAL, "a run needs a date");
	date = opts->date;
	dry_run = opts->dry_run;
	sink = opts->sink;
	out->date = date;
	out->dry_run = dry_run;
	if ((rc = phsg_ledger_begin_run(l, opts->wait_ms)))
		return rc;
	job[0] = job_new(sc, date, &due);
	job[1] = job_new(sc, date, &due);
	if ((rc = phsg_ledger_run_reader(&reader, l, sc->fingerprint)) ||
	    (rc = phsg_ledger_scheme_seen(l, sc->fingerprint)) || (rc = phsg_ledger_amounts_whole(l)) ||
	    (rc = due_open(&due, l, date, opts->listed_max)))
		goto cleanup;
	job[0]->reader = job[1]->reader = reader;
	if ((rc = job_fetch(job[0], l)))
		goto cleanup;
	/*
	 * The due awards a chunk at a time: while one chunk's awards are worked
	 * out on a second thread, the chunk before it is written here, in award
	 * order, as if each award were read, worked out and written in turn.
	 */
	for (;;) {
		run_chunk_job *j = job[now], *next = job[!now];
		char fetch_why[1024] = "";
		int fetch_rc = 0;

		if ((rc = job_ready(j, l)) || j->n == 0)
			break;
		out->awards_considered += j->n;
		/* the next chunk's rows are read before this one's are written:
		 * nothing written for one award changes what another reads */
		if (j->n == PHSG_RUN_CHUNK && (fetch_rc = job_fetch(next, l)))
			snprintf(fetch_why, sizeof(fetch_why), "%s", phsg_error_last());
		if (j->n < PHSG_RUN_CHUNK)
			job_clear(next); /* that was the last chunk */
		for (size_t i = 0; i < j->n && rc == 0; i++)
			rc = post_award(l, sink, out, j, i, &batch, &payees);
		if (rc == 0 && fetch_rc)
			rc = phsg_error_set(fetch_rc, "%s", fetch_why);
		if (rc)
			break;
		now = !now;
	}
	/* every chunk is read (or the run stops): the reader lets go of its
	 * snapshot before the commit, once no chunk is being read with it */
	phsg_side_join(&job[0]->side);
	phsg_side_join(&job[1]->side);
	phsg_ledger_close(reader);
	reader = NULL;
	if (rc == 0 && batch)
		rc = phsg_ledger_batch_total(l, batch, out->total);
	/* the earliest next due date, as this run leaves the index (an idle run reads none) */
	if (rc == 0 && !due.idle)
		rc = phsg_ledger_due_from_keep(l);
	if (rc == 0 && batch && sink && sink->bank_changed)
		rc = check_bank_details(l, batch, &payees, sink);
	if (rc)
		goto cleanup;
	/* a dry run does the same work and reports the number the batch would take */
	out->batch = batch;
	if (dry_run)
		phsg_ledger_rollback(l);
	else
		rc = phsg_ledger_commit(l);
cleanup:
	if (rc)
		phsg_ledger_rollback(l);
	/* no chunk is being read or worked out once its job is freed */
	job_free(job[0]);
	job_free(job[1]);
	phsg_ledger_close(reader);
	free(due.ids);
	batch_payees_release(&payees);
	return rc;
}
