/*
 * cmd_verify.c - phsg verify: is this ledger sound?
 *
 * The store's own check (SQLite's integrity check), then phsg's own
 * invariants (phsg_ledger_verify), on either backend.
 * Prints "ok" and exits 0, or one "fault:" line per fault and exits 3.  The
 * ledger is opened for reading only: verifying never changes it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: phsg verify\n"
	"\n"
	"Check the ledger: the database's own check (SQLite's integrity check), then\n"
	"phsg's invariants - every stored date is a calendar date, every stored\n"
	"reference, name and note is valid UTF-8 with no control character, every\n"
	"batch's total equals its payments, every reversal reverses one payment of\n"
	"its batch, no cycle is paid twice, no payment paid an award beyond what the\n"
	"payment rule allowed when it was posted, every award's events replay, the\n"
	"run's index passes by no award with a cycle due and unprocessed, and no\n"
	"award is paid less than the payment rule gives to its last processed cycle.\n"
	"Prints ok (exit 0), or each fault on a line of its own (exit 3): in text\n"
	"read from the ledger, a control character, a line separator or a byte that\n"
	"is not UTF-8 is shown as \\n, \\r, \\t, \\xNN or \\uNNNN, and a backslash as\n"
	"\\\\.  Nothing is written.\n";

static void print_fault(void *ctx, const char *what)
{
	(void)ctx;
	printf("fault: %s\n", what);
}

int cmd_verify(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	size_t faults = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return cli_usage_error("verify: unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage_error("verify: unexpected argument '%s'", argv[optind]);
	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_READONLY)))
		return rc;
	if ((rc = phsg_ledger_verify(&faults, l, sc, print_fault, NULL))) {
		rc = cli_fail(rc);
	} else if (faults) {
		fprintf(stderr, "phsg: error: ledger '%s': %zu fault%s found\n", g->ledger_path, faults,
			faults == 1 ? "" : "s");
		rc = EXIT_LEDGER;
	} else {
		printf("ok\n");
	}
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}
