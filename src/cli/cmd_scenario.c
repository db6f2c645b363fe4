/*
 * cmd_scenario.c - phsg scenario: a caseload costed under several schemes,
 * per financial year, side by side, against a budget.  Never opens the
 * ledger.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "phsg/scenario.h"

static const char usage[] =
	"usage: phsg scenario --caseload FILE.csv [--scenario NAME=CONFIG]...\n"
	"                     [--budget AMOUNT] [--from DATE] [--to DATE]\n"
	"                     [--format text|csv|json|html]\n"
	"\n"
	"Cost every row of a caseload under each named scheme file (default: the\n"
	"--config scheme alone), for each financial year overlapping [--from, --to)\n"
	"(default: the current financial year and the two after it): the cost,\n"
	"exact and rounded once, in total, per package and per intervention or\n"
	"component; the support hours; the people funded; with --budget (a year),\n"
	"the headroom and the break-even hourly rate.  Scenarios appear side by\n"
	"side with their difference from the first.  Invalid rows are reported\n"
	"with their line numbers and left out.\n";

typedef struct {
	const char *path;
	long reported;
} bad_rows;

static void report_bad(void *ctx, long line, const char *why)
{
	bad_rows *b = ctx;

	if (b->reported++ < 1000)
		fprintf(stderr, "phsg: %s: line %ld: left out: %s\n", b->path, line, why);
	else if (b->reported == 1001)
		fprintf(stderr, "phsg: %s: more rows left out (not listed)\n", b->path);
}

static void report_column(void *ctx, const char *column)
{
	bad_rows *b = ctx;

	fprintf(stderr, "phsg: %s: line 1: column '%s' is not known to any scenario: ignored\n",
		b->path, column);
}

static const char *pence(char buf[PHSG_NUM_BUF], const mpz_t p)
{
	cli_check_format(phsg_pence_format(buf, PHSG_NUM_BUF, p));
	return buf;
}

static const char *exact(char buf[PHSG_NUM_BUF], const mpq_t x)
{
	cli_check_format(phsg_decimal_format(buf, PHSG_NUM_BUF, x, 0));
	return buf;
}

/* Hours for people: exact when short, else to 2 places by the scheme's rule. */
static const char *hours_text(char buf[PHSG_NUM_BUF], const mpq_t h, phsg_rounding mode)
{
	mpz_t p;

	cli_check_format(phsg_decimal_format(buf, PHSG_NUM_BUF, h, 0));
	if (strlen(buf) <= 12 && !strchr(buf, '/'))
		return buf;
	mpz_init(p);
	phsg_round_pence(p, NULL, h, mode);
	cli_check_format(phsg_pence_format(buf, PHSG_NUM_BUF, p));
	mpz_clear(p);
	return buf;
}

/* ---- JSON ---- */

static json_t *named_json(const phsg_named_amount *a, size_t n)
{
	json_t *o = json_object();
	char b[PHSG_NUM_BUF];

	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, a[i].name, json_string(pence(b, a[i].pence)));
	return o;
}

static json_t *results_json(const phsg_scenario_result *r, size_t n, int has_budget,
			    long used, long left_out, phsg_date from, phsg_date to)
{
	json_t *doc = json_object(), *scen = json_array();
	char b[PHSG_NUM_BUF];

	json_object_set_new(doc, "from", cli_json_date(from));
	json_object_set_new(doc, "to", cli_json_date(to));
	for (size_t s = 0; s < n; s++) {
		json_t *o = json_object(), *years = json_array();
		json_object_set_new(o, "name", json_string(r[s].name));
		json_object_set_new(o, "scheme", json_string(r[s].scheme->name));
		json_object_set_new(o, "config", json_string(r[s].scheme->path));
		for (size_t y = 0; y < r[s].n_years; y++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			json_t *yo = json_object();
			json_object_set_new(yo, "year", json_string(yr->name));
			json_object_set_new(yo, "from", cli_json_date(yr->start));
			json_object_set_new(yo, "to", cli_json_date(yr->end));
			json_object_set_new(yo, "cost", json_string(pence(b, yr->cost_pence)));
			json_object_set_new(yo, "hours", json_string(exact(b, yr->hours)));
			json_object_set_new(yo, "people", json_integer(yr->people));
			json_object_set_new(yo, "by_package", named_json(yr->by_package, yr->n_packages));
			json_object_set_new(yo, "by_intervention", named_json(yr->by_intervention, yr->n_interventions));
			json_object_set_new(yo, "headroom", has_budget ? json_string(pence(b, yr->headroom_pence)) : json_null());
			json_object_set_new(yo, "break_even_rate", yr->has_break_even ?
					    json_string(pence(b, yr->break_even_pence)) : json_null());
			if (s > 0) {
				const phsg_scenario_year *first = &r[0].years[y];
				json_t *d = json_object();
				mpz_t dc;
				mpq_t dh;
				mpz_init(dc);
				mpq_init(dh);
				mpz_sub(dc, yr->cost_pence, first->cost_pence);
				mpq_sub(dh, yr->hours, first->hours);
				json_object_set_new(d, "cost", json_string(pence(b, dc)));
				json_object_set_new(d, "hours", json_string(exact(b, dh)));
				json_object_set_new(d, "people", json_integer(yr->people - first->people));
				json_object_set_new(yo, "difference_from_first", d);
				mpz_clear(dc);
				mpq_clear(dh);
			}
			json_array_append_new(years, yo);
		}
		json_object_set_new(o, "years", years);
		json_array_append_new(scen, o);
	}
	json_object_set_new(doc, "scenarios", scen);
	json_object_set_new(doc, "rows_used", json_integer(used));
	json_object_set_new(doc, "rows_left_out", json_integer(left_out));
	return doc;
}

/* ---- text ---- */

static void row_text(const char *label, const phsg_scenario_result *r, size_t n, size_t y,
		     int what)
{
	char b[PHSG_NUM_BUF];

	printf("  %-32s", label);
	for (size_t s = 0; s < n; s++) {
		const phsg_scenario_year *yr = &r[s].years[y];
		switch (what) {
		case 0: printf(" %16s", pence(b, yr->cost_pence)); break;
		case 1: printf(" %16s", hours_text(b, yr->hours, r[s].scheme->rounding)); break;
		case 2: printf(" %16ld", yr->people); break;
		case 3: printf(" %16s", pence(b, yr->headroom_pence)); break;
		case 4: printf(" %16s", yr->has_break_even ? pence(b, yr->break_even_pence) : "-"); break;
		default: {
			mpz_t d;
			mpz_init(d);
			mpz_sub(d, yr->cost_pence, r[0].years[y].cost_pence);
			printf(" %16s", s ? pence(b, d) : "-");
			mpz_clear(d);
		}
		}
	}
	putchar('\n');
}

static void results_text(const phsg_scenario_result *r, size_t n, int has_budget, long used,
			 long left_out)
{
	char b[PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];

	printf("Scenarios over %ld people (%ld rows left out)\n\n", used, left_out);
	for (size_t y = 0; n && y < r[0].n_years; y++) {
		phsg_date_format(d1, r[0].years[y].start);
		phsg_date_format(d2, r[0].years[y].end - 1);
		printf("%s (%s to %s)\n", r[0].years[y].name, d1, d2);
		printf("  %-32s", "");
		for (size_t s = 0; s < n; s++)
			printf(" %16.16s", r[s].name);
		putchar('\n');
		row_text("Cost", r, n, y, 0);
		row_text("Difference from the first", r, n, y, 5);
		row_text("Support hours", r, n, y, 1);
		row_text("People funded", r, n, y, 2);
		if (has_budget) {
			row_text("Headroom (budget - cost)", r, n, y, 3);
			row_text("Break-even hourly rate", r, n, y, 4);
		}
		for (size_t k = 0; k < r[0].years[y].n_packages; k++) {
			char label[64];
			snprintf(label, sizeof(label), "  package %s", r[0].years[y].by_package[k].name);
			printf("  %-32.32s", label);
			for (size_t s = 0; s < n; s++) {
				const phsg_scenario_year *yr = &r[s].years[y];
				const char *v = "-";
				for (size_t j = 0; j < yr->n_packages; j++)
					if (!strcmp(yr->by_package[j].name, r[0].years[y].by_package[k].name))
						v = pence(b, yr->by_package[j].pence);
				printf(" %16s", v);
			}
			putchar('\n');
		}
		for (size_t k = 0; k < r[0].years[y].n_interventions; k++) {
			char label[64];
			snprintf(label, sizeof(label), "  %s", r[0].years[y].by_intervention[k].name);
			printf("  %-32.32s", label);
			for (size_t s = 0; s < n; s++) {
				const phsg_scenario_year *yr = &r[s].years[y];
				const char *v = "-";
				for (size_t j = 0; j < yr->n_interventions; j++)
					if (!strcmp(yr->by_intervention[j].name, r[0].years[y].by_intervention[k].name))
						v = pence(b, yr->by_intervention[j].pence);
				printf(" %16s", v);
			}
			putchar('\n');
		}
		putchar('\n');
	}
}

/* ---- CSV: one long table, easy to pivot ---- */

static int csv_out(const phsg_scenario_result *r, size_t n, int has_budget)
{
	/* value_exact beside the hours, which value gives to 2 places (SPEC section 11) */
	static const char *const head[] = { "scenario", "year", "measure", "item", "value",
		"value_exact" };
	char b[PHSG_NUM_BUF], h[PHSG_NUM_BUF];
	int rc = cli_csv_row(stdout, head, 6);

	for (size_t s = 0; s < n && rc == 0; s++)
		for (size_t y = 0; y < r[s].n_years && rc == 0; y++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			char people[32];
			const char *row[6] = { r[s].name, yr->name, "cost", "", pence(b, yr->cost_pence), "" };
			rc |= cli_csv_row(stdout, row, 6);
			row[2] = "hours";
			row[4] = cli_hours2(h, yr->hours);
			row[5] = exact(b, yr->hours);
			rc |= cli_csv_row(stdout, row, 6);
			row[5] = "";
			snprintf(people, sizeof(people), "%ld", yr->people);
			row[2] = "people";
			row[4] = people;
			rc |= cli_csv_row(stdout, row, 6);
			if (has_budget) {
				row[2] = "headroom";
				row[4] = pence(b, yr->headroom_pence);
				rc |= cli_csv_row(stdout, row, 6);
				row[2] = "break_even_rate";
				row[4] = yr->has_break_even ? pence(b, yr->break_even_pence) : "";
				rc |= cli_csv_row(stdout, row, 6);
			}
			if (s > 0) {
				mpz_t d;
				mpz_init(d);
				mpz_sub(d, yr->cost_pence, r[0].years[y].cost_pence);
				row[2] = "difference_from_first";
				row[4] = pence(b, d);
				rc |= cli_csv_row(stdout, row, 6);
				mpz_clear(d);
			}
			for (size_t k = 0; k < yr->n_packages; k++) {
				row[2] = "package";
				row[3] = yr->by_package[k].name;
				row[4] = pence(b, yr->by_package[k].pence);
				rc |= cli_csv_row(stdout, row, 6);
			}
			for (size_t k = 0; k < yr->n_interventions; k++) {
				row[2] = "intervention";
				row[3] = yr->by_intervention[k].name;
				row[4] = pence(b, yr->by_intervention[k].pence);
				rc |= cli_csv_row(stdout, row, 6);
			}
		}
	return rc ? cli_usage_error("cannot write the CSV") : EXIT_OK;
}

int cli_scenario_html(FILE *f, const phsg_scenario_result *r, size_t n, const mpq_t budget,
		      int has_budget, long used, long left_out, const char *caseload);

int cmd_scenario(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "caseload", required_argument, NULL, 'c' },
		{ "scenario", required_argument, NULL, 's' },
		{ "budget", required_argument, NULL, 'b' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const formats[] = { "text", "csv", "json", "html", NULL };
	const char *caseload = NULL, *format = "text", *budget_s = NULL, *from_s = NULL, *to_s = NULL;
	const char *specs[64];
	char *names[64] = { 0 };
	phsg_scheme *schemes[64] = { 0 };
	size_t n_specs = 0;
	phsg_model *m = NULL;
	phsg_date from, to;
	mpq_t budget;
	bad_rows bad = { 0 };
	FILE *f = NULL;
	int c, rc = 0;

	mpq_init(budget);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': caseload = optarg; break;
		case 's':
			if (n_specs == 64) {
				rc = cli_usage_error("at most 64 scenarios");
				goto cleanup;
			}
			specs[n_specs++] = optarg;
			break;
		case 'b': budget_s = optarg; break;
		case 'f': from_s = optarg; break;
		case 't': to_s = optarg; break;
		case 'o': rc = cli_parse_format(optarg, formats, &format); break;
		case 'h': fputs(usage, stdout); goto cleanup;
		default:
			rc = cli_usage_error("scenario: unknown or incomplete option '%s'", argv[optind - 1]);
			goto cleanup;
		}
		if (rc)
			goto cleanup;
	}
	if (optind < argc) {
		rc = cli_usage_error("scenario: unexpected argument '%s'", argv[optind]);
		goto cleanup;
	}
	if (!caseload) {
		rc = cli_usage_error("scenario: --caseload FILE.csv is required");
		goto cleanup;
	}
	if (budget_s && phsg_decimal_parse(budget, budget_s, PHSG_DEC_PENCE)) {
		rc = cli_usage_error("--budget: %s", phsg_error_last());
		goto cleanup;
	}
	if (budget_s) {
		/* SPEC section 12: at most 999,999,999,999.99 */
		mpq_t most;
		int over;
		mpq_init(most);
		mpq_set_str(most, "99999999999999/100", 10);
		over = mpq_cmp(budget, most) > 0;
		mpq_clear(most);
		if (over) {
			rc = cli_usage_error("--budget: %s is more than 999,999,999,999.99", budget_s);
			goto cleanup;
		}
	}
	from = phsg_fy_start(cli_today());
	if (from_s && (rc = cli_parse_date("--from", from_s, &from)))
		goto cleanup;
	to = phsg_date_add_months(phsg_fy_start(from), 36);
	if (to_s && (rc = cli_parse_date("--to", to_s, &to)))
		goto cleanup;
	if (from >= to) {
		rc = cli_usage_error("--from %s is not before --to %s", from_s ? from_s : "(default)",
				     to_s ? to_s : "(default)");
		goto cleanup;
	}
	/* the schemes, each named in its errors */
	if (n_specs == 0) {
		specs[0] = NULL;
		n_specs = 1;
	}
	for (size_t i = 0; i < n_specs; i++) {
		const char *path = g->config_path;
		if (specs[i]) {
			const char *eq = strchr(specs[i], '=');
			if (!eq || eq == specs[i] || !eq[1]) {
				rc = cli_usage_error("--scenario '%s' is not NAME=CONFIG", specs[i]);
				goto cleanup;
			}
			names[i] = strndup(specs[i], (size_t)(eq - specs[i]));
			path = eq + 1;
		} else {
			names[i] = strdup("default");
		}
		if (!names[i])
			abort();
		for (size_t j = 0; j < i; j++)
			if (!strcmp(names[j], names[i])) {
				rc = cli_usage_error("scenario '%s' is named twice", names[i]);
				goto cleanup;
			}
		if (phsg_scheme_load(&schemes[i], path)) {
			rc = cli_usage_error("scenario '%s': %s", names[i], phsg_error_last());
			goto cleanup;
		}
	}
	if (!(f = cli_open_input("caseload", caseload))) {
		rc = EXIT_USAGE;
		goto cleanup;
	}
	if ((rc = phsg_model_new(&m, from, to, budget_s ? budget : NULL))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	for (size_t i = 0; i < n_specs; i++)
		if ((rc = phsg_model_add(m, names[i], schemes[i]))) {
			rc = cli_usage_error("scenario '%s': %s", names[i], phsg_error_last());
			goto cleanup;
		}
	bad.path = caseload;
	phsg_model_on_unknown_column(m, report_column);
	if ((rc = phsg_model_read(m, f, caseload, report_bad, &bad))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	{
		const phsg_scenario_result *r;
		size_t n;
		long used = phsg_model_rows_used(m), left = phsg_model_rows_left_out(m);
		phsg_model_results(m, &r, &n);
		if (!strcmp(format, "json"))
			rc = cli_print_json(results_json(r, n, budget_s != NULL, used, left, from, to));
		else if (!strcmp(format, "csv"))
			rc = csv_out(r, n, budget_s != NULL);
		else if (!strcmp(format, "html"))
			rc = cli_scenario_html(stdout, r, n, budget, budget_s != NULL, used, left, caseload);
		else
			results_text(r, n, budget_s != NULL, used, left);
		if (left)
			fprintf(stderr, "phsg: %s: %ld row%s left out of the totals\n", caseload, left,
				left == 1 ? "" : "s");
	}
cleanup:
	if (f)
		fclose(f);
	phsg_model_free(m);
	for (size_t i = 0; i < n_specs; i++) {
		free(names[i]);
		phsg_scheme_free(schemes[i]);
	}
	mpq_clear(budget);
	return rc;
}
