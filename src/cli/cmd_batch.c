/*
 * cmd_batch.c - phsg batch show ID | void ID | sent ID
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json_out.h"

static const char usage[] =
	"usage: phsg batch list [--format text|csv|json]\n"
	"       phsg batch show ID [--format text|json]\n"
	"       phsg batch void ID\n"
	"       phsg batch sent ID\n"
	"       phsg batch return ID --payment N --on DATE --reason TEXT\n"
	"       phsg batch export ID --format csv|json|bacs|card [--processing-date DATE]\n"
	"                            [--part K]\n"
	"       phsg batch remittance ID [--payee REF] [--format text|csv]\n"
	"\n"
	"show: the batch's payments.  void: reverse a batch not yet sent to the bank\n"
	"(the next run pays what is owed).  sent: mark it as sent; from then on\n"
	"it is corrected only by the payment rule (netting and recoveries).\n"
	"export: the payments to bank accounts as a Bacs Standard 18 file (bacs), the\n"
	"card loads (card), or every payment (csv, json); written whole or not at all.\n"
	"A batch too large for one Bacs file is refused, saying how many parts it\n"
	"needs; --part K then writes part K, a complete file with its own contra.\n"
	"remittance: the advice each payee receives, cycle by cycle.\n"
	"return: payment N (its number in 'batch show') of a sent batch came back from\n"
	"the bank on DATE (e.g. a closed account): it stops counting as paid and the\n"
	"next run pays it again, to the payee's bank details in force then.\n";

static int parse_number(const char *what, const char *text, long long *id)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(text, &end, 10);
	if (!*text || *end || v <= 0 || errno == ERANGE)
		return phsg_text_check_name("the number", text, 40) ?
			cli_usage_error("that is not a %s number", what) :
			cli_usage_error("'%s' is not a %s number", text, what);
	*id = v;
	return EXIT_OK;
}

static int parse_id(const char *text, long long *id)
{
	return parse_number("batch", text, id);
}

json_t *cli_batch_json(const phsg_batch *b)
{
	json_t *doc = json_object(), *pays = json_array();
	int64_t total = 0;

	json_object_set_new(doc, "batch", json_integer(b->id));
	json_object_set_new(doc, "date", cli_json_date(b->run_date));
	json_object_set_new(doc, "status", cli_json_str(b->voided ? "voided" : b->sent ? "sent" : "posted"));
	json_object_set_new(doc, "created_at", cli_json_str(b->created_at));
	json_object_set_new(doc, "operator", cli_json_str(b->operator_name));
	for (size_t i = 0; i < b->n_payments; i++) {
		const phsg_payment_row *p = &b->payments[i];
		json_t *o = json_object();
		json_object_set_new(o, "payment", json_integer(p->payment_id));
		json_object_set_new(o, "award", cli_json_str(p->award));
		json_object_set_new(o, "client", cli_json_str(p->client));
		json_object_set_new(o, "component", cli_json_str(p->component));
		json_object_set_new(o, "kind", cli_json_str(p->kind));
		json_object_set_new(o, "cycle_start", cli_json_date(p->cycle_start));
		json_object_set_new(o, "cycle_end", cli_json_date(p->cycle_end));
		json_object_set_new(o, "due", cli_json_date(p->due));
		json_object_set_new(o, "amount", cli_json_pence64(p->amount));
		json_object_set_new(o, "payee", cli_json_str(p->payee));
		json_object_set_new(o, "method", cli_json_str(p->method));
		if (p->reverses)
			json_object_set_new(o, "reverses", json_integer(p->reverses));
		json_array_append_new(pays, o);
		total += p->amount;
	}
	json_object_set_new(doc, "payments", pays);
	json_object_set_new(doc, "total", cli_json_pence64(total));
	return doc;
}

static void batch_text(const phsg_batch *b)
{
	char d0[PHSG_DATE_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF];
	char buf[PHSG_NUM_BUF];
	int64_t total = 0;

	phsg_date_format(d0, b->run_date);
	printf("Batch %lld: run for %s, %s (by %s at %s)\n", b->id, d0,
	       b->voided ? "voided" : b->sent ? "sent to the bank" : "posted, not yet sent",
	       cli_shown(b->operator_name), cli_shown(b->created_at));
	for (size_t i = 0; i < b->n_payments; i++) {
		const phsg_payment_row *p = &b->payments[i];
		phsg_date_format(d1, p->cycle_start);
		phsg_date_format(d2, p->cycle_end - 1);
		phsg_date_format(d3, p->due);
		printf("  #%-6lld %-8s %-12s %-10s %-10s %s to %s due %s %13s to %s (%s)\n", p->payment_id,
		       cli_shown(p->award), cli_shown(p->client), cli_shown(p->component), p->kind, d1, d2,
		       d3, cli_pence_pretty(buf, p->amount), cli_shown(p->payee), p->method);
		total += p->amount;
	}
	printf("  Total: %s\n", cli_pence_pretty(buf, total));
}

/* batch list: every batch, its date, status, payments and total */
static int batch_list(const cli_globals *g, const char *format)
{
	phsg_ledger *l = NULL;
	int64_t *totals = NULL;
	json_t *rows = json_array();
	int rc, csv = !strcmp(format, "csv");

	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json")) {
		json_decref(rows);
		return cli_usage_error("batch list: --format is text, csv or json");
	}
	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_READONLY))) {
		json_decref(rows);
		return rc;
	}
	if ((rc = cli_batch_list_rows(l, rows, &totals)))
		rc = cli_fail(rc);
	if (rc == 0 && !strcmp(format, "json")) {
		json_t *doc = json_object();
		json_object_set_new(doc, "batches", json_incref(rows));
		rc = cli_print_json(doc);
	} else if (rc == 0) {
		size_t i;
		json_t *v;
		if (csv) {
			const char *head[] = { "batch", "date", "status", "payments", "total" };
			cli_csv_row(stdout, head, 5);
		} else {
			printf("%-6s %-10s %-7s %8s %16s\n", "Batch", "Run on", "Status", "Payments", "Total");
		}
		json_array_foreach(rows, i, v) {
			char id[24], count[24], money[PHSG_NUM_BUF];
			snprintf(id, sizeof(id), "%lld", json_integer_value(json_object_get(v, "batch")));
			snprintf(count, sizeof(count), "%lld", json_integer_value(json_object_get(v, "payments")));
			if (csv) {
				const char *row[] = { id, json_string_value(json_object_get(v, "date")),
					json_string_value(json_object_get(v, "status")), count,
					json_string_value(json_object_get(v, "total")) };
				cli_csv_row(stdout, row, 5);
				continue;
			}
			/* %17s: the pound sign is two bytes wide in UTF-8, one column on screen */
			printf("%-6s %-10s %-7s %8s %17s\n", id, json_string_value(json_object_get(v, "date")),
			       json_string_value(json_object_get(v, "status")), count,
			       cli_pence_pretty(money, totals[i]));
		}
	}
	json_decref(rows);
	free(totals);
	phsg_ledger_close(l);
	return rc;
}

/* batch return ID --payment N --on DATE --reason TEXT */
static int batch_return(const cli_globals *g, long long id, const char *payment_s, const char *on_s,
			const char *reason)
{
	phsg_ledger *l = NULL;
	long long payment = 0;
	phsg_date on;
	int rc;

	if (!payment_s || !on_s || !reason || !*reason)
		return cli_usage_error("batch return: --payment N, --on DATE and --reason TEXT are required");
	if ((rc = parse_number("payment", payment_s, &payment)) || (rc = cli_parse_date("--on", on_s, &on)))
		return rc;
	if (phsg_text_check_name("the reason", reason, PHSG_TEXT_MAX))
		return cli_fail(PHSG_EINVAL);
	if ((rc = cli_open_ledger(g, &l, 0)))
		return rc;
	if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS)) ||
	    (rc = phsg_ledger_payment_return(l, id, payment, on, reason)) ||
	    (rc = phsg_ledger_commit(l)))
		rc = cli_fail(rc);
	else
		printf("batch %lld: payment %lld returned by the bank on %s; the next run pays it "
		       "again\n", id, payment, on_s);
	phsg_ledger_close(l);
	return rc;
}

int cmd_batch(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "processing-date", required_argument, NULL, 'p' },
		{ "part", required_argument, NULL, 'k' },
		{ "payee", required_argument, NULL, 'y' },
		{ "payment", required_argument, NULL, 'n' },
		{ "on", required_argument, NULL, 'o' },
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	/* the options each subcommand takes; any other is an error */
	static const struct { const char *sub, *takes; } takes[] = {
		{ "list", "f" }, { "show", "f" }, { "void", "" }, { "sent", "" }, { "export", "fpk" },
		{ "remittance", "fy" }, { "return", "nor" },
	};
	static const char *const formats[] = { "text", "json", "csv", "bacs", "card", NULL };
	const char *format = NULL, *sub, *processing = NULL, *payee = NULL, *on_s = NULL, *reason = NULL;
	const char *payment_s = NULL;
	char given[8] = "";
	phsg_ledger *l = NULL;
	phsg_batch b;
	long long id = 0;
	int c, rc = 0, part = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'h' && c != '?' && c != ':' && !strchr(given, c))
			given[strlen(given)] = (char)c;
		switch (c) {
		case 'f': rc = cli_parse_format(optarg, formats, &format); break;
		case 'p': processing = optarg; break;
		case 'k': rc = cli_parse_int("--part", optarg, 1, 9999, &part); break;
		case 'y': payee = optarg; break;
		case 'n': payment_s = optarg; break;
		case 'o': on_s = optarg; break;
		case 'r': reason = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("batch: unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (optind + 2 == argc && strcmp(argv[optind], "list") == 0)
		return cli_usage_error("batch list: unexpected argument '%s'", argv[optind + 1]);
	if (optind + 1 == argc && strcmp(argv[optind], "list") == 0) {
		if (strchr(given, 'p') || strchr(given, 'k') || strchr(given, 'y') || strchr(given, 'n') ||
		    strchr(given, 'o') || strchr(given, 'r'))
			return cli_usage_error("batch list takes only --format");
		return batch_list(g, format ? format : "text");
	}
	if (optind + 2 != argc)
		return cli_usage_error("usage: phsg batch list|show|void|sent|export|remittance|return ID "
				       "(see phsg batch --help)");
	sub = argv[optind];
	for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++) {
		if (strcmp(sub, takes[i].sub))
			continue;
		for (const char *k = given; *k; k++)
			if (!strchr(takes[i].takes, *k))
				for (size_t o = 0; opts[o].name; o++)
					if (opts[o].val == *k)
						return cli_usage_error("batch %s does not take --%s (see phsg "
								       "batch --help)", sub, opts[o].name);
	}
	if ((rc = parse_id(argv[optind + 1], &id)))
		return rc;
	if (strcmp(sub, "export") == 0)
		return cli_batch_export(g, id, format, processing, part);
	if (strcmp(sub, "remittance") == 0)
		return cli_batch_remittance(g, id, format ? format : "text", payee);
	if (strcmp(sub, "return") == 0)
		return batch_return(g, id, payment_s, on_s, reason);
	if (strcmp(sub, "show") && strcmp(sub, "void") && strcmp(sub, "sent"))
		return cli_usage_error("unknown batch command '%s' (see phsg batch --help)", sub);
	if (!format)
		format = "text";
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage_error("batch %s: --format is text or json", sub);
	if ((rc = cli_open_ledger(g, &l, strcmp(sub, "show") == 0 ? PHSG_LEDGER_READONLY :
				  PHSG_LEDGER_WRITE)))
		return rc;
	if (strcmp(sub, "show") == 0) {
		if (strcmp(format, "json") == 0) {
			json_t *doc;
			rc = (rc = cli_batch_show_json(l, id, &doc)) ? cli_fail(rc) : cli_print_json(doc);
		} else if ((rc = phsg_ledger_batch_get(&b, l, id))) {
			rc = cli_fail(rc);
		} else {
			batch_text(&b);
			phsg_ledger_batch_release(&b);
		}
	} else {
		int is_void = strcmp(sub, "void") == 0;
		if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS)) ||
		    (rc = is_void ? phsg_ledger_batch_void(l, id) : phsg_ledger_batch_sent(l, id)) ||
		    (rc = phsg_ledger_commit(l)))
			rc = cli_fail(rc);
		else
			printf("batch %lld %s\n", id, is_void ?
			       "voided: its payments are reversed; the next run pays what is owed" :
			       "marked as sent to the bank");
	}
	phsg_ledger_close(l);
	return rc;
}
