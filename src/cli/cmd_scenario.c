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
#include <sys/stat.h>
#include <sys/types.h>
#include "cli.h"
#include "progress.h"
#include "phsg/scenario.h"

static const char usage[] =
	"usage: phsg scenario --caseload FILE.csv [--scenario NAME=CONFIG]...\n"
	"                     [--budget AMOUNT | --budget YYYY-YY=AMOUNT...]\n"
	"                     [--from DATE] [--to DATE] [--format text|csv|json|html]\n"
	"\n"
	"Cost every row of a caseload under each named scheme file (default: the\n"
	"--config scheme alone), for each financial year overlapping [--from, --to)\n"
	"(default: the current financial year and the two after it): the cost,\n"
	"exact and rounded once, in total, per package and per intervention or\n"
	"component; the support hours; the people funded; and against each year's\n"
	"budget the headroom and the break-even hourly rate.  Scenarios appear side\n"
	"by side with their difference from the first.  Invalid rows are reported\n"
	"with their line numbers and left out.\n"
	"\n"
	"Budgets: each scenario uses its own scheme's `budgets = { y2026 = \"...\"; }`\n"
	"unless --budget is given, which sets them for every scenario: --budget\n"
	"2026-27=AMOUNT for one financial year (repeat it for others), --budget\n"
	"AMOUNT for every year not named.  A year with no budget has no headroom or\n"
	"break-even rate.  A year only partly inside [--from, --to) has its budget\n"
	"prorated by days (budget x days modelled / days in the year, rounded once),\n"
	"and the output says so.\n";

typedef struct {
	const char *path;
	long reported;
} bad_rows;

static void report_bad(void *ctx, long line, const char *why)
{
	bad_rows *b = ctx;

	if (b->reported++ < 1000)
		fprintf(stderr, "phsg: %s: line %ld: left out: %s\n", b->path, line, cli_shown(why));
	else if (b->reported == 1001)
		fprintf(stderr, "phsg: %s: more rows left out (not listed)\n", b->path);
}

static void report_column(void *ctx, const char *column)
{
	bad_rows *b = ctx;

	fprintf(stderr, "phsg: %s: line 1: column '%s' is not known to any scenario: ignored\n",
		b->path, cli_shown(column));
}

static const char *pence(char buf[PHSG_NUM_BUF], const mpz_t p)
{
	cli_check_format(phsg_money_format_pence(buf, PHSG_NUM_BUF, p));
	return buf;
}

static const char *exact(char buf[PHSG_NUM_BUF], const mpq_t x)
{
	cli_check_format(phsg_money_format(buf, PHSG_NUM_BUF, x, 0));
	return buf;
}

/* Hours for people: exact when short, else to 2 places by the scheme's rule. */
static const char *hours_text(char buf[PHSG_NUM_BUF], const mpq_t h, phsg_rounding mode)
{
	mpz_t p;

	cli_check_format(phsg_money_format(buf, PHSG_NUM_BUF, h, 0));
	if (strlen(buf) <= 12 && !strchr(buf, '/'))
		return buf;
	mpz_init(p);
	phsg_money_round_pence(p, NULL, h, mode);
	cli_check_format(phsg_money_format_pence(buf, PHSG_NUM_BUF, p));
	mpz_clear(p);
	return buf;
}

/* Pence for people: "£1,234.50". */
static const char *pretty(char buf[PHSG_NUM_BUF], const mpz_t p)
{
	cli_check_format(phsg_money_pretty_pence(buf, PHSG_NUM_BUF, p));
	return buf;
}

/* Does any scenario have a budget for any year?  Then the budget rows are shown. */
static int any_budget(const phsg_scenario_result *r, size_t n)
{
	for (size_t s = 0; s < n; s++)
		for (size_t y = 0; y < r[s].n_years; y++)
			if (r[s].years[y].has_budget)
				return 1;
	return 0;
}

/* ---- JSON ---- */

static json_t *named_json(const phsg_named_amount *a, size_t n)
{
	json_t *o = json_object();
	char b[PHSG_NUM_BUF];

	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, a[i].name, cli_json_str(pence(b, a[i].pence)));
	return o;
}

static json_t *results_json(const phsg_scenario_result *r, size_t n, long used, long left_out,
			    phsg_date from, phsg_date to)
{
	json_t *doc = json_object(), *scen = json_array();
	char b[PHSG_NUM_BUF];

	json_object_set_new(doc, "from", cli_json_date(from));
	json_object_set_new(doc, "to", cli_json_date(to));
	for (size_t s = 0; s < n; s++) {
		json_t *o = json_object(), *years = json_array();
		json_object_set_new(o, "name", cli_json_str(r[s].name));
		json_object_set_new(o, "scheme", cli_json_str(r[s].scheme->name));
		json_object_set_new(o, "config", cli_json_str(r[s].scheme->path));
		/* where the budgets come from: the scheme file's `budgets`, or --budget */
		json_object_set_new(o, "budgets_from", cli_json_str(r[s].budgets_from_scheme ?
								    "scheme" : "--budget"));
		for (size_t y = 0; y < r[s].n_years; y++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			json_t *yo = json_object();
			json_object_set_new(yo, "year", cli_json_str(yr->name));
			json_object_set_new(yo, "from", cli_json_date(yr->start));
			json_object_set_new(yo, "to", cli_json_date(yr->end));
			json_object_set_new(yo, "days", json_integer(yr->days));
			json_object_set_new(yo, "days_in_year", json_integer(yr->days_in_year));
			json_object_set_new(yo, "cost", cli_json_str(pence(b, yr->cost_pence)));
			json_object_set_new(yo, "hours", cli_json_str(exact(b, yr->hours)));
			json_object_set_new(yo, "people", json_integer(yr->people));
			json_object_set_new(yo, "by_package", named_json(yr->by_package, yr->n_packages));
			json_object_set_new(yo, "by_intervention", named_json(yr->by_intervention, yr->n_interventions));
			/* budget: for the days modelled; budget_full_year: as set for the whole year */
			json_object_set_new(yo, "budget", yr->has_budget ?
					    cli_json_str(pence(b, yr->budget_pence)) : json_null());
			json_object_set_new(yo, "budget_full_year", yr->has_budget ?
					    cli_json_money(r[s].scheme, yr->budget_year) : json_null());
			json_object_set_new(yo, "budget_prorated", json_boolean(yr->has_budget &&
										 yr->budget_prorated));
			json_object_set_new(yo, "headroom", yr->has_budget ?
					    cli_json_str(pence(b, yr->headroom_pence)) : json_null());
			json_object_set_new(yo, "break_even_rate", yr->has_break_even ?
					    cli_json_str(pence(b, yr->break_even_pence)) : json_null());
			if (s > 0) {
				const phsg_scenario_year *first = &r[0].years[y];
				json_t *d = json_object();
				mpz_t dc;
				mpq_t dh;
				mpz_init(dc);
				mpq_init(dh);
				mpz_sub(dc, yr->cost_pence, first->cost_pence);
				mpq_sub(dh, yr->hours, first->hours);
				json_object_set_new(d, "cost", cli_json_str(pence(b, dc)));
				json_object_set_new(d, "hours", cli_json_str(exact(b, dh)));
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

enum { T_COST, T_HOURS, T_PEOPLE, T_BUDGET, T_HEADROOM, T_BREAK_EVEN, T_DIFF };

/* Right-align `s` in `width` columns, counting characters, not bytes (the £). */
static void cell_text(const char *s, int width)
{
	int chars = 0;

	for (const char *p = s; *p; p++)
		chars += ((unsigned char)*p & 0xc0) != 0x80;
	printf(" %*s%s", width > chars ? width - chars : 0, "", s);
}

static void row_text(const char *label, const phsg_scenario_result *r, size_t n, size_t y,
		     int what, int width)
{
	char b[PHSG_NUM_BUF], p[PHSG_NUM_BUF];

	printf("  %-32s", label);
	for (size_t s = 0; s < n; s++) {
		const phsg_scenario_year *yr = &r[s].years[y];
		switch (what) {
		case T_COST: cell_text(pretty(b, yr->cost_pence), width); break;
		case T_HOURS: cell_text(hours_text(b, yr->hours, r[s].scheme->rounding), width); break;
		case T_PEOPLE: snprintf(b, sizeof(b), "%ld", yr->people); cell_text(b, width); break;
		case T_BUDGET:
			if (yr->has_budget)
				snprintf(b, sizeof(b), "%s%s", pretty(p, yr->budget_pence),
					 yr->budget_prorated ? " *" : "");
			cell_text(yr->has_budget ? b : "-", width);
			break;
		case T_HEADROOM: cell_text(yr->has_budget ? pretty(b, yr->headroom_pence) : "-", width); break;
		case T_BREAK_EVEN:
			cell_text(yr->has_break_even ? pretty(b, yr->break_even_pence) : "-", width);
			break;
		default: {
			mpz_t d;
			mpz_init(d);
			mpz_sub(d, yr->cost_pence, r[0].years[y].cost_pence);
			cell_text(s ? pretty(b, d) : "-", width);
			mpz_clear(d);
		}
		}
	}
	putchar('\n');
}

/* A cost per package or intervention: the same name in every scenario, or "-". */
static void item_text(const char *label, const char *name, int kind, const phsg_scenario_result *r,
		      size_t n, size_t y, int width)
{
	char b[PHSG_NUM_BUF];

	printf("  %-32s", label);
	for (size_t s = 0; s < n; s++) {
		const phsg_scenario_year *yr = &r[s].years[y];
		const phsg_named_amount *a = kind ? yr->by_intervention : yr->by_package;
		size_t na = kind ? yr->n_interventions : yr->n_packages;
		const char *v = "-";
		for (size_t j = 0; j < na; j++)
			if (!strcmp(a[j].name, name))
				v = pretty(b, a[j].pence);
		cell_text(v, width);
	}
	putchar('\n');
}

static void results_text(const phsg_scenario_result *r, size_t n, long used, long left_out)
{
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	int budgets = any_budget(r, n), width = 16;

	/* columns wide enough for every scenario's name, never cut */
	for (size_t s = 0; s < n; s++) {
		int chars = 0;
		for (const char *p = r[s].name; *p; p++)
			chars += ((unsigned char)*p & 0xc0) != 0x80;
		if (chars > width)
			width = chars;
	}
	printf("Scenarios over %ld %s (%ld row%s left out)\n", used, used == 1 ? "person" : "people",
	       left_out, left_out == 1 ? "" : "s");
	if (budgets)
		printf("Budgets: %s\n", n && r[0].budgets_from_scheme ?
		       "each scenario's own, from the budgets in its scheme file" :
		       "from --budget, the same for every scenario");
	putchar('\n');
	for (size_t y = 0; n && y < r[0].n_years; y++) {
		const phsg_scenario_year *y0 = &r[0].years[y];
		int prorated = 0;
		phsg_date_format(d1, y0->start);
		phsg_date_format(d2, y0->end - 1);
		if (y0->days == y0->days_in_year)
			printf("%s (%s to %s)\n", y0->name, d1, d2);
		else
			printf("%s (%s to %s: %ld of the year's %ld days)\n", y0->name, d1, d2,
			       y0->days, y0->days_in_year);
		printf("  %-32s", "");
		for (size_t s = 0; s < n; s++)
			cell_text(r[s].name, width);
		putchar('\n');
		row_text("Cost", r, n, y, T_COST, width);
		row_text("Difference from the first", r, n, y, T_DIFF, width);
		row_text("Support hours", r, n, y, T_HOURS, width);
		row_text("People funded", r, n, y, T_PEOPLE, width);
		if (budgets) {
			row_text("Budget", r, n, y, T_BUDGET, width);
			row_text("Headroom (budget - cost)", r, n, y, T_HEADROOM, width);
			row_text("Break-even hourly rate", r, n, y, T_BREAK_EVEN, width);
		}
		for (size_t k = 0; k < y0->n_packages; k++) {
			char label[128];
			snprintf(label, sizeof(label), "  package %s", y0->by_package[k].name);
			item_text(label, y0->by_package[k].name, 0, r, n, y, width);
		}
		for (size_t k = 0; k < y0->n_interventions; k++) {
			char label[128];
			snprintf(label, sizeof(label), "  %s", y0->by_intervention[k].name);
			item_text(label, y0->by_intervention[k].name, 1, r, n, y, width);
		}
		/* a part year's budget, prorated by days: the sum written out */
		for (size_t s = 0; s < n; s++)
			prorated |= r[s].years[y].has_budget && r[s].years[y].budget_prorated;
		if (prorated) {
			printf("  * Budget prorated by days: only %ld of the year's %ld days are modelled.\n",
			       y0->days, y0->days_in_year);
			for (size_t s = 0; s < n; s++) {
				const phsg_scenario_year *yr = &r[s].years[y];
				char full[PHSG_NUM_BUF], part[PHSG_NUM_BUF];
				if (!yr->has_budget)
					continue;
				cli_check_format(phsg_money_pretty(full, sizeof(full), yr->budget_year, 2));
				printf("    %s: %s x %ld / %ld = %s (rounded %s)\n", r[s].name, full, yr->days,
				       yr->days_in_year, pretty(part, yr->budget_pence),
				       phsg_money_rounding_name(r[s].scheme->rounding));
			}
		}
		putchar('\n');
	}
}

/* ---- CSV: one long table, easy to pivot ---- */

static int csv_out(const phsg_scenario_result *r, size_t n)
{
	/* value_exact beside the hours, which value gives to 2 places (SPEC section 11) */
	static const char *const head[] = { "scenario", "year", "measure", "item", "value",
		"value_exact" };
	char b[PHSG_NUM_BUF], h[PHSG_NUM_BUF];
	int rc = cli_csv_row(stdout, head, 6), budgets = any_budget(r, n);

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
			if (budgets) {
				/* empty where the year has no budget; item "prorated" for a part year */
				row[2] = "budget";
				row[3] = yr->has_budget && yr->budget_prorated ? "prorated" : "";
				row[4] = yr->has_budget ? pence(b, yr->budget_pence) : "";
				rc |= cli_csv_row(stdout, row, 6);
				row[3] = "";
				row[2] = "budget_full_year";
				if (yr->has_budget) {
					mpz_t p;
					mpz_init(p);
					phsg_money_round_pence(p, NULL, yr->budget_year, r[s].scheme->rounding);
					row[4] = pence(b, p);
					mpz_clear(p);
				} else {
					row[4] = "";
				}
				rc |= cli_csv_row(stdout, row, 6);
				row[2] = "headroom";
				row[4] = yr->has_budget ? pence(b, yr->headroom_pence) : "";
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

int cli_scenario_html(FILE *f, const phsg_scenario_result *r, size_t n, long used, long left_out,
		      const char *caseload, phsg_date from, phsg_date to);

/* The --budget options: one AMOUNT for every year, and YYYY-YY=AMOUNT for one year each. */
typedef struct {
	const char *every_s;
	mpq_t every;
	size_t n, cap;
	phsg_budget *years;
	const char **texts;     /* each year's option, for messages */
} budget_opts;

static int parse_budget(budget_opts *b, const char *text)
{
	const char *eq = strchr(text, '=');

	if (!eq) {
		if (b->every_s)
			return cli_usage_error("--budget %s and --budget %s: one amount for every year "
					       "at most (a year's own: --budget 2026-27=AMOUNT)",
					       b->every_s, text);
		if (phsg_scheme_budget_parse(b->every, text))
			return cli_usage_error("--budget %s: %s", text, phsg_error_last());
		b->every_s = text;
		return 0;
	}
	char fy[16];
	size_t len = (size_t)(eq - text);
	int year;
	if (len >= sizeof(fy))
		len = sizeof(fy) - 1; /* longer than any year: refused below, named whole */
	memcpy(fy, text, len);
	fy[len] = '\0';
	if ((size_t)(eq - text) != len || phsg_date_fy_parse(&year, fy))
		return cli_usage_error("--budget %s: %s", text, (size_t)(eq - text) != len ?
				       "not a financial year (write it as 2026-27=AMOUNT)" :
				       phsg_error_last());
	for (size_t i = 0; i < b->n; i++)
		if (b->years[i].year == year)
			return cli_usage_error("--budget %s: %s already has a budget (--budget %s)", text,
					       fy, b->texts[i]);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 8;
		b->years = realloc(b->years, b->cap * sizeof(phsg_budget));
		b->texts = realloc(b->texts, b->cap * sizeof(char *));
		if (!b->years || !b->texts)
			abort();
	}
	mpq_init(b->years[b->n].amount);
	b->years[b->n].year = year;
	b->texts[b->n] = text;
	b->n++;
	if (phsg_scheme_budget_parse(b->years[b->n - 1].amount, eq + 1))
		return cli_usage_error("--budget %s: %s", text, phsg_error_last());
	return 0;
}

/*
 * Progress (SPEC section 16): on a terminal, the caseload is read through
 * a stdio cookie that counts its lines and bytes on their way to the
 * library's reader, so the library needs no hook; from 100,000 rows a
 * progress line is drawn.  Elsewhere the file is read directly.
 */
typedef struct {
	FILE *f;
	cli_progress progress;
	long long size, read;
} counted_file;

static ssize_t counted_read(void *cookie, char *buf, size_t size)
{
	counted_file *c = cookie;
	size_t got = fread(buf, 1, size, c->f);
	long long lines = 0;

	for (const char *q = buf; (q = memchr(q, '\n', (size_t)(buf + got - q))) != NULL; q++)
		lines++;
	c->read += (long long)got;
	cli_progress_add(&c->progress, lines, (long long)c->read, (long long)c->size);
	return got == 0 && ferror(c->f) ? -1 : (ssize_t)got;
}

static int counted_close(void *cookie)
{
	(void)cookie; /* the caseload itself is closed by cmd_scenario */
	return 0;
}

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
	const char *caseload = NULL, *format = "text", *from_s = NULL, *to_s = NULL;
	const char *specs[64];
	char *names[64] = { 0 };
	phsg_scheme *schemes[64] = { 0 };
	size_t n_specs = 0;
	phsg_scenario_model *m = NULL;
	phsg_date from, to;
	budget_opts budgets = { 0 };
	bad_rows bad = { 0 };
	FILE *f = NULL, *in = NULL;
	counted_file counted = { 0 };
	int c, rc = 0, any_budget_opt = 0;

	mpq_init(budgets.every);
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
		case 'b':
			any_budget_opt = 1;
			rc = parse_budget(&budgets, optarg);
			break;
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
	from = phsg_date_fy_start(cli_today());
	if (from_s && (rc = cli_parse_date("--from", from_s, &from)))
		goto cleanup;
	to = phsg_date_add_months(phsg_date_fy_start(from), 36);
	if (to_s && (rc = cli_parse_date("--to", to_s, &to)))
		goto cleanup;
	if (from >= to) {
		rc = cli_usage_error("--from %s is not before --to %s", from_s ? from_s : "(default)",
				     to_s ? to_s : "(default)");
		goto cleanup;
	}
	/* a budget for a year outside the period would change nothing: a mistake, said so */
	for (size_t i = 0; i < budgets.n; i++) {
		phsg_date fy_start, fy_end;
		char first[8], last[8];
		if (phsg_date_from_ymd(&fy_start, budgets.years[i].year, 4, 1) ||
		    phsg_date_from_ymd(&fy_end, budgets.years[i].year + 1, 4, 1))
			fy_start = fy_end = from; /* not reached: phsg_date_fy_parse keeps years in range */
		if (fy_end <= from || fy_start >= to) {
			phsg_date_fy_name(first, from);
			phsg_date_fy_name(last, to - 1);
			rc = cli_usage_error("--budget %s: the period modelled (%s to %s) has no day in "
					     "that year", budgets.texts[i], first, last);
			goto cleanup;
		}
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
	if ((rc = phsg_scenario_new(&m, from, to))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	/* --budget sets every scenario's budgets; without it each uses its scheme's own */
	if (any_budget_opt &&
	    phsg_scenario_set_budgets(m, budgets.every_s ? budgets.every : NULL, budgets.years, budgets.n)) {
		rc = cli_usage_error("--budget: %s", phsg_error_last());
		goto cleanup;
	}
	for (size_t i = 0; i < n_specs; i++)
		if ((rc = phsg_scenario_add(m, names[i], schemes[i]))) {
			rc = cli_usage_error("scenario '%s': %s", names[i], phsg_error_last());
			goto cleanup;
		}
	bad.path = caseload;
	phsg_scenario_on_unknown_column(m, report_column);
	cli_progress_start(&counted.progress, "scenario", "rows", CLI_PROGRESS_SCENARIO_ROWS);
	if (counted.progress.tty) {
		cookie_io_functions_t io = { counted_read, NULL, NULL, counted_close };
		struct stat st;
		counted.f = f;
		counted.progress.count = -1; /* the header */
		if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
			counted.size = (long long)st.st_size;
		in = fopencookie(&counted, "rb", io);
	}
	rc = phsg_scenario_read(m, in ? in : f, caseload, report_bad, &bad);
	cli_progress_done(&counted.progress, rc ? "stopped" : "read");
	if (rc) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	{
		const phsg_scenario_result *r;
		size_t n;
		long used = phsg_scenario_rows_used(m), left = phsg_scenario_rows_left_out(m);
		phsg_scenario_results(&r, &n, m);
		if (!strcmp(format, "json"))
			rc = cli_print_json(results_json(r, n, used, left, from, to));
		else if (!strcmp(format, "csv"))
			rc = csv_out(r, n);
		else if (!strcmp(format, "html"))
			rc = cli_scenario_html(stdout, r, n, used, left, caseload, from, to);
		else
			results_text(r, n, used, left);
		if (left)
			fprintf(stderr, "phsg: %s: %ld row%s left out of the totals\n", caseload, left,
				left == 1 ? "" : "s");
	}
cleanup:
	if (in)
		fclose(in);
	if (f)
		fclose(f);
	phsg_scenario_free(m);
	for (size_t i = 0; i < n_specs; i++) {
		free(names[i]);
		phsg_scheme_free(schemes[i]);
	}
	mpq_clear(budgets.every);
	for (size_t i = 0; i < budgets.n; i++)
		mpq_clear(budgets.years[i].amount);
	free(budgets.years);
	free(budgets.texts);
	return rc;
}
