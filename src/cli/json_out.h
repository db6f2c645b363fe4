/*
 * json_out.h - the JSON documents phsg prints, built in one place.
 *
 * Each function here builds exactly the document a command prints with
 * --format json; the command prints it (cli_print_json) and `phsg serve`
 * sends it (the same bytes: JSON_INDENT(2) | JSON_PRESERVE_ORDER and a
 * final newline).  Nothing here prints or picks an exit status: a failure
 * is a PHSG_E* code with the message in phsg_error_last(), so the CLI can
 * print it and the web service can put it in {"error": ...}.
 *
 * Every figure goes through cli_json_money / cli_json_pence*, which note a
 * formatting failure with cli_check_format (per thread).
 */
#ifndef PHSG_CLI_JSON_OUT_H
#define PHSG_CLI_JSON_OUT_H

#include <jansson.h>
#include "cli.h"
#include "phsg/award.h"

/** `phsg quote --format json`: a new document (the caller owns it). */
json_t *cli_quote_json(const phsg_scheme *sc, const phsg_quote *q);

/**
 * Money for people: pence by the scheme's rule, and the exact figure beside
 * it where it has fractions of a penny: "£10.73 (exactly £10.725)".
 * Returns `buf`.
 */
const char *cli_money_pretty(char buf[2 * PHSG_NUM_BUF], const phsg_scheme *sc, const mpq_t x);

/**
 * `phsg award show AWARD --as-of DATE --format json` for a loaded award.
 * Always returns a document (the caller owns it); *rc is 0, or the
 * library's error code when a part could not be read (then the document is
 * incomplete and must not be shown).
 */
json_t *cli_award_show_json(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw,
			    phsg_date as_of, int *rc);

/** The filters of `phsg award list`; NULL fields do not filter. */
typedef struct {
	const char *client, *payee, *package, *status;
	phsg_date as_of;
} cli_award_filter;

/**
 * Check the filters that need no scheme or ledger (status, references):
 * 0 or PHSG_EINVAL with the message.
 */
int cli_award_filter_check(const cli_award_filter *f);

/**
 * The rows of `phsg award list --format json` ({"awards": rows}): appended
 * to the array `rows`.  PHSG_EINVAL for an unknown package, else 0 or the
 * ledger's error code.
 */
int cli_award_list_rows(phsg_ledger *l, const phsg_scheme *sc, const cli_award_filter *f,
			json_t *rows);

/** `phsg award list --format json`: *out is a new document on success. */
int cli_award_list_json(phsg_ledger *l, const phsg_scheme *sc, const cli_award_filter *f,
			json_t **out);

/**
 * The rows of `phsg batch list --format json`, appended to `rows`; when
 * `totals` is not NULL, *totals receives each row's total in pence (the
 * caller frees it; allocated even when there are no batches).
 */
int cli_batch_list_rows(phsg_ledger *l, json_t *rows, int64_t **totals);

/** `phsg batch list --format json`: *out is a new document on success. */
int cli_batch_list_json(phsg_ledger *l, json_t **out);

/** `phsg batch show ID --format json`: *out is a new document on success. */
int cli_batch_show_json(phsg_ledger *l, long long id, json_t **out);

/** The totals of a balances report, in pence. */
typedef struct {
	int64_t entitled, paid, contributions;
} cli_balance_totals;

/**
 * Add the balances report's keys (awards, entitled, paid, balance,
 * contributions) to `doc`, which already holds "as_of".  The keys are
 * added even on failure (a partial report, not to be shown); `t` may be
 * NULL.
 */
int cli_balances_fill(json_t *doc, phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of,
		      cli_balance_totals *t);

/** `phsg report balances --as-of DATE --format json`: *out is new on success. */
int cli_balances_json(phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of, json_t **out);

/** The document as `cli_print_json` prints it, newline included (caller frees). */
char *cli_json_text(const json_t *doc);

#endif
