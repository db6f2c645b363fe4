/*
 * cli.h - what the subcommands of the phsg tool share.
 *
 * Only the CLI prints and picks exit statuses.  A subcommand returns the
 * process exit status (0, 1, 2 or 3, SPEC section 6); errors are printed
 * once, as "phsg: error: WHAT", by cli_fail().
 */
#ifndef PHSG_CLI_H
#define PHSG_CLI_H

#include <jansson.h>
#include "phsg.h"
#include "phsg/ledger.h"
#include "phsg/run.h"

typedef struct {
	const char *config_path;   /* --config, $PHSG_CONFIG or the default */
	const char *ledger_path;   /* --ledger, $PHSG_LEDGER or the default */
	const char *operator_name; /* --operator or the login name */
	int make_ledger_dir;       /* the installed default ledger: make its folder (0700)
				      when the ledger is created */
} cli_globals;

enum { EXIT_OK = 0, EXIT_RULE = 1, EXIT_USAGE = 2, EXIT_LEDGER = 3 };

/* Print the last library error and return the exit status for `code`. */
int cli_fail(int code);

/* Print "phsg: error: ..." and return EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Load the scheme named by the globals; prints the error on failure. */
int cli_load_scheme(const cli_globals *g, phsg_scheme **out);

/* Parse a whole number in [min, max] for option `opt`. */
int cli_parse_int(const char *opt, const char *text, int min, int max, int *out);

/* "text" or "json" (or the others listed in `allowed`, NULL-terminated). */
int cli_parse_format(const char *text, const char *const *allowed, const char **out);

/* Money to a JSON string with two places, rounded by the scheme's rule. */
json_t *cli_json_money(const phsg_scheme *sc, const mpq_t x);
json_t *cli_json_pence(const mpz_t pence);
/* Hours (or any exact quantity) to a JSON string, exact. */
json_t *cli_json_exact(const mpq_t x);
json_t *cli_json_date(phsg_date d);

/* Print a JSON document on stdout, with a final newline. */
int cli_print_json(json_t *doc);

/* Options shared by quote and award create. */
typedef struct {
	const char *package;
	int level, tier, chosen_tier;
	const char *hours;
	const char *needs[32];
	int n_needs;
	const char *start;
} cli_assessment_opts;

/* Turn the options into an assessment (initialised by this call), without
 * printing: 0, or a PHSG_E* code with the message in phsg_error_last(). */
int cli_assessment_from_opts(const phsg_scheme *sc, const cli_assessment_opts *o,
			     phsg_assessment *a);

/* Turn the options into an assessment (initialised by this call). */
int cli_build_assessment(const phsg_scheme *sc, const cli_assessment_opts *o,
			 phsg_assessment *a);

/* Open the ledger named by the globals (mode: PHSG_LEDGER_WRITE, _CREATE or
 * _READONLY); prints the error on failure. */
int cli_open_ledger(const cli_globals *g, phsg_ledger **out, int mode);

/* Load the scheme and open the ledger; on failure both are NULL. */
int cli_open_both(const cli_globals *g, phsg_scheme **sc, phsg_ledger **l, int mode);

/* Parse a date option; prints the error on failure. */
/** "KEY=VALUE" into obj[KEY] = VALUE; PHSG_EINVAL when it is not `what` or KEY is repeated. */
int cli_json_put_pair(json_t *obj, const char *spec, const char *what);
int cli_parse_date(const char *opt, const char *text, phsg_date *out);

/* Parse an amount of money in pence ("12.34"); prints the error on failure. */
int cli_parse_pence(const char *opt, const char *text, int64_t *out);

/* Print pence as "1234.56" / for people "£1,234.56" into a static-free buffer. */
const char *cli_pence(char buf[PHSG_NUM_BUF], int64_t pence);
const char *cli_pence_pretty(char buf[PHSG_NUM_BUF], int64_t pence);
json_t *cli_json_pence64(int64_t pence);
/* Hours to two places, half-up, for CSV (SPEC section 11; the exact value goes beside). */
const char *cli_hours2(char buf[PHSG_NUM_BUF], const mpq_t hours);
/* A plain two-place figure ("-1234.50") for people: "-£1,234.50". */
const char *cli_pretty_plain(char buf[PHSG_NUM_BUF], const char *plain);

/*
 * Text read from a ledger, as a text report shows it: itself, or escaped
 * when phsg could not have written it (common.c).  The escaped copy lives
 * until CLI_SHOWN later calls.
 */
#define CLI_SHOWN 32
const char *cli_shown(const char *s);
/* The same for every string in a document, in place, before it is printed as text. */
void cli_json_shown(json_t *doc);
/*
 * A JSON string of text that may come from a ledger: json_string(), or, for
 * text that is not UTF-8 (which JSON cannot carry, and jansson refuses),
 * the text escaped (phsg_text_escape()), so no value is ever left out.
 * NULL for NULL, as json_string().
 */
json_t *cli_json_str(const char *s);

/* Write one RFC 4180 record (every field quoted by libcsv, CRLF). */
int cli_csv_row(FILE *f, const char *const *fields, size_t n);

/* Note a formatting call's result: a failure is printed once, and main()
 * then exits 3.  cli_format_failed() tells whether one failed. */
void cli_check_format(int rc);
int cli_format_failed(void);
/* Forget a noted failure (on this thread): phsg serve checks each answer. */
void cli_format_reset(void);

/* Open a file to read, refusing a folder; prints the error and returns NULL. */
FILE *cli_open_input(const char *what, const char *path);

/* Copy a temporary file (what a command made before it knew it had
 * succeeded) to stdout from its start.  0, or -1 if it could not be read. */
int cli_copy_out(FILE *from);

/* Today's date in local time. */
phsg_date cli_today(void);

int cmd_check_config(const cli_globals *g, int argc, char **argv);
int cmd_payee(const cli_globals *g, int argc, char **argv);
int cmd_award(const cli_globals *g, int argc, char **argv);
int cmd_run(const cli_globals *g, int argc, char **argv);
int cmd_batch(const cli_globals *g, int argc, char **argv);
int cmd_recovery(const cli_globals *g, int argc, char **argv);
int cmd_contribution(const cli_globals *g, int argc, char **argv);

/* A person's own contributions on an award, as of a date (SPEC section 10). */
int cmd_report(const cli_globals *g, int argc, char **argv);
int cmd_export(const cli_globals *g, int argc, char **argv);
int cmd_scenario(const cli_globals *g, int argc, char **argv);
int cmd_verify(const cli_globals *g, int argc, char **argv);
int cmd_ledger(const cli_globals *g, int argc, char **argv);
int cmd_plan(const cli_globals *g, int argc, char **argv);
int cmd_review(const cli_globals *g, int argc, char **argv);
int cli_report_reviews(const cli_globals *g, phsg_date as_of, const char *format);
int cli_report_outcomes(const cli_globals *g, phsg_date from, phsg_date to, int all,
			const char *format);

/* batch export, batch remittance (cmd_export.c) and the batch as JSON (cmd_batch.c) */
int cli_batch_export(const cli_globals *g, long long id, const char *format, const char *processing,
		     int part);
int cli_batch_remittance(const cli_globals *g, long long id, const char *format, const char *payee);
json_t *cli_batch_json(const phsg_batch *b);
int cmd_quote(const cli_globals *g, int argc, char **argv);
int cmd_serve(const cli_globals *g, int argc, char **argv);

#endif
