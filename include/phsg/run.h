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

/** How far after today a run may be dated without --allow-future (SPEC section 10). */
#define PHSG_RUN_AHEAD_DAYS 35

/** One line of a run's result; the strings are valid during the callback only. */
typedef struct {
	const char *award, *client, *package, *component, *payee;
	/** "cycle", "adjustment", "contribution-charge" or "contribution-withdrawn" */
	const char *kind;
	const char *method;
	phsg_date cycle_start, cycle_end, due;
	int64_t amount;
} phsg_run_line;

/** Money a payee owes back on an award's component, found by a run. */
typedef struct {
	const char *award, *component, *payee;
	int64_t amount;
	int ended;          /**< the award has ended: a recovery due from the payee */
} phsg_run_recovery;

/**
 * Where a run reports what it posts, line by line, in award and component
 * order, so that a run of any size needs little memory.  A callback that
 * returns non-zero stops the run (nothing is written).  Output should be
 * kept until phsg_run() returns 0: a run that fails writes nothing.
 */
typedef struct {
	void *ctx;
	int (*payment)(void *ctx, const phsg_run_line *line);
	int (*contribution)(void *ctx, const phsg_run_line *line);
	int (*recovery)(void *ctx, const phsg_run_recovery *rec);
	/** an award the run could not work out, held (nothing paid for it), and why */
	int (*held)(void *ctx, const char *award, const char *reason);
	/** a payee the batch pays to other bank details than its last payment's */
	int (*bank_changed)(void *ctx, const char *payee);
} phsg_run_sink;

/** What a run did (or, dry, would do). */
typedef struct {
	long long batch;    /**< 0 when nothing was paid: a run makes no empty batch */
	phsg_date date;
	int dry_run;
	size_t n_payments, n_contributions, n_recoveries;
	int64_t total;      /**< pence paid by the batch */
	int64_t contributions_total;
	size_t awards_considered;
	size_t n_processed; /**< cycles newly processed, paid or not */
	size_t n_held;      /**< awards held: the run could not work them out */
} phsg_run_summary;

/** The version of phsg_run_options this library was built with. */
#define PHSG_RUN_OPTIONS_VERSION 1

/** How to run: `phsg_run_options o = PHSG_RUN_OPTIONS_INIT;` then set the date. */
typedef struct {
	unsigned int version;         /**< PHSG_RUN_OPTIONS_VERSION */
	phsg_date date;               /**< post every payment due on or before it */
	int dry_run;                  /**< do the same work, then write nothing */
	int wait_ms;                  /**< how long to wait for another writer */
	const phsg_run_sink *sink;    /**< where lines are reported; NULL: nowhere */
	/**
	 * How many due awards a run lists at once (0: 65,536); past that it reads
	 * them a page at a time, in bounded memory, the same awards in the same
	 * order.
	 */
	size_t listed_max;
} phsg_run_options;

/** Options with the defaults: no date yet, a real run, PHSG_LEDGER_RUN_WAIT_MS. */
#define PHSG_RUN_OPTIONS_INIT { .version = PHSG_RUN_OPTIONS_VERSION, \
				.wait_ms = PHSG_LEDGER_RUN_WAIT_MS }

/**
 * Run the payments due on or before `opts->date`.  Waits up to
 * `opts->wait_ms` for another writer, then refuses (PHSG_ELEDGER, "busy").
 * With `dry_run` nothing is written.  PHSG_EINVAL for options of another
 * version or without a date.
 */
int phsg_run(phsg_run_summary *out, phsg_ledger *l, const phsg_scheme *sc,
	     const phsg_run_options *opts);

#endif
