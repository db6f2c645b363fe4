/*
 * cmd_quote.c - phsg quote: a broker's indicative budget with its reasons.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "json_out.h"

static const char usage[] =
	"usage: phsg quote --package ID [--level N] [--tier N] [--chosen-tier N]\n"
	"                  [--hours H] [--need INTERVENTION=LEVEL]... [--start DATE]\n"
	"                  [--format text|json]\n"
	"\n"
	"An indicative budget: weekly hours and amounts, the 4-weekly cycle, the\n"
	"award period and total, how far it can be extended, and every step of\n"
	"the calculation.  LEVEL is high, medium or low.  --start defaults to today.\n";

enum { OPT_PACKAGE = 256, OPT_LEVEL, OPT_TIER, OPT_CHOSEN, OPT_HOURS, OPT_NEED,
       OPT_START, OPT_FORMAT, OPT_HELP };

static const struct option assessment_options[] = {
	{ "package", required_argument, NULL, OPT_PACKAGE },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "tier", required_argument, NULL, OPT_TIER },
	{ "chosen-tier", required_argument, NULL, OPT_CHOSEN },
	{ "hours", required_argument, NULL, OPT_HOURS },
	{ "need", required_argument, NULL, OPT_NEED },
	{ "start", required_argument, NULL, OPT_START },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 }
};

static void quote_text(const phsg_scheme *sc, const phsg_quote *q)
{
	char b[2 * PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];

	printf("%s: indicative budget\n", sc->name);
	printf("  Package:         %s (%s)", q->package->name, q->package->id);
	if (q->term->level)
		printf(", level %d", q->term->level);
	putchar('\n');
	/* hours only for a package that has them */
	if (phsg_scheme_package_component_of_kind(q->package, PHSG_COMP_RAS) ||
	    phsg_scheme_package_component_of_kind(q->package, PHSG_COMP_HOURS)) {
		cli_check_format(phsg_money_format(b, sizeof(b), q->weekly_hours, 0));
		printf("  Weekly hours:    %s\n", b);
	}
	printf("  Weekly amount:   %s\n", cli_money_pretty(b, sc, q->weekly));
	printf("  4-weekly cycle:  %s\n", cli_money_pretty(b, sc, q->cycle));
	/* text shows the last day covered (SPEC 11); JSON award_end is the first day not covered */
	phsg_date_format(d1, q->start);
	phsg_date_format(d2, q->end - 1);
	printf("  Award period:    %s to %s\n", d1, d2);
	cli_check_format(phsg_money_pretty_pence(b, sizeof(b), q->award_total_pence));
	printf("  Award total:     %s\n", b);
	if (q->unlimited) {
		printf("  Extendable to:   unlimited\n");
	} else if (q->term->extendable_months <= q->term->period_months) {
		printf("  Extendable to:   not extendable\n");
	} else {
		phsg_date_format(d1, q->extendable_to - 1);
		cli_check_format(phsg_money_pretty_pence(b, sizeof(b), q->max_total_pence));
		printf("  Extendable to:   %s (total %s)\n", d1, b);
	}
	if (q->n_components > 1 || q->components[0].component->payee) {
		printf("  Components:\n");
		for (size_t i = 0; i < q->n_components; i++) {
			const phsg_quote_component *c = &q->components[i];
			printf("    %-12s %s a week, paid to %s\n", c->component->id,
			       cli_money_pretty(b, sc, c->weekly),
			       c->component->payee ? c->component->payee : "the award's payee");
		}
	}
	if (mpq_sgn(q->contribution_weekly) > 0)
		printf("  Person pays:     %s a week (tier upgrade)\n", cli_money_pretty(b, sc, q->contribution_weekly));
	printf("\nHow this was worked out:\n");
	for (size_t i = 0; i < q->n_explanation; i++)
		printf("  %2zu. %s\n", i + 1, q->explanation[i]);
}

int cmd_quote(const cli_globals *g, int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", NULL };
	cli_assessment_opts o = { 0 };
	const char *format = "text";
	phsg_scheme *sc = NULL;
	phsg_assessment a = { 0 };
	phsg_quote *q = NULL;
	phsg_date start;
	int c, rc = EXIT_OK;

	while ((c = getopt_long(argc, argv, "", assessment_options, NULL)) != -1) {
		switch (c) {
		case OPT_PACKAGE: o.package = optarg; break;
		case OPT_LEVEL: rc = cli_parse_int("--level", optarg, 1, 99, &o.level); break;
		case OPT_TIER: rc = cli_parse_int("--tier", optarg, 1, 99, &o.tier); break;
		case OPT_CHOSEN: rc = cli_parse_int("--chosen-tier", optarg, 1, 99, &o.chosen_tier); break;
		case OPT_HOURS: o.hours = optarg; break;
		case OPT_NEED:
			if (o.n_needs == (int)(sizeof(o.needs) / sizeof(o.needs[0])))
				return cli_usage_error("too many --need options: at most %d",
						       (int)(sizeof(o.needs) / sizeof(o.needs[0])));
			o.needs[o.n_needs++] = optarg;
			break;
		case OPT_START: o.start = optarg; break;
		case OPT_FORMAT: rc = cli_parse_format(optarg, formats, &format); break;
		case OPT_HELP: fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("quote: unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error("quote: unexpected argument '%s'", argv[optind]);
	if (o.start) {
		if (phsg_date_parse(&start, o.start))
			return cli_fail(PHSG_EINVAL);
	} else {
		start = cli_today();
	}
	if ((rc = cli_load_scheme(g, &sc)))
		return rc;
	if ((rc = cli_build_assessment(sc, &o, &a)))
		goto cleanup;
	if ((rc = phsg_alloc_quote(&q, sc, &a, start))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if (strcmp(format, "json") == 0)
		rc = cli_print_json(cli_quote_json(sc, q));
	else
		quote_text(sc, q);
cleanup:
	phsg_alloc_quote_free(q);
	phsg_alloc_assessment_release(&a);
	phsg_scheme_free(sc);
	return rc;
}
