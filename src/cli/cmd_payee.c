/*
 * cmd_payee.c - phsg payee add REF --name NAME (--sort-code S --account A | --card ID)
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: phsg payee add REF --name NAME (--sort-code NNNNNN --account NNNNNNNN | --card ID)\n"
	"\n"
	"Add a payee: a person or provider paid by bank transfer (6-digit sort code,\n"
	"8-digit account number), or a prepaid card.  Prints the payee reference.\n";

int cmd_payee(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "sort-code", required_argument, NULL, 's' },
		{ "account", required_argument, NULL, 'a' },
		{ "card", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	phsg_payee p = { 0 };
	phsg_ledger *l = NULL;
	const char *name = NULL, *sort = NULL, *account = NULL, *card = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 's': sort = optarg; break;
		case 'a': account = optarg; break;
		case 'c': card = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("payee: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 2 != argc || strcmp(argv[optind], "add") != 0)
		return cli_usage_error("usage: phsg payee add REF --name NAME ... (see phsg payee --help)");
	if (!name)
		return cli_usage_error("payee add: --name is required");
	if (card && (sort || account))
		return cli_usage_error("payee add: give bank details or a card, not both");
	if (!card && (!sort || !account))
		return cli_usage_error("payee add: give --sort-code and --account, or --card");
	p.ref = argv[optind + 1];
	p.name = (char *)name;
	p.is_card = card != NULL;
	p.sort_code = (char *)sort;
	p.account = (char *)account;
	p.card_id = (char *)card;
	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_CREATE)))
		return rc;
	if ((rc = phsg_ledger_begin(l, 10000)) ||
	    (rc = phsg_ledger_payee_add(l, &p)) ||
	    (rc = phsg_ledger_commit(l)))
		rc = cli_fail(rc);
	else
		printf("%s\n", p.ref);
	phsg_ledger_close(l);
	return rc;
}
