/*
 * cmd_recovery.c - money coming back, and people's own contributions:
 *
 *   phsg recovery receive AWARD --amount A --on DATE
 *   phsg contribution receive|refund AWARD --amount A --on DATE
 *
 * A recovery is split over the award's components in package order, each
 * taking at most what it owes back (phsg_payrule_owed_back: paid beyond
 * the rounded entitlement to the end of its last processed cycle).  More
 * than is owed, or anything when nothing is, is refused: money received
 * that nothing explains would be paid straight back by the next run.
 *
 * A person's contribution (a tier above the assessed one) is charged by
 * the runs; what the person pays is recorded here, and a refund is allowed
 * only of money actually received beyond what was charged.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const char recovery_usage[] =
	"usage: phsg recovery receive AWARD --amount A --on DATE\n"
	"\n"
	"Record money received back from a payee for an overpaid award.  Refused\n"
	"(exit 1) when the award owes nothing back, or for more than it owes.\n";

static const char contribution_usage[] =
	"usage: phsg contribution receive AWARD --amount A --on DATE\n"
	"       phsg contribution refund AWARD --amount A --on DATE\n"
	"\n"
	"A person's own contribution (a tier above the one assessed): money they\n"
	"paid, or money refunded to them.  A refund is refused (exit 1) for more\n"
	"than they paid beyond what was charged (see phsg report contributions).\n";

typedef struct {
	const char *sub, *award;
	int64_t amount;
	phsg_date on;
	const char *amount_s, *on_s;
} money_in;

/* SUB AWARD --amount A --on DATE, for `what`. */
static int parse_money_in(int argc, char **argv, const char *what, const char *usage,
			  const char *const *subs, money_in *m)
{
	static const struct option opts[] = {
		{ "amount", required_argument, NULL, 'a' },
		{ "on", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc, known = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': m->amount_s = optarg; break;
		case 'o': m->on_s = optarg; break;
		case 'h': fputs(usage, stdout); return -1;
		default: return cli_usage_error("%s: unknown or incomplete option '%s'", what, argv[optind - 1]);
		}
	}
	if (optind + 2 != argc)
		return cli_usage_error("usage: phsg %s %s AWARD --amount A --on DATE", what, subs[0]);
	m->sub = argv[optind];
	m->award = argv[optind + 1];
	for (size_t i = 0; subs[i]; i++)
		known |= strcmp(m->sub, subs[i]) == 0;
	if (!known)
		return cli_usage_error("unknown %s command '%s' (see phsg %s --help)", what, m->sub, what);
	if (!m->amount_s || !m->on_s)
		return cli_usage_error("%s %s: --amount and --on are required", what, m->sub);
	if ((rc = cli_parse_pence("--amount", m->amount_s, &m->amount)) ||
	    (rc = cli_parse_date("--on", m->on_s, &m->on)))
		return rc;
	if (m->amount <= 0)
		return cli_usage_error("--amount must be more than 0.00");
	return 0;
}

/* Open both, start a transaction and load the award; prints nothing. */
static int begin_award(const cli_globals *g, const char *ref, phsg_scheme **sc, phsg_ledger **l,
		       phsg_award *aw)
{
	long long id = 0;
	int rc;

	memset(aw, 0, sizeof(*aw));
	if ((rc = cli_open_both(g, sc, l, 0)))
		return rc;
	if ((rc = phsg_ledger_begin(*l, PHSG_LEDGER_WAIT_MS)) ||
	    (rc = phsg_ledger_award_lookup(&id, *l, ref)) ||
	    (rc = phsg_ledger_award_load(aw, *l, *sc, id)))
		return cli_fail(rc);
	return 0;
}

static void end_award(phsg_scheme *sc, phsg_ledger *l, phsg_award *aw)
{
	phsg_award_release(aw);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
}

int cmd_recovery(const cli_globals *g, int argc, char **argv)
{
	static const char *const subs[] = { "receive", NULL };
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw;
	money_in m = { 0 };
	int rc = parse_money_in(argc, argv, "recovery", recovery_usage, subs, &m);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = begin_award(g, m.award, &sc, &l, &aw)) == 0) {
		if ((rc = phsg_ledger_recovery_receive(l, sc, &aw, m.amount, m.on)) ||
		    (rc = phsg_ledger_commit(l)))
			rc = cli_fail(rc);
		else
			printf("%s: recovery of %s received on %s\n", aw.ref, m.amount_s, m.on_s);
	}
	end_award(sc, l, &aw);
	return rc;
}

int cmd_contribution(const cli_globals *g, int argc, char **argv)
{
	static const char *const subs[] = { "receive", "refund", NULL };
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_award aw;
	money_in m = { 0 };
	int refund, rc = parse_money_in(argc, argv, "contribution", contribution_usage, subs, &m);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	refund = strcmp(m.sub, "refund") == 0;
	if ((rc = begin_award(g, m.award, &sc, &l, &aw)))
		goto done;
	if ((rc = phsg_ledger_contribution_record(l, &aw, refund, m.amount, m.on)) ||
	    (rc = phsg_ledger_commit(l)))
		goto fail;
	printf("%s: contribution of %s %s on %s\n", aw.ref, m.amount_s,
	       refund ? "refunded" : "received", m.on_s);
	goto done;
fail:
	rc = cli_fail(rc);
done:
	end_award(sc, l, &aw);
	return rc;
}
