/*
 * cmd_run.c - phsg run --date DATE [--dry-run] [--format text|json] [--wait SECONDS]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: phsg run --date DATE [--dry-run] [--format text|json] [--wait SECONDS]\n"
	"\n"
	"Post every payment due on or before DATE that has not been posted, as one\n"
	"batch.  Running it again posts nothing new; an interrupted run leaves the\n"
	"ledger as it was.  --dry-run shows what would be posted and writes nothing.\n"
	"A second run waits up to --wait seconds (default 5) for one in progress,\n"
	"then refuses (exit 3).\n";

static json_t *line_json(const phsg_run_line *ln)
{
	json_t *o = json_object();

	json_object_set_new(o, "award", json_string(ln->award));
	json_object_set_new(o, "client", json_string(ln->client));
	json_object_set_new(o, "package", json_string(ln->package));
	json_object_set_new(o, "component", json_string(ln->component));
	json_object_set_new(o, "kind", json_string(ln->kind));
	json_object_set_new(o, "cycle_start", cli_json_date(ln->cycle_start));
	json_object_set_new(o, "cycle_end", cli_json_date(ln->cycle_end));
	json_object_set_new(o, "due", cli_json_date(ln->due));
	json_object_set_new(o, "amount", cli_json_pence64(ln->amount));
	json_object_set_new(o, "payee", json_string(ln->payee));
	json_object_set_new(o, "method", json_string(ln->method));
	return o;
}

static json_t *run_json(const phsg_run_result *r)
{
	json_t *doc = json_object(), *pays = json_array(), *recs = json_array(), *cons = json_array();

	json_object_set_new(doc, "batch", r->batch ? json_integer(r->batch) : json_null());
	json_object_set_new(doc, "date", cli_json_date(r->date));
	for (size_t i = 0; i < r->n_lines; i++)
		json_array_append_new(pays, line_json(&r->lines[i]));
	json_object_set_new(doc, "payments", pays);
	json_object_set_new(doc, "total", cli_json_pence64(r->total));
	for (size_t i = 0; i < r->n_contributions; i++)
		json_array_append_new(cons, line_json(&r->contributions[i]));
	json_object_set_new(doc, "contributions", cons);
	for (size_t i = 0; i < r->n_recoveries; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "award", json_string(r->recoveries[i].award));
		json_object_set_new(o, "component", json_string(r->recoveries[i].component));
		json_object_set_new(o, "payee", json_string(r->recoveries[i].payee));
		json_object_set_new(o, "amount", cli_json_pence64(r->recoveries[i].amount));
		json_object_set_new(o, "status", json_string(r->recoveries[i].ended ?
			"due from payee" : "outstanding, netted from later payments"));
		json_array_append_new(recs, o);
	}
	json_object_set_new(doc, "recoveries", recs);
	return doc;
}

static void run_text(const phsg_run_result *r)
{
	char d0[PHSG_DATE_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF];
	char b[PHSG_NUM_BUF];

	phsg_date_format(d0, r->date);
	if (!r->batch) {
		printf("Payment run for %s: nothing due.\n", d0);
	} else {
		printf("Payment run for %s: batch %lld, %zu payment%s, total %s\n", d0, r->batch,
		       r->n_lines, r->n_lines == 1 ? "" : "s", cli_pence_pretty(b, r->total));
		for (size_t i = 0; i < r->n_lines; i++) {
			const phsg_run_line *ln = &r->lines[i];
			phsg_date_format(d1, ln->cycle_start);
			phsg_date_format(d2, ln->cycle_end);
			phsg_date_format(d3, ln->due);
			printf("  %-8s %-12s %-10s %-10s %s..%s due %s %12s to %s (%s)\n", ln->award,
			       ln->client, ln->component, ln->kind, d1, d2, d3,
			       cli_pence(b, ln->amount), ln->payee, ln->method);
		}
	}
	for (size_t i = 0; i < r->n_contributions; i++) {
		const phsg_run_line *ln = &r->contributions[i];
		phsg_date_format(d1, ln->cycle_start);
		phsg_date_format(d2, ln->cycle_end);
		printf("  contribution charged to %s (award %s) for %s..%s: %s\n", ln->client, ln->award,
		       d1, d2, cli_pence(b, ln->amount));
	}
	for (size_t i = 0; i < r->n_recoveries; i++)
		printf("  recovery %s: award %s %s, %s from %s\n",
		       r->recoveries[i].ended ? "due" : "outstanding", r->recoveries[i].award,
		       r->recoveries[i].component, cli_pence(b, r->recoveries[i].amount),
		       r->recoveries[i].payee);
}

int cmd_run(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "wait", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const formats[] = { "text", "json", NULL };
	const char *format = "text", *date_s = NULL;
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_run_result r;
	phsg_date date;
	int c, rc = 0, dry = 0, wait = 5;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': date_s = optarg; break;
		case 'n': dry = 1; break;
		case 'f': rc = cli_parse_format(optarg, formats, &format); break;
		case 'w': rc = cli_parse_int("--wait", optarg, 0, 3600, &wait); break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("run: unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error("run: unexpected argument '%s'", argv[optind]);
	if (!date_s)
		return cli_usage_error("run: --date DATE is required");
	if ((rc = cli_parse_date("--date", date_s, &date)))
		return rc;
	if ((rc = cli_open_both(g, &sc, &l)))
		return rc;
	if ((rc = phsg_run(l, sc, date, dry, wait * 1000, &r))) {
		rc = cli_fail(rc);
	} else {
		if (strcmp(format, "json") == 0)
			rc = cli_print_json(run_json(&r));
		else
			run_text(&r);
		if (dry)
			fprintf(stderr, "phsg: dry run: nothing was written to the ledger\n");
		phsg_run_result_release(&r);
	}
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}
