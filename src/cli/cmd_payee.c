/*
 * cmd_payee.c - the people and providers phsg pays:
 *
 *   phsg payee add REF --name NAME (--sort-code S --account A | --card ID)
 *   phsg payee update REF (--sort-code S --account A | --card ID) --from D
 *   phsg payee update REF --accredited yes|no --from D
 *   phsg payee list [--format text|csv|json]
 *   phsg payee show REF [--format text|json]
 *
 * Bank details are dated (SPEC section 11): payments due on or after D go
 * to the new ones, and the old stay in the history.  A person reads an
 * account or a card as its last 4 digits only; only the Bacs and card-load
 * files carry them whole.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
	"usage: phsg payee add REF --name NAME (--sort-code NNNNNN --account NNNNNNNN | --card ID)\n"
	"       phsg payee update REF (--sort-code S --account A | --card ID) --from DATE\n"
	"       phsg payee update REF --accredited yes|no --from DATE\n"
	"       phsg payee list [--format text|csv|json]\n"
	"       phsg payee show REF [--format text|json]\n"
	"\n"
	"add: a person or provider paid by bank transfer (6-digit sort code, also\n"
	"written 40-12-34; 8-digit account number), or a prepaid card.  Prints the\n"
	"payee reference.  update: new bank details for payments due on or after\n"
	"DATE (not before the payee's latest posted payment), or a change of\n"
	"accreditation.  Accounts and cards are shown as their last 4 digits.\n";

enum { O_NAME = 256, O_SORT, O_ACCOUNT, O_CARD, O_FROM, O_ACCREDITED, O_FORMAT, O_HELP };
#define BIT(o) (1u << ((o) - O_NAME))

static const struct {
	const char *sub;
	unsigned takes;
} takes[] = {
	{ "add", BIT(O_NAME) | BIT(O_SORT) | BIT(O_ACCOUNT) | BIT(O_CARD) },
	{ "update", BIT(O_SORT) | BIT(O_ACCOUNT) | BIT(O_CARD) | BIT(O_FROM) | BIT(O_ACCREDITED) },
	{ "list", BIT(O_FORMAT) },
	{ "show", BIT(O_FORMAT) },
};

static const struct option opts[] = {
	{ "name", required_argument, NULL, O_NAME },
	{ "sort-code", required_argument, NULL, O_SORT },
	{ "account", required_argument, NULL, O_ACCOUNT },
	{ "card", required_argument, NULL, O_CARD },
	{ "from", required_argument, NULL, O_FROM },
	{ "accredited", required_argument, NULL, O_ACCREDITED },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

typedef struct {
	const char *name, *sort, *account, *card, *from, *accredited, *format;
	unsigned given;
	char sort_buf[8];
} payee_opts;

/* "401234" or "40-12-34" -> "401234"; anything else is left for the ledger to refuse. */
static const char *sort_code(payee_opts *o)
{
	const char *s = o->sort;

	if (s && strlen(s) == 8 && s[2] == '-' && s[5] == '-') {
		memcpy(o->sort_buf, s, 2);
		memcpy(o->sort_buf + 2, s + 3, 2);
		memcpy(o->sort_buf + 4, s + 6, 2);
		o->sort_buf[6] = '\0';
		return o->sort_buf;
	}
	return s;
}

/* "****5678": the last 4 characters, for people to read. */
static const char *last4(char buf[16], const char *s)
{
	size_t n = s ? strlen(s) : 0;

	snprintf(buf, 16, "****%s", n > 4 ? s + n - 4 : s ? s : "");
	return buf;
}

static json_t *details_json(const phsg_payee *p)
{
	json_t *o = json_object();
	char b[16];

	json_object_set_new(o, "kind", cli_json_str(p->is_card ? "card" : "bank"));
	if (p->is_card) {
		json_object_set_new(o, "card", cli_json_str(last4(b, p->card_id)));
	} else {
		json_object_set_new(o, "sort_code", cli_json_str(p->sort_code));
		json_object_set_new(o, "account", cli_json_str(last4(b, p->account)));
	}
	return o;
}

static int do_add(const cli_globals *g, const char *ref, payee_opts *o)
{
	phsg_payee p = { 0 };
	phsg_ledger *l = NULL;
	int rc;

	if (!o->name)
		return cli_usage_error("payee add: --name is required");
	if (o->card && (o->sort || o->account))
		return cli_usage_error("payee add: give bank details or a card, not both");
	if (!o->card && (!o->sort || !o->account))
		return cli_usage_error("payee add: give --sort-code and --account, or --card");
	p.ref = ref;
	p.name = o->name;
	p.is_card = o->card != NULL;
	p.sort_code = sort_code(o);
	p.account = o->account;
	p.card_id = o->card;
	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_CREATE)))
		return rc;
	if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS)) ||
	    (rc = phsg_ledger_payee_add(l, &p)) ||
	    (rc = phsg_ledger_commit(l)))
		rc = cli_fail(rc);
	else
		printf("%s\n", p.ref);
	phsg_ledger_close(l);
	return rc;
}

static int do_update(const cli_globals *g, const char *ref, payee_opts *o)
{
	phsg_payee p = { 0 };
	phsg_ledger *l = NULL;
	phsg_date from;
	int rc, accredited = -1;
	char b[16];

	if (!o->from)
		return cli_usage_error("payee update: --from DATE is required");
	if ((rc = cli_parse_date("--from", o->from, &from)))
		return rc;
	if (o->accredited) {
		if (o->sort || o->account || o->card)
			return cli_usage_error("payee update: --accredited is changed alone");
		if (strcmp(o->accredited, "yes") && strcmp(o->accredited, "no"))
			return cli_usage_error("--accredited: '%s' is not yes or no", o->accredited);
		accredited = strcmp(o->accredited, "yes") == 0;
	} else if (o->card && (o->sort || o->account)) {
		return cli_usage_error("payee update: give bank details or a card, not both");
	} else if (!o->card && (!o->sort || !o->account)) {
		return cli_usage_error("payee update: give --sort-code and --account, --card, or "
				       "--accredited");
	}
	p.ref = ref;
	p.is_card = o->card != NULL;
	p.sort_code = sort_code(o);
	p.account = o->account;
	p.card_id = o->card;
	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_WRITE)))
		return rc;
	if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS)) ||
	    (rc = accredited >= 0 ? phsg_ledger_payee_accredit(l, ref, accredited, from) :
		  phsg_ledger_payee_update(l, &p, from)) ||
	    (rc = phsg_ledger_commit(l)))
		rc = cli_fail(rc);
	else if (accredited >= 0)
		printf("%s: %s from %s\n", ref, accredited ? "accredited" : "not accredited", o->from);
	else
		printf("%s: payments due from %s go to %s\n", ref, o->from, p.is_card ?
		       last4(b, p.card_id) : last4(b, p.account));
	phsg_ledger_close(l);
	return rc;
}

static int do_list(const cli_globals *g, const payee_opts *o)
{
	const char *format = o->format ? o->format : "text";
	phsg_ledger *l = NULL;
	char **refs = NULL;
	size_t n = 0;
	json_t *rows = json_array();
	int rc;

	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_READONLY))) {
		json_decref(rows);
		return rc;
	}
	if ((rc = phsg_ledger_payee_refs(&refs, &n, l)))
		rc = cli_fail(rc);
	for (size_t i = 0; i < n && rc == 0; i++) {
		phsg_payee p;
		json_t *o2;
		if ((rc = phsg_ledger_payee_get_on(&p, l, refs[i], cli_today()))) {
			rc = cli_fail(rc);
			break;
		}
		o2 = json_object();
		json_object_set_new(o2, "payee", cli_json_str(p.ref));
		json_object_set_new(o2, "name", cli_json_str(p.name));
		json_object_set_new(o2, "kind", cli_json_str(p.is_card ? "card" : "bank"));
		json_object_set_new(o2, "accredited", json_boolean(p.accredited));
		json_array_append_new(rows, o2);
		phsg_ledger_payee_release(&p);
	}
	if (rc == 0 && !strcmp(format, "json")) {
		json_t *doc = json_object();
		json_object_set_new(doc, "payees", json_incref(rows));
		rc = cli_print_json(doc);
	} else if (rc == 0) {
		int csv = !strcmp(format, "csv");
		size_t i;
		json_t *v;
		if (csv) {
			const char *head[] = { "payee", "name", "kind", "accredited" };
			cli_csv_row(stdout, head, 4);
		} else {
			cli_json_shown(rows);
			printf("%-32s %-40s %-5s %s\n", "Payee", "Name", "Kind", "Accredited");
		}
		json_array_foreach(rows, i, v) {
			const char *row[] = { json_string_value(json_object_get(v, "payee")),
				json_string_value(json_object_get(v, "name")),
				json_string_value(json_object_get(v, "kind")),
				json_is_true(json_object_get(v, "accredited")) ? "yes" : "no" };
			if (csv)
				cli_csv_row(stdout, row, 4);
			else
				printf("%-32s %-40s %-5s %s\n", row[0], row[1], row[2], row[3]);
		}
	}
	json_decref(rows);
	for (size_t i = 0; i < n; i++)
		free(refs[i]);
	free(refs);
	phsg_ledger_close(l);
	return rc;
}

static int history_row(void *ctx, phsg_date from, const phsg_payee *d, const char *recorded_at)
{
	json_t *o = details_json(d);

	json_object_set_new(o, "from", from ? cli_json_date(from) : json_null());
	json_object_set_new(o, "recorded_at", cli_json_str(recorded_at));
	json_array_append_new(ctx, o);
	return 0;
}

static int do_show(const cli_globals *g, const char *ref, const payee_opts *o)
{
	const char *format = o->format ? o->format : "text";
	phsg_ledger *l = NULL;
	phsg_payee p;
	json_t *doc, *hist = json_array();
	int rc;

	if (strcmp(format, "text") && strcmp(format, "json")) {
		json_decref(hist);
		return cli_usage_error("payee show: --format is text or json");
	}
	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_READONLY))) {
		json_decref(hist);
		return rc;
	}
	if ((rc = phsg_ledger_payee_get_on(&p, l, ref, cli_today())) ||
	    (rc = phsg_ledger_payee_history(l, ref, history_row, hist))) {
		json_decref(hist);
		phsg_ledger_close(l);
		return cli_fail(rc);
	}
	doc = details_json(&p);
	json_object_set_new(doc, "payee", cli_json_str(p.ref));
	json_object_set_new(doc, "name", cli_json_str(p.name));
	json_object_set_new(doc, "accredited", json_boolean(p.accredited));
	json_object_set_new(doc, "history", hist);
	if (!strcmp(format, "json")) {
		rc = cli_print_json(doc);
	} else {
		size_t i;
		json_t *v;
		cli_json_shown(doc);
		printf("Payee %s: %s%s\n", cli_shown(p.ref), cli_shown(p.name),
		       p.accredited ? " (accredited provider)" : "");
		printf("  Paid today to: %s\n", p.is_card ? json_string_value(json_object_get(doc, "card")) :
		       json_string_value(json_object_get(doc, "account")));
		printf("History:\n");
		json_array_foreach(hist, i, v) {
			const char *from = json_string_value(json_object_get(v, "from"));
			int card = !strcmp(json_string_value(json_object_get(v, "kind")), "card");
			printf("  %-18s %s %s%s%s\n", from ? from : "when added", card ? "card" : "bank",
			       card ? "" : json_string_value(json_object_get(v, "sort_code")), card ? "" : " ",
			       json_string_value(json_object_get(v, card ? "card" : "account")));
		}
		json_decref(doc);
	}
	phsg_ledger_payee_release(&p);
	phsg_ledger_close(l);
	return rc;
}

int cmd_payee(const cli_globals *g, int argc, char **argv)
{
	static const char *const formats[] = { "text", "csv", "json", NULL };
	payee_opts o = { 0 };
	const char *sub;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c >= O_NAME && c < O_HELP)
			o.given |= BIT(c);
		switch (c) {
		case O_NAME: o.name = optarg; break;
		case O_SORT: o.sort = optarg; break;
		case O_ACCOUNT: o.account = optarg; break;
		case O_CARD: o.card = optarg; break;
		case O_FROM: o.from = optarg; break;
		case O_ACCREDITED: o.accredited = optarg; break;
		case O_FORMAT: rc = cli_parse_format(optarg, formats, &o.format); break;
		case O_HELP: fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("payee: unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (optind >= argc)
		return cli_usage_error("usage: phsg payee add|update|list|show ... (see phsg payee --help)");
	sub = argv[optind];
	for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++) {
		unsigned extra;
		if (strcmp(sub, takes[i].sub))
			continue;
		if ((extra = o.given & ~takes[i].takes) != 0)
			for (size_t k = 0; opts[k].name; k++)
				if (opts[k].val >= O_NAME && opts[k].val < O_HELP && (extra & BIT(opts[k].val)))
					return cli_usage_error("payee %s does not take --%s (see phsg payee "
							       "--help)", sub, opts[k].name);
		if (!strcmp(sub, "list")) {
			if (optind + 1 != argc)
				return cli_usage_error("payee list: unexpected argument '%s'", argv[optind + 1]);
			return do_list(g, &o);
		}
		if (optind + 2 != argc)
			return cli_usage_error("usage: phsg payee %s REF ... (see phsg payee --help)", sub);
		if (!strcmp(sub, "add"))
			return do_add(g, argv[optind + 1], &o);
		if (!strcmp(sub, "update"))
			return do_update(g, argv[optind + 1], &o);
		return do_show(g, argv[optind + 1], &o);
	}
	return cli_usage_error("unknown payee command '%s' (see phsg payee --help)", sub);
}
