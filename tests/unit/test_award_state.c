/*
 * test_award_state.c - an award kept as one line of text (award_state.c):
 * the text as its format says, the same award back, and every damaged or
 * foreign text refused with nothing half read.
 */
#include <gmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "phsg.h"
#include "phsg/award.h"

#ifndef PHSG_CONFIG_DIR
#define PHSG_CONFIG_DIR "config"
#endif

static phsg_scheme *medway, *oxon;

static int setup(void **state)
{
	(void)state;
	return phsg_scheme_load(&medway, PHSG_CONFIG_DIR "/medway.cfg") ||
	       phsg_scheme_load(&oxon, PHSG_CONFIG_DIR "/oxfordshire.cfg");
}

static int teardown(void **state)
{
	(void)state;
	phsg_scheme_free(medway);
	phsg_scheme_free(oxon);
	return 0;
}

static phsg_date D(const char *s)
{
	phsg_date d = 0;
	assert_int_equal(phsg_date_parse(&d, s), 0);
	return d;
}

/* An award replayed from events given as kind, date, JSON, ..., NULL. */
static void replayed(phsg_award *aw, const phsg_scheme *sc, ...)
{
	phsg_award_event ev[16];
	size_t n = 0;
	va_list ap;

	va_start(ap, sc);
	while ((ev[n].kind = va_arg(ap, const char *)) != NULL) {
		ev[n].effective = D(va_arg(ap, const char *));
		ev[n].data = va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	phsg_award_init(aw, 7, "A1", "C1");
	assert_int_equal(phsg_award_replay(aw, sc, ev, n, 0), 0);
}

/*
 * The same award back from its state: the same text again, the same dates
 * and flags, and the same money, hours and payee on every day of a span
 * around it, per component and for the contribution.
 */
static void same_back(const phsg_award *aw, const phsg_scheme *sc)
{
	char *text = phsg_award_state(aw), *again;
	phsg_award back;
	mpq_t a1, h1, a2, h2;

	phsg_award_init(&back, aw->id, aw->ref, aw->client);
	assert_int_equal(phsg_award_from_state(&back, sc, text), 0);
	again = phsg_award_state(&back);
	assert_string_equal(again, text);
	assert_ptr_equal(back.package, aw->package);
	assert_int_equal(back.start, aw->start);
	assert_int_equal(back.end, aw->end);
	assert_int_equal(back.closed, aw->closed);
	assert_int_equal(back.withdrawn, aw->withdrawn);
	assert_int_equal(back.social_care, aw->social_care);
	assert_int_equal(back.n_assess, aw->n_assess);
	assert_int_equal(back.n_susp, aw->n_susp);
	assert_int_equal(back.n_payees, aw->n_payees);
	mpq_inits(a1, h1, a2, h2, NULL);
	for (int comp = -1; comp < (int)aw->package->n_components; comp++) {
		mpq_set_ui(a1, 0, 1);
		mpq_set_ui(h1, 0, 1);
		mpq_set_ui(a2, 0, 1);
		mpq_set_ui(h2, 0, 1);
		assert_int_equal(phsg_award_accrue(a1, h1, sc, aw, comp, aw->start - 30, aw->end + 30), 0);
		assert_int_equal(phsg_award_accrue(a2, h2, sc, &back, comp, aw->start - 30, aw->end + 30), 0);
		assert_true(mpq_equal(a1, a2));
		assert_true(mpq_equal(h1, h2));
		for (phsg_date d = aw->start; comp >= 0 && d < aw->end; d += 7) {
			int m1, m2;
			assert_string_equal(phsg_award_payee(aw, comp, d, &m1),
					    phsg_award_payee(&back, comp, d, &m2));
			assert_int_equal(m1, m2);
			assert_string_equal(phsg_award_status(aw, d), phsg_award_status(&back, d));
		}
	}
	mpq_clears(a1, h1, a2, h2, NULL);
	phsg_award_release(&back);
	free(again);
	free(text);
}

/*
 * The text, worked from the format in award_state.c for Medway's
 * supported-living at level 2 (12 months) from 2026-04-13: intensive high
 * ('0'), basic not assessed ('-'), maintenance low ('2'), in the scheme's
 * order of interventions; paid direct (1) to P1; its one implicit
 * component with no payee of its own ('-').
 */
static void test_text(void **state)
{
	phsg_award aw;
	char want[512], *text;
	(void)state;

	replayed(&aw, medway, "create", "2026-04-13", "{\"package\": \"supported-living\", "
		 "\"level\": 2, \"needs\": {\"intensive\": \"high\", \"maintenance\": \"low\"}, "
		 "\"method\": \"direct\", \"payee\": \"P1\"}", NULL);
	snprintf(want, sizeof(want), "1 16:supported-living 2 %d %d 12 0 0 0 %d 1 %d 16:supported-living "
		 "2 0 0 0 0 3:0-2 0 1 %d 1 2:P1 1 - ", (int)D("2026-04-13"), (int)D("2027-04-13"),
		 (int)D("2026-04-13"), (int)D("2026-04-13"), (int)D("2026-04-13"));
	text = phsg_award_state(&aw);
	assert_string_equal(text, want);
	free(text);
	same_back(&aw, medway);
	phsg_award_release(&aw);
}

/* Every event kind, both schemes: reassessed, suspended, payee changed, extended, ended. */
static void test_round_trip(void **state)
{
	phsg_award aw;
	(void)state;

	replayed(&aw, medway, "create", "2026-04-13", "{\"package\": \"acquiring-independence\", "
		 "\"needs\": {\"intensive\": \"high\", \"basic\": \"medium\"}, \"method\": \"direct\", "
		 "\"payee\": \"P1\", \"social_care\": true}",
		 "reassess", "2026-06-08", "{\"needs\": {\"intensive\": \"low\", \"maintenance\": \"high\"}}",
		 "suspend", "2026-07-06", "{\"to\": \"2026-08-03\"}",
		 "change-payee", "2026-09-01", "{\"method\": \"card\", \"payee\": \"K 1:x\"}",
		 "extend", "2027-04-13", "{\"months\": 12}",
		 "suspend", "2027-06-01", "{}", NULL);
	assert_int_equal(aw.n_assess, 2);
	assert_int_equal(aw.n_susp, 2);
	assert_int_equal(aw.susp[1].to, PHSG_DATE_MAX);
	assert_int_equal(aw.n_payees, 2);
	assert_int_equal(aw.total_months, 24);
	assert_true(aw.social_care);
	same_back(&aw, medway);
	phsg_award_release(&aw);

	replayed(&aw, medway, "create", "2026-04-13", "{\"package\": \"housing-options\", "
		 "\"needs\": {\"basic\": \"low\"}, \"method\": \"provider\", \"payee\": \"B7\"}",
		 "end", "2026-05-20", "{}", NULL);
	assert_true(aw.closed);
	same_back(&aw, medway);
	phsg_award_release(&aw);

	replayed(&aw, medway, "create", "2026-04-13", "{\"package\": \"housing-options\", "
		 "\"needs\": {\"basic\": \"low\"}, \"method\": \"provider\", \"payee\": \"B7\"}",
		 "cancel", "2026-04-20", "{\"event\": 1, \"reason\": \"in error\"}", NULL);
	assert_true(aw.withdrawn);
	same_back(&aw, medway);
	phsg_award_release(&aw);

	/* hours of two and a half (5/2), a component paid to a payee of the person's choosing */
	replayed(&aw, oxon, "create", "2026-04-13", "{\"package\": \"core-and-flexi\", "
		 "\"hours\": \"2.5\", \"method\": \"direct\", \"payee\": \"P1\", "
		 "\"component_payees\": {\"flexi\": \"PX\"}}",
		 "reassess", "2026-06-08", "{\"hours\": \"0.125\"}", NULL);
	assert_true(aw.assess[0].a.has_hours);
	assert_non_null(aw.component_payees[1]);
	same_back(&aw, oxon);
	phsg_award_release(&aw);

	replayed(&aw, oxon, "create", "2026-04-13", "{\"package\": \"older-people-tiered\", "
		 "\"tier\": 2, \"chosen_tier\": 4, \"method\": \"direct\", \"payee\": \"P1\"}",
		 "reassess", "2026-06-08", "{\"chosen_tier\": 3}", NULL);
	assert_true(phsg_award_has_contribution(&aw));
	same_back(&aw, oxon);
	phsg_award_release(&aw);
}

/* A text refused: PHSG_ELEDGER, and the award left as it was started, nothing leaked. */
static void refused(const phsg_scheme *sc, const char *text)
{
	phsg_award aw;

	phsg_award_init(&aw, 7, "A1", "C1");
	if (phsg_award_from_state(&aw, sc, text) != PHSG_ELEDGER)
		fail_msg("taken: \"%s\"", text);
	assert_non_null(strstr(phsg_error_last(), "award A1: its stored state"));
	assert_null(aw.package);
	assert_int_equal(aw.n_assess, 0);
	assert_int_equal(aw.n_payees, 0);
	assert_null(aw.assess);
	assert_int_equal(aw.id, 7);
	assert_string_equal(aw.ref, "A1");
	assert_string_equal(aw.client, "C1");
	phsg_award_release(&aw);
}

/* The good text with `from` (which it holds once) made `to`. */
static void refused_edit(const phsg_scheme *sc, const char *good, const char *from, const char *to)
{
	const char *at = strstr(good, from);
	char text[1024];

	assert_non_null(at);
	assert_null(strstr(at + 1, from));
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	refused(sc, text);
}

static void test_refused(void **state)
{
	phsg_award aw;
	char *good, *text;
	size_t n;
	(void)state;

	replayed(&aw, oxon, "create", "2026-04-13", "{\"package\": \"core-and-flexi\", "
		 "\"hours\": \"2.5\", \"method\": \"direct\", \"payee\": \"P1\", "
		 "\"component_payees\": {\"flexi\": \"PX\"}}", NULL);
	good = phsg_award_state(&aw);
	phsg_award_release(&aw);
	/* what the edits below start from: the text as the format gives it */
	assert_non_null(strstr(good, "1 14:core-and-flexi 0 "));
	assert_non_null(strstr(good, " 0 0 0 1 5/2 0: 0 1 "));
	assert_non_null(strstr(good, " 1 2:P1 3 - 2:PX - "));

	refused(oxon, "");
	refused(oxon, "1");
	refused_edit(oxon, good, "1 14:core", "2 14:core");           /* another format */
	refused_edit(oxon, good, "1 14:core", "1 14:cord");           /* no such package */
	refused_edit(medway, good, "1 14:core", "1 14:core");         /* nor in Medway */
	refused_edit(oxon, good, "1 14:core-and-flexi 0 ", "1 14:core-and-flexi 3 ");  /* no level 3 */
	refused_edit(oxon, good, "1 14:core", "1 15:core");           /* length past the text */
	refused_edit(oxon, good, "1 14:core", "1 99999999999:core");  /* a length no text has */
	refused_edit(oxon, good, " 5/2 ", " 10/4 ");                  /* not GMP's own form */
	refused_edit(oxon, good, " 5/2 ", " 1/0 ");
	refused_edit(oxon, good, " 5/2 ", " -5/2 ");
	refused_edit(oxon, good, " 5/2 ", " 5/2x ");
	refused_edit(oxon, good, " 0 1 5/2 0: ", " 0 2 5/2 0: ");     /* has_hours is 0 or 1 */
	refused_edit(oxon, good, " 5/2 0: ", " 5/2 1:0 ");            /* Oxfordshire assesses no intervention */
	refused_edit(oxon, good, " 1 2:P1 ", " 3 2:P1 ");             /* two methods at once */
	refused_edit(oxon, good, " 1 2:P1 ", " 8 2:P1 ");             /* no such method */
	refused_edit(oxon, good, " 1 2:P1 ", " 1 3:P1 ");             /* payee's length */
	refused_edit(oxon, good, " 3 - 2:PX - ", " 2 - 2:PX ");       /* core-and-flexi has 3 components */
	refused_edit(oxon, good, " 3 - 2:PX - ", " 3 1:y 2:PX - ");   /* core's payee is the scheme's */
	refused_edit(oxon, good, " 0: 0 1 ", " 0: 0 99 ");            /* more payees than the text holds */
	/* its end, 2027-04-13 (day 20921), then its 12 months */
	refused_edit(oxon, good, " 20921 12 ", " 20921 +12 ");        /* a sign phsg never writes */
	refused_edit(oxon, good, " 20921 12 ", " 20921  12 ");        /* two spaces */
	refused_edit(oxon, good, " 20921 12 ", " 20921 0 ");          /* no months awarded */
	n = strlen(good);
	text = malloc(n + 3);
	assert_non_null(text);
	snprintf(text, n + 3, "%sx ", good);                          /* more than an award */
	refused(oxon, text);
	snprintf(text, n + 3, "%.*s", (int)n - 1, good);              /* its last space cut */
	refused(oxon, text);
	free(text);
	free(good);

	/* Medway's needs, one character per intervention (test_text's award: "3:0-2") */
	replayed(&aw, medway, "create", "2026-04-13", "{\"package\": \"supported-living\", "
		 "\"level\": 2, \"needs\": {\"intensive\": \"high\", \"maintenance\": \"low\"}, "
		 "\"method\": \"direct\", \"payee\": \"P1\"}", NULL);
	good = phsg_award_state(&aw);
	phsg_award_release(&aw);
	refused_edit(medway, good, " 3:0-2 ", " 3:0-3 ");             /* no need 3 */
	refused_edit(medway, good, " 3:0-2 ", " 3:0-x ");
	refused_edit(medway, good, " 3:0-2 ", " 4:0-2- ");            /* four for three interventions */
	refused_edit(medway, good, " 3:0-2 ", " 2:0- ");
	refused_edit(oxon, good, "1 16:supported", "1 16:supported");  /* no such package in Oxfordshire */
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
