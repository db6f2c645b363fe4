/*
 * main.c - the phsg command line: global options, then one command.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif
#ifndef PHSG_LEDGER_DIR
#define PHSG_LEDGER_DIR "ledger"
#endif

/*
 * The binary in the build tree reads the tree's config/ and ledger/; the
 * installed one (built with PHSG_INSTALLED, SPEC section 16) reads the
 * schemes installed under SYSCONFDIR/phsg (PHSG_CONFIG_DIR) and keeps its
 * ledger under the user's XDG data folder, never in the current folder.
 */
#ifdef PHSG_INSTALLED
#define DEFAULT_CONFIG_HELP PHSG_CONFIG_DIR "/medway.cfg"
#define DEFAULT_LEDGER_HELP "else\n" \
	"                   $XDG_DATA_HOME/phsg/phsg.db or ~/.local/share/phsg/phsg.db)\n"
#else
#define DEFAULT_CONFIG_HELP "config/medway.cfg"
#define DEFAULT_LEDGER_HELP "else ledger/phsg.db)\n"
#endif

static const char usage[] =
	"usage: phsg [--config FILE] [--ledger PATH] [--operator NAME] COMMAND ...\n"
	"\n"
	"Personal housing support grants: quote, award, pay and plan.\n"
	"\n"
	"Commands:\n"
	"  check-config [FILE...]   validate scheme files\n"
	"  quote --package ID ...   an indicative budget, with the reasons\n"
	"  payee add REF ...        a person or provider to pay (bank or card)\n"
	"  award create|extend|reassess|suspend|resume|end|change-payee|cancel|show|import\n"
	"  run --date DATE          post every payment due, as one batch\n"
	"  batch show|void|sent|return|export|remittance ID\n"
	"                           a payment batch, its Bacs file, card loads, advices\n"
	"  recovery receive AWARD   money paid back\n"
	"  contribution receive|refund AWARD   a person's own contribution\n"
	"  report balances|recoveries|commitments|contributions|payments|reviews|outcomes\n"
	"  export --format ledger|csv|json   the journal, for ledger-cli or hledger\n"
	"  scenario --caseload FILE.csv ...  cost a caseload under several schemes\n"
	"  verify                   check the ledger: integrity and phsg's invariants\n"
	"  ledger copy FROM TO      a whole ledger into a new one (SQLite, PostgreSQL)\n"
	"  plan add|show AWARD      the outcomes a grant is for (a support plan)\n"
	"  review AWARD --on DATE   a review of the plan's outcomes\n"
	"  serve [--listen ADDR:PORT] [--token-file FILE]\n"
	"                           the quote form, the JSON API and the read-only\n"
	"                           finance views over HTTP\n"
	"  help [COMMAND]           this text, or a command's own help\n"
	"\n"
	"Global options:\n"
	"  --config FILE    the scheme file (default $PHSG_CONFIG, else " DEFAULT_CONFIG_HELP ")\n"
	"  --ledger PATH    the ledger: a file, sqlite:PATH or a postgresql:// URI\n"
	"                   (default $PHSG_LEDGER, " DEFAULT_LEDGER_HELP
	"  --operator NAME  who is making ledger changes (default: the login name)\n"
	"  -h, --help       this text; 'phsg help COMMAND' or 'phsg COMMAND --help'\n"
	"                   for a command\n"
	"  --version        the version of phsg\n"
	"\n"
	"Exit status: 0 success, 1 refused by a rule, 2 bad usage or input,\n"
	"3 the ledger could not be read or written.\n";

static const struct {
	const char *name;
	int (*run)(const cli_globals *, int, char **);
} commands[] = {
	{ "check-config", cmd_check_config },
	{ "quote", cmd_quote },
	{ "payee", cmd_payee },
	{ "award", cmd_award },
	{ "run", cmd_run },
	{ "batch", cmd_batch },
	{ "recovery", cmd_recovery },
	{ "contribution", cmd_contribution },
	{ "report", cmd_report },
	{ "export", cmd_export },
	{ "scenario", cmd_scenario },
	{ "verify", cmd_verify },
	{ "ledger", cmd_ledger },
	{ "plan", cmd_plan },
	{ "review", cmd_review },
	{ "serve", cmd_serve },
};

static const char help_usage[] =
	"usage: phsg help [COMMAND]\n"
	"\n"
	"Without COMMAND, how to use phsg and its commands; with one, that\n"
	"command's own help (the same as 'phsg COMMAND --help').\n";

/* phsg help [COMMAND]: argv[0] is "help" */
static int help(const cli_globals *g, int argc, char **argv)
{
	char opt_help[] = "--help";

	if (argc == 1) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return cli_usage_error("help: unexpected argument '%s' (usage: phsg help [COMMAND])",
				       argv[2]);
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(help_usage, stdout);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			/* exactly what 'phsg COMMAND --help' prints */
			char *sub_argv[] = { argv[1], opt_help, NULL };
			optind = 0;
			return commands[i].run(g, 2, sub_argv);
		}
	}
	return cli_usage_error("help: unknown command '%s' (see phsg --help)", argv[1]);
}

#ifdef PHSG_INSTALLED
static const char *default_config(void)
{
	return PHSG_CONFIG_DIR "/medway.cfg";
}

/*
 * $XDG_DATA_HOME/phsg/phsg.db (an absolute XDG_DATA_HOME only, as the XDG
 * base directory specification says), else ~/.local/share/phsg/phsg.db.
 * The folder is made (0700) only when a command creates the ledger.
 */
static const char *default_ledger(cli_globals *g)
{
	static char path[4096];
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int n;

	if (data && data[0] == '/') {
		n = snprintf(path, sizeof(path), "%s/phsg/phsg.db", data);
	} else {
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home || !*home)
			return NULL;
		n = snprintf(path, sizeof(path), "%s/.local/share/phsg/phsg.db", home);
	}
	if (n < 0 || (size_t)n >= sizeof(path))
		return NULL;
	g->make_ledger_dir = 1;
	return path;
}
#else
static const char *default_config(void)
{
	static const char local[] = "config/medway.cfg";

	if (access(local, R_OK) == 0)
		return local;
	return PHSG_CONFIG_DIR "/medway.cfg";
}

/* ledger/phsg.db here when there is a ledger/ folder, else the project's */
static const char *default_ledger(cli_globals *g)
{
	static const char local[] = "ledger/phsg.db";

	(void)g;
	if (access("ledger", W_OK) == 0)
		return local;
	return PHSG_LEDGER_DIR "/phsg.db";
}
#endif

static const char *login_name(void)
{
	const char *name = getenv("USER");
	struct passwd *pw;

	if (name && *name)
		return name;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ledger", required_argument, NULL, 'l' },
		{ "operator", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	cli_globals g = { 0 };
	int c;

	g.config_path = getenv("PHSG_CONFIG");
	g.ledger_path = getenv("PHSG_LEDGER");
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			g.config_path = optarg;
			break;
		case 'l':
			g.ledger_path = optarg;
			if (!*optarg)
				return cli_fail(phsg_error_set(PHSG_ELEDGER, "--ledger: the ledger path "
							       "is empty"));
			break;
		case 'o':
			g.operator_name = optarg;
			if (!*optarg)
				return cli_usage_error("--operator: the operator's name is empty");
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case 'V':
			printf("phsg %s\n", phsg_version());
			return EXIT_OK;
		default:
			return cli_usage_error("unknown global option '%s' (see phsg --help)",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("no command given (see phsg --help)");
	if (!g.config_path || !*g.config_path)
		g.config_path = default_config();
	if ((!g.ledger_path || !*g.ledger_path) && !(g.ledger_path = default_ledger(&g)))
		return cli_fail(phsg_error_set(PHSG_ELEDGER, "no default ledger: HOME and "
					       "XDG_DATA_HOME are not set (give --ledger PATH)"));
	if (!g.operator_name || !*g.operator_name)
		g.operator_name = login_name();
	/* recorded on every ledger row: a name like any other (SPEC section 12) */
	if (phsg_text_check_name("the operator's name", g.operator_name, PHSG_NAME_MAX))
		return cli_fail(PHSG_EINVAL);

	if (strcmp(argv[optind], "help") == 0)
		return help(&g, argc - optind, argv + optind);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[optind], commands[i].name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			int rc;
			optind = 0; /* a full reset for the command's own options */
			rc = commands[i].run(&g, sub_argc, sub_argv);
			return rc == 0 && cli_format_failed() ? EXIT_LEDGER : rc;
		}
	}
	return cli_usage_error("unknown command '%s' (see phsg --help)", argv[optind]);
}
