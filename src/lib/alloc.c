/*
 * alloc.c - from an assessment to weekly amounts, totals and reasons.
 *
 * The model: every component pays `hours x rate(day) + fixed` a week, and
 * accrues a seventh of that each day it is active.  The award total of a
 * component is its exact entitlement over the award period, rounded once
 * by the scheme's rule; because the payment rule pays cumulative rounded
 * entitlement (see schedule), this is also exactly what the 4-weekly
 * payments add up to.  The award total is the sum of the component totals.
 *
 * Accrual is computed per rate segment: for [from, to) the days inside each
 * rate's period are counted, so the cost of a year is a handful of
 * multiplications whatever its length.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "phsg/alloc.h"
#include "phsg/error.h"

void phsg_alloc_assessment_init(phsg_assessment *a, const phsg_scheme *sc)
{
	memset(a, 0, sizeof(*a));
	mpq_init(a->hours);
	a->n_needs = sc->n_interventions;
	a->needs = malloc((a->n_needs ? a->n_needs : 1) * sizeof(phsg_need));
	if (!a->needs)
		abort();
	for (size_t i = 0; i < a->n_needs; i++)
		a->needs[i] = PHSG_NEED_NONE;
}

void phsg_alloc_assessment_release(phsg_assessment *a)
{
	if (!a || !a->needs)
		return;
	mpq_clear(a->hours);
	free(a->needs);
	a->needs = NULL;
}

void phsg_alloc_assessment_copy(phsg_assessment *dst, const phsg_assessment *src)
{
	phsg_need *needs = dst->needs;

	if (dst->n_needs != src->n_needs) {
		needs = realloc(needs, (src->n_needs ? src->n_needs : 1) * sizeof(phsg_need));
		if (!needs)
			abort();
	}
	memcpy(needs, src->needs, src->n_needs * sizeof(phsg_need));
	dst->package = src->package;
	dst->level = src->level;
	dst->tier = src->tier;
	dst->chosen_tier = src->chosen_tier;
	dst->has_hours = src->has_hours;
	mpq_set(dst->hours, src->hours);
	dst->n_needs = src->n_needs;
	dst->needs = needs;
}

int phsg_alloc_assessment_set_need(phsg_assessment *a, const phsg_scheme *sc, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char name[128];
	phsg_need need;
	long idx;

	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(name))
		return phsg_error_set(PHSG_EINVAL,
			"'%s' is not INTERVENTION=LEVEL (e.g. intensive=high)", spec);
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	idx = phsg_scheme_intervention(sc, name);
	if (idx < 0)
		return phsg_error_set(PHSG_EINVAL, "unknown intervention '%s'", name);
	if (phsg_scheme_need_parse(&need, eq + 1))
		return PHSG_EINVAL;
	if (a->needs[idx] != PHSG_NEED_NONE)
		return phsg_error_set(PHSG_EINVAL, "the need for '%s' is given twice", name);
	a->needs[idx] = need;
	return 0;
}

int phsg_alloc_assessment_validate(const phsg_assessment *a, const phsg_scheme *sc)
{
	const phsg_package *pkg = a->package;
	const phsg_component *hours = phsg_scheme_package_component_of_kind(pkg, PHSG_COMP_HOURS);
	const phsg_term *term;
	int any_need = 0, rc;

	if ((rc = phsg_scheme_package_term(&term, pkg, a->level)))
		return rc;
	for (size_t i = 0; i < a->n_needs; i++) {
		if (a->needs[i] == PHSG_NEED_NONE)
			continue;
		if (!phsg_scheme_package_has_intervention(pkg, i))
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' does not include the intervention '%s'",
				pkg->id, sc->interventions[i].id);
		any_need = 1;
	}
	if (phsg_scheme_package_component_of_kind(pkg, PHSG_COMP_RAS) && !any_need)
		return phsg_error_set(PHSG_EINVAL,
			"package '%s' is funded by assessed need: give at least one --need INTERVENTION=LEVEL",
			pkg->id);
	if (pkg->n_tiers == 0 && (a->tier || a->chosen_tier))
		return phsg_error_set(PHSG_EINVAL, "package '%s' has no tiers (--tier given)", pkg->id);
	if (pkg->n_tiers) {
		if (a->tier == 0)
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' is funded by tier: give the assessed --tier (1 to %zu)",
				pkg->id, pkg->n_tiers);
		if (a->tier < 1 || (size_t)a->tier > pkg->n_tiers)
			return phsg_error_set(PHSG_EINVAL, "package '%s' has no tier %d (tiers 1 to %zu)",
				pkg->id, a->tier, pkg->n_tiers);
		if (a->chosen_tier < 0 || (size_t)a->chosen_tier > pkg->n_tiers)
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' has no tier %d to choose (tiers 1 to %zu)",
				pkg->id, a->chosen_tier, pkg->n_tiers);
	}
	if (!hours && a->has_hours)
		return phsg_error_set(PHSG_EINVAL,
			"package '%s' has no hours the person chooses (--hours given)", pkg->id);
	if (hours) {
		if (!a->has_hours)
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' needs the weekly hours the person chooses for '%s' (--hours H)",
				pkg->id, hours->id);
		if (mpq_cmp(a->hours, hours->amount) > 0) {
			char h[PHSG_NUM_BUF], m[PHSG_NUM_BUF];
			if (phsg_money_format(h, sizeof(h), a->hours, 0) ||
			    phsg_money_format(m, sizeof(m), hours->amount, 0))
				return PHSG_EINVAL;
			return phsg_error_set(PHSG_ERULE,
				"%s hours a week is above the maximum of %s hours for '%s' in package '%s'",
				h, m, hours->id, pkg->id);
		}
	}
	return 0;
}

/* The tier the council funds: the assessed one, or a lower one chosen. */
static int funded_tier(const phsg_assessment *a)
{
	return a->chosen_tier && a->chosen_tier < a->tier ? a->chosen_tier : a->tier;
}

void phsg_alloc_component_weekly(mpq_t hours, mpq_t fixed,
			   const phsg_scheme *sc, const phsg_assessment *a, const phsg_component *comp)
{
	mpq_set_ui(hours, 0, 1);
	mpq_set_ui(fixed, 0, 1);
	switch (comp->kind) {
	case PHSG_COMP_RAS:
		for (size_t i = 0; i < a->n_needs; i++)
			if (a->needs[i] != PHSG_NEED_NONE)
				mpq_add(hours, hours, sc->interventions[i].hours[a->needs[i]]);
		break;
	case PHSG_COMP_HOURS:
		mpq_set(hours, a->hours);
		break;
	case PHSG_COMP_FIXED:
		mpq_set(fixed, comp->amount);
		break;
	case PHSG_COMP_CASH:
		/* per cycle, accruing by day: a quarter of it a week */
		mpq_set(fixed, comp->amount);
		mpz_mul_ui(mpq_denref(fixed), mpq_denref(fixed), PHSG_CYCLE_DAYS / 7);
		mpq_canonicalize(fixed);
		break;
	case PHSG_COMP_TIER:
		mpq_set(fixed, a->package->tiers[funded_tier(a) - 1].weekly);
		break;
	default:
		break;
	}
}

void phsg_alloc_contribution_weekly(mpq_t out, const phsg_assessment *a)
{
	mpq_set_ui(out, 0, 1);
	if (a->package->n_tiers && a->chosen_tier > a->tier)
		mpq_sub(out, a->package->tiers[a->chosen_tier - 1].weekly,
			a->package->tiers[a->tier - 1].weekly);
}

int phsg_alloc_accrue(mpq_t amount, mpq_t hours_out, const phsg_scheme *sc,
		const mpq_t hours, const mpq_t fixed, phsg_date from, phsg_date to)
{
	mpq_t sum, t;
	size_t r;
	int rc = 0;

	if (to <= from)
		return 0;
	mpq_inits(sum, t, NULL);
	if (mpq_sgn(hours) != 0) {
		/* sum = sum over rate segments of days x hourly rate */
		if ((rc = phsg_scheme_rate_at(&r, sc, from)))
			goto cleanup;
		for (phsg_date d = from; d < to; r++) {
			phsg_date seg_end = r + 1 < sc->n_rates && sc->rates[r + 1].from < to ?
				sc->rates[r + 1].from : to;
			mpq_set_ui(t, (unsigned long)(seg_end - d), 1);
			mpq_mul(t, t, sc->rates[r].hourly);
			mpq_add(sum, sum, t);
			d = seg_end;
		}
		mpq_mul(sum, sum, hours);
		if (hours_out) {
			mpq_set_ui(t, (unsigned long)(to - from), 7);
			mpq_canonicalize(t);
			mpq_mul(t, t, hours);
			mpq_add(hours_out, hours_out, t);
		}
	}
	mpq_set_ui(t, (unsigned long)(to - from), 1);
	mpq_mul(t, t, fixed);
	mpq_add(sum, sum, t);
	mpq_set_ui(t, 1, 7);
	mpq_mul(sum, sum, t);
	mpq_add(amount, amount, sum);
cleanup:
	mpq_clears(sum, t, NULL);
	return rc;
}

/* ------------------------------------------------------------------ */
/*
 * The explanation: one sentence per step, with the figures used.
 *
 * Every figure in it is right as written: a weekly amount is shown exactly
 * (£10.725, never a rounded £10.73 that would not add up), and every
 * amount that is rounded says so.  Amounts that accrue by day are
 * (days x weekly) / 7: the line shows the exact numerator, the exact
 * quotient (cut after three decimals and marked "..." when it has no
 * finite decimal form) and the rounded figure.  Dates are shown as the
 * people reading them count: the last day included.
 */

static void explain_take(phsg_quote *q, char *line)
{
	char **grown = realloc(q->explanation, (q->n_explanation + 1) * sizeof(char *));

	if (!grown || !line)
		abort();
	q->explanation = grown;
	q->explanation[q->n_explanation++] = line;
}

/*
 * Set when a figure of the explanation was too long to print: the quote
 * then fails, rather than show a line with a figure missing.  Within the
 * scheme's bounds (SPEC section 12) it cannot happen.
 */
static _Thread_local int format_failed;

static void explain(phsg_quote *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void explain(phsg_quote *q, const char *fmt, ...)
{
	va_list ap;
	char *line = NULL;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	explain_take(q, line);
}

/* A line built piece by piece (a sum of any number of terms). */
typedef struct {
	char *text;
	size_t len;
	FILE *f;
} line_buf;

static void line_open(line_buf *l)
{
	l->text = NULL;
	l->len = 0;
	l->f = open_memstream(&l->text, &l->len);
	if (!l->f)
		abort();
}

static void line_end(phsg_quote *q, line_buf *l)
{
	if (fclose(l->f) != 0)
		abort();
	explain_take(q, l->text);
}

/* An exact amount: "£1,234.50", "£10.725", or "£862.714..." (no finite form). */
static const char *exact(char buf[PHSG_NUM_BUF], mpq_srcptr x)
{
	if (phsg_money_pretty(buf, PHSG_NUM_BUF, x, 3))
		format_failed = 1;
	return buf;
}

/* An amount rounded to pence by the scheme's rule: "£1,234.56". */
static const char *rounded(char buf[PHSG_NUM_BUF], const phsg_scheme *sc, const mpq_t x)
{
	mpz_t p;

	mpz_init(p);
	phsg_money_round_pence(p, NULL, x, sc->rounding);
	if (phsg_money_pretty_pence(buf, PHSG_NUM_BUF, p))
		format_failed = 1;
	mpz_clear(p);
	return buf;
}

static const char *pence(char buf[PHSG_NUM_BUF], const mpz_t p)
{
	if (phsg_money_pretty_pence(buf, PHSG_NUM_BUF, p))
		format_failed = 1;
	return buf;
}

/* Is x a whole number of pence (so that rounding changes nothing)? */
static int whole_pence(const mpq_t x)
{
	/* x = n/d in lowest terms is a whole number of pence when d divides 100 */
	mpz_t hundred;
	int whole;

	mpz_init_set_ui(hundred, 100);
	whole = mpz_divisible_p(hundred, mpq_denref(x));
	mpz_clear(hundred);
	return whole;
}

static const char *num(char buf[PHSG_NUM_BUF], mpq_srcptr x)
{
	if (phsg_money_format(buf, PHSG_NUM_BUF, x, 0))
		format_failed = 1;
	return buf;
}

/* "1 hour", "0.5 hours", "2 hours" */
static const char *hours_word(mpq_srcptr h)
{
	/* (mpq_cmp_ui would do, but GCC 12 then warns wrongly of an overread) */
	int one = mpz_cmp_ui(mpq_numref(h), 1) == 0 && mpz_cmp_ui(mpq_denref(h), 1) == 0;
	return one ? "hour" : "hours";
}

static const char *months_word(int months)
{
	return months == 1 ? "month" : "months";
}

static const char *days_word(long days)
{
	return days == 1 ? "day" : "days";
}

/* The last day of [from, to): what people read as the end of a period. */
static void last_day(char buf[PHSG_DATE_BUF], phsg_date end)
{
	phsg_date_format(buf, end - 1);
}

static int extendable(const phsg_quote *q)
{
	return q->unlimited || q->term->extendable_months > q->term->period_months;
}

static void explain_needs(phsg_quote *q, const phsg_scheme *sc)
{
	const phsg_assessment *a = &q->assessment;
	char b1[PHSG_NUM_BUF];
	line_buf sum;
	int terms = 0;

	line_open(&sum);
	fputs("Support hours: ", sum.f);
	for (size_t i = 0; i < q->package->n_interventions; i++) {
		size_t iv = q->package->interventions[i];
		const phsg_intervention *it = &sc->interventions[iv];
		if (a->needs[iv] == PHSG_NEED_NONE) {
			explain(q, "%s: not assessed, 0 hours a week.", it->name);
			continue;
		}
		explain(q, "%s: %s need = %s %s a week.", it->name,
			phsg_scheme_need_name(a->needs[iv]), num(b1, q->intervention_hours[i]),
			hours_word(q->intervention_hours[i]));
		fprintf(sum.f, "%s%s", terms++ ? " + " : "", b1);
	}
	if (terms > 1) {
		/* a sum of several terms */
		fprintf(sum.f, " = %s %s a week.", num(b1, q->weekly_hours), hours_word(q->weekly_hours));
		line_end(q, &sum);
		return;
	}
	fclose(sum.f);
	free(sum.text);
	/* one term is its own total: say it only where other needs were not assessed */
	if (terms == 1 && q->package->n_interventions > 1)
		explain(q, "Support hours: %s %s a week.", num(b1, q->weekly_hours),
			hours_word(q->weekly_hours));
}

static void explain_component(phsg_quote *q, const phsg_scheme *sc, const phsg_quote_component *c)
{
	const phsg_component *comp = c->component;
	const phsg_assessment *a = &q->assessment;
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], b3[PHSG_NUM_BUF], payee[160];

	if (comp->payee)
		snprintf(payee, sizeof(payee), "paid to %s (fixed by the scheme)", comp->payee);
	else
		snprintf(payee, sizeof(payee), "paid to the award's payee");
	switch (comp->kind) {
	case PHSG_COMP_RAS:
	case PHSG_COMP_HOURS:
		explain(q, "%s (%s): %s %s x %s = %s a week, %s.", comp->id,
			comp->kind == PHSG_COMP_RAS ? "assessed support" : "hours the person chooses",
			num(b1, c->weekly_hours), hours_word(c->weekly_hours),
			exact(b2, sc->rates[q->rate_index].hourly), exact(b3, c->weekly), payee);
		break;
	case PHSG_COMP_FIXED:
		explain(q, "%s (fixed): %s a week, %s.", comp->id, exact(b1, c->weekly), payee);
		break;
	case PHSG_COMP_CASH:
		explain(q, "%s (cash): %s per 4-week cycle / 4 = %s a week, accruing by day, %s.",
			comp->id, exact(b1, comp->amount), exact(b2, c->weekly), payee);
		break;
	case PHSG_COMP_TIER: {
		int funded = funded_tier(a);
		const phsg_tier *t = &q->package->tiers[funded - 1];
		explain(q, "Assessed tier: %d* %s, %s a week.", a->tier,
			q->package->tiers[a->tier - 1].name,
			exact(b1, q->package->tiers[a->tier - 1].weekly));
		if (a->chosen_tier && a->chosen_tier != a->tier)
			explain(q, "Chosen tier: %d* %s, %s a week.", a->chosen_tier,
				q->package->tiers[a->chosen_tier - 1].name,
				exact(b1, q->package->tiers[a->chosen_tier - 1].weekly));
		explain(q, "%s (tier): the council funds tier %d* (%s), %s a week, %s.", comp->id,
			funded, t->name, exact(b2, c->weekly), payee);
		if (mpq_sgn(q->contribution_weekly) > 0)
			explain(q, "Person's own contribution for the upgrade: %s - %s = %s a week, "
				"charged to the person, never paid from the grant.",
				exact(b1, q->package->tiers[a->chosen_tier - 1].weekly),
				exact(b2, q->package->tiers[a->tier - 1].weekly),
				exact(b3, q->contribution_weekly));
		break;
	}
	default:
		break;
	}
}

/* "Weekly amount: £38.00 + £110.00 + £10.00 = £158.00; 4-weekly cycle: 4 x £158.00 = £632.00." */
static void explain_weekly(phsg_quote *q, const phsg_scheme *sc)
{
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF];
	line_buf l;

	line_open(&l);
	fputs("Weekly amount: ", l.f);
	if (q->n_components > 1) {
		for (size_t i = 0; i < q->n_components; i++)
			fprintf(l.f, "%s%s", i ? " + " : "", exact(b1, q->components[i].weekly));
		fputs(" = ", l.f);
	}
	fprintf(l.f, "%s; 4-weekly cycle: 4 x %s = %s", exact(b1, q->weekly), b1, exact(b2, q->cycle));
	if (!whole_pence(q->cycle))
		fprintf(l.f, " (%s rounded %s)", rounded(b1, sc, q->cycle),
			phsg_money_rounding_name(sc->rounding));
	fputs(".", l.f);
	line_end(q, &l);
}

/*
 * "= £862.71 (£6,039.00 / 7 = £862.714..., rounded half-up)" for the
 * amount accrued by `days_x_weekly` / 7; "= £15,643.40 (£109,503.80 / 7)"
 * where that is a whole number of pence.
 */
static void over_seven(FILE *f, const phsg_scheme *sc, const mpq_t days_x_weekly,
		       const char *how)
{
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], b3[PHSG_NUM_BUF];
	mpq_t v;

	mpq_init(v);
	mpq_set_ui(v, 1, 7);
	mpq_mul(v, v, days_x_weekly);
	if (whole_pence(v))
		fprintf(f, "= %s (%s / 7)", exact(b1, v), exact(b2, days_x_weekly));
	else
		fprintf(f, "= %s (%s / 7 = %s, %s %s)", rounded(b1, sc, v),
			exact(b2, days_x_weekly), exact(b3, v), how,
			phsg_money_rounding_name(sc->rounding));
	mpq_clear(v);
}

/* The award total of one component, with its rate segments spelled out. */
static void explain_total(phsg_quote *q, const phsg_scheme *sc, const phsg_quote_component *c)
{
	char b1[PHSG_NUM_BUF], b2[PHSG_NUM_BUF], b3[PHSG_NUM_BUF], b4[PHSG_NUM_BUF],
	     d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	const char *who = q->n_components > 1 ? c->component->id : "Award total";
	long days = (long)(q->end - q->start);
	line_buf l;
	mpq_t w, part, sum;
	size_t r;

	mpq_inits(w, part, sum, NULL);
	if (mpq_sgn(c->weekly_hours) != 0 && phsg_scheme_rate_at(&r, sc, q->start) == 0 &&
	    (r + 1 < sc->n_rates && sc->rates[r + 1].from < q->end)) {
		/* the award spans a rate change: one line per segment, then the exact sum */
		line_buf terms;
		line_open(&terms);
		for (phsg_date d = q->start; d < q->end; r++) {
			phsg_date e = r + 1 < sc->n_rates && sc->rates[r + 1].from < q->end ?
				sc->rates[r + 1].from : q->end;
			long n = (long)(e - d);
			mpq_mul(w, c->weekly_hours, sc->rates[r].hourly);
			mpq_add(w, w, c->fixed_weekly);
			mpq_set_si(part, n, 1);
			mpq_mul(part, part, w);      /* days x weekly: 7 x what the days accrue */
			mpq_add(sum, sum, part);
			phsg_date_format(d1, d);
			last_day(d2, e);
			line_open(&l);
			if (n == 1)
				fprintf(l.f, "%s: %s, ", c->component->id, d1);
			else
				fprintf(l.f, "%s: %s to %s, ", c->component->id, d1, d2);
			fprintf(l.f, "%s %s x %s = %s a week; %ld %s at %s a week ", num(b1, c->weekly_hours),
				hours_word(c->weekly_hours), exact(b2, sc->rates[r].hourly),
				exact(b3, w), n, days_word(n), b3);
			over_seven(l.f, sc, part, "rounded");
			fputs(".", l.f);
			line_end(q, &l);
			fprintf(terms.f, "%s%s", d == q->start ? "" : " + ", exact(b4, part));
			d = e;
		}
		if (fclose(terms.f) != 0)
			abort();
		mpq_set_ui(part, 1, 7);
		mpq_mul(part, part, sum);        /* the exact entitlement */
		if (whole_pence(part))
			explain(q, "%s: the exact sum of those days: (%s) / 7 = %s / 7 = %s.", who,
				terms.text, exact(b1, sum), exact(b2, part));
		else
			explain(q, "%s: the exact sum of those days, rounded once: (%s) / 7 = %s / 7 = %s, "
				"rounded %s = %s.", who, terms.text, exact(b1, sum), exact(b2, part),
				phsg_money_rounding_name(sc->rounding), pence(b3, c->total_pence));
		free(terms.text);
	} else {
		mpq_set_si(part, days, 1);
		mpq_mul(part, part, c->weekly);
		line_open(&l);
		fprintf(l.f, "%s: %ld %s at %s a week ", who, days, days_word(days), exact(b1, c->weekly));
		over_seven(l.f, sc, part, "the exact amount rounded once,");
		fputs(".", l.f);
		line_end(q, &l);
	}
	mpq_clears(w, part, sum, NULL);
}

static void build_explanation(phsg_quote *q, const phsg_scheme *sc)
{
	char b1[PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], m[64];
	int period = q->term->period_months, ext = q->term->extendable_months;
	long days = (long)(q->end - q->start);

	if (q->unlimited)
		snprintf(m, sizeof(m), "extendable without limit");
	else if (!extendable(q))
		snprintf(m, sizeof(m), "not extendable");
	else
		snprintf(m, sizeof(m), "extendable up to %d %s from the start", ext, months_word(ext));
	if (q->term->level)
		explain(q, "Package: %s (%s), level %d: awarded for %d %s, %s.",
			q->package->name, q->package->id, q->term->level, period,
			months_word(period), m);
	else
		explain(q, "Package: %s (%s): awarded for %d %s, %s.",
			q->package->name, q->package->id, period, months_word(period), m);
	if (q->package->n_interventions)
		explain_needs(q, sc);
	if (q->has_rate && mpq_sgn(q->weekly_hours) != 0) {
		size_t r = q->rate_index;
		line_buf l;
		line_open(&l);
		phsg_date_format(d1, q->start);
		phsg_date_format(d2, sc->rates[r].from);
		fprintf(l.f, "Hourly rate in force on %s: %s (in force from %s)", d1,
			exact(b1, sc->rates[r].hourly), d2);
		/* the rates that take over during the award */
		for (r++; r < sc->n_rates && sc->rates[r].from < q->end; r++) {
			phsg_date_format(d2, sc->rates[r].from);
			fprintf(l.f, "%s %s on %s", r == q->rate_index + 1 ? "; it changes to" : " and to",
				exact(b1, sc->rates[r].hourly), d2);
		}
		fputs(r > q->rate_index + 1 ? ", during the award." : ".", l.f);
		line_end(q, &l);
	}
	for (size_t i = 0; i < q->n_components; i++)
		explain_component(q, sc, &q->components[i]);
	explain_weekly(q, sc);
	phsg_date_format(d1, q->start);
	last_day(d2, q->end);
	explain(q, "Award period: %s to %s (last day included): %d %s, %ld %s.",
		d1, d2, period, months_word(period), days, days_word(days));
	for (size_t i = 0; i < q->n_components; i++)
		explain_total(q, sc, &q->components[i]);
	if (q->n_components > 1) {
		line_buf l;
		line_open(&l);
		fputs("Award total: ", l.f);
		for (size_t i = 0; i < q->n_components; i++)
			fprintf(l.f, "%s%s", i ? " + " : "", pence(b1, q->components[i].total_pence));
		fprintf(l.f, " = %s (each component rounded once).", pence(b1, q->award_total_pence));
		line_end(q, &l);
	}
	if (q->unlimited) {
		explain(q, "Extension: the award can be extended without limit, so there is no maximum total.");
	} else if (!extendable(q)) {
		explain(q, "Extension: none; this package cannot be extended beyond its %d %s.",
			period, months_word(period));
	} else {
		last_day(d1, q->extendable_to);
		explain(q, "Extension: up to %d %s from the start, to %s (last day included); "
			"extended that far the total would be %s.",
			ext, months_word(ext), d1, pence(b1, q->max_total_pence));
	}
	explain(q, "Payments: every 4 weeks, each cycle's share of the exact entitlement, "
		"so the payments add up to the award total to the penny.");
}

int phsg_alloc_quote(phsg_quote **out, const phsg_scheme *sc,
		       const phsg_assessment *a, phsg_date start)
{
	phsg_quote *q = NULL;
	int rc;

	*out = NULL;
	if ((rc = phsg_alloc_assessment_validate(a, sc)))
		return rc;
	{
		/* the whole period, and its ceiling, within phsg's dates */
		const phsg_term *t;
		phsg_date e;
		phsg_scheme_package_term(&t, a->package, a->level);
		if ((rc = phsg_date_add_months_checked(&e, start, t->period_months)) ||
		    (t->extendable_months != PHSG_UNLIMITED &&
		     (rc = phsg_date_add_months_checked(&e, start, t->extendable_months))))
			return rc;
	}
	q = calloc(1, sizeof(*q));
	if (!q)
		abort();
	phsg_alloc_assessment_init(&q->assessment, sc);
	phsg_alloc_assessment_copy(&q->assessment, a);
	q->package = a->package;
	phsg_scheme_package_term(&q->term, a->package, a->level);
	q->start = start;
	q->end = phsg_date_add_months(start, q->term->period_months);
	q->unlimited = q->term->extendable_months == PHSG_UNLIMITED;
	if (!q->unlimited)
		q->extendable_to = phsg_date_add_months(start, q->term->extendable_months);
	mpq_inits(q->weekly_hours, q->weekly, q->cycle, q->contribution_weekly, NULL);
	mpz_inits(q->award_total_pence, q->max_total_pence, NULL);
	q->has_rate = phsg_scheme_rate_at(&q->rate_index, sc, start) == 0;

	q->intervention_hours = calloc(q->package->n_interventions + 1, sizeof(mpq_t));
	q->components = calloc(q->package->n_components, sizeof(phsg_quote_component));
	if (!q->intervention_hours || !q->components)
		abort();
	for (size_t i = 0; i < q->package->n_interventions; i++) {
		size_t iv = q->package->interventions[i];
		mpq_init(q->intervention_hours[i]);
		if (a->needs[iv] != PHSG_NEED_NONE)
			mpq_set(q->intervention_hours[i], sc->interventions[iv].hours[a->needs[iv]]);
	}
	q->n_components = q->package->n_components;
	for (size_t i = 0; i < q->n_components; i++) {
		phsg_quote_component *c = &q->components[i];
		c->component = &q->package->components[i];
		mpq_inits(c->weekly_hours, c->fixed_weekly, c->weekly, c->entitlement, NULL);
		mpz_inits(c->total_pence, c->max_total_pence, NULL);
	}
	for (size_t i = 0; i < q->n_components; i++) {
		phsg_quote_component *c = &q->components[i];
		mpq_t max;

		phsg_alloc_component_weekly(c->weekly_hours, c->fixed_weekly, sc, a, c->component);
		if (mpq_sgn(c->weekly_hours) != 0 && !q->has_rate) {
			rc = phsg_scheme_rate_at(&q->rate_index, sc, start);
			goto cleanup;
		}
		mpq_set(c->weekly, c->fixed_weekly);
		if (mpq_sgn(c->weekly_hours) != 0) {
			mpq_t t;
			mpq_init(t);
			mpq_mul(t, c->weekly_hours, sc->rates[q->rate_index].hourly);
			mpq_add(c->weekly, c->weekly, t);
			mpq_clear(t);
		}
		mpq_add(q->weekly_hours, q->weekly_hours, c->weekly_hours);
		mpq_add(q->weekly, q->weekly, c->weekly);
		if ((rc = phsg_alloc_accrue(c->entitlement, NULL, sc, c->weekly_hours, c->fixed_weekly,
				      start, q->end)))
			goto cleanup;
		phsg_money_round_pence(c->total_pence, NULL, c->entitlement, sc->rounding);
		mpz_add(q->award_total_pence, q->award_total_pence, c->total_pence);
		if (!q->unlimited) {
			mpq_init(max);
			rc = phsg_alloc_accrue(max, NULL, sc, c->weekly_hours,
					 c->fixed_weekly, start, q->extendable_to);
			phsg_money_round_pence(c->max_total_pence, NULL, max, sc->rounding);
			mpz_add(q->max_total_pence, q->max_total_pence, c->max_total_pence);
			mpq_clear(max);
			if (rc)
				goto cleanup;
		}
	}
	mpq_set_ui(q->cycle, 4, 1);
	mpq_mul(q->cycle, q->cycle, q->weekly);
	phsg_alloc_contribution_weekly(q->contribution_weekly, a);
	format_failed = 0;
	build_explanation(q, sc);
	if (format_failed)
		rc = phsg_error_set(PHSG_EINVAL, "a figure of the quote is too long to print");
cleanup:
	if (rc)
		phsg_alloc_quote_free(q);
	else
		*out = q;
	return rc;
}

void phsg_alloc_quote_free(phsg_quote *q)
{
	if (!q)
		return;
	for (size_t i = 0; q->intervention_hours && i < q->package->n_interventions; i++)
		mpq_clear(q->intervention_hours[i]);
	free(q->intervention_hours);
	for (size_t i = 0; q->components && i < q->n_components; i++) {
		phsg_quote_component *c = &q->components[i];
		mpq_clears(c->weekly_hours, c->fixed_weekly, c->weekly, c->entitlement, NULL);
		mpz_clears(c->total_pence, c->max_total_pence, NULL);
	}
	free(q->components);
	for (size_t i = 0; i < q->n_explanation; i++)
		free(q->explanation[i]);
	free(q->explanation);
	mpq_clears(q->weekly_hours, q->weekly, q->cycle, q->contribution_weekly, NULL);
	mpz_clears(q->award_total_pence, q->max_total_pence, NULL);
	phsg_alloc_assessment_release(&q->assessment);
	free(q);
}
