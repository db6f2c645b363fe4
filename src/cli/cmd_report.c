/*
 * cmd_report.c - phsg report balances | recoveries | commitments
 *                [--as-of DATE] [--format text|json]
 *
 * balances:    per award, the entitlement accrued to DATE (each component
 *              rounded once), what was paid (net of recoveries received) by
 *              DATE, and the difference.  DATE is included.
 * recoveries:  awards that have ended by DATE and were paid more than their
 *              entitlement: what is due back, from whom.
 * commitments: what the awards on the books will cost from the day after
 *              DATE to their current ends, per financial year (each year's
 *              exact sum rounded once); balances already count DATE.
 * contributions: per award with a person's own contribution, what was
 *              charged, received and refunded by DATE, what is outstanding
 *              and what is due back to the person.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "json_out.h"

static const char usage[] =
	"usage: phsg report balances|recoveries|commitments|contributions [--as-of DATE]\n"
	"                   [--format text|json|csv]\n"
	"       phsg report payments --from DATE --to DATE [--payee REF] [--package ID]\n"
	"                   [--format text|json|csv]\n"
	"       phsg report reviews [--as-of DATE] [--format text|json|csv]\n"
	"       phsg report outcomes --from DATE --to DATE [--all] [--format text|json]\n"
	"\n"
	"balances: entitled, paid and balance per award as of DATE (default today).\n"
	"recoveries: overpayments due back from payees of awards ended by DATE.\n"
	"commitments: cost of the awards on the books from the day after DATE to\n"
	"their ends, per financial year.\n"
	"contributions: people's own contributions (tier upgrades) charged,\n"
	"received, refunded, outstanding and due back to them.\n"
	"payments: the payments (and reversals) of batches due in [--from, --to),\n"
	"each, and totalled by package and by payee.\n"
	"reviews: reviews due within 28 days or overdue, awards ending within 28\n"
	"days unreviewed since their latest extension, outcomes past their date.\n"
	"outcomes: for the awards that ended in [--from, --to) (or --all active),\n"
	"per theme and area, and per package the cost per achieved outcome.\n";

typedef struct {
	phsg_ledger *l;
	const phsg_scheme *sc;
	phsg_date as_of;
	int json;
} report_ctx;

typedef int award_fn(report_ctx *cx, const phsg_award *aw, const phsg_award_sums *sums, void *arg);

typedef struct {
	report_ctx *cx;
	award_fn *fn;
	void *arg;
} each_award_ctx;

static int each_award_one(void *ctx, const phsg_award *aw, const phsg_award_sums *sums)
{
	each_award_ctx *e = ctx;

	return e->fn(e->cx, aw, sums, e->arg);
}

/* Call fn for every award, rebuilt, with its sums as of the report's date when asked. */
static int each_award(report_ctx *cx, int with_sums, award_fn *fn, void *arg)
{
	each_award_ctx e = { cx, fn, arg };

	return phsg_ledger_awards_walk(cx->l, cx->sc, with_sums ? cx->as_of : 0, each_award_one, &e);
}

/* The same with each award's balance through the end of the report's date (sums->balance). */
static int each_balance(report_ctx *cx, award_fn *fn, void *arg)
{
	each_award_ctx e = { cx, fn, arg };

	return phsg_ledger_awards_walk_balances(cx->l, cx->sc, cx->as_of, each_award_one, &e);
}

/*
 * Report rows stream (SPEC section 17): each row is made, written to a
 * temporary file (a text line, a JSON element or a CSV row) and freed, so a
 * report's memory does not grow with the number of awards.  The file is
 * copied to stdout once the report is complete, so a report that fails
 * prints nothing.  The JSON is byte for byte what jansson writes for the
 * whole document (JSON_INDENT(2)): the rows are spliced into the document
 * of totals where its empty array is.
 */
enum { OUT_TEXT, OUT_CSV, OUT_JSON };

typedef struct {
	int format;
	FILE *f;
	size_t n;
} rows_out;

/* One row (taken: freed here) as a JSON element or a CSV row. */
static int rows_add(rows_out *r, json_t *row)
{
	int rc = 0;

	if (r->format == OUT_JSON) {
		char *s = json_dumps(row, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!s) {
			rc = -1;
		} else {
			fputs(r->n ? ",\n    " : "\n    ", r->f);
			for (const char *p = s; *p; p++) {
				fputc(*p, r->f);
				if (*p == '\n')
					fputs("    ", r->f);
			}
			free(s);
		}
	} else {
		const char *fields[16], *key;
		json_t *v;
		size_t k = 0;
		if (r->n == 0) { /* a header from the first row's keys */
			json_object_foreach(row, key, v)
				if (k < 16)
					fields[k++] = key;
			rc = cli_csv_row(r->f, fields, k);
			k = 0;
		}
		json_object_foreach(row, key, v)
			if (k < 16)
				fields[k++] = json_is_string(v) ? json_string_value(v) : "";
		if (rc == 0)
			rc = cli_csv_row(r->f, fields, k);
	}
	json_decref(row);
	r->n++;
	return rc || ferror(r->f) ? phsg_error_set(PHSG_EINVAL, "cannot write the report") : 0;
}

/*
 * The JSON document: `doc` (the totals, with `key` an empty array) with the
 * rows in place of that array.  Takes doc.
 */
static int rows_print_json(rows_out *r, json_t *doc, const char *key)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER), pat[64], *at;

	json_decref(doc);
	if (!s)
		return EXIT_LEDGER;
	snprintf(pat, sizeof(pat), "\n  \"%s\": []", key);
	at = strstr(s, pat);
	if (!at || !r->n) {
		fputs(s, stdout);
	} else {
		at += strlen(pat) - 1; /* at the "]" */
		fwrite(s, 1, (size_t)(at - s), stdout);
		cli_copy_out(r->f);
		fputs("\n  ", stdout);
		fputs(at, stdout);
	}
	fputc('\n', stdout);
	free(s);
	return EXIT_OK;
}

typedef struct {
	rows_out out;
	int64_t total;
} recoveries;

static int recovery_one(report_ctx *cx, const phsg_award *aw, const phsg_award_sums *sums,
			void *arg)
{
	recoveries *r = arg;
	int rc = 0;

	if (aw->end > cx->as_of)
		return 0;
	for (size_t c = 0; c < aw->package->n_components && rc == 0; c++) {
		phsg_balance bal;
		int method;
		if ((rc = phsg_award_sums_balance(&bal, cx->sc, aw, (int)c, sums, aw->end)))
			break;
		if (bal.net > bal.entitled) {
			const char *payee = phsg_award_payee(aw, (int)c, aw->end - 1, &method);
			r->total += bal.net - bal.entitled;
			if (r->out.format == OUT_TEXT) {
				char last[PHSG_DATE_BUF], b[PHSG_NUM_BUF];
				phsg_date_format(last, aw->end - 1);
				fprintf(r->out.f, "  %-8s %-14s %-10s last day %s: %13s from %s\n",
					cli_shown(aw->ref), cli_shown(aw->client), aw->package->components[c].id,
					last, cli_pence_pretty(b, bal.net - bal.entitled), cli_shown(payee));
				continue;
			}
			json_t *o = json_object();
			json_object_set_new(o, "award", cli_json_str(aw->ref));
			json_object_set_new(o, "client", cli_json_str(aw->client));
			json_object_set_new(o, "component", cli_json_str(aw->package->components[c].id));
			json_object_set_new(o, "payee", cli_json_str(payee));
			json_object_set_new(o, "ended", cli_json_date(aw->end));
			json_object_set_new(o, "amount", cli_json_pence64(bal.net - bal.entitled));
			rc = rows_add(&r->out, o);
		}
	}
	return rc;
}

typedef struct {
	rows_out out;
	phsg_contribution_account all;
} contributions;

static int contribution_one(report_ctx *cx, const phsg_award *aw, const phsg_award_sums *sums,
			    void *arg)
{
	contributions *ct = arg;
	phsg_contribution_account a;
	json_t *o;

	(void)cx;
	phsg_award_sums_contribution(&a, sums);
	if (!a.charged && !a.received && !a.refunded && !phsg_award_has_contribution(aw))
		return 0;
	ct->all.charged += a.charged;
	ct->all.received += a.received;
	ct->all.refunded += a.refunded;
	ct->all.outstanding += a.outstanding;
	ct->all.refund_due += a.refund_due;
	if (ct->out.format == OUT_TEXT) {
		char m[5][PHSG_NUM_BUF];
		fprintf(ct->out.f, "  %-8s %-14s %12s %12s %12s %12s %12s\n", cli_shown(aw->ref),
			cli_shown(aw->client), cli_pence_pretty(m[0], a.charged),
			cli_pence_pretty(m[1], a.received), cli_pence_pretty(m[2], a.refunded),
			cli_pence_pretty(m[3], a.outstanding), cli_pence_pretty(m[4], a.refund_due));
		return ferror(ct->out.f) ? phsg_error_set(PHSG_EINVAL, "cannot write the report") : 0;
	}
	o = json_object();
	json_object_set_new(o, "award", cli_json_str(aw->ref));
	json_object_set_new(o, "client", cli_json_str(aw->client));
	json_object_set_new(o, "charged", cli_json_pence64(a.charged));
	json_object_set_new(o, "received", cli_json_pence64(a.received));
	json_object_set_new(o, "refunded", cli_json_pence64(a.refunded));
	json_object_set_new(o, "outstanding", cli_json_pence64(a.outstanding));
	json_object_set_new(o, "refund_due", cli_json_pence64(a.refund_due));
	return rows_add(&ct->out, o);
}

/* balances: one award's row, entitled through the end of as_of, paid by it */
typedef struct {
	rows_out out;
	int64_t entitled, paid, contributions;
} balances;

static int balance_one(report_ctx *cx, const phsg_award *aw, const phsg_award_sums *sums,
		       void *arg)
{
	balances *bs = arg;
	phsg_balance bal = *sums->balance; /* entitled through the end of as_of */
	int64_t charged = sums->charged;

	(void)cx;
	bs->entitled += bal.entitled;
	bs->paid += bal.net;
	bs->contributions += charged;
	if (bs->out.format == OUT_TEXT) {
		char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], b3[PHSG_NUM_BUF];
		fprintf(bs->out.f, "  %-8s %-14s %-24s %13s %13s %13s\n", cli_shown(aw->ref),
			cli_shown(aw->client),
			aw->package->id, cli_pence_pretty(b1, bal.entitled), cli_pence_pretty(b2, bal.net),
			cli_pence_pretty(b3, bal.entitled - bal.net));
		return ferror(bs->out.f) ? phsg_error_set(PHSG_EINVAL, "cannot write the report") : 0;
	}
	json_t *o = json_object();
	json_object_set_new(o, "award", cli_json_str(aw->ref));
	json_object_set_new(o, "client", cli_json_str(aw->client));
	json_object_set_new(o, "package", cli_json_str(aw->package->id));
	json_object_set_new(o, "entitled", cli_json_pence64(bal.entitled));
	json_object_set_new(o, "paid", cli_json_pence64(bal.net));
	json_object_set_new(o, "balance", cli_json_pence64(bal.entitled - bal.net));
	json_object_set_new(o, "contributions", cli_json_pence64(charged));
	return rows_add(&bs->out, o);
}

/* Commitments: exact sums per financial year, rounded once at the end. */
typedef struct {
	int first_year, n_years;
	mpq_t *years;
	mpq_t *hours;
} commitments;

static int commitment_one(report_ctx *cx, const phsg_award *aw, const phsg_award_sums *sums,
			  void *arg)
{
	commitments *cm = arg;
	(void)sums; /* read without them */
	/* the day after DATE: report balances --as-of DATE counts DATE itself */
	phsg_date from = aw->start > cx->as_of + 1 ? aw->start : cx->as_of + 1;
	int rc = 0;

	while (from < aw->end && rc == 0) {
		int y;
		phsg_date fy = phsg_date_fy_start(from), next;
		phsg_date_to_ymd(&y, NULL, NULL, fy);
		phsg_date_from_ymd(&next, y + 1, 4, 1);
		if (y - cm->first_year >= cm->n_years) {
			int grow = y - cm->first_year + 1;
			cm->years = realloc(cm->years, (size_t)grow * sizeof(mpq_t));
			cm->hours = realloc(cm->hours, (size_t)grow * sizeof(mpq_t));
			if (!cm->years || !cm->hours)
				abort();
			for (int i = cm->n_years; i < grow; i++) {
				mpq_init(cm->years[i]);
				mpq_init(cm->hours[i]);
			}
			cm->n_years = grow;
		}
		for (size_t c = 0; c < aw->package->n_components && rc == 0; c++)
			rc = phsg_award_accrue(cm->years[y - cm->first_year], cm->hours[y - cm->first_year], cx->sc, aw, (int)c,
					       from, next < aw->end ? next : aw->end);
		from = next;
	}
	return rc;
}

/* A JSON array of flat objects as CSV: a header from the first object's keys. */
static int csv_rows(json_t *rows)
{
	json_t *row = json_array_get(rows, 0), *v;
	size_t i, n = row ? json_object_size(row) : 0, k;
	const char **fields = calloc(n ? n : 1, sizeof(char *));
	const char *key;
	int rc = EXIT_OK;

	if (!fields)
		abort();
	if (!row)
		goto done;
	k = 0;
	json_object_foreach(row, key, v)
		fields[k++] = key;
	if (cli_csv_row(stdout, fields, n)) {
		rc = cli_usage_error("cannot write the report");
		goto done;
	}
	json_array_foreach(rows, i, row) {
		k = 0;
		json_object_foreach(row, key, v)
			if (k < n)
				fields[k++] = json_is_string(v) ? json_string_value(v) : "";
		if (cli_csv_row(stdout, fields, k)) {
			rc = cli_usage_error("cannot write the report");
			break;
		}
	}
done:
	free(fields);
	return rc;
}

/* ---- report payments: what was paid in a period, each and totalled ---- */

typedef struct {
	char *name;
	int64_t pence;
} total_by;

typedef struct {
	int format;            /* 0 text, 1 csv, 2 json */
	FILE *rows;            /* the listing, kept until the totals are known */
	size_t n;
	int64_t total;
	total_by *by_package, *by_payee;
	size_t n_package, n_payee;
} payments_report;

/* Totals grow with the number of packages and payees, not of payments. */
static void add_to(total_by **t, size_t *n, const char *name, int64_t pence)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*t)[i].name, name)) {
			(*t)[i].pence += pence;
			return;
		}
	*t = realloc(*t, (*n + 1) * sizeof(total_by));
	if (!*t || !((*t)[*n].name = strdup(name)))
		abort();
	(*t)[(*n)++].pence = pence;
}

static int cmp_total(const void *a, const void *b)
{
	return strcmp(((const total_by *)a)->name, ((const total_by *)b)->name);
}

static int payment_one(void *ctx, const phsg_payment_row *p)
{
	payments_report *r = ctx;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF], b[PHSG_NUM_BUF], batch[24];

	add_to(&r->by_package, &r->n_package, p->package, p->amount);
	add_to(&r->by_payee, &r->n_payee, p->payee, p->amount);
	r->total += p->amount;
	phsg_date_format(d1, p->cycle_start);
	phsg_date_format(d2, p->cycle_end);
	phsg_date_format(d3, p->due);
	snprintf(batch, sizeof(batch), "%lld", p->id);
	if (r->format == 2) {
		json_t *o = json_object();
		int rc;
		json_object_set_new(o, "batch", json_integer(p->id));
		json_object_set_new(o, "award", cli_json_str(p->award));
		json_object_set_new(o, "client", cli_json_str(p->client));
		json_object_set_new(o, "package", cli_json_str(p->package));
		json_object_set_new(o, "component", cli_json_str(p->component));
		json_object_set_new(o, "kind", cli_json_str(p->kind));
		json_object_set_new(o, "cycle_start", cli_json_str(d1));
		json_object_set_new(o, "cycle_end", cli_json_str(d2));
		json_object_set_new(o, "due", cli_json_str(d3));
		json_object_set_new(o, "amount", cli_json_pence64(p->amount));
		json_object_set_new(o, "payee", cli_json_str(p->payee));
		json_object_set_new(o, "method", cli_json_str(p->method));
		fputs(r->n++ ? ",\n    " : "\n    ", r->rows);
		rc = json_dumpf(o, r->rows, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		return rc;
	}
	if (r->format == 1) {
		const char *row[] = { batch, p->award, p->client, p->package, p->component, p->kind,
			d1, d2, d3, cli_pence(b, p->amount), p->payee, p->method };
		r->n++;
		return cli_csv_row(r->rows, row, 12);
	}
	phsg_date_format(d2, p->cycle_end - 1);
	fprintf(r->rows, "  %-10s %-8s %-12s %-10s %-10s %s to %s %14s to %s (batch %s)\n", d3,
		cli_shown(p->award), cli_shown(p->client), cli_shown(p->component), p->kind, d1, d2,
		cli_pence_pretty(b, p->amount), cli_shown(p->payee), batch);
	r->n++;
	return ferror(r->rows) ? -1 : 0;
}

static json_t *totals_json(const total_by *t, size_t n)
{
	json_t *o = json_object();

	for (size_t i = 0; i < n; i++) {
		/* a key that is not UTF-8 (cli_json_str()) is escaped, not left out */
		json_t *key = cli_json_str(t[i].name);
		json_object_set_new(o, json_string_value(key), cli_json_pence64(t[i].pence));
		json_decref(key);
	}
	return o;
}

static int report_payments(const cli_globals *g, phsg_date from, phsg_date to, const char *payee,
			   const char *package, const char *format)
{
	payments_report r = { 0 };
	phsg_ledger *l = NULL;
	phsg_scheme *sc = NULL;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], b[PHSG_NUM_BUF];
	int rc;

	if (payee && phsg_text_check_ref("--payee", payee))
		return cli_fail(PHSG_EINVAL);
	if (package) {
		/* a package the scheme does not have is a mistyped one, not an empty report */
		if ((rc = cli_load_scheme(g, &sc)))
			return rc;
		rc = phsg_scheme_package(sc, package) ? 0 :
			cli_fail(phsg_error_set(PHSG_EINVAL, "unknown package '%s' in %s", package, sc->path));
		phsg_scheme_free(sc);
		if (rc)
			return rc;
	}

	r.format = !strcmp(format, "json") ? 2 : !strcmp(format, "csv") ? 1 : 0;
	if (!(r.rows = tmpfile()))
		return cli_usage_error("cannot make a temporary file for the report");
	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_READONLY))) {
		fclose(r.rows);
		return rc;
	}
	if (r.format == 1) {
		const char *head[] = { "batch", "award", "client", "package", "component", "kind",
			"cycle_start", "cycle_end", "due", "amount", "payee", "method" };
		cli_csv_row(r.rows, head, 12);
	}
	if ((rc = phsg_ledger_payments_each(l, from, to, payee, package, payment_one, &r))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	qsort(r.by_package, r.n_package, sizeof(total_by), cmp_total);
	qsort(r.by_payee, r.n_payee, sizeof(total_by), cmp_total);
	phsg_date_format(d1, from);
	phsg_date_format(d2, to);
	if (r.format == 2) {
		json_t *t;
		printf("{\n  \"from\": \"%s\",\n  \"to\": \"%s\",\n  \"payments\": [", d1, d2);
		cli_copy_out(r.rows);
		printf(r.n ? "\n  ],\n  \"by_package\": " : "],\n  \"by_package\": ");
		t = totals_json(r.by_package, r.n_package);
		json_dumpf(t, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(t);
		printf(",\n  \"by_payee\": ");
		t = totals_json(r.by_payee, r.n_payee);
		json_dumpf(t, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(t);
		printf(",\n  \"total\": \"%s\"\n}\n", cli_pence(b, r.total));
	} else if (r.format == 1) {
		cli_copy_out(r.rows);
	} else {
		phsg_date_format(d2, to - 1);
		printf("Payments due %s to %s%s%s%s%s\n", d1, d2, payee ? ", to " : "", payee ? payee : "",
		       package ? ", package " : "", package ? package : "");
		cli_copy_out(r.rows);
		printf("By package:\n");
		for (size_t i = 0; i < r.n_package; i++)
			printf("  %-32s %14s\n", cli_shown(r.by_package[i].name),
			       cli_pence_pretty(b, r.by_package[i].pence));
		printf("By payee:\n");
		for (size_t i = 0; i < r.n_payee; i++)
			printf("  %-32s %14s\n", cli_shown(r.by_payee[i].name),
			       cli_pence_pretty(b, r.by_payee[i].pence));
		printf("Total: %s (%zu payment%s)\n", cli_pence_pretty(b, r.total), r.n, r.n == 1 ? "" : "s");
	}
cleanup:
	for (size_t i = 0; i < r.n_package; i++)
		free(r.by_package[i].name);
	for (size_t i = 0; i < r.n_payee; i++)
		free(r.by_payee[i].name);
	free(r.by_package);
	free(r.by_payee);
	fclose(r.rows);
	phsg_ledger_close(l);
	return rc;
}

int cmd_report(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "payee", required_argument, NULL, 'p' },
		{ "package", required_argument, NULL, 'k' },
		{ "all", no_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const formats[] = { "text", "json", "csv", NULL };
	const char *format = "text", *sub;
	report_ctx cx = { 0 };
	rows_out out = { OUT_TEXT, NULL, 0 };
	const char *rows_key = NULL; /* a streamed report's rows, in the JSON */
	int csv;
	phsg_scheme *sc = NULL;
	json_t *doc = NULL;
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], b3[PHSG_NUM_BUF], d[PHSG_DATE_BUF];
	const char *payee = NULL, *package = NULL;
	phsg_date from = 0, to = 0;
	int c, rc = 0, has_as_of = 0, has_from = 0, has_to = 0, everyone = 0;

	cx.as_of = cli_today();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': rc = cli_parse_date("--as-of", optarg, &cx.as_of); has_as_of = 1; break;
		case 'f': rc = cli_parse_format(optarg, formats, &format); break;
		case 'F': rc = cli_parse_date("--from", optarg, &from); has_from = 1; break;
		case 'T': rc = cli_parse_date("--to", optarg, &to); has_to = 1; break;
		case 'p': payee = optarg; break;
		case 'k': package = optarg; break;
		case 'A': everyone = 1; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("report: unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (optind + 1 != argc)
		return cli_usage_error("usage: phsg report balances|recoveries|commitments|contributions|"
				       "payments (see phsg report --help)");
	sub = argv[optind];
	if (strcmp(sub, "payments") == 0) {
		if (everyone)
			return cli_usage_error("report payments does not take --all");
		if (has_as_of)
			return cli_usage_error("report payments does not take --as-of (it takes --from "
					       "and --to)");
		if (!has_from || !has_to)
			return cli_usage_error("report payments: --from DATE and --to DATE are required");
		if (to <= from)
			return cli_usage_error("report payments: --to must be after --from (the period "
					       "is [from, to))");
		return report_payments(g, from, to, payee, package, format);
	}
	if (strcmp(sub, "outcomes") == 0) {
		if (has_as_of || payee || package)
			return cli_usage_error("report outcomes takes --from, --to, --all and --format");
		if (!has_from || !has_to || to <= from)
			return cli_usage_error("report outcomes: --from DATE and --to DATE (after it) are required");
		return cli_report_outcomes(g, from, to, everyone, format);
	}
	if (everyone)
		return cli_usage_error("report %s does not take --all", sub);
	if (has_from || has_to || payee || package)
		return cli_usage_error("report %s does not take '%s'", sub, has_from ? "--from" :
				       has_to ? "--to" : payee ? "--payee" : "--package");
	if (strcmp(sub, "reviews") == 0)
		return cli_report_reviews(g, cx.as_of, format);
	if (strcmp(sub, "balances") && strcmp(sub, "recoveries") && strcmp(sub, "commitments") &&
	    strcmp(sub, "contributions"))
		return cli_usage_error("unknown report '%s' (balances, recoveries, commitments, "
				       "contributions, payments, reviews or outcomes)", sub);
	if ((rc = cli_open_both(g, &sc, &cx.l, PHSG_LEDGER_READONLY)))
		return rc;
	cx.sc = sc;
	csv = strcmp(format, "csv") == 0;
	cx.json = strcmp(format, "json") == 0 || csv; /* csv is made from the JSON rows */
	phsg_date_format(d, cx.as_of);
	out.format = csv ? OUT_CSV : cx.json ? OUT_JSON : OUT_TEXT;
	if (strcmp(sub, "commitments") && !(out.f = tmpfile())) {
		rc = cli_usage_error("cannot create a temporary file for the report");
		goto cleanup;
	}
	doc = json_object();
	json_object_set_new(doc, "as_of", cli_json_date(cx.as_of));
	if (strcmp(sub, "balances") == 0) {
		balances bs = { out, 0, 0, 0 };
		rc = each_balance(&cx, balance_one, &bs);
		out.n = bs.out.n;
		rows_key = "awards";
		json_object_set_new(doc, "awards", json_array());
		json_object_set_new(doc, "entitled", cli_json_pence64(bs.entitled));
		json_object_set_new(doc, "paid", cli_json_pence64(bs.paid));
		json_object_set_new(doc, "balance", cli_json_pence64(bs.entitled - bs.paid));
		json_object_set_new(doc, "contributions", cli_json_pence64(bs.contributions));
		if (rc == 0 && !cx.json) {
			printf("Balances as of %s (entitlement accrued through that day)\n", d);
			printf("  %-8s %-14s %-24s %12s %12s %12s\n", "Award", "Client", "Package", "Entitled", "Paid", "Balance");
			cli_copy_out(out.f);
			printf("  %-48s %13s %13s %13s\n", "Total", cli_pence_pretty(b1, bs.entitled),
			       cli_pence_pretty(b2, bs.paid), cli_pence_pretty(b3, bs.entitled - bs.paid));
			if (bs.contributions)
				printf("  People's own contributions charged (tier upgrades): %s\n",
				       cli_pence_pretty(b1, bs.contributions));
		}
	} else if (strcmp(sub, "recoveries") == 0) {
		recoveries r = { out, 0 };
		rc = each_award(&cx, 1, recovery_one, &r);
		out.n = r.out.n;
		rows_key = "recoveries";
		json_object_set_new(doc, "recoveries", json_array());
		json_object_set_new(doc, "total", cli_json_pence64(r.total));
		if (rc == 0 && !cx.json) {
			printf("Recoveries due as of %s\n", d);
			cli_copy_out(out.f);
			printf("  Total: %s\n", cli_pence_pretty(b1, r.total));
		}
	} else if (strcmp(sub, "contributions") == 0) {
		contributions ct = { out, { 0 } };
		rc = each_award(&cx, 1, contribution_one, &ct);
		out.n = ct.out.n;
		rows_key = "awards";
		json_object_set_new(doc, "awards", json_array());
		json_object_set_new(doc, "charged", cli_json_pence64(ct.all.charged));
		json_object_set_new(doc, "received", cli_json_pence64(ct.all.received));
		json_object_set_new(doc, "refunded", cli_json_pence64(ct.all.refunded));
		json_object_set_new(doc, "outstanding", cli_json_pence64(ct.all.outstanding));
		json_object_set_new(doc, "refund_due", cli_json_pence64(ct.all.refund_due));
		if (rc == 0 && !cx.json) {
			printf("People's own contributions as of %s\n", d);
			printf("  %-8s %-14s %12s %12s %12s %12s %12s\n", "award", "client", "charged",
			       "received", "refunded", "outstanding", "refund due");
			cli_copy_out(out.f);
			printf("  %-23s %12s %12s %12s", "Total", cli_pence_pretty(b1, ct.all.charged),
			       cli_pence_pretty(b2, ct.all.received), cli_pence_pretty(b3, ct.all.refunded));
			printf(" %12s", cli_pence_pretty(b1, ct.all.outstanding));
			printf(" %12s\n", cli_pence_pretty(b1, ct.all.refund_due));
		}
	} else {
		commitments cm = { 0 };
		json_t *years = json_array();
		mpq_t all;
		int y0;
		phsg_date_to_ymd(&y0, NULL, NULL, phsg_date_fy_start(cx.as_of + 1));
		cm.first_year = y0;
		rc = each_award(&cx, 0, commitment_one, &cm);
		mpq_init(all);
		if (rc == 0 && !cx.json)
			printf("Commitments after %s to the awards' current ends\n", d);
		for (int i = 0; i < cm.n_years; i++) {
			json_t *o = json_object();
			phsg_date fy;
			char name[8];
			phsg_date_from_ymd(&fy, y0 + i, 4, 1);
			phsg_date_fy_name(name, fy);
			json_object_set_new(o, "year", cli_json_str(name));
			json_object_set_new(o, "amount", cli_json_money(sc, cm.years[i]));
			if (csv) {
				/* CSV: hours to 2 places, and exact beside them (SPEC section 11) */
				char h[PHSG_NUM_BUF];
				json_object_set_new(o, "hours", cli_json_str(cli_hours2(h, cm.hours[i])));
				json_object_set_new(o, "hours_exact", cli_json_exact(cm.hours[i]));
			} else {
				json_object_set_new(o, "hours", cli_json_exact(cm.hours[i]));
			}
			json_array_append_new(years, o);
			if (rc == 0 && !cx.json)
				printf("  %s %15s\n", name,
				       cli_pretty_plain(b1, json_string_value(json_object_get(o, "amount"))));
			mpq_add(all, all, cm.years[i]);
			mpq_clear(cm.years[i]);
			mpq_clear(cm.hours[i]);
		}
		json_object_set_new(doc, "years", years);
		json_object_set_new(doc, "total", cli_json_money(sc, all));
		if (rc == 0 && !cx.json)
			printf("  Total   %15s\n",
			       cli_pretty_plain(b1, json_string_value(json_object_get(doc, "total"))));
		mpq_clear(all);
		free(cm.years);
		free(cm.hours);
	}
	if (rc)
		rc = cli_fail(rc);
	else if (rows_key && csv)
		cli_copy_out(out.f);
	else if (rows_key && cx.json)
		rc = rows_print_json(&out, json_incref(doc), rows_key);
	else if (csv)
		rc = csv_rows(json_object_get(doc, "years"));
	else if (cx.json)
		rc = cli_print_json(json_incref(doc));
	if (rc == 0 && fflush(stdout) != 0)
		rc = cli_usage_error("cannot write the report");
cleanup:
	json_decref(doc);
	if (out.f)
		fclose(out.f);
	phsg_ledger_close(cx.l);
	phsg_scheme_free(sc);
	return rc;
}
