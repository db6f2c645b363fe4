/*
 * cmd_run.c - phsg run --date DATE [--dry-run] [--list] [--format text|json] [--wait SECONDS]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "progress.h"

static const char usage[] =
	"usage: phsg run --date DATE [--dry-run] [--list] [--allow-future]\n"
	"                [--format text|json] [--wait SECONDS]\n"
	"\n"
	"Post every payment due on or before DATE that has not been posted, as one\n"
	"batch.  Running it again posts nothing new; an interrupted run leaves the\n"
	"ledger as it was.  --dry-run shows what would be posted and writes nothing.\n"
	"A second run waits up to --wait seconds (default 5) for one in progress,\n"
	"then refuses (exit 3).  A run more than 35 days after today is refused\n"
	"(exit 1) unless --allow-future is given.  A run that pays nothing makes no\n"
	"batch.  The text gives the totals, held awards and the check: lines; --list\n"
	"lists every payment, contribution and recovery too (JSON lists them all).\n";

/*
 * The run reports each line as it goes; the lines are kept in temporary
 * files and printed only once the run has committed (or, for a dry run,
 * finished), so a failed run prints nothing and a run of any size needs
 * little memory.
 */
typedef struct {
	int json, list;
	FILE *pay, *con, *rec, *held, *chk;
	size_t n_pay, n_con, n_rec, n_held, n_chk;
	size_t n_due, n_outstanding;         /* recoveries due from payees, outstanding */
	int64_t due, outstanding;            /* their pence */
	cli_progress progress; /* on a terminal, from 100,000 payments (SPEC section 16) */
} printer;

static json_t *line_json(const phsg_run_line *ln)
{
	json_t *o = json_object();

	json_object_set_new(o, "award", cli_json_str(ln->award));
	json_object_set_new(o, "client", cli_json_str(ln->client));
	json_object_set_new(o, "package", cli_json_str(ln->package));
	json_object_set_new(o, "component", cli_json_str(ln->component));
	json_object_set_new(o, "kind", cli_json_str(ln->kind));
	json_object_set_new(o, "cycle_start", cli_json_date(ln->cycle_start));
	json_object_set_new(o, "cycle_end", cli_json_date(ln->cycle_end));
	json_object_set_new(o, "due", cli_json_date(ln->due));
	json_object_set_new(o, "amount", cli_json_pence64(ln->amount));
	json_object_set_new(o, "payee", cli_json_str(ln->payee));
	json_object_set_new(o, "method", cli_json_str(ln->method));
	return o;
}

/* One element of a JSON array, on a line of its own. */
static int json_element(FILE *f, size_t *n, json_t *o)
{
	int rc;

	fputs(*n ? ",\n    " : "\n    ", f);
	rc = json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_decref(o);
	(*n)++;
	return rc || ferror(f) ? -1 : 0;
}

static int on_payment(void *ctx, const phsg_run_line *ln)
{
	printer *p = ctx;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF], b[PHSG_NUM_BUF];

	cli_progress_add(&p->progress, 1, 0, 0);
	if (p->json)
		return json_element(p->pay, &p->n_pay, line_json(ln));
	if (!p->list)
		return 0; /* the totals come from the run's summary */
	phsg_date_format(d1, ln->cycle_start);
	phsg_date_format(d2, ln->cycle_end - 1);
	phsg_date_format(d3, ln->due);
	fprintf(p->pay, "  %-8s %-12s %-10s %-10s %s to %s due %s %13s to %s (%s)\n",
		cli_shown(ln->award), cli_shown(ln->client), cli_shown(ln->component), ln->kind, d1, d2,
		d3, cli_pence_pretty(b, ln->amount), cli_shown(ln->payee), ln->method);
	p->n_pay++;
	return ferror(p->pay) ? -1 : 0;
}

static int on_contribution(void *ctx, const phsg_run_line *ln)
{
	printer *p = ctx;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], b[PHSG_NUM_BUF];

	if (p->json)
		return json_element(p->con, &p->n_con, line_json(ln));
	if (!p->list)
		return 0;
	phsg_date_format(d1, ln->cycle_start);
	phsg_date_format(d2, ln->cycle_end - 1);
	if (ln->amount < 0)
		fprintf(p->con, "  contribution charge withdrawn from %s (award %s) for %s to %s: %s\n",
			cli_shown(ln->client), cli_shown(ln->award), d1, d2, cli_pence_pretty(b, -ln->amount));
	else
		fprintf(p->con, "  contribution charged to %s (award %s) for %s to %s: %s\n",
			cli_shown(ln->client), cli_shown(ln->award), d1, d2, cli_pence_pretty(b, ln->amount));
	p->n_con++;
	return ferror(p->con) ? -1 : 0;
}

static int on_recovery(void *ctx, const phsg_run_recovery *r)
{
	printer *p = ctx;
	char b[PHSG_NUM_BUF];

	if (p->json) {
		json_t *o = json_object();
		json_object_set_new(o, "award", cli_json_str(r->award));
		json_object_set_new(o, "component", cli_json_str(r->component));
		json_object_set_new(o, "payee", cli_json_str(r->payee));
		json_object_set_new(o, "amount", cli_json_pence64(r->amount));
		json_object_set_new(o, "status", cli_json_str(r->ended ?
			"due from payee" : "outstanding, netted from later payments"));
		return json_element(p->rec, &p->n_rec, o);
	}
	if (r->ended) {
		p->n_due++;
		p->due += r->amount;
	} else {
		p->n_outstanding++;
		p->outstanding += r->amount;
	}
	if (!p->list)
		return 0;
	fprintf(p->rec, "  recovery %s: award %s %s, %s from %s\n", r->ended ? "due" : "outstanding",
			cli_shown(r->award), cli_shown(r->component), cli_pence_pretty(b, r->amount),
			cli_shown(r->payee));
	p->n_rec++;
	return ferror(p->rec) ? -1 : 0;
}

static int on_held(void *ctx, const char *award, const char *reason)
{
	printer *p = ctx;

	if (p->json) {
		json_t *o = json_object();
		json_object_set_new(o, "award", cli_json_str(award));
		json_object_set_new(o, "reason", cli_json_str(reason));
		return json_element(p->held, &p->n_held, o);
	}
	fprintf(p->held, "held: %s: %s\n", cli_shown(award), cli_shown(reason));
	p->n_held++;
	return ferror(p->held) ? -1 : 0;
}

static int on_bank_changed(void *ctx, const char *payee)
{
	printer *p = ctx;

	if (p->json)
		return json_element(p->chk, &p->n_chk, cli_json_str(payee));
	fprintf(p->chk, "check: payee %s is paid to other bank details than its last payment: "
		"confirm the change with the payee (by a known number) before the batch is sent\n",
		cli_shown(payee));
	p->n_chk++;
	return ferror(p->chk) ? -1 : 0;
}

static void copy(FILE *from)
{
	char buf[65536];
	size_t n;

	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		fwrite(buf, 1, n, stdout);
}

static void print_json(printer *p, const phsg_run_summary *r)
{
	char d[PHSG_DATE_BUF], b[PHSG_NUM_BUF];

	phsg_date_format(d, r->date);
	printf("{\n  \"batch\": ");
	if (r->batch)
		printf("%lld", r->batch);
	else
		printf("null");
	printf(",\n  \"date\": \"%s\",\n  \"payments\": [", d);
	copy(p->pay);
	printf(p->n_pay ? "\n  ],\n" : "],\n");
	printf("  \"total\": \"%s\",\n  \"contributions\": [", cli_pence(b, r->total));
	copy(p->con);
	printf(p->n_con ? "\n  ],\n" : "],\n");
	printf("  \"recoveries\": [");
	copy(p->rec);
	printf(p->n_rec ? "\n  ],\n" : "],\n");
	printf("  \"held\": [");
	copy(p->held);
	printf(p->n_held ? "\n  ],\n" : "],\n");
	printf("  \"bank_details_changed\": [");
	copy(p->chk);
	printf(p->n_chk ? "\n  ]\n}\n" : "]\n}\n");
}

static void print_text(printer *p, const phsg_run_summary *r)
{
	char d0[PHSG_DATE_BUF], b[PHSG_NUM_BUF];

	phsg_date_format(d0, r->date);
	if (!r->batch && !r->n_processed && !r->n_contributions && !r->n_held)
		printf("Payment run for %s: nothing due.\n", d0);
	else if (!r->batch && r->n_processed)
		printf("Payment run for %s: no payment due; %zu cycle%s recorded as processed with "
		       "nothing to pay.\n", d0, r->n_processed, r->n_processed == 1 ? "" : "s");
	else if (!r->batch)
		printf("Payment run for %s: no payment due.\n", d0);
	else
		printf("Payment run for %s: batch %lld, %zu payment%s, total %s\n", d0, r->batch,
		       r->n_payments, r->n_payments == 1 ? "" : "s", cli_pence_pretty(b, r->total));
	if (!p->list) {
		/* totals only (SPEC section 17): --list gives every line */
		if (r->n_contributions)
			printf("  contributions: %zu charge%s, net %s\n", r->n_contributions,
			       r->n_contributions == 1 ? "" : "s",
			       cli_pence_pretty(b, r->contributions_total));
		if (p->n_outstanding)
			printf("  recoveries outstanding, netted from later payments: %zu, %s\n",
			       p->n_outstanding, cli_pence_pretty(b, p->outstanding));
		if (p->n_due)
			printf("  recoveries due from payees: %zu, %s\n", p->n_due,
			       cli_pence_pretty(b, p->due));
		copy(p->held);
		copy(p->chk);
		return;
	}
	copy(p->pay);
	copy(p->con);
	copy(p->rec);
	copy(p->held);
	copy(p->chk);
}

int cmd_run(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "list", no_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "wait", required_argument, NULL, 'w' },
		{ "allow-future", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const formats[] = { "text", "json", NULL };
	const char *format = "text", *date_s = NULL;
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_run_summary r;
	phsg_run_options ro = PHSG_RUN_OPTIONS_INIT;
	phsg_run_sink sink = { NULL, on_payment, on_contribution, on_recovery, on_held,
			       on_bank_changed };
	printer pr = { 0 };
	phsg_date date;
	int c, rc = 0, dry = 0, wait = PHSG_LEDGER_RUN_WAIT_MS / 1000, future = 0, list = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': date_s = optarg; break;
		case 'n': dry = 1; break;
		case 'l': list = 1; break;
		case 'F': future = 1; break;
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
	if (!future && date > cli_today() + PHSG_RUN_AHEAD_DAYS) {
		char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
		phsg_date_format(d1, date);
		phsg_date_format(d2, cli_today() + PHSG_RUN_AHEAD_DAYS);
		phsg_error_set(PHSG_ERULE, "a run for %s is more than %d days after today (the latest "
			       "is %s): nothing was done; give --allow-future to pay that far ahead",
			       d1, PHSG_RUN_AHEAD_DAYS, d2);
		return cli_fail(PHSG_ERULE);
	}
	pr.json = strcmp(format, "json") == 0;
	pr.list = list;
	pr.pay = tmpfile();
	pr.con = tmpfile();
	pr.rec = tmpfile();
	pr.held = tmpfile();
	pr.chk = tmpfile();
	sink.ctx = &pr;
	if (!pr.pay || !pr.con || !pr.rec || !pr.held || !pr.chk) {
		rc = cli_usage_error("cannot create a temporary file for the run's report");
		goto cleanup;
	}
	if ((rc = cli_open_both(g, &sc, &l, 0)))
		goto cleanup;
	cli_progress_start(&pr.progress, dry ? "dry run" : "run", "payments worked out",
			   CLI_PROGRESS_RUN_PAYMENTS);
	ro.date = date;
	ro.dry_run = dry;
	ro.wait_ms = wait * 1000;
	ro.sink = &sink;
	rc = phsg_run(&r, l, sc, &ro);
	cli_progress_done(&pr.progress, rc ? "stopped" : dry ? "done" : "committed");
	if (rc) {
		rc = cli_fail(rc);
	} else {
		if (pr.json)
			print_json(&pr, &r);
		else
			print_text(&pr, &r);
		if (fflush(stdout) != 0)
			rc = cli_usage_error("cannot write the run's report");
		if (dry)
			fprintf(stderr, "phsg: dry run: nothing was written to the ledger\n");
	}
cleanup:
	if (pr.pay)
		fclose(pr.pay);
	if (pr.con)
		fclose(pr.con);
	if (pr.rec)
		fclose(pr.rec);
	if (pr.held)
		fclose(pr.held);
	if (pr.chk)
		fclose(pr.chk);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}
