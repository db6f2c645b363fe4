/*
 * cmd_ledger.c - phsg ledger copy FROM TO: a whole ledger from one backend
 * (or file) into another, e.g. a pilot's SQLite file into the council's
 * PostgreSQL (SPEC section 14).
 *
 * The source is opened for reading only; the target is made if it does not
 * exist and must hold nothing.  The copy is one transaction of the
 * target's, verified (as phsg verify) before it commits: a copy that fails
 * verification, or is interrupted, leaves the target as it was.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: phsg ledger copy FROM TO\n"
	"\n"
	"Copy a whole ledger: FROM and TO are each a file path, sqlite:PATH, or a\n"
	"postgresql:// URI (passwords from ~/.pgpass or PGPASSFILE).  TO must be\n"
	"new or empty; the copy is verified before it is committed, so a copy with\n"
	"a fault leaves nothing.  Prints the rows copied and 'verified: ok'.\n";

static void print_fault(void *ctx, const char *what)
{
	(void)ctx;
	printf("fault: %s\n", what);
}

static int copy(const cli_globals *g, const char *from_where, const char *to_where)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *from = NULL, *to = NULL;
	size_t rows = 0, faults = 0;
	int rc;

	if ((rc = cli_load_scheme(g, &sc)))
		return rc;
	if ((rc = phsg_ledger_open(&from, from_where, g->operator_name, PHSG_LEDGER_READONLY)) ||
	    (rc = phsg_ledger_open(&to, to_where, g->operator_name, PHSG_LEDGER_CREATE)) ||
	    (rc = phsg_ledger_copy(&rows, &faults, from, to, sc, print_fault, NULL))) {
		rc = cli_fail(rc);
	} else {
		printf("copied: %zu rows from %s to %s\n", rows, phsg_ledger_where(from),
		       phsg_ledger_where(to));
		printf("verified: ok\n");
	}
	phsg_ledger_close(to);
	phsg_ledger_close(from);
	phsg_scheme_free(sc);
	return rc;
}

int cmd_ledger(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return cli_usage_error("ledger: unknown or incomplete option '%s'", argv[optind - 1]);
	}
	if (optind >= argc)
		return cli_usage_error("ledger: which? (usage: phsg ledger copy FROM TO)");
	if (strcmp(argv[optind], "copy") != 0)
		return cli_usage_error("ledger: unknown subcommand '%s' (usage: phsg ledger copy "
				       "FROM TO)", argv[optind]);
	if (argc - optind != 3)
		return cli_usage_error("ledger copy: give FROM and TO (usage: phsg ledger copy FROM TO)");
	if (strcmp(argv[optind + 1], argv[optind + 2]) == 0)
		return cli_usage_error("ledger copy: FROM and TO are the same ledger");
	return copy(g, argv[optind + 1], argv[optind + 2]);
}
