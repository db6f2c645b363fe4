/*
 * cmd_quote.c - phsg quote: a broker's indicative budget with its reasons.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

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

static json_t *quote_json(const phsg_scheme *sc, const phsg_quote *q)
{
	json_t *doc = json_object(), *comps = json_array(), *ivs = json_array(),
	       *why = json_array();
	const phsg_assessment *a = &q->assessment;

	json_object_set_new(doc, "scheme", json_string(sc->name));
	json_object_set_new(doc, "package", json_string(q->package->id));
	json_object_set_new(doc, "package_name", json_string(q->package->name));
	json_object_set_new(doc, "level", q->term->level ? json_integer(q->term->level) : json_null());
	json_object_set_new(doc, "tier", a->tier ? json_integer(a->tier) : json_null());
	json_object_set_new(doc, "chosen_tier", a->tier ?
		json_integer(a->chosen_tier ? a->chosen_tier : a->tier) : json_null());
	json_object_set_new(doc, "start", cli_json_date(q->start));
	for (size_t i = 0; i < q->package->n_interventions; i++) {
		size_t iv = q->package->interventions[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(sc->interventions[iv].id));
		json_object_set_new(o, "need", a->needs[iv] == PHSG_NEED_NONE ? json_null() :
			json_string(phsg_need_name(a->needs[iv])));
		json_object_set_new(o, "weekly_hours", cli_json_exact(q->intervention_hours[i]));
		json_array_append_new(ivs, o);
	}
	json_object_set_new(doc, "interventions", ivs);
	json_object_set_new(doc, "weekly_hours", cli_json_exact(q->weekly_hours));
	if (q->has_rate) {
		char buf[PHSG_NUM_BUF];
		cli_check_format(phsg_decimal_format(buf, sizeof(buf), sc->rates[q->rate_index].hourly, 2));
		json_object_set_new(doc, "hourly_rate", json_string(buf));
	} else {
		json_object_set_new(doc, "hourly_rate", json_null());
	}
	json_object_set_new(doc, "weekly_amount", cli_json_money(sc, q->weekly));
	json_object_set_new(doc, "cycle_amount", cli_json_money(sc, q->cycle));
	json_object_set_new(doc, "period_months", json_integer(q->term->period_months));
	json_object_set_new(doc, "award_end", cli_json_date(q->end));
	json_object_set_new(doc, "award_days", json_integer(q->end - q->start));
	json_object_set_new(doc, "award_total", cli_json_pence(q->award_total_pence));
	json_object_set_new(doc, "extendable_to",
		q->unlimited ? json_string("unlimited") : cli_json_date(q->extendable_to));
	json_object_set_new(doc, "max_total",
		q->unlimited ? json_null() : cli_json_pence(q->max_total_pence));
	for (size_t i = 0; i < q->n_components; i++) {
		const phsg_quote_component *c = &q->components[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(c->component->id));
		json_object_set_new(o, "kind", json_string(phsg_component_kind_name(c->component->kind)));
		json_object_set_new(o, "payee", c->component->payee ?
			json_string(c->component->payee) : json_null());
		json_object_set_new(o, "weekly_hours", cli_json_exact(c->weekly_hours));
		json_object_set_new(o, "weekly_amount", cli_json_money(sc, c->weekly));
		json_object_set_new(o, "total", cli_json_pence(c->total_pence));
		json_array_append_new(comps, o);
	}
	json_object_set_new(doc, "components", comps);
	json_object_set_new(doc, "person_contribution_weekly",
			    cli_json_money(sc, q->contribution_weekly));
	json_object_set_new(doc, "rounding", json_string(phsg_rounding_name(sc->rounding)));
	for (size_t i = 0; i < q->n_explanation; i++)
		json_array_append_new(why, json_string(q->explanation[i]));
	json_object_set_new(doc, "explanation", why);
	return doc;
}

/*
 * Money for the summary: pence by the scheme's rule, and the exact figure
 * beside it where it has fractions of a penny: "£10.73 (exactly £10.725)".
 */
static const char *pretty(char buf[2 * PHSG_NUM_BUF], const phsg_scheme *sc, const mpq_t x)
{
	char exact[PHSG_NUM_BUF];
	mpq_t back;
	mpz_t p;

	mpz_init(p);
	mpq_init(back);
	phsg_round_pence(p, back, x, sc->rounding);
	cli_check_format(phsg_pence_pretty(buf, PHSG_NUM_BUF, p));
	if (mpq_sgn(back) != 0 && phsg_money_pretty(exact, sizeof(exact), x, 3) == 0)
		snprintf(buf + strlen(buf), PHSG_NUM_BUF, " (exactly %s)", exact);
	mpq_clear(back);
	mpz_clear(p);
	return buf;
}

static void quote_text(const phsg_scheme *sc, const phsg_quote *q)
{
	char b[2 * PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];

	printf("%s: indicative budget\n", sc->name);
	printf("  Package:         %s (%s)", q->package->name, q->package->id);
	if (q->term->level)
		printf(", level %d", q->term->level);
	putchar('\n');
	/* hours only for a package that has them */
	if (phsg_package_component_of_kind(q->package, PHSG_COMP_RAS) ||
	    phsg_package_component_of_kind(q->package, PHSG_COMP_HOURS)) {
		cli_check_format(phsg_decimal_format(b, sizeof(b), q->weekly_hours, 0));
		printf("  Weekly hours:    %s\n", b);
	}
	printf("  Weekly amount:   %s\n", pretty(b, sc, q->weekly));
	printf("  4-weekly cycle:  %s\n", pretty(b, sc, q->cycle));
	/* text shows the last day covered (SPEC 11); JSON award_end is the first day not covered */
	phsg_date_format(d1, q->start);
	phsg_date_format(d2, q->end - 1);
	printf("  Award period:    %s to %s\n", d1, d2);
	cli_check_format(phsg_pence_pretty(b, sizeof(b), q->award_total_pence));
	printf("  Award total:     %s\n", b);
	if (q->unlimited) {
		printf("  Extendable to:   unlimited\n");
	} else if (q->term->extendable_months <= q->term->period_months) {
		printf("  Extendable to:   not extendable\n");
	} else {
		phsg_date_format(d1, q->extendable_to - 1);
		cli_check_format(phsg_pence_pretty(b, sizeof(b), q->max_total_pence));
		printf("  Extendable to:   %s (total %s)\n", d1, b);
	}
	if (q->n_components > 1 || q->components[0].component->payee) {
		printf("  Components:\n");
		for (size_t i = 0; i < q->n_components; i++) {
			const phsg_quote_component *c = &q->components[i];
			printf("    %-12s %s a week, paid to %s\n", c->component->id,
			       pretty(b, sc, c->weekly),
			       c->component->payee ? c->component->payee : "the award's payee");
		}
	}
	if (mpq_sgn(q->contribution_weekly) > 0)
		printf("  Person pays:     %s a week (tier upgrade)\n", pretty(b, sc, q->contribution_weekly));
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
		if (phsg_date_parse(o.start, &start))
			return cli_fail(PHSG_EINVAL);
	} else {
		start = cli_today();
	}
	if ((rc = cli_load_scheme(g, &sc)))
		return rc;
	if ((rc = cli_build_assessment(sc, &o, &a)))
		goto cleanup;
	if ((rc = phsg_quote_compute(&q, sc, &a, start))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if (strcmp(format, "json") == 0)
		rc = cli_print_json(quote_json(sc, q));
	else
		quote_text(sc, q);
cleanup:
	phsg_quote_free(q);
	phsg_assessment_release(&a);
	phsg_scheme_free(sc);
	return rc;
}
