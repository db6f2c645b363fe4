/*
 * ledger_award.c - awards on the ledger: created, changed and cancelled
 * by the rules, for every command that records one (award create, change,
 * cancel, import) and every program built on the library.
 *
 * An award is its events.  Each new event is applied to the award as it
 * stands and checked against the scheme's rules before it is recorded:
 * payees exist and suit the method, the period is covered by rates, an
 * extension follows a review where the scheme asks for one, no second
 * award of a package overlaps a client's first unless allowed.  The data
 * recorded is canonical JSON (compact, sorted keys), so an event replays
 * the same whatever wrote it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/text.h"
#include "phsg/plan.h"
#include "phsg/ledger.h"
#include "award_json.h"

/* "KEY=VALUE" into obj[KEY] = VALUE; PHSG_EINVAL when it is not `what` or KEY is repeated. */
static int json_put_pair(json_t *obj, const char *spec, const char *what)
{
	const char *value;
	char key[128];
	int rc;

	if ((rc = phsg_text_split_pair(key, sizeof(key), &value, spec, what)))
		return rc;
	if (json_object_get(obj, key))
		return phsg_error_set(PHSG_EINVAL, "'%s' is given twice", key);
	json_object_set_new(obj, key, json_string(value));
	return 0;
}

/* The payee must exist, and be a card for card payments and a bank account otherwise. */
static int check_payee(phsg_ledger *l, const char *ref, int method)
{
	phsg_payee p;
	int rc = phsg_ledger_payee_get(&p, l, ref);

	if (rc)
		return rc;
	if (method == PHSG_METHOD_CARD && !p.is_card)
		rc = phsg_error_set(PHSG_EINVAL, "payee '%s' has no card: card payments need a card payee", ref);
	else if (method != PHSG_METHOD_CARD && p.is_card)
		rc = phsg_error_set(PHSG_EINVAL, "payee '%s' is a card: pay it with --method card", ref);
	phsg_ledger_payee_release(&p);
	return rc;
}

/*
 * SPEC section 11: a caseload the council's previous system had already
 * paid.  Each component's entitlement accrued before `paid_to`, rounded
 * once, is one `opening` posting due the day before, to the payee then: it
 * counts as paid, belongs to no batch, and goes in no bank file.
 */
static int post_opening(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw,
			phsg_date paid_to)
{
	const phsg_calendar *cal = &sc->calendar;
	long k = phsg_payrule_cycle_of(cal, paid_to - 1);
	int rc = 0;

	for (size_t c = 0; c < aw->package->n_components && rc == 0; c++) {
		phsg_posting ps = { 0 };
		if ((rc = phsg_payrule_entitled_pence(&ps.amount, sc, aw, (int)c, paid_to)) || ps.amount <= 0)
			continue;
		ps.comp = (int)c;
		ps.kind = PHSG_POST_OPENING;
		ps.cycle = k;
		ps.cycle_start = phsg_payrule_cycle_start(cal, k);
		ps.cycle_end = ps.cycle_start + PHSG_CYCLE_DAYS;
		ps.due = paid_to - 1;
		ps.payee = phsg_award_payee(aw, (int)c, ps.due, &ps.method);
		rc = phsg_ledger_posting_add(l, 0, aw, &ps);
	}
	return rc;
}

/*
 * SPEC section 10: no second award of the same package for a client whose
 * period [start, current end) overlaps the new one's, unless allowed.
 */
static int check_overlap(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *nw)
{
	long long *ids = NULL;
	size_t n = 0;
	int rc;

	if ((rc = phsg_ledger_client_awards(&ids, &n, l, nw->client, nw->package->id)))
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		phsg_award old;
		char s1[PHSG_DATE_BUF], s2[PHSG_DATE_BUF];
		if ((rc = phsg_ledger_award_load(&old, l, sc, ids[i])) == 0 &&
		    old.start < nw->end && nw->start < old.end) {
			phsg_date_format(s1, old.start);
			phsg_date_format(s2, old.end - 1);
			rc = phsg_error_set(PHSG_ERULE, "client %s already has award %s of package '%s' "
					    "(%s to %s), which overlaps this one: give --allow-overlap "
					    "(CSV column allow_overlap = yes) if both are meant",
					    nw->client, old.ref, nw->package->id, s1, s2);
		}
		phsg_award_release(&old);
	}
	free(ids);
	return rc;
}

int phsg_ledger_award_create(char **ref, phsg_ledger *l, const phsg_scheme *sc,
			     const phsg_award_request *n)
{
	json_t *data = json_object(), *needs = json_object(), *cp = json_object();
	phsg_award aw;
	long long id = 0;
	char *text = NULL;
	int rc = 0, method = 0;

	memset(&aw, 0, sizeof(aw));
	*ref = NULL;
	if (n->version != PHSG_AWARD_REQUEST_VERSION) {
		rc = phsg_error_set(PHSG_EINVAL, "an award request of version %u, not %d",
				    n->version, PHSG_AWARD_REQUEST_VERSION);
		goto cleanup;
	}
	if (!n->client || !*n->client || !n->package || !n->method || !n->payee) {
		rc = phsg_error_set(PHSG_EINVAL, "a new award needs a client, a package, a method and a payee");
		goto cleanup;
	}
	for (int i = 0; i < n->n_needs && rc == 0; i++)
		rc = json_put_pair(needs, n->needs[i], "INTERVENTION=LEVEL");
	for (int i = 0; i < n->n_cpayees && rc == 0; i++)
		rc = json_put_pair(cp, n->cpayees[i], "COMPONENT=REF");
	if (rc)
		goto cleanup;
	json_object_set_new(data, "package", json_string(n->package));
	json_object_set_new(data, "level", n->level ? json_integer(n->level) : json_null());
	json_object_set_new(data, "tier", n->tier ? json_integer(n->tier) : json_null());
	json_object_set_new(data, "chosen_tier", n->chosen_tier ? json_integer(n->chosen_tier) : json_null());
	json_object_set_new(data, "hours", n->hours ? json_string(n->hours) : json_null());
	json_object_set(data, "needs", needs);
	json_object_set_new(data, "method", json_string(n->method));
	json_object_set_new(data, "payee", json_string(n->payee));
	json_object_set(data, "component_payees", cp);
	if (n->social_care)
		json_object_set_new(data, "social_care", json_true());

	phsg_award_init(&aw, 0, "new award", n->client);
	if ((rc = phsg_award_apply_json(&aw, sc, "create", n->start, data)) ||
	    (rc = phsg_scheme_method_parse(&method, n->method)) ||
	    (rc = check_payee(l, n->payee, method)))
		goto cleanup;
	for (size_t c = 0; c < aw.package->n_components && rc == 0; c++) {
		const char *fixed = aw.package->components[c].payee;
		const char *over = aw.component_payees[c];
		phsg_payee fp;
		if (fixed && (rc = phsg_ledger_payee_get(&fp, l, fixed)) != 0)
			rc = phsg_error_set(rc, "component '%s' is paid to '%s', fixed by the scheme, "
					    "but there is no such payee: add it with phsg payee add",
					    aw.package->components[c].id, fixed);
		else if (fixed)
			phsg_ledger_payee_release(&fp);
		if (rc == 0 && over)
			rc = check_payee(l, over, PHSG_METHOD_PROVIDER);
	}
	if (rc)
		goto cleanup;
	if (n->extended_months) {
		json_t *ext = json_object();
		json_object_set_new(ext, "months", json_integer(n->extended_months));
		rc = phsg_award_apply_json(&aw, sc, "extend", aw.end, ext);
		json_decref(ext);
		if (rc)
			goto cleanup;
	}
	if (n->end) {
		json_t *none = json_object();
		rc = phsg_award_apply_json(&aw, sc, "end", n->end, none);
		json_decref(none);
		if (rc)
			goto cleanup;
	}
	if (n->paid_to && n->paid_to > aw.end) {
		char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
		phsg_date_format(d1, n->paid_to);
		phsg_date_format(d2, aw.end - 1);
		rc = phsg_error_set(PHSG_EINVAL, "paid_to %s is after the award's last day, %s", d1, d2);
		goto cleanup;
	}
	if ((rc = phsg_award_check_covered(sc, &aw)) ||
	    (!n->allow_overlap && (rc = check_overlap(l, sc, &aw))))
		goto cleanup;
	text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	if ((rc = phsg_ledger_award_add(&id, ref, l, n->client, n->package)) ||
	    (rc = phsg_ledger_event_add(l, id, "create", n->start, text)))
		goto cleanup;
	if (n->extended_months) {
		char months[48];
		snprintf(months, sizeof(months), "{\"months\":%d}", n->extended_months);
		phsg_date ext_from;
		if ((rc = phsg_date_add_months_checked(&ext_from, n->start,
						       aw.total_months - n->extended_months)) ||
		    (rc = phsg_ledger_event_add(l, id, "extend", ext_from, months)))
			goto cleanup;
	}
	if (n->end && (rc = phsg_ledger_event_add(l, id, "end", n->end, "{}")))
		goto cleanup;
	if (n->paid_to > aw.start) {
		aw.id = id;
		free(aw.ref);
		if (!(aw.ref = strdup(*ref)))
			abort();
		if ((rc = post_opening(l, sc, &aw, n->paid_to)))
			goto cleanup;
	}
cleanup:
	if (rc) {
		free(*ref);
		*ref = NULL;
	}
	free(text);
	json_decref(needs);
	json_decref(cp);
	json_decref(data);
	phsg_award_release(&aw);
	return rc;
}

/* The award's events, for replay and cancellation (rows freed by the caller). */
static int load_events(phsg_ledger *l, long long id, phsg_event_row **rows, size_t *n,
		       phsg_award_event **ev)
{
	int rc = phsg_ledger_award_events(rows, n, l, id);

	*ev = NULL;
	if (rc)
		return rc;
	*ev = malloc((*n ? *n : 1) * sizeof(**ev));
	if (!*ev)
		abort();
	for (size_t i = 0; i < *n; i++) {
		(*ev)[i].kind = (*rows)[i].kind;
		(*ev)[i].effective = (*rows)[i].effective;
		(*ev)[i].data = (*rows)[i].data;
	}
	return 0;
}

/*
 * SPEC section 13: with extend_needs_review_days, an award is extended only
 * after a review within that many days before its current end.
 */
static int check_reviewed(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw)
{
	int days = sc->outcomes.extend_needs_review_days, found = 0, rc;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	phsg_plan p;

	if (!days)
		return 0;
	if ((rc = phsg_ledger_plan_load(&p, l, aw->id)))
		return rc;
	for (size_t i = 0; i < p.n_reviews; i++)
		found |= p.reviews[i] >= aw->end - days && p.reviews[i] <= aw->end;
	phsg_plan_release(&p);
	if (found)
		return 0;
	phsg_date_format(d1, aw->end - days);
	phsg_date_format(d2, aw->end - 1);
	return phsg_error_set(PHSG_ERULE, "award %s is extended only after a review within %d days "
			      "before its end: none is recorded from %s to %s (phsg review)", aw->ref,
			      days, d1, d2);
}

int phsg_ledger_award_change(phsg_award *before, phsg_award *after, phsg_ledger *l,
			     const phsg_scheme *sc, const char *ref, const char *kind,
			     phsg_date effective, const char *data_text)
{
	json_t *data = NULL;
	long long id = 0;
	char *text = NULL;
	int rc, months;

	memset(after, 0, sizeof(*after));
	memset(before, 0, sizeof(*before));
	data = data_text ? json_loads(data_text, 0, NULL) : json_object();
	if (!json_is_object(data)) {
		rc = phsg_error_set(PHSG_EINVAL, "the %s event's data is not a JSON object", kind);
		goto cleanup;
	}
	if ((rc = phsg_ledger_award_lookup(&id, l, ref)) ||
	    (rc = phsg_ledger_award_load(after, l, sc, id)) ||
	    (rc = phsg_ledger_award_load(before, l, sc, id)))
		goto cleanup;
	if (strcmp(kind, "extend") == 0)
		effective = after->end;
	if ((rc = phsg_award_check_new(after, kind, effective)) ||
	    (rc = phsg_award_apply_json(after, sc, kind, effective, data)))
		goto cleanup;
	if (strcmp(kind, "extend") == 0 && ((rc = phsg_award_check_covered(sc, after)) ||
					    (rc = check_reviewed(l, sc, before))))
		goto cleanup;
	months = after->total_months - before->total_months;
	if (strcmp(kind, "extend") == 0)
		/* record the months actually granted, so replay never depends on defaults */
		json_object_set_new(data, "months", json_integer(months));
	if (strcmp(kind, "change-payee") == 0) {
		int m = 0;
		phsg_scheme_method_parse(&m, json_string_value(json_object_get(data, "method")));
		if ((rc = check_payee(l, json_string_value(json_object_get(data, "payee")), m)))
			goto cleanup;
	}
	if (!(text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = phsg_error_set(PHSG_EINVAL, "the change is not valid UTF-8 text");
		goto cleanup;
	}
	rc = phsg_ledger_event_add(l, id, kind, effective, text);
cleanup:
	free(text);
	json_decref(data);
	return rc;
}

int phsg_ledger_award_cancel(char **kind, phsg_ledger *l, const phsg_scheme *sc, const char *ref,
			     size_t number, const char *reason, phsg_date today)
{
	phsg_award aw;
	phsg_event_row *rows = NULL;
	phsg_award_event *ev = NULL;
	size_t n = 0;
	long long id = 0;
	json_t *data = NULL;
	char *text = NULL;
	int rc;

	*kind = NULL;
	memset(&aw, 0, sizeof(aw));
	if (!reason || !*reason)
		return phsg_error_set(PHSG_EINVAL, "a cancellation needs a reason");
	if ((rc = phsg_text_check_name("the reason", reason, PHSG_TEXT_MAX)) ||
	    (rc = phsg_ledger_award_lookup(&id, l, ref)) ||
	    (rc = phsg_ledger_award_load(&aw, l, sc, id)) ||
	    (rc = load_events(l, id, &rows, &n, &ev)) ||
	    (rc = phsg_award_check_cancel(&aw, sc, ev, n, number)))
		goto cleanup;
	data = json_object();
	json_object_set_new(data, "event", json_integer((json_int_t)number));
	json_object_set_new(data, "reason", json_string(reason));
	if (!(text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = phsg_error_set(PHSG_EINVAL, "the reason is not valid UTF-8 text");
		goto cleanup;
	}
	if ((rc = phsg_ledger_event_add(l, id, "cancel", today, text)))
		goto cleanup;
	if (!(*kind = strdup(rows[number - 1].kind)))
		abort();
cleanup:
	free(text);
	json_decref(data);
	free(ev);
	phsg_ledger_event_rows_free(rows, n);
	phsg_award_release(&aw);
	return rc;
}
