/*
 * cmd_check_config.c - phsg check-config [FILE...]
 *
 * Loads each scheme file with the same loader every other command uses, so
 * a file that passes here is one that quotes and pays.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: phsg check-config [FILE...]\n"
	"\n"
	"Validate scheme files (default: the --config scheme).  Each error names\n"
	"the file, the line and the setting.  Exit 0 when every file is valid,\n"
	"2 otherwise.\n";

static int check_one(const char *path)
{
	phsg_scheme *sc = NULL;
	int rc = phsg_scheme_load(&sc, path);

	if (rc)
		return cli_fail(rc);
	printf("%s: ok: %s, %zu packages, %zu interventions, %zu rates, "
	       "bank holidays %d to %d, rounding %s",
	       path, sc->name, sc->n_packages, sc->n_interventions, sc->n_rates,
	       sc->calendar.first_year, sc->calendar.last_year,
	       phsg_money_rounding_name(sc->rounding));
	/* budgets (SPEC section 13): the financial years they are for */
	if (sc->n_budgets == 1)
		printf(", a budget for %d-%02d", sc->budgets[0].year, (sc->budgets[0].year + 1) % 100);
	else if (sc->n_budgets > 1)
		printf(", budgets for %zu years from %d-%02d to %d-%02d", sc->n_budgets,
		       sc->budgets[0].year, (sc->budgets[0].year + 1) % 100,
		       sc->budgets[sc->n_budgets - 1].year, (sc->budgets[sc->n_budgets - 1].year + 1) % 100);
	putchar('\n');
	phsg_scheme_free(sc);
	return EXIT_OK;
}

int cmd_check_config(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return EXIT_OK;
		}
		return cli_usage_error("check-config: unknown option '%s'", argv[optind - 1]);
	}
	if (optind == argc)
		return check_one(g->config_path);
	for (int i = optind; i < argc; i++) {
		int one = check_one(argv[i]);
		if (one > status)
			status = one;
	}
	return status;
}
