/*
 * json_out.c - the JSON documents of quote, award show, award list, batch
 * list, batch show and report balances, built once for the command line
 * and for phsg serve (json_out.h).
 *
 * The builders were the commands' own until the web service needed the same
 * bytes; they moved here unchanged.  They return documents and error codes
 * and never print, so a command prints what it gets and the web service
 * sends it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_out.h"
#include "phsg/plan.h"

/* ---- quote ---- */

json_t *cli_quote_json(const phsg_scheme *sc, const phsg_quote *q)
{
	json_t *doc = json_object(), *comps = json_array(), *ivs = json_array(),
	       *why = json_array();
	const phsg_assessment *a = &q->assessment;

	json_object_set_new(doc, "scheme", cli_json_str(sc->name));
	json_object_set_new(doc, "package", cli_json_str(q->package->id));
	json_object_set_new(doc, "package_name", cli_json_str(q->package->name));
	json_object_set_new(doc, "level", q->term->level ? json_integer(q->term->level) : json_null());
	json_object_set_new(doc, "tier", a->tier ? json_integer(a->tier) : json_null());
	json_object_set_new(doc, "chosen_tier", a->tier ?
		json_integer(a->chosen_tier ? a->chosen_tier : a->tier) : json_null());
	json_object_set_new(doc, "start", cli_json_date(q->start));
	for (size_t i = 0; i < q->package->n_interventions; i++) {
		size_t iv = q->package->interventions[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", cli_json_str(sc->interventions[iv].id));
		json_object_set_new(o, "need", a->needs[iv] == PHSG_NEED_NONE ? json_null() :
			cli_json_str(phsg_scheme_need_name(a->needs[iv])));
		json_object_set_new(o, "weekly_hours", cli_json_exact(q->intervention_hours[i]));
		json_array_append_new(ivs, o);
	}
	json_object_set_new(doc, "interventions", ivs);
	json_object_set_new(doc, "weekly_hours", cli_json_exact(q->weekly_hours));
	if (q->has_rate) {
		char buf[PHSG_NUM_BUF];
		cli_check_format(phsg_money_format(buf, sizeof(buf), sc->rates[q->rate_index].hourly, 2));
		json_object_set_new(doc, "hourly_rate", cli_json_str(buf));
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
		q->unlimited ? cli_json_str("unlimited") : cli_json_date(q->extendable_to));
	json_object_set_new(doc, "max_total",
		q->unlimited ? json_null() : cli_json_pence(q->max_total_pence));
	for (size_t i = 0; i < q->n_components; i++) {
		const phsg_quote_component *c = &q->components[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", cli_json_str(c->component->id));
		json_object_set_new(o, "kind", cli_json_str(phsg_scheme_component_kind_name(c->component->kind)));
		json_object_set_new(o, "payee", c->component->payee ?
			cli_json_str(c->component->payee) : json_null());
		json_object_set_new(o, "weekly_hours", cli_json_exact(c->weekly_hours));
		json_object_set_new(o, "weekly_amount", cli_json_money(sc, c->weekly));
		json_object_set_new(o, "total", cli_json_pence(c->total_pence));
		json_array_append_new(comps, o);
	}
	json_object_set_new(doc, "components", comps);
	json_object_set_new(doc, "person_contribution_weekly",
			    cli_json_money(sc, q->contribution_weekly));
	json_object_set_new(doc, "rounding", cli_json_str(phsg_money_rounding_name(sc->rounding)));
	for (size_t i = 0; i < q->n_explanation; i++)
		json_array_append_new(why, cli_json_str(q->explanation[i]));
	json_object_set_new(doc, "explanation", why);
	return doc;
}

/* Money for people: "£10.73 (exactly £10.725)" (json_out.h). */
const char *cli_money_pretty(char buf[2 * PHSG_NUM_BUF], const phsg_scheme *sc, const mpq_t x)
{
	char exact[PHSG_NUM_BUF];
	mpq_t back;
	mpz_t p;

	mpz_init(p);
	mpq_init(back);
	phsg_money_round_pence(p, back, x, sc->rounding);
	cli_check_format(phsg_money_pretty_pence(buf, PHSG_NUM_BUF, p));
	if (mpq_sgn(back) != 0 && phsg_money_pretty(exact, sizeof(exact), x, 3) == 0)
		snprintf(buf + strlen(buf), PHSG_NUM_BUF, " (exactly %s)", exact);
	mpq_clear(back);
	mpz_clear(p);
	return buf;
}

/* ---- award show ---- */

typedef struct {
	json_t *rows;
	phsg_date as_of;
} recovery_list;

/* The money received back, beside the payments, so that the figures add up. */
static int recovery_json(void *ctx, const phsg_recovery_row *r)
{
	recovery_list *rl = ctx;
	json_t *o;

	if (r->received_on > rl->as_of)
		return 0;
	o = json_object();
	json_object_set_new(o, "component", cli_json_str(r->component));
	json_object_set_new(o, "received_on", cli_json_date(r->received_on));
	json_object_set_new(o, "amount", cli_json_pence64(r->amount));
	json_object_set_new(o, "payee", cli_json_str(r->payee));
	json_array_append_new(rl->rows, o);
	return 0;
}

json_t *cli_award_show_json(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw,
			    phsg_date as_of, int *rc)
{
	json_t *doc = json_object(), *comps = json_array(), *pays = json_array(), *evs = json_array();
	phsg_payment_row *rows = NULL;
	phsg_event_row *events = NULL;
	size_t n_rows = 0, n_events = 0;
	int64_t entitled_all = 0, paid_all = 0, charged = 0;
	const phsg_assessment *cur = &aw->assess[0].a;

	for (size_t i = 0; i < aw->n_assess; i++)
		if (aw->assess[i].from <= as_of)
			cur = &aw->assess[i].a;
	json_object_set_new(doc, "award", cli_json_str(aw->ref));
	json_object_set_new(doc, "client", cli_json_str(aw->client));
	json_object_set_new(doc, "package", cli_json_str(aw->package->id));
	json_object_set_new(doc, "level", aw->level ? json_integer(aw->level) : json_null());
	json_object_set_new(doc, "start", cli_json_date(aw->start));
	json_object_set_new(doc, "end", cli_json_date(aw->end));
	json_object_set_new(doc, "status", cli_json_str(phsg_award_status(aw, as_of)));
	json_object_set_new(doc, "as_of", cli_json_date(as_of));
	for (size_t c = 0; c < aw->package->n_components && *rc == 0; c++) {
		json_t *o = json_object();
		mpq_t h, f, w;
		size_t r;
		phsg_balance bal;
		int method;

		mpq_inits(h, f, w, NULL);
		phsg_alloc_component_weekly(h, f, sc, cur, &aw->package->components[c]);
		mpq_set(w, f);
		if (mpq_sgn(h) && phsg_scheme_rate_at(&r, sc, as_of < aw->start ? aw->start : as_of) == 0) {
			mpq_mul(h, h, sc->rates[r].hourly);
			mpq_add(w, w, h);
		}
		if ((*rc = phsg_ledger_balance(&bal, l, sc, aw, (int)c, as_of, as_of + 1))) {
			mpq_clears(h, f, w, NULL);
			json_decref(o);
			break;
		}
		json_object_set_new(o, "id", cli_json_str(aw->package->components[c].id));
		json_object_set_new(o, "kind", cli_json_str(phsg_scheme_component_kind_name(aw->package->components[c].kind)));
		json_object_set_new(o, "payee", cli_json_str(phsg_award_payee(aw, (int)c, as_of, &method)));
		json_object_set_new(o, "method", cli_json_str(phsg_scheme_method_name(method)));
		json_object_set_new(o, "weekly_amount", cli_json_money(sc, w));
		json_object_set_new(o, "entitled", cli_json_pence64(bal.entitled));
		json_object_set_new(o, "paid", cli_json_pence64(bal.net));
		json_object_set_new(o, "recovered", cli_json_pence64(bal.recovered));
		json_array_append_new(comps, o);
		entitled_all += bal.entitled;
		paid_all += bal.net;
		mpq_clears(h, f, w, NULL);
	}
	json_object_set_new(doc, "components", comps);
	if (*rc == 0 && (*rc = phsg_ledger_award_payments(&rows, &n_rows, l, aw->id)) == 0) {
		for (size_t i = 0; i < n_rows; i++) {
			json_t *o;
			/* as of the date: so that the payments add up to what is paid */
			if (rows[i].due > as_of)
				continue;
			o = json_object();
			json_object_set_new(o, "batch", rows[i].id ? json_integer(rows[i].id) : json_null());
			json_object_set_new(o, "component", cli_json_str(rows[i].component));
			json_object_set_new(o, "kind", cli_json_str(rows[i].kind));
			json_object_set_new(o, "cycle_start", cli_json_date(rows[i].cycle_start));
			json_object_set_new(o, "cycle_end", cli_json_date(rows[i].cycle_end));
			json_object_set_new(o, "due", cli_json_date(rows[i].due));
			json_object_set_new(o, "amount", cli_json_pence64(rows[i].amount));
			json_object_set_new(o, "payee", cli_json_str(rows[i].payee));
			json_object_set_new(o, "method", cli_json_str(rows[i].method));
			json_array_append_new(pays, o);
		}
		phsg_ledger_payment_rows_free(rows, n_rows);
	}
	json_object_set_new(doc, "payments", pays);
	if (*rc == 0) {
		recovery_list rl = { json_array(), as_of };
		*rc = phsg_ledger_award_recoveries(l, aw->id, recovery_json, &rl);
		json_object_set_new(doc, "recoveries", rl.rows);
	}
	json_object_set_new(doc, "paid", cli_json_pence64(paid_all));
	json_object_set_new(doc, "entitled_to_date", cli_json_pence64(entitled_all));
	json_object_set_new(doc, "balance", cli_json_pence64(entitled_all - paid_all));
	if (*rc == 0 && (*rc = phsg_ledger_contribution_sum(&charged, l, aw->id, as_of)) == 0)
		json_object_set_new(doc, "contributions_charged", cli_json_pence64(charged));
	if (*rc == 0 && (*rc = phsg_ledger_award_events(&events, &n_events, l, aw->id)) == 0) {
		for (size_t i = 0; i < n_events; i++) {
			json_t *o = json_object();
			int cancelled = 0;
			for (size_t j = i + 1; j < n_events; j++) {
				json_t *d;
				if (strcmp(events[j].kind, "cancel") || !(d = json_loads(events[j].data, 0, NULL)))
					continue;
				cancelled |= json_integer_value(json_object_get(d, "event")) == (json_int_t)(i + 1);
				json_decref(d);
			}
			json_object_set_new(o, "number", json_integer((json_int_t)(i + 1)));
			json_object_set_new(o, "cancelled", json_boolean(cancelled));
			json_object_set_new(o, "event", cli_json_str(events[i].kind));
			json_object_set_new(o, "effective", cli_json_date(events[i].effective));
			json_object_set_new(o, "data", json_loads(events[i].data, 0, NULL));
			json_object_set_new(o, "recorded_at", cli_json_str(events[i].recorded_at));
			json_object_set_new(o, "operator", cli_json_str(events[i].operator_name));
			json_array_append_new(evs, o);
		}
		phsg_ledger_event_rows_free(events, n_events);
	}
	json_object_set_new(doc, "events", evs);
	if (*rc == 0) {
		/* the support plan and its reviews (SPEC section 13) */
		phsg_plan p;
		json_t *plan = json_array(), *revs = json_array();
		if ((*rc = phsg_ledger_plan_load(&p, l, aw->id)) == 0) {
			phsg_plan_statuses(&p, as_of + 1);
			for (size_t i = 0; i < p.n_outcomes; i++) {
				json_t *o = json_object();
				char num[48];
				snprintf(num, sizeof(num), "%s/%d", aw->ref, p.outcomes[i].number);
				json_object_set_new(o, "outcome", cli_json_str(num));
				json_object_set_new(o, "area", cli_json_str(p.outcomes[i].area));
				json_object_set_new(o, "goal", cli_json_str(p.outcomes[i].goal));
				json_object_set_new(o, "status", cli_json_str(phsg_plan_outcome_status_name(p.outcomes[i].status)));
				json_array_append_new(plan, o);
			}
			for (size_t i = 0; i < p.n_reviews; i++)
				if (p.reviews[i] <= as_of)
					json_array_append_new(revs, cli_json_date(p.reviews[i]));
			phsg_plan_release(&p);
		}
		json_object_set_new(doc, "plan", plan);
		json_object_set_new(doc, "reviews", revs);
	}
	return doc;
}

/* ---- award list ---- */

/* The award's own payee (not a component's fixed or nominated one) on a date. */
static const char *own_payee(const phsg_award *aw, phsg_date on)
{
	size_t i;

	for (i = aw->n_payees; i > 1 && aw->payees[i - 1].from > on; i--)
		;
	return aw->payees[i - 1].payee;
}

static int paid_to(const phsg_award *aw, const char *payee, phsg_date on)
{
	int method;

	if (!strcmp(own_payee(aw, on), payee))
		return 1;
	for (size_t c = 0; c < aw->package->n_components; c++)
		if (!strcmp(phsg_award_payee(aw, (int)c, on, &method), payee))
			return 1;
	return 0;
}


int cli_award_filter_check(const cli_award_filter *f)
{
	static const char *const statuses[] = { "not-started", "active", "suspended", "ended",
		"withdrawn", NULL };
	int known = 0;

	for (size_t i = 0; f->status && statuses[i]; i++)
		known |= !strcmp(f->status, statuses[i]);
	if (f->status && !known)
		return phsg_error_set(PHSG_EINVAL, "--status: '%s' is not not-started, active, "
				      "suspended, ended or withdrawn", f->status);
	if ((f->client && phsg_text_check_ref("--client", f->client)) ||
	    (f->payee && phsg_text_check_ref("--payee", f->payee)))
		return PHSG_EINVAL;
	return 0;
}

typedef struct {
	const cli_award_filter *f;
	json_t *rows;
} award_list;

static int award_list_row(void *ctx, const phsg_award *aw, const phsg_award_sums *sums)
{
	const award_list *a = ctx;
	const cli_award_filter *f = a->f;
	const char *status = phsg_award_status(aw, f->as_of);
	json_t *r;

	(void)sums;
	if ((f->client && strcmp(aw->client, f->client)) ||
	    (f->package && strcmp(aw->package->id, f->package)) ||
	    (f->status && strcmp(status, f->status)) ||
	    (f->payee && !paid_to(aw, f->payee, f->as_of)))
		return 0;
	r = json_object();
	json_object_set_new(r, "award", cli_json_str(aw->ref));
	json_object_set_new(r, "client", cli_json_str(aw->client));
	json_object_set_new(r, "package", cli_json_str(aw->package->id));
	json_object_set_new(r, "status", cli_json_str(status));
	json_object_set_new(r, "start", cli_json_date(aw->start));
	json_object_set_new(r, "end", cli_json_date(aw->end));
	json_object_set_new(r, "payee", cli_json_str(own_payee(aw, f->as_of)));
	json_array_append_new(a->rows, r);
	return 0;
}

int cli_award_list_rows(phsg_ledger *l, const phsg_scheme *sc, const cli_award_filter *f,
			json_t *rows)
{
	award_list a = { f, rows };

	if (f->package && !phsg_scheme_package(sc, f->package))
		return phsg_error_set(PHSG_EINVAL, "unknown package '%s' in %s", f->package, sc->path);
	return phsg_ledger_awards_walk(l, sc, 0, award_list_row, &a);
}

int cli_award_list_json(phsg_ledger *l, const phsg_scheme *sc, const cli_award_filter *f,
			json_t **out)
{
	json_t *rows = json_array();
	int rc;

	*out = NULL;
	if ((rc = cli_award_filter_check(f)) || (rc = cli_award_list_rows(l, sc, f, rows))) {
		json_decref(rows);
		return rc;
	}
	*out = json_object();
	json_object_set_new(*out, "awards", rows);
	return 0;
}

/* ---- batches ---- */

int cli_batch_list_rows(phsg_ledger *l, json_t *rows, int64_t **totals_out)
{
	long long *ids = NULL;
	int64_t *totals = NULL;
	size_t n = 0;
	int rc;

	if (totals_out)
		*totals_out = NULL;
	if ((rc = phsg_ledger_batch_ids(&ids, &n, l)))
		return rc;
	if (!(totals = calloc(n ? n : 1, sizeof(int64_t))))
		abort();
	for (size_t i = 0; i < n && rc == 0; i++) {
		phsg_batch b;
		size_t count = 0;
		int64_t total = 0;
		json_t *o;
		if ((rc = phsg_ledger_batch_info(&b, l, ids[i])) ||
		    (rc = phsg_ledger_batch_summary(&count, &total, l, ids[i]))) {
			phsg_ledger_batch_release(&b);
			break;
		}
		o = json_object();
		json_object_set_new(o, "batch", json_integer(b.id));
		json_object_set_new(o, "date", cli_json_date(b.run_date));
		json_object_set_new(o, "status", cli_json_str(b.voided ? "voided" : b.sent ? "sent" : "posted"));
		json_object_set_new(o, "payments", json_integer((json_int_t)count));
		json_object_set_new(o, "total", cli_json_pence64(total));
		json_array_append_new(rows, o);
		totals[i] = total;
		phsg_ledger_batch_release(&b);
	}
	free(ids);
	if (totals_out && rc == 0)
		*totals_out = totals;
	else
		free(totals);
	return rc;
}

int cli_batch_list_json(phsg_ledger *l, json_t **out)
{
	json_t *rows = json_array();
	int rc;

	*out = NULL;
	if ((rc = cli_batch_list_rows(l, rows, NULL))) {
		json_decref(rows);
		return rc;
	}
	*out = json_object();
	json_object_set_new(*out, "batches", rows);
	return 0;
}

int cli_batch_show_json(phsg_ledger *l, long long id, json_t **out)
{
	phsg_batch b;
	int rc;

	*out = NULL;
	if ((rc = phsg_ledger_batch_get(&b, l, id)))
		return rc;
	*out = cli_batch_json(&b);
	phsg_ledger_batch_release(&b);
	return 0;
}

/* ---- report balances ---- */

/* One award's row: entitled through the end of as_of, paid by it, the difference. */
typedef struct {
	json_t *rows;
	cli_balance_totals t;
} balance_rows;

static int balance_row(void *ctx, const phsg_award *aw, const phsg_award_sums *sums)
{
	balance_rows *b = ctx;
	int64_t entitled = sums->balance->entitled, paid = sums->balance->net;
	int64_t charged = sums->charged;
	json_t *o = json_object();

	json_object_set_new(o, "award", cli_json_str(aw->ref));
	json_object_set_new(o, "client", cli_json_str(aw->client));
	json_object_set_new(o, "package", cli_json_str(aw->package->id));
	json_object_set_new(o, "entitled", cli_json_pence64(entitled));
	json_object_set_new(o, "paid", cli_json_pence64(paid));
	json_object_set_new(o, "balance", cli_json_pence64(entitled - paid));
	json_object_set_new(o, "contributions", cli_json_pence64(charged));
	json_array_append_new(b->rows, o);
	b->t.entitled += entitled;
	b->t.paid += paid;
	b->t.contributions += charged;
	return 0;
}

int cli_balances_fill(json_t *doc, phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of,
		      cli_balance_totals *t_out)
{
	balance_rows b = { json_array(), { 0, 0, 0 } };
	int rc = phsg_ledger_awards_walk_balances(l, sc, as_of, balance_row, &b);
	cli_balance_totals t = b.t;

	json_object_set_new(doc, "awards", b.rows);
	json_object_set_new(doc, "entitled", cli_json_pence64(t.entitled));
	json_object_set_new(doc, "paid", cli_json_pence64(t.paid));
	json_object_set_new(doc, "balance", cli_json_pence64(t.entitled - t.paid));
	json_object_set_new(doc, "contributions", cli_json_pence64(t.contributions));
	if (t_out)
		*t_out = t;
	return rc;
}

int cli_balances_json(phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of, json_t **out)
{
	json_t *doc = json_object();
	int rc;

	*out = NULL;
	json_object_set_new(doc, "as_of", cli_json_date(as_of));
	if ((rc = cli_balances_fill(doc, l, sc, as_of, NULL))) {
		json_decref(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

/* ---- text ---- */

char *cli_json_text(const json_t *doc)
{
	char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER), *t;
	size_t len;

	if (!s)
		return NULL;
	len = strlen(s);
	if (!(t = realloc(s, len + 2))) {
		free(s);
		return NULL;
	}
	t[len] = '\n';
	t[len + 1] = '\0';
	return t;
}
