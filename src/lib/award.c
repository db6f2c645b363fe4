/*
 * award.c - rebuilding an award from its events, and what it accrues.
 *
 * Event data (JSON objects, as stored on the ledger):
 *   create        {package, level, tier, chosen_tier, hours, needs{I: L},
 *                  method, payee, component_payees{C: REF}}  effective = start
 *   extend        {months}                                    effective = old end
 *   reassess      {needs?, tier?, chosen_tier?, hours?}       effective = from
 *   suspend       {to?}                                       effective = from
 *   resume        {}                                          effective = on
 *   end           {}                                          effective = on
 *   change-payee  {method, payee}                             effective = from
 *   cancel        {event, reason}: event N is as if never recorded
 *
 * Reassessments are date-effective like rates: each applies from its date
 * until the next later-dated one; two on the same date, the later recorded
 * wins.  Entitlement accrues by day over the award's active days: inside
 * [start, end) and outside every suspension.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/award.h"
#include "phsg/error.h"
#include "phsg/text.h"
#include "award_json.h"

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

void phsg_award_init(phsg_award *aw, long long id, const char *ref, const char *client)
{
	memset(aw, 0, sizeof(*aw));
	aw->id = id;
	aw->ref = xstrdup(ref);
	aw->client = xstrdup(client);
}

void phsg_award_release(phsg_award *aw)
{
	if (!aw)
		return;
	for (size_t i = 0; i < aw->n_assess; i++)
		phsg_alloc_assessment_release(&aw->assess[i].a);
	free(aw->assess);
	free(aw->susp);
	for (size_t i = 0; i < aw->n_payees; i++)
		free(aw->payees[i].payee);
	free(aw->payees);
	if (aw->component_payees && aw->package)
		for (size_t i = 0; i < aw->package->n_components; i++)
			free(aw->component_payees[i]);
	free(aw->component_payees);
	free(aw->ref);
	free(aw->client);
	memset(aw, 0, sizeof(*aw));
}

static void fmt_date(char buf[PHSG_DATE_BUF], phsg_date d)
{
	phsg_date_format(buf, d);
}

/* An optional whole number member; 0 when absent or null. */
static int json_int_opt(json_t *data, const char *key, int *out)
{
	json_t *v = json_object_get(data, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000)
		return phsg_error_set(PHSG_EINVAL, "'%s' must be a whole number", key);
	*out = (int)json_integer_value(v);
	return 0;
}

/*
 * Fill `a` (initialised) from the assessment keys of `data`, starting from
 * `prev` (may be NULL).  Keys absent from `data` keep their previous value.
 */
static int read_assessment(const phsg_scheme *sc, const phsg_package *pkg, int level,
			   const phsg_assessment *prev, json_t *data, phsg_assessment *a)
{
	json_t *needs = json_object_get(data, "needs"), *hours = json_object_get(data, "hours");
	const char *key;
	json_t *val;
	int rc;

	if (prev)
		phsg_alloc_assessment_copy(a, prev);
	a->package = pkg;
	a->level = prev ? prev->level : level;
	if (prev && json_object_get(data, "level")) {
		const phsg_term *term;
		int lv = 0;
		if ((rc = json_int_opt(data, "level", &lv)) ||
		    (rc = phsg_scheme_package_term(&term, pkg, lv)))
			return rc;
		a->level = lv;
	}
	if ((rc = json_int_opt(data, "tier", &a->tier)) ||
	    (rc = json_int_opt(data, "chosen_tier", &a->chosen_tier)))
		return rc;
	if (hours && !json_is_null(hours)) {
		if (!json_is_string(hours))
			return phsg_error_set(PHSG_EINVAL, "'hours' must be a decimal string");
		if ((rc = phsg_money_parse(a->hours, json_string_value(hours), 0)))
			return rc;
		a->has_hours = 1;
	}
	if (needs && !json_is_null(needs)) {
		if (!json_is_object(needs))
			return phsg_error_set(PHSG_EINVAL, "'needs' must be an object");
		for (size_t i = 0; i < a->n_needs; i++)
			a->needs[i] = PHSG_NEED_NONE;
		json_object_foreach(needs, key, val) {
			char spec[256];
			if (!json_is_string(val))
				return phsg_error_set(PHSG_EINVAL, "the need for '%s' must be a string", key);
			snprintf(spec, sizeof(spec), "%s=%s", key, json_string_value(val));
			if ((rc = phsg_alloc_assessment_set_need(a, sc, spec)))
				return rc;
		}
	}
	return phsg_alloc_assessment_validate(a, sc);
}

static int inside(const phsg_award *aw, phsg_date d, const char *what)
{
	char s[PHSG_DATE_BUF], e[PHSG_DATE_BUF], x[PHSG_DATE_BUF];

	if (d >= aw->start && d < aw->end)
		return 0;
	fmt_date(s, aw->start);
	fmt_date(e, aw->end);
	fmt_date(x, d);
	return phsg_error_set(PHSG_EINVAL,
		"%s %s is outside award %s, which runs from %s up to (not including) %s",
		what, x, aw->ref, s, e);
}

static int apply_create(phsg_award *aw, const phsg_scheme *sc, phsg_date start, json_t *data)
{
	const char *pkg_id = json_string_value(json_object_get(data, "package"));
	const char *method = json_string_value(json_object_get(data, "method"));
	const char *payee = json_string_value(json_object_get(data, "payee"));
	json_t *cp = json_object_get(data, "component_payees");
	const phsg_package *pkg;
	const phsg_term *term;
	phsg_assessment a;
	phsg_date end;
	int level = 0, m = 0, rc;

	if (aw->package)
		return phsg_error_set(PHSG_EINVAL, "award %s already exists", aw->ref);
	if (!pkg_id || !method || !payee)
		return phsg_error_set(PHSG_EINVAL, "a new award needs a package, a method and a payee");
	pkg = phsg_scheme_package(sc, pkg_id);
	if (!pkg)
		return phsg_error_set(PHSG_EINVAL, "unknown package '%s' in %s", pkg_id, sc->path);
	if ((rc = json_int_opt(data, "level", &level)) ||
	    (rc = phsg_scheme_package_term(&term, pkg, level)) ||
	    (rc = phsg_scheme_method_parse(&m, method)))
		return rc;
	if (!(sc->methods & m))
		return phsg_error_set(PHSG_EINVAL, "the scheme does not pay by '%s'", method);
	if (cp && !json_is_null(cp)) {
		const char *key;
		json_t *val;
		if (!json_is_object(cp))
			return phsg_error_set(PHSG_EINVAL, "'component_payees' must be an object");
		json_object_foreach(cp, key, val) {
			const phsg_component *c = phsg_scheme_package_component(pkg, key);
			if (!c)
				return phsg_error_set(PHSG_EINVAL,
					"package '%s' has no component '%s'", pkg->id, key);
			if (c->payee)
				return phsg_error_set(PHSG_EINVAL,
					"component '%s' is paid to '%s', fixed by the scheme", key, c->payee);
			if (!json_is_string(val))
				return phsg_error_set(PHSG_EINVAL, "the payee for '%s' must be a string", key);
		}
	}
	if ((rc = phsg_date_add_months_checked(&end, start, term->period_months)))
		return rc;
	phsg_alloc_assessment_init(&a, sc);
	if ((rc = read_assessment(sc, pkg, level, NULL, data, &a))) {
		phsg_alloc_assessment_release(&a);
		return rc;
	}
	aw->package = pkg;
	aw->level = level;
	aw->start = start;
	aw->total_months = term->period_months;
	aw->end = end;
	aw->social_care = json_is_true(json_object_get(data, "social_care"));
	aw->term_from = start;
	aw->n_assess = 1;
	aw->assess = xrealloc(NULL, sizeof(phsg_award_assessment));
	aw->assess[0].from = start;
	aw->assess[0].a = a;
	aw->n_payees = 1;
	aw->payees = xrealloc(NULL, sizeof(phsg_payee_period));
	aw->payees[0].from = start;
	aw->payees[0].method = m;
	aw->payees[0].payee = xstrdup(payee);
	aw->component_payees = xrealloc(NULL, pkg->n_components * sizeof(char *));
	for (size_t i = 0; i < pkg->n_components; i++) {
		json_t *v = cp ? json_object_get(cp, pkg->components[i].id) : NULL;
		aw->component_payees[i] = v ? xstrdup(json_string_value(v)) : NULL;
	}
	return 0;
}

static int apply_extend(phsg_award *aw, json_t *data)
{
	const phsg_term *term;
	char e[PHSG_DATE_BUF], c[PHSG_DATE_BUF];
	phsg_date end;
	int months = 0, room, rc;

	/* the period and ceiling of the level in force at the current end */
	phsg_scheme_package_term(&term, aw->package, aw->assess[aw->n_assess - 1].a.level);
	if ((rc = json_int_opt(data, "months", &months)))
		return rc;
	if (aw->closed) {
		fmt_date(e, aw->end);
		return phsg_error_set(PHSG_ERULE,
			"award %s was ended on %s and cannot be extended", aw->ref, e);
	}
	room = term->extendable_months == PHSG_UNLIMITED ? -1 :
		term->extendable_months - aw->total_months;
	if (room == 0) {
		fmt_date(c, phsg_date_add_months(aw->start, term->extendable_months));
		return phsg_error_set(PHSG_ERULE,
			"award %s has no room to extend: package '%s' can be extended up to %d months "
			"(to %s) and the award already runs %d months",
			aw->ref, aw->package->id, term->extendable_months, c, aw->total_months);
	}
	if (months == 0)
		months = room < 0 || term->period_months < room ? term->period_months : room;
	if (room > 0 && months > room) {
		fmt_date(c, phsg_date_add_months(aw->start, term->extendable_months));
		fmt_date(e, phsg_date_add_months(aw->start, aw->total_months + months));
		return phsg_error_set(PHSG_ERULE,
			"extending award %s by %d months would reach %d months (to %s), past the "
			"ceiling of package '%s': up to %d months (to %s); at most %d more month%s",
			aw->ref, months, aw->total_months + months, e, aw->package->id,
			term->extendable_months, c, room, room == 1 ? "" : "s");
	}
	if ((rc = phsg_date_add_months_checked(&end, aw->start, aw->total_months + months)))
		return rc;
	aw->total_months += months;
	aw->term_from = aw->end;
	aw->end = end;
	return 0;
}

static int apply_reassess(phsg_award *aw, const phsg_scheme *sc, phsg_date from, json_t *data)
{
	phsg_assessment a;
	size_t i;
	int rc;

	if ((rc = inside(aw, from, "the reassessment date")))
		return rc;
	/* the assessment in force on `from` is the base */
	for (i = aw->n_assess; i > 0 && aw->assess[i - 1].from > from; i--)
		;
	phsg_alloc_assessment_init(&a, sc);
	if ((rc = read_assessment(sc, aw->package, aw->level, &aw->assess[i - 1].a, data, &a))) {
		phsg_alloc_assessment_release(&a);
		return rc;
	}
	if (aw->assess[i - 1].from == from) {
		/* the same date: the later recorded replaces it */
		phsg_alloc_assessment_release(&aw->assess[i - 1].a);
		aw->assess[i - 1].a = a;
		return 0;
	}
	aw->assess = xrealloc(aw->assess, (aw->n_assess + 1) * sizeof(phsg_award_assessment));
	memmove(&aw->assess[i + 1], &aw->assess[i], (aw->n_assess - i) * sizeof(phsg_award_assessment));
	aw->assess[i].from = from;
	aw->assess[i].a = a;
	aw->n_assess++;
	return 0;
}

static int apply_suspend(phsg_award *aw, phsg_date from, json_t *data)
{
	const char *to_s = json_string_value(json_object_get(data, "to"));
	phsg_date to = PHSG_DATE_MAX;
	char a[PHSG_DATE_BUF], b[PHSG_DATE_BUF];
	size_t i;
	int rc;

	if ((rc = inside(aw, from, "the suspension date")))
		return rc;
	if (to_s && (rc = phsg_date_parse(&to, to_s)))
		return rc;
	if (to <= from)
		return phsg_error_set(PHSG_EINVAL, "a suspension must end after it starts");
	for (i = 0; i < aw->n_susp; i++) {
		if (aw->susp[i].from < to && from < aw->susp[i].to) {
			fmt_date(a, aw->susp[i].from);
			if (aw->susp[i].to == PHSG_DATE_MAX)
				snprintf(b, sizeof(b), "resume");
			else
				fmt_date(b, aw->susp[i].to);
			return phsg_error_set(PHSG_ERULE,
				"award %s is already suspended from %s (to %s): suspensions cannot overlap",
				aw->ref, a, b);
		}
	}
	for (i = 0; i < aw->n_susp && aw->susp[i].from < from; i++)
		;
	aw->susp = xrealloc(aw->susp, (aw->n_susp + 1) * sizeof(phsg_suspension));
	memmove(&aw->susp[i + 1], &aw->susp[i], (aw->n_susp - i) * sizeof(phsg_suspension));
	aw->susp[i].from = from;
	aw->susp[i].to = to;
	aw->n_susp++;
	return 0;
}

static int apply_resume(phsg_award *aw, phsg_date on)
{
	char a[PHSG_DATE_BUF];

	for (size_t i = 0; i < aw->n_susp; i++) {
		if (aw->susp[i].to != PHSG_DATE_MAX)
			continue;
		if (on <= aw->susp[i].from) {
			fmt_date(a, aw->susp[i].from);
			return phsg_error_set(PHSG_EINVAL,
				"award %s was suspended from %s: it can resume only after that", aw->ref, a);
		}
		aw->susp[i].to = on;
		return 0;
	}
	return phsg_error_set(PHSG_ERULE, "award %s is not suspended (no open suspension to resume)",
			      aw->ref);
}

static int apply_end(phsg_award *aw, phsg_date on)
{
	char s[PHSG_DATE_BUF], e[PHSG_DATE_BUF], x[PHSG_DATE_BUF];

	if (on <= aw->start || on > aw->end) {
		fmt_date(s, aw->start);
		fmt_date(e, aw->end);
		fmt_date(x, on);
		return phsg_error_set(PHSG_EINVAL,
			"the end date %s is outside award %s: it must be after %s and no later than %s "
			"(to lengthen an award, extend it)", x, aw->ref, s, e);
	}
	aw->end = on;
	aw->closed = 1;
	return 0;
}

static int apply_change_payee(phsg_award *aw, const phsg_scheme *sc, phsg_date from, json_t *data)
{
	const char *method = json_string_value(json_object_get(data, "method"));
	const char *payee = json_string_value(json_object_get(data, "payee"));
	size_t i;
	int m = 0, rc;

	if (!method || !payee)
		return phsg_error_set(PHSG_EINVAL, "a payee change needs a method and a payee");
	if ((rc = phsg_scheme_method_parse(&m, method)))
		return rc;
	if (!(sc->methods & m))
		return phsg_error_set(PHSG_EINVAL, "the scheme does not pay by '%s'", method);
	if (from < aw->start)
		from = aw->start;
	for (i = aw->n_payees; i > 0 && aw->payees[i - 1].from > from; i--)
		;
	if (i > 0 && aw->payees[i - 1].from == from) {
		free(aw->payees[i - 1].payee);
		aw->payees[i - 1].payee = xstrdup(payee);
		aw->payees[i - 1].method = m;
		return 0;
	}
	aw->payees = xrealloc(aw->payees, (aw->n_payees + 1) * sizeof(phsg_payee_period));
	memmove(&aw->payees[i + 1], &aw->payees[i], (aw->n_payees - i) * sizeof(phsg_payee_period));
	aw->payees[i].from = from;
	aw->payees[i].method = m;
	aw->payees[i].payee = xstrdup(payee);
	aw->n_payees++;
	return 0;
}

int phsg_award_apply_json(phsg_award *aw, const phsg_scheme *sc, const char *kind,
			  phsg_date effective, json_t *data)
{
	if (strcmp(kind, "create") == 0)
		return apply_create(aw, sc, effective, data);
	if (!aw->package)
		return phsg_error_set(PHSG_EINVAL, "award %s has no create event", aw->ref);
	if (strcmp(kind, "extend") == 0)
		return apply_extend(aw, data);
	if (strcmp(kind, "reassess") == 0)
		return apply_reassess(aw, sc, effective, data);
	if (strcmp(kind, "suspend") == 0)
		return apply_suspend(aw, effective, data);
	if (strcmp(kind, "resume") == 0)
		return apply_resume(aw, effective);
	if (strcmp(kind, "end") == 0)
		return apply_end(aw, effective);
	if (strcmp(kind, "change-payee") == 0)
		return apply_change_payee(aw, sc, effective, data);
	return phsg_error_set(PHSG_EINVAL, "unknown award event '%s'", kind);
}

int phsg_award_apply(phsg_award *aw, const phsg_scheme *sc, const char *kind,
		     phsg_date effective, const char *data)
{
	json_t *obj = data ? json_loads(data, 0, NULL) : json_object();
	int rc;

	if (!json_is_object(obj)) {
		json_decref(obj);
		return phsg_error_set(PHSG_EINVAL, "the %s event's data is not a JSON object", kind);
	}
	rc = phsg_award_apply_json(aw, sc, kind, effective, obj);
	json_decref(obj);
	return rc;
}

/* Accrue one assessment's shape over [from, to), minus suspensions. */
static int accrue_active(const phsg_scheme *sc, const phsg_award *aw, const mpq_t h,
			 const mpq_t f, phsg_date from, phsg_date to, mpq_t amount, mpq_t hours)
{
	int rc;

	for (size_t i = 0; i < aw->n_susp && from < to; i++) {
		const phsg_suspension *s = &aw->susp[i];
		if (s->to <= from || s->from >= to)
			continue;
		if (s->from > from && (rc = phsg_alloc_accrue(amount, hours, sc, h, f, from, s->from)))
			return rc;
		from = s->to;
	}
	if (from < to)
		return phsg_alloc_accrue(amount, hours, sc, h, f, from, to);
	return 0;
}

/* Assessment i's weekly shape for component comp (-1: the person's contribution). */
static void assessment_shape(const phsg_scheme *sc, const phsg_award *aw, int comp, size_t i,
			     mpq_t h, mpq_t f)
{
	if (comp < 0) {
		mpq_set_ui(h, 0, 1);
		phsg_alloc_contribution_weekly(f, &aw->assess[i].a);
	} else {
		phsg_alloc_component_weekly(h, f, sc, &aw->assess[i].a, &aw->package->components[comp]);
	}
}

int phsg_award_accrue(mpq_t amount, mpq_t hours, const phsg_scheme *sc,
		      const phsg_award *aw, int comp, phsg_date from, phsg_date to)
{
	mpq_t h, f;
	int rc = 0;

	if (from < aw->start)
		from = aw->start;
	if (to > aw->end)
		to = aw->end;
	if (from >= to)
		return 0;
	mpq_inits(h, f, NULL);
	for (size_t i = 0; i < aw->n_assess && rc == 0; i++) {
		phsg_date a = aw->assess[i].from > from ? aw->assess[i].from : from;
		phsg_date b = i + 1 < aw->n_assess && aw->assess[i + 1].from < to ?
			aw->assess[i + 1].from : to;
		if (a >= b)
			continue;
		assessment_shape(sc, aw, comp, i, h, f);
		rc = accrue_active(sc, aw, h, f, a, b, amount, hours);
	}
	mpq_clears(h, f, NULL);
	return rc;
}

size_t phsg_award_stretch_key(const phsg_scheme *sc, const phsg_award *aw, phsg_date from,
			      phsg_date to)
{
	size_t i, r;

	if (from < aw->start || to > aw->end || from >= to || aw->n_assess == 0)
		return 0;
	for (i = aw->n_assess - 1; i > 0 && aw->assess[i].from > from; i--)
		;
	if (aw->assess[i].from > from || (i + 1 < aw->n_assess && aw->assess[i + 1].from < to))
		return 0;
	for (size_t k = 0; k < aw->n_susp; k++)
		if (aw->susp[k].from < to && aw->susp[k].to > from)
			return 0;
	if (phsg_scheme_rate_at(&r, sc, from)) {
		phsg_error_clear();
		return 0;
	}
	if (r + 1 < sc->n_rates && sc->rates[r + 1].from < to)
		return 0;
	return 1 + i * sc->n_rates + r;
}

int phsg_award_has_contribution(const phsg_award *aw)
{
	for (size_t i = 0; i < aw->n_assess; i++)
		if (aw->assess[i].a.chosen_tier > aw->assess[i].a.tier)
			return 1;
	return 0;
}

const char *phsg_award_payee(const phsg_award *aw, int comp, phsg_date due, int *method)
{
	size_t i;

	if (comp >= 0 && aw->package->components[comp].payee) {
		*method = PHSG_METHOD_PROVIDER;
		return aw->package->components[comp].payee;
	}
	if (comp >= 0 && aw->component_payees[comp]) {
		*method = PHSG_METHOD_PROVIDER;
		return aw->component_payees[comp];
	}
	for (i = aw->n_payees; i > 1 && aw->payees[i - 1].from > due; i--)
		;
	*method = aw->payees[i - 1].method;
	return aw->payees[i - 1].payee;
}

const char *phsg_award_status(const phsg_award *aw, phsg_date on)
{
	if (aw->withdrawn)
		return "withdrawn";
	if (on < aw->start)
		return "not-started";
	if (on >= aw->end)
		return "ended";
	for (size_t i = 0; i < aw->n_susp; i++)
		if (aw->susp[i].from <= on && on < aw->susp[i].to)
			return "suspended";
	return "active";
}

int phsg_award_current_level(const phsg_award *aw)
{
	return aw->n_assess ? aw->assess[aw->n_assess - 1].a.level : aw->level;
}

int phsg_award_check_new(const phsg_award *aw, const char *kind, phsg_date effective)
{
	char d[PHSG_DATE_BUF], e[PHSG_DATE_BUF];

	if (aw->withdrawn)
		return phsg_error_set(PHSG_ERULE, "award %s was withdrawn (its create event was "
				      "cancelled): it takes no further events", aw->ref);
	if (strcmp(kind, "change-payee") == 0 && effective >= aw->end) {
		fmt_date(d, effective);
		fmt_date(e, aw->end);
		return phsg_error_set(PHSG_ERULE, "a payee change from %s is on or after the end of "
				      "award %s (%s, the first day not covered): nothing is paid then",
				      d, aw->ref, e);
	}
	return 0;
}

/* Event i (0-based) is cancelled by a later `cancel` event, or is `extra`. */
static int cancelled(const phsg_award_event *ev, size_t n, size_t i, size_t extra)
{
	if (extra == i + 1)
		return 1;
	for (size_t j = i + 1; j < n; j++) {
		json_t *data;
		int hit;
		if (strcmp(ev[j].kind, "cancel"))
			continue;
		if (!(data = json_loads(ev[j].data, 0, NULL)))
			continue;
		hit = json_integer_value(json_object_get(data, "event")) == (json_int_t)(i + 1);
		json_decref(data);
		if (hit)
			return 1;
	}
	return 0;
}

/* Apply event i (0-based) of the list; on failure name it. */
static int replay_one(phsg_award *aw, const phsg_scheme *sc, const phsg_award_event *e, size_t i)
{
	json_t *data = json_loads(e->data, 0, NULL);
	char d[PHSG_DATE_BUF], msg[700];
	int rc;

	if (!data)
		return phsg_error_set(PHSG_ELEDGER, "award %s: event %zu is not valid JSON", aw->ref, i + 1);
	rc = phsg_award_apply_json(aw, sc, e->kind, e->effective, data);
	json_decref(data);
	if (rc) {
		fmt_date(d, e->effective);
		snprintf(msg, sizeof(msg), "%s", phsg_error_last());
		rc = phsg_error_set(rc, "event %zu (%s, %s): %s", i + 1, e->kind, d, msg);
	}
	return rc;
}

int phsg_award_replay(phsg_award *aw, const phsg_scheme *sc, const phsg_award_event *ev, size_t n,
		      size_t also_cancel)
{
	int rc = 0;

	if (n == 0 || strcmp(ev[0].kind, "create"))
		return phsg_error_set(PHSG_ELEDGER, "award %s has no create event", aw->ref);
	if ((rc = replay_one(aw, sc, &ev[0], 0)))
		return rc;
	if (cancelled(ev, n, 0, also_cancel)) {
		/* withdrawn: an award made in error is owed nothing */
		aw->withdrawn = 1;
		aw->end = aw->start;
		return 0;
	}
	for (size_t i = 1; i < n && rc == 0; i++)
		if (strcmp(ev[i].kind, "cancel") && !cancelled(ev, n, i, also_cancel))
			rc = replay_one(aw, sc, &ev[i], i);
	return rc;
}

int phsg_award_check_cancel(const phsg_award *aw, const phsg_scheme *sc,
			    const phsg_award_event *ev, size_t n, size_t number)
{
	phsg_award trial;
	char msg[700];
	int rc;

	if (number < 1 || number > n)
		return phsg_error_set(PHSG_EINVAL, "award %s has no event %zu (it has %zu)",
				      aw->ref, number, n);
	if (strcmp(ev[number - 1].kind, "cancel") == 0)
		return phsg_error_set(PHSG_ERULE, "event %zu of award %s is a cancellation, which "
				      "cannot itself be cancelled", number, aw->ref);
	if (cancelled(ev, n, number - 1, 0))
		return phsg_error_set(PHSG_ERULE, "event %zu of award %s is already cancelled",
				      number, aw->ref);
	phsg_award_init(&trial, aw->id, aw->ref, aw->client);
	rc = phsg_award_replay(&trial, sc, ev, n, number);
	phsg_award_release(&trial);
	if (rc) {
		snprintf(msg, sizeof(msg), "%s", phsg_error_last());
		return phsg_error_set(PHSG_ERULE, "cancelling event %zu (%s) of award %s would leave "
				      "%s; cancel that first", number, ev[number - 1].kind, aw->ref, msg);
	}
	return 0;
}

int phsg_award_weekly_on(mpq_t out, const phsg_scheme *sc, const phsg_award *aw, phsg_date on)
{
	const phsg_assessment *a = &aw->assess[0].a;
	mpq_t h, f;
	size_t r;
	int rc = 0;

	for (size_t i = 1; i < aw->n_assess && aw->assess[i].from <= on; i++)
		a = &aw->assess[i].a;
	mpq_set_ui(out, 0, 1);
	mpq_inits(h, f, NULL);
	for (size_t c = 0; c < aw->package->n_components && rc == 0; c++) {
		phsg_alloc_component_weekly(h, f, sc, a, &aw->package->components[c]);
		mpq_add(out, out, f);
		if (mpq_sgn(h) && (rc = phsg_scheme_rate_at(&r, sc, on)) == 0) {
			mpq_mul(h, h, sc->rates[r].hourly);
			mpq_add(out, out, h);
		}
	}
	mpq_clears(h, f, NULL);
	return rc;
}

int phsg_award_check_covered(const phsg_scheme *sc, const phsg_award *aw)
{
	const phsg_calendar *cal = &sc->calendar;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	phsg_date first_due, last_day = aw->end - 1;
	int y0, y1;
	size_t r;

	if (aw->withdrawn)
		return 0;
	if (phsg_scheme_rate_at(&r, sc, aw->start)) {
		fmt_date(d1, aw->start);
		fmt_date(d2, sc->rates[0].from);
		return phsg_error_set(PHSG_ERULE, "%s%s would start on %s, before the scheme's "
				      "first hourly rate (from %s): no award can be paid before it",
				      aw->id ? "award " : "", aw->id ? aw->ref : "the award", d1, d2);
	}
	/* the first cycle may fall due before the start, a few days earlier after a roll */
	first_due = (phsg_date)(cal->anchor + PHSG_CYCLE_DAYS *
				phsg_date_floor_div((int64_t)aw->start - cal->anchor, PHSG_CYCLE_DAYS)
				- cal->lead_days - 7);
	phsg_date_to_ymd(&y0, NULL, NULL, first_due);
	phsg_date_to_ymd(&y1, NULL, NULL, last_day);
	if (y0 < cal->first_year || y1 > cal->last_year) {
		fmt_date(d1, aw->start);
		fmt_date(d2, last_day);
		return phsg_error_set(PHSG_ERULE, "%s%s would run from %s to %s, but the bank "
				      "holidays in %s cover only %d to %d: payment dates outside those "
				      "years cannot be worked out (extend the holiday list first)",
				      aw->id ? "award " : "", aw->id ? aw->ref : "the award", d1, d2,
				      cal->holidays_path, cal->first_year, cal->last_year);
	}
	return 0;
}

/* Call fn for [from, to) split at rate changes (when the hours depend on the rate). */
static int rate_segments(const phsg_scheme *sc, const mpq_t h, const mpq_t f, phsg_date from,
			 phsg_date to, int (*fn)(void *ctx, const phsg_segment *s), void *ctx)
{
	phsg_segment seg;
	mpq_t weekly, amount;
	size_t r = 0;
	int rc = 0, hours = mpq_sgn(h) != 0;

	if (hours && (rc = phsg_scheme_rate_at(&r, sc, from)))
		return rc;
	mpq_inits(weekly, amount, NULL);
	for (phsg_date d = from; d < to && rc == 0; r++) {
		phsg_date end = hours && r + 1 < sc->n_rates && sc->rates[r + 1].from < to ?
			sc->rates[r + 1].from : to;
		mpq_set(weekly, f);
		if (hours) {
			mpq_mul(amount, h, sc->rates[r].hourly);
			mpq_add(weekly, weekly, amount);
		}
		mpq_set_ui(amount, (unsigned long)(end - d), 7);
		mpq_canonicalize(amount);
		mpq_mul(amount, amount, weekly);
		seg = (phsg_segment){ d, end, 0, h, hours ? sc->rates[r].hourly : NULL, f, weekly, amount };
		rc = fn(ctx, &seg);
		d = end;
	}
	mpq_clears(weekly, amount, NULL);
	return rc;
}

int phsg_award_segments(const phsg_scheme *sc, const phsg_award *aw, int comp, phsg_date from,
			phsg_date to, int (*fn)(void *ctx, const phsg_segment *s), void *ctx)
{
	mpq_t h, f, zero;
	int rc = 0;

	if (from < aw->start)
		from = aw->start;
	if (to > aw->end)
		to = aw->end;
	mpq_inits(h, f, zero, NULL);
	for (size_t i = 0; i < aw->n_assess && rc == 0 && from < to; i++) {
		phsg_date a = aw->assess[i].from > from ? aw->assess[i].from : from;
		phsg_date b = i + 1 < aw->n_assess && aw->assess[i + 1].from < to ?
			aw->assess[i + 1].from : to;
		if (a >= b)
			continue;
		assessment_shape(sc, aw, comp, i, h, f);
		/* active stretches, and the suspensions between them */
		for (size_t k = 0; k < aw->n_susp && a < b && rc == 0; k++) {
			const phsg_suspension *s = &aw->susp[k];
			if (s->to <= a || s->from >= b)
				continue;
			if (s->from > a)
				rc = rate_segments(sc, h, f, a, s->from, fn, ctx);
			if (rc == 0) {
				phsg_segment seg = { s->from > a ? s->from : a, s->to < b ? s->to : b, 1,
						     zero, NULL, zero, zero, zero };
				rc = fn(ctx, &seg);
			}
			a = s->to;
		}
		if (rc == 0 && a < b)
			rc = rate_segments(sc, h, f, a, b, fn, ctx);
	}
	mpq_clears(h, f, zero, NULL);
	return rc;
}

/* phsg_award_event_texts() of one value, the member `key` of its object ("data" at the top) */
static int event_texts(json_t *v, const char *key)
{
	const char *k;
	json_t *x;
	size_t i;
	int rc;

	if (json_is_string(v) && json_string_length(v) > 0) {
		char what[64];
		snprintf(what, sizeof(what), "its %.40s", key);
		return phsg_text_check(what, json_string_value(v), json_string_length(v), SIZE_MAX);
	}
	json_object_foreach(v, k, x) {
		if ((*k && (rc = phsg_text_check("one of its keys", k, strlen(k), SIZE_MAX))) ||
		    (rc = event_texts(x, k)))
			return rc;
	}
	json_array_foreach(v, i, x) {
		if ((rc = event_texts(x, key)))
			return rc;
	}
	return 0;
}

int phsg_award_event_texts(const char *data)
{
	json_t *j = data ? json_loads(data, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL) : NULL;
	int rc = j ? event_texts(j, "data") : 0;

	json_decref(j);
	return rc;
}
