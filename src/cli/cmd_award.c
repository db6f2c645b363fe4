/*
 * cmd_award.c - phsg award create | extend | reassess | suspend | resume |
 * end | change-payee | show | import
 *
 * Every change is one event appended to the ledger inside one transaction.
 * The award is rebuilt from its events and the new event applied to it
 * first (phsg_award_apply), so the rules are checked before anything is
 * written; a refused change writes nothing.
 */
#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"
#include "progress.h"
#include "json_out.h"
#include "phsg/explain.h"
#include "phsg/plan.h"

static const char usage[] =
	"usage: phsg award create --client REF --package ID [--level N] [--tier N]\n"
	"                  [--chosen-tier N] [--hours H] [--need INTERVENTION=LEVEL]...\n"
	"                  --start DATE --method direct|provider|card --payee REF\n"
	"                  [--component-payee COMPONENT=REF]... [--allow-overlap] [--social-care]\n"
	"                  [--format text|json]\n"
	"       phsg award extend AWARD [--months N]\n"
	"       phsg award reassess AWARD --from DATE [--need I=L]... [--level N]\n"
	"                  [--tier N] [--chosen-tier N] [--hours H]\n"
	"       phsg award suspend AWARD --from DATE [--to DATE]\n"
	"       phsg award resume AWARD --on DATE\n"
	"       phsg award end AWARD --on DATE\n"
	"       phsg award change-payee AWARD --from DATE --method M --payee REF\n"
	"       phsg award show AWARD [--as-of DATE] [--format text|json]\n"
	"       phsg award cancel AWARD EVENT --reason TEXT\n"
	"       phsg award explain AWARD [--format text|json]\n"
	"       phsg award import FILE.csv\n"
	"       phsg award list [--client C] [--payee P] [--package K]\n"
	"                  [--status not-started|active|suspended|ended|withdrawn]\n"
	"                  [--as-of DATE] [--format text|csv|json]\n"
	"\n"
	"cancel: EVENT is the event's number in 'award show'; the award is then as\n"
	"if it had never been recorded (cancelling event 1 withdraws the award).\n"
	"create and import refuse a second award of the same package for a client\n"
	"whose periods overlap, unless --allow-overlap (CSV column allow_overlap=yes).\n"
	"\n"
	"Awards are kept as dated events; each change is checked against the\n"
	"scheme's rules before it is recorded, and backdated changes are\n"
	"reconciled by the next payment run.\n";

enum { O_CLIENT = 256, O_PACKAGE, O_LEVEL, O_TIER, O_CHOSEN, O_HOURS, O_NEED, O_START,
       O_METHOD, O_PAYEE, O_CPAYEE, O_FORMAT, O_MONTHS, O_FROM, O_TO, O_ON, O_ASOF, O_OVERLAP,
       O_REASON, O_STATUS, O_SOCIAL, O_HELP };

/* Which options each subcommand takes (bit O_x - O_CLIENT); any other is an error. */
#define BIT(o) (1u << ((o) - O_CLIENT))
#define ASSESS_BITS (BIT(O_PACKAGE) | BIT(O_LEVEL) | BIT(O_TIER) | BIT(O_CHOSEN) | BIT(O_HOURS) | \
		     BIT(O_NEED))
static const struct {
	const char *sub;
	unsigned takes;
} takes[] = {
	{ "create", BIT(O_CLIENT) | ASSESS_BITS | BIT(O_START) | BIT(O_METHOD) | BIT(O_PAYEE) |
		    BIT(O_CPAYEE) | BIT(O_FORMAT) | BIT(O_OVERLAP) | BIT(O_SOCIAL) },
	{ "extend", BIT(O_MONTHS) },
	{ "reassess", BIT(O_FROM) | BIT(O_NEED) | BIT(O_LEVEL) | BIT(O_TIER) | BIT(O_CHOSEN) |
		      BIT(O_HOURS) },
	{ "suspend", BIT(O_FROM) | BIT(O_TO) },
	{ "resume", BIT(O_ON) },
	{ "end", BIT(O_ON) },
	{ "change-payee", BIT(O_FROM) | BIT(O_METHOD) | BIT(O_PAYEE) },
	{ "show", BIT(O_ASOF) | BIT(O_FORMAT) },
	{ "import", 0 },
	{ "cancel", BIT(O_REASON) },
	{ "explain", BIT(O_FORMAT) },
	{ "list", BIT(O_CLIENT) | BIT(O_PAYEE) | BIT(O_PACKAGE) | BIT(O_STATUS) | BIT(O_ASOF) |
		  BIT(O_FORMAT) },
};

static const struct option opts[] = {
	{ "client", required_argument, NULL, O_CLIENT },
	{ "package", required_argument, NULL, O_PACKAGE },
	{ "level", required_argument, NULL, O_LEVEL },
	{ "tier", required_argument, NULL, O_TIER },
	{ "chosen-tier", required_argument, NULL, O_CHOSEN },
	{ "hours", required_argument, NULL, O_HOURS },
	{ "need", required_argument, NULL, O_NEED },
	{ "start", required_argument, NULL, O_START },
	{ "method", required_argument, NULL, O_METHOD },
	{ "payee", required_argument, NULL, O_PAYEE },
	{ "component-payee", required_argument, NULL, O_CPAYEE },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "months", required_argument, NULL, O_MONTHS },
	{ "from", required_argument, NULL, O_FROM },
	{ "to", required_argument, NULL, O_TO },
	{ "on", required_argument, NULL, O_ON },
	{ "as-of", required_argument, NULL, O_ASOF },
	{ "allow-overlap", no_argument, NULL, O_OVERLAP },
	{ "reason", required_argument, NULL, O_REASON },
	{ "status", required_argument, NULL, O_STATUS },
	{ "social-care", no_argument, NULL, O_SOCIAL },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

/* Everything any award subcommand may be given. */
typedef struct {
	const char *client, *package, *hours, *start, *method, *payee, *format;
	const char *from, *to, *on, *as_of, *reason, *status;
	unsigned given;    /* BIT(O_x) of every option given */
	int allow_overlap, social_care;
	const char *needs[32];
	int n_needs;
	const char *cpayees[16];
	int n_cpayees;
	int level, tier, chosen_tier, months;
	int has_level, has_tier, has_chosen;
} award_opts;

static int parse_opts(int argc, char **argv, award_opts *o)
{
	static const char *const formats[] = { "text", "json", "csv", NULL };
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c >= O_CLIENT && c < O_HELP)
			o->given |= BIT(c);
		switch (c) {
		case O_CLIENT: o->client = optarg; break;
		case O_PACKAGE: o->package = optarg; break;
		case O_LEVEL: rc = cli_parse_int("--level", optarg, 1, 99, &o->level); o->has_level = 1; break;
		case O_TIER: rc = cli_parse_int("--tier", optarg, 1, 99, &o->tier); o->has_tier = 1; break;
		case O_CHOSEN: rc = cli_parse_int("--chosen-tier", optarg, 1, 99, &o->chosen_tier); o->has_chosen = 1; break;
		case O_HOURS: o->hours = optarg; break;
		case O_NEED:
			if (o->n_needs == 32)
				return cli_usage_error("too many --need options: at most 32");
			o->needs[o->n_needs++] = optarg;
			break;
		case O_START: o->start = optarg; break;
		case O_METHOD: o->method = optarg; break;
		case O_PAYEE: o->payee = optarg; break;
		case O_CPAYEE:
			if (o->n_cpayees == 16)
				return cli_usage_error("too many --component-payee options: at most 16");
			o->cpayees[o->n_cpayees++] = optarg;
			break;
		case O_FORMAT: rc = cli_parse_format(optarg, formats, &o->format); break;
		case O_MONTHS: rc = cli_parse_int("--months", optarg, 1, 1000, &o->months); break;
		case O_FROM: o->from = optarg; break;
		case O_TO: o->to = optarg; break;
		case O_ON: o->on = optarg; break;
		case O_ASOF: o->as_of = optarg; break;
		case O_OVERLAP: o->allow_overlap = 1; break;
		case O_REASON: o->reason = optarg; break;
		case O_STATUS: o->status = optarg; break;
		case O_SOCIAL: o->social_care = 1; break;
		case O_HELP: fputs(usage, stdout); return -1;
		default: return cli_usage_error("award: unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int do_create(const cli_globals *g, const award_opts *o)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award_request n = PHSG_AWARD_REQUEST_INIT;
	char *ref = NULL;
	int rc;

	if (!o->start)
		return cli_usage_error("award create: --start DATE is required");
	if (!o->client || !o->package || !o->method || !o->payee)
		return cli_usage_error("award create: --client, --package, --method and --payee are required");
	if ((rc = cli_parse_date("--start", o->start, &n.start)))
		return rc;
	n.client = o->client;
	n.package = o->package;
	n.hours = o->hours;
	n.method = o->method;
	n.payee = o->payee;
	n.level = o->level;
	n.tier = o->tier;
	n.chosen_tier = o->chosen_tier;
	n.needs = o->needs;
	n.n_needs = o->n_needs;
	n.cpayees = o->cpayees;
	n.n_cpayees = o->n_cpayees;
	n.allow_overlap = o->allow_overlap;
	n.social_care = o->social_care;
	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_CREATE)))
		return rc;
	if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS)) ||
	    (rc = phsg_ledger_award_create(&ref, l, sc, &n)) ||
	    (rc = phsg_ledger_commit(l))) {
		rc = cli_fail(rc);
	} else if (o->format && strcmp(o->format, "json") == 0) {
		json_t *doc = json_object();
		json_object_set_new(doc, "award", cli_json_str(ref));
		json_object_set_new(doc, "client", cli_json_str(o->client));
		json_object_set_new(doc, "package", cli_json_str(o->package));
		json_object_set_new(doc, "start", cli_json_str(o->start));
		rc = cli_print_json(doc);
	} else {
		printf("%s\n", ref);
	}
	free(ref);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

/* What a reassessment changed: the weekly amount before and after, needs dropped. */
static int print_reassess(const phsg_scheme *sc, const phsg_award *before, const phsg_award *after,
			  phsg_date from)
{
	const phsg_assessment *a = NULL, *b = NULL;
	char w1[PHSG_NUM_BUF], w2[PHSG_NUM_BUF], d[PHSG_DATE_BUF];
	mpq_t x, y;
	mpz_t p;
	int rc;

	mpq_inits(x, y, NULL);
	mpz_init(p);
	if ((rc = phsg_award_weekly_on(x, sc, before, from)) == 0 &&
	    (rc = phsg_award_weekly_on(y, sc, after, from)) == 0) {
		phsg_money_round_pence(p, NULL, x, sc->rounding);
		cli_pence_pretty(w1, mpz_get_si(p));
		phsg_money_round_pence(p, NULL, y, sc->rounding);
		cli_pence_pretty(w2, mpz_get_si(p));
		phsg_date_format(d, from);
		printf("%s: reassessed from %s: %s a week before, %s a week after\n", after->ref, d,
		       w1, w2);
	}
	for (size_t i = 0; i < before->n_assess; i++)
		if (before->assess[i].from <= from)
			a = &before->assess[i].a;
	for (size_t i = 0; i < after->n_assess; i++)
		if (after->assess[i].from <= from)
			b = &after->assess[i].a;
	if (rc == 0 && a && b && after->package->n_tiers) {
		phsg_alloc_contribution_weekly(x, a);
		phsg_alloc_contribution_weekly(y, b);
		if (!mpq_equal(x, y)) {
			phsg_money_round_pence(p, NULL, x, sc->rounding);
			cli_pence_pretty(w1, mpz_get_si(p));
			phsg_money_round_pence(p, NULL, y, sc->rounding);
			cli_pence_pretty(w2, mpz_get_si(p));
			printf("  the person's own contribution (tier upgrade): %s a week before, %s after\n",
			       w1, w2);
		}
	}
	for (size_t i = 0; rc == 0 && a && b && i < sc->n_interventions; i++)
		if (a->needs[i] != PHSG_NEED_NONE && b->needs[i] == PHSG_NEED_NONE)
			printf("  no longer assessed: %s (was %s need)\n", sc->interventions[i].name,
			       phsg_scheme_need_name(a->needs[i]));
	mpq_clears(x, y, NULL);
	mpz_clear(p);
	return rc;
}

/* Record a change to an award and say what it did; `data` is consumed. */
static int record_event(const cli_globals *g, const char *ref, const char *kind,
			phsg_date effective, json_t *data)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw, before;
	char d1[PHSG_DATE_BUF];
	char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	int rc, months;

	memset(&aw, 0, sizeof(aw));
	memset(&before, 0, sizeof(before));
	if (!text)
		abort(); /* out of memory (phsg/error.h) */
	if ((rc = cli_open_both(g, &sc, &l, 0))) {
		free(text);
		json_decref(data);
		return rc;
	}
	if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS)) ||
	    (rc = phsg_ledger_award_change(&before, &aw, l, sc, ref, kind, effective, text)) ||
	    (rc = phsg_ledger_commit(l))) {
		rc = cli_fail(rc);
		goto done;
	}
	months = aw.total_months - before.total_months;
	phsg_date_format(d1, aw.end - 1);
	if (strcmp(kind, "extend") == 0)
		printf("%s extended by %d month%s: it now runs to %s\n", aw.ref, months,
		       months == 1 ? "" : "s", d1);
	else if (strcmp(kind, "end") == 0)
		printf("%s ends: its last day is %s\n", aw.ref, d1);
	else if (strcmp(kind, "reassess") == 0)
		rc = print_reassess(sc, &before, &aw, effective) ? cli_fail(PHSG_EINVAL) : 0;
	else
		printf("%s: %s recorded\n", aw.ref, kind);
done:
	free(text);
	json_decref(data);
	phsg_award_release(&aw);
	phsg_award_release(&before);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

/* award cancel AWARD EVENT --reason TEXT */
static int do_cancel(const cli_globals *g, const char *ref, const char *number, const award_opts *o)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	char *kind = NULL, *end;
	long num;
	int rc;

	num = strtol(number, &end, 10);
	if (!*number || *end || num < 1 || num > 1000000)
		return cli_usage_error("award cancel: '%s' is not an event number (see phsg award show)",
				       number);
	if (!o->reason || !*o->reason)
		return cli_usage_error("award cancel: --reason TEXT is required");
	if (phsg_text_check_name("the reason", o->reason, PHSG_TEXT_MAX))
		return cli_fail(PHSG_EINVAL);
	if ((rc = cli_open_both(g, &sc, &l, 0)))
		return rc;
	if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS)) ||
	    (rc = phsg_ledger_award_cancel(&kind, l, sc, ref, (size_t)num, o->reason, cli_today())) ||
	    (rc = phsg_ledger_commit(l)))
		rc = cli_fail(rc);
	else if (num == 1)
		printf("%s: event 1 (create) cancelled: the award is withdrawn; anything paid for it "
		       "is now a recovery due\n", ref);
	else
		printf("%s: event %ld (%s) cancelled; the next run reconciles what was paid\n",
		       ref, num, kind);
	free(kind);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

static int do_change(const cli_globals *g, const char *sub, const char *ref, const award_opts *o)
{
	json_t *data = json_object();
	phsg_date eff = 0, to;
	int rc = 0;

	if (strcmp(sub, "extend") == 0) {
		if (o->months)
			json_object_set_new(data, "months", json_integer(o->months));
	} else if (strcmp(sub, "reassess") == 0) {
		if (!o->from)
			rc = cli_usage_error("award reassess: --from DATE is required");
		else if (!o->n_needs && !o->has_tier && !o->has_chosen && !o->hours && !o->has_level)
			rc = cli_usage_error("award reassess: give --need, --level, --tier, --chosen-tier "
					     "or --hours");
		else if (!(rc = cli_parse_date("--from", o->from, &eff))) {
			if (o->n_needs) {
				json_t *needs = json_object();
				for (int i = 0; i < o->n_needs && rc == 0; i++)
					if (cli_json_put_pair(needs, o->needs[i], "INTERVENTION=LEVEL"))
						rc = cli_fail(PHSG_EINVAL);
				json_object_set_new(data, "needs", needs);
			}
			if (o->has_level)
				json_object_set_new(data, "level", json_integer(o->level));
			if (o->has_tier)
				json_object_set_new(data, "tier", json_integer(o->tier));
			if (o->has_chosen)
				json_object_set_new(data, "chosen_tier", json_integer(o->chosen_tier));
			if (o->hours)
				json_object_set_new(data, "hours", cli_json_str(o->hours));
		}
	} else if (strcmp(sub, "suspend") == 0) {
		if (!o->from)
			rc = cli_usage_error("award suspend: --from DATE is required");
		else if (!(rc = cli_parse_date("--from", o->from, &eff)) && o->to &&
			 !(rc = cli_parse_date("--to", o->to, &to)))
			json_object_set_new(data, "to", cli_json_str(o->to));
	} else if (strcmp(sub, "resume") == 0 || strcmp(sub, "end") == 0) {
		if (!o->on)
			rc = cli_usage_error("award %s: --on DATE is required", sub);
		else
			rc = cli_parse_date("--on", o->on, &eff);
	} else if (strcmp(sub, "change-payee") == 0) {
		if (!o->from || !o->method || !o->payee)
			rc = cli_usage_error("award change-payee: --from, --method and --payee are required");
		else if (!(rc = cli_parse_date("--from", o->from, &eff))) {
			json_object_set_new(data, "method", cli_json_str(o->method));
			json_object_set_new(data, "payee", cli_json_str(o->payee));
		}
	}
	if (rc) {
		json_decref(data);
		return rc;
	}
	return record_event(g, ref, sub, eff, data);
}

/* ---- show ---- */

/* "2026-04-13 to 2026-05-10" from an ISO start and an exclusive ISO end. */
static const char *span(char buf[2 * PHSG_DATE_BUF + 4], const char *start, const char *end)
{
	char last[PHSG_DATE_BUF];
	phsg_date e = 0;

	phsg_date_parse(&e, end);
	phsg_date_format(last, e - 1);
	snprintf(buf, 2 * PHSG_DATE_BUF + 4, "%s to %s", start, last);
	return buf;
}

/* An event in words: "reassessed from 2026-04-27: maintenance high". */
static void event_words(json_t *v)
{
#define S(o, k) json_string_value(json_object_get((o), (k)))
	const char *kind = S(v, "event"), *on = S(v, "effective");
	json_t *d = json_object_get(v, "data"), *needs = json_object_get(d, "needs"), *x;
	const char *key;
	char last[PHSG_DATE_BUF];
	phsg_date e = 0;

	if (!strcmp(kind, "create")) {
		printf("created from %s: %s", on, S(d, "package"));
	} else if (!strcmp(kind, "extend")) {
		printf("extended by %lld month%s", json_integer_value(json_object_get(d, "months")),
		       json_integer_value(json_object_get(d, "months")) == 1 ? "" : "s");
	} else if (!strcmp(kind, "reassess")) {
		printf("reassessed from %s:", on);
	} else if (!strcmp(kind, "suspend")) {
		if (S(d, "to")) {
			phsg_date_parse(&e, S(d, "to"));
			phsg_date_format(last, e - 1);
			printf("suspended %s to %s", on, last);
		} else {
			printf("suspended from %s until resumed", on);
		}
	} else if (!strcmp(kind, "resume")) {
		printf("resumed on %s", on);
	} else if (!strcmp(kind, "end")) {
		phsg_date_parse(&e, on);
		phsg_date_format(last, e - 1);
		printf("ended: its last day %s", last);
	} else if (!strcmp(kind, "change-payee")) {
		printf("paid to %s (%s) from %s", S(d, "payee"), S(d, "method"), on);
	} else if (!strcmp(kind, "cancel")) {
		printf("cancelled event %lld: %s", json_integer_value(json_object_get(d, "event")),
		       S(d, "reason"));
	} else {
		printf("%s on %s", kind, on);
	}
	if (!strcmp(kind, "create") || !strcmp(kind, "reassess")) {
		if (json_is_integer(json_object_get(d, "level")))
			printf(" level %lld", json_integer_value(json_object_get(d, "level")));
		json_object_foreach(needs, key, x)
			printf(" %s %s", cli_shown(key), json_string_value(x));
		if (json_is_integer(json_object_get(d, "tier")))
			printf(" tier %lld", json_integer_value(json_object_get(d, "tier")));
		if (json_is_integer(json_object_get(d, "chosen_tier")))
			printf(" (chosen tier %lld)", json_integer_value(json_object_get(d, "chosen_tier")));
		if (S(d, "hours"))
			printf(" %s hours", S(d, "hours"));
	}
	if (!strcmp(kind, "create"))
		printf("; paid to %s (%s)", S(d, "payee"), S(d, "method"));
#undef S
}

static void show_text(json_t *doc)
{
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], b3[PHSG_NUM_BUF], r[2 * PHSG_DATE_BUF + 4];
	size_t i;
	json_t *v;

#define S(o, k) json_string_value(json_object_get((o), (k)))
	printf("Award %s for %s: %s", S(doc, "award"), S(doc, "client"), S(doc, "package"));
	if (json_is_integer(json_object_get(doc, "level")))
		printf(" level %lld", json_integer_value(json_object_get(doc, "level")));
	printf("\n  Runs %s; %s on %s\n", span(r, S(doc, "start"), S(doc, "end")), S(doc, "status"),
	       S(doc, "as_of"));
	printf("  Entitled to date: %s   Paid (net of recoveries): %s   Balance: %s\n",
	       cli_pretty_plain(b1, S(doc, "entitled_to_date")), cli_pretty_plain(b2, S(doc, "paid")),
	       cli_pretty_plain(b3, S(doc, "balance")));
	if (strcmp(S(doc, "contributions_charged"), "0.00"))
		printf("  The person's own contributions charged (tier upgrade): %s\n",
		       cli_pretty_plain(b1, S(doc, "contributions_charged")));
	printf("Components:\n");
	json_array_foreach(json_object_get(doc, "components"), i, v)
		printf("  %-12s %11s a week  to %-12s %-8s entitled %13s  paid %13s\n", S(v, "id"),
		       cli_pretty_plain(b1, S(v, "weekly_amount")), S(v, "payee"), S(v, "method"),
		       cli_pretty_plain(b2, S(v, "entitled")), cli_pretty_plain(b3, S(v, "paid")));
	printf("Events:\n");
	json_array_foreach(json_object_get(doc, "events"), i, v) {
		printf("  %2lld. ", json_integer_value(json_object_get(v, "number")));
		event_words(v);
		printf("  (by %s, %.10s)%s\n", S(v, "operator"), S(v, "recorded_at"),
		       json_is_true(json_object_get(v, "cancelled")) ? "  [cancelled]" : "");
	}
	printf("Payments and money received back:\n");
	json_array_foreach(json_object_get(doc, "payments"), i, v) {
		json_t *batch = json_object_get(v, "batch");
		printf("  %-10s %-10s %s, due %s %13s to %s (%s)", S(v, "component"), S(v, "kind"),
		       span(r, S(v, "cycle_start"), S(v, "cycle_end")), S(v, "due"),
		       cli_pretty_plain(b1, S(v, "amount")), S(v, "payee"), S(v, "method"));
		if (json_is_integer(batch))
			printf(", batch %lld", json_integer_value(batch));
		printf("\n");
	}
	json_array_foreach(json_object_get(doc, "recoveries"), i, v)
		printf("  %-10s %-10s received on %s %30s from %s\n", S(v, "component"), "recovery",
		       S(v, "received_on"), cli_pretty_plain(b1, S(v, "amount")), S(v, "payee"));
	if (json_array_size(json_object_get(doc, "payments")) == 0)
		printf("  (none yet)\n");
	if (json_array_size(json_object_get(doc, "plan"))) {
		printf("Support plan (reviewed on");
		json_array_foreach(json_object_get(doc, "reviews"), i, v)
			printf(" %s", json_string_value(v));
		printf("%s):\n", json_array_size(json_object_get(doc, "reviews")) ? "" : " no date yet");
		json_array_foreach(json_object_get(doc, "plan"), i, v)
			printf("  %s %s: %s - %s\n", S(v, "outcome"), S(v, "area"), S(v, "goal"), S(v, "status"));
	}
#undef S
}

static int do_show(const cli_globals *g, const char *ref, const award_opts *o)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw;
	phsg_date as_of = cli_today();
	long long id = 0;
	json_t *doc;
	int rc;

	memset(&aw, 0, sizeof(aw));
	if (o->as_of && (rc = cli_parse_date("--as-of", o->as_of, &as_of)))
		return rc;
	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_READONLY)))
		return rc;
	if ((rc = phsg_ledger_award_lookup(&id, l, ref)) ||
	    (rc = phsg_ledger_award_load(&aw, l, sc, id))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	doc = cli_award_show_json(l, sc, &aw, as_of, &rc);
	if (rc) {
		json_decref(doc);
		rc = cli_fail(rc);
	} else if (o->format && strcmp(o->format, "json") == 0) {
		rc = cli_print_json(doc);
	} else {
		cli_json_shown(doc);
		show_text(doc);
		json_decref(doc);
	}
cleanup:
	phsg_award_release(&aw);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

/* ---- explain ---- */

typedef struct {
	int json;
	json_t *rows;
} explainer;

static int explained_one(void *ctx, const phsg_explained *e)
{
	explainer *x = ctx;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF], b[PHSG_NUM_BUF];

	if (x->json) {
		json_t *o = json_object(), *rs = json_array();
		json_object_set_new(o, "batch", e->batch ? json_integer(e->batch) : json_null());
		json_object_set_new(o, "component", cli_json_str(e->component));
		json_object_set_new(o, "payee", cli_json_str(e->payee));
		json_object_set_new(o, "kind", cli_json_str(e->kind));
		json_object_set_new(o, "cycle_start", e->cycle_start ? cli_json_date(e->cycle_start) : json_null());
		json_object_set_new(o, "cycle_end", e->cycle_end ? cli_json_date(e->cycle_end) : json_null());
		json_object_set_new(o, "due", cli_json_date(e->due));
		json_object_set_new(o, "amount", cli_json_pence64(e->amount));
		for (size_t i = 0; i < e->n_reasons; i++)
			json_array_append_new(rs, cli_json_str(e->reasons[i]));
		json_object_set_new(o, "reasons", rs);
		json_array_append_new(x->rows, o);
		return 0;
	}
	phsg_date_format(d3, e->due);
	if (e->cycle_start) {
		phsg_date_format(d1, e->cycle_start);
		phsg_date_format(d2, e->cycle_end - 1);
		printf("%s for %s, cycle %s to %s, due %s: %s to %s", e->kind, cli_shown(e->component),
		       d1, d2, d3, cli_pence_pretty(b, e->amount), cli_shown(e->payee));
	} else {
		printf("%s for %s on %s: %s from %s", e->kind, cli_shown(e->component), d3,
		       cli_pence_pretty(b, e->amount), cli_shown(e->payee));
	}
	if (e->batch)
		printf(" (batch %lld, payment %lld)", e->batch, e->payment);
	printf("\n");
	for (size_t i = 0; i < e->n_reasons; i++)
		printf("  %s\n", cli_shown(e->reasons[i]));
	return ferror(stdout) ? -1 : 0;
}

static int do_explain(const cli_globals *g, const char *ref, const award_opts *o)
{
	explainer x = { o->format && !strcmp(o->format, "json"), json_array() };
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	int rc;

	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_READONLY))) {
		json_decref(x.rows);
		return rc;
	}
	if (!x.json) {
		long long id;
		if ((rc = phsg_ledger_award_lookup(&id, l, ref)))
			goto fail;
		printf("Award %s: why each payment is what it is\n", ref);
	}
	if ((rc = phsg_explain_award(l, sc, ref, explained_one, &x))) {
fail:
		rc = cli_fail(rc);
	} else if (x.json) {
		json_t *doc = json_object();
		json_object_set_new(doc, "award", cli_json_str(ref));
		json_object_set_new(doc, "payments", json_incref(x.rows));
		rc = cli_print_json(doc);
	}
	json_decref(x.rows);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

/* ---- list ---- */

static int do_list(const cli_globals *g, const award_opts *o)
{
	const char *format = o->format ? o->format : "text";
	cli_award_filter f = { o->client, o->payee, o->package, o->status, cli_today() };
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	json_t *rows = json_array();
	int rc;

	if ((rc = cli_award_filter_check(&f))) {
		json_decref(rows);
		return cli_fail(rc);
	}
	if (o->as_of && (rc = cli_parse_date("--as-of", o->as_of, &f.as_of))) {
		json_decref(rows);
		return rc;
	}
	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_READONLY))) {
		json_decref(rows);
		return rc;
	}
	if ((rc = cli_award_list_rows(l, sc, &f, rows)))
		rc = cli_fail(rc);
	if (rc == 0 && !strcmp(format, "json")) {
		json_t *doc = json_object();
		json_object_set_new(doc, "awards", json_incref(rows));
		rc = cli_print_json(doc);
	} else if (rc == 0) {
		static const char *const keys[] = { "award", "client", "package", "status", "start",
			"end", "payee" };
		int csv = !strcmp(format, "csv");
		size_t i;
		json_t *v;
		if (csv) {
			cli_csv_row(stdout, keys, 7);
		} else {
			cli_json_shown(rows);
			printf("%-8s %-16s %-24s %-11s %-24s %s\n", "Award", "Client", "Package", "Status",
			       "Runs", "Payee");
		}
		json_array_foreach(rows, i, v) {
			const char *row[7];
			for (int k = 0; k < 7; k++)
				row[k] = json_string_value(json_object_get(v, keys[k]));
			if (csv) {
				cli_csv_row(stdout, row, 7);
			} else {
				char last[PHSG_DATE_BUF], runs[32];
				phsg_date e = 0;
				phsg_date_parse(&e, row[5]);
				phsg_date_format(last, e - 1);
				snprintf(runs, sizeof(runs), "%s to %s", row[4], last);
				printf("%-8s %-16s %-24s %-11s %-24s %s\n", row[0], row[1], row[2], row[3],
				       strcmp(row[3], "withdrawn") ? runs : "(withdrawn)", row[6]);
			}
		}
	}
	json_decref(rows);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

/* ---- import ---- */

/* Caseload columns (SPEC section 8); intervention columns are the scheme's ids. */
typedef struct {
	const phsg_scheme *sc;
	phsg_ledger *l;
	char **fields;
	size_t n_fields, cap_fields;
	char **header;
	size_t n_header;
	long line, row_line;
	int failed;        /* rows (or a header) that are bad input */
	int refused;       /* rows a rule refused (an overlapping award) */
	size_t bad_field;  /* the current row's first field that is not text (1-based) */
	int stop;          /* the header is unusable: read no rows */
	const char *path;
	int rc;            /* first ledger failure */
	FILE *refs;        /* the new awards' references, printed once committed */
	size_t n_refs;
	cli_progress progress; /* on a terminal, from 10,000 rows (SPEC section 16) */
	long long size, consumed; /* the file's bytes (0: not known) and those parsed */
} importer;

static long column(const importer *im, const char *name)
{
	for (size_t i = 0; i < im->n_header; i++)
		if (strcmp(im->header[i], name) == 0)
			return (long)i;
	return -1;
}

static const char *cell(const importer *im, const char *name)
{
	long c = column(im, name);
	return c >= 0 && (size_t)c < im->n_fields && im->fields[c][0] ? im->fields[c] : NULL;
}

static void on_field(void *s, size_t len, void *data)
{
	importer *im = data;
	char *f = malloc(len + 1);

	/* SPEC section 12: a NUL byte or invalid UTF-8 refuses the row */
	if (!im->bad_field && !phsg_text_utf8_valid(s, len))
		im->bad_field = im->n_fields + 1;

	if (!f)
		abort();
	if (len)
		memcpy(f, s, len);
	f[len] = '\0';
	if (im->n_fields == im->cap_fields) {
		im->cap_fields = im->cap_fields ? im->cap_fields * 2 : 16;
		im->fields = realloc(im->fields, im->cap_fields * sizeof(char *));
		if (!im->fields)
			abort();
	}
	im->fields[im->n_fields++] = f;
}

static void clear_fields(importer *im)
{
	for (size_t i = 0; i < im->n_fields; i++)
		free(im->fields[i]);
	im->n_fields = 0;
}

static int cell_int(const importer *im, const char *name, int *out)
{
	const char *v = cell(im, name);
	char *end;
	long n;

	*out = 0;
	if (!v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*end || errno || n < 1 || n > 99)
		return phsg_error_set(PHSG_EINVAL, "column %s: '%s' is not a whole number from 1 to 99", name, v);
	*out = (int)n;
	return 0;
}

static void import_row(importer *im)
{
	static const char *const required[] = { "client", "package", "start", "method", "payee" };
	size_t n_iv = im->sc->n_interventions;
	char **needs_buf = calloc(n_iv ? n_iv : 1, sizeof(char *));
	const char **needs = calloc(n_iv ? n_iv : 1, sizeof(char *));
	phsg_award_request n = PHSG_AWARD_REQUEST_INIT;
	char *ref = NULL, **cp_buf = NULL;
	int rc = 0, n_needs = 0, n_cp = 0;

	if (!needs_buf || !needs)
		abort();

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]) && rc == 0; i++)
		if (!cell(im, required[i]))
			rc = phsg_error_set(PHSG_EINVAL, "column %s is empty", required[i]);
	if (rc == 0 && (rc = phsg_date_parse(&n.start, cell(im, "start"))) == 0 && cell(im, "end"))
		rc = phsg_date_parse(&n.end, cell(im, "end"));
	if (rc == 0 && (rc = cell_int(im, "level", &n.level)) == 0 &&
	    (rc = cell_int(im, "tier", &n.tier)) == 0)
		rc = cell_int(im, "chosen_tier", &n.chosen_tier);
	for (size_t i = 0; i < n_iv && rc == 0; i++) {
		const char *id = im->sc->interventions[i].id, *v = cell(im, id);
		if (v) {
			size_t len = strlen(id) + strlen(v) + 2;
			if (!(needs_buf[n_needs] = malloc(len)))
				abort();
			memcpy(needs_buf[n_needs], id, strlen(id));
			needs_buf[n_needs][strlen(id)] = '=';
			memcpy(needs_buf[n_needs] + strlen(id) + 1, v, strlen(v) + 1);
			needs[n_needs] = needs_buf[n_needs];
			n_needs++;
		}
	}
	if (rc == 0 && cell(im, "paid_to"))
		rc = phsg_date_parse(&n.paid_to, cell(im, "paid_to"));
	if (rc == 0 && cell(im, "extended_months")) {
		const char *v = cell(im, "extended_months");
		char *end;
		long m = strtol(v, &end, 10);
		if (*end || m < 0 || m > 1200)
			rc = phsg_error_set(PHSG_EINVAL, "column extended_months: '%s' is not a whole "
					    "number of months from 0 to 1200", v);
		n.extended_months = (int)m;
	}
	if (rc == 0 && cell(im, "social_care")) {
		const char *v = cell(im, "social_care");
		if (strcmp(v, "yes") == 0)
			n.social_care = 1;
		else if (strcmp(v, "no") != 0)
			rc = phsg_error_set(PHSG_EINVAL, "column social_care: '%s' is not yes or no", v);
	}
	if (rc == 0 && cell(im, "component_payees")) {
		/* "C=REF;C=REF" */
		char *list = strdup(cell(im, "component_payees")), *save = NULL;
		if (!list)
			abort();
		for (char *t = strtok_r(list, ";", &save); t && rc == 0; t = strtok_r(NULL, ";", &save)) {
			cp_buf = realloc(cp_buf, (size_t)(n_cp + 1) * sizeof(char *));
			if (!cp_buf || !(cp_buf[n_cp] = strdup(t)))
				abort();
			n_cp++;
		}
		free(list);
		n.cpayees = (const char *const *)cp_buf;
		n.n_cpayees = n_cp;
	}
	if (rc == 0 && cell(im, "allow_overlap")) {
		const char *v = cell(im, "allow_overlap");
		if (strcmp(v, "yes") == 0)
			n.allow_overlap = 1;
		else if (strcmp(v, "no") != 0)
			rc = phsg_error_set(PHSG_EINVAL, "column allow_overlap: '%s' is not yes or no", v);
	}
	if (rc == 0) {
		n.client = cell(im, "client");
		n.package = cell(im, "package");
		n.hours = cell(im, "hours");
		n.method = cell(im, "method");
		n.payee = cell(im, "payee");
		n.needs = needs;
		n.n_needs = n_needs;
		rc = phsg_ledger_award_create(&ref, im->l, im->sc, &n);
	}
	if (rc == PHSG_ELEDGER) {
		if (!im->rc)
			im->rc = rc;
		fprintf(stderr, "phsg: error: line %ld: %s\n", im->row_line, cli_shown(phsg_error_last()));
		im->failed++;
	} else if (rc) {
		fprintf(stderr, "phsg: error: line %ld: %s\n", im->row_line, cli_shown(phsg_error_last()));
		if (rc == PHSG_ERULE)
			im->refused++;
		else
			im->failed++;
	} else {
		/* kept in a file, not in memory: a million rows cost no more than ten */
		if (fprintf(im->refs, "%s\n", ref) < 0 && !im->rc) {
			im->rc = phsg_error_set(PHSG_ELEDGER, "cannot keep the new references in a "
						"temporary file: %s; nothing was imported", strerror(errno));
			fprintf(stderr, "phsg: error: %s\n", cli_shown(phsg_error_last()));
		}
		im->n_refs++;
		free(ref);
	}
	for (int i = 0; i < n_needs; i++)
		free(needs_buf[i]);
	free(needs_buf);
	free(needs);
	for (int i = 0; i < n_cp; i++)
		free(cp_buf[i]);
	free(cp_buf);
}

static void check_header(importer *im)
{
	static const char *const needed[] = { "client", "package", "level", "tier", "chosen_tier",
		"hours", "start", "end", "method", "payee" };

	static const char *const optional[] = { "allow_overlap", "paid_to", "extended_months",
		"social_care", "component_payees" };

	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (column(im, needed[i]) < 0) {
			fprintf(stderr, "phsg: error: %s: line 1: the header has no '%s' column\n",
				im->path, needed[i]);
			im->failed++;
			im->stop = 1;
		}
	/* SPEC section 12: no silent column (a misspelt one must not be ignored) */
	for (size_t c = 0; c < im->n_header; c++) {
		int known = phsg_scheme_intervention(im->sc, im->header[c]) >= 0;
		for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
			known |= !strcmp(im->header[c], needed[i]);
		for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++)
			known |= !strcmp(im->header[c], optional[i]);
		for (size_t d = 0; d < c; d++)
			if (!strcmp(im->header[c], im->header[d])) {
				fprintf(stderr, "phsg: error: %s: line 1: column '%s' is given twice\n",
					im->path, cli_shown(im->header[c]));
				im->failed++;
				im->stop = 1;
			}
		if (!known) {
			fprintf(stderr, "phsg: error: %s: line 1: unknown column '%s' (the columns are "
				"those of SPEC section 8, the scheme's interventions, allow_overlap, paid_to, "
				"extended_months, social_care and component_payees)\n",
				im->path, cli_shown(im->header[c]));
			im->failed++;
			im->stop = 1;
		}
	}
}

static void on_row(int c, void *data)
{
	importer *im = data;

	(void)c;
	im->line++;
	if (!im->header) {
		im->header = im->fields;
		im->n_header = im->n_fields;
		im->fields = NULL;
		im->n_fields = im->cap_fields = 0;
		if (im->bad_field) {
			fprintf(stderr, "phsg: error: %s: line 1: column %zu holds a NUL byte or invalid "
				"UTF-8\n", im->path, im->bad_field);
			im->failed++;
			im->stop = 1;
		} else {
			check_header(im);
		}
		im->bad_field = 0;
		return;
	}
	im->row_line = im->line;
	cli_progress_add(&im->progress, 1, (long long)im->consumed, (long long)im->size);
	int extra = 0;
	/* empty cells past the header are a spreadsheet's habit; anything in them is not */
	for (size_t i = im->n_header; i < im->n_fields; i++)
		extra |= im->fields[i][0] != '\0';
	if (extra) {
		fprintf(stderr, "phsg: error: line %ld: %zu fields, but the header has %zu columns\n",
			im->row_line, im->n_fields, im->n_header);
		im->failed++;
	} else if (im->bad_field) {
		fprintf(stderr, "phsg: error: line %ld: field %zu holds a NUL byte or invalid UTF-8\n",
			im->row_line, im->bad_field);
		im->failed++;
	} else if (!(im->n_fields == 1 && !im->fields[0][0]) && !im->rc && !im->stop) {
		import_row(im);
	}
	im->bad_field = 0;
	clear_fields(im);
}

static int do_import(const cli_globals *g, const char *path)
{
	struct csv_parser p;
	importer im = { 0 };
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	char buf[65536];
	struct stat st;
	size_t n;
	FILE *f;
	int rc;

	if (!(f = cli_open_input("caseload", path)))
		return EXIT_USAGE;
	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_CREATE))) {
		fclose(f);
		return rc;
	}
	im.sc = sc;
	im.l = l;
	im.path = path;
	cli_progress_start(&im.progress, "import", "rows", CLI_PROGRESS_IMPORT_ROWS);
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
		im.size = (long long)st.st_size;
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0)
		abort();
	if (!(im.refs = tmpfile())) {
		rc = cli_usage_error("cannot make a temporary file: %s", strerror(errno));
		goto cleanup;
	}
	if ((rc = phsg_ledger_begin(l, PHSG_LEDGER_WAIT_MS))) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	for (int first = 1; !im.stop && (n = fread(buf, 1, sizeof(buf), f)) > 0; first = 0) {
		size_t skip = first && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
		/* Excel's UTF-8 byte-order mark (SPEC section 12) is skipped */
		if (csv_parse(&p, buf + skip, n - skip, on_field, on_row, &im) != n - skip) {
			fprintf(stderr, "phsg: error: %s: line %ld: %s\n", path, im.line + 1,
				csv_strerror(csv_error(&p)));
			im.failed++;
			break;
		}
		im.consumed += (long long)n;
	}
	if (!im.failed)
		csv_fini(&p, on_field, on_row, &im);
	cli_progress_done(&im.progress, "read");
	if (!im.header) {
		fprintf(stderr, "phsg: error: %s: the caseload is empty (no header row)\n", path);
		im.failed++;
	} else if (!im.failed && !im.refused && !im.rc && im.n_refs == 0) {
		fprintf(stderr, "phsg: error: %s: the caseload has no rows, only a header\n", path);
		im.failed++;
	}
	if (im.rc) {
		rc = phsg_error_exit_status(im.rc);
		phsg_ledger_rollback(l);
	} else if (im.failed || im.refused) {
		int bad = im.failed + im.refused;
		fprintf(stderr, "phsg: error: %s: %d row%s refused; nothing was imported\n", path,
			bad, bad == 1 ? "" : "s");
		/* bad input outranks a rule's refusal */
		rc = im.failed ? EXIT_USAGE : EXIT_RULE;
		phsg_ledger_rollback(l);
	} else if ((rc = phsg_ledger_commit(l))) {
		rc = cli_fail(rc);
	} else if (cli_copy_out(im.refs) != 0) {
		rc = cli_usage_error("the awards were imported, but their references cannot be "
				     "printed: see 'phsg report balances'");
	}
cleanup:
	clear_fields(&im);
	free(im.fields);
	for (size_t i = 0; i < im.n_header; i++)
		free(im.header[i]);
	free(im.header);
	if (im.refs)
		fclose(im.refs);
	csv_free(&p);
	fclose(f);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

int cmd_award(const cli_globals *g, int argc, char **argv)
{
	award_opts o = { 0 };
	const char *sub;
	int rc;

	if (argc < 2)
		return cli_usage_error("award: no subcommand given (see phsg award --help)");
	if (strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	sub = argv[1];
	rc = parse_opts(argc - 1, argv + 1, &o);
	if (rc < 0)
		return EXIT_OK;
	if (rc)
		return rc;
	argc--;
	argv++;
	for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++) {
		unsigned extra;
		if (strcmp(sub, takes[i].sub))
			continue;
		if ((extra = o.given & ~takes[i].takes) != 0) {
			for (size_t k = 0; opts[k].name; k++)
				if (opts[k].val >= O_CLIENT && opts[k].val < O_HELP && (extra & BIT(opts[k].val)))
					return cli_usage_error("award %s does not take --%s (see phsg award --help)",
							       sub, opts[k].name);
		}
		break;
	}
	if (o.format && !strcmp(o.format, "csv") && strcmp(sub, "list"))
		return cli_usage_error("award %s: --format is text or json", sub);
	if (strcmp(sub, "create") == 0) {
		if (optind < argc)
			return cli_usage_error("award create: unexpected argument '%s'", argv[optind]);
		return do_create(g, &o);
	}
	if (strcmp(sub, "list") == 0) {
		if (optind < argc)
			return cli_usage_error("award list: unexpected argument '%s'", argv[optind]);
		return do_list(g, &o);
	}
	if (strcmp(sub, "cancel") == 0) {
		if (optind + 2 != argc)
			return cli_usage_error("usage: phsg award cancel AWARD EVENT --reason TEXT");
		return do_cancel(g, argv[optind], argv[optind + 1], &o);
	}
	if (optind + 1 != argc)
		return cli_usage_error("award %s: give exactly one %s", sub,
				       strcmp(sub, "import") == 0 ? "FILE.csv" : "AWARD reference");
	if (strcmp(sub, "import") == 0)
		return do_import(g, argv[optind]);
	if (strcmp(sub, "show") == 0)
		return do_show(g, argv[optind], &o);
	if (strcmp(sub, "explain") == 0)
		return do_explain(g, argv[optind], &o);
	if (strcmp(sub, "extend") == 0 || strcmp(sub, "reassess") == 0 || strcmp(sub, "suspend") == 0 ||
	    strcmp(sub, "resume") == 0 || strcmp(sub, "end") == 0 || strcmp(sub, "change-payee") == 0)
		return do_change(g, sub, argv[optind], &o);
	return cli_usage_error("unknown award command '%s' (see phsg award --help)", sub);
}
