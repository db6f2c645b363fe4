/*
 * progress.h - a progress line on stderr for long work (SPEC section 16).
 *
 * Shown only when stderr is a terminal, and only once the work is large:
 * `threshold` items (rows imported, payments posted, rows costed, rows
 * exported).  Into a pipe or a file nothing is ever written, so scripts
 * and logs see exactly what they saw before.  The line is redrawn in place
 * ("\r") at most ten times a second and ended with a newline by
 * cli_progress_done().  No allocation; one per command.
 */
#ifndef PHSG_CLI_PROGRESS_H
#define PHSG_CLI_PROGRESS_H

#include <time.h>

/** The thresholds of SPEC section 16. */
#define CLI_PROGRESS_IMPORT_ROWS 10000
#define CLI_PROGRESS_RUN_PAYMENTS 100000
#define CLI_PROGRESS_SCENARIO_ROWS 100000
#define CLI_PROGRESS_EXPORT_ROWS 100000

typedef struct {
	const char *what;       /* "importing", "run", ... */
	const char *unit;       /* "rows", "payments" */
	long long threshold;
	long long count;        /* items so far */
	int percent;            /* of the whole, 0 to 100, or -1 when not known */
	int tty;                /* stderr is a terminal: otherwise nothing happens */
	int shown;              /* a line has been drawn and not yet ended */
	struct timespec last;
} cli_progress;

/** Start: `what` and `unit` must outlive the progress. */
void cli_progress_start(cli_progress *p, const char *what, const char *unit, long long threshold);

/** `n` more items; `done` of `whole` worked through (whole 0: not known). */
void cli_progress_add(cli_progress *p, long long n, long long done, long long whole);

/** The work is over: the line, if drawn, is finished with `note` ("done"). */
void cli_progress_done(cli_progress *p, const char *note);

#endif
