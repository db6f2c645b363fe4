/*
 * pages.c - the HTML pages of phsg serve: the broker's form (GET /), the
 * quote it submits to (GET /quote), and the finance page (GET /finance).
 *
 * The pages are made on the server and work without JavaScript (the
 * Content-Security-Policy forbids scripts anyway): the form is an ordinary
 * GET form whose fields are the parameters of /api/quote, so a quote's
 * address can be bookmarked, shared or sent to the API as it is.  Every
 * piece of text that did not come from this file - the scheme's names, the
 * request's own values, the library's messages - goes through
 * web_buf_html(), so nothing a request carries can become markup.
 *
 * The figures are the quote's own (phsg_alloc_quote); the words follow
 * `phsg quote`'s text output, with the explanation's steps as a list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_out.h"
#include "web.h"

static const char style[] =
	"<style>\n"
	"body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#0b0c0c;"
	"background:#f3f2f1;margin:0}\n"
	"header{background:#1d3557;color:#fff;padding:.8rem 1.5rem}\n"
	"header h1{margin:0;font-size:1.5rem}header p{margin:.1rem 0 0;opacity:.85}\n"
	"main{max-width:58rem;margin:0 auto;padding:1rem 1.5rem 3rem}\n"
	"section,form{background:#fff;border:1px solid #b1b4b6;border-radius:4px;padding:1rem 1.5rem;"
	"margin:1rem 0}\n"
	"h2{font-size:1.3rem;margin:.2rem 0 .8rem}h3{font-size:1.1rem;margin:1.2rem 0 .4rem}\n"
	"fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:700;font-size:1.1rem;"
	"margin-bottom:.4rem}\n"
	".field{margin:.5rem 0 .9rem}label{display:block;font-weight:600}\n"
	"select,input{font:inherit;padding:.3rem .4rem;border:2px solid #0b0c0c;border-radius:2px;"
	"min-width:16rem;max-width:100%;background:#fff}\n"
	".hint{color:#505a5f;font-size:.9rem;margin:.1rem 0 .3rem}\n"
	".needs{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:0 1.5rem}\n"
	"button{font:inherit;font-weight:700;background:#00703c;color:#fff;border:0;"
	"border-bottom:2px solid #002d18;padding:.5rem 1.2rem;border-radius:2px;cursor:pointer}\n"
	".total{font-size:1.25rem;background:#e8f1f8;border-left:6px solid #1d70b8;padding:.6rem 1rem;"
	"margin:.5rem 0 1rem}\n"
	".total strong{font-size:1.6rem}\n"
	"table{border-collapse:collapse;width:100%;margin:.3rem 0}\n"
	"th,td{text-align:left;padding:.35rem .6rem .35rem 0;border-bottom:1px solid #b1b4b6;"
	"vertical-align:top}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"table.figures th{width:14rem;font-weight:600}\n"
	"ol.steps li{margin:.25rem 0}\n"
	".error{border:4px solid #d4351c;background:#fff;padding:.8rem 1rem;margin:1rem 0}\n"
	".error h2{color:#d4351c}\n"
	".note{color:#505a5f;font-size:.9rem}\n"
	"a{color:#1d70b8}\n"
	"</style>\n";

static void page_start(web_buf *b, const char *title, const char *heading, const char *sub)
{
	web_buf_add(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		    "<title>");
	web_buf_html(b, title);
	web_buf_add(b, "</title>\n");
	web_buf_add(b, style);
	web_buf_add(b, "</head>\n<body>\n<header><h1>");
	web_buf_html(b, heading);
	web_buf_add(b, "</h1><p>");
	web_buf_html(b, sub);
	web_buf_add(b, "</p></header>\n<main>\n");
}

static void page_end(web_buf *b, web_response *rs, int status)
{
	web_buf_add(b, "</main>\n</body>\n</html>\n");
	rs->status = status;
	rs->type = "text/html; charset=utf-8";
}

void web_page_error(web_response *rs, int status, const char *title, const char *message)
{
	rs->body.len = 0;
	page_start(&rs->body, title, "phsg", title);
	web_buf_add(&rs->body, "<div class=\"error\" role=\"alert\"><h2>");
	web_buf_html(&rs->body, title);
	web_buf_add(&rs->body, "</h2><p>");
	web_buf_html(&rs->body, message);
	web_buf_add(&rs->body, "</p><p><a href=\"/\">Back to the quote form</a></p></div>\n");
	page_end(&rs->body, rs, status);
}

/* ---- the form ---- */

/* Is `value` among the request's values of `key`? */
static int chosen(const web_request *rq, const char *key, const char *value)
{
	for (size_t i = 0; rq && i < rq->n_params; i++)
		if (!strcmp(rq->params[i].key, key) && !strcmp(rq->params[i].value, value))
			return 1;
	return 0;
}

static void option(web_buf *b, const web_request *rq, const char *key, const char *value,
		   const char *label)
{
	web_buf_add(b, "<option value=\"");
	web_buf_html(b, value);
	web_buf_add(b, chosen(rq, key, value) && *value ? "\" selected>" : "\">");
	web_buf_html(b, label);
	web_buf_add(b, "</option>");
}

/* "Supported Living" and "Resettlement" -> "Supported Living, Resettlement" */
static void package_names(web_buf *b, const phsg_scheme *sc, int (*takes)(const phsg_package *, size_t),
			  size_t arg)
{
	int first = 1;

	for (size_t i = 0; i < sc->n_packages; i++) {
		if (!takes(&sc->packages[i], arg))
			continue;
		if (!first)
			web_buf_add(b, ", ");
		web_buf_html(b, sc->packages[i].name);
		first = 0;
	}
}

static int has_levels(const phsg_package *p, size_t unused)
{
	(void)unused;
	return p->n_levels > 0;
}

static int has_tiers(const phsg_package *p, size_t unused)
{
	(void)unused;
	return p->n_tiers > 0;
}

static int has_hours(const phsg_package *p, size_t unused)
{
	(void)unused;
	return phsg_scheme_package_component_of_kind(p, PHSG_COMP_HOURS) != NULL;
}

static int has_iv(const phsg_package *p, size_t iv)
{
	return phsg_scheme_package_has_intervention(p, iv);
}

static void tier_select(web_buf *b, const web_request *rq, const phsg_scheme *sc, const char *name,
			const char *label, const char *hint)
{
	char num[16], text[2 * PHSG_NUM_BUF + 200];

	web_buf_printf(b, "<div class=\"field\"><label for=\"%s\">%s</label><p class=\"hint\">%s</p>"
		       "<select id=\"%s\" name=\"%s\">", name, label, hint, name, name);
	option(b, rq, name, "", "No tier");
	for (size_t i = 0; i < sc->n_packages; i++) {
		const phsg_package *p = &sc->packages[i];
		for (size_t t = 0; t < p->n_tiers; t++) {
			char money[2 * PHSG_NUM_BUF];
			snprintf(num, sizeof(num), "%d", p->tiers[t].tier);
			snprintf(text, sizeof(text), "%d* %s (%s a week)", p->tiers[t].tier,
				 p->tiers[t].name, cli_money_pretty(money, sc, p->tiers[t].weekly));
			option(b, rq, name, num, text);
		}
		if (p->n_tiers)
			break; /* one tiered package's names; the numbers are what counts */
	}
	web_buf_add(b, "</select></div>\n");
}

static void form(web_buf *b, const web_ctx *cx, const web_request *rq)
{
	const phsg_scheme *sc = cx->sc;
	const char *v;
	char buf[PHSG_DATE_BUF];
	int max_level = 0, any_tiers = 0, any_hours = 0;

	for (size_t i = 0; i < sc->n_packages; i++) {
		for (size_t k = 0; k < sc->packages[i].n_levels; k++)
			if (sc->packages[i].levels[k].level > max_level)
				max_level = sc->packages[i].levels[k].level;
		any_tiers |= has_tiers(&sc->packages[i], 0);
		any_hours |= has_hours(&sc->packages[i], 0);
	}
	web_buf_add(b, "<form method=\"get\" action=\"/quote\">\n<h2>The assessment</h2>\n"
		    "<fieldset><legend>Package</legend>\n<div class=\"field\"><label for=\"package\">"
		    "Package</label><select id=\"package\" name=\"package\" required>");
	option(b, rq, "package", "", "Choose a package");
	for (size_t i = 0; i < sc->n_packages; i++)
		option(b, rq, "package", sc->packages[i].id, sc->packages[i].name);
	web_buf_add(b, "</select></div>\n");
	if (max_level) {
		web_buf_add(b, "<div class=\"field\"><label for=\"level\">Level</label><p class=\"hint\">"
			    "Only for ");
		package_names(b, sc, has_levels, 0);
		web_buf_add(b, "</p><select id=\"level\" name=\"level\">");
		option(b, rq, "level", "", "No level");
		for (int l = 1; l <= max_level; l++) {
			char num[16], text[32];
			snprintf(num, sizeof(num), "%d", l);
			snprintf(text, sizeof(text), "Level %d", l);
			option(b, rq, "level", num, text);
		}
		web_buf_add(b, "</select></div>\n");
	}
	if (any_tiers) {
		web_buf tiers = { 0 };
		web_buf_add(&tiers, "Only for ");
		package_names(&tiers, sc, has_tiers, 0);
		tier_select(b, rq, sc, "tier", "Assessed tier", tiers.s);
		tier_select(b, rq, sc, "chosen-tier", "Chosen tier",
			    "If the person chooses a higher tier, they pay the difference");
		free(tiers.s);
	}
	if (any_hours) {
		web_buf_add(b, "<div class=\"field\"><label for=\"hours\">Flexible support hours a week"
			    "</label><p class=\"hint\">Only for ");
		package_names(b, sc, has_hours, 0);
		web_buf_add(b, "; for example 5 or 7.5</p><input id=\"hours\" name=\"hours\" "
			    "inputmode=\"decimal\" maxlength=\"20\" value=\"");
		if ((v = web_param_get(rq, "hours", NULL)))
			web_buf_html(b, v);
		web_buf_add(b, "\"></div>\n");
	}
	web_buf_add(b, "</fieldset>\n");
	if (sc->n_interventions) {
		web_buf_add(b, "<fieldset><legend>Assessed need for each intervention</legend>\n"
			    "<div class=\"needs\">\n");
		for (size_t i = 0; i < sc->n_interventions; i++) {
			const phsg_intervention *iv = &sc->interventions[i];
			web_buf_printf(b, "<div class=\"field\"><label for=\"need-%zu\">", i);
			web_buf_html(b, iv->name);
			web_buf_add(b, "</label><p class=\"hint\">");
			package_names(b, sc, has_iv, i);
			web_buf_printf(b, "</p><select id=\"need-%zu\" name=\"need\">", i);
			option(b, rq, "need", "", "Not assessed");
			for (int n = 0; n < PHSG_NEED_COUNT; n++) {
				char value[200], label[PHSG_NUM_BUF + 64], hours[PHSG_NUM_BUF];
				const char *name = phsg_scheme_need_name((phsg_need)n);
				cli_check_format(phsg_money_format(hours, sizeof(hours), iv->hours[n], 0));
				snprintf(value, sizeof(value), "%s=%s", iv->id, name);
				snprintf(label, sizeof(label), "%c%s (%s hours a week)", name[0] - 32, name + 1,
					 hours);
				option(b, rq, "need", value, label);
			}
			web_buf_add(b, "</select></div>\n");
		}
		web_buf_add(b, "</div></fieldset>\n");
	}
	web_buf_add(b, "<fieldset><legend>Start</legend><div class=\"field\"><label for=\"start\">"
		    "Start date</label><p class=\"hint\">The first day of the award</p>"
		    "<input id=\"start\" name=\"start\" type=\"date\" value=\"");
	if ((v = web_param_get(rq, "start", NULL)) && *v) {
		web_buf_html(b, v);
	} else {
		phsg_date_format(buf, cli_today());
		web_buf_add(b, buf);
	}
	web_buf_add(b, "\" required></div></fieldset>\n"
		    "<button type=\"submit\">Work out the budget</button>\n</form>\n");
}

static void form_page_start(web_buf *b, const web_ctx *cx)
{
	char title[300];

	snprintf(title, sizeof(title), "%s: indicative budget", cx->sc->name);
	page_start(b, title, cx->sc->name, "An indicative personal housing support budget, with "
		   "every step of how it was worked out");
}

void web_page_form(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	static const char *const none[] = { NULL };

	if (web_params_check(rq, none, NULL, 0, rs))
		return;
	form_page_start(&rs->body, cx);
	form(&rs->body, cx, NULL);
	page_end(&rs->body, rs, 200);
}

/* ---- the quote ---- */

static void row(web_buf *b, const char *th, const char *id, const char *td)
{
	web_buf_add(b, "<tr><th scope=\"row\">");
	web_buf_html(b, th);
	web_buf_add(b, "</th><td");
	if (id)
		web_buf_printf(b, " id=\"%s\"", id);
	web_buf_add(b, ">");
	web_buf_html(b, td);
	web_buf_add(b, "</td></tr>\n");
}

static void quote_html(web_buf *b, const phsg_scheme *sc, const phsg_quote *q)
{
	char m[2 * PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], line[4 * PHSG_NUM_BUF + 200];

	web_buf_add(b, "<section aria-labelledby=\"result\">\n<h2 id=\"result\">Indicative budget: ");
	web_buf_html(b, q->package->name);
	if (q->term->level)
		web_buf_printf(b, ", level %d", q->term->level);
	web_buf_add(b, "</h2>\n");
	phsg_date_format(d1, q->start);
	phsg_date_format(d2, q->end - 1);
	cli_check_format(phsg_money_pretty_pence(m, sizeof(m), q->award_total_pence));
	web_buf_add(b, "<p class=\"total\">Award total <strong id=\"award-total\">");
	web_buf_html(b, m);
	web_buf_printf(b, "</strong> for %s to %s</p>\n<table class=\"figures\">\n", d1, d2);
	snprintf(line, sizeof(line), "%s (%s)", q->package->name, q->package->id);
	row(b, "Package", "package", line);
	if (phsg_scheme_package_component_of_kind(q->package, PHSG_COMP_RAS) ||
	    phsg_scheme_package_component_of_kind(q->package, PHSG_COMP_HOURS)) {
		cli_check_format(phsg_money_format(m, sizeof(m), q->weekly_hours, 0));
		row(b, "Weekly hours", "weekly-hours", m);
	}
	row(b, "Weekly amount", "weekly-amount", cli_money_pretty(m, sc, q->weekly));
	row(b, "4-weekly cycle", "cycle-amount", cli_money_pretty(m, sc, q->cycle));
	snprintf(line, sizeof(line), "%s to %s (%d months)", d1, d2, q->term->period_months);
	row(b, "Award period", "award-period", line);
	if (q->unlimited) {
		row(b, "Extendable to", "extendable-to", "unlimited");
	} else if (q->term->extendable_months <= q->term->period_months) {
		row(b, "Extendable to", "extendable-to", "not extendable");
	} else {
		phsg_date_format(d1, q->extendable_to - 1);
		cli_check_format(phsg_money_pretty_pence(m, sizeof(m), q->max_total_pence));
		snprintf(line, sizeof(line), "%s (total %s)", d1, m);
		row(b, "Extendable to", "extendable-to", line);
	}
	if (mpq_sgn(q->contribution_weekly) > 0) {
		snprintf(line, sizeof(line), "%s a week (tier upgrade)",
			 cli_money_pretty(m, sc, q->contribution_weekly));
		row(b, "Person pays", "person-pays", line);
	}
	web_buf_add(b, "</table>\n");
	if (q->n_components > 1 || q->components[0].component->payee) {
		web_buf_add(b, "<h3>Components</h3>\n<table>\n<tr><th scope=\"col\">Component</th>"
			    "<th scope=\"col\" class=\"num\">A week</th><th scope=\"col\" class=\"num\">"
			    "Over the award</th><th scope=\"col\">Paid to</th></tr>\n");
		for (size_t i = 0; i < q->n_components; i++) {
			const phsg_quote_component *c = &q->components[i];
			web_buf_add(b, "<tr><td>");
			web_buf_html(b, c->component->id);
			web_buf_add(b, "</td><td class=\"num\">");
			web_buf_html(b, cli_money_pretty(m, sc, c->weekly));
			web_buf_add(b, "</td><td class=\"num\">");
			cli_check_format(phsg_money_pretty_pence(m, sizeof(m), c->total_pence));
			web_buf_html(b, m);
			web_buf_add(b, "</td><td>");
			web_buf_html(b, c->component->payee ? c->component->payee : "the award's payee");
			web_buf_add(b, "</td></tr>\n");
		}
		web_buf_add(b, "</table>\n");
	}
	web_buf_add(b, "<h3>How this was worked out</h3>\n<ol class=\"steps\" id=\"explanation\">\n");
	for (size_t i = 0; i < q->n_explanation; i++) {
		web_buf_add(b, "<li>");
		web_buf_html(b, q->explanation[i]);
		web_buf_add(b, "</li>\n");
	}
	web_buf_add(b, "</ol>\n<p class=\"note\">An indicative budget: the award itself is worked "
		    "out again, to the day, when it is made.  This page's address is the quote: "
		    "bookmark or share it.</p>\n</section>\n");
}

void web_page_quote(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	static const char *const params[] = { "package", "level", "tier", "chosen-tier",
		"chosen_tier", "hours", "need", "start", NULL };
	static const char *const repeat[] = { "need", NULL };
	web_quote_args qa;
	phsg_assessment a;
	phsg_quote *q = NULL;
	int rc, status = 200;

	if (web_params_check(rq, params, repeat, 0, rs))
		return;
	memset(&a, 0, sizeof(a));
	form_page_start(&rs->body, cx);
	if ((rc = web_quote_args_read(rq, &qa)) == 0) {
		rc = cli_assessment_from_opts(cx->sc, &qa.o, &a);
		if (rc == 0)
			rc = phsg_alloc_quote(&q, cx->sc, &a, qa.start);
		phsg_alloc_assessment_release(&a);
	}
	if (rc) {
		status = web_status_for(rc);
		web_buf_add(&rs->body, "<div class=\"error\" role=\"alert\" id=\"error\"><h2>");
		web_buf_add(&rs->body, status == 422 ? "The scheme's rules do not allow this" :
			    "This quote cannot be worked out");
		web_buf_add(&rs->body, "</h2><p>");
		web_buf_html(&rs->body, phsg_error_last());
		web_buf_add(&rs->body, "</p></div>\n");
	} else {
		quote_html(&rs->body, cx->sc, q);
	}
	phsg_alloc_quote_free(q);
	if (cli_format_failed()) {
		web_page_error(rs, 500, "A figure could not be written",
			       "See the server's log.");
		return;
	}
	form(&rs->body, cx, rq);
	page_end(&rs->body, rs, status);
}

/* ---- the finance page ---- */

static const char *S(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static void money_cell(web_buf *b, const char *plain)
{
	char m[PHSG_NUM_BUF];

	web_buf_add(b, "<td class=\"num\">");
	web_buf_html(b, cli_pretty_plain(m, plain));
	web_buf_add(b, "</td>");
}

void web_page_finance(const web_ctx *cx, const web_request *rq, web_response *rs)
{
	static const char *const allowed[] = { "as_of", NULL };
	phsg_ledger *l = NULL;
	json_t *batches = NULL, *bal = NULL, *v;
	phsg_date as_of = cli_today();
	const char *p;
	char d[PHSG_DATE_BUF], title[300];
	size_t i;
	int rc;

	if (web_params_check(rq, allowed, NULL, 0, rs))
		return;
	if ((p = web_param_get(rq, "as_of", NULL)) && *p && phsg_date_parse(&as_of, p)) {
		web_page_error(rs, 400, "Bad request", phsg_error_last());
		return;
	}
	if ((rc = phsg_ledger_open(&l, cx->g->ledger_path, cx->g->operator_name,
				   PHSG_LEDGER_READONLY)) ||
	    (rc = cli_batch_list_json(l, &batches)) ||
	    (rc = cli_balances_json(l, cx->sc, as_of, &bal))) {
		phsg_ledger_close(l);
		json_decref(batches);
		web_page_error(rs, web_status_for(rc), "The ledger cannot be read", phsg_error_last());
		return;
	}
	phsg_ledger_close(l);
	phsg_date_format(d, as_of);
	snprintf(title, sizeof(title), "%s: finance", cx->sc->name);
	page_start(&rs->body, title, title, "Payment batches and balances, read-only");
	web_buf_add(&rs->body, "<form method=\"get\" action=\"/finance\"><label for=\"as_of\">Balances "
		    "as of</label><input id=\"as_of\" name=\"as_of\" type=\"date\" value=\"");
	web_buf_add(&rs->body, d);
	web_buf_add(&rs->body, "\"> <button type=\"submit\">Show</button></form>\n");

	web_buf_add(&rs->body, "<section><h2>Payment batches</h2>\n");
	if (json_array_size(json_object_get(batches, "batches")) == 0) {
		web_buf_add(&rs->body, "<p>No batches yet.</p>\n");
	} else {
		web_buf_add(&rs->body, "<table id=\"batches\">\n<tr><th scope=\"col\">Batch</th>"
			    "<th scope=\"col\">Run on</th><th scope=\"col\">Status</th>"
			    "<th scope=\"col\" class=\"num\">Payments</th>"
			    "<th scope=\"col\" class=\"num\">Total</th></tr>\n");
		json_array_foreach(json_object_get(batches, "batches"), i, v) {
			long long id = json_integer_value(json_object_get(v, "batch"));
			web_buf_printf(&rs->body, "<tr><td><a href=\"/api/batches/%lld\">%lld</a></td><td>",
				       id, id);
			web_buf_html(&rs->body, S(v, "date"));
			web_buf_add(&rs->body, "</td><td>");
			web_buf_html(&rs->body, S(v, "status"));
			web_buf_printf(&rs->body, "</td><td class=\"num\">%lld</td>",
				       json_integer_value(json_object_get(v, "payments")));
			money_cell(&rs->body, S(v, "total"));
			web_buf_add(&rs->body, "</tr>\n");
		}
		web_buf_add(&rs->body, "</table>\n");
	}
	web_buf_add(&rs->body, "</section>\n<section><h2>Balances as of ");
	web_buf_add(&rs->body, d);
	web_buf_add(&rs->body, "</h2>\n<p class=\"note\">Entitlement accrued through that day, "
		    "payments due by it (net of money received back), and the difference.</p>\n");
	if (json_array_size(json_object_get(bal, "awards")) == 0) {
		web_buf_add(&rs->body, "<p>No awards.</p>\n");
	} else {
		web_buf_add(&rs->body, "<table id=\"balances\">\n<tr><th scope=\"col\">Award</th>"
			    "<th scope=\"col\">Client</th><th scope=\"col\">Package</th>"
			    "<th scope=\"col\" class=\"num\">Entitled</th>"
			    "<th scope=\"col\" class=\"num\">Paid</th>"
			    "<th scope=\"col\" class=\"num\">Balance</th></tr>\n");
		json_array_foreach(json_object_get(bal, "awards"), i, v) {
			web_buf_add(&rs->body, "<tr><td><a href=\"/api/awards/");
			web_buf_html(&rs->body, S(v, "award"));
			web_buf_printf(&rs->body, "?as_of=%s\">", d);
			web_buf_html(&rs->body, S(v, "award"));
			web_buf_add(&rs->body, "</a></td><td>");
			web_buf_html(&rs->body, S(v, "client"));
			web_buf_add(&rs->body, "</td><td>");
			web_buf_html(&rs->body, S(v, "package"));
			web_buf_add(&rs->body, "</td>");
			money_cell(&rs->body, S(v, "entitled"));
			money_cell(&rs->body, S(v, "paid"));
			money_cell(&rs->body, S(v, "balance"));
			web_buf_add(&rs->body, "</tr>\n");
		}
		web_buf_add(&rs->body, "<tr><th scope=\"row\" colspan=\"3\">Total</th>");
		money_cell(&rs->body, S(bal, "entitled"));
		money_cell(&rs->body, S(bal, "paid"));
		money_cell(&rs->body, S(bal, "balance"));
		web_buf_add(&rs->body, "</tr>\n</table>\n");
	}
	web_buf_add(&rs->body, "</section>\n");
	json_decref(batches);
	json_decref(bal);
	if (cli_format_failed()) {
		web_page_error(rs, 500, "A figure could not be written", "See the server's log.");
		return;
	}
	page_end(&rs->body, rs, 200);
}
