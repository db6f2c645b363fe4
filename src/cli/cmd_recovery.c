/*
 * cmd_recovery.c - phsg recovery receive AWARD --amount A --on DATE
 *
 * Money a payee pays back.  It is split over the award's components in
 * package order, each taking at most what it was overpaid (net paid less
 * its entitlement, to the award's end if it has ended, else to DATE).  More
 * than is owed is refused: the ledger never holds a credit it cannot explain.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: phsg recovery receive AWARD --amount A --on DATE\n"
	"\n"
	"Record money received back from a payee for an overpaid award.\n";

int cmd_recovery(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "amount", required_argument, NULL, 'a' },
		{ "on", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *amount_s = NULL, *on_s = NULL;
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw;
	int64_t amount = 0, owed_total = 0, *owed = NULL;
	phsg_date on;
	long long id = 0;
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF];
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': amount_s = optarg; break;
		case 'o': on_s = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("recovery: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 2 != argc || strcmp(argv[optind], "receive") != 0)
		return cli_usage_error("usage: phsg recovery receive AWARD --amount A --on DATE");
	if (!amount_s || !on_s)
		return cli_usage_error("recovery receive: --amount and --on are required");
	if ((rc = cli_parse_pence("--amount", amount_s, &amount)) ||
	    (rc = cli_parse_date("--on", on_s, &on)))
		return rc;
	if (amount <= 0)
		return cli_usage_error("--amount must be more than 0.00");
	memset(&aw, 0, sizeof(aw));
	if ((rc = cli_open_both(g, &sc, &l, 0)))
		return rc;
	if ((rc = phsg_ledger_begin(l, 10000)) ||
	    (rc = phsg_ledger_award_lookup(l, argv[optind + 1], &id)) ||
	    (rc = phsg_ledger_award_load(l, sc, id, &aw)))
		goto cleanup;
	owed = calloc(aw.package->n_components, sizeof(int64_t));
	if (!owed)
		abort();
	for (size_t i = 0; i < aw.package->n_components && rc == 0; i++) {
		int64_t entitled = 0, paid = 0, recovered = 0;
		phsg_date upto = aw.end <= on ? aw.end : on + 1;
		if ((rc = phsg_entitled_pence(sc, &aw, (int)i, upto, &entitled)) ||
		    (rc = phsg_ledger_award_sums(l, id, aw.package->components[i].id, PHSG_DATE_MAX,
						 &paid, &recovered)))
			break;
		owed[i] = paid - recovered - entitled > 0 ? paid - recovered - entitled : 0;
		owed_total += owed[i];
	}
	if (rc)
		goto cleanup;
	if (amount > owed_total) {
		rc = phsg_error_set(PHSG_ERULE,
			"%s is more than award %s owes: %s overpaid on %s", cli_pence(b1, amount),
			aw.ref, cli_pence(b2, owed_total), on_s);
		goto cleanup;
	}
	for (size_t i = 0; i < aw.package->n_components && amount > 0 && rc == 0; i++) {
		int64_t take = owed[i] < amount ? owed[i] : amount;
		if (take > 0)
			rc = phsg_ledger_recovery_add(l, id, aw.package->components[i].id, take, on);
		amount -= take;
	}
	if (rc == 0 && (rc = phsg_ledger_commit(l)) == 0)
		printf("%s: recovery of %s received on %s\n", aw.ref, amount_s, on_s);
cleanup:
	if (rc)
		rc = cli_fail(rc);
	free(owed);
	phsg_award_release(&aw);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}
