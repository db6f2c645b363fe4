/*
 * api.c - the JSON API of phsg serve (SPEC section 15).
 *
 * /api/quote answers with the very document `phsg quote --format json`
 * prints for the same arguments, byte for byte, because both are built by
 * cli_quote_json() and written by cli_json_text(); likewise the finance
 * views and `award list`, `award show`, `batch list`, `batch show` and
 * `report balances` (json_out.h).  /api/scheme describes what a quote
 * takes, for a client building its own form.
 *
 * Bad input is 400 with {"error": "..."}; a refusal by a scheme rule is
 * 422; an unknown award or batch is 404; a ledger that cannot be read is
 * 503.  The ledger is opened read-only for each finance request and closed
 * before the answer is sent, so a request never holds it between requests
 * and never writes to it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "json_out.h"
#include "web.h"

static const char *const quote_params[] = { "package", "level", "tier", "chosen-tier",
	"chosen_tier", "hours", "need", "start", NULL };
static const char *const repeat_need[] = { "need", NULL };

void web_api_quote(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	web_quote_args qa;
	phsg_assessment a;
	phsg_quote *q = NULL;
	int rc;

	if (web_params_check(rq, quote_params, repeat_need, 1, rs))
		return;
	if ((rc = web_quote_args_read(rq, &qa))) {
		web_json_error(rs, web_status_for(rc), "%s", phsg_error_last());
		return;
	}
	if ((rc = cli_assessment_from_opts(cx->sc, &qa.o, &a)) ||
	    (rc = phsg_alloc_quote(&q, cx->sc, &a, qa.start)))
		web_json_error(rs, web_status_for(rc), "%s", phsg_error_last());
	else
		web_json_doc(rs, cli_quote_json(cx->sc, q));
	phsg_alloc_quote_free(q);
	phsg_alloc_assessment_release(&a);
}

static json_t *exact(const mpq_t x)
{
	return cli_json_exact(x);
}

static json_t *term_json(const phsg_term *t)
{
	json_t *o = json_object();

	if (t->level)
		json_object_set_new(o, "level", json_integer(t->level));
	json_object_set_new(o, "period_months", json_integer(t->period_months));
	json_object_set_new(o, "extendable_to_months", t->extendable_months == PHSG_UNLIMITED ?
			    cli_json_str("unlimited") : json_integer(t->extendable_months));
	return o;
}

void web_api_scheme(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	static const char *const none[] = { NULL };
	const phsg_scheme *sc = cx->sc;
	json_t *doc, *ivs = json_array(), *pkgs = json_array(), *rates = json_array(),
	       *levels = json_array();

	if (web_params_check(rq, none, NULL, 1, rs)) {
		json_decref(ivs);
		json_decref(pkgs);
		json_decref(rates);
		json_decref(levels);
		return;
	}
	doc = json_object();
	json_object_set_new(doc, "scheme", cli_json_str(sc->name));
	json_object_set_new(doc, "currency", cli_json_str(sc->currency));
	json_object_set_new(doc, "rounding", cli_json_str(phsg_money_rounding_name(sc->rounding)));
	for (int n = 0; n < PHSG_NEED_COUNT; n++)
		json_array_append_new(levels, cli_json_str(phsg_scheme_need_name((phsg_need)n)));
	json_object_set_new(doc, "need_levels", levels);
	for (size_t i = 0; i < sc->n_interventions; i++) {
		json_t *o = json_object(), *h = json_object();
		json_object_set_new(o, "id", cli_json_str(sc->interventions[i].id));
		json_object_set_new(o, "name", cli_json_str(sc->interventions[i].name));
		for (int n = 0; n < PHSG_NEED_COUNT; n++)
			json_object_set_new(h, phsg_scheme_need_name((phsg_need)n),
					    exact(sc->interventions[i].hours[n]));
		json_object_set_new(o, "weekly_hours", h);
		json_array_append_new(ivs, o);
	}
	json_object_set_new(doc, "interventions", ivs);
	for (size_t i = 0; i < sc->n_packages; i++) {
		const phsg_package *p = &sc->packages[i];
		json_t *o = json_object(), *pi = json_array(), *comps = json_array(), *tiers;
		json_object_set_new(o, "id", cli_json_str(p->id));
		json_object_set_new(o, "name", cli_json_str(p->name));
		for (size_t k = 0; k < p->n_interventions; k++)
			json_array_append_new(pi, cli_json_str(sc->interventions[p->interventions[k]].id));
		json_object_set_new(o, "interventions", pi);
		if (p->n_levels) {
			json_t *ls = json_array();
			for (size_t k = 0; k < p->n_levels; k++)
				json_array_append_new(ls, term_json(&p->levels[k]));
			json_object_set_new(o, "levels", ls);
		} else {
			json_object_set_new(o, "levels", json_null());
			json_object_update_new(o, term_json(&p->term));
		}
		for (size_t k = 0; k < p->n_components; k++) {
			const phsg_component *c = &p->components[k];
			json_t *co = json_object();
			json_object_set_new(co, "id", cli_json_str(c->id));
			json_object_set_new(co, "kind", cli_json_str(phsg_scheme_component_kind_name(c->kind)));
			json_object_set_new(co, "payee", c->payee ? cli_json_str(c->payee) : json_null());
			if (c->kind == PHSG_COMP_FIXED)
				json_object_set_new(co, "weekly", cli_json_money(sc, c->amount));
			else if (c->kind == PHSG_COMP_HOURS)
				json_object_set_new(co, "max_weekly_hours", exact(c->amount));
			else if (c->kind == PHSG_COMP_CASH)
				json_object_set_new(co, "per_cycle", cli_json_money(sc, c->amount));
			json_array_append_new(comps, co);
		}
		json_object_set_new(o, "components", comps);
		tiers = p->n_tiers ? json_array() : json_null();
		for (size_t k = 0; k < p->n_tiers; k++) {
			json_t *t = json_object();
			json_object_set_new(t, "tier", json_integer(p->tiers[k].tier));
			json_object_set_new(t, "name", cli_json_str(p->tiers[k].name));
			json_object_set_new(t, "weekly", cli_json_money(sc, p->tiers[k].weekly));
			json_array_append_new(tiers, t);
		}
		json_object_set_new(o, "tiers", tiers);
		json_array_append_new(pkgs, o);
	}
	json_object_set_new(doc, "packages", pkgs);
	for (size_t i = 0; i < sc->n_rates; i++) {
		json_t *o = json_object();
		char buf[PHSG_NUM_BUF];
		cli_check_format(phsg_money_format(buf, sizeof(buf), sc->rates[i].hourly, 2));
		json_object_set_new(o, "from", cli_json_date(sc->rates[i].from));
		json_object_set_new(o, "hourly", cli_json_str(buf));
		json_array_append_new(rates, o);
	}
	json_object_set_new(doc, "rates", rates);
	web_json_doc(rs, doc);
}

/* ---- the finance views (the caller has checked the token) ---- */

static int open_ledger(const web_ctx *cx, phsg_ledger **l, web_response *rs)
{
	int rc = phsg_ledger_open(l, cx->g->ledger_path, cx->g->operator_name,
				  PHSG_LEDGER_READONLY);
	if (rc) {
		*l = NULL;
		web_json_error(rs, web_status_for(rc), "%s", phsg_error_last());
	}
	return rc;
}

/* as_of=DATE, default today; 0 or a 400 in rs */
static int read_as_of(const web_request *rq, phsg_date *as_of, web_response *rs)
{
	const char *v = web_param_get(rq, "as_of", NULL);

	*as_of = cli_today();
	if (v && *v && phsg_date_parse(as_of, v)) {
		web_json_error(rs, 400, "as_of: %s", phsg_error_last());
		return -1;
	}
	return 0;
}

/* Answer with a document built by `rc`, or the error it met. */
static void answer(web_response *rs, int rc, json_t *doc)
{
	if (rc) {
		json_decref(doc);
		web_json_error(rs, web_status_for(rc), "%s", phsg_error_last());
	} else {
		web_json_doc(rs, doc);
	}
}

void web_api_awards(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	static const char *const allowed[] = { "client", "payee", "package", "status", "as_of", NULL };
	cli_award_filter f;
	phsg_ledger *l = NULL;
	json_t *doc = NULL;
	const char *v;
	int rc;

	if (web_params_check(rq, allowed, NULL, 1, rs) || read_as_of(rq, &f.as_of, rs))
		return;
	/* an empty value does not filter, as in the form */
	f.client = (v = web_param_get(rq, "client", NULL)) && *v ? v : NULL;
	f.payee = (v = web_param_get(rq, "payee", NULL)) && *v ? v : NULL;
	f.package = (v = web_param_get(rq, "package", NULL)) && *v ? v : NULL;
	f.status = (v = web_param_get(rq, "status", NULL)) && *v ? v : NULL;
	if ((f.client && phsg_text_check_ref("client", f.client)) ||
	    (f.payee && phsg_text_check_ref("payee", f.payee))) {
		web_json_error(rs, 400, "%s", phsg_error_last());
		return;
	}
	if ((rc = cli_award_filter_check(&f))) {
		web_json_error(rs, 400, "%s", phsg_error_last());
		return;
	}
	if (open_ledger(cx, &l, rs))
		return;
	rc = cli_award_list_json(l, cx->sc, &f, &doc);
	phsg_ledger_close(l);
	answer(rs, rc, doc);
}

void web_api_award(const web_ctx *cx, const web_request *rq, const char *ref, web_response *rs)
{
	static const char *const allowed[] = { "as_of", NULL };
	phsg_ledger *l = NULL;
	phsg_award aw;
	phsg_date as_of;
	long long id = 0;
	json_t *doc = NULL;
	int rc;

	memset(&aw, 0, sizeof(aw));
	if (web_params_check(rq, allowed, NULL, 1, rs) || read_as_of(rq, &as_of, rs))
		return;
	if (phsg_text_check_ref("the award reference", ref)) {
		web_json_error(rs, 404, "%s", phsg_error_last());
		return;
	}
	if (open_ledger(cx, &l, rs))
		return;
	if ((rc = phsg_ledger_award_lookup(&id, l, ref)) == 0 &&
	    (rc = phsg_ledger_award_load(&aw, l, cx->sc, id)) == 0)
		doc = cli_award_show_json(l, cx->sc, &aw, as_of, &rc);
	phsg_award_release(&aw);
	phsg_ledger_close(l);
	answer(rs, rc, doc);
}

void web_api_batches(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	static const char *const none[] = { NULL };
	phsg_ledger *l = NULL;
	json_t *doc = NULL;
	int rc;

	if (web_params_check(rq, none, NULL, 1, rs) || open_ledger(cx, &l, rs))
		return;
	rc = cli_batch_list_json(l, &doc);
	phsg_ledger_close(l);
	answer(rs, rc, doc);
}

void web_api_batch(const web_ctx *cx, const web_request *rq, const char *text, web_response *rs)
{
	static const char *const none[] = { NULL };
	phsg_ledger *l = NULL;
	json_t *doc = NULL;
	long long id;
	char *end;
	int rc;

	if (web_params_check(rq, none, NULL, 1, rs))
		return;
	errno = 0;
	id = strtoll(text, &end, 10);
	if (!*text || *end || *text < '0' || *text > '9' || id <= 0 || errno == ERANGE) {
		web_json_error(rs, 404, "'%.40s' is not a batch number", text);
		return;
	}
	if (open_ledger(cx, &l, rs))
		return;
	rc = cli_batch_show_json(l, id, &doc);
	phsg_ledger_close(l);
	answer(rs, rc, doc);
}

void web_api_balances(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	static const char *const allowed[] = { "as_of", NULL };
	phsg_ledger *l = NULL;
	phsg_date as_of;
	json_t *doc = NULL;
	int rc;

	if (web_params_check(rq, allowed, NULL, 1, rs) || read_as_of(rq, &as_of, rs) ||
	    open_ledger(cx, &l, rs))
		return;
	rc = cli_balances_json(l, cx->sc, as_of, &doc);
	phsg_ledger_close(l);
	answer(rs, rc, doc);
}
