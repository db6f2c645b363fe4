/*
 * Unit tests for award.c and payrule.c without a ledger: awards built from
 * events in memory, runs simulated by feeding each run's postings back as
 * the next run's history.
 *
 * Medway: 21.40 an hour from 2024-04-01; cycles of 28 days from 2011-04-04
 * (boundaries 2026-04-13, 05-11, 06-08 ...).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "phsg.h"
#include "phsg/award.h"
#include "phsg/payrule.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif

static phsg_scheme *sc;

static int setup(void **state)
{
	(void)state;
	return phsg_scheme_load(&sc, PHSG_CONFIG_DIR "/medway.cfg");
}

static int teardown(void **state)
{
	(void)state;
	phsg_scheme_free(sc);
	return 0;
}

static phsg_date D(const char *s)
{
	phsg_date d = 0;
	assert_int_equal(phsg_date_parse(&d, s), 0);
	return d;
}

static int apply(phsg_award *aw, const char *kind, const char *date, const char *json)
{
	return phsg_award_apply(aw, sc, kind, D(date), json);
}

static void make_award(phsg_award *aw, const char *package, const char *needs, const char *start)
{
	char json[512];
	phsg_award_init(aw, 1, "A1", "client");
	snprintf(json, sizeof(json),
		 "{\"package\": \"%s\", \"needs\": %s, \"method\": \"direct\", \"payee\": \"P1\"}",
		 package, needs);
	assert_int_equal(apply(aw, "create", start, json), 0);
}

/* A simulated ledger for one award component: paid so far and processed cycles. */
typedef struct {
	int64_t paid;
	long processed[512];
	size_t n;
	int64_t posted[512];
	size_t n_posted;
} sim;

/* Run on `date`; returns the sum posted for component 0. */
static int64_t run(phsg_award *aw, sim *s, const char *date)
{
	phsg_component_state st[2] = { { 0, NULL, 0 }, { s->paid, s->processed, s->n } };
	phsg_payrule_result r;
	int64_t sum = 0;

	phsg_payrule_result_init(&r);
	assert_int_equal(phsg_payrule_apply(&r, sc, aw, D(date), st), 0);
	for (size_t i = 0; i < r.n_postings; i++) {
		assert_true(r.postings[i].amount > 0);
		if (r.postings[i].comp == 0) {
			sum += r.postings[i].amount;
			s->posted[s->n_posted++] = r.postings[i].amount;
		}
	}
	for (size_t i = 0; i + 1 < r.n_processed; i += 2)
		if (r.processed[i] == 0)
			s->processed[s->n++] = r.processed[i + 1];
	/* keep processed ascending, as the ledger returns it */
	for (size_t i = 1; i < s->n; i++)
		for (size_t j = i; j > 0 && s->processed[j - 1] > s->processed[j]; j--) {
			long t = s->processed[j];
			s->processed[j] = s->processed[j - 1];
			s->processed[j - 1] = t;
		}
	s->paid += sum;
	phsg_payrule_result_release(&r);
	return sum;
}

static void test_cycles(void **state)
{
	const phsg_calendar *cal = &sc->calendar;
	phsg_date due;
	(void)state;
	long k = phsg_payrule_cycle_of(cal, D("2026-04-13"));
	assert_int_equal(phsg_payrule_cycle_start(cal, k), D("2026-04-13"));
	assert_int_equal(phsg_payrule_cycle_of(cal, D("2026-05-10")), k);
	assert_int_equal(phsg_payrule_cycle_of(cal, D("2026-05-11")), k + 1);
	/* before the anchor: floor division */
	assert_int_equal(phsg_payrule_cycle_start(cal, phsg_payrule_cycle_of(cal, D("2011-04-03"))), D("2011-03-07"));
	/* the cycle starting on the summer bank holiday 2026-08-31 is due Friday 28 */
	assert_int_equal(phsg_payrule_cycle_due(&due, cal, phsg_payrule_cycle_of(cal, D("2026-08-31"))), 0);
	assert_int_equal(due, D("2026-08-28"));
}

/* No drift: a year of runs pays the exact total rounded once, each payment
 * within a penny of its cycle's exact share. */
static void test_no_drift(void **state)
{
	phsg_award aw;
	sim s = { 0 };
	int64_t total = 0, expected = 0;
	(void)state;
	/* Acquiring Independence: 10 + 2 + 0.5 = 12.5 h x 21.40 = 267.50 a week
	 * = 38.2142857 a day, from 2026-04-06 for 365 days: 13948.21 in all. */
	make_award(&aw, "acquiring-independence",
		   "{\"intensive\": \"high\", \"basic\": \"medium\", \"maintenance\": \"low\"}", "2026-04-06");
	for (phsg_date d = D("2026-04-06"); d <= D("2027-05-01"); d += 7) {
		char buf[PHSG_DATE_BUF];
		phsg_date_format(buf, d);
		total += run(&aw, &s, buf);
	}
	assert_int_equal(phsg_payrule_entitled_pence(&expected, sc, &aw, 0, aw.end), 0);
	assert_int_equal(expected, 1394821);
	assert_int_equal(total, 1394821);
	/* a full cycle's exact share is 28 x 38.2142857 = 1070.00 exactly */
	for (size_t i = 1; i + 1 < s.n_posted; i++)
		assert_true(s.posted[i] >= 106999 && s.posted[i] <= 107001);
	/* the same date again posts nothing */
	assert_int_equal(run(&aw, &s, "2027-05-01"), 0);
	phsg_award_release(&aw);
}

static void test_awkward_daily_amount(void **state)
{
	phsg_award aw;
	sim s = { 0 };
	int64_t total = 0, expected = 0;
	(void)state;
	/* basic low 1 h = 21.40 a week = 3.0571428... a day: every cycle's share
	 * is 85.60 exactly, but partial cycles are not: payments still add up to
	 * round(E) for the whole period. Housing Options from 2026-04-20, 3 months
	 * to 2026-07-20 = 91 days: 91 x 21.40 / 7 = 278.20 exactly. */
	make_award(&aw, "housing-options", "{\"basic\": \"low\"}", "2026-04-20");
	total += run(&aw, &s, "2026-06-08");
	total += run(&aw, &s, "2026-08-01");
	assert_int_equal(phsg_payrule_entitled_pence(&expected, sc, &aw, 0, aw.end), 0);
	assert_int_equal(expected, 27820);
	assert_int_equal(total, 27820);
	phsg_award_release(&aw);
}

static void test_event_rules(void **state)
{
	phsg_award aw;
	(void)state;
	make_award(&aw, "resettlement", "{\"intensive\": \"low\"}", "2026-04-13");
	assert_int_equal(aw.end, D("2026-10-13"));
	/* extension past the ceiling of 12 months: refused by a rule */
	assert_int_equal(apply(&aw, "extend", "2026-10-13", "{\"months\": 7}"), PHSG_ERULE);
	assert_non_null(strstr(phsg_error_last(), "up to 12 months (to 2027-04-13)"));
	assert_int_equal(apply(&aw, "extend", "2026-10-13", "{}"), 0);
	assert_int_equal(aw.end, D("2027-04-13"));
	assert_int_equal(apply(&aw, "extend", "2027-04-13", "{}"), PHSG_ERULE);
	/* suspensions may not overlap; an open one runs until resumed */
	assert_int_equal(apply(&aw, "suspend", "2026-05-01", "{\"to\": \"2026-05-10\"}"), 0);
	assert_int_equal(apply(&aw, "suspend", "2026-05-09", "{}"), PHSG_ERULE);
	assert_int_equal(apply(&aw, "suspend", "2026-06-01", "{}"), 0);
	assert_string_equal(phsg_award_status(&aw, D("2026-07-01")), "suspended");
	assert_int_equal(apply(&aw, "resume", "2026-06-01", "{}"), PHSG_EINVAL);
	assert_int_equal(apply(&aw, "resume", "2026-06-15", "{}"), 0);
	assert_string_equal(phsg_award_status(&aw, D("2026-07-01")), "active");
	/* dates outside the award */
	assert_int_equal(apply(&aw, "reassess", "2026-01-01", "{\"needs\": {\"basic\": \"low\"}}"), PHSG_EINVAL);
	assert_int_equal(apply(&aw, "end", "2027-05-01", "{}"), PHSG_EINVAL);
	/* a need the package does not have */
	assert_int_equal(apply(&aw, "reassess", "2026-05-01", "{\"needs\": {\"maintenance\": \"low\"}}"), PHSG_EINVAL);
	/* end, then no extension */
	assert_int_equal(apply(&aw, "end", "2026-09-01", "{}"), 0);
	assert_string_equal(phsg_award_status(&aw, D("2026-09-01")), "ended");
	assert_int_equal(apply(&aw, "extend", "2026-09-01", "{}"), PHSG_ERULE);
	phsg_award_release(&aw);
}

static void test_accrual_with_events(void **state)
{
	phsg_award aw;
	mpq_t e;
	mpz_t p;
	char buf[PHSG_NUM_BUF];
	(void)state;
	mpq_init(e);
	mpz_init(p);
	/* maintenance medium 1 h (21.40/wk) from 2026-04-13; high 2 h (42.80/wk) from
	 * 2026-04-27; suspended 2026-05-04 to 2026-05-11.  To 2026-05-18:
	 * 14 days x 21.40/7 = 42.80; 7 days x 42.80/7 = 42.80; 7 days off; 7 days = 42.80
	 * -> 128.40 */
	make_award(&aw, "long-term-support", "{\"maintenance\": \"medium\"}", "2026-04-13");
	assert_int_equal(apply(&aw, "reassess", "2026-04-27", "{\"needs\": {\"maintenance\": \"high\"}}"), 0);
	assert_int_equal(apply(&aw, "suspend", "2026-05-04", "{\"to\": \"2026-05-11\"}"), 0);
	assert_int_equal(phsg_award_accrue(e, NULL, sc, &aw, 0, aw.start, D("2026-05-18")), 0);
	phsg_money_round_pence(p, NULL, e, PHSG_ROUND_HALF_UP);
	phsg_money_format_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, "128.40");
	/* a later-recorded reassessment dated earlier applies only until the next one */
	assert_int_equal(apply(&aw, "reassess", "2026-04-20", "{\"needs\": {\"maintenance\": \"low\"}}"), 0);
	/* now: 7 days at 21.40 = 21.40; 7 days at 10.70 = 10.70; 7 at 42.80 = 42.80; 7 off; 7 at 42.80
	 * = 117.70 */
	mpq_set_ui(e, 0, 1);
	assert_int_equal(phsg_award_accrue(e, NULL, sc, &aw, 0, aw.start, D("2026-05-18")), 0);
	phsg_money_round_pence(p, NULL, e, PHSG_ROUND_HALF_UP);
	phsg_money_format_pence(buf, sizeof(buf), p);
	assert_string_equal(buf, "117.70");
	phsg_award_release(&aw);
	mpq_clear(e);
	mpz_clear(p);
}


/*
 * A backdated cut larger than a cycle's accrual: the next newly due cycle
 * posts nothing (never a negative payment) and the excess is netted.
 * maintenance high = 2 h x 21.40 = 42.80 a week; low = 0.5 h = 10.70 a week.
 */
static void test_cut_larger_than_a_cycle(void **state)
{
	phsg_award aw;
	sim s = { 0 };
	phsg_component_state st[2];
	int64_t owed = 0;
	(void)state;

	make_award(&aw, "long-term-support", "{\"maintenance\": \"high\"}", "2026-04-13");
	/* cycles 04-13 and 05-11: 2 x 4 x 42.80 = 342.40 */
	assert_int_equal(run(&aw, &s, "2026-05-11"), 34240);
	assert_int_equal(apply(&aw, "reassess", "2026-04-13", "{\"needs\": {\"maintenance\": \"low\"}}"), 0);
	/* cycle 06-08 is newly due: E(07-06) = 12 weeks x 10.70 = 128.40 < 342.40: nothing */
	assert_int_equal(run(&aw, &s, "2026-06-08"), 0);
	assert_int_equal(s.n, 3);
	/* owed back: paid 342.40 beyond E to the end of cycle 06-08 (07-06), 128.40 = 214.00 */
	st[1] = (phsg_component_state){ s.paid, s.processed, s.n };
	assert_int_equal(phsg_payrule_owed_back(&owed, sc, &aw, 0, &st[1]), 0);
	assert_int_equal(owed, 21400);
	/* netted until E catches up: E(10-26) = 28 weeks x 10.70 = 299.60; E(11-23) = 32 weeks
	 * x 10.70 = 342.40: still nothing; E(12-21) = 36 weeks x 10.70 = 385.20: 42.80 */
	assert_int_equal(run(&aw, &s, "2026-09-28"), 0);
	assert_int_equal(run(&aw, &s, "2026-10-26"), 0);
	assert_int_equal(run(&aw, &s, "2026-11-23"), 4280);
	/* once E has caught up, nothing is owed back */
	st[1] = (phsg_component_state){ s.paid, s.processed, s.n };
	assert_int_equal(phsg_payrule_owed_back(&owed, sc, &aw, 0, &st[1]), 0);
	assert_int_equal(owed, 0);
	phsg_award_release(&aw);
}

/* A run before an award's first cycle is due pays and processes nothing. */
static void test_nothing_due_yet(void **state)
{
	phsg_award aw;
	sim s = { 0 };
	(void)state;

	/* starts 2026-06-01, inside the cycle 05-11..06-08, which is due on 05-11 */
	make_award(&aw, "long-term-support", "{\"maintenance\": \"high\"}", "2026-06-01");
	assert_int_equal(run(&aw, &s, "2026-05-08"), 0);
	assert_int_equal(s.n, 0);
	/* 05-11: that cycle is due: 7 days x 42.80 / 7 = 42.80 */
	assert_int_equal(run(&aw, &s, "2026-05-11"), 4280);
	assert_int_equal(s.n, 1);
	phsg_award_release(&aw);
}

/* The postings of component 0 so far were exactly want[0..n), in order. */
static void assert_posted(const sim *s, const int64_t *want, size_t n)
{
	assert_int_equal(s->n_posted, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(s->posted[i], want[i]);
}

/*
 * A run reuses one cycle's accrual for the next only where nothing differs
 * (phsg_award_stretch_key): each posting here is worked day by day.
 * maintenance high = 2 h a week; 16.50 an hour to 2024-03-31, 21.40 from
 * 2024-04-01.
 */
static void test_stretches(void **state)
{
	phsg_award aw;
	sim s = { 0 };
	size_t k1, k2;
	(void)state;

	/* from 2024-01-22: cycles 01-22 and 02-19 at 2 x 16.50 = 33.00 a week,
	 * 4 x 33.00 = 132.00 each; 03-18..04-15 spans the new rate: 14 days x
	 * 33.00 / 7 + 14 days x 42.80 / 7 = 66.00 + 85.60 = 151.60; then
	 * 4 x 42.80 = 171.20 a cycle */
	make_award(&aw, "long-term-support", "{\"maintenance\": \"high\"}", "2024-01-22");
	assert_int_equal(run(&aw, &s, "2024-05-13"), 13200 + 13200 + 15160 + 17120 + 17120);
	assert_posted(&s, (const int64_t[]){ 13200, 13200, 15160, 17120, 17120 }, 5);
	/* keys: one rate, one assessment: alike; across the rate change, none */
	k1 = phsg_award_stretch_key(sc, &aw, D("2024-01-22"), D("2024-02-19"));
	assert_true(k1 != 0);
	assert_true(phsg_award_stretch_key(sc, &aw, D("2024-02-19"), D("2024-03-18")) == k1);
	assert_true(phsg_award_stretch_key(sc, &aw, D("2024-03-18"), D("2024-04-15")) == 0);
	k2 = phsg_award_stretch_key(sc, &aw, D("2024-04-15"), D("2024-05-13"));
	assert_true(k2 != 0 && k2 != k1);
	/* outside the award: none */
	assert_true(phsg_award_stretch_key(sc, &aw, D("2024-01-15"), D("2024-02-12")) == 0);
	assert_true(phsg_award_stretch_key(sc, &aw, D("2025-12-29"), D("2026-01-26")) == 0);
	assert_true(phsg_award_stretch_key(sc, &aw, D("2024-02-19"), D("2024-02-19")) == 0);
	phsg_award_release(&aw);

	/* from 2026-04-13, suspended 05-18 to 05-25, low (0.5 h, 10.70 a week)
	 * from 07-20: 04-13: 171.20; 05-11: 3 weeks x 42.80 = 128.40; 06-08:
	 * 171.20; 07-06: 2 x 42.80 + 2 x 10.70 = 107.00; 08-03 and 08-31 (due
	 * 08-28, before the bank holiday): 4 x 10.70 = 42.80 each */
	memset(&s, 0, sizeof(s));
	make_award(&aw, "long-term-support", "{\"maintenance\": \"high\"}", "2026-04-13");
	assert_int_equal(apply(&aw, "suspend", "2026-05-18", "{\"to\": \"2026-05-25\"}"), 0);
	assert_int_equal(apply(&aw, "reassess", "2026-07-20", "{\"needs\": {\"maintenance\": \"low\"}}"), 0);
	assert_int_equal(run(&aw, &s, "2026-08-31"), 17120 + 12840 + 17120 + 10700 + 4280 + 4280);
	assert_posted(&s, (const int64_t[]){ 17120, 12840, 17120, 10700, 4280, 4280 }, 6);
	k1 = phsg_award_stretch_key(sc, &aw, D("2026-04-13"), D("2026-05-11"));
	assert_true(k1 != 0);
	assert_true(phsg_award_stretch_key(sc, &aw, D("2026-05-11"), D("2026-06-08")) == 0);
	assert_true(phsg_award_stretch_key(sc, &aw, D("2026-05-25"), D("2026-06-22")) == k1);
	assert_true(phsg_award_stretch_key(sc, &aw, D("2026-07-06"), D("2026-08-03")) == 0);
	k2 = phsg_award_stretch_key(sc, &aw, D("2026-08-03"), D("2026-08-31"));
	assert_true(k2 != 0 && k2 != k1);
	phsg_award_release(&aw);
}

/* Oxfordshire, and its tiered award from 2026-04-13: tier 2 assessed, tier 4 chosen. */
static phsg_scheme *tiered_award(phsg_award *aw)
{
	phsg_scheme *ox = NULL;

	assert_int_equal(phsg_scheme_load(&ox, PHSG_CONFIG_DIR "/oxfordshire.cfg"), 0);
	phsg_award_init(aw, 1, "A1", "client");
	assert_int_equal(phsg_award_apply(aw, ox, "create", D("2026-04-13"),
					  "{\"package\": \"older-people-tiered\", \"tier\": 2, "
					  "\"chosen_tier\": 4, \"method\": \"direct\", \"payee\": \"P1\"}"), 0);
	return ox;
}

/*
 * A person's contribution is withdrawn, not refunded, when a backdated
 * change lowers it: tier 2 assessed (3.00 a week), tier 4 chosen (12.00):
 * 9.00 a week charged, 36.00 a cycle.
 */
static void test_contribution_withdrawn(void **state)
{
	phsg_scheme *ox;
	phsg_award aw;
	phsg_component_state st[2];
	phsg_payrule_result r;
	long done[2];
	(void)state;

	ox = tiered_award(&aw);
	assert_int_equal(phsg_award_apply(&aw, ox, "reassess", D("2026-04-13"), "{\"chosen_tier\": 2}"), 0);
	/* two cycles charged before the change (72.00), paid nothing for the tier itself
	 * (not simulated): the next newly due cycle, 06-08, withdraws the 72.00 */
	done[0] = phsg_payrule_cycle_of(&ox->calendar, D("2026-04-13"));
	done[1] = done[0] + 1;
	st[0] = (phsg_component_state){ 7200, done, 2 };
	st[1] = (phsg_component_state){ 2400, done, 2 };
	phsg_payrule_result_init(&r);
	assert_int_equal(phsg_payrule_apply(&r, ox, &aw, D("2026-06-08"), st), 0);
	assert_int_equal(r.n_postings, 2);
	assert_int_equal(r.postings[0].comp, PHSG_CONTRIBUTION);
	assert_int_equal(r.postings[0].kind, PHSG_POST_CYCLE);
	assert_int_equal(r.postings[0].amount, -7200);
	/* the tier itself: E(07-06) = 12 weeks x 3.00 = 36.00; paid 24.00: 12.00 */
	assert_int_equal(r.postings[1].comp, 0);
	assert_int_equal(r.postings[1].amount, 1200);
	assert_int_equal(r.outstanding[0], 0);
	/* the next cycle, 07-06: nothing more to charge or withdraw (0.00 is not a
	 * charge); the tier itself 4 x 3.00 = 12.00 */
	long done3[3] = { done[0], done[1], done[1] + 1 };
	st[0] = (phsg_component_state){ 0, done3, 3 };
	st[1] = (phsg_component_state){ 3600, done3, 3 };
	phsg_payrule_result_reset(&r);
	assert_int_equal(phsg_payrule_apply(&r, ox, &aw, D("2026-07-06"), st), 0);
	assert_int_equal(r.n_postings, 1);
	assert_int_equal(r.postings[0].comp, 0);
	assert_int_equal(r.postings[0].amount, 1200);
	phsg_payrule_result_release(&r);
	phsg_award_release(&aw);
	phsg_scheme_free(ox);
}

/*
 * A cycle that charges the person nothing posts no charge of 0.00: tier 2
 * assessed (3.00 a week), tier 4 chosen (12.00) from 2026-04-13, tier 2
 * chosen again from 05-11.  A run on 05-11: cycle 04-13 charges 4 x 9.00
 * = 36.00, cycle 05-11 nothing; the tier itself 4 x 3.00 = 12.00 each.
 */
static void test_contribution_nothing_to_charge(void **state)
{
	phsg_scheme *ox;
	phsg_award aw;
	phsg_component_state st[2] = { { 0, NULL, 0 }, { 0, NULL, 0 } };
	phsg_payrule_result r;
	(void)state;

	ox = tiered_award(&aw);
	assert_int_equal(phsg_award_apply(&aw, ox, "reassess", D("2026-05-11"), "{\"chosen_tier\": 2}"), 0);
	phsg_payrule_result_init(&r);
	assert_int_equal(phsg_payrule_apply(&r, ox, &aw, D("2026-05-11"), st), 0);
	assert_int_equal(r.n_postings, 3);
	assert_int_equal(r.postings[0].comp, PHSG_CONTRIBUTION);
	assert_int_equal(r.postings[0].amount, 3600);
	assert_int_equal(r.postings[1].comp, 0);
	assert_int_equal(r.postings[1].amount, 1200);
	assert_int_equal(r.postings[2].comp, 0);
	assert_int_equal(r.postings[2].amount, 1200);
	phsg_payrule_result_release(&r);
	phsg_award_release(&aw);
	phsg_scheme_free(ox);
}

/*
 * Paid ahead of the cycle: the scheme of Medway with lead_days = 7.  Cycle
 * 2026-04-13 is due 04-06, Easter Monday, rolled back over Good Friday to
 * Thursday 04-02; cycle 05-11 is due 05-04, a bank holiday, rolled back to
 * Friday 05-01.  So a run on 05-01 pays the 05-11 cycle although 05-01
 * lies in the cycle before (the run looks past it for a due date rolled
 * forward into it).  4 x 42.80 = 171.20 a cycle.
 */
static void test_lead_days(void **state)
{
	char dir[] = "/tmp/phsg-lead-XXXXXX", cfg[64], cmd[256];
	phsg_scheme *medway = sc, *lead = NULL;
	phsg_award aw;
	sim s = { 0 };
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(cfg, sizeof(cfg), "%s/lead.cfg", dir);
	snprintf(cmd, sizeof(cmd), "sed 's/lead_days = 0;/lead_days = 7;/' %s/medway.cfg > %s && "
		 "cp %s/bank-holidays-england-wales.cfg %s/", PHSG_CONFIG_DIR, cfg, PHSG_CONFIG_DIR, dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(phsg_scheme_load(&lead, cfg), 0);
	assert_int_equal(lead->calendar.lead_days, 7);
	sc = lead;
	make_award(&aw, "long-term-support", "{\"maintenance\": \"high\"}", "2026-04-13");
	assert_int_equal(run(&aw, &s, "2026-04-01"), 0);
	assert_int_equal(run(&aw, &s, "2026-04-02"), 17120);
	assert_int_equal(run(&aw, &s, "2026-04-30"), 0);
	assert_int_equal(run(&aw, &s, "2026-05-01"), 17120);
	assert_posted(&s, (const int64_t[]){ 17120, 17120 }, 2);
	phsg_award_release(&aw);
	sc = medway;
	phsg_scheme_free(lead);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_no_drift),
		cmocka_unit_test(test_awkward_daily_amount),
		cmocka_unit_test(test_event_rules),
		cmocka_unit_test(test_accrual_with_events),
		cmocka_unit_test(test_cut_larger_than_a_cycle),
		cmocka_unit_test(test_nothing_due_yet),
		cmocka_unit_test(test_stretches),
		cmocka_unit_test(test_lead_days),
		cmocka_unit_test(test_contribution_withdrawn),
		cmocka_unit_test(test_contribution_nothing_to_charge),
	};
	return cmocka_run_group_tests_name("payrule", tests, setup, teardown);
}
