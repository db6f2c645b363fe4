/*
 * phsg/run.h - a payment run: every payment due on or before a date, as
 * one batch, in one transaction.
 *
 * The real run and the dry run are the same code; the dry run rolls back
 * where the real run commits, so what the dry run shows is exactly what
 * the real run that follows it posts (apart from the batch number, when
 * another run lands in between).
 */
#ifndef PHSG_RUN_H
#define PHSG_RUN_H

#include "phsg/ledger.h"

/** One line of a run's result; strings are owned by the result. */
typedef struct {
	char *award, *client, *package, *component, *payee;
	const char *kind;   /* "cycle", "adjustment" or "contribution" */
	const char *method;
	phsg_date cycle_start, cycle_end, due;
	int64_t amount;
} phsg_run_line;

typedef struct {
	char *award, *component, *payee;
	int64_t amount;
	int ended;          /* the award has ended: a recovery due from the payee */
} phsg_run_recovery;

typedef struct {
	long long batch;    /* 0 when nothing was posted */
	phsg_date date;
	int dry_run;
	size_t n_lines, cap_lines;
	phsg_run_line *lines;           /* payments, in award and component order */
	size_t n_contributions, cap_contributions;
	phsg_run_line *contributions;   /* charges to people for tier upgrades */
	size_t n_recoveries, cap_recoveries;
	phsg_run_recovery *recoveries;  /* outstanding after the run */
	int64_t total;                  /* pence paid by the batch */
	size_t awards_considered;
} phsg_run_result;

/**
 * Run the payments due on or before `date`.  Waits up to `wait_ms` for a
 * run in progress, then refuses (PHSG_ELEDGER).  With `dry_run` nothing is
 * written.  The result is the caller's (free with phsg_run_result_release).
 */
int phsg_run(phsg_ledger *l, const phsg_scheme *sc, phsg_date date, int dry_run, int wait_ms,
	     phsg_run_result *out);

void phsg_run_result_release(phsg_run_result *r);

#endif
