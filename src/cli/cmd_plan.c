/*
 * cmd_plan.c - support plans and reviews (SPEC section 13):
 *
 *   phsg plan add AWARD --area AREA --goal TEXT (--by DATE | --ongoing)
 *                 [--measure TEXT] [--way WAY [--provider REF]] [--hours H]
 *   phsg plan show AWARD [--format text|json]
 *   phsg review AWARD --on DATE [--outcome N=STATUS]... [--note TEXT]
 *
 * The rules are the library's (phsg/plan.h); this file parses and prints.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "phsg/plan.h"

static const char plan_usage[] =
	"usage: phsg plan add AWARD --area AREA --goal TEXT (--by DATE | --ongoing)\n"
	"                [--measure TEXT] [--way WAY [--provider REF]] [--hours H]\n"
	"       phsg plan show AWARD [--format text|json]\n"
	"\n"
	"add: an outcome the person wants to achieve with the grant, in one of the\n"
	"scheme's outcome areas; prints its number (A000001/1).  Refused (exit 1): a\n"
	"target date outside the award (up to its ceiling), a way that needs an\n"
	"accredited provider without one, a way that needs adult social care for an\n"
	"award without it, plan hours above the award's weekly hours.\n"
	"show: the outcomes with their latest status, plan hours against the\n"
	"award's hours, and when the next review is due.\n";

static const char review_usage[] =
	"usage: phsg review AWARD --on DATE [--outcome N=STATUS]... [--note TEXT]\n"
	"\n"
	"Record a review of an award's plan.  STATUS is achieved, partial,\n"
	"not-achieved, not-relevant or regressed; outcomes not named keep theirs.\n"
	"A review may be dated from the award's start to its end (the end date\n"
	"itself included).\n";

enum { O_AREA = 256, O_GOAL, O_BY, O_ONGOING, O_MEASURE, O_WAY, O_PROVIDER, O_HOURS, O_FORMAT,
       O_ON, O_OUTCOME, O_NOTE, O_HELP };

static const struct option opts[] = {
	{ "area", required_argument, NULL, O_AREA },
	{ "goal", required_argument, NULL, O_GOAL },
	{ "by", required_argument, NULL, O_BY },
	{ "ongoing", no_argument, NULL, O_ONGOING },
	{ "measure", required_argument, NULL, O_MEASURE },
	{ "way", required_argument, NULL, O_WAY },
	{ "provider", required_argument, NULL, O_PROVIDER },
	{ "hours", required_argument, NULL, O_HOURS },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "on", required_argument, NULL, O_ON },
	{ "outcome", required_argument, NULL, O_OUTCOME },
	{ "note", required_argument, NULL, O_NOTE },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

#define BIT(o) (1u << ((o) - O_AREA))

typedef struct {
	const char *area, *goal, *by, *measure, *way, *provider, *hours, *format, *on, *note;
	int ongoing;
	const char **outcomes;
	size_t n_outcomes;
	unsigned given;
} plan_opts;

static int parse(int argc, char **argv, const char *usage, plan_opts *o)
{
	static const char *const formats[] = { "text", "json", NULL };
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c >= O_AREA && c < O_HELP)
			o->given |= BIT(c);
		switch (c) {
		case O_AREA: o->area = optarg; break;
		case O_GOAL: o->goal = optarg; break;
		case O_BY: o->by = optarg; break;
		case O_ONGOING: o->ongoing = 1; break;
		case O_MEASURE: o->measure = optarg; break;
		case O_WAY: o->way = optarg; break;
		case O_PROVIDER: o->provider = optarg; break;
		case O_HOURS: o->hours = optarg; break;
		case O_FORMAT: rc = cli_parse_format(optarg, formats, &o->format); break;
		case O_ON: o->on = optarg; break;
		case O_OUTCOME:
			o->outcomes = realloc(o->outcomes, (o->n_outcomes + 1) * sizeof(char *));
			if (!o->outcomes)
				abort();
			o->outcomes[o->n_outcomes++] = optarg;
			break;
		case O_NOTE: o->note = optarg; break;
		case O_HELP: fputs(usage, stdout); return -1;
		default: return cli_usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Refuse an option the command does not take. */
static int only(const plan_opts *o, unsigned takes, const char *what)
{
	unsigned extra = o->given & ~takes;

	for (size_t k = 0; extra && opts[k].name; k++)
		if (opts[k].val >= O_AREA && opts[k].val < O_HELP && (extra & BIT(opts[k].val)))
			return cli_usage_error("%s does not take --%s", what, opts[k].name);
	return 0;
}

/* The award and its plan, in a transaction when writing. */
static int load(const cli_globals *g, const char *ref, int write, phsg_scheme **sc, phsg_ledger **l,
		phsg_award *aw, phsg_plan *p)
{
	long long id = 0;
	int rc;

	memset(aw, 0, sizeof(*aw));
	memset(p, 0, sizeof(*p));
	if ((rc = cli_open_both(g, sc, l, write ? PHSG_LEDGER_WRITE : PHSG_LEDGER_READONLY)))
		return rc;
	if ((write && (rc = phsg_ledger_begin(*l, PHSG_LEDGER_WAIT_MS))) ||
	    (rc = phsg_ledger_award_lookup(&id, *l, ref)) ||
	    (rc = phsg_ledger_award_load(aw, *l, *sc, id)) ||
	    (rc = phsg_ledger_plan_load(p, *l, id)))
		return cli_fail(rc);
	return 0;
}

static void unload(phsg_scheme *sc, phsg_ledger *l, phsg_award *aw, phsg_plan *p)
{
	phsg_plan_release(p);
	phsg_award_release(aw);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
}

static int plan_add(const cli_globals *g, const char *ref, const plan_opts *o)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw;
	phsg_plan p;
	phsg_plan_outcome out;
	int rc, accredited = -1;

	if ((rc = only(o, BIT(O_AREA) | BIT(O_GOAL) | BIT(O_BY) | BIT(O_ONGOING) | BIT(O_MEASURE) |
		       BIT(O_WAY) | BIT(O_PROVIDER) | BIT(O_HOURS), "plan add")))
		return rc;
	if (!o->area || !o->goal)
		return cli_usage_error("plan add: --area AREA and --goal TEXT are required");
	if (!!o->by == !!o->ongoing)
		return cli_usage_error("plan add: give --by DATE or --ongoing");
	if (o->provider && !o->way)
		return cli_usage_error("plan add: --provider goes with --way");
	memset(&out, 0, sizeof(out));
	mpq_init(out.hours);
	if ((o->by && (rc = cli_parse_date("--by", o->by, &out.by))) ||
	    (o->hours && (rc = phsg_money_parse(out.hours, o->hours, 0) ? cli_usage_error(
			"--hours: %s", phsg_error_last()) : 0))) {
		mpq_clear(out.hours);
		return rc;
	}
	out.has_hours = o->hours != NULL;
	out.area = (char *)o->area;
	out.goal = (char *)o->goal;
	out.measure = (char *)o->measure;
	out.way = (char *)o->way;
	out.provider = (char *)o->provider;
	if ((rc = load(g, ref, 1, &sc, &l, &aw, &p)))
		goto done;
	if (o->provider) {
		phsg_payee py;
		if ((rc = phsg_ledger_payee_get_on(&py, l, o->provider, cli_today()))) {
			rc = cli_fail(rc);
			goto done;
		}
		accredited = py.accredited;
		phsg_ledger_payee_release(&py);
	}
	if ((rc = phsg_plan_check_add(sc, &aw, &p, &out, accredited)) ||
	    (rc = phsg_ledger_plan_add(l, aw.id, &out)) ||
	    (rc = phsg_ledger_commit(l)))
		rc = cli_fail(rc);
	else
		printf("%s/%d\n", aw.ref, out.number);
done:
	mpq_clear(out.hours);
	unload(sc, l, &aw, &p);
	return rc;
}

static int plan_show(const cli_globals *g, const char *ref, const plan_opts *o)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw;
	phsg_plan p;
	json_t *doc, *list;
	mpq_t plan, award;
	char h1[PHSG_NUM_BUF], h2[PHSG_NUM_BUF], d[PHSG_DATE_BUF];
	int rc;

	if ((rc = only(o, BIT(O_FORMAT), "plan show")))
		return rc;
	if ((rc = load(g, ref, 0, &sc, &l, &aw, &p))) {
		unload(sc, l, &aw, &p);
		return rc;
	}
	mpq_inits(plan, award, NULL);
	phsg_plan_hours(plan, &p);
	phsg_award_weekly_hours(award, sc, &aw);
	doc = json_object();
	list = json_array();
	json_object_set_new(doc, "award", cli_json_str(aw.ref));
	json_object_set_new(doc, "weekly_hours", cli_json_exact(award));
	json_object_set_new(doc, "plan_hours", cli_json_exact(plan));
	json_object_set_new(doc, "next_review", sc->outcomes.present ?
			    cli_json_date(phsg_plan_next_review(sc, &aw, &p)) : json_null());
	for (size_t i = 0; i < p.n_outcomes; i++) {
		const phsg_plan_outcome *x = &p.outcomes[i];
		json_t *j = json_object();
		char num[48];
		snprintf(num, sizeof(num), "%s/%d", aw.ref, x->number);
		json_object_set_new(j, "outcome", cli_json_str(num));
		json_object_set_new(j, "area", cli_json_str(x->area));
		json_object_set_new(j, "goal", cli_json_str(x->goal));
		json_object_set_new(j, "by", x->by ? cli_json_date(x->by) : json_null());
		json_object_set_new(j, "measure", x->measure ? cli_json_str(x->measure) : json_null());
		json_object_set_new(j, "way", x->way ? cli_json_str(x->way) : json_null());
		json_object_set_new(j, "provider", x->provider ? cli_json_str(x->provider) : json_null());
		json_object_set_new(j, "hours", x->has_hours ? cli_json_exact(x->hours) : json_null());
		json_object_set_new(j, "status", cli_json_str(phsg_plan_outcome_status_name(x->status)));
		json_object_set_new(j, "status_on", x->status_on ? cli_json_date(x->status_on) : json_null());
		json_array_append_new(list, j);
	}
	json_object_set_new(doc, "outcomes", list);
	if (o->format && !strcmp(o->format, "json")) {
		rc = cli_print_json(doc);
	} else {
		size_t i;
		json_t *v;
		cli_check_format(phsg_money_format(h1, sizeof(h1), plan, 0));
		cli_check_format(phsg_money_format(h2, sizeof(h2), award, 0));
		cli_json_shown(doc);
		printf("Support plan of award %s (%s): %s of %s hours a week planned\n", cli_shown(aw.ref),
		       cli_shown(aw.client), h1, h2);
		if (sc->outcomes.present) {
			phsg_date_format(d, phsg_plan_next_review(sc, &aw, &p));
			printf("  Next review due %s\n", d);
		}
		json_array_foreach(list, i, v) {
			const phsg_outcome_area *a = phsg_scheme_area(sc, json_string_value(json_object_get(v, "area")));
			const char *by = json_string_value(json_object_get(v, "by"));
			const char *on = json_string_value(json_object_get(v, "status_on"));
			printf("  %s %s: %s (%s)\n", json_string_value(json_object_get(v, "outcome")),
			       a ? a->name : json_string_value(json_object_get(v, "area")),
			       json_string_value(json_object_get(v, "goal")), by ? by : "ongoing");
			printf("      %s%s%s", json_string_value(json_object_get(v, "status")), on ? " on " : "",
			       on ? on : "");
			if (json_string_value(json_object_get(v, "way")))
				printf("; way %s", json_string_value(json_object_get(v, "way")));
			if (json_string_value(json_object_get(v, "provider")))
				printf(" through %s", json_string_value(json_object_get(v, "provider")));
			if (json_string_value(json_object_get(v, "hours")))
				printf("; %s hour%s a week", json_string_value(json_object_get(v, "hours")), strcmp(json_string_value(json_object_get(v, "hours")), "1") ? "s" : "");
			if (json_string_value(json_object_get(v, "measure")))
				printf("; measured by: %s", json_string_value(json_object_get(v, "measure")));
			printf("\n");
		}
		if (!p.n_outcomes)
			printf("  (no outcomes yet: phsg plan add)\n");
		json_decref(doc);
	}
	mpq_clears(plan, award, NULL);
	unload(sc, l, &aw, &p);
	return rc;
}

int cmd_plan(const cli_globals *g, int argc, char **argv)
{
	plan_opts o = { 0 };
	int rc = parse(argc, argv, plan_usage, &o);

	if (rc == 0 && optind + 2 != argc)
		rc = cli_usage_error("usage: phsg plan add|show AWARD ... (see phsg plan --help)");
	if (rc == 0) {
		if (!strcmp(argv[optind], "add"))
			rc = plan_add(g, argv[optind + 1], &o);
		else if (!strcmp(argv[optind], "show"))
			rc = plan_show(g, argv[optind + 1], &o);
		else
			rc = cli_usage_error("unknown plan command '%s' (add or show)", argv[optind]);
	}
	free(o.outcomes);
	return rc < 0 ? EXIT_OK : rc;
}

int cmd_review(const cli_globals *g, int argc, char **argv)
{
	plan_opts o = { 0 };
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw;
	phsg_plan p;
	phsg_date on;
	int *numbers = NULL, *statuses = NULL, rc = parse(argc, argv, review_usage, &o);

	if (rc == 0 && optind + 1 != argc)
		rc = cli_usage_error("usage: phsg review AWARD --on DATE [--outcome N=STATUS]...");
	if (rc == 0)
		rc = only(&o, BIT(O_ON) | BIT(O_OUTCOME) | BIT(O_NOTE), "review");
	if (rc == 0 && !o.on)
		rc = cli_usage_error("review: --on DATE is required");
	if (rc == 0)
		rc = cli_parse_date("--on", o.on, &on);
	numbers = calloc(o.n_outcomes + 1, sizeof(int));
	statuses = calloc(o.n_outcomes + 1, sizeof(int));
	if (!numbers || !statuses)
		abort();
	for (size_t i = 0; i < o.n_outcomes && rc == 0; i++) {
		const char *eq = strchr(o.outcomes[i], '=');
		char *end;
		long n = strtol(o.outcomes[i], &end, 10);
		if (!eq || end != eq || n < 1 || n > 1000000)
			rc = cli_usage_error("--outcome: '%s' is not N=STATUS", o.outcomes[i]);
		else if (phsg_plan_outcome_status_parse(&statuses[i], eq + 1))
			rc = cli_fail(PHSG_EINVAL);
		numbers[i] = (int)n;
	}
	if (rc == 0 && (rc = load(g, argv[optind], 1, &sc, &l, &aw, &p)) == 0) {
		phsg_review review = PHSG_REVIEW_INIT;
		review.on = on;
		review.note = o.note;
		review.outcomes = numbers;
		review.statuses = statuses;
		review.n = o.n_outcomes;
		if ((rc = phsg_plan_check_review(&aw, &p, &review)) ||
		    (rc = phsg_ledger_review_add(l, aw.id, &review)) ||
		    (rc = phsg_ledger_commit(l)))
			rc = cli_fail(rc);
		else
			printf("%s: review on %s recorded (%zu outcome%s)\n", aw.ref, o.on, o.n_outcomes,
			       o.n_outcomes == 1 ? "" : "s");
	}
	if (sc || l)
		unload(sc, l, &aw, &p);
	free(numbers);
	free(statuses);
	free(o.outcomes);
	return rc < 0 ? EXIT_OK : rc;
}

/* ---- report reviews, report outcomes ---- */

typedef struct {
	const char *award, *client;
	phsg_review_due d;
} due_row;

typedef struct {
	due_row *rows;
	size_t n;
	const phsg_award *aw;
	phsg_ledger *l;
	const phsg_scheme *sc;
	phsg_date as_of;
} dues;

static int keep_due(void *ctx, const phsg_review_due *d)
{
	dues *x = ctx;

	x->rows = realloc(x->rows, (x->n + 1) * sizeof(*x->rows));
	if (!x->rows || !(x->rows[x->n].award = strdup(x->aw->ref)) ||
	    !(x->rows[x->n].client = strdup(x->aw->client)))
		abort();
	x->rows[x->n++].d = *d;
	return 0;
}

/* One award's reviews and outcomes due by x->as_of, kept. */
static int award_dues(void *ctx, const phsg_award *aw, const phsg_award_sums *sums)
{
	dues *x = ctx;
	phsg_plan p;
	int rc;

	(void)sums;
	memset(&p, 0, sizeof(p));
	if ((rc = phsg_ledger_plan_load(&p, x->l, aw->id)) == 0) {
		phsg_plan_statuses(&p, x->as_of + 1);
		x->aw = aw;
		rc = phsg_plan_dues(x->sc, aw, &p, x->as_of, keep_due, x);
	}
	phsg_plan_release(&p);
	return rc;
}

static int cmp_due(const void *a, const void *b)
{
	const due_row *x = a, *y = b;
	int c = (x->d.due > y->d.due) - (x->d.due < y->d.due);

	if (!c)
		c = strcmp(x->award, y->award);
	if (!c)
		c = strcmp(x->d.reason, y->d.reason);
	return c ? c : x->d.outcome - y->d.outcome;
}

int cli_report_reviews(const cli_globals *g, phsg_date as_of, const char *format)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	dues x = { 0 };
	int rc;

	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_READONLY)))
		return rc;
	x.l = l;
	x.sc = sc;
	x.as_of = as_of;
	if ((rc = phsg_ledger_awards_walk(l, sc, 0, award_dues, &x)))
		rc = cli_fail(rc);
	if (x.n)
		qsort(x.rows, x.n, sizeof(*x.rows), cmp_due);
	if (rc == 0) {
		json_t *doc = json_object(), *list = json_array();
		char d[PHSG_DATE_BUF], num[48];
		json_object_set_new(doc, "as_of", cli_json_date(as_of));
		for (size_t i = 0; i < x.n; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "award", cli_json_str(x.rows[i].award));
			json_object_set_new(o, "client", cli_json_str(x.rows[i].client));
			json_object_set_new(o, "due", cli_json_date(x.rows[i].d.due));
			json_object_set_new(o, "reason", cli_json_str(x.rows[i].d.reason));
			snprintf(num, sizeof(num), "%s/%d", x.rows[i].award, x.rows[i].d.outcome);
			json_object_set_new(o, "outcome", x.rows[i].d.outcome ? cli_json_str(num) : json_null());
			json_array_append_new(list, o);
		}
		json_object_set_new(doc, "reviews", list);
		if (!strcmp(format, "json")) {
			rc = cli_print_json(doc);
		} else if (!strcmp(format, "csv")) {
			const char *head[] = { "award", "client", "due", "reason", "outcome" };
			cli_csv_row(stdout, head, 5);
			for (size_t i = 0; i < x.n; i++) {
				json_t *o = json_array_get(list, i);
				const char *row[] = { x.rows[i].award, x.rows[i].client,
					json_string_value(json_object_get(o, "due")), x.rows[i].d.reason,
					json_string_value(json_object_get(o, "outcome")) };
				cli_csv_row(stdout, row, 5);
			}
			json_decref(doc);
		} else {
			phsg_date_format(d, as_of);
			printf("Reviews due as of %s (overdue first)\n", d);
			for (size_t i = 0; i < x.n; i++) {
				phsg_date_format(d, x.rows[i].d.due);
				printf("  %s %-8s %-16s %-8s %s%s%s\n", d, cli_shown(x.rows[i].award),
				       cli_shown(x.rows[i].client),
				       x.rows[i].d.due < as_of ? "OVERDUE" : "due",
				       !strcmp(x.rows[i].d.reason, "ending") ? "ends with no review since its "
				       "latest extension" : !strcmp(x.rows[i].d.reason, "outcome-past-date") ?
				       "outcome past its date: " : !strcmp(x.rows[i].d.reason, "first-review") ?
				       "first review" : "periodic review",
				       x.rows[i].d.outcome ? cli_shown(json_string_value(json_object_get(
					json_array_get(list, i), "outcome"))) : "", "");
			}
			if (!x.n)
				printf("  (none)\n");
			json_decref(doc);
		}
	}
	for (size_t i = 0; i < x.n; i++) {
		free((char *)x.rows[i].award);
		free((char *)x.rows[i].client);
	}
	free(x.rows);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

typedef struct {
	phsg_ledger *l;
	const phsg_scheme *sc;
	phsg_outcomes_report *r;
} outcome_walk;

static int award_outcomes(void *ctx, const phsg_award *aw, const phsg_award_sums *sums)
{
	outcome_walk *w = ctx;
	phsg_plan p;
	phsg_balance bal;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = phsg_ledger_plan_load(&p, w->l, aw->id)) == 0 &&
	    (rc = phsg_award_sums_balance(&bal, w->sc, aw, -1, sums, 0)) == 0)
		phsg_plan_outcomes_report_add(w->r, aw, &p, bal.net);
	phsg_plan_release(&p);
	return rc;
}

int cli_report_outcomes(const cli_globals *g, phsg_date from, phsg_date to, int all,
			const char *format)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_outcomes_report *r = NULL;
	size_t n_pk = 0;
	const phsg_area_result *areas;
	const phsg_package_result *pk;
	long short_stays = 0;
	int rc;

	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_READONLY)))
		return rc;
	if (!sc->outcomes.present) {
		rc = cli_fail(phsg_error_set(PHSG_EINVAL, "the scheme %s has no outcomes group", sc->path));
		goto done;
	}
	phsg_plan_outcomes_report_new(&r, sc, from, to, all);
	{
		outcome_walk w = { l, sc, r };
		/* what each award has had, all time: no entitlement needed */
		if ((rc = phsg_ledger_awards_walk(l, sc, PHSG_DATE_LAST, award_outcomes, &w)))
			rc = cli_fail(rc);
	}
	if (rc)
		goto done;
	phsg_plan_outcomes_report_finish(&areas, &pk, &n_pk, &short_stays, r);
	{
		json_t *doc = json_object(), *al = json_array(), *pl = json_array();
		char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
		mpq_t pct;
		mpq_init(pct);
		json_object_set_new(doc, "from", cli_json_date(from));
		json_object_set_new(doc, "to", cli_json_date(to));
		json_object_set_new(doc, "population", cli_json_str(all ? "all" : "leavers"));
		json_object_set_new(doc, "short_stays", json_integer(short_stays));
		for (size_t i = 0; i < sc->outcomes.n_areas; i++) {
			const phsg_area_result *a = &areas[i];
			long counted = a->achieved + a->partial + a->not_achieved;
			json_t *o = json_object();
			json_object_set_new(o, "theme", cli_json_str(sc->outcomes.areas[i].theme));
			json_object_set_new(o, "area", cli_json_str(sc->outcomes.areas[i].id));
			json_object_set_new(o, "people", json_integer(a->people));
			json_object_set_new(o, "achieved", json_integer(a->achieved));
			json_object_set_new(o, "partial", json_integer(a->partial));
			json_object_set_new(o, "not_achieved", json_integer(a->not_achieved));
			if (counted) {
				mpq_set_ui(pct, (unsigned long)a->achieved * 100, (unsigned long)counted);
				mpq_canonicalize(pct);
				json_object_set_new(o, "percent_achieved", cli_json_exact(pct));
			} else {
				json_object_set_new(o, "percent_achieved", json_null());
			}
			json_object_set_new(o, "sustained", json_integer(a->sustained));
			json_array_append_new(al, o);
		}
		for (size_t i = 0; i < n_pk; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "package", cli_json_str(pk[i].package));
			json_object_set_new(o, "paid", cli_json_pence64(pk[i].paid));
			json_object_set_new(o, "achieved", json_integer(pk[i].achieved));
			if (pk[i].achieved) {
				mpq_set_si(pct, pk[i].paid, 100);
				mpq_canonicalize(pct);
				mpq_div_2exp(pct, pct, 0);
				{
					mpq_t k;
					mpq_init(k);
					mpq_set_ui(k, (unsigned long)pk[i].achieved, 1);
					mpq_div(pct, pct, k);
					mpq_clear(k);
				}
				json_object_set_new(o, "cost_per_achieved", cli_json_money(sc, pct));
			} else {
				json_object_set_new(o, "cost_per_achieved", json_null());
			}
			json_array_append_new(pl, o);
		}
		json_object_set_new(doc, "areas", al);
		json_object_set_new(doc, "packages", pl);
		if (!strcmp(format, "json")) {
			rc = cli_print_json(doc);
		} else {
			size_t i;
			json_t *v;
			const char *theme = "";
			phsg_date_format(d1, from);
			phsg_date_format(d2, to - 1);
			printf("Outcomes of %s, %s to %s%s\n", all ? "every award active" : "the awards that "
			       "ended", d1, d2, all ? " (statuses at the end of the period)" : "");
			if (!all)
				printf("  %ld short stay%s (under 28 days) left out of the counts\n", short_stays,
				       short_stays == 1 ? "" : "s");
			printf("  %-62s %6s %8s %7s %12s %8s %9s\n", "Area", "People", "Achieved",
			       "Partial", "Not achieved", "%", "Sustained");
			json_array_foreach(al, i, v) {
				const char *pctxt = "-";
				if (strcmp(theme, sc->outcomes.areas[i].theme)) {
					theme = sc->outcomes.areas[i].theme;
					printf("  %s\n", theme);
				}
				if (json_is_string(json_object_get(v, "percent_achieved"))) {
					/* one decimal place, half-up */
					long counted = areas[i].achieved + areas[i].partial + areas[i].not_achieved;
					long tenths = (areas[i].achieved * 2000 / counted + 1) / 2;
					snprintf(b1, sizeof(b1), "%ld.%ld", tenths / 10, tenths % 10);
					pctxt = b1;
				}
				printf("    %-60s %6lld %8lld %7lld %12lld %8s %9lld\n", sc->outcomes.areas[i].name,
				       json_integer_value(json_object_get(v, "people")),
				       json_integer_value(json_object_get(v, "achieved")),
				       json_integer_value(json_object_get(v, "partial")),
				       json_integer_value(json_object_get(v, "not_achieved")), pctxt,
				       json_integer_value(json_object_get(v, "sustained")));
			}
			printf("  %-30s %14s %9s %18s\n", "Package", "Paid", "Achieved", "Cost per achieved");
			for (i = 0; i < n_pk; i++) {
				json_t *c = json_object_get(json_array_get(pl, i), "cost_per_achieved");
				printf("  %-30s %15s %9ld %19s\n", cli_shown(pk[i].package),
				       cli_pence_pretty(b1, pk[i].paid),
				       pk[i].achieved, json_is_string(c) ? cli_pretty_plain(b2,
				       json_string_value(c)) : "-");
			}
			json_decref(doc);
		}
		mpq_clear(pct);
	}
done:
	phsg_plan_outcomes_report_free(r);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}
