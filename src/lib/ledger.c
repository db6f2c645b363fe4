/*
 * ledger.c - the ledger's rules, over any backend.
 *
 * Everything phsg knows about its stored state is here, once: how an
 * award is numbered and rebuilt from its events, which bank details a
 * payment goes to, when a batch may be voided, sent or have a payment
 * returned, what an award has been paid net of reversals and recoveries,
 * and what `phsg verify` checks.  Where the rows live is a backend's
 * business (phsg/sys/ledger_backend.h): SQLite in ledger_sqlite.c,
 * PostgreSQL in ledger_pg.c.  Both run the statements below as written:
 * portable SQL with numbered parameters, ?20 always the time the current
 * transaction began, so every row a command writes carries the same time.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "phsg/error.h"
#include "phsg/text.h"
#include "phsg/plan.h"
#include "phsg/version.h"
#include "phsg/sys/ledger_backend.h"
#include "util.h"
#include "award_json.h"
#include "ledger_chunk.h"
#include "phsg/ledger.h"

enum {
	S_PAYEE_ADD, S_PAYEE_GET, S_AWARD_NEXT_ID, S_AWARD_ADD, S_INDEX_ADD, S_AWARD_LOOKUP,
	S_AWARD_ROW, S_EVENT_ADD, S_EVENTS, S_DIRTY, S_AWARD_IDS, S_AWARD_IDS_AFTER, S_META_GET, S_META_SET,
	S_ALL_DIRTY, S_DUE, S_DUE_COUNT, S_DUE_UPTO, S_DUE_AFTER, S_ANY_DIRTY, S_CLEAN_DUE_MIN, S_PAID, S_RECOVERED, S_CHARGED, S_PROCESSED, S_NEXT_BATCH,
	S_BATCH_ADD, S_PAYMENT_ADD, S_CONTRIB_ADD, S_PROCESSED_ADD, S_INDEX_SET, S_BATCH_ROW,
	S_BATCH_EVENTS, S_BATCH_PAYMENTS, S_BATCH_EVENT_ADD, S_VOID_PAYMENTS,
	S_VOID_DIRTY, S_AWARD_PAYMENTS, S_RECOVERY_ADD, S_PAID_ASOF, S_RECOVERED_ASOF,
	S_CHARGED_ASOF, S_JOURNAL, S_BATCH_EACH, S_PAYMENT_GET, S_RETURN_REVERSAL, S_RETURN_ADD,
	S_RECEIPT_ADD, S_RECEIPTS_ASOF, S_CLIENT_AWARDS, S_BATCH_TOTAL, S_AWARD_RECOVERIES,
	S_V_TOTALS, S_V_REVERSALS, S_V_TWICE, S_V_AMOUNTS, S_PAYEE_DETAILS_ADD, S_PAYEE_ACCREDIT_ADD,
	S_PAYEE_LAST_DUE, S_PAYEE_LIST, S_PAYEE_HISTORY, S_BATCH_PAYEES, S_PAYEE_PREV_DUE, S_PAYEE_CHANGES,
	S_BATCH_IDS, S_BATCH_SUMMARY, S_PAYMENTS_RANGE, S_PACKAGES, S_RETURN_OF, S_PLAN_LIST,
	S_PLAN_ADD, S_REVIEW_MARKS, S_REVIEW_DATES, S_REVIEW_ADD, S_REVIEW_STATUS_ADD,
	S_WALK_AWARDS, S_WALK_EVENTS, S_WALK_PAID, S_WALK_RECOVERED, S_WALK_CHARGED, S_WALK_RECEIPTS,
	S_RUN_AWARDS, S_RUN_PROCESSED, S_PAYEE_AWARD_ADD, S_V_PAYEE_AWARDS, S_V_STATE, S_STATE_SET,
	S_V_INDEX, S_ROWS, S_RUN_WHOLE, S_V_LATEST, S_COUNT
};

/*
 * A sum of stored pence, NULL when a stored amount is not a whole number
 * (a ledger edited by hand): step_int() refuses it, never adds it as 0.
 * SQLite's sum() is an integer only when every amount it adds is one (a
 * real, a text or a blob makes it a real), and NULL over no rows: so the
 * type of the sum says it, with no test of each row (issue 15).
 */
#define WHOLE_SUM "CASE typeof(sum(amount)) WHEN 'integer' THEN sum(amount) WHEN 'null' THEN 0 END"

/*
 * Awards per chunk of a walk over every award (a report): 2,048 reads a
 * 100,000-award PostgreSQL ledger in 49 chunks of six statements each.
 * `report balances` there (medians of five): 256 a chunk 1.10 s and a
 * 9.6 MB peak; 1,024 0.84 s, 10.3 MB; 2,048 0.75 s, 11.8 MB; 4,096 0.76 s,
 * 14.6 MB.  SQLite's time does not change with it.
 */
#define WALK_CHUNK 2048
#define TEXT_OF(n) #n
#define NUMBER_TEXT(n) TEXT_OF(n)

/*
 * An award's kept state (award_states, award_state.c), when it may be used
 * instead of its events: no event since the run that wrote it (award_index
 * i, dirty 0), and the ledger last ran under the scheme and phsg bound as
 * `key` (state_key()).  Read by the same statement as the state, so a run
 * that commits between two chunks of a walk cannot give it a state from
 * another scheme.  The statement joins award_index i and award_states k
 * for the awards a whose ids are in `range`, written out for each table so
 * that PostgreSQL reads each from there (it carries an equality from one
 * table to another, not a range: with a.id alone each chunk read both
 * tables from their first row).
 */
#define KEPT_STATE(key) "CASE WHEN i.dirty = 0 AND (SELECT value FROM meta" \
	" WHERE key = 'scheme_fingerprint') = " key " THEN k.state END"
#define KEPT_JOIN(range) " LEFT JOIN award_index i ON i.award_id = a.id AND i.award_id " range \
	" LEFT JOIN award_states k ON k.award_id = a.id AND k.award_id " range
#define STATE_KEY_BUF 64

/* What the ledger's meta records a run's scheme by: its files and this phsg's version. */
static void state_key(char key[STATE_KEY_BUF], const char *fingerprint)
{
	snprintf(key, STATE_KEY_BUF, "%s phsg %s", fingerprint, PHSG_VERSION);
}

/*
 * The journal's order (date, then payments, recoveries, contributions and
 * receipts, then id) as one integer: the date's YYYYMMDD times 2^36, the
 * table times 2^34, plus the id (at most 99991231 x 2^36 + 4 x 2^34, under
 * 2^63).  PostgreSQL sorts 900,000 such keys in a third of the time it
 * took for the three columns, whose ties on the date it settled by reading
 * both rows again; SQLite's sort takes less CPU too.  It holds ids below
 * 2^34 (JOURNAL_ID_LIMIT), which phsg_ledger_journal() checks.
 */
#define JOURNAL_KEY(date, table, id) "CAST(replace(" date ", '-', '') AS bigint) * 68719476736 + " \
	table " * 17179869184 + " id
#define JOURNAL_ID_LIMIT (INT64_C(1) << 34)

/*
 * One award's payments (`p` their table's name and a dot, or ""), read
 * batch by batch: SQLite indexes payments by batch, then award
 * (payments_batch, ledger/migrations/0009-run-sums.sql), so each batch's
 * part of the index is one seek, and the payments outside any batch
 * (opening postings) are under NULL.  PostgreSQL reads them by its index by
 * award, the condition a filter.
 */
#define IN_BATCHES(p) "(" p "batch_id IS NULL OR " p "batch_id IN (SELECT id FROM batches))"

/*
 * When payment `p` was written: its own created_at, or, for a payment a run
 * wrote since ledger version 11 (created_at and operator ''), its batch's,
 * which the same transaction wrote.  '' when it has neither (a row written
 * behind phsg's back: phsg verify says so).
 */
#define PAYMENT_CREATED(p) "CASE WHEN " p ".created_at <> '' THEN " p ".created_at ELSE" \
	" coalesce((SELECT b.created_at FROM batches b WHERE b.id = " p ".batch_id), '') END"

static const char *const sql[S_COUNT] = {
	[S_PAYEE_ADD] = "INSERT INTO payees(ref, name, kind, sort_code, account, card_id, created_at, operator)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?20, ?7)",
	/* a payee's details in force on ?2: the latest dated change, else the payees row */
	[S_PAYEE_GET] = "SELECT y.ref, y.name, coalesce(d.kind, y.kind),"
		" CASE WHEN d.id IS NULL THEN y.sort_code ELSE d.sort_code END,"
		" CASE WHEN d.id IS NULL THEN y.account ELSE d.account END,"
		" CASE WHEN d.id IS NULL THEN y.card_id ELSE d.card_id END,"
		" coalesce((SELECT a.accredited FROM payee_accreditation a WHERE a.payee_id = y.id"
		" AND a.from_date <= ?2 ORDER BY a.from_date DESC, a.id DESC LIMIT 1), 0), y.id"
		" FROM payees y LEFT JOIN payee_details d ON d.id = (SELECT x.id FROM payee_details x"
		" WHERE x.payee_id = y.id AND x.from_date <= ?2 ORDER BY x.from_date DESC, x.id DESC"
		" LIMIT 1) WHERE y.ref = ?1",
	[S_AWARD_NEXT_ID] = "SELECT coalesce(max(id), 0) + 1 FROM awards",
	[S_AWARD_ADD] = "INSERT INTO awards(id, ref, client, package, created_at, operator)"
		" VALUES (?1, ?2, ?3, ?4, ?20, ?5)",
	[S_INDEX_ADD] = "INSERT INTO award_index(award_id, next_due, dirty) VALUES (?1, NULL, 1)",
	[S_AWARD_LOOKUP] = "SELECT id FROM awards WHERE ref = ?1",
	[S_AWARD_ROW] = "SELECT ref, client FROM awards WHERE id = ?1",
	[S_EVENT_ADD] = "INSERT INTO award_events(award_id, kind, effective, data, recorded_at, operator)"
		" VALUES (?1, ?2, ?3, ?4, ?20, ?5)",
	[S_EVENTS] = "SELECT id, kind, effective, data, recorded_at, operator FROM award_events"
		" WHERE award_id = ?1 ORDER BY id",
	[S_DIRTY] = "UPDATE award_index SET dirty = 1 WHERE award_id = ?1",
	[S_AWARD_IDS] = "SELECT id FROM awards ORDER BY id",
	/* a page of them, for a check that visits each in bounded memory */
	[S_AWARD_IDS_AFTER] = "SELECT id FROM awards WHERE id > ?1 ORDER BY id LIMIT 256",
	/* a walk over every award, WALK_CHUNK awards at a time: the chunk ?1 to ?2, sums by ?3 */
	[S_WALK_AWARDS] = "SELECT a.id, a.ref, a.client, " KEPT_STATE("?2") ","
		" CASE WHEN i.dirty = 0 THEN i.sums END FROM awards a"
		KEPT_JOIN("> ?1") " WHERE a.id > ?1 ORDER BY a.id LIMIT "
		NUMBER_TEXT(WALK_CHUNK) " " PHSG_PLANNED_EACH_TIME,
	[S_WALK_EVENTS] = "SELECT award_id, kind, effective, data FROM award_events"
		" WHERE award_id BETWEEN ?1 AND ?2 ORDER BY award_id, id " PHSG_PLANNED_EACH_TIME,
	/*
	 * by batch (IN_BATCHES): a row for each award, component and batch,
	 * which the chunk adds up; the range with the chunk's list is the last
	 */
	[S_WALK_PAID] = "SELECT award_id, component, " WHOLE_SUM ", max(due) FROM payments"
		" WHERE batch_id IS NULL AND award_id BETWEEN ?1 AND ?2 AND due <= ?3"
		" GROUP BY award_id, component UNION ALL"
		" SELECT award_id, component, " WHOLE_SUM ", max(due) FROM payments"
		" WHERE batch_id IN (SELECT id FROM batches) AND award_id BETWEEN ?1 AND ?2"
		" AND due <= ?3 GROUP BY batch_id, award_id, component " PHSG_PLANNED_EACH_TIME,
	[S_WALK_RECOVERED] = "SELECT award_id, component, " WHOLE_SUM ", max(received_on) FROM recoveries"
		" WHERE award_id BETWEEN ?1 AND ?2 AND received_on <= ?3 GROUP BY award_id, component "
		PHSG_PLANNED_EACH_TIME,
	[S_WALK_CHARGED] = "SELECT award_id, '', " WHOLE_SUM ", max(due) FROM contributions"
		" WHERE award_id BETWEEN ?1 AND ?2 AND due <= ?3 GROUP BY award_id "
		PHSG_PLANNED_EACH_TIME,
	/* a run's chunk: the awards it was given, among those from ?1 to ?2 */
	[S_RUN_AWARDS] = "SELECT a.id, a.ref, a.client, " KEPT_STATE("?3") ","
		" CASE WHEN i.dirty = 0 THEN i.sums END, CASE WHEN i.dirty = 0 THEN i.cycles END"
		" FROM awards a" KEPT_JOIN("BETWEEN ?1 AND ?2")
		" WHERE a.id BETWEEN ?1 AND ?2 ORDER BY a.id "
		PHSG_PLANNED_EACH_TIME,
	[S_RUN_PROCESSED] = "SELECT award_id, component, first_cycle, last_cycle FROM processed"
		" WHERE award_id BETWEEN ?1 AND ?2 ORDER BY award_id, component, first_cycle "
		PHSG_PLANNED_EACH_TIME,
	[S_WALK_RECEIPTS] = "SELECT award_id, coalesce(sum(CASE kind WHEN 'received' THEN amount END), 0),"
		" coalesce(sum(CASE kind WHEN 'refund' THEN amount END), 0) FROM contribution_receipts"
		" WHERE award_id BETWEEN ?1 AND ?2 AND on_date <= ?3 GROUP BY award_id "
		PHSG_PLANNED_EACH_TIME,
	[S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[S_META_SET] = "INSERT INTO meta(key, value) VALUES (?1, ?2)"
		" ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	/* rows already marked are left alone: a first run, when all are, writes nothing here */
	[S_ALL_DIRTY] = "UPDATE award_index SET dirty = 1 WHERE dirty = 0",
	/* the marked by their index, the others by reading the run's index through (it has no
	 * index by due date since ledger version 11: phsg_ledger_nothing_due() finds an idle
	 * run); sorted by the caller */
	[S_DUE] = "SELECT award_id FROM award_index WHERE dirty = 1 UNION ALL"
		" SELECT award_id FROM award_index WHERE next_due <= ?1 AND dirty = 0",
	[S_DUE_COUNT] = "SELECT (SELECT count(*) FROM award_index WHERE dirty = 1)"
		" + (SELECT count(*) FROM award_index WHERE next_due <= ?1 AND dirty = 0)",
	/* the same, each part counted no further than ?2 */
	[S_DUE_UPTO] = "SELECT (SELECT count(*) FROM (SELECT 1 FROM award_index WHERE dirty = 1 LIMIT ?2) d)"
		" + (SELECT count(*) FROM (SELECT 1 FROM award_index WHERE next_due <= ?1 AND dirty = 0"
		" LIMIT ?2) n)",
	/* a page of them, by the table's own order: read when there are too many to list */
	[S_DUE_AFTER] = "SELECT award_id FROM award_index WHERE award_id > ?2"
		" AND (dirty = 1 OR next_due <= ?1) ORDER BY award_id LIMIT ?3",
	/* by the index of marked awards, which is empty between runs */
	[S_ANY_DIRTY] = "SELECT count(*) FROM (SELECT 1 FROM award_index WHERE dirty = 1 LIMIT 1) d",
	/* the earliest next due date of an award not marked (DUE_FROM_KEY) */
	[S_CLEAN_DUE_MIN] = "SELECT min(next_due) FROM award_index WHERE dirty = 0",
	[S_PAID] = "SELECT " WHOLE_SUM " FROM payments WHERE " IN_BATCHES("") " AND award_id = ?1"
		" AND component = ?2",
	[S_RECOVERED] = "SELECT " WHOLE_SUM " FROM recoveries WHERE award_id = ?1 AND component = ?2",
	[S_CHARGED] = "SELECT " WHOLE_SUM " FROM contributions WHERE award_id = ?1",
	[S_PROCESSED] = "SELECT first_cycle, last_cycle FROM processed WHERE award_id = ?1"
		" AND component = ?2 ORDER BY first_cycle",
	[S_NEXT_BATCH] = "SELECT coalesce(max(id), 0) + 1 FROM batches",
	[S_BATCH_ADD] = "INSERT INTO batches(run_date, created_at, operator)"
		" VALUES (?1, ?20, ?2) RETURNING id",
	/* who and when: a batch's payments leave them to their batch (ledger version 11) */
	[S_PAYMENT_ADD] = "INSERT INTO payments(batch_id, award_id, component, kind, cycle_start,"
		" cycle_end, due, amount, payee, method, created_at, operator) VALUES (?1, ?2, ?3, ?4,"
		" ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?11)",
	[S_CONTRIB_ADD] = "INSERT INTO contributions(batch_id, award_id, cycle_start, cycle_end, due,"
		" amount, created_at, operator) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
		" ?20, ?7)",
	[S_PROCESSED_ADD] = "INSERT INTO processed(batch_id, award_id, component, first_cycle, last_cycle)"
		" VALUES (?1, ?2, ?3, ?4, ?5)",
	/* every award has its row: this updates it, several at once (see struct pending) */
	[S_INDEX_SET] = "INSERT INTO award_index(award_id, next_due, dirty, sums, cycles)"
		" VALUES (?1, ?2, 0, ?3, ?4) ON CONFLICT (award_id) DO UPDATE SET"
		" next_due = excluded.next_due, dirty = 0, sums = excluded.sums, cycles = excluded.cycles",
	[S_STATE_SET] = "INSERT INTO award_states(award_id, state) VALUES (?1, ?2)"
		" ON CONFLICT (award_id) DO UPDATE SET state = excluded.state",
	[S_BATCH_ROW] = "SELECT run_date, created_at, operator FROM batches WHERE id = ?1",
	[S_BATCH_EVENTS] = "SELECT kind FROM batch_events WHERE batch_id = ?1",
	[S_BATCH_PAYMENTS] = "SELECT p.id, a.ref, a.client, a.package, p.component, p.kind, p.cycle_start,"
		" p.cycle_end, p.due, p.amount, p.payee, p.method, coalesce(p.reverses, 0)"
		" FROM payments p JOIN awards a ON a.id = p.award_id WHERE p.batch_id = ?1 ORDER BY p.id",
	[S_BATCH_EVENT_ADD] = "INSERT INTO batch_events(batch_id, kind, recorded_at, operator)"
		" VALUES (?1, ?2, ?20, ?3)",
	[S_VOID_PAYMENTS] = "INSERT INTO payments(batch_id, award_id, component, kind, cycle_start,"
		" cycle_end, due, amount, payee, method, reverses, created_at, operator)"
		" SELECT batch_id, award_id, component, 'reversal', cycle_start, cycle_end, due, -amount,"
		" payee, method, id, ?20, ?2 FROM payments"
		" WHERE batch_id = ?1 AND kind <> 'reversal' ORDER BY id",
	[S_VOID_DIRTY] = "UPDATE award_index SET dirty = 1 WHERE award_id IN"
		" (SELECT award_id FROM payments WHERE batch_id = ?1)",
	[S_AWARD_PAYMENTS] = "SELECT p.id, a.ref, a.client, a.package, p.component, p.kind, p.cycle_start,"
		" p.cycle_end, p.due, p.amount, p.payee, p.method, coalesce(p.reverses, 0),"
		" coalesce(p.batch_id, 0), " PAYMENT_CREATED("p") " FROM payments p"
		" JOIN awards a ON a.id = p.award_id"
		" WHERE " IN_BATCHES("p.") " AND p.award_id = ?1 ORDER BY p.id",
	[S_RECOVERY_ADD] = "INSERT INTO recoveries(award_id, component, amount, received_on, recorded_at,"
		" operator, payee) VALUES (?1, ?2, ?3, ?4, ?20, ?5, ?6)",
	[S_PAID_ASOF] = "SELECT " WHOLE_SUM " FROM payments WHERE " IN_BATCHES("") " AND award_id = ?1"
		" AND component = ?2 AND due <= ?3",
	[S_RECOVERED_ASOF] = "SELECT " WHOLE_SUM " FROM recoveries WHERE award_id = ?1"
		" AND component = ?2 AND received_on <= ?3",
	[S_CHARGED_ASOF] = "SELECT " WHOLE_SUM " FROM contributions WHERE award_id = ?1"
		" AND due <= ?2",
	/* each payment with its payee's details in force on its due date (SPEC section 11) */
	[S_BATCH_EACH] = "SELECT p.id, a.ref, a.client, a.package, p.component, p.kind, p.cycle_start,"
		" p.cycle_end, p.due, p.amount, p.payee, p.method, coalesce(p.reverses, 0), p.batch_id,"
		" y.ref, y.name, coalesce(d.kind, y.kind),"
		" CASE WHEN d.id IS NULL THEN y.sort_code ELSE d.sort_code END,"
		" CASE WHEN d.id IS NULL THEN y.account ELSE d.account END,"
		" CASE WHEN d.id IS NULL THEN y.card_id ELSE d.card_id END"
		" FROM payments p JOIN awards a ON a.id = p.award_id LEFT JOIN payees y ON y.ref = p.payee"
		" LEFT JOIN payee_details d ON d.id = (SELECT x.id FROM payee_details x"
		" WHERE x.payee_id = y.id AND x.from_date <= p.due ORDER BY x.from_date DESC, x.id DESC"
		" LIMIT 1) WHERE p.batch_id = ?1 ORDER BY p.id",
	/*
	 * signed as SPEC section 10 says: paid out and owed by the person
	 * positive; in order of date, source table, and id there, by one
	 * integer (JOURNAL_KEY)
	 */
	[S_JOURNAL] = "SELECT p.kind, p.due, a.ref, a.client, a.package, p.component, p.payee,"
		" p.cycle_start, p.cycle_end, p.amount, p.batch_id, p.id, " JOURNAL_KEY("p.due", "0", "p.id")
		" FROM payments p JOIN awards a ON a.id = p.award_id WHERE p.due <= ?1"
		" UNION ALL SELECT 'recovery', r.received_on, a.ref, a.client, a.package, r.component,"
		" coalesce(r.payee, ''), NULL, NULL, -r.amount, NULL, r.id, " JOURNAL_KEY("r.received_on", "1", "r.id")
		" FROM recoveries r JOIN awards a ON a.id = r.award_id WHERE r.received_on <= ?1"
		" UNION ALL SELECT CASE WHEN c.amount < 0 THEN 'contribution-withdrawn'"
		" ELSE 'contribution-charge' END, c.due, a.ref, a.client, a.package, 'contribution',"
		" a.client, c.cycle_start, c.cycle_end, c.amount, NULL, c.id, " JOURNAL_KEY("c.due", "2", "c.id")
		" FROM contributions c JOIN awards a ON a.id = c.award_id WHERE c.due <= ?1"
		" UNION ALL SELECT 'contribution-' || k.kind, k.on_date, a.ref, a.client, a.package,"
		" 'contribution', a.client, NULL, NULL,"
		" CASE k.kind WHEN 'received' THEN -k.amount ELSE k.amount END, NULL, k.id, "
		JOURNAL_KEY("k.on_date", "3", "k.id")
		" FROM contribution_receipts k JOIN awards a ON a.id = k.award_id WHERE k.on_date <= ?1"
		" ORDER BY 13",
	[S_PAYMENT_GET] = "SELECT p.id, a.ref, a.client, a.package, p.component, p.kind, p.cycle_start,"
		" p.cycle_end, p.due, p.amount, p.payee, p.method, coalesce(p.reverses, 0), p.batch_id,"
		" p.award_id, (SELECT count(*) FROM payments r WHERE r.reverses = p.id)"
		" FROM payments p JOIN awards a ON a.id = p.award_id WHERE p.id = ?1",
	[S_RETURN_REVERSAL] = "INSERT INTO payments(batch_id, award_id, component, kind, cycle_start,"
		" cycle_end, due, amount, payee, method, reverses, created_at, operator)"
		" SELECT batch_id, award_id, component, 'reversal', cycle_start, cycle_end, ?2, -amount,"
		" payee, method, id, ?20, ?3 FROM payments WHERE id = ?1 RETURNING id",
	[S_RETURN_ADD] = "INSERT INTO returns(payment_id, reversal_id, returned_on, reason, recorded_at,"
		" operator) VALUES (?1, ?2, ?3, ?4, ?20, ?5)",
	[S_RECEIPT_ADD] = "INSERT INTO contribution_receipts(award_id, kind, amount, on_date, recorded_at,"
		" operator) VALUES (?1, ?2, ?3, ?4, ?20, ?5)",
	[S_RECEIPTS_ASOF] = "SELECT coalesce(sum(CASE kind WHEN 'received' THEN amount END), 0),"
		" coalesce(sum(CASE kind WHEN 'refund' THEN amount END), 0)"
		" FROM contribution_receipts WHERE award_id = ?1 AND on_date <= ?2",
	[S_BATCH_TOTAL] = "UPDATE batches SET total = ?2 WHERE id = ?1",
	[S_AWARD_RECOVERIES] = "SELECT component, amount, recorded_at, received_on, coalesce(payee, '')"
		" FROM recoveries WHERE award_id = ?1 ORDER BY id",
	[S_V_AMOUNTS] = "SELECT 'payment', id FROM payments WHERE typeof(amount) <> 'integer'"
		" UNION ALL SELECT 'recovery', id FROM recoveries WHERE typeof(amount) <> 'integer'"
		" UNION ALL SELECT 'contribution', id FROM contributions WHERE typeof(amount) <> 'integer'"
		" ORDER BY 1, 2",
	[S_V_TOTALS] = "SELECT id, total, s FROM (SELECT b.id, b.total, (SELECT coalesce(sum(p.amount), 0)"
		" FROM payments p WHERE p.batch_id = b.id AND p.kind <> 'reversal') AS s FROM batches b) t"
		" WHERE total IS DISTINCT FROM s ORDER BY id",
	[S_V_REVERSALS] = "SELECT r.id, coalesce(r.batch_id, 0) FROM payments r LEFT JOIN payments p"
		" ON p.id = r.reverses WHERE r.kind = 'reversal' AND (p.id IS NULL OR"
		" p.batch_id IS DISTINCT FROM r.batch_id OR r.amount <> -p.amount OR p.kind = 'reversal')"
		" ORDER BY r.id",
	[S_V_TWICE] = "SELECT a.ref, p.component, p.cycle_start, count(*) FROM payments p"
		" JOIN awards a ON a.id = p.award_id WHERE p.kind = 'cycle'"
		" AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id)"
		" GROUP BY a.ref, p.component, p.cycle_start HAVING count(*) > 1"
		" ORDER BY a.ref, p.component, p.cycle_start",
	[S_PAYEE_DETAILS_ADD] = "INSERT INTO payee_details(payee_id, from_date, kind, sort_code, account,"
		" card_id, recorded_at, operator) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?20, ?7)",
	[S_PAYEE_ACCREDIT_ADD] = "INSERT INTO payee_accreditation(payee_id, from_date, accredited,"
		" recorded_at, operator) VALUES (?1, ?2, ?3, ?20, ?4)",
	/* a payee's payments, through the awards that have paid it (payee_awards) */
	[S_PAYEE_LAST_DUE] = "SELECT max(p.due) FROM payee_awards x JOIN payments p ON p.award_id = x.award_id"
		" WHERE x.payee = ?1 AND " IN_BATCHES("p.") " AND p.payee = ?1 AND p.kind <> 'reversal'",
	[S_PAYEE_LIST] = "SELECT ref FROM payees ORDER BY ref",
	[S_PAYEE_HISTORY] = "SELECT '', kind, sort_code, account, card_id, created_at FROM payees"
		" WHERE id = ?1 UNION ALL SELECT from_date, kind, sort_code, account, card_id, recorded_at"
		" FROM payee_details WHERE payee_id = ?1 ORDER BY 1, 6",
	[S_BATCH_PAYEES] = "SELECT payee, max(due) FROM payments WHERE batch_id = ?1"
		" AND kind <> 'reversal' GROUP BY payee ORDER BY payee",
	[S_PAYEE_PREV_DUE] = "SELECT max(p.due) FROM payee_awards x JOIN payments p ON p.award_id = x.award_id"
		" WHERE x.payee = ?1 AND " IN_BATCHES("p.") " AND p.payee = ?1 AND coalesce(p.batch_id, 0) <> ?2 AND p.kind IN ('cycle', 'adjustment')"
		" AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses = p.id) AND p.due <= ?3",
	[S_PAYEE_CHANGES] = "SELECT count(*) FROM payee_details x JOIN payees y ON y.id = x.payee_id"
		" WHERE y.ref = ?1 AND x.from_date <= ?2",
	[S_RETURN_OF] = "SELECT returned_on, reason FROM returns WHERE reversal_id = ?1",
	[S_PLAN_LIST] = "SELECT number, area, goal, by_date, measure, way, provider, hours"
		" FROM plan_outcomes WHERE award_id = ?1 ORDER BY number",
	[S_PLAN_ADD] = "INSERT INTO plan_outcomes(award_id, number, area, goal, by_date, measure, way,"
		" provider, hours, recorded_at, operator) VALUES (?1, (SELECT coalesce(max(number), 0) + 1"
		" FROM plan_outcomes WHERE award_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?20, ?9)"
		" RETURNING number",
	[S_REVIEW_MARKS] = "SELECT r.on_date, s.outcome, s.status FROM reviews r JOIN review_statuses s"
		" ON s.review_id = r.id WHERE r.award_id = ?1 ORDER BY r.on_date, r.id",
	[S_REVIEW_DATES] = "SELECT on_date FROM reviews WHERE award_id = ?1 ORDER BY on_date, id",
	[S_REVIEW_ADD] = "INSERT INTO reviews(award_id, on_date, note, recorded_at, operator)"
		" VALUES (?1, ?2, ?3, ?20, ?4) RETURNING id",
	[S_REVIEW_STATUS_ADD] = "INSERT INTO review_statuses(review_id, outcome, status) VALUES (?1, ?2, ?3)",
	[S_PACKAGES] = "SELECT DISTINCT package FROM awards ORDER BY package",
	[S_BATCH_IDS] = "SELECT id FROM batches ORDER BY id",
	[S_BATCH_SUMMARY] = "SELECT count(*), coalesce(sum(amount), 0),"
		" (SELECT total FROM batches WHERE id = ?1) FROM payments"
		" WHERE batch_id = ?1 AND kind <> 'reversal'",
	[S_PAYMENTS_RANGE] = "SELECT p.id, a.ref, a.client, a.package, p.component, p.kind, p.cycle_start,"
		" p.cycle_end, p.due, p.amount, p.payee, p.method, coalesce(p.reverses, 0), p.batch_id"
		" FROM payments p JOIN awards a ON a.id = p.award_id"
		" WHERE p.due >= ?1 AND p.due < ?2 AND p.batch_id IS NOT NULL"
		" AND (?3 IS NULL OR p.payee = ?3) AND (?4 IS NULL OR a.package = ?4)"
		" ORDER BY p.due, p.id",
	/* the first time an award pays a payee (see struct pending) */
	[S_PAYEE_AWARD_ADD] = "INSERT INTO payee_awards(payee, award_id) VALUES (?1, ?2)"
		" ON CONFLICT DO NOTHING",
	/* the state a walk would use for the award, under the scheme keyed ?2 */
	[S_V_STATE] = "SELECT " KEPT_STATE("?2") " FROM awards a" KEPT_JOIN("= ?1") " WHERE a.id = ?1",
	[S_V_PAYEE_AWARDS] = "SELECT p.id, p.payee, a.ref FROM payments p JOIN awards a ON a.id = p.award_id"
		" WHERE NOT EXISTS (SELECT 1 FROM payee_awards x WHERE x.payee = p.payee"
		" AND x.award_id = p.award_id) ORDER BY p.id",
	[S_V_INDEX] = "SELECT next_due, dirty, sums, cycles FROM award_index WHERE award_id = ?1",
	[S_ROWS] = "SELECT (SELECT count(*) FROM payees) + (SELECT count(*) FROM awards)"
		" + (SELECT count(*) FROM batches)",
	[S_CLIENT_AWARDS] = "SELECT id FROM awards WHERE client = ?1 AND package = ?2 ORDER BY id",
	/* by the indexes of such rows (*_not_whole, SQLite's): empty in a sound ledger */
	[S_RUN_WHOLE] = "SELECT count(*) FROM (SELECT id FROM payments WHERE typeof(amount) <> 'integer'"
		" UNION ALL SELECT id FROM recoveries WHERE typeof(amount) <> 'integer'"
		" UNION ALL SELECT id FROM contributions WHERE typeof(amount) <> 'integer') t",
	/* the latest date of the rows an award's kept sums add up */
	[S_V_LATEST] = "SELECT max(d) FROM (SELECT max(due) AS d FROM payments WHERE " IN_BATCHES("")
		" AND award_id = ?1 UNION ALL SELECT max(received_on) FROM recoveries WHERE award_id = ?1"
		" UNION ALL SELECT max(due) FROM contributions WHERE award_id = ?1) t",
};

/*
 * Rows a payment run writes by the hundred thousand (payments, processed
 * marks, the run's index) are held here and written PENDING_ROWS at a time
 * by one multi-row INSERT: one statement instead of PENDING_ROWS, which is
 * most of what a row costs (issue 15).  Held rows are written before any
 * other statement runs (st() sees to it) and before a commit; a rollback
 * drops them.  So every statement, and every reader after the commit, sees
 * exactly what it would have seen had each row been written at once, and a
 * row's id is the one it would have had.
 */
#define PENDING_ROWS 64
#define PENDING_COLS 12
enum { PENDING_PAYMENTS, PENDING_PROCESSED, PENDING_INDEX, PENDING_PAYEE_AWARDS, PENDING_STATES,
       N_PENDING };

/* The statement that writes PENDING_ROWS held rows of kind k. */
#define S_MANY(k) (S_COUNT + 200 + (k))

enum { CELL_NULL, CELL_INT, CELL_DATE, CELL_TEXT };

struct cell {
	int type;
	int64_t v;           /* an integer, a date, or the text's offset in the arena */
};

struct pending {
	int one;             /* the statement for one row: ?1 .. ?cols, perhaps ?20 */
	int cols;
	int award_col;       /* the column holding the award's id, if st_award() needs it */
	const char *what;    /* for an error: "recording a payment" */
	char *many;          /* its PENDING_ROWS-row form, made when first needed */
	size_t n;            /* rows held */
	struct cell cells[PENDING_ROWS * PENDING_COLS];
	char dates[PENDING_ROWS * PENDING_COLS][PHSG_DATE_BUF]; /* the date cells as text */
	char *arena;         /* the rows' texts, NUL-terminated */
	size_t arena_len, arena_cap;
};

struct phsg_ledger {
	phsg_ledger_backend *b;
	char *operator_name;
	int readonly;        /* opened for reports: never written */
	int in_tx;
	int unchecked;       /* SQLite's checks of rows are off (phsg_ledger_begin_run) */
	int wrote;           /* a transaction of this process committed */
	char now[32];        /* UTC time of the current transaction, ISO 8601 */
	unsigned char has_now[S_COUNT]; /* the statement takes ?20 */
	unsigned char touches[S_COUNT]; /* it names a table rows are held for */
	char *in_text[S_COUNT];         /* a run chunk's text of it: a list of ids (chunk_st) */
	struct pending pending[N_PENDING];
	/* the award and payee of the last payee_awards row held or written by
	 * this transaction: an award's next payments to the same payee need none */
	long long pa_award;
	char *pa_payee;
};

/* What a backend's step() returns besides an error. */
enum { DONE = 0, ROW = 1 };

/* The backend has set the database's own message; say where and what. */
static int db_error(phsg_ledger *l, const char *what)
{
	return phsg_error_set(PHSG_ELEDGER, "ledger '%s': %s: %s", l->b->where, what,
			      phsg_error_last());
}

static int flush(phsg_ledger *l);

static int pending_has_award(const phsg_ledger *l, long long award);

static phsg_ledger_stmt *prepare_now(phsg_ledger *l, int which)
{
	phsg_ledger_stmt *s = l->b->prepare(l->b, which, sql[which]);

	if (s && l->has_now[which])
		l->b->bind_text(s, 20, l->now);
	return s;
}

/* No statement runs before the rows held for the tables it names are written. */
static phsg_ledger_stmt *st(phsg_ledger *l, int which)
{
	if (l->touches[which] && flush(l))
		return NULL;
	return prepare_now(l, which);
}

/*
 * A statement that reads one award's rows only (WHERE award_id = ?1): rows
 * held for other awards cannot change what it reads, so they stay held.  A
 * run reads each award's history just before posting its payments.
 */
static phsg_ledger_stmt *st_award(phsg_ledger *l, int which, long long award)
{
	if (pending_has_award(l, award) && flush(l))
		return NULL;
	return prepare_now(l, which);
}

#define PREPARE(var, l, which) \
	do { \
		if (!((var) = st((l), (which)))) \
			return db_error((l), "preparing a statement"); \
	} while (0)

static void bind_text(phsg_ledger *l, phsg_ledger_stmt *s, int i, const char *v)
{
	l->b->bind_text(s, i, v);
}

static void bind_int(phsg_ledger *l, phsg_ledger_stmt *s, int i, int64_t v)
{
	l->b->bind_int(s, i, v);
}

static void bind_date(phsg_ledger *l, phsg_ledger_stmt *s, int i, phsg_date d)
{
	char buf[PHSG_DATE_BUF];

	phsg_date_format(buf, d);
	l->b->bind_text(s, i, buf);
}

static int step(phsg_ledger *l, phsg_ledger_stmt *s)
{
	return l->b->step(s);
}

static void reset(phsg_ledger *l, phsg_ledger_stmt *s)
{
	l->b->reset(s);
}

static const char *col_text(phsg_ledger *l, phsg_ledger_stmt *s, int i)
{
	return l->b->column_text(s, i);
}

static int64_t col_int(phsg_ledger *l, phsg_ledger_stmt *s, int i)
{
	return l->b->column_int(s, i);
}

static int col_null(phsg_ledger *l, phsg_ledger_stmt *s, int i)
{
	return l->b->column_type(s, i) == PHSG_COL_NULL;
}

static phsg_date col_date(phsg_ledger *l, phsg_ledger_stmt *s, int i)
{
	phsg_date d = 0;
	const char *t = col_text(l, s, i);

	if (t)
		phsg_date_parse(&d, t);
	return d;
}

static char *col_dup(phsg_ledger *l, phsg_ledger_stmt *s, int i)
{
	const char *t = col_text(l, s, i);
	char *d;

	if (!t)
		return NULL;
	d = strdup(t);
	if (!d)
		abort();
	return d;
}

/* A backend's error from a write: a broken constraint is bad input. */
static int write_error(phsg_ledger *l, int rc, const char *what)
{
	if (rc == PHSG_EINVAL)
		return phsg_error_set(PHSG_EINVAL, "%s: %s", what, phsg_error_last());
	return db_error(l, what);
}

/* Run one statement to completion (no rows expected). */
static int step_done(phsg_ledger *l, phsg_ledger_stmt *s, const char *what)
{
	int rc = step(l, s);

	if (rc < 0)
		return write_error(l, rc, what);
	reset(l, s);
	return 0;
}

/* ---- rows held for a multi-row INSERT ---- */

static void pending_init(phsg_ledger *l)
{
	static const struct { int one, cols, award_col; const char *what; } kinds[N_PENDING] = {
		[PENDING_PAYMENTS] = { S_PAYMENT_ADD, 12, 1, "recording a payment" },
		[PENDING_PROCESSED] = { S_PROCESSED_ADD, 5, 1, "marking cycles processed" },
		/* no award's history reads the run's index: -1, never flushed for one */
		[PENDING_INDEX] = { S_INDEX_SET, 4, -1, "indexing an award" },
		/* read by walks and runs, never by an award's history */
		[PENDING_STATES] = { S_STATE_SET, 2, -1, "keeping an award's state" },
		/* read by payee only, never by award */
		[PENDING_PAYEE_AWARDS] = { S_PAYEE_AWARD_ADD, 2, -1, "noting that an award pays a payee" },
	};

	for (int k = 0; k < N_PENDING; k++) {
		l->pending[k].one = kinds[k].one;
		l->pending[k].cols = kinds[k].cols;
		l->pending[k].award_col = kinds[k].award_col;
		l->pending[k].what = kinds[k].what;
	}
}

static int pending_has_award(const phsg_ledger *l, long long award)
{
	for (int k = 0; k < N_PENDING; k++) {
		const struct pending *p = &l->pending[k];
		for (size_t r = 0; r < p->n && p->award_col >= 0; r++)
			if (p->cells[r * PENDING_COLS + (size_t)p->award_col].v == award)
				return 1;
	}
	return 0;
}

static void pending_release(phsg_ledger *l)
{
	for (int k = 0; k < N_PENDING; k++) {
		free(l->pending[k].many);
		free(l->pending[k].arena);
	}
	free(l->pa_payee);
}

/* Forget the last payee_awards row: it may not be in the ledger. */
static void pair_forget(phsg_ledger *l)
{
	free(l->pa_payee);
	l->pa_payee = NULL;
	l->pa_award = 0;
}

/* Drop the rows held (the transaction is rolled back). */
static void pending_discard(phsg_ledger *l)
{
	for (int k = 0; k < N_PENDING; k++) {
		l->pending[k].n = 0;
		l->pending[k].arena_len = 0;
	}
	pair_forget(l);
}

/*
 * The one-row INSERT's text with PENDING_ROWS rows: its VALUES (...) row
 * repeated, row r's ?k renumbered ?(20 + r * cols + k); ?20, the
 * transaction's time, stays ?20 in every row.  The row has no parentheses
 * of its own.
 */
static char *many_text(const char *one, int cols)
{
	const char *open = strstr(one, " VALUES (") + 8, *close = strchr(open, ')');
	size_t cap = strlen(one) * 2 * PENDING_ROWS, o;
	char *t = malloc(cap);

	if (!t)
		abort();
	o = (size_t)(open - one);
	memcpy(t, one, o);
	for (int r = 0; r < PENDING_ROWS; r++) {
		if (r)
			t[o++] = ',';
		for (const char *c = open; c <= close; c++) {
			char *end;
			long k;
			if (*c != '?') {
				t[o++] = *c;
				continue;
			}
			k = strtol(c + 1, &end, 10);
			o += (size_t)snprintf(t + o, cap - o, "?%ld", k == 20 ? 20 : 20L + r * cols + k);
			c = end - 1;
		}
	}
	o += (size_t)snprintf(t + o, cap - o, "%s", close + 1);
	return t;
}

/* Bind a held cell; its text (in the arena or p->dates) stays put until the flush ends. */
static void bind_cell(phsg_ledger *l, phsg_ledger_stmt *s, int i, struct pending *p, size_t cell)
{
	void (*kept)(phsg_ledger_stmt *, int, const char *) =
		l->b->bind_text_kept ? l->b->bind_text_kept : l->b->bind_text;
	const struct cell *c = &p->cells[cell];

	switch (c->type) {
	case CELL_INT:
		bind_int(l, s, i, c->v);
		break;
	case CELL_DATE:
		phsg_date_format(p->dates[cell], (phsg_date)c->v);
		kept(s, i, p->dates[cell]);
		break;
	case CELL_TEXT:
		kept(s, i, p->arena + c->v);
		break;
	default:
		bind_text(l, s, i, NULL);
	}
}

/* Write the rows held of one kind: PENDING_ROWS by one statement, fewer one by one. */
static int flush_kind(phsg_ledger *l, int k)
{
	struct pending *p = &l->pending[k];
	size_t r = 0;
	int rc = 0;

	while (r < p->n && rc == 0) {
		size_t rows = p->n - r >= PENDING_ROWS ? PENDING_ROWS : 1;
		phsg_ledger_stmt *s;

		if (rows > 1 && !p->many)
			p->many = many_text(sql[p->one], p->cols);
		s = l->b->prepare(l->b, rows > 1 ? S_MANY(k) : p->one, rows > 1 ? p->many : sql[p->one]);
		if (!s) {
			rc = db_error(l, "preparing a statement");
			break;
		}
		if (l->has_now[p->one])
			bind_text(l, s, 20, l->now);
		for (size_t i = 0; i < rows; i++)
			for (int c = 0; c < p->cols; c++)
				bind_cell(l, s, rows > 1 ? 20 + (int)i * p->cols + c + 1 : c + 1, p,
					  (r + i) * PENDING_COLS + (size_t)c);
		rc = step_done(l, s, p->what);
		r += rows;
	}
	p->n = 0;
	p->arena_len = 0;
	return rc;
}

static int flush(phsg_ledger *l)
{
	int rc = 0;

	for (int k = 0; k < N_PENDING && rc == 0; k++)
		if (l->pending[k].n)
			rc = flush_kind(l, k);
	return rc;
}

/* Rows are held only inside a transaction: a write outside one is made at once. */
static int held(phsg_ledger *l)
{
	return l->in_tx ? 0 : flush(l);
}

/* *row: a new row of kind k, its cells to be set; or the error writing the full rows. */
static int pending_row(struct cell **row, phsg_ledger *l, int k)
{
	struct pending *p = &l->pending[k];
	int rc;

	if (p->n == PENDING_ROWS && (rc = flush_kind(l, k)))
		return rc;
	*row = &p->cells[p->n++ * PENDING_COLS];
	return 0;
}

static void cell_int(struct cell *c, int64_t v)
{
	c->type = CELL_INT;
	c->v = v;
}

static void cell_date(struct cell *c, phsg_date d)
{
	c->type = CELL_DATE;
	c->v = d;
}

static void cell_text(phsg_ledger *l, int k, struct cell *c, const char *t)
{
	struct pending *p = &l->pending[k];
	size_t n;

	if (!t) {
		c->type = CELL_NULL;
		return;
	}
	n = strlen(t) + 1;
	if (p->arena_len + n > p->arena_cap) {
		p->arena_cap = 2 * (p->arena_len + n) + 4096;
		if (!(p->arena = realloc(p->arena, p->arena_cap)))
			abort();
	}
	memcpy(p->arena + p->arena_len, t, n);
	c->type = CELL_TEXT;
	c->v = (int64_t)p->arena_len;
	p->arena_len += n;
}

/* Run an INSERT ... RETURNING id: the new row's number. */
static int step_id(phsg_ledger *l, phsg_ledger_stmt *s, const char *what, long long *id)
{
	int rc = step(l, s);

	if (rc < 0)
		return write_error(l, rc, what);
	if (rc != ROW)
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s': %s: no row was numbered",
				      l->b->where, what);
	*id = col_int(l, s, 0);
	reset(l, s);
	return 0;
}

/* A sum over a stored amount that is not a whole number of pence (WHOLE_SUM gave NULL). */
static int not_whole(phsg_ledger *l, const char *what)
{
	return phsg_error_set(PHSG_ELEDGER, "ledger '%s': %s: a stored amount is not a whole "
			      "number of pence: the ledger was changed by hand (run phsg verify)",
			      l->b->where, what);
}

static int step_int(phsg_ledger *l, phsg_ledger_stmt *s, const char *what, int64_t *out)
{
	int rc = step(l, s);

	if (rc != ROW)
		return rc < 0 ? db_error(l, what) :
			phsg_error_set(PHSG_ELEDGER, "ledger '%s': %s: no result", l->b->where, what);
	if (col_null(l, s, 0)) {
		reset(l, s);
		return not_whole(l, what);
	}
	*out = col_int(l, s, 0);
	reset(l, s);
	return 0;
}

/* ---- opening and transactions ---- */

static int is_postgresql(const char *where)
{
	return where && (strncmp(where, "postgresql://", 13) == 0 ||
			 strncmp(where, "postgres://", 11) == 0);
}

int phsg_ledger_open(phsg_ledger **out, const char *where, const char *operator_name, int mode)
{
	phsg_ledger_backend *b = NULL;
	int rc;

	*out = NULL;
	if (is_postgresql(where))
		rc = phsg_ledger_postgresql_open(&b, where, mode);
	else /* SPEC section 14: "sqlite:PATH" names the SQLite backend explicitly */
		rc = phsg_ledger_sqlite_open(&b, where && strncmp(where, "sqlite:", 7) == 0 ?
					     where + 7 : where, mode);
	if (rc)
		return rc;
	if ((rc = phsg_ledger_wrap(out, b, operator_name)))
		b->free(b, b->created);
	return rc;
}

int phsg_ledger_wrap(phsg_ledger **out, phsg_ledger_backend *b, const char *operator_name)
{
	phsg_ledger *l;
	int rc;

	*out = NULL;
	if (!b || b->version != PHSG_LEDGER_BACKEND_VERSION)
		return phsg_error_set(PHSG_ELEDGER, "a ledger backend of version %u, not the %d this "
				      "library was built for", b ? b->version : 0,
				      PHSG_LEDGER_BACKEND_VERSION);
	/* written on every row: checked here as every other text is on its way in */
	if ((rc = phsg_text_check_name("the operator's name", operator_name, PHSG_NAME_MAX)))
		return rc;
	if (!(l = calloc(1, sizeof(*l))) || !(l->operator_name = strdup(operator_name)))
		abort();
	l->b = b;
	l->readonly = b->readonly;
	for (int i = 0; i < S_COUNT; i++) {
		l->has_now[i] = strstr(sql[i], "?20") != NULL;
		l->touches[i] = strstr(sql[i], "payments") || strstr(sql[i], "processed") ||
			strstr(sql[i], "award_index") || strstr(sql[i], "payee_awards") ||
			strstr(sql[i], "award_states");
	}
	pending_init(l);
	*out = l;
	return 0;
}

const char *phsg_ledger_where(const phsg_ledger *l)
{
	return l->b->where;
}

const char *phsg_ledger_backend_name(const phsg_ledger *l)
{
	return l->b->name;
}

/* A ledger this process created and never wrote to holds nothing. */
static int still_empty(phsg_ledger *l)
{
	phsg_ledger_stmt *s;
	int64_t n = -1;

	if (!(s = st(l, S_ROWS)) || step_int(l, s, "counting rows", &n))
		return 0;
	return n == 0;
}

void phsg_ledger_close(phsg_ledger *l)
{
	int discard;

	if (!l)
		return;
	if (l->in_tx)
		phsg_ledger_rollback(l);
	/* a command that fails leaves no ledger behind (SPEC section 10) */
	discard = l->b->created && !l->wrote && still_empty(l);
	l->b->free(l->b, discard);
	pending_release(l);
	for (int i = 0; i < S_COUNT; i++)
		free(l->in_text[i]);
	free(l->operator_name);
	free(l);
}

static void set_now(phsg_ledger *l)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(l->now, sizeof(l->now), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* SQLite's checks of rows on again, once a run's transaction ends or before another begins */
static int checked(phsg_ledger *l)
{
	int rc;

	if (!l->unchecked)
		return 0;
	if ((rc = phsg_ledger_sqlite_row_checks(l->b, 1)) < 0)
		return rc;
	l->unchecked = 0;
	return 0;
}

static int begin(phsg_ledger *l, int wait_ms)
{
	int rc;

	if (l->readonly)
		return phsg_error_set(PHSG_ELEDGER, "ledger '%s' was opened for reading only",
				      l->b->where);
	rc = l->b->begin(l->b, wait_ms);
	if (rc == PHSG_LEDGER_BUSY)
		return phsg_error_set(PHSG_ELEDGER,
			"ledger '%s' is busy: another payment run or change is in progress; "
			"nothing was done, try again when it has finished", l->b->where);
	if (rc)
		return db_error(l, "starting a transaction");
	/* the time rows carry is when this writer got the ledger, after any wait:
	 * writers take turns, so the times are in the order their work commits */
	set_now(l);
	l->in_tx = 1;
	return 0;
}

int phsg_ledger_begin(phsg_ledger *l, int wait_ms)
{
	int rc = checked(l);

	return rc ? rc : begin(l, wait_ms);
}

int phsg_ledger_begin_run(phsg_ledger *l, int wait_ms)
{
	int rc;

	if (l->readonly || l->in_tx)
		return phsg_ledger_begin(l, wait_ms);
	/* noted first: a call that turned one check off and failed on the
	 * other is put back too */
	l->unchecked = 1;
	if ((rc = phsg_ledger_sqlite_row_checks(l->b, 0)) < 0 || (rc = begin(l, wait_ms)))
		(void)checked(l);
	return rc;
}

int phsg_ledger_commit(phsg_ledger *l)
{
	int rc;

	if ((rc = flush(l)))
		return rc;
	if ((rc = l->b->commit(l->b)))
		return db_error(l, "committing");
	l->in_tx = 0;
	l->wrote = 1;
	(void)checked(l); /* should that fail, the next begin tries again */
	return 0;
}

void phsg_ledger_rollback(phsg_ledger *l)
{
	pending_discard(l);
	l->b->rollback(l->b);
	l->in_tx = 0;
	(void)checked(l);
}

/* ---- payees ---- */

void phsg_ledger_payee_release(phsg_payee *p)
{
	if (!p)
		return;
	free((char *)p->ref);
	free((char *)p->name);
	free((char *)p->sort_code);
	free((char *)p->account);
	free((char *)p->card_id);
	memset(p, 0, sizeof(*p));
}

static int check_details(const phsg_payee *p);

int phsg_ledger_payee_add(phsg_ledger *l, const phsg_payee *p)
{
	phsg_ledger_stmt *s;
	phsg_payee existing = { 0 };

	int rc;

	if ((rc = phsg_text_check_ref("the payee reference", p->ref)) ||
	    (rc = phsg_text_check_name("the payee's name", p->name, PHSG_NAME_MAX)))
		return rc;
	if ((rc = check_details(p)))
		return rc;
	if (phsg_ledger_payee_get(&existing, l, p->ref) == 0) {
		phsg_ledger_payee_release(&existing);
		return phsg_error_set(PHSG_EINVAL, "payee '%s' already exists", p->ref);
	}
	PREPARE(s, l, S_PAYEE_ADD);
	bind_text(l, s, 1, p->ref);
	bind_text(l, s, 2, p->name);
	bind_text(l, s, 3, p->is_card ? "card" : "bank");
	if (!p->is_card) {
		bind_text(l, s, 4, p->sort_code);
		bind_text(l, s, 5, p->account);
	} else {
		bind_text(l, s, 6, p->card_id);
	}
	bind_text(l, s, 7, l->operator_name);
	return step_done(l, s, "adding a payee");
}

int phsg_ledger_payee_get_on(phsg_payee *out, phsg_ledger *l, const char *ref, phsg_date on)
{
	phsg_ledger_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = phsg_text_check_ref("the payee reference", ref)))
		return rc;
	PREPARE(s, l, S_PAYEE_GET);
	bind_text(l, s, 1, ref);
	bind_date(l, s, 2, on);
	rc = step(l, s);
	if (rc == DONE)
		return phsg_error_set(PHSG_ENOTFOUND, "unknown payee '%s' (add it with phsg payee add)", ref);
	if (rc != ROW)
		return db_error(l, "reading a payee");
	out->ref = col_dup(l, s, 0);
	out->name = col_dup(l, s, 1);
	out->is_card = strcmp(col_text(l, s, 2), "card") == 0;
	out->sort_code = col_dup(l, s, 3);
	out->account = col_dup(l, s, 4);
	out->card_id = col_dup(l, s, 5);
	out->accredited = col_int(l, s, 6);
	out->id = col_int(l, s, 7);
	reset(l, s);
	return 0;
}

int phsg_ledger_payee_get(phsg_payee *out, phsg_ledger *l, const char *ref)
{
	return phsg_ledger_payee_get_on(out, l, ref, PHSG_DATE_LAST);
}

/* Bank details (or a card) valid for a payee: 6 and 8 digits, or a card id. */
static int check_details(const phsg_payee *p)
{
	if (p->is_card)
		return phsg_text_check_ref("the card id", p->card_id);
	if (!phsg_digits(p->sort_code, 6))
		return phsg_error_set(PHSG_EINVAL, "sort code '%s' is not 6 digits",
				      p->sort_code ? p->sort_code : "");
	if (!phsg_digits(p->account, 8))
		return phsg_error_set(PHSG_EINVAL, "account number '%s' is not 8 digits",
				      p->account ? p->account : "");
	return 0;
}

/* D may not be earlier than the due date of the payee's latest posted payment. */
static int check_from(phsg_ledger *l, const phsg_payee *old, phsg_date from, const char *what)
{
	phsg_ledger_stmt *s;
	phsg_date last;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	int rc;

	PREPARE(s, l, S_PAYEE_LAST_DUE);
	bind_text(l, s, 1, old->ref);
	if ((rc = step(l, s)) != ROW)
		return db_error(l, "reading a payee's payments");
	if (col_null(l, s, 0)) {
		reset(l, s);
		return 0;
	}
	last = col_date(l, s, 0);
	reset(l, s);
	if (from >= last)
		return 0;
	phsg_date_format(d1, from);
	phsg_date_format(d2, last);
	return phsg_error_set(PHSG_ERULE, "%s from %s is before the due date of payee %s's latest "
			      "posted payment (%s): a payment's details are fixed when it is posted, "
			      "so the change can take effect from %s at the earliest", what, d1,
			      old->ref, d2, d2);
}

int phsg_ledger_payee_update(phsg_ledger *l, const phsg_payee *p, phsg_date from)
{
	phsg_payee old;
	phsg_ledger_stmt *s;
	int rc;

	if ((rc = check_details(p)) || (rc = phsg_ledger_payee_get(&old, l, p->ref)))
		return rc;
	if ((rc = check_from(l, &old, from, "a change of bank details")) == 0) {
		if (!(s = st(l, S_PAYEE_DETAILS_ADD))) {
			rc = db_error(l, "preparing a statement");
		} else {
			bind_int(l, s, 1, old.id);
			bind_date(l, s, 2, from);
			bind_text(l, s, 3, p->is_card ? "card" : "bank");
			if (!p->is_card) {
				bind_text(l, s, 4, p->sort_code);
				bind_text(l, s, 5, p->account);
			} else {
				bind_text(l, s, 6, p->card_id);
			}
			bind_text(l, s, 7, l->operator_name);
			rc = step_done(l, s, "recording new bank details");
		}
	}
	phsg_ledger_payee_release(&old);
	return rc;
}

int phsg_ledger_payee_accredit(phsg_ledger *l, const char *ref, int accredited, phsg_date from)
{
	phsg_payee old;
	phsg_ledger_stmt *s;
	int rc;

	if ((rc = phsg_ledger_payee_get(&old, l, ref)))
		return rc;
	if (!(s = st(l, S_PAYEE_ACCREDIT_ADD))) {
		rc = db_error(l, "preparing a statement");
	} else {
		bind_int(l, s, 1, old.id);
		bind_date(l, s, 2, from);
		bind_int(l, s, 3, accredited ? 1 : 0);
		bind_text(l, s, 4, l->operator_name);
		rc = step_done(l, s, "recording an accreditation");
	}
	phsg_ledger_payee_release(&old);
	return rc;
}

/* Every row's first column, as strings the caller frees. */
static int text_list(phsg_ledger *l, int which, const char *what, char ***out, size_t *n)
{
	phsg_ledger_stmt *s;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	PREPARE(s, l, which);
	while ((rc = step(l, s)) == ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = realloc(*out, cap * sizeof(char *));
			if (!*out)
				abort();
		}
		(*out)[(*n)++] = col_dup(l, s, 0);
	}
	return rc == DONE ? 0 : db_error(l, what);
}

int phsg_ledger_payee_refs(char ***refs, size_t *n, phsg_ledger *l)
{
	return text_list(l, S_PAYEE_LIST, "listing payees", refs, n);
}

int phsg_ledger_payee_history(phsg_ledger *l, const char *ref,
			      int (*fn)(void *ctx, phsg_date from, const phsg_payee *details,
					const char *recorded_at),
			      void *ctx)
{
	phsg_payee p;
	phsg_ledger_stmt *s;
	int rc;

	if ((rc = phsg_ledger_payee_get(&p, l, ref)))
		return rc;
	if (!(s = st(l, S_PAYEE_HISTORY))) {
		phsg_ledger_payee_release(&p);
		return db_error(l, "preparing a statement");
	}
	bind_int(l, s, 1, p.id);
	while ((rc = step(l, s)) == ROW) {
		phsg_payee d = { 0 };
		const char *from = col_text(l, s, 0);
		phsg_date f = 0;
		d.ref = p.ref;
		d.name = p.name;
		d.is_card = strcmp(col_text(l, s, 1), "card") == 0;
		d.sort_code = (char *)col_text(l, s, 2);
		d.account = (char *)col_text(l, s, 3);
		d.card_id = (char *)col_text(l, s, 4);
		if (from && *from)
			phsg_date_parse(&f, from);
		if ((rc = fn(ctx, f, &d, col_text(l, s, 5))) != 0) {
			reset(l, s);
			phsg_ledger_payee_release(&p);
			return rc;
		}
	}
	phsg_ledger_payee_release(&p);
	return rc == DONE ? 0 : db_error(l, "reading a payee's history");
}

/* The same account (or card)? */
static int same_details(const phsg_payee *a, const phsg_payee *b)
{
#define EQ(x, y) ((x) == (y) || ((x) && (y) && !strcmp((x), (y))))
	return a->is_card == b->is_card && EQ(a->sort_code, b->sort_code) &&
		EQ(a->account, b->account) && EQ(a->card_id, b->card_id);
#undef EQ
}

int phsg_ledger_payee_changed(int *changed, phsg_ledger *l, const char *payee, long long batch,
			      phsg_date due)
{
	phsg_ledger_stmt *q;
	phsg_payee now, then;
	phsg_date prev;
	int has_prev;

	*changed = 0;
	/*
	 * Details never changed by the batch's last due date are the details
	 * of every earlier payment: nothing to compare.  This keeps a run from
	 * walking each payee's payments (issue 15).
	 */
	PREPARE(q, l, S_PAYEE_CHANGES);
	bind_text(l, q, 1, payee);
	bind_date(l, q, 2, due);
	if (step(l, q) != ROW)
		return db_error(l, "reading a payee's details");
	has_prev = col_int(l, q, 0) > 0;
	reset(l, q);
	if (!has_prev)
		return 0;
	PREPARE(q, l, S_PAYEE_PREV_DUE);
	bind_text(l, q, 1, payee);
	bind_int(l, q, 2, batch);
	bind_date(l, q, 3, due);
	if (step(l, q) != ROW)
		return db_error(l, "reading a payee's payments");
	has_prev = !col_null(l, q, 0);
	prev = has_prev ? col_date(l, q, 0) : 0;
	reset(l, q);
	if (has_prev && phsg_ledger_payee_get_on(&now, l, payee, due) == 0) {
		if (phsg_ledger_payee_get_on(&then, l, payee, prev) == 0) {
			*changed = !same_details(&now, &then);
			phsg_ledger_payee_release(&then);
		}
		phsg_ledger_payee_release(&now);
	}
	return 0;
}

int phsg_ledger_batch_changed_payees(phsg_ledger *l, long long batch,
				     int (*fn)(void *ctx, const char *payee), void *ctx)
{
	phsg_ledger_stmt *s;
	char **payees = NULL;
	phsg_date *dues = NULL;
	size_t n = 0, cap = 0;
	int rc, changed;

	/* the batch's payees first: the checks run statements of their own */
	PREPARE(s, l, S_BATCH_PAYEES);
	bind_int(l, s, 1, batch);
	while ((rc = step(l, s)) == ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			if (!(payees = realloc(payees, cap * sizeof(*payees))) ||
			    !(dues = realloc(dues, cap * sizeof(*dues))))
				abort();
		}
		payees[n] = col_dup(l, s, 0);
		dues[n++] = col_date(l, s, 1);
	}
	rc = rc == DONE ? 0 : db_error(l, "reading a batch's payees");
	for (size_t i = 0; i < n && rc == 0; i++)
		if ((rc = phsg_ledger_payee_changed(&changed, l, payees[i], batch, dues[i])) == 0 &&
		    changed)
			rc = fn(ctx, payees[i]);
	for (size_t i = 0; i < n; i++)
		free(payees[i]);
	free(payees);
	free(dues);
	return rc;
}

/* ---- awards ---- */

int phsg_ledger_award_add(long long *id, char **ref, phsg_ledger *l,
			  const char *client, const char *package)
{
	phsg_ledger_stmt *s;
	int64_t next = 0;
	char buf[32];
	int rc;

	if ((rc = phsg_text_check_ref("the client reference", client)))
		return rc;
	PREPARE(s, l, S_AWARD_NEXT_ID);
	if ((rc = step_int(l, s, "numbering an award", &next)))
		return rc;
	snprintf(buf, sizeof(buf), "A%06lld", (long long)next);
	PREPARE(s, l, S_AWARD_ADD);
	bind_int(l, s, 1, next);
	bind_text(l, s, 2, buf);
	bind_text(l, s, 3, client);
	bind_text(l, s, 4, package);
	bind_text(l, s, 5, l->operator_name);
	if ((rc = step_done(l, s, "adding an award")))
		return rc;
	PREPARE(s, l, S_INDEX_ADD);
	bind_int(l, s, 1, next);
	if ((rc = step_done(l, s, "indexing an award")))
		return rc;
	*id = next;
	*ref = strdup(buf);
	if (!*ref)
		abort();
	return 0;
}

int phsg_ledger_award_lookup(long long *id, phsg_ledger *l, const char *ref)
{
	phsg_ledger_stmt *s;
	int rc;

	if ((rc = phsg_text_check_ref("the award reference", ref)))
		return rc;
	PREPARE(s, l, S_AWARD_LOOKUP);
	bind_text(l, s, 1, ref);
	rc = step(l, s);
	if (rc == DONE)
		return phsg_error_set(PHSG_ENOTFOUND, "unknown award '%s'", ref);
	if (rc != ROW)
		return db_error(l, "finding an award");
	*id = col_int(l, s, 0);
	reset(l, s);
	return 0;
}

int phsg_ledger_event_add(phsg_ledger *l, long long award_id, const char *kind,
			  phsg_date effective, const char *data)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_EVENT_ADD);
	bind_int(l, s, 1, award_id);
	bind_text(l, s, 2, kind);
	bind_date(l, s, 3, effective);
	bind_text(l, s, 4, data);
	bind_text(l, s, 5, l->operator_name);
	if ((rc = step_done(l, s, "recording an award event")))
		return rc;
	PREPARE(s, l, S_DIRTY);
	bind_int(l, s, 1, award_id);
	return step_done(l, s, "marking an award for the next run");
}

int phsg_ledger_award_events(phsg_event_row **rows, size_t *n, phsg_ledger *l, long long id)
{
	phsg_ledger_stmt *s;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	PREPARE(s, l, S_EVENTS);
	bind_int(l, s, 1, id);
	while ((rc = step(l, s)) == ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*rows = realloc(*rows, cap * sizeof(phsg_event_row));
			if (!*rows)
				abort();
		}
		phsg_event_row *r = &(*rows)[(*n)++];
		r->id = col_int(l, s, 0);
		r->kind = col_dup(l, s, 1);
		r->effective = col_date(l, s, 2);
		r->data = col_dup(l, s, 3);
		r->recorded_at = col_dup(l, s, 4);
		r->operator_name = col_dup(l, s, 5);
	}
	if (rc != DONE) {
		phsg_ledger_event_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return db_error(l, "reading award events");
	}
	return 0;
}

void phsg_ledger_event_rows_free(phsg_event_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].kind);
		free(rows[i].data);
		free(rows[i].recorded_at);
		free(rows[i].operator_name);
	}
	free(rows);
}

/* Rebuild an award from its events: one that no longer applies says under which scheme. */
static int replay(phsg_award *aw, const phsg_scheme *sc, const phsg_award_event *ev, size_t n)
{
	int rc = phsg_award_replay(aw, sc, ev, n, 0);

	if (rc) {
		char msg[700];
		snprintf(msg, sizeof(msg), "%s", phsg_error_last());
		rc = phsg_error_set(rc, "award %s no longer applies under %s: %s", aw->ref, sc->path, msg);
	}
	return rc;
}

int phsg_ledger_award_load(phsg_award *out, phsg_ledger *l, const phsg_scheme *sc, long long id)
{
	phsg_award_event *ev;
	phsg_event_row *rows = NULL;
	phsg_ledger_stmt *s;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	PREPARE(s, l, S_AWARD_ROW);
	bind_int(l, s, 1, id);
	rc = step(l, s);
	if (rc == DONE)
		return phsg_error_set(PHSG_ENOTFOUND, "unknown award id %lld", id);
	if (rc != ROW)
		return db_error(l, "reading an award");
	phsg_award_init(out, id, col_text(l, s, 0),
			col_text(l, s, 1));
	reset(l, s); /* a statement left on its row would hold its snapshot open */
	if ((rc = phsg_ledger_award_events(&rows, &n, l, id)))
		return rc;
	ev = malloc((n ? n : 1) * sizeof(*ev));
	if (!ev)
		abort();
	for (size_t i = 0; i < n; i++) {
		ev[i].kind = rows[i].kind;
		ev[i].effective = rows[i].effective;
		ev[i].data = rows[i].data;
	}
	rc = replay(out, sc, ev, n);
	free(ev);
	phsg_ledger_event_rows_free(rows, n);
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static int id_list(phsg_ledger *l, phsg_ledger_stmt *s, long long **ids, size_t *n)
{
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	while ((rc = step(l, s)) == ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = realloc(*ids, cap * sizeof(long long));
			if (!*ids)
				abort();
		}
		(*ids)[(*n)++] = col_int(l, s, 0);
	}
	if (rc != DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return db_error(l, "listing awards");
	}
	return 0;
}

int phsg_ledger_award_ids(long long **ids, size_t *n, phsg_ledger *l)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_AWARD_IDS);
	return id_list(l, s, ids, n);
}

/*
 * ---- a walk over every award (SPEC section 17) ----
 *
 * WALK_CHUNK awards at a time (the LIMIT of S_WALK_AWARDS): their rows, then
 * their events, then each kind of sum grouped by award, each statement read
 * to its end before the next begins (so PostgreSQL streams each and never
 * reads one ahead), then `fn` for each award.  A run's chunk is smaller
 * (PHSG_RUN_CHUNK, ledger_chunk.h) and uses the same arrays.
 */
_Static_assert(WALK_CHUNK >= PHSG_RUN_CHUNK, "a run's chunk fits a walk's");

/* No kept sums for an award (walk_chunk.kept), and no rows under its sums (walk_chunk.latest). */
#define NO_KEPT SIZE_MAX
#define NO_ROWS ((phsg_date)(PHSG_DATE_FIRST - 1))

/* Cycles an earlier run processed: component (-1 the contribution) and range. */
typedef struct {
	int comp;
	long first, last;
} processed_range;

/* How award i of a chunk is built (walk_chunk.how). */
enum {
	BUILD_EVENTS,             /* from its events */
	BUILD_STATE,              /* from its kept state, at state[i] in the text */
	BUILD_REFUSED,            /* its state was refused: from its events, read again */
	BUILT
};

typedef struct {
	size_t n, width;          /* awards in the chunk; sums kept per award */
	long long id[WALK_CHUNK];
	phsg_award aw[WALK_CHUNK];
	unsigned char how[WALK_CHUNK];
	size_t state[WALK_CHUNK];
	size_t n_refused;         /* states refused by the last rebuild: see chunk_refused() */
	const char *key;          /* the scheme's state_key(), bound to read states */
	/* a run's chunk: award i has no state that may be kept, so it writes one */
	unsigned char state_wanted[WALK_CHUNK];
	/*
	 * A walk's chunk: its awards are started (from the ref and client read
	 * into the text, at ref_at and client_at), built and released on the
	 * rebuilding thread, so the thread that reads and calls fn never frees
	 * what the other allocated.  n_built awards are held until the next
	 * build of the chunk, or its end.
	 */
	int fresh;                /* a walk's chunk read since its last build */
	size_t ref_at[WALK_CHUNK], client_at[WALK_CHUNK];
	size_t n_built;
	/* a walk for balances: each award's, worked out where it was built (bal_rc: its failure) */
	int want_balance;
	phsg_date balance_to;
	phsg_balance bal[WALK_CHUNK];
	int bal_rc[WALK_CHUNK];
	char *bal_why[WALK_CHUNK];
	int64_t *paid, *recovered; /* [award * width + component] */
	int64_t charged[WALK_CHUNK], received[WALK_CHUNK], refunded[WALK_CHUNK];
	/*
	 * A run's chunk (the awards it was given): an award that cannot be
	 * rebuilt is held, not the end of the chunk, with its own error, and
	 * each award's processed cycles, ranges[range_at[i]] up to range_at[i + 1].
	 */
	int run;                  /* a run's chunk: its ids are listed (IN), beside their range */
	size_t kept[WALK_CHUNK];  /* award i's kept sums (award_index.sums) in the text, or NO_KEPT */
	size_t cycles[WALK_CHUNK]; /* a run's: its kept cycles (award_index.cycles) in the text, or NO_KEPT */
	phsg_date latest[WALK_CHUNK]; /* the latest date of the rows its sums add up, or NO_ROWS */
	int rc[WALK_CHUNK];
	char *why[WALK_CHUNK];
	processed_range *ranges;
	size_t n_ranges, cap_ranges, range_at[WALK_CHUNK + 1];
	int64_t *net;             /* one award's net paid per component, the contribution first */
	/*
	 * The texts read (event kinds and data, component names), one after
	 * another in one buffer, each ending in a NUL: the rows below hold
	 * their offsets, so a chunk read costs no allocation per row and
	 * dropping it costs none either.
	 */
	char *text;
	size_t text_len, text_cap;
	/* the events as read, award i's from ev_at[i] up to ev_at[i + 1]; texts at ev_text[k] */
	phsg_award_event *ev;
	struct ev_text {
		size_t kind, data;
	} *ev_text;
	size_t n_ev, cap_ev, ev_at[WALK_CHUNK + 1];
	/* paid and recovered sums as read, by component name: counted once rebuilt */
	struct sum_row {
		size_t i;
		int recovered;
		size_t comp;
		int64_t amount;
	} *sums;
	size_t n_sums, cap_sums;
	/* a run's processed cycles as read, by component name (or the contribution): ranges once rebuilt */
	struct processed_row {
		size_t i;
		size_t comp;
		int contribution;
		long first, last;
	} *processed;
	size_t n_processed, cap_processed;
} walk_chunk;

/* Award i of the chunk rebuilt from its events; in a run's chunk a failure is the award's own. */
static int chunk_replay(walk_chunk *c, size_t i, const phsg_scheme *sc, const phsg_award_event *ev,
			size_t n)
{
	int rc;

	if (c->rc[i]) /* not found among the awards */
		return 0;
	rc = replay(&c->aw[i], sc, ev, n);
	if (rc && c->run) {
		c->rc[i] = rc;
		if (!(c->why[i] = strdup(phsg_error_last())))
			abort();
		rc = 0;
	}
	return rc;
}

/* The chunk's index of award `id`, or -1 (a row of an award outside it). */
static ptrdiff_t chunk_find(const walk_chunk *c, long long id)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->id[mid] == id)
			return (ptrdiff_t)mid;
		if (c->id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The text of a chunk statement for a run's chunk: "ID BETWEEN ?1 AND ?2"
 * made "ID BETWEEN ?257 AND ?258 AND ID IN (?1, ..., ?256)" and ?3 (a date,
 * or the scheme's key), wherever it is, made ?259.  A run's due awards are
 * sparse after its first run: a range alone would read every award between.
 * The range stays beside the list: with it PostgreSQL reads the index for a
 * table it has no statistics on yet (a first run just after an import),
 * where the list alone looks to it like most of the table.
 */
#define S_IN(which) (S_COUNT + 300 + (which))

static const char in_range[] = "BETWEEN ?1 AND ?2";

/*
 * Copy [from, to) to t at o, its ?3 made ?(PHSG_RUN_CHUNK + 3) and any
 * range of ?1 and ?2 (a join's) the chunk's range; the new o.
 */
static size_t in_copy(char *t, size_t o, size_t cap, const char *from, const char *to)
{
	for (const char *c = from; c < to; c++) {
		if (strncmp(c, in_range, sizeof(in_range) - 1) == 0) {
			o += (size_t)snprintf(t + o, cap - o, "BETWEEN ?%d AND ?%d", PHSG_RUN_CHUNK + 1,
					      PHSG_RUN_CHUNK + 2);
			c += sizeof(in_range) - 2;
		} else if (c[0] == '?' && c[1] == '3' && !(c[2] >= '0' && c[2] <= '9')) {
			o += (size_t)snprintf(t + o, cap - o, "?%d", PHSG_RUN_CHUNK + 3);
			c++;
		} else {
			t[o++] = *c;
		}
	}
	return o;
}

static char *in_text(const char *one)
{
	const char *at = NULL, *col;
	size_t cap = strlen(one) + PHSG_RUN_CHUNK * 8 + 128, o;
	char *t = malloc(cap);

	/* the chunk's own range is the statement's last */
	for (const char *r = strstr(one, in_range); r; r = strstr(r + 1, in_range))
		at = r;
	if (!t || !at || at - one < 2)
		abort();
	for (col = at - 1; col > one && col[-1] != ' '; col--)
		;
	o = in_copy(t, 0, cap, one, at);
	o += (size_t)snprintf(t + o, cap - o, "BETWEEN ?%d AND ?%d AND %.*s IN (", PHSG_RUN_CHUNK + 1,
			      PHSG_RUN_CHUNK + 2, (int)(at - 1 - col), col);
	for (int k = 1; k <= PHSG_RUN_CHUNK; k++)
		o += (size_t)snprintf(t + o, cap - o, k > 1 ? ", ?%d" : "?%d", k);
	t[o++] = ')';
	o = in_copy(t, o, cap, at + sizeof(in_range) - 1, at + strlen(at));
	t[o] = '\0';
	return t;
}

/*
 * Are the chunk's awards all those of their range?  Then the range alone
 * picks them: a walk's chunk, and a run's whose ids follow one another (a
 * first run, a 4-weekly one), which spares the database its list.
 */
static int chunk_whole(const walk_chunk *c)
{
	return !c->run || c->id[c->n - 1] - c->id[0] == (long long)c->n - 1;
}

/* Statement `which` for the chunk's awards, their ids bound; its date is chunk_date(c). */
static phsg_ledger_stmt *chunk_st(phsg_ledger *l, const walk_chunk *c, int which)
{
	phsg_ledger_stmt *s;

	if (chunk_whole(c)) {
		if ((s = st(l, which))) {
			bind_int(l, s, 1, c->id[0]);
			bind_int(l, s, 2, c->id[c->n - 1]);
		}
		return s;
	}
	if (l->touches[which] && flush(l))
		return NULL;
	if (!l->in_text[which])
		l->in_text[which] = in_text(sql[which]);
	if ((s = l->b->prepare(l->b, S_IN(which), l->in_text[which]))) {
		for (int k = 0; k < PHSG_RUN_CHUNK; k++) /* a short chunk repeats its last id */
			bind_int(l, s, k + 1, c->id[(size_t)k < c->n ? (size_t)k : c->n - 1]);
		bind_int(l, s, PHSG_RUN_CHUNK + 1, c->id[0]);
		bind_int(l, s, PHSG_RUN_CHUNK + 2, c->id[c->n - 1]);
	}
	return s;
}

static int chunk_date(const walk_chunk *c)
{
	return chunk_whole(c) ? 3 : PHSG_RUN_CHUNK + 3;
}

#define CHUNK_PREPARE(var, l, c, which) \
	do { \
		if (!((var) = chunk_st((l), (c), (which)))) \
			return db_error((l), "preparing a statement"); \
	} while (0)

/* Column i's text kept in the chunk's buffer (NULL as ""): its offset there. */
static size_t chunk_text(walk_chunk *c, phsg_ledger *l, phsg_ledger_stmt *s, int i)
{
	const char *t = col_text(l, s, i);
	size_t n = t ? strlen(t) + 1 : 1, at = c->text_len;

	if (n > c->text_cap - c->text_len) {
		c->text_cap = 2 * (c->text_len + n) + 4096;
		if (!(c->text = realloc(c->text, c->text_cap)))
			abort();
	}
	if (t)
		memcpy(c->text + at, t, n);
	else
		c->text[at] = '\0';
	c->text_len += n;
	return at;
}

/* The chunk's events, as read (in award order): kept for chunk_rebuild(). */
static int walk_events(phsg_ledger *l, walk_chunk *c)
{
	phsg_ledger_stmt *s;
	size_t next = 0, wanted = 0; /* next: the first award whose events have not started */
	int rc;

	for (size_t i = 0; i < c->n; i++)
		wanted += c->how[i] == BUILD_EVENTS;
	if (!wanted) { /* all from their states */
		memset(c->ev_at, 0, (c->n + 1) * sizeof(c->ev_at[0]));
		return 0;
	}
	CHUNK_PREPARE(s, l, c, S_WALK_EVENTS);
	while ((rc = step(l, s)) == ROW) {
		ptrdiff_t i = chunk_find(c, col_int(l, s, 0));
		if (i < 0 || c->how[i] != BUILD_EVENTS)
			continue;
		while ((ptrdiff_t)next <= i)
			c->ev_at[next++] = c->n_ev;
		if (c->n_ev == c->cap_ev) {
			c->cap_ev = c->cap_ev ? 2 * c->cap_ev : 256;
			if (!(c->ev = realloc(c->ev, c->cap_ev * sizeof(*c->ev))) ||
			    !(c->ev_text = realloc(c->ev_text, c->cap_ev * sizeof(*c->ev_text))))
				abort();
		}
		c->ev[c->n_ev] = (phsg_award_event){ .effective = col_date(l, s, 2) };
		c->ev_text[c->n_ev].kind = chunk_text(c, l, s, 1);
		c->ev_text[c->n_ev].data = chunk_text(c, l, s, 3);
		c->n_ev++;
	}
	while (next <= c->n)
		c->ev_at[next++] = c->n_ev;
	return rc == DONE ? 0 : db_error(l, "reading award events");
}

/* Drop what was read for rebuilding: the events and the sums by name. */
static void chunk_read_clear(walk_chunk *c)
{
	c->n_ev = 0;
	c->n_sums = 0;
	c->n_processed = 0;
	c->text_len = 0;
}

static void chunk_ranges(walk_chunk *c);

/*
 * Build each award of the chunk still to be built: from its kept state, or
 * from its events.  A state refused is counted, for chunk_refused().
 */
static int chunk_build(walk_chunk *c, const phsg_scheme *sc)
{
	int rc = 0;

	/* the buffer is read whole now: the events' texts stay where they are */
	for (size_t k = 0; k < c->n_ev; k++) {
		c->ev[k].kind = c->text + c->ev_text[k].kind;
		c->ev[k].data = c->text + c->ev_text[k].data;
	}
	if (!c->run && c->fresh) { /* the last chunk's awards go, these start */
		for (size_t i = 0; i < c->n_built; i++)
			phsg_award_release(&c->aw[i]);
		for (size_t i = 0; i < c->n; i++)
			phsg_award_init(&c->aw[i], c->id[i], c->text + c->ref_at[i], c->text + c->client_at[i]);
		c->n_built = c->n;
		c->fresh = 0;
	}
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		if (c->rc[i]) /* a run's award not found */
			continue;
		if (c->how[i] == BUILD_STATE) {
			if (phsg_award_from_state(&c->aw[i], sc, c->text + c->state[i]) == 0) {
				c->how[i] = BUILT;
			} else {
				phsg_error_clear();
				c->how[i] = BUILD_REFUSED;
				c->n_refused++;
			}
		} else if (c->how[i] == BUILD_EVENTS) {
			rc = chunk_replay(c, i, sc, c->ev + c->ev_at[i], c->ev_at[i + 1] - c->ev_at[i]);
			c->how[i] = BUILT;
		}
	}
	return rc;
}

/* Award i's sums as the walk hands them over. */
static phsg_award_sums chunk_sums_of(const walk_chunk *c, size_t i)
{
	return (phsg_award_sums){
		.paid = c->paid + i * c->width,
		.recovered = c->recovered + i * c->width,
		.charged = c->charged[i],
		.received = c->received[i],
		.refunded = c->refunded[i],
		.balance = c->want_balance ? &c->bal[i] : NULL,
	};
}

/* A walk for balances: each award's, kept with its failure (reported in the award's turn). */
static void chunk_balances(walk_chunk *c, const phsg_scheme *sc)
{
	for (size_t i = 0; i < c->n && c->want_balance; i++) {
		phsg_award_sums sums = chunk_sums_of(c, i);
		c->bal_rc[i] = phsg_award_sums_balance(&c->bal[i], sc, &c->aw[i], -1, &sums,
						      c->balance_to);
		if (c->bal_rc[i] && !(c->bal_why[i] = strdup(phsg_error_last())))
			abort();
	}
}

/*
 * With every award built: count the sums read into each award's components,
 * and a run's ranges.  A component's sums come in a row for each batch
 * (S_WALK_PAID), each whole, and are added up here: a total past 64 bits
 * (only a ledger written by hand holds one) is refused.
 */
static int chunk_sums(walk_chunk *c, const phsg_scheme *sc)
{
	int rc = 0;

	for (size_t k = 0; k < c->n_sums && rc == 0; k++) {
		const struct sum_row *r = &c->sums[k];
		const phsg_package *pkg = c->aw[r->i].package;
		if (c->rc[r->i]) /* a run's award that is held */
			continue;
		for (size_t j = 0; j < pkg->n_components; j++) {
			int64_t *to = &(r->recovered ? c->recovered : c->paid)[r->i * c->width + j];
			if (strcmp(pkg->components[j].id, c->text + r->comp) == 0 &&
			    __builtin_add_overflow(*to, r->amount, to))
				rc = phsg_error_set(PHSG_ELEDGER, "award %s: its %s of %s add up to more "
						    "than 2^63 pence", c->aw[r->i].ref,
						    r->recovered ? "recoveries" : "payments",
						    pkg->components[j].id);
		}
	}
	if (rc == 0 && c->run)
		chunk_ranges(c);
	chunk_read_clear(c);
	if (rc == 0)
		chunk_balances(c, sc);
	return rc;
}

/*
 * Rebuild the chunk's awards, then count their paid and recovered sums by
 * component (a component the package no longer has is not counted, as per
 * component).  It touches nothing but the chunk and the scheme, so a walk
 * has it done on a thread of its own while it reads the next chunk.  In a
 * run's chunk an award that fails is held with its reason.  When a kept
 * state was refused, the sums wait for chunk_refused() to read its events.
 */
static int chunk_rebuild(walk_chunk *c, const phsg_scheme *sc)
{
	int rc = chunk_build(c, sc);

	if (rc)
		chunk_read_clear(c);
	else if (!c->n_refused)
		rc = chunk_sums(c, sc);
	return rc;
}

/*
 * After chunk_rebuild(), here, where the ledger may be read: the awards
 * whose kept state was refused (damaged: phsg writes none it would refuse)
 * are rebuilt from their events, as if they had none, then the sums are
 * counted.  `phsg verify` names such a state.
 */
static int chunk_refused(phsg_ledger *l, walk_chunk *c, const phsg_scheme *sc)
{
	int rc;

	if (!c->n_refused)
		return 0;
	c->n_refused = 0;
	c->n_ev = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->how[i] == BUILD_REFUSED)
			c->how[i] = BUILD_EVENTS;
	if ((rc = walk_events(l, c)) || (rc = chunk_build(c, sc))) {
		chunk_read_clear(c);
		return rc;
	}
	return chunk_sums(c, sc);
}

/* Award i's cycles first to last, processed for component `comp` (named in the text), or the contribution. */
static void processed_note(walk_chunk *c, size_t i, size_t comp, int contribution, long first,
			   long last)
{
	if (c->n_processed == c->cap_processed) {
		c->cap_processed = c->cap_processed ? 2 * c->cap_processed : 256;
		if (!(c->processed = realloc(c->processed, c->cap_processed * sizeof(*c->processed))))
			abort();
	}
	c->processed[c->n_processed++] = (struct processed_row){ i, comp, contribution, first, last };
}

/*
 * What award_index.sums holds (ledger/migrations/0009-run-sums.sql): for
 * each component of the award's package, in order, "ID=PAID,RECOVERED"
 * over every date; for a package with tiers, "(charged)=N", the
 * contribution charged, first; and "(through)=DATE", the latest date of
 * the rows they add up (none when there is none).  Whole pence:
 * "ras=17120,0 (through)=2026-04-27".  Neither name in brackets is a
 * reference, so no component has it.
 */
#define KEPT_CHARGED "(charged)"
#define KEPT_THROUGH "(through)"

typedef struct {
	char *t;
	size_t len, cap;
} kept_buf;

static void kept_put(kept_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void kept_put(kept_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->t + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < b->cap - b->len)
			break;
		b->cap = 2 * (b->len + (size_t)n + 1);
		if (!(b->t = realloc(b->t, b->cap)))
			abort();
	}
	b->len += (size_t)n;
}

static kept_buf kept_new(void)
{
	kept_buf b = { malloc(128), 0, 128 };

	if (!b.t)
		abort();
	b.t[0] = '\0';
	return b;
}

static char *sums_text(const phsg_package *pkg, const int64_t *paid, const int64_t *recovered,
		       int64_t charged, phsg_date latest)
{
	kept_buf b = kept_new();

	if (pkg->n_tiers)
		kept_put(&b, KEPT_CHARGED "=%" PRId64, charged);
	for (size_t k = 0; k < pkg->n_components; k++)
		kept_put(&b, "%s%s=%" PRId64 ",%" PRId64, b.len ? " " : "", pkg->components[k].id,
			 paid[k], recovered[k]);
	if (latest != NO_ROWS) {
		char d[PHSG_DATE_BUF];
		phsg_date_format(d, latest);
		kept_put(&b, " " KEPT_THROUGH "=%s", d);
	}
	return b.t;
}

/*
 * What award_index.cycles holds (ledger/migrations/0010-run-cycles.sql):
 * the cycles runs processed for each component of the award's package, in
 * order, as "ID=RANGES"; for a package with tiers, the contribution's
 * first, as "(contribution)=RANGES".  RANGES is the cycle numbers as
 * ascending ranges "F-L", each apart from the next, separated by commas,
 * or nothing: "ras=196-199" (cycle k starts k x 28 days after the
 * scheme's anchor).
 */
#define KEPT_CONTRIBUTION "(contribution)"

/* states[c + 1]: component c's processed cycles, ascending, each once (the contribution's at states[0]). */
static char *cycles_text(const phsg_package *pkg, const phsg_component_state *states)
{
	kept_buf b = kept_new();

	for (int c = pkg->n_tiers ? PHSG_CONTRIBUTION : 0; c < (int)pkg->n_components; c++) {
		const phsg_component_state *st = &states[c + 1];
		kept_put(&b, "%s%s=", b.len ? " " : "",
			 c == PHSG_CONTRIBUTION ? KEPT_CONTRIBUTION : pkg->components[c].id);
		for (size_t k = 0; k < st->n_processed;) {
			size_t e = k;
			while (e + 1 < st->n_processed && st->processed[e + 1] == st->processed[e] + 1)
				e++;
			kept_put(&b, "%s%ld-%ld", k ? "," : "", st->processed[k], st->processed[e]);
			k = e + 1;
		}
	}
	return b.t;
}

/* A whole number of pence at t, up to `stop` or the end: 0, or -1 when it is not one. */
static int kept_number(const char *t, char stop, int64_t *v, const char **end)
{
	char *e;
	long long n;

	if (!(*t == '-' || isdigit((unsigned char)*t)))
		return -1;
	errno = 0;
	n = strtoll(t, &e, 10);
	if (errno || e == t || (*e && *e != stop))
		return -1;
	*v = n;
	*end = e;
	return 0;
}

static void sum_add(walk_chunk *c, size_t i, int recovered, size_t comp, int64_t amount)
{
	if (c->n_sums == c->cap_sums) {
		c->cap_sums = c->cap_sums ? 2 * c->cap_sums : 256;
		if (!(c->sums = realloc(c->sums, c->cap_sums * sizeof(*c->sums))))
			abort();
	}
	c->sums[c->n_sums++] = (struct sum_row){ i, recovered, comp, amount };
}

/*
 * Award i's kept sums (c->kept[i]) as the rows a read of its payments,
 * recoveries and contributions would have given.  The text is cut into its
 * names in place.  -1 when it is not as a run writes it (a ledger edited by
 * hand: `phsg verify` names it); the chunk then reads the rows.
 */
static int kept_sums(walk_chunk *c, size_t i)
{
	char *t = c->text + c->kept[i];

	while (*t) {
		char *eq = strchr(t, '='), *sp = strchr(t, ' ');
		const char *end;
		int64_t paid, recovered;
		if (!eq || eq == t || (sp && sp < eq))
			return -1;
		*eq = '\0';
		if (sp)
			*sp = '\0';
		if (strcmp(t, KEPT_THROUGH) == 0) {
			if (phsg_date_parse(&c->latest[i], eq + 1))
				return -1;
		} else if (strcmp(t, KEPT_CHARGED) == 0) {
			if (kept_number(eq + 1, '\0', &c->charged[i], &end))
				return -1;
		} else {
			if (kept_number(eq + 1, ',', &paid, &end) || *end != ',' ||
			    kept_number(end + 1, '\0', &recovered, &end))
				return -1;
			sum_add(c, i, 0, (size_t)(t - c->text), paid);
			sum_add(c, i, 1, (size_t)(t - c->text), recovered);
		}
		t = sp ? sp + 1 : eq + 1 + strlen(eq + 1);
	}
	return 0;
}

/*
 * Award i's kept cycles (c->cycles[i]) noted as the processed rows a read
 * would have given, cut into their names in place.  -1 unless they are as
 * cycles_text() writes them: each range ascending, apart from the one before.
 */
static int kept_cycles(walk_chunk *c, size_t i)
{
	char *t = c->text + c->cycles[i];

	while (*t) {
		char *eq = strchr(t, '='), *sp = strchr(t, ' ');
		const char *r;
		int64_t first, last, before = 0;
		int contribution, any = 0;
		if (!eq || eq == t || (sp && sp < eq))
			return -1;
		*eq = '\0';
		if (sp)
			*sp = '\0';
		contribution = strcmp(t, KEPT_CONTRIBUTION) == 0;
		for (r = eq + 1; *r; any = 1) {
			if ((any && *r++ != ',') || kept_number(r, '-', &first, &r) || *r != '-' ||
			    kept_number(r + 1, ',', &last, &r) || last < first ||
			    (any && first <= before + 1))
				return -1;
			processed_note(c, i, (size_t)(t - c->text), contribution, (long)first, (long)last);
			before = last;
		}
		t = sp ? sp + 1 : eq + 1 + strlen(eq + 1);
	}
	return 0;
}

/*
 * The chunk's sums as of `as_of` from what the run that last paid each
 * award kept (award_index.sums, read while its dirty is 0), when every
 * award has them and none adds up a row dated after as_of: 1 if so.
 * Otherwise 0, nothing counted, and the rows are read.
 */
static int chunk_kept(walk_chunk *c, phsg_date as_of)
{
	for (size_t i = 0; i < c->n; i++)
		c->latest[i] = NO_ROWS;
	for (size_t i = 0; i < c->n; i++)
		if (!c->rc[i] && (c->kept[i] == NO_KEPT || kept_sums(c, i) || c->latest[i] > as_of)) {
			c->n_sums = 0;
			memset(c->charged, 0, sizeof(c->charged));
			for (size_t k = 0; k < c->n; k++)
				c->latest[k] = NO_ROWS;
			return 0;
		}
	return 1;
}

/*
 * A run's chunk's processed cycles from what the run that last paid each
 * award kept (award_index.cycles, read while its dirty is 0), when every
 * award has them as a run writes them: 1 if so.  Otherwise 0, none noted,
 * and the processed marks are read.
 */
static int chunk_cycles(walk_chunk *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (!c->rc[i] && (c->cycles[i] == NO_KEPT || kept_cycles(c, i))) {
			c->n_processed = 0;
			return 0;
		}
	return 1;
}

/* One kind of sum for the chunk: rows of (award, component or '', whole sum). */
static int walk_sums(phsg_ledger *l, walk_chunk *c, int which, phsg_date as_of, const char *what)
{
	phsg_ledger_stmt *s;
	int rc;

	CHUNK_PREPARE(s, l, c, which);
	bind_date(l, s, chunk_date(c), as_of);
	while ((rc = step(l, s)) == ROW) {
		ptrdiff_t i = chunk_find(c, col_int(l, s, 0));
		if (i < 0)
			continue;
		if (col_null(l, s, 2)) {
			reset(l, s);
			return not_whole(l, what);
		}
		if (!col_null(l, s, 3) && col_date(l, s, 3) > c->latest[i])
			c->latest[i] = col_date(l, s, 3);
		if (which == S_WALK_CHARGED) {
			c->charged[i] = col_int(l, s, 2);
			continue;
		}
		if (col_null(l, s, 1))
			continue;
		sum_add(c, (size_t)i, which == S_WALK_RECOVERED, chunk_text(c, l, s, 1), col_int(l, s, 2));
	}
	return rc == DONE ? 0 : db_error(l, what);
}

static int walk_receipts(phsg_ledger *l, walk_chunk *c, phsg_date as_of)
{
	phsg_ledger_stmt *s;
	int rc;

	CHUNK_PREPARE(s, l, c, S_WALK_RECEIPTS);
	bind_date(l, s, chunk_date(c), as_of);
	while ((rc = step(l, s)) == ROW) {
		ptrdiff_t i = chunk_find(c, col_int(l, s, 0));
		if (i >= 0) {
			c->received[i] = col_int(l, s, 1);
			c->refunded[i] = col_int(l, s, 2);
		}
	}
	return rc == DONE ? 0 : db_error(l, "summing contributions received");
}

/*
 * The next chunk of awards after `after` as read, with their sums when
 * as_of is given: chunk_rebuild() makes them awards.
 */
static int walk_chunk_read(phsg_ledger *l, walk_chunk *c, long long after, phsg_date as_of)
{
	phsg_ledger_stmt *s;
	int rc;

	c->n = 0;
	PREPARE(s, l, S_WALK_AWARDS);
	bind_int(l, s, 1, after);
	bind_text(l, s, 2, c->key);
	while ((rc = step(l, s)) == ROW && c->n < WALK_CHUNK) {
		c->id[c->n] = col_int(l, s, 0);
		c->ref_at[c->n] = chunk_text(c, l, s, 1);
		c->client_at[c->n] = chunk_text(c, l, s, 2);
		c->how[c->n] = col_null(l, s, 3) ? BUILD_EVENTS : BUILD_STATE;
		if (c->how[c->n] == BUILD_STATE)
			c->state[c->n] = chunk_text(c, l, s, 3);
		c->kept[c->n] = col_null(l, s, 4) ? NO_KEPT : chunk_text(c, l, s, 4);
		c->n++;
	}
	if (rc == ROW)
		reset(l, s);
	else if (rc != DONE)
		return db_error(l, "listing awards");
	c->fresh = 1;
	if (c->n == 0 || (rc = walk_events(l, c)) || !as_of)
		return rc;
	memset(c->paid, 0, c->n * c->width * sizeof(int64_t));
	memset(c->recovered, 0, c->n * c->width * sizeof(int64_t));
	memset(c->charged, 0, sizeof(c->charged));
	memset(c->received, 0, sizeof(c->received));
	memset(c->refunded, 0, sizeof(c->refunded));
	if (!chunk_kept(c, as_of) &&
	    ((rc = walk_sums(l, c, S_WALK_PAID, as_of, "summing payments")) ||
	     (rc = walk_sums(l, c, S_WALK_RECOVERED, as_of, "summing recoveries")) ||
	     (rc = walk_sums(l, c, S_WALK_CHARGED, as_of, "summing contributions"))))
		return rc;
	return walk_receipts(l, c, as_of);
}

static walk_chunk *walk_chunk_new(const phsg_scheme *sc)
{
	walk_chunk *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	for (size_t p = 0; p < sc->n_packages; p++)
		if (sc->packages[p].n_components > c->width)
			c->width = sc->packages[p].n_components;
	if (!(c->paid = calloc(WALK_CHUNK * (c->width ? c->width : 1), sizeof(int64_t))) ||
	    !(c->recovered = calloc(WALK_CHUNK * (c->width ? c->width : 1), sizeof(int64_t))))
		abort();
	return c;
}

/* Done with the chunk's awards (released by its next build) and what was read for them. */
static void walk_chunk_empty(walk_chunk *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->bal_why[i]);
		c->bal_why[i] = NULL;
	}
	c->n = 0;
	chunk_read_clear(c);
}

/* The chunk's own arrays, a walk's or a run's (a walk has no ranges or net). */
static void walk_chunk_arrays_free(walk_chunk *c)
{
	free(c->text);
	free(c->ev);
	free(c->ev_text);
	free(c->sums);
	free(c->processed);
	free(c->paid);
	free(c->recovered);
	free(c->ranges);
	free(c->net);
}

static void walk_chunk_free(walk_chunk *c)
{
	walk_chunk_empty(c);
	for (size_t i = 0; i < c->n_built; i++)
		phsg_award_release(&c->aw[i]);
	walk_chunk_arrays_free(c);
	free(c);
}

/* A chunk rebuilt on a thread of its own, and how that went. */
typedef struct {
	walk_chunk *c;
	const phsg_scheme *sc;
	phsg_side_job side;
} rebuild_job;

static void *rebuild_run(void *arg)
{
	rebuild_job *j = arg;
	int rc;

	if ((rc = chunk_rebuild(j->c, j->sc)))
		phsg_side_failed(&j->side, rc);
	return NULL;
}

/* A chunk's rebuild, started on a second thread (or, failing that, done here). */
static void rebuild_start(rebuild_job *j, walk_chunk *c, const phsg_scheme *sc)
{
	j->c = c;
	j->sc = sc;
	phsg_side_start(&j->side, rebuild_run, j);
}

/*
 * Two chunks in turn, read here and rebuilt (JSON, GMP) on a second thread:
 * while chunk k is rebuilt this reads chunk k + 1 from the ledger; then
 * chunk k + 1's rebuild starts while fn sees chunk k's awards, here, in
 * order (fn may use the ledger: no statement is open then).  So the second
 * thread is busy while fn works, and this one reads while it rebuilds.  A
 * failure is reported after the awards before it were seen, as when each
 * chunk was read and rebuilt in turn.
 */
static int awards_walk(phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of, int want_balance,
		       int (*fn)(void *ctx, const phsg_award *aw, const phsg_award_sums *sums),
		       void *ctx)
{
	walk_chunk *chunk[2] = { walk_chunk_new(sc), walk_chunk_new(sc) };
	rebuild_job job[2];
	char key[STATE_KEY_BUF];
	int rc = 0, now = 0;

	state_key(key, sc->fingerprint);
	for (int k = 0; k < 2; k++) {
		chunk[k]->key = key;
		chunk[k]->want_balance = want_balance;
		chunk[k]->balance_to = as_of + 1; /* through the end of as_of */
	}

	/* sums may come from what runs kept, not from the amounts: look for a forged one first */
	if (as_of)
		rc = phsg_ledger_amounts_whole(l);
	if (rc == 0 && (rc = walk_chunk_read(l, chunk[0], 0, as_of)) == 0 && chunk[0]->n)
		rebuild_start(&job[0], chunk[0], sc);
	while (rc == 0 && chunk[now]->n) {
		walk_chunk *c = chunk[now], *next = chunk[!now];
		char read_why[1024] = "";
		int read_rc = 0, next_started = 0;

		if (c->n == WALK_CHUNK &&
		    (read_rc = walk_chunk_read(l, next, c->id[c->n - 1], as_of)))
			snprintf(read_why, sizeof(read_why), "%s", phsg_error_last());
		rc = phsg_side_wait(&job[now].side);
		if (rc == 0)
			rc = chunk_refused(l, c, sc);
		if (rc == 0 && read_rc == 0 && next->n) {
			rebuild_start(&job[!now], next, sc);
			next_started = 1;
		}
		for (size_t i = 0; i < c->n && rc == 0; i++) {
			phsg_award_sums sums = chunk_sums_of(c, i);
			if (want_balance && c->bal_rc[i])
				rc = phsg_error_set(c->bal_rc[i], "%s", c->bal_why[i]);
			else
				rc = fn(ctx, &c->aw[i], as_of ? &sums : NULL);
		}
		if (rc == 0 && read_rc)
			rc = phsg_error_set(read_rc, "%s", read_why);
		if (rc && next_started) /* the next chunk's rebuild: waited for, its failure not reported */
			phsg_side_join(&job[!now].side);
		walk_chunk_empty(c);
		now = !now;
	}
	walk_chunk_free(chunk[0]);
	walk_chunk_free(chunk[1]);
	return rc;
}

int phsg_ledger_awards_walk(phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of,
			    int (*fn)(void *ctx, const phsg_award *aw, const phsg_award_sums *sums),
			    void *ctx)
{
	return awards_walk(l, sc, as_of, 0, fn, ctx);
}

int phsg_ledger_awards_walk_balances(phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of,
				     int (*fn)(void *ctx, const phsg_award *aw,
					       const phsg_award_sums *sums),
				     void *ctx)
{
	if (!as_of)
		return phsg_error_set(PHSG_EINVAL, "a walk for balances needs a date");
	return awards_walk(l, sc, as_of, 1, fn, ctx);
}

/* ---- runs ---- */

/* Whether the ledger last ran under the scheme with this fingerprint (and this phsg). */
static int scheme_last_run(int *same, phsg_ledger *l, const char *fingerprint)
{
	phsg_ledger_stmt *s;
	char key[STATE_KEY_BUF];
	int rc;

	*same = 0;
	state_key(key, fingerprint);
	PREPARE(s, l, S_META_GET);
	bind_text(l, s, 1, "scheme_fingerprint");
	rc = step(l, s);
	if (rc == ROW) {
		*same = strcmp(col_text(l, s, 0), key) == 0;
		reset(l, s);
	} else if (rc != DONE) {
		return db_error(l, "reading the scheme fingerprint");
	}
	return 0;
}

int phsg_ledger_scheme_seen(phsg_ledger *l, const char *fingerprint)
{
	phsg_ledger_stmt *s;
	char key[STATE_KEY_BUF];
	int rc, same;

	if ((rc = scheme_last_run(&same, l, fingerprint)) || same)
		return rc;
	state_key(key, fingerprint);
	PREPARE(s, l, S_ALL_DIRTY);
	if ((rc = step_done(l, s, "marking awards for recomputation")))
		return rc;
	PREPARE(s, l, S_META_SET);
	bind_text(l, s, 1, "scheme_fingerprint");
	bind_text(l, s, 2, key);
	return step_done(l, s, "recording the scheme fingerprint");
}

int phsg_ledger_run_reader(phsg_ledger **out, phsg_ledger *l, const char *fingerprint)
{
	phsg_ledger_backend *b = NULL;
	int rc = 0, same = 0;

	*out = NULL;
	if (!l->in_tx || (rc = scheme_last_run(&same, l, fingerprint)) || !same ||
	    (rc = phsg_ledger_sqlite_reader(&b, l->b)) || !b)
		return rc;
	if ((rc = phsg_ledger_wrap(out, b, l->operator_name)))
		b->free(b, 0);
	return rc;
}

/*
 * meta DUE_FROM_KEY: the earliest next due date of an award the run's index
 * holds unmarked (dirty = 0), as the last run left the index, or
 * DUE_FROM_NONE when no unmarked award has one (ledger version 11).  Only a
 * run unmarks an award, and it notes the date in the same transaction
 * (phsg_ledger_due_from_keep); every other change marks the awards it
 * touches, which can only make the true date later than the one noted.  So
 * on an earlier date, with no award marked, nothing is due, and a run that
 * finds so reads two rows (phsg_ledger_nothing_due) instead of an index of
 * every award by due date, which a 4-weekly run rewrote a third of.
 * Absent (a ledger before version 11): not known, every run looks.
 */
#define DUE_FROM_KEY "due_from"
#define DUE_FROM_NONE "none"

/* The date noted: *from the date, or PHSG_DATE_MAX for DUE_FROM_NONE; 0 when none is, or it is not a date. */
#define DUE_FROM_BUF 64
static int due_from_noted(phsg_date *from, char text[DUE_FROM_BUF], phsg_ledger *l)
{
	phsg_ledger_stmt *s;
	int rc;

	*from = 0;
	text[0] = '\0';
	PREPARE(s, l, S_META_GET);
	bind_text(l, s, 1, DUE_FROM_KEY);
	if ((rc = step(l, s)) == ROW) {
		const char *t = col_text(l, s, 0);
		snprintf(text, DUE_FROM_BUF, "%s", t ? t : "");
		if (t && strcmp(t, DUE_FROM_NONE) == 0)
			*from = PHSG_DATE_MAX;
		else if (!t || phsg_date_parse(from, t))
			*from = 0;
		reset(l, s);
	} else if (rc != DONE) {
		return db_error(l, "reading the earliest date an award is due");
	}
	return 0;
}

int phsg_ledger_nothing_due(int *none, phsg_ledger *l, phsg_date run_date)
{
	phsg_ledger_stmt *s;
	char text[DUE_FROM_BUF];
	phsg_date from;
	int64_t marked = 0;
	int rc;

	*none = 0;
	if ((rc = due_from_noted(&from, text, l)) || from <= run_date)
		return rc;
	PREPARE(s, l, S_ANY_DIRTY);
	if ((rc = step_int(l, s, "looking for marked awards", &marked)) == 0)
		*none = marked == 0;
	return rc;
}

/* The earliest next due date of the awards the index holds unmarked: PHSG_DATE_MAX for none. */
static int clean_due_min(phsg_date *min, phsg_ledger *l)
{
	phsg_ledger_stmt *s;
	int rc;

	*min = PHSG_DATE_MAX;
	PREPARE(s, l, S_CLEAN_DUE_MIN);
	if ((rc = step(l, s)) != ROW)
		return db_error(l, "finding the earliest date an award is due");
	if (!col_null(l, s, 0))
		*min = col_date(l, s, 0);
	reset(l, s);
	return 0;
}

int phsg_ledger_due_from_keep(phsg_ledger *l)
{
	phsg_ledger_stmt *s;
	char text[DUE_FROM_BUF], now[PHSG_DATE_BUF];
	phsg_date noted, min;
	int rc;

	/* the rows held first, so that one refused fails as it would at the commit;
	 * the date is written only when it changes: a run again on the same date
	 * writes nothing here */
	if ((rc = flush(l)) || (rc = clean_due_min(&min, l)) ||
	    (rc = due_from_noted(&noted, text, l)) || noted == min)
		return rc;
	if (min == PHSG_DATE_MAX)
		snprintf(now, sizeof(now), "%s", DUE_FROM_NONE);
	else
		phsg_date_format(now, min);
	PREPARE(s, l, S_META_SET);
	bind_text(l, s, 1, DUE_FROM_KEY);
	bind_text(l, s, 2, now);
	return step_done(l, s, "noting the earliest date an award is due");
}

int phsg_ledger_awards_due(long long **ids, size_t *n, phsg_ledger *l, phsg_date run_date)
{
	phsg_ledger_stmt *s;

	int rc;

	PREPARE(s, l, S_DUE);
	bind_date(l, s, 1, run_date);
	/* a run pays awards in the order of their ids */
	if ((rc = id_list(l, s, ids, n)) == 0 && *n > 1)
		qsort(*ids, *n, sizeof(**ids), cmp_id);
	return rc;
}

int phsg_ledger_awards_due_count(size_t *n, phsg_ledger *l, phsg_date run_date)
{
	phsg_ledger_stmt *s;
	int64_t count = 0;
	int rc;

	*n = 0;
	PREPARE(s, l, S_DUE_COUNT);
	bind_date(l, s, 1, run_date);
	if ((rc = step_int(l, s, "counting the awards due", &count)) == 0)
		*n = (size_t)count;
	return rc;
}

int phsg_ledger_awards_due_upto(size_t *n, phsg_ledger *l, phsg_date run_date, size_t limit)
{
	phsg_ledger_stmt *s;
	int64_t count = 0;
	int rc;

	*n = 0;
	PREPARE(s, l, S_DUE_UPTO);
	bind_date(l, s, 1, run_date);
	bind_int(l, s, 2, (int64_t)limit);
	if ((rc = step_int(l, s, "counting the awards due", &count)) == 0)
		*n = (size_t)count < limit ? (size_t)count : limit;
	return rc;
}

int phsg_ledger_awards_due_after(long long *ids, size_t *n, size_t max, phsg_ledger *l,
				 phsg_date run_date, long long after)
{
	phsg_ledger_stmt *s;
	int rc;

	*n = 0;
	PREPARE(s, l, S_DUE_AFTER);
	bind_date(l, s, 1, run_date);
	bind_int(l, s, 2, after);
	bind_int(l, s, 3, (int64_t)max);
	while ((rc = step(l, s)) == ROW && *n < max)
		ids[(*n)++] = col_int(l, s, 0);
	if (rc == ROW)
		reset(l, s);
	return rc == ROW || rc == DONE ? 0 : db_error(l, "listing the awards due");
}

static const char *comp_name(const phsg_award *aw, int comp)
{
	return comp == PHSG_CONTRIBUTION ? "contribution" : aw->package->components[comp].id;
}

static int sum_query(phsg_ledger *l, int which, long long award, const char *comp,
		     int64_t *out)
{
	phsg_ledger_stmt *s;

	if (!(s = st_award(l, which, award)))
		return db_error(l, "preparing a statement");
	bind_int(l, s, 1, award);
	if (comp)
		bind_text(l, s, 2, comp);
	return step_int(l, s, "summing payments", out);
}

void phsg_ledger_award_history_release(phsg_award_history *h)
{
	free(h->states);
	free(h->cycles);
	memset(h, 0, sizeof(*h));
}

/*
 * Fill `h` for `aw` from what was read: net[c + 1] each component's net paid
 * (net[0] the contribution charged), and the processed ranges, by component
 * and first cycle.
 */
static void history_build(phsg_award_history *h, const phsg_award *aw, const int64_t *net,
			  const processed_range *r, size_t n_ranges)
{
	size_t n = aw->package->n_components + 1, used = 0;
	size_t *starts = calloc(n + 1, sizeof(size_t));
	phsg_component_state *states;

	if (!starts)
		abort();
	if (n > h->cap_states) {
		h->states = realloc(h->states, n * sizeof(*h->states));
		if (!h->states)
			abort();
		h->cap_states = n;
	}
	h->n_states = n;
	states = h->states;
	memset(states, 0, n * sizeof(*states));
	for (int c = aw->package->n_tiers ? PHSG_CONTRIBUTION : 0; c < (int)aw->package->n_components;
	     c++) {
		phsg_component_state *stt = &states[c + 1];
		stt->paid = net[c + 1];
		starts[c + 1] = used;
		for (size_t k = 0; k < n_ranges; k++) {
			long first = r[k].first, last = r[k].last;
			if (r[k].comp != c)
				continue;
			/* ranges come by first cycle; a ledger from before version 2 may
			 * mark a cycle twice (once by a voided batch): keep each once */
			if (used > starts[c + 1] && first <= h->cycles[used - 1])
				first = h->cycles[used - 1] + 1;
			for (long cy = first; cy <= last; cy++) {
				if (used == h->cap_cycles) {
					h->cap_cycles = h->cap_cycles ? h->cap_cycles * 2 : 256;
					h->cycles = realloc(h->cycles, h->cap_cycles * sizeof(long));
					if (!h->cycles)
						abort();
				}
				h->cycles[used++] = cy;
			}
		}
		stt->n_processed = used - starts[c + 1];
	}
	/* point into the storage only once it has stopped moving */
	for (size_t i = 0; i < n; i++)
		states[i].processed = h->cycles ? h->cycles + starts[i] : NULL;
	free(starts);
}

static void range_add(processed_range **r, size_t *n, size_t *cap, int comp, long first, long last)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		if (!(*r = realloc(*r, *cap * sizeof(**r))))
			abort();
	}
	(*r)[(*n)++] = (processed_range){ comp, first, last };
}

int phsg_ledger_award_history(phsg_award_history *h, phsg_ledger *l, const phsg_award *aw)
{
	size_t n = aw->package->n_components + 1, n_ranges = 0, cap = 0;
	int64_t *net = calloc(n, sizeof(int64_t));
	processed_range *r = NULL;
	int rc = 0;

	if (!net)
		abort();
	for (int c = aw->package->n_tiers ? PHSG_CONTRIBUTION : 0;
	     c < (int)aw->package->n_components && rc == 0; c++) {
		const char *name = comp_name(aw, c);
		int64_t paid = 0, recovered = 0;
		phsg_ledger_stmt *s;

		if (c == PHSG_CONTRIBUTION)
			rc = sum_query(l, S_CHARGED, aw->id, NULL, &paid);
		else if (!(rc = sum_query(l, S_PAID, aw->id, name, &paid)))
			rc = sum_query(l, S_RECOVERED, aw->id, name, &recovered);
		if (rc)
			break;
		net[c + 1] = paid - recovered;
		if (!(s = st_award(l, S_PROCESSED, aw->id))) {
			rc = db_error(l, "preparing a statement");
			break;
		}
		bind_int(l, s, 1, aw->id);
		bind_text(l, s, 2, name);
		while ((rc = step(l, s)) == ROW)
			range_add(&r, &n_ranges, &cap, c, (long)col_int(l, s, 0), (long)col_int(l, s, 1));
		rc = rc == DONE ? 0 : db_error(l, "reading processed cycles");
	}
	if (rc == 0)
		history_build(h, aw, net, r, n_ranges);
	free(net);
	free(r);
	return rc;
}

/* ---- the awards a run pays, a chunk at a time (ledger_chunk.h) ---- */

int phsg_ledger_amounts_whole(phsg_ledger *l)
{
	phsg_ledger_stmt *s;
	int64_t n = 0;
	int rc;

	/* PostgreSQL's amounts are bigint: no other value can be stored there */
	if (strcmp(l->b->name, "sqlite") != 0)
		return 0;
	PREPARE(s, l, S_RUN_WHOLE);
	if ((rc = step_int(l, s, "checking the stored amounts", &n)))
		return rc;
	return n ? not_whole(l, "checking the stored amounts") : 0;
}

struct phsg_run_chunk {
	walk_chunk c;
	char key[STATE_KEY_BUF];
};

char *phsg_run_chunk_sums(const phsg_run_chunk *chunk, size_t i, const phsg_payrule_result *pr)
{
	const walk_chunk *c = &chunk->c;
	const phsg_package *pkg = c->aw[i].package;
	size_t n = pkg->n_components;
	int64_t *paid = malloc((2 * n + 1) * sizeof(int64_t)), *recovered = paid + n;
	int64_t charged = c->charged[i];
	phsg_date latest = c->latest[i];
	char *t = NULL;

	if (!paid)
		abort();
	memcpy(paid, c->paid + i * c->width, n * sizeof(int64_t));
	memcpy(recovered, c->recovered + i * c->width, n * sizeof(int64_t));
	for (size_t p = 0; p < pr->n_postings; p++) {
		const phsg_posting *ps = &pr->postings[p];
		int64_t *to = ps->comp == PHSG_CONTRIBUTION ? &charged : &paid[ps->comp];
		if (__builtin_add_overflow(*to, ps->amount, to))
			goto done; /* none kept: the next run reads the rows, and refuses them */
		if (ps->due > latest)
			latest = ps->due;
	}
	t = sums_text(pkg, paid, recovered, charged, latest);
done:
	free(paid);
	return t;
}

static int cmp_cycle(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

char *phsg_run_chunk_cycles(const phsg_run_chunk *chunk, size_t i, const phsg_award_history *h,
			    const phsg_payrule_result *pr)
{
	const phsg_package *pkg = chunk->c.aw[i].package;
	size_t n = pkg->n_components, all = pr->n_processed / 2, used = 0;
	phsg_component_state *states = calloc(n + 1, sizeof(*states));
	long *cycles;
	char *t;

	if (!states)
		abort();
	for (size_t k = 0; k < h->n_states; k++)
		all += h->states[k].n_processed;
	if (!(cycles = malloc((all + 1) * sizeof(long))))
		abort();
	/*
	 * each component's: those processed before (each once, ascending) and
	 * this run's (none processed before), ascending; a gap before may be
	 * filled by this run
	 */
	for (size_t k = 0; k <= n; k++) {
		size_t from = used;
		if (k < h->n_states && h->states[k].n_processed) {
			memcpy(cycles + used, h->states[k].processed, h->states[k].n_processed * sizeof(long));
			used += h->states[k].n_processed;
		}
		for (size_t p = 0; p + 1 < pr->n_processed; p += 2)
			if (pr->processed[p] + 1 == (long)k)
				cycles[used++] = pr->processed[p + 1];
		qsort(cycles + from, used - from, sizeof(long), cmp_cycle);
		states[k].processed = cycles + from;
		states[k].n_processed = used - from;
	}
	t = cycles_text(pkg, states);
	free(states);
	free(cycles);
	return t;
}

/* The chunk's processed cycles as read (in award order, by component and first cycle). */
static int chunk_processed(phsg_ledger *l, walk_chunk *c)
{
	phsg_ledger_stmt *s;
	int rc;

	CHUNK_PREPARE(s, l, c, S_RUN_PROCESSED);
	while ((rc = step(l, s)) == ROW) {
		ptrdiff_t i = chunk_find(c, col_int(l, s, 0));
		if (i < 0 || c->rc[i] || col_null(l, s, 1))
			continue;
		processed_note(c, (size_t)i, chunk_text(c, l, s, 1), 0, (long)col_int(l, s, 2),
			       (long)col_int(l, s, 3));
	}
	return rc == DONE ? 0 : db_error(l, "reading processed cycles");
}

/*
 * Each rebuilt award's processed ranges, ranges[range_at[i]] up to
 * range_at[i + 1], by component (the contribution, or one the package still
 * has) and first cycle.
 */
static void chunk_ranges(walk_chunk *c)
{
	size_t at = 0;

	c->n_ranges = 0;
	for (size_t k = 0; k < c->n_processed; k++) {
		const struct processed_row *r = &c->processed[k];
		const phsg_package *pkg = c->aw[r->i].package;
		int comp = -2;
		if (c->rc[r->i])
			continue;
		for (; at <= r->i; at++)
			c->range_at[at] = c->n_ranges;
		if (r->contribution || strcmp(c->text + r->comp, "contribution") == 0)
			comp = PHSG_CONTRIBUTION;
		for (size_t j = 0; j < pkg->n_components && !r->contribution; j++)
			if (strcmp(pkg->components[j].id, c->text + r->comp) == 0)
				comp = (int)j;
		if (comp != -2)
			range_add(&c->ranges, &c->n_ranges, &c->cap_ranges, comp, r->first, r->last);
	}
	for (; at <= c->n; at++)
		c->range_at[at] = c->n_ranges;
}

static void chunk_clear(walk_chunk *c)
{
	for (size_t i = 0; i < c->n; i++) {
		if (!c->rc[i] || c->why[i])
			phsg_award_release(&c->aw[i]);
		free(c->why[i]);
		c->why[i] = NULL;
		c->rc[i] = 0;
	}
	c->n = 0;
}

int phsg_ledger_run_chunk_fetch(phsg_run_chunk **chunk, phsg_ledger *l, const phsg_scheme *sc,
				const long long *ids, size_t n)
{
	phsg_ledger_stmt *s;
	walk_chunk *c;
	size_t found = 0;
	int rc;

	if (!*chunk) {
		if (!(*chunk = calloc(1, sizeof(**chunk))))
			abort();
		c = &(*chunk)->c;
		c->run = 1;
		for (size_t p = 0; p < sc->n_packages; p++)
			if (sc->packages[p].n_components > c->width)
				c->width = sc->packages[p].n_components;
		if (!(c->paid = calloc(PHSG_RUN_CHUNK * (c->width ? c->width : 1), sizeof(int64_t))) ||
		    !(c->recovered = calloc(PHSG_RUN_CHUNK * (c->width ? c->width : 1), sizeof(int64_t))) ||
		    !(c->net = calloc(c->width + 1, sizeof(int64_t))))
			abort();
		state_key((*chunk)->key, sc->fingerprint);
	}
	c = &(*chunk)->c;
	chunk_clear(c);
	if (n == 0)
		return 0;
	if (n > PHSG_RUN_CHUNK)
		return phsg_error_set(PHSG_EINVAL, "a chunk of %zu awards: at most %d", n, PHSG_RUN_CHUNK);
	memcpy(c->id, ids, n * sizeof(*ids));
	c->n = n;
	/* an award without its row is held as unknown: ENOTFOUND, no message yet */
	for (size_t i = 0; i < n; i++) {
		c->rc[i] = PHSG_ENOTFOUND;
		c->how[i] = BUILD_EVENTS;
	}
	CHUNK_PREPARE(s, l, c, S_RUN_AWARDS);
	bind_text(l, s, chunk_date(c), (*chunk)->key);
	while ((rc = step(l, s)) == ROW) {
		ptrdiff_t i = chunk_find(c, col_int(l, s, 0));
		if (i >= 0) {
			phsg_award_init(&c->aw[i], c->id[i], col_text(l, s, 1), col_text(l, s, 2));
			/* built from its kept state, as a walk's; else from its events,
			 * and what they build is kept */
			c->state_wanted[i] = col_null(l, s, 3);
			if (!c->state_wanted[i]) {
				c->how[i] = BUILD_STATE;
				c->state[i] = chunk_text(c, l, s, 3);
			}
			c->kept[i] = col_null(l, s, 4) ? NO_KEPT : chunk_text(c, l, s, 4);
			c->cycles[i] = col_null(l, s, 5) ? NO_KEPT : chunk_text(c, l, s, 5);
			c->rc[i] = 0;
			found++;
		}
	}
	if (rc != DONE)
		return db_error(l, "reading awards");
	for (size_t i = 0; i < n && found < n; i++)
		if (c->rc[i]) {
			phsg_error_set(PHSG_ENOTFOUND, "unknown award id %lld", c->id[i]);
			if (!(c->why[i] = strdup(phsg_error_last())))
				abort();
			memset(&c->aw[i], 0, sizeof(c->aw[i]));
		}
	memset(c->paid, 0, n * c->width * sizeof(int64_t));
	memset(c->recovered, 0, n * c->width * sizeof(int64_t));
	memset(c->charged, 0, sizeof(c->charged));
	/* every date a payment can have: a run's history counts them all */
	if ((rc = walk_events(l, c)) ||
	    (!chunk_kept(c, PHSG_DATE_LAST) &&
	     ((rc = walk_sums(l, c, S_WALK_PAID, PHSG_DATE_LAST, "summing payments")) ||
	      (rc = walk_sums(l, c, S_WALK_RECOVERED, PHSG_DATE_LAST, "summing recoveries")) ||
	      (rc = walk_sums(l, c, S_WALK_CHARGED, PHSG_DATE_LAST, "summing contributions")))) ||
	    (!chunk_cycles(c) && (rc = chunk_processed(l, c))))
		chunk_read_clear(c);
	return rc;
}

int phsg_run_chunk_build(phsg_run_chunk *chunk, const phsg_scheme *sc)
{
	return chunk_rebuild(&chunk->c, sc);
}

int phsg_run_chunk_refused(const phsg_run_chunk *chunk)
{
	return chunk->c.n_refused != 0;
}

int phsg_ledger_run_chunk_rebuild(phsg_run_chunk *chunk, phsg_ledger *l, const phsg_scheme *sc)
{
	walk_chunk *c = &chunk->c;

	for (size_t i = 0; i < c->n; i++)
		if (c->how[i] == BUILD_REFUSED)
			c->state_wanted[i] = 1; /* kept again as its events build it */
	return chunk_refused(l, c, sc);
}

int phsg_run_chunk_state_wanted(const phsg_run_chunk *chunk, size_t i)
{
	return i < chunk->c.n && !chunk->c.rc[i] && chunk->c.state_wanted[i];
}

int phsg_run_chunk_award(const phsg_award **aw, const char **why, phsg_award_history *h,
			 phsg_run_chunk *chunk, size_t i)
{
	walk_chunk *c = &chunk->c;
	int64_t *net = c->net;

	*aw = NULL;
	*why = NULL;
	if (i >= c->n)
		return phsg_error_set(PHSG_EINVAL, "award %zu of a chunk of %zu", i, c->n);
	if (c->rc[i]) {
		*why = c->why[i];
		return c->rc[i];
	}
	*aw = &c->aw[i];
	net[0] = c->charged[i];
	for (size_t k = 0; k < c->aw[i].package->n_components; k++)
		net[k + 1] = c->paid[i * c->width + k] - c->recovered[i * c->width + k];
	history_build(h, &c->aw[i], net, c->ranges + c->range_at[i],
		      c->range_at[i + 1] - c->range_at[i]);
	return 0;
}

void phsg_run_chunk_free(phsg_run_chunk *chunk)
{
	if (!chunk)
		return;
	chunk_clear(&chunk->c);
	chunk_read_clear(&chunk->c);
	walk_chunk_arrays_free(&chunk->c);
	free(chunk);
}

int phsg_ledger_next_batch(long long *id, phsg_ledger *l)
{
	phsg_ledger_stmt *s;
	int64_t v = 0;
	int rc;

	PREPARE(s, l, S_NEXT_BATCH);
	if ((rc = step_int(l, s, "numbering a batch", &v)))
		return rc;
	*id = v;
	return 0;
}

int phsg_ledger_batch_add(long long *id, phsg_ledger *l, phsg_date run_date)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_BATCH_ADD);
	bind_date(l, s, 1, run_date);
	bind_text(l, s, 2, l->operator_name);
	return step_id(l, s, "adding a batch", id);
}

int phsg_ledger_batch_total(phsg_ledger *l, long long batch, int64_t total)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_BATCH_TOTAL);
	bind_int(l, s, 1, batch);
	bind_int(l, s, 2, total);
	return step_done(l, s, "recording a batch's total");
}

int phsg_ledger_posting_add(phsg_ledger *l, long long batch, const phsg_award *aw,
			    const phsg_posting *p)
{
	phsg_ledger_stmt *s;
	struct cell *c;
	int rc;

	if (p->comp == PHSG_CONTRIBUTION) {
		PREPARE(s, l, S_CONTRIB_ADD);
		bind_text(l, s, 1, NULL); /* charges belong to no batch */
		bind_int(l, s, 2, aw->id);
		bind_date(l, s, 3, p->cycle_start);
		bind_date(l, s, 4, p->cycle_end);
		bind_date(l, s, 5, p->due);
		bind_int(l, s, 6, p->amount);
		bind_text(l, s, 7, l->operator_name);
		return step_done(l, s, "recording a contribution");
	}
	/* held, and written with others by one statement (see struct pending) */
	if ((rc = pending_row(&c, l, PENDING_PAYMENTS)))
		return rc;
	if (batch)
		cell_int(&c[0], batch);
	else
		cell_text(l, PENDING_PAYMENTS, &c[0], NULL); /* an opening posting: in no batch */
	cell_int(&c[1], aw->id);
	cell_text(l, PENDING_PAYMENTS, &c[2], comp_name(aw, p->comp));
	cell_text(l, PENDING_PAYMENTS, &c[3], p->kind == PHSG_POST_CYCLE ? "cycle" :
		  p->kind == PHSG_POST_OPENING ? "opening" : "adjustment");
	cell_date(&c[4], p->cycle_start);
	cell_date(&c[5], p->cycle_end);
	cell_date(&c[6], p->due);
	cell_int(&c[7], p->amount);
	cell_text(l, PENDING_PAYMENTS, &c[8], p->payee);
	cell_text(l, PENDING_PAYMENTS, &c[9], phsg_scheme_method_name(p->method));
	/* who wrote it and when: its batch's, or an opening posting's own */
	cell_text(l, PENDING_PAYMENTS, &c[10], batch ? "" : l->operator_name);
	cell_text(l, PENDING_PAYMENTS, &c[11], batch ? "" : l->now);
	if (!l->pa_payee || aw->id != l->pa_award || strcmp(p->payee, l->pa_payee)) {
		/* the award's first payment to this payee, as far as this
		 * transaction knows: payee_awards gets its row, if it has none */
		if ((rc = pending_row(&c, l, PENDING_PAYEE_AWARDS)))
			return rc;
		cell_text(l, PENDING_PAYEE_AWARDS, &c[0], p->payee);
		cell_int(&c[1], aw->id);
		free(l->pa_payee);
		if (!(l->pa_payee = strdup(p->payee)))
			abort();
		l->pa_award = aw->id;
	}
	return held(l);
}

int phsg_ledger_processed_add(phsg_ledger *l, long long batch, const phsg_award *aw,
			      int comp, long first, long last)
{
	struct cell *c;
	int rc;

	if ((rc = pending_row(&c, l, PENDING_PROCESSED)))
		return rc;
	if (batch)
		cell_int(&c[0], batch);
	else
		cell_text(l, PENDING_PROCESSED, &c[0], NULL);
	cell_int(&c[1], aw->id);
	cell_text(l, PENDING_PROCESSED, &c[2], comp_name(aw, comp));
	cell_int(&c[3], first);
	cell_int(&c[4], last);
	return held(l);
}

int phsg_ledger_index_set(phsg_ledger *l, long long award_id, phsg_date next_due,
			  const char *state, const char *sums, const char *cycles)
{
	struct cell *c;
	int rc;

	if ((rc = pending_row(&c, l, PENDING_INDEX)))
		return rc;
	cell_int(&c[0], award_id);
	if (next_due == PHSG_DATE_MAX)
		cell_text(l, PENDING_INDEX, &c[1], NULL);
	else
		cell_date(&c[1], next_due);
	cell_text(l, PENDING_INDEX, &c[2], sums);
	cell_text(l, PENDING_INDEX, &c[3], cycles);
	if (state) {
		if ((rc = pending_row(&c, l, PENDING_STATES)))
			return rc;
		cell_int(&c[0], award_id);
		cell_text(l, PENDING_STATES, &c[1], state);
	}
	return held(l);
}

/* ---- batches ---- */

/* Which columns a payment row has beyond the first 13. */
enum { ROW_BATCH = 1, ROW_CREATED = 2 };

static void payment_row(phsg_ledger *l, phsg_ledger_stmt *s, phsg_payment_row *r, int more)
{
	memset(r, 0, sizeof(*r));
	r->payment_id = col_int(l, s, 0);
	r->award = col_dup(l, s, 1);
	r->client = col_dup(l, s, 2);
	r->package = col_dup(l, s, 3);
	r->component = col_dup(l, s, 4);
	r->kind = col_dup(l, s, 5);
	r->cycle_start = col_date(l, s, 6);
	r->cycle_end = col_date(l, s, 7);
	r->due = col_date(l, s, 8);
	r->amount = col_int(l, s, 9);
	r->payee = col_dup(l, s, 10);
	r->method = col_dup(l, s, 11);
	r->reverses = col_int(l, s, 12);
	if (more & ROW_BATCH)
		r->id = col_int(l, s, 13);
	if (more & ROW_CREATED)
		r->created_at = col_dup(l, s, 14);
}

static void payment_row_release(phsg_payment_row *r)
{
	free(r->award);
	free(r->client);
	free(r->package);
	free(r->component);
	free(r->kind);
	free(r->payee);
	free(r->method);
	free(r->created_at);
}

void phsg_ledger_payment_rows_free(phsg_payment_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		payment_row_release(&rows[i]);
	free(rows);
}

static int payment_rows(phsg_ledger *l, phsg_ledger_stmt *s, int more, phsg_payment_row **rows,
			size_t *n)
{
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	while ((rc = step(l, s)) == ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*rows = realloc(*rows, cap * sizeof(phsg_payment_row));
			if (!*rows)
				abort();
		}
		payment_row(l, s, &(*rows)[(*n)++], more);
	}
	if (rc != DONE) {
		phsg_ledger_payment_rows_free(*rows, *n);
		*rows = NULL;
		*n = 0;
		return db_error(l, "reading payments");
	}
	return 0;
}

int phsg_ledger_batch_get(phsg_batch *out, phsg_ledger *l, long long id)
{
	phsg_ledger_stmt *s;
	int rc;

	if ((rc = phsg_ledger_batch_info(out, l, id)))
		return rc;
	PREPARE(s, l, S_BATCH_PAYMENTS);
	bind_int(l, s, 1, id);
	return payment_rows(l, s, 0, &out->payments, &out->n_payments);
}

int phsg_ledger_batch_each(phsg_ledger *l, long long id,
			   int (*fn)(void *ctx, const phsg_payment_row *p, const phsg_payee *payee),
			   void *ctx)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_BATCH_EACH);
	bind_int(l, s, 1, id);
	while ((rc = step(l, s)) == ROW) {
		phsg_payment_row row;
		phsg_payee payee = { 0 };
		int has_payee = !col_null(l, s, 14);

		payment_row(l, s, &row, ROW_BATCH);
		if (has_payee) {
			payee.ref = col_dup(l, s, 14);
			payee.name = col_dup(l, s, 15);
			payee.is_card = strcmp(col_text(l, s, 16), "card") == 0;
			payee.sort_code = col_dup(l, s, 17);
			payee.account = col_dup(l, s, 18);
			payee.card_id = col_dup(l, s, 19);
		}
		rc = fn(ctx, &row, has_payee ? &payee : NULL);
		payment_row_release(&row);
		phsg_ledger_payee_release(&payee);
		if (rc) {
			reset(l, s);
			return rc;
		}
	}
	return rc == DONE ? 0 : db_error(l, "reading a batch");
}

int phsg_ledger_batch_info(phsg_batch *out, phsg_ledger *l, long long id)
{
	phsg_ledger_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	PREPARE(s, l, S_BATCH_ROW);
	bind_int(l, s, 1, id);
	rc = step(l, s);
	if (rc == DONE)
		return phsg_error_set(PHSG_ENOTFOUND, "unknown batch %lld", id);
	if (rc != ROW)
		return db_error(l, "reading a batch");
	out->id = id;
	out->run_date = col_date(l, s, 0);
	out->created_at = col_dup(l, s, 1);
	out->operator_name = col_dup(l, s, 2);
	reset(l, s);
	PREPARE(s, l, S_BATCH_EVENTS);
	bind_int(l, s, 1, id);
	while ((rc = step(l, s)) == ROW) {
		const char *k = col_text(l, s, 0);
		if (strcmp(k, "void") == 0)
			out->voided = 1;
		else if (strcmp(k, "sent") == 0)
			out->sent = 1;
	}
	if (rc != DONE)
		return db_error(l, "reading batch events");
	return 0;
}

void phsg_ledger_batch_release(phsg_batch *b)
{
	if (!b)
		return;
	free(b->created_at);
	free(b->operator_name);
	phsg_ledger_payment_rows_free(b->payments, b->n_payments);
	memset(b, 0, sizeof(*b));
}

static int batch_event(phsg_ledger *l, long long id, const char *kind)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_BATCH_EVENT_ADD);
	bind_int(l, s, 1, id);
	bind_text(l, s, 2, kind);
	bind_text(l, s, 3, l->operator_name);
	return step_done(l, s, "recording a batch event");
}

int phsg_ledger_batch_void(phsg_ledger *l, long long id)
{
	phsg_batch b;
	phsg_ledger_stmt *s;
	int rc;

	if ((rc = phsg_ledger_batch_get(&b, l, id)))
		return rc;
	if (b.sent)
		rc = phsg_error_set(PHSG_ERULE,
			"batch %lld was sent to the bank and cannot be voided: later runs "
			"correct it by netting and recoveries", id);
	else if (b.voided)
		rc = phsg_error_set(PHSG_ERULE, "batch %lld is already voided", id);
	phsg_ledger_batch_release(&b);
	if (rc)
		return rc;
	if ((rc = batch_event(l, id, "void")))
		return rc;
	PREPARE(s, l, S_VOID_PAYMENTS);
	bind_int(l, s, 1, id);
	bind_text(l, s, 2, l->operator_name);
	if ((rc = step_done(l, s, "reversing payments")))
		return rc;
	PREPARE(s, l, S_VOID_DIRTY);
	bind_int(l, s, 1, id);
	return step_done(l, s, "marking awards for the next run");
}

int phsg_ledger_batch_sent(phsg_ledger *l, long long id)
{
	phsg_batch b;
	int rc;

	if ((rc = phsg_ledger_batch_get(&b, l, id)))
		return rc;
	if (b.voided)
		rc = phsg_error_set(PHSG_ERULE, "batch %lld is voided and cannot be sent", id);
	else if (b.sent)
		rc = phsg_error_set(PHSG_ERULE, "batch %lld is already marked as sent", id);
	phsg_ledger_batch_release(&b);
	return rc ? rc : batch_event(l, id, "sent");
}

int phsg_ledger_award_payments(phsg_payment_row **rows, size_t *n, phsg_ledger *l,
			       long long award_id)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_AWARD_PAYMENTS);
	bind_int(l, s, 1, award_id);
	return payment_rows(l, s, ROW_BATCH | ROW_CREATED, rows, n);
}

/* ---- recoveries and sums ---- */

int phsg_ledger_recovery_add(phsg_ledger *l, long long award_id, const char *component,
			     const char *payee, int64_t amount, phsg_date on)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_RECOVERY_ADD);
	bind_int(l, s, 1, award_id);
	bind_text(l, s, 2, component);
	bind_int(l, s, 3, amount);
	bind_date(l, s, 4, on);
	bind_text(l, s, 5, l->operator_name);
	bind_text(l, s, 6, payee);
	if ((rc = step_done(l, s, "recording a recovery")))
		return rc;
	PREPARE(s, l, S_DIRTY);
	bind_int(l, s, 1, award_id);
	return step_done(l, s, "marking an award for the next run");
}

static int mark_dirty(phsg_ledger *l, long long award_id)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_DIRTY);
	bind_int(l, s, 1, award_id);
	return step_done(l, s, "marking an award for the next run");
}

int phsg_ledger_payment_return(phsg_ledger *l, long long batch, long long payment, phsg_date on,
			       const char *reason)
{
	phsg_batch b;
	phsg_payment_row p;
	phsg_ledger_stmt *s;
	long long award_id = 0, reversal;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	int rc, returned = 0;

	if ((rc = phsg_text_check_name("the reason", reason, PHSG_TEXT_MAX)) ||
	    (rc = phsg_ledger_batch_info(&b, l, batch)))
		return rc;
	if (b.voided)
		rc = phsg_error_set(PHSG_ERULE, "batch %lld is voided: none of its payments was made",
				    batch);
	else if (!b.sent)
		rc = phsg_error_set(PHSG_ERULE, "batch %lld has not been sent to the bank: a payment "
				    "in it cannot have been returned (void the batch instead)", batch);
	else if (on < b.run_date) {
		phsg_date_format(d1, on);
		phsg_date_format(d2, b.run_date);
		rc = phsg_error_set(PHSG_ERULE, "the return date %s is before batch %lld was run, on %s",
				    d1, batch, d2);
	}
	phsg_ledger_batch_release(&b);
	if (rc)
		return rc;
	PREPARE(s, l, S_PAYMENT_GET);
	bind_int(l, s, 1, payment);
	rc = step(l, s);
	if (rc == DONE)
		return phsg_error_set(PHSG_ENOTFOUND, "batch %lld has no payment %lld", batch, payment);
	if (rc != ROW)
		return db_error(l, "reading a payment");
	payment_row(l, s, &p, ROW_BATCH);
	award_id = col_int(l, s, 14);
	returned = col_int(l, s, 15) > 0;
	reset(l, s);
	rc = 0;
	if (p.id != batch)
		rc = phsg_error_set(PHSG_ENOTFOUND, "batch %lld has no payment %lld", batch, payment);
	else if (p.reverses || p.amount <= 0)
		rc = phsg_error_set(PHSG_ERULE, "payment %lld is itself a reversal, not a payment", payment);
	else if (returned)
		rc = phsg_error_set(PHSG_ERULE, "payment %lld was already returned", payment);
	payment_row_release(&p);
	if (rc)
		return rc;
	PREPARE(s, l, S_RETURN_REVERSAL);
	bind_int(l, s, 1, payment);
	bind_date(l, s, 2, on);
	bind_text(l, s, 3, l->operator_name);
	if ((rc = step_id(l, s, "reversing a returned payment", &reversal)))
		return rc;
	PREPARE(s, l, S_RETURN_ADD);
	bind_int(l, s, 1, payment);
	bind_int(l, s, 2, reversal);
	bind_date(l, s, 3, on);
	bind_text(l, s, 4, reason);
	bind_text(l, s, 5, l->operator_name);
	if ((rc = step_done(l, s, "recording a returned payment")))
		return rc;
	return mark_dirty(l, award_id);
}

int phsg_ledger_contribution_receipt_add(phsg_ledger *l, long long award_id, int refund,
					 int64_t amount, phsg_date on)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_RECEIPT_ADD);
	bind_int(l, s, 1, award_id);
	bind_text(l, s, 2, refund ? "refund" : "received");
	bind_int(l, s, 3, amount);
	bind_date(l, s, 4, on);
	bind_text(l, s, 5, l->operator_name);
	return step_done(l, s, "recording a contribution received or refunded");
}

int phsg_ledger_contribution_receipts(int64_t *received, int64_t *refunded, phsg_ledger *l,
				      long long award_id, phsg_date as_of)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_RECEIPTS_ASOF);
	bind_int(l, s, 1, award_id);
	bind_date(l, s, 2, as_of);
	rc = step(l, s);
	if (rc != ROW)
		return db_error(l, "summing contributions received");
	*received = col_int(l, s, 0);
	*refunded = col_int(l, s, 1);
	reset(l, s);
	return 0;
}

int phsg_ledger_client_awards(long long **ids, size_t *n, phsg_ledger *l,
			      const char *client, const char *package)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_CLIENT_AWARDS);
	bind_text(l, s, 1, client);
	bind_text(l, s, 2, package);
	return id_list(l, s, ids, n);
}

int phsg_ledger_award_sums(int64_t *paid, int64_t *recovered, phsg_ledger *l,
			   long long award_id, const char *component, phsg_date as_of)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_PAID_ASOF);
	bind_int(l, s, 1, award_id);
	bind_text(l, s, 2, component);
	bind_date(l, s, 3, as_of);
	if ((rc = step_int(l, s, "summing payments", paid)))
		return rc;
	PREPARE(s, l, S_RECOVERED_ASOF);
	bind_int(l, s, 1, award_id);
	bind_text(l, s, 2, component);
	bind_date(l, s, 3, as_of);
	return step_int(l, s, "summing recoveries", recovered);
}

int phsg_ledger_contribution_sum(int64_t *charged, phsg_ledger *l, long long award_id,
				 phsg_date as_of)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_CHARGED_ASOF);
	bind_int(l, s, 1, award_id);
	bind_date(l, s, 2, as_of);
	return step_int(l, s, "summing contributions", charged);
}

/*
 * A date column read again only when its text changes (the journal's come
 * in order): the last text that was a date, and that date.
 */
typedef struct {
	char text[PHSG_DATE_BUF];
	phsg_date d;
} date_memo;

/* Of an entry, the first column read that is not a date (0: none), and why. */
typedef struct {
	int col;
	char why[256];
} date_fault;

static phsg_date col_date_memo(phsg_ledger *l, phsg_ledger_stmt *s, int i, date_memo *m,
				date_fault *fault)
{
	const char *t = col_text(l, s, i);
	phsg_date d = 0;

	if (!t)
		return 0;
	if (m->text[0] && strcmp(t, m->text) == 0)
		return m->d;
	if (phsg_date_parse(&d, t) == 0) {
		snprintf(m->text, sizeof(m->text), "%s", t);
		m->d = d;
	} else if (!fault->col) {
		fault->col = i;
		snprintf(fault->why, sizeof(fault->why), "%s", phsg_error_last());
	}
	return d;
}

/* A journal entry's row, as phsg verify names it: its table's, and a date column's. */
static void journal_row(const char **row, const char **col, const char *kind, int date_col)
{
	static const struct {
		const char *kind, *row, *date;
	} rows[] = {
		{ "recovery", "recovery", "received_on" },
		{ "contribution-charge", "contribution", "due" },
		{ "contribution-withdrawn", "contribution", "due" },
		{ "contribution-", "contribution receipt", "on_date" },
		{ "", "payment", "due" },
	};
	size_t i = 0;

	while (strncmp(kind, rows[i].kind, strlen(rows[i].kind)) != 0)
		i++;
	*row = rows[i].row;
	*col = date_col == 7 ? "cycle_start" : date_col == 8 ? "cycle_end" : rows[i].date;
}

int phsg_ledger_journal(phsg_ledger *l, phsg_date as_of,
			int (*fn)(void *ctx, const phsg_journal_entry *e), void *ctx)
{
	phsg_ledger_stmt *s;
	date_memo memo[3] = { { "", 0 }, { "", 0 }, { "", 0 } };
	date_fault bad = { 0, "" };
	int rc;

	PREPARE(s, l, S_JOURNAL);
	bind_date(l, s, 1, as_of);
	while ((rc = step(l, s)) == ROW) {
		phsg_journal_entry e = {
			.kind = col_text(l, s, 0),
			.date = col_date_memo(l, s, 1, &memo[0], &bad),
			.award = col_text(l, s, 2),
			.client = col_text(l, s, 3),
			.package = col_text(l, s, 4),
			.component = col_text(l, s, 5),
			.payee = col_text(l, s, 6),
			.cycle_start = col_date_memo(l, s, 7, &memo[1], &bad),
			.cycle_end = col_date_memo(l, s, 8, &memo[2], &bad),
			.amount = col_int(l, s, 9),
			.batch = col_int(l, s, 10),
		};
		if (col_int(l, s, 11) >= JOURNAL_ID_LIMIT) {
			phsg_error_set(PHSG_ELEDGER, "a %s entry with id %lld: the journal's order holds"
				       " ids below %lld (2^34) only", e.kind, (long long)col_int(l, s, 11),
				       (long long)JOURNAL_ID_LIMIT);
			reset(l, s);
			return PHSG_ELEDGER;
		}
		if (bad.col) {
			/* a date edited by hand: no entry on no date, or out of its order */
			const char *row, *col;
			journal_row(&row, &col, e.kind, bad.col);
			phsg_error_set(PHSG_ELEDGER, "%s %lld, column %s: %s; phsg verify lists each date"
				       " the ledger holds that cannot be read", row,
				       (long long)col_int(l, s, 11), col, bad.why);
			reset(l, s);
			return PHSG_ELEDGER;
		}
		if ((rc = fn(ctx, &e)) != 0) {
			reset(l, s);
			return rc;
		}
	}
	return rc == DONE ? 0 : db_error(l, "reading the journal");
}

/* ---- phsg verify ---- */

typedef struct {
	void (*fault)(void *ctx, const char *what);
	void *ctx;
	size_t n;
	int same_scheme; /* the ledger last ran under this scheme: the index and marks are its */
} verifier;

/*
 * One fault, as one line of text whatever the ledger holds.  Text read from
 * it (a reference written there behind phsg's back) may carry control
 * characters, C0 or C1, a line or paragraph separator, or bytes that are
 * not UTF-8: each is shown as an escape - \n, \r, \t; \xNN for a byte;
 * \uNNNN for a character - and a backslash as \\.  So no fault can end its
 * line and start one that looks like another fault, or like "ok", or clear
 * a terminal's line; and none is cut short, however long.
 */
static void vfault(verifier *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void vfault(verifier *v, const char *fmt, ...)
{
	char *msg, *line;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (len < 0)
		abort();
	line = phsg_text_escape(msg, (size_t)len);
	v->n++;
	v->fault(v->ctx, line);
	free(line);
	free(msg);
}

/* A fault the backend's own check found. */
static void store_fault(void *ctx, const char *what)
{
	vfault(ctx, "%s", what);
}

/* The award as it was known at `when` (events recorded then or before). */
static int award_as_of(const phsg_scheme *sc, const phsg_award *now, const phsg_event_row *rows,
		       size_t n, const char *when, phsg_award *out)
{
	phsg_award_event *ev = malloc((n ? n : 1) * sizeof(*ev));
	size_t k = 0;
	int rc;

	if (!ev)
		abort();
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].recorded_at, when) <= 0)
			ev[k++] = (phsg_award_event){ rows[i].kind, rows[i].effective, rows[i].data };
	phsg_award_init(out, now->id, now->ref, now->client);
	rc = phsg_award_replay(out, sc, ev, k, 0);
	free(ev);
	return rc;
}

/*
 * The award as kept (award_states), where a report would use it: what its
 * events build, to the byte.
 */
static int verify_state(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *now, verifier *v)
{
	phsg_ledger_stmt *s;
	char key[STATE_KEY_BUF], *built;
	int rc;

	state_key(key, sc->fingerprint);
	PREPARE(s, l, S_V_STATE);
	bind_int(l, s, 1, now->id);
	bind_text(l, s, 2, key);
	if ((rc = step(l, s)) == ROW && !col_null(l, s, 0)) {
		built = phsg_award_state(now);
		if (strcmp(built, col_text(l, s, 0)))
			vfault(v, "award %s: the state kept in award_states is not what its events "
			       "build: reports would show the award as kept", now->ref);
		free(built);
	}
	if (rc == ROW)
		reset(l, s);
	return rc < 0 ? db_error(l, "reading an award's kept state") : 0;
}

/*
 * A run reads an award only once award_index says it may have something
 * due: a clean row (dirty 0) whose next_due is after the due date of a
 * cycle no run has processed for it, or that says nothing more is due
 * (NULL), would leave that cycle unpaid, and so would no row at all.  And
 * a run pays each cycle it processes up to what the payment rule gives to
 * its end: a clean award paid less than that for its last processed cycle
 * (a payment or a mark changed by hand) would not be read to be paid the
 * rest until its next cycle falls due, or ever after its last.  Each
 * component counts, and the contribution where the payment rule charges
 * one; an award whose due dates cannot be worked out is the run's to hold,
 * not a fault here.  Under another scheme than the ledger last ran under,
 * the next run reads every award again (phsg_ledger_scheme_seen()): only
 * the row is checked.
 */
/* Component c paid (charged, for the contribution) what the rule gives to its last processed cycle. */
static void verify_paid_to(const phsg_scheme *sc, const phsg_award *aw, int c,
			   const phsg_component_state *st, verifier *v)
{
	phsg_date upto = phsg_payrule_cycle_start(&sc->calendar, st->processed[st->n_processed - 1]) +
			 PHSG_CYCLE_DAYS;
	char d[PHSG_DATE_BUF], a[PHSG_NUM_BUF], b[PHSG_NUM_BUF], gap[PHSG_NUM_BUF];
	int64_t target;

	if (phsg_payrule_entitled_pence(&target, sc, aw, c, upto < aw->end ? upto : aw->end) ||
	    st->paid >= target)
		return;
	phsg_date_format(d, upto - 1);
	vfault(v, "award %s %s: the payment rule gives %s to %s, the end of its last processed "
	       "cycle, but %s is %s: %s short", aw->ref, comp_name(aw, c), phsg_pence_text(a, target),
	       d, phsg_pence_text(b, st->paid), c == PHSG_CONTRIBUTION ? "charged" : "paid",
	       phsg_pence_text(gap, target - st->paid));
}

/* The text a run would keep of the award's sums (sums_text), from its rows. */
static int rows_sums(phsg_ledger *l, const phsg_award *aw, char **out)
{
	const phsg_package *pkg = aw->package;
	size_t n = pkg->n_components;
	int64_t *paid = calloc(2 * n + 1, sizeof(int64_t)), *recovered = paid + n, charged = 0;
	phsg_date latest = NO_ROWS;
	phsg_ledger_stmt *s;
	int rc = 0;

	if (!paid)
		abort();
	if (pkg->n_tiers)
		rc = sum_query(l, S_CHARGED, aw->id, NULL, &charged);
	for (size_t k = 0; k < n && rc == 0; k++)
		if (!(rc = sum_query(l, S_PAID, aw->id, pkg->components[k].id, &paid[k])))
			rc = sum_query(l, S_RECOVERED, aw->id, pkg->components[k].id, &recovered[k]);
	if (rc == 0) {
		if (!(s = st_award(l, S_V_LATEST, aw->id))) {
			rc = db_error(l, "preparing a statement");
		} else {
			bind_int(l, s, 1, aw->id);
			if ((rc = step(l, s)) == ROW) {
				if (!col_null(l, s, 0))
					latest = col_date(l, s, 0);
				reset(l, s);
				rc = 0;
			} else {
				rc = db_error(l, "reading the latest date of an award's rows");
			}
		}
	}
	if (rc == 0)
		*out = sums_text(pkg, paid, recovered, charged, latest);
	free(paid);
	return rc;
}

static int verify_index(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw, verifier *v)
{
	const phsg_calendar *cal = &sc->calendar;
	long k0 = phsg_payrule_cycle_of(cal, aw->start), k1 = phsg_payrule_cycle_of(cal, aw->end - 1);
	long first = k1 + 1;
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF];
	phsg_award_history h;
	phsg_ledger_stmt *s;
	phsg_date next = PHSG_DATE_MAX, due;
	char *kept = NULL, *sums = NULL, *cycles = NULL, *marks = NULL;
	int rc, clean = 0;

	PREPARE(s, l, S_V_INDEX);
	bind_int(l, s, 1, aw->id);
	if ((rc = step(l, s)) == ROW) {
		clean = col_int(l, s, 1) == 0;
		if (!col_null(l, s, 0))
			next = col_date(l, s, 0);
		kept = col_dup(l, s, 2);
		cycles = col_dup(l, s, 3);
		reset(l, s);
	} else if (rc == DONE) {
		/* made with the award, in its transaction: only a hand can remove it */
		vfault(v, "award %s: the run's index (award_index) has no row for it: no run would "
		       "read it", aw->ref);
		return 0;
	} else {
		return db_error(l, "reading the run's index");
	}
	if (!clean || !v->same_scheme) {
		free(kept);
		free(cycles);
		return 0;
	}
	memset(&h, 0, sizeof(h));
	if ((rc = phsg_ledger_award_history(&h, l, aw))) {
		free(kept);
		free(cycles);
		return rc;
	}
	if (cycles && strcmp(cycles, marks = cycles_text(aw->package, h.states)) != 0)
		vfault(v, "award %s: the run's index (award_index) keeps its processed cycles as '%s', "
		       "but its processed marks give '%s': the next run would take the kept cycles "
		       "as processed", aw->ref, cycles, marks);
	free(marks);
	free(cycles);
	/* what the next run reads instead of the rows, while no event comes between */
	if (kept && (rc = rows_sums(l, aw, &sums)) == 0 && strcmp(kept, sums) != 0)
		vfault(v, "award %s: the run's index (award_index) keeps its sums as '%s', but its "
		       "payments, recoveries and contributions give '%s': the next run would pay "
		       "from the kept figures", aw->ref, kept, sums);
	free(sums);
	free(kept);
	if (rc) {
		phsg_ledger_award_history_release(&h);
		return rc;
	}
	for (int c = PHSG_CONTRIBUTION; c < (int)aw->package->n_components; c++) {
		const phsg_component_state *st = &h.states[c + 1];
		long k = k0;
		if (c == PHSG_CONTRIBUTION && !phsg_award_has_contribution(aw) && st->paid == 0)
			continue;
		for (size_t p = 0; p < st->n_processed && st->processed[p] <= k; p++)
			if (st->processed[p] == k)
				k++;
		if (k < first)
			first = k;
		if (st->n_processed)
			verify_paid_to(sc, aw, c, st, v);
	}
	phsg_ledger_award_history_release(&h);
	if (first > k1 || phsg_payrule_cycle_due(&due, cal, first) || next <= due)
		return 0;
	phsg_date_format(d1, phsg_payrule_cycle_start(cal, first));
	phsg_date_format(d2, due);
	if (next == PHSG_DATE_MAX) {
		vfault(v, "award %s: its cycle from %s falls due on %s and no run has processed it, "
		       "but the run's index (award_index) says nothing more is due: no run would pay "
		       "it", aw->ref, d1, d2);
	} else {
		phsg_date_format(d3, next);
		vfault(v, "award %s: its cycle from %s falls due on %s and no run has processed it, "
		       "but the run's index (award_index) would first read the award on %s: a run "
		       "before then would not pay it", aw->ref, d1, d2, d3);
	}
	return 0;
}

/*
 * Each payment brought what was paid for its component (net of reversals
 * and recoveries before it) to at most the rounded entitlement, known when
 * it was posted, to the end of its cycle: the payment rule never pays more.
 */
static int verify_award(phsg_ledger *l, const phsg_scheme *sc, long long id, verifier *v)
{
	phsg_award now, then;
	phsg_event_row *events = NULL;
	phsg_payment_row *pays = NULL;
	size_t n_events = 0, n_pays = 0;
	const char *then_at = NULL;
	phsg_ledger_stmt *s;
	int rc, have_then = 0;

	memset(&then, 0, sizeof(then));
	if ((rc = phsg_ledger_award_load(&now, l, sc, id))) {
		phsg_award_release(&now);
		if (rc == PHSG_ELEDGER && strstr(phsg_error_last(), "not valid JSON") == NULL)
			return rc;
		vfault(v, "%s", phsg_error_last());
		return 0;
	}
	if ((rc = verify_state(l, sc, &now, v)) || (rc = verify_index(l, sc, &now, v)) ||
	    (rc = phsg_ledger_award_events(&events, &n_events, l, id)) ||
	    (rc = phsg_ledger_award_payments(&pays, &n_pays, l, id)))
		goto cleanup;
	/* the texts inside each event (its columns are stored_texts') */
	for (size_t k = 0; k < n_events; k++)
		if (phsg_award_event_texts(events[k].data))
			vfault(v, "award event %lld, column data: %s", events[k].id, phsg_error_last());
	for (size_t i = 0; i < n_pays && rc == 0; i++) {
		const phsg_payment_row *p = &pays[i];
		int64_t before = 0, target = 0;
		int comp = -1;

		if (strcmp(p->kind, "cycle") && strcmp(p->kind, "adjustment"))
			continue;
		for (size_t c = 0; c < now.package->n_components; c++)
			if (!strcmp(now.package->components[c].id, p->component))
				comp = (int)c;
		if (comp < 0) {
			vfault(v, "payment %lld of award %s: no component '%s' in package '%s'",
			       p->payment_id, now.ref, p->component, now.package->id);
			continue;
		}
		if (p->amount <= 0)
			vfault(v, "payment %lld of award %s is not positive", p->payment_id, now.ref);
		if (!p->created_at || !*p->created_at) {
			/* '' is its batch's time (PAYMENT_CREATED), and it has no batch */
			vfault(v, "payment %lld of award %s says neither when it was written nor"
			       " which batch it is in", p->payment_id, now.ref);
			continue;
		}
		if (!have_then || strcmp(then_at, p->created_at)) {
			phsg_award_release(&then);
			have_then = 0;
			if (award_as_of(sc, &now, events, n_events, p->created_at, &then)) {
				vfault(v, "award %s as known on %s: %s", now.ref, p->created_at,
				       phsg_error_last());
				continue;
			}
			have_then = 1;
			then_at = p->created_at;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(pays[j].component, p->component))
				before += pays[j].amount;
		PREPARE(s, l, S_AWARD_RECOVERIES);
		bind_int(l, s, 1, id);
		while (step(l, s) == ROW)
			if (!strcmp(col_text(l, s, 0), p->component) &&
			    strcmp(col_text(l, s, 2), p->created_at) < 0)
				before -= col_int(l, s, 1);
		reset(l, s);
		if ((rc = phsg_payrule_entitled_pence(&target, sc, &then, comp, p->cycle_end < then.end ?
					      p->cycle_end : then.end)))
			break;
		if (before + p->amount > target) {
			char d1[PHSG_DATE_BUF], a[PHSG_NUM_BUF], b[PHSG_NUM_BUF];
			phsg_date_format(d1, p->cycle_start);
			vfault(v, "payment %lld (award %s %s, cycle %s) took it to %s paid, beyond the "
			       "%s the payment rule allowed", p->payment_id, now.ref, p->component, d1,
			       phsg_pence_text(a, before + p->amount), phsg_pence_text(b, target));
		}
	}
cleanup:
	phsg_award_release(&then);
	phsg_award_release(&now);
	phsg_ledger_event_rows_free(events, n_events);
	phsg_ledger_payment_rows_free(pays, n_pays);
	return rc;
}

/* A table's columns that verify reads row by row, in the order of its ids. */
#define STORED_COLS 8
struct stored_cols {
	const char *what, *table, *id, *cols[STORED_COLS];
};

/* Its statement, in slot `which`: the id, then each column (NULL past the last). */
static phsg_ledger_stmt *stored_stmt(phsg_ledger *l, int which, const struct stored_cols *t)
{
	char text[512];
	size_t o = (size_t)snprintf(text, sizeof(text), "SELECT %s", t->id);

	for (int c = 0; c < STORED_COLS && o < sizeof(text); c++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, ", %s", t->cols[c] ? t->cols[c] : "NULL");
	if (o < sizeof(text))
		o += (size_t)snprintf(text + o, sizeof(text) - o, " FROM %s ORDER BY %s", t->table, t->id);
	if (o >= sizeof(text)) /* the names are this file's own: never */
		abort();
	return l->b->prepare(l->b, which, text);
}

/*
 * Each stored value of the tables `t[0..n)` that `bad` refuses (it sets the
 * error and returns nonzero), a fault naming its row and column.  NULL is
 * never refused: a date left open, a text not given.
 */
static int verify_stored(phsg_ledger *l, verifier *v, const struct stored_cols *t, size_t n,
			 int first_slot, int (*bad)(const char *value))
{
	for (size_t k = 0; k < n; k++) {
		phsg_ledger_stmt *s;
		int rc;

		if (!(s = stored_stmt(l, first_slot + (int)k, &t[k])))
			return db_error(l, "preparing a statement");
		while ((rc = step(l, s)) == ROW)
			for (int c = 0; c < STORED_COLS && t[k].cols[c]; c++) {
				if (col_null(l, s, c + 1) || !bad(col_text(l, s, c + 1)))
					continue;
				vfault(v, "%s %lld, column %s: %s", t[k].what, (long long)col_int(l, s, 0),
				       t[k].cols[c], phsg_error_last());
			}
		if (rc != DONE)
			return db_error(l, "reading the ledger's stored values");
	}
	return 0;
}

/* numbered after the copy's statements (copy_stmt) */
#define S_V_DATES(k) (S_COUNT + 100 + (int)(k))
#define S_V_TEXTS(k) (S_COUNT + 130 + (int)(k))
#define S_V_NUMBERS(k) (S_COUNT + 160 + (int)(k))

/*
 * Every date the ledger stores, by table in the order of its ids.  A date
 * phsg cannot read (one edited by hand: '2026/06/08', '2026-02-30') is
 * read as no date at all, and compared as text it falls out of its order:
 * a run would not see an award due, a balance would leave a payment out.
 * NULL is a date left open (an outcome without one; an award with nothing
 * more due).
 */
static const struct stored_cols stored_dates[] = {
	{ "payee details", "payee_details", "id", { "from_date" } },
	{ "payee accreditation", "payee_accreditation", "id", { "from_date" } },
	{ "award event", "award_events", "id", { "effective" } },
	{ "award_index row of award id", "award_index", "award_id", { "next_due" } },
	{ "batch", "batches", "id", { "run_date" } },
	{ "payment", "payments", "id", { "cycle_start", "cycle_end", "due" } },
	{ "contribution", "contributions", "id", { "cycle_start", "cycle_end", "due" } },
	{ "recovery", "recoveries", "id", { "received_on" } },
	{ "return of payment", "returns", "payment_id", { "returned_on" } },
	{ "contribution receipt", "contribution_receipts", "id", { "on_date" } },
	{ "outcome", "plan_outcomes", "id", { "by_date" } },
	{ "review", "reviews", "id", { "on_date" } },
};

static int bad_date(const char *value)
{
	phsg_date d;

	return phsg_date_parse(&d, value) != 0;
}

/*
 * Every text the ledger stores that phsg prints: references, names,
 * reasons, notes, kinds, and who wrote each row and when.  Commands refuse
 * a control character or invalid UTF-8 on the way in (SPEC section 12;
 * since the first wave's checks, b899319 and b8a727e, for names, reasons
 * and the operator), so one here was put there behind phsg's back (sqlite3,
 * psql) or by a phsg from before those checks.  In a text report it could
 * end a line and start a forged one, or clear a terminal's line.  The
 * journal and verify's own faults show such a character harmlessly; the
 * ledger should not hold it.  (award_events' data is JSON: verify_award()
 * checks each text inside it, phsg_award_event_texts().)
 */
static const struct stored_cols stored_texts[] = {
	{ "payee", "payees", "id",
	  { "ref", "name", "kind", "sort_code", "account", "card_id", "created_at", "operator" } },
	{ "payee details", "payee_details", "id",
	  { "kind", "sort_code", "account", "card_id", "recorded_at", "operator" } },
	{ "payee accreditation", "payee_accreditation", "id", { "recorded_at", "operator" } },
	{ "award", "awards", "id", { "ref", "client", "package", "created_at", "operator" } },
	{ "award event", "award_events", "id", { "kind", "recorded_at", "operator" } },
	{ "batch", "batches", "id", { "created_at", "operator" } },
	{ "batch event", "batch_events", "id", { "kind", "recorded_at", "operator" } },
	{ "payment", "payments", "id",
	  { "component", "kind", "payee", "method", "created_at", "operator" } },
	{ "contribution", "contributions", "id", { "created_at", "operator" } },
	{ "recovery", "recoveries", "id", { "component", "payee", "recorded_at", "operator" } },
	{ "return of payment", "returns", "payment_id", { "reason", "recorded_at", "operator" } },
	{ "contribution receipt", "contribution_receipts", "id", { "kind", "recorded_at", "operator" } },
	{ "outcome", "plan_outcomes", "id",
	  { "area", "goal", "measure", "way", "provider", "hours", "recorded_at", "operator" } },
	{ "review", "reviews", "id", { "note", "recorded_at", "operator" } },
};

/* Every number the ledger stores as text: an outcome's weekly hours, exact. */
static const struct stored_cols stored_numbers[] = {
	{ "outcome", "plan_outcomes", "id", { "hours" } },
};

static int bad_hours(const char *value)
{
	mpq_t h;
	int rc;

	mpq_init(h);
	rc = phsg_money_parse(h, value, 0);
	mpq_clear(h);
	return rc != 0;
}

static int bad_text(const char *value)
{
	return *value && phsg_text_check("its text", value, strlen(value), SIZE_MAX) != 0;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The date noted as the earliest an unmarked award is due (DUE_FROM_KEY) is
 * no later than the earliest one is: else a run between the two, with no
 * award marked, would pay nothing.  Earlier is sound (a run then looks, as
 * it does with none noted).
 */
static int verify_due_from(phsg_ledger *l, verifier *v)
{
	char text[DUE_FROM_BUF], d1[PHSG_DATE_BUF];
	phsg_date noted, min;
	int rc;

	if ((rc = due_from_noted(&noted, text, l)) || (rc = clean_due_min(&min, l)))
		return rc;
	if (text[0] && !noted) {
		vfault(v, "meta %s: '%s' is neither a date nor '%s'", DUE_FROM_KEY, text, DUE_FROM_NONE);
	} else if (noted > min) {
		char why[DUE_FROM_BUF + 64];
		if (noted == PHSG_DATE_MAX)
			snprintf(why, sizeof(why), "no award not marked is due again");
		else
			snprintf(why, sizeof(why), "no award is due before %s", text);
		phsg_date_format(d1, min);
		vfault(v, "meta %s notes that %s, but an award not marked for the next run is due on"
		       " %s: a run from then, with no award marked, would pay nothing", DUE_FROM_KEY,
		       why, d1);
	}
	return 0;
}

int phsg_ledger_verify(size_t *n_faults, phsg_ledger *l,
		       const phsg_scheme *sc, void (*fault)(void *ctx, const char *what), void *ctx)
{
	verifier v = { fault, ctx, 0, 0 };
	phsg_ledger_stmt *s = NULL;
	long long ids[256], last = 0;
	size_t n = 0;
	int rc;

	*n_faults = 0;
	/* the store's own check first: nothing else means much on a damaged one */
	if ((rc = l->b->check(l->b, store_fault, &v)))
		return db_error(l, "checking integrity");
	if (v.n) {
		*n_faults = v.n;
		return 0;
	}
	PREPARE(s, l, S_V_AMOUNTS);
	while (step(l, s) == ROW)
		vfault(&v, "%s %lld: its amount is not a whole number of pence",
		       col_text(l, s, 0), (long long)col_int(l, s, 1));
	reset(l, s);
	if (v.n) {
		*n_faults = v.n;
		return 0;
	}
	/* and a date that cannot be read makes the checks after it mean little */
	if ((rc = verify_stored(l, &v, stored_dates, N_OF(stored_dates), S_V_DATES(0), bad_date)) ||
	    v.n) {
		*n_faults = v.n;
		return rc;
	}
	if ((rc = verify_stored(l, &v, stored_texts, N_OF(stored_texts), S_V_TEXTS(0), bad_text)) ||
	    (rc = verify_stored(l, &v, stored_numbers, N_OF(stored_numbers), S_V_NUMBERS(0),
				bad_hours)))
		return rc;
	if ((rc = scheme_last_run(&v.same_scheme, l, sc->fingerprint)))
		return rc;
	PREPARE(s, l, S_V_TOTALS);
	while (step(l, s) == ROW) {
		char a[PHSG_NUM_BUF], b[PHSG_NUM_BUF];
		vfault(&v, "batch %lld was posted with a total of %s but its payments add up to %s",
		       (long long)col_int(l, s, 0),
		       col_null(l, s, 1) ? "(none)" : phsg_pence_text(a, col_int(l, s, 1)),
		       phsg_pence_text(b, col_int(l, s, 2)));
	}
	reset(l, s);
	PREPARE(s, l, S_V_REVERSALS);
	while (step(l, s) == ROW)
		vfault(&v, "reversal %lld (batch %lld) does not reverse one payment of its batch",
		       (long long)col_int(l, s, 0), (long long)col_int(l, s, 1));
	reset(l, s);
	PREPARE(s, l, S_V_TWICE);
	while (step(l, s) == ROW)
		vfault(&v, "award %s %s: the cycle from %s is paid %lld times",
		       col_text(l, s, 0), col_text(l, s, 1),
		       col_text(l, s, 2), (long long)col_int(l, s, 3));
	reset(l, s);
	PREPARE(s, l, S_V_PAYEE_AWARDS);
	while (step(l, s) == ROW)
		vfault(&v, "payment %lld (award %s) pays %s, but payee_awards does not list the award "
		       "as paying it: that payee's payments would be read without it",
		       (long long)col_int(l, s, 0), col_text(l, s, 2), col_text(l, s, 1));
	reset(l, s);
	if ((rc = verify_due_from(l, &v)))
		return rc;
	/* each award, 256 ids at a time: the memory does not grow with the ledger */
	do {
		PREPARE(s, l, S_AWARD_IDS_AFTER);
		bind_int(l, s, 1, last);
		for (n = 0; n < 256 && (rc = step(l, s)) == ROW; n++)
			ids[n] = col_int(l, s, 0);
		reset(l, s);
		if (rc < 0)
			return db_error(l, "listing awards");
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = verify_award(l, sc, ids[i], &v);
		if (n)
			last = ids[n - 1];
	} while (n == 256 && rc == 0);
	*n_faults = v.n;
	return rc;
}

int phsg_ledger_batch_ids(long long **ids, size_t *n, phsg_ledger *l)
{
	phsg_ledger_stmt *s;

	PREPARE(s, l, S_BATCH_IDS);
	return id_list(l, s, ids, n);
}

int phsg_ledger_batch_summary(size_t *n_payments, int64_t *total, phsg_ledger *l, long long id)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_BATCH_SUMMARY);
	bind_int(l, s, 1, id);
	if ((rc = step(l, s)) != ROW)
		return db_error(l, "reading a batch");
	*n_payments = (size_t)col_int(l, s, 0);
	/* the total the batch was posted with (its payments' sum before version 3) */
	*total = col_null(l, s, 2) ? col_int(l, s, 1) :
		col_int(l, s, 2);
	reset(l, s);
	return 0;
}

int phsg_ledger_payments_each(phsg_ledger *l, phsg_date from, phsg_date to, const char *payee,
			      const char *package,
			      int (*fn)(void *ctx, const phsg_payment_row *p), void *ctx)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_PAYMENTS_RANGE);
	bind_date(l, s, 1, from);
	bind_date(l, s, 2, to);
	if (payee)
		bind_text(l, s, 3, payee);
	if (package)
		bind_text(l, s, 4, package);
	while ((rc = step(l, s)) == ROW) {
		phsg_payment_row row;
		payment_row(l, s, &row, ROW_BATCH);
		rc = fn(ctx, &row);
		payment_row_release(&row);
		if (rc) {
			reset(l, s);
			return rc;
		}
	}
	return rc == DONE ? 0 : db_error(l, "reading payments");
}

int phsg_ledger_packages(char ***ids, size_t *n, phsg_ledger *l)
{
	return text_list(l, S_PACKAGES, "listing packages", ids, n);
}

int phsg_ledger_award_recoveries(phsg_ledger *l, long long award_id,
				 int (*fn)(void *ctx, const phsg_recovery_row *r), void *ctx)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_AWARD_RECOVERIES);
	bind_int(l, s, 1, award_id);
	while ((rc = step(l, s)) == ROW) {
		phsg_recovery_row r = {
			.component = col_text(l, s, 0),
			.amount = col_int(l, s, 1),
			.recorded_at = col_text(l, s, 2),
			.received_on = col_date(l, s, 3),
			.payee = col_text(l, s, 4),
		};
		if ((rc = fn(ctx, &r)) != 0) {
			reset(l, s);
			return rc;
		}
	}
	return rc == DONE ? 0 : db_error(l, "reading recoveries");
}

int phsg_ledger_return_of(phsg_date *on, char **reason, phsg_ledger *l, long long reversal)
{
	phsg_ledger_stmt *s;
	int rc;

	PREPARE(s, l, S_RETURN_OF);
	bind_int(l, s, 1, reversal);
	rc = step(l, s);
	if (rc == DONE)
		return PHSG_ENOTFOUND;
	if (rc != ROW)
		return db_error(l, "reading a returned payment");
	*on = col_date(l, s, 0);
	*reason = col_dup(l, s, 1);
	reset(l, s);
	return 0;
}

/* ---- plans and reviews (SPEC section 13) ---- */

int phsg_ledger_plan_load(phsg_plan *out, phsg_ledger *l, long long award_id)
{
	phsg_ledger_stmt *s;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	PREPARE(s, l, S_PLAN_LIST);
	bind_int(l, s, 1, award_id);
	while ((rc = step(l, s)) == ROW) {
		phsg_plan_outcome *o;
		if (out->n_outcomes == cap) {
			cap = cap ? cap * 2 : 8;
			out->outcomes = realloc(out->outcomes, cap * sizeof(*o));
			if (!out->outcomes)
				abort();
		}
		o = &out->outcomes[out->n_outcomes++];
		memset(o, 0, sizeof(*o));
		mpq_init(o->hours);
		o->number = col_int(l, s, 0);
		o->area = col_dup(l, s, 1);
		o->goal = col_dup(l, s, 2);
		o->by = col_null(l, s, 3) ? 0 : col_date(l, s, 3);
		o->measure = col_dup(l, s, 4);
		o->way = col_dup(l, s, 5);
		o->provider = col_dup(l, s, 6);
		if (!col_null(l, s, 7)) {
			/* refused, never read as no hours: verify names the row */
			if (phsg_money_parse(o->hours, col_text(l, s, 7), 0)) {
				long long number = o->number;
				reset(l, s);
				phsg_plan_release(out);
				return phsg_error_set(PHSG_ELEDGER, "outcome %lld of award id %lld: its hours,"
						      " as stored, are not a number; phsg verify names the row",
						      number, award_id);
			}
			o->has_hours = 1;
		}
	}
	if (rc != DONE)
		goto fail;
	cap = 0;
	PREPARE(s, l, S_REVIEW_DATES);
	bind_int(l, s, 1, award_id);
	while ((rc = step(l, s)) == ROW) {
		if (out->n_reviews == cap) {
			cap = cap ? cap * 2 : 8;
			out->reviews = realloc(out->reviews, cap * sizeof(phsg_date));
			if (!out->reviews)
				abort();
		}
		out->reviews[out->n_reviews++] = col_date(l, s, 0);
	}
	if (rc != DONE)
		goto fail;
	cap = 0;
	PREPARE(s, l, S_REVIEW_MARKS);
	bind_int(l, s, 1, award_id);
	while ((rc = step(l, s)) == ROW) {
		int st = PHSG_OUTCOME_NONE;
		if (out->n_marks == cap) {
			cap = cap ? cap * 2 : 16;
			out->marks = realloc(out->marks, cap * sizeof(phsg_review_mark));
			if (!out->marks)
				abort();
		}
		phsg_plan_outcome_status_parse(&st, col_text(l, s, 2));
		out->marks[out->n_marks++] = (phsg_review_mark){ col_date(l, s, 0), col_int(l, s, 1), st };
	}
	if (rc != DONE)
		goto fail;
	phsg_plan_statuses(out, PHSG_DATE_LAST + 1);
	return 0;
fail:
	phsg_plan_release(out);
	return db_error(l, "reading a plan");
}

int phsg_ledger_plan_add(phsg_ledger *l, long long award_id, phsg_plan_outcome *o)
{
	phsg_ledger_stmt *s;
	char hours[PHSG_NUM_BUF];
	int rc;

	if ((rc = phsg_text_check_name("the goal", o->goal, PHSG_TEXT_MAX)) ||
	    (o->measure && (rc = phsg_text_check_name("the measure", o->measure, PHSG_TEXT_MAX))))
		return rc;
	if (o->has_hours && (rc = phsg_money_format(hours, sizeof(hours), o->hours, 0)))
		return rc;
	PREPARE(s, l, S_PLAN_ADD);
	bind_int(l, s, 1, award_id);
	bind_text(l, s, 2, o->area);
	bind_text(l, s, 3, o->goal);
	if (o->by)
		bind_date(l, s, 4, o->by);
	bind_text(l, s, 5, o->measure);
	bind_text(l, s, 6, o->way);
	bind_text(l, s, 7, o->provider);
	bind_text(l, s, 8, o->has_hours ? hours : NULL);
	bind_text(l, s, 9, l->operator_name);
	if ((rc = step(l, s)) != ROW)
		return db_error(l, "recording an outcome");
	o->number = col_int(l, s, 0);
	reset(l, s);
	return 0;
}

int phsg_ledger_review_add(phsg_ledger *l, long long award_id, const phsg_review *r)
{
	phsg_ledger_stmt *s;
	long long review;
	int rc;

	if (r->version != PHSG_REVIEW_VERSION)
		return phsg_error_set(PHSG_EINVAL, "a review of version %u, not %d", r->version,
				      PHSG_REVIEW_VERSION);
	if (r->note && (rc = phsg_text_check_name("the note", r->note, PHSG_TEXT_MAX)))
		return rc;
	PREPARE(s, l, S_REVIEW_ADD);
	bind_int(l, s, 1, award_id);
	bind_date(l, s, 2, r->on);
	bind_text(l, s, 3, r->note);
	bind_text(l, s, 4, l->operator_name);
	if ((rc = step_id(l, s, "recording a review", &review)))
		return rc;
	for (size_t i = 0; i < r->n && rc == 0; i++) {
		PREPARE(s, l, S_REVIEW_STATUS_ADD);
		bind_int(l, s, 1, review);
		bind_int(l, s, 2, r->outcomes[i]);
		bind_text(l, s, 3, phsg_plan_outcome_status_name(r->statuses[i]));
		rc = step_done(l, s, "recording a review's outcome");
	}
	return rc;
}

/* ---- copying a whole ledger (SPEC section 14) ---- */

/*
 * Every table, parents before children, with its columns and an order
 * that makes the copy's row numbers those of the original.  The sums and
 * cycles a run kept (award_index.sums, award_index.cycles) are not copied:
 * the copy's next run reads each award's rows and marks, and keeps them
 * again.
 */
static const struct {
	const char *table, *columns, *order;
	int n;
} copy_tables[] = {
	{ "meta", "key, value", "key", 2 },
	{ "payees", "id, ref, name, kind, sort_code, account, card_id, created_at, operator", "id", 9 },
	{ "payee_details", "id, payee_id, from_date, kind, sort_code, account, card_id, recorded_at,"
	  " operator", "id", 9 },
	{ "payee_accreditation", "id, payee_id, from_date, accredited, recorded_at, operator", "id", 6 },
	{ "awards", "id, ref, client, package, created_at, operator", "id", 6 },
	{ "award_events", "id, award_id, kind, effective, data, recorded_at, operator", "id", 7 },
	{ "award_index", "award_id, next_due, dirty", "award_id", 3 },
	{ "award_states", "award_id, state", "award_id", 2 },
	{ "batches", "id, run_date, created_at, operator, total", "id", 5 },
	{ "batch_events", "id, batch_id, kind, recorded_at, operator", "id", 5 },
	{ "payments", "id, batch_id, award_id, component, kind, cycle_start, cycle_end, due, amount,"
	  " payee, method, reverses, created_at, operator", "id", 14 },
	{ "payee_awards", "payee, award_id", "payee, award_id", 2 },
	{ "processed", "batch_id, award_id, component, first_cycle, last_cycle",
	  "award_id, component, first_cycle, batch_id", 5 },
	{ "contributions", "id, batch_id, award_id, cycle_start, cycle_end, due, amount, reverses,"
	  " created_at, operator", "id", 10 },
	{ "recoveries", "id, award_id, component, amount, received_on, recorded_at, operator, payee",
	  "id", 8 },
	{ "returns", "payment_id, reversal_id, returned_on, reason, recorded_at, operator",
	  "payment_id", 6 },
	{ "contribution_receipts", "id, award_id, kind, amount, on_date, recorded_at, operator", "id", 7 },
	{ "plan_outcomes", "id, award_id, number, area, goal, by_date, measure, way, provider, hours,"
	  " recorded_at, operator", "id", 12 },
	{ "reviews", "id, award_id, on_date, note, recorded_at, operator", "id", 6 },
	{ "review_statuses", "review_id, outcome, status", "review_id, outcome", 3 },
};

#define N_COPY_TABLES (sizeof(copy_tables) / sizeof(copy_tables[0]))

/* The statements of a copy are numbered after the ledger's own. */
static phsg_ledger_stmt *copy_stmt(phsg_ledger *l, size_t table, int insert)
{
	char text[600];
	size_t o;

	if (insert) {
		o = (size_t)snprintf(text, sizeof(text), "INSERT INTO %s(%s) VALUES (",
				     copy_tables[table].table, copy_tables[table].columns);
		for (int i = 1; i <= copy_tables[table].n && o < sizeof(text); i++)
			o += (size_t)snprintf(text + o, sizeof(text) - o, "%s?%d", i > 1 ? ", " : "", i);
		snprintf(text + o, o < sizeof(text) ? sizeof(text) - o : 0, ")");
	} else {
		snprintf(text, sizeof(text), "SELECT %s FROM %s ORDER BY %s", copy_tables[table].columns,
			 copy_tables[table].table, copy_tables[table].order);
	}
	return l->b->prepare(l->b, S_COUNT + 2 * (int)table + insert, text);
}

static int copy_table(phsg_ledger *from, phsg_ledger *to, size_t t, size_t *rows)
{
	phsg_ledger_stmt *get, *put;
	char what[96];
	int rc;

	snprintf(what, sizeof(what), "copying %s", copy_tables[t].table);
	if (!(get = copy_stmt(from, t, 0)))
		return db_error(from, what);
	while ((rc = step(from, get)) == ROW) {
		if (!(put = copy_stmt(to, t, 1))) {
			reset(from, get);
			return db_error(to, what);
		}
		for (int c = 0; c < copy_tables[t].n; c++) {
			switch (from->b->column_type(get, c)) {
			case PHSG_COL_NULL:
				break;
			case PHSG_COL_INT:
				bind_int(to, put, c + 1, col_int(from, get, c));
				break;
			default:
				bind_text(to, put, c + 1, col_text(from, get, c));
			}
		}
		if ((rc = step_done(to, put, what))) {
			reset(from, get);
			return rc;
		}
		(*rows)++;
	}
	return rc == DONE ? 0 : db_error(from, what);
}

int phsg_ledger_copy(size_t *rows, size_t *n_faults, phsg_ledger *from,
		     phsg_ledger *to, const phsg_scheme *sc, void (*fault)(void *ctx, const char *what),
		     void *ctx)
{
	phsg_ledger_stmt *s;
	int64_t n = 0;
	int rc;

	*rows = 0;
	*n_faults = 0;
	if ((rc = phsg_ledger_begin(to, PHSG_LEDGER_WAIT_MS)))
		return rc;
	if (!(s = st(to, S_ROWS))) {
		rc = db_error(to, "counting rows");
		goto fail;
	}
	if ((rc = step_int(to, s, "counting rows", &n)))
		goto fail;
	if (n > 0) {
		rc = phsg_error_set(PHSG_ERULE, "ledger '%s' is not empty: a copy goes only into a "
				    "new ledger, so that nothing is merged or overwritten", to->b->where);
		goto fail;
	}
	for (size_t t = 0; t < N_COPY_TABLES && rc == 0; t++)
		rc = copy_table(from, to, t, rows);
	/* the copy is checked before it is committed: a bad copy leaves nothing */
	if (rc || (rc = phsg_ledger_verify(n_faults, to, sc, fault, ctx)))
		goto fail;
	if (*n_faults) {
		rc = phsg_error_set(PHSG_ELEDGER, "ledger '%s': the copy failed verification with %zu "
				    "fault%s; nothing was copied", to->b->where, *n_faults,
				    *n_faults == 1 ? "" : "s");
		goto fail;
	}
	return phsg_ledger_commit(to);
fail:
	phsg_ledger_rollback(to);
	return rc;
}
