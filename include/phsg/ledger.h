/*
 * phsg/ledger.h - the ledger: payees, awards and their events, payment
 * batches, recoveries, behind one interface.
 *
 * This interface is the only way phsg reads or writes stored state; the
 * payment rule (payrule.h) and the award model (award.h) never see it.
 * Its rules are implemented once (ledger.c, ledger_award.c,
 * ledger_money.c) over a backend that only stores and fetches
 * (phsg/sys/ledger_backend.h): SQLite, the default, or PostgreSQL.
 *
 * Writes happen inside phsg_ledger_begin() ... phsg_ledger_commit(); a
 * failure or an early exit rolls back, so a command that fails writes
 * nothing.  Every row written records the operator and the time.
 */
#ifndef PHSG_LEDGER_H
#define PHSG_LEDGER_H

#include <stdint.h>
#include "phsg/award.h"
#include "phsg/payrule.h"
#include "phsg/plan.h"

/** An open ledger (opaque): open with phsg_ledger_open(), close with phsg_ledger_close(). */
typedef struct phsg_ledger phsg_ledger;

/** The schema version this program writes. */
#define PHSG_LEDGER_VERSION 11

/**
 * How long an officer's change (phsg_ledger_begin) waits for another
 * writer, such as a payment run, to finish before it gives up (ms).
 */
#define PHSG_LEDGER_WAIT_MS 10000

/** How long a payment run waits for one in progress unless told (`phsg run --wait`), ms. */
#define PHSG_LEDGER_RUN_WAIT_MS 5000

/**
 * How long opening a ledger waits for another process creating or
 * migrating it, and how long a read waits for a writer's lock (ms).
 */
#define PHSG_LEDGER_OPEN_WAIT_MS 10000

/** How phsg_ledger_open opens a ledger. */
enum {
	PHSG_LEDGER_WRITE = 0,    /**< an existing ledger, for reading and writing */
	PHSG_LEDGER_CREATE = 1,   /**< as WRITE, or a new one where there is no file */
	PHSG_LEDGER_READONLY = 2  /**< an existing ledger, for reports: never written */
};

/**
 * Open the ledger at `path`, migrating an older schema (not READONLY):
 * a file path or "sqlite:PATH" for SQLite, a "postgresql://" or
 * "postgres://" URI for PostgreSQL (SPEC section 14).
 * With PHSG_LEDGER_CREATE a missing ledger is created (mode 0600);
 * otherwise a missing ledger is an error, so that a mistyped path never
 * makes an empty ledger.  READONLY opens a ledger the user may only read
 * (SQLite's immutable mode where its folder cannot be written).
 * PHSG_ELEDGER if the path is empty or a name SQLite treats specially
 * (":memory:", a "file:" URI), the file is missing, empty, not a phsg
 * ledger, newer than this program, or cannot be opened; PHSG_EINVAL if
 * `operator_name`, written on every row, is not a name (SPEC section 12).
 */
int phsg_ledger_open(phsg_ledger **out, const char *path, const char *operator_name, int mode);

/** A ledger backend: see phsg/sys/ledger_backend.h. */
struct phsg_ledger_backend;

/**
 * A ledger over a backend the caller opened (phsg/sys/ledger_backend.h);
 * the ledger owns it once this succeeds.  PHSG_ELEDGER, with the backend
 * untouched, for a backend of another interface version; PHSG_EINVAL for
 * an operator's name that is not a name.
 */
int phsg_ledger_wrap(phsg_ledger **out, struct phsg_ledger_backend *b, const char *operator_name);

/** Where the ledger is: its path, or its URI without a password. */
const char *phsg_ledger_where(const phsg_ledger *l);

/** The backend's name: "sqlite" or "postgresql". */
const char *phsg_ledger_backend_name(const phsg_ledger *l);

/**
 * Close a ledger, rolling back a transaction still open, and free it;
 * NULL is a no-op.
 */
void phsg_ledger_close(phsg_ledger *l);

/**
 * Start a write transaction.  Waits up to `wait_ms` for another writer
 * (a payment run in progress), then fails with PHSG_ELEDGER and a message
 * saying so.
 */
int phsg_ledger_begin(phsg_ledger *l, int wait_ms);

/** Commit the write transaction; PHSG_ELEDGER (and nothing written) if it fails. */
int phsg_ledger_commit(phsg_ledger *l);

/** Roll the write transaction back; a no-op when there is none. */
void phsg_ledger_rollback(phsg_ledger *l);

/* ---- payees ---- */

/**
 * A payee: someone phsg pays (a person, a provider) by bank transfer or
 * card.  As input (phsg_ledger_payee_add, _update) the strings are the
 * caller's; as read (phsg_ledger_payee_get, _get_on) they belong to the
 * struct and are freed by phsg_ledger_payee_release().
 */
typedef struct {
	const char *ref;       /**< the payee's reference */
	const char *name;      /**< the name on the account */
	int is_card;           /**< paid by card (card_id) rather than to a bank account */
	const char *sort_code; /**< 6 digits, for a bank account */
	const char *account;   /**< 8 digits, for a bank account */
	const char *card_id;   /**< the card's id, for a card */
	int accredited;        /**< an accredited provider (SPEC section 13), on the date asked */
	long long id;          /**< the ledger's row number (read only) */
} phsg_payee;

/** Free the strings of a payee read from the ledger; a zeroed payee is a no-op. */
void phsg_ledger_payee_release(phsg_payee *p);
/** Validate (6-digit sort code, 8-digit account; or a card id) and add. */
int phsg_ledger_payee_add(phsg_ledger *l, const phsg_payee *p);
/** The payee with its latest details.  PHSG_ENOTFOUND when there is no such payee. */
int phsg_ledger_payee_get(phsg_payee *out, phsg_ledger *l, const char *ref);
/** The payee with the details (and accreditation) in force on `on`. */
int phsg_ledger_payee_get_on(phsg_payee *out, phsg_ledger *l, const char *ref, phsg_date on);
/**
 * New bank details (or a card) for payee p->ref, for payments due on or
 * after `from`.  PHSG_ERULE when `from` is before the due date of the
 * payee's latest posted payment: a payment's details are fixed when posted.
 */
int phsg_ledger_payee_update(phsg_ledger *l, const phsg_payee *p, phsg_date from);
/** Accredited (or not) from `from` (SPEC section 13). */
int phsg_ledger_payee_accredit(phsg_ledger *l, const char *ref, int accredited, phsg_date from);
/** Every payee's reference, in order (caller frees each and the array). */
int phsg_ledger_payee_refs(char ***refs, size_t *n, phsg_ledger *l);
/**
 * The payee's details, oldest first: those it was added with (from 0) and
 * each dated change.  The strings are valid during the call only.
 */
int phsg_ledger_payee_history(phsg_ledger *l, const char *ref,
			      int (*fn)(void *ctx, phsg_date from, const phsg_payee *details,
					const char *recorded_at),
			      void *ctx);
/**
 * Call fn for each payee that batch pays to other bank details (or card)
 * than those of its last payment outside the batch that was not voided or
 * returned: the usual route of mandate fraud (SPEC section 11).
 */
int phsg_ledger_batch_changed_payees(phsg_ledger *l, long long batch,
				     int (*fn)(void *ctx, const char *payee), void *ctx);
/**
 * *changed: does batch pay payee, whose last payment in it is due on due,
 * to other bank details (or card) than its last payment outside the batch
 * that was not voided or returned?  The test of
 * phsg_ledger_batch_changed_payees for one payee.
 */
int phsg_ledger_payee_changed(int *changed, phsg_ledger *l, const char *payee, long long batch,
			      phsg_date due);

/* ---- awards ---- */

/** Add an award row; *ref receives its new reference (caller frees). */
int phsg_ledger_award_add(long long *id, char **ref, phsg_ledger *l,
			  const char *client, const char *package);
/** PHSG_ENOTFOUND when there is no such award. */
int phsg_ledger_award_lookup(long long *id, phsg_ledger *l, const char *ref);
/** Append an event (data is a JSON object's text); marks the award for the next run. */
int phsg_ledger_event_add(phsg_ledger *l, long long award_id, const char *kind,
			  phsg_date effective, const char *data);
/** Rebuild award `id` from its events. */
int phsg_ledger_award_load(phsg_award *out, phsg_ledger *l, const phsg_scheme *sc, long long id);

/** One recorded award event, as award show lists it; the strings belong to the row. */
typedef struct {
	long long id;          /**< the event's row number */
	char *kind;            /**< create, extend, reassess, ..., cancel */
	phsg_date effective;   /**< the date it takes effect */
	char *data;            /**< its settings, the text of a JSON object */
	char *recorded_at;     /**< when it was recorded (ISO 8601, UTC) */
	char *operator_name;   /**< who recorded it */
} phsg_event_row;

/** The award's events in recorded order (free with phsg_ledger_event_rows_free). */
int phsg_ledger_award_events(phsg_event_row **rows, size_t *n, phsg_ledger *l, long long id);

/** Free `n` event rows and the array; NULL is a no-op. */
void phsg_ledger_event_rows_free(phsg_event_row *rows, size_t n);

/** The ids of a client's awards of a package, ascending. */
int phsg_ledger_client_awards(long long **ids, size_t *n, phsg_ledger *l,
			      const char *client, const char *package);

/** The packages the ledger's awards are of, in order (caller frees each and the array). */
int phsg_ledger_packages(char ***ids, size_t *n, phsg_ledger *l);

/** Every award id, ascending. */
int phsg_ledger_award_ids(long long **ids, size_t *n, phsg_ledger *l);

/** What an award (or one component) was paid and is entitled to, in pence. */
typedef struct {
	int64_t entitled;   /**< rounded entitlement accrued before `entitled_to` (0 if not asked) */
	int64_t paid;       /**< payments net of reversals, due on or before `as_of` */
	int64_t recovered;  /**< money received back on or before `as_of` */
	int64_t net;        /**< paid - recovered: what the award has had */
} phsg_balance;

/** An award's sums as of a date, from phsg_ledger_awards_walk() (all in pence). */
typedef struct {
	const int64_t *paid;      /**< per package component: payments net of reversals, due by then */
	const int64_t *recovered; /**< per package component: money received back by then */
	int64_t charged;          /**< the person's contributions due by then */
	int64_t received;         /**< contribution payments received from the person by then */
	int64_t refunded;         /**< contribution payments refunded to the person by then */
	/** phsg_ledger_awards_walk_balances(): the award's balance, all components, entitled
	 *  through the end of the date; otherwise NULL */
	const phsg_balance *balance;
} phsg_award_sums;

/**
 * Every award in id order, rebuilt from its events (or read from the state
 * a run kept of it, while it has had no event since and the ledger last ran
 * under `sc` and this phsg: ledger version 8), with its sums as of
 * `as_of` (0: none, and `sums` is NULL).  Awards are read two thousand at
 * a time, a handful of statements for each two thousand, so a walk's memory
 * does not grow with the ledger and PostgreSQL answers in few round trips
 * (SPEC section 17).  `fn` is called on the calling thread and may use
 * the ledger; meanwhile the next awards are rebuilt on a second thread,
 * which reads `sc` (immutable once loaded) and touches nothing else of
 * the caller's.  The walk stops at the first non-zero return of `fn` and
 * returns it; an award that no longer applies under `sc` stops it as
 * phsg_ledger_award_load() would.
 */
int phsg_ledger_awards_walk(phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of,
			    int (*fn)(void *ctx, const phsg_award *aw, const phsg_award_sums *sums),
			    void *ctx);

/**
 * phsg_ledger_awards_walk() with each award's balance in `sums->balance`,
 * as phsg_award_sums_balance() gives it (all components, entitled through
 * the end of `as_of`), worked out on the second thread beside the award's
 * rebuilding.  An award whose balance cannot be worked out stops the walk
 * in its turn, with that failure, before `fn` sees it.
 */
int phsg_ledger_awards_walk_balances(phsg_ledger *l, const phsg_scheme *sc, phsg_date as_of,
				     int (*fn)(void *ctx, const phsg_award *aw,
					       const phsg_award_sums *sums),
				     void *ctx);

/* ---- payment runs ---- */

/**
 * Check the scheme the run uses against the last run's; if it changed
 * (a rate or a package), every award is marked to be recomputed.
 */
int phsg_ledger_scheme_seen(phsg_ledger *l, const char *fingerprint);

/** Awards that may have something due on `run_date`, ascending. */
int phsg_ledger_awards_due(long long **ids, size_t *n, phsg_ledger *l, phsg_date run_date);

/** How many awards phsg_ledger_awards_due() would list, counted without listing them. */
int phsg_ledger_awards_due_count(size_t *n, phsg_ledger *l, phsg_date run_date);

/**
 * Up to `max` of those awards, the next ones with an id above `after`,
 * ascending: a run over more awards than it lists at once reads them a page
 * at a time.  `*n` < `max` only at the end.
 */
int phsg_ledger_awards_due_after(long long *ids, size_t *n, size_t max, phsg_ledger *l,
				 phsg_date run_date, long long after);

/** What earlier runs did for an award; the caller's, reusable award to award. */
typedef struct {
	/** per component in package order (states[c + 1]) and the contribution
	 *  (states[0]): net paid and the processed cycles */
	phsg_component_state *states;
	size_t n_states, cap_states;
	long *cycles;          /**< the storage the states' processed arrays point into */
	size_t cap_cycles;
} phsg_award_history;

/** Free what a history holds (it may then be used again). */
void phsg_ledger_award_history_release(phsg_award_history *h);

/** Fill `h` with what earlier runs did for `aw`, reusing its storage. */
int phsg_ledger_award_history(phsg_award_history *h, phsg_ledger *l, const phsg_award *aw);

/** The number the next batch will have. */
int phsg_ledger_next_batch(long long *id, phsg_ledger *l);

/** Add a batch for a run on `run_date`; *id receives its number. */
int phsg_ledger_batch_add(long long *id, phsg_ledger *l, phsg_date run_date);
/** Record the total a run posted in `batch` (pence), before it commits. */
int phsg_ledger_batch_total(phsg_ledger *l, long long batch, int64_t total);
/**
 * Record a posting: a payment in `batch`, or a person's contribution
 * charge (or, negative, a charge withdrawn), which belongs to no batch.
 */
int phsg_ledger_posting_add(phsg_ledger *l, long long batch, const phsg_award *aw,
			    const phsg_posting *p);
/**
 * Mark cycles first..last of a component processed, by `batch` (0: by a
 * run that paid nothing for them).  Marks stay when the batch is voided.
 */
int phsg_ledger_processed_add(phsg_ledger *l, long long batch, const phsg_award *aw,
			      int comp, long first, long last);
/**
 * Record when the award next may have something due (PHSG_DATE_MAX: never),
 * the award as its events built it (phsg_award_state, kept in
 * award_states), or NULL to keep the one recorded: the award has had no
 * event since; and its sums and processed cycles once this run's postings
 * and marks are written, for the next run to read instead of its rows
 * (ledger_chunk.h), or NULL to keep none.
 */
int phsg_ledger_index_set(phsg_ledger *l, long long award_id, phsg_date next_due,
			  const char *state, const char *sums, const char *cycles);

/* ---- batches ---- */

/**
 * A payment (or a reversal of one) as stored.  The strings belong to the
 * row, or to the walk that hands it over (phsg_ledger_batch_each and
 * phsg_ledger_payments_each: valid during the call only).
 */
typedef struct {
	long long id;          /**< the batch's number, 0 outside a batch */
	long long payment_id;  /**< the payment's number */
	long long reverses;    /**< the payment a reversal reverses, else 0 */
	char *award, *client, *package, *component;
	char *kind;            /**< cycle, adjustment, opening or reversal */
	char *payee;           /**< the payee's reference */
	char *method;          /**< direct, provider or card */
	phsg_date cycle_start, cycle_end; /**< the cycle paid, 0 for none */
	phsg_date due;         /**< the due date */
	int64_t amount;        /**< pence; a reversal's is negative */
	char *created_at;      /**< when it was posted (award payments only) */
} phsg_payment_row;

/** A payment batch: the payments of one run. */
typedef struct {
	long long id;          /**< the batch's number */
	phsg_date run_date;    /**< the date the run was for */
	char *created_at;      /**< when the run made it (ISO 8601, UTC) */
	char *operator_name;   /**< who ran it */
	int voided, sent;      /**< whether it was voided, sent to the bank */
	size_t n_payments;     /**< the number of payments (phsg_ledger_batch_get only) */
	phsg_payment_row *payments; /**< its payments and reversals (batch_get only) */
} phsg_batch;

/** Every batch's number, ascending. */
int phsg_ledger_batch_ids(long long **ids, size_t *n, phsg_ledger *l);
/** A batch's payments (reversals not counted) and the total it was posted with. */
int phsg_ledger_batch_summary(size_t *n_payments, int64_t *total, phsg_ledger *l, long long id);
/**
 * Call fn for each payment (and reversal) of a batch due in [from, to),
 * to `payee` and of `package` when not NULL, by due date.
 */
int phsg_ledger_payments_each(phsg_ledger *l, phsg_date from, phsg_date to, const char *payee,
			      const char *package,
			      int (*fn)(void *ctx, const phsg_payment_row *p), void *ctx);

/** PHSG_ENOTFOUND for an unknown batch. */
int phsg_ledger_batch_get(phsg_batch *out, phsg_ledger *l, long long id);

/** The batch's date, status and author, without its payments. */
int phsg_ledger_batch_info(phsg_batch *out, phsg_ledger *l, long long id);

/**
 * Call fn for each of the batch's payments in order, with its payee's
 * details (NULL when the payee is missing), without holding the batch in
 * memory.  The row and payee are valid during the call only.  A non-zero
 * return from fn stops the walk and is returned.
 */
int phsg_ledger_batch_each(phsg_ledger *l, long long id,
			   int (*fn)(void *ctx, const phsg_payment_row *p, const phsg_payee *payee),
			   void *ctx);

/** Free what a batch holds (not the struct); a zeroed batch is a no-op. */
void phsg_ledger_batch_release(phsg_batch *b);
/**
 * Void a batch: reversing entries for its payments, which stop counting as
 * paid; the cycles stay processed and the next run pays what is owed by the
 * payment rule.  Refused (PHSG_ERULE) once sent or voided.
 */
int phsg_ledger_batch_void(phsg_ledger *l, long long id);
/** Mark a batch as sent to the bank; refused once voided. */
int phsg_ledger_batch_sent(phsg_ledger *l, long long id);
/**
 * Payment `payment` of sent batch `batch` came back from the bank on `on`:
 * a reversal, due on `on`, so it stops counting as paid and the next run
 * pays it again.  PHSG_EINVAL for a reason that is not a name of at most
 * PHSG_TEXT_MAX characters; PHSG_ERULE for a batch not sent, a return dated
 * before the run, a payment already returned; PHSG_ENOTFOUND for a payment
 * not in the batch.
 */
int phsg_ledger_payment_return(phsg_ledger *l, long long batch, long long payment, phsg_date on,
			       const char *reason);

/** An award's payments (and reversals), oldest first. */
int phsg_ledger_award_payments(phsg_payment_row **rows, size_t *n, phsg_ledger *l,
			       long long award_id);

/** Free `n` payment rows and the array; NULL is a no-op. */
void phsg_ledger_payment_rows_free(phsg_payment_row *rows, size_t n);

/* ---- recoveries and contributions ---- */

/** Record money received back from `payee` for `component` of an award. */
int phsg_ledger_recovery_add(phsg_ledger *l, long long award_id, const char *component,
			     const char *payee, int64_t amount, phsg_date on);

/** Record a person's contribution received (or, with `refund`, refunded). */
int phsg_ledger_contribution_receipt_add(phsg_ledger *l, long long award_id, int refund,
					 int64_t amount, phsg_date on);
/** Contributions received and refunded on or before `as_of`. */
int phsg_ledger_contribution_receipts(int64_t *received, int64_t *refunded, phsg_ledger *l,
				      long long award_id, phsg_date as_of);

/** A recovery received; the strings are valid during the callback only. */
typedef struct {
	const char *component;  /**< the package component's id */
	const char *payee;      /**< who paid it back */
	const char *recorded_at; /**< when it was recorded (ISO 8601, UTC) */
	phsg_date received_on;  /**< when the money came in */
	int64_t amount;         /**< pence, > 0 */
} phsg_recovery_row;

/** The recoveries received for an award, in the order recorded. */
int phsg_ledger_award_recoveries(phsg_ledger *l, long long award_id,
				 int (*fn)(void *ctx, const phsg_recovery_row *r), void *ctx);

/**
 * Was reversal `reversal` a payment returned by the bank?  Its date and
 * reason (caller frees); PHSG_ENOTFOUND when not (a void).
 */
int phsg_ledger_return_of(phsg_date *on, char **reason, phsg_ledger *l, long long reversal);

/** Sums for reports, up to and including `as_of` (PHSG_DATE_MAX: all). */
int phsg_ledger_award_sums(int64_t *paid, int64_t *recovered, phsg_ledger *l,
			   long long award_id, const char *component, phsg_date as_of);

/** The person's contributions charged, net of any withdrawn, up to and including `as_of`. */
int phsg_ledger_contribution_sum(int64_t *charged, phsg_ledger *l, long long award_id,
				 phsg_date as_of);

/* ---- awards recorded by the rules (ledger_award.c) ---- */

/** The version of phsg_award_request this library was built with. */
#define PHSG_AWARD_REQUEST_VERSION 1

/**
 * A new award's settings, for phsg_ledger_award_create(); strings are the
 * caller's.  Start from PHSG_AWARD_REQUEST_INIT and set what is given:
 *
 *     phsg_award_request n = PHSG_AWARD_REQUEST_INIT;
 *     n.client = "C-1"; n.package = "acquiring-independence"; ...
 */
typedef struct {
	unsigned int version;              /**< PHSG_AWARD_REQUEST_VERSION */
	const char *client;                /**< the client's reference */
	const char *package;               /**< the package's id in the scheme */
	const char *method;                /**< "direct", "provider" or "card" */
	const char *payee;                 /**< the payee's reference */
	const char *hours;                 /**< decimal text, or NULL */
	int level, tier, chosen_tier;      /**< 0: not given */
	const char *const *needs;          /**< "INTERVENTION=LEVEL" each */
	int n_needs;                       /**< the number of needs */
	const char *const *cpayees;        /**< "COMPONENT=PAYEE" each: a component's own payee */
	int n_cpayees;                     /**< the number of cpayees */
	phsg_date start;                   /**< the award's first day */
	phsg_date end;                     /**< 0: the package's period */
	int allow_overlap;                 /**< a second award of the package may overlap */
	int social_care;                   /**< also funded by adult social care (SPEC section 13) */
	int extended_months;               /**< extensions already granted (an imported caseload) */
	phsg_date paid_to;                 /**< 0, or a previous system paid what accrued before it */
} phsg_award_request;

/** A phsg_award_request with nothing set but its version. */
#define PHSG_AWARD_REQUEST_INIT { .version = PHSG_AWARD_REQUEST_VERSION }

/**
 * Create an award inside the caller's transaction, checked against every
 * rule first (payees, rates covering the period, overlaps, paid_to within
 * the award); *ref receives its reference (caller frees).  An award paid
 * by a previous system gets its opening postings (SPEC section 11).
 * PHSG_EINVAL for a request of another version than
 * PHSG_AWARD_REQUEST_VERSION.
 */
int phsg_ledger_award_create(char **ref, phsg_ledger *l, const phsg_scheme *sc,
			     const phsg_award_request *n);

/**
 * Record a change (extend, reassess, suspend, resume, end, change-payee)
 * to award `ref`, inside the caller's transaction, once the award with it
 * applied passes the rules.  `data` is the event's settings, the text of
 * a JSON object as phsg_award_apply() takes it (NULL: none); what is
 * recorded is that object with, for an extension, the months granted.
 * *before and *after are the award without and with it (caller releases
 * both, also on failure).
 */
int phsg_ledger_award_change(phsg_award *before, phsg_award *after, phsg_ledger *l,
			     const phsg_scheme *sc, const char *ref, const char *kind,
			     phsg_date effective, const char *data);

/**
 * Cancel event `number` (from 1, as award show numbers them) of award
 * `ref`, recorded on `today`, with a reason; *kind receives the kind of
 * event cancelled (caller frees).  Cancelling event 1 withdraws the award.
 */
int phsg_ledger_award_cancel(char **kind, phsg_ledger *l, const phsg_scheme *sc, const char *ref,
			     size_t number, const char *reason, phsg_date today);

/* ---- plans and reviews (SPEC section 13; the rules are in plan.h) ---- */

/** Load award `award_id`'s plan and reviews into *out (release with phsg_plan_release()). */
int phsg_ledger_plan_load(phsg_plan *out, phsg_ledger *l, long long award_id);

/**
 * Record outcome `o` (checked first with phsg_plan_check_add()) inside the
 * caller's transaction; o->number receives its number, the next in the
 * award's plan.  PHSG_EINVAL for a goal or measure that is not text.
 */
int phsg_ledger_plan_add(phsg_ledger *l, long long award_id, phsg_plan_outcome *o);

/**
 * Record review `r` (checked first with phsg_plan_check_review()) inside
 * the caller's transaction.  PHSG_EINVAL for a note that is not text or a
 * review of another version than PHSG_REVIEW_VERSION.
 */
int phsg_ledger_review_add(phsg_ledger *l, long long award_id, const phsg_review *r);

/* ---- money: balances, recoveries, contributions (ledger_money.c) ---- */

/**
 * The balance of component `comp` of `aw` (or, with comp -1, of all its
 * components together) as of `as_of`; the entitlement is what accrued
 * before `entitled_to` (0: not worked out).  The one place net paid is
 * defined, for award show, reports and plans.
 */
int phsg_ledger_balance(phsg_balance *out, phsg_ledger *l, const phsg_scheme *sc,
			const phsg_award *aw, int comp, phsg_date as_of, phsg_date entitled_to);

/** phsg_ledger_balance() from sums a walk has read (as of the walk's date). */
int phsg_award_sums_balance(phsg_balance *out, const phsg_scheme *sc, const phsg_award *aw,
			    int comp, const phsg_award_sums *sums, phsg_date entitled_to);

/**
 * Money received back for `aw` on `on`: split over its components in
 * package order, each taking at most what it owes back, from the payee it
 * was paid to.  PHSG_ERULE when the award owes nothing back or less than
 * `amount`: money nothing explains would be paid straight back by the next
 * run.  Inside the caller's transaction.
 */
int phsg_ledger_recovery_receive(phsg_ledger *l, const phsg_scheme *sc, const phsg_award *aw,
				 int64_t amount, phsg_date on);

/** A person's own contribution (a tier upgrade) as of a date, in pence. */
typedef struct {
	int64_t charged;     /**< net of charges withdrawn by a backdated change */
	int64_t received;    /**< paid by the person */
	int64_t refunded;    /**< paid back to the person */
	int64_t outstanding; /**< max(0, charged - received + refunded) */
	int64_t refund_due;  /**< max(0, received - refunded - charged) */
} phsg_contribution_account;

/** The person's contribution account for award `aw` as of `as_of`. */
int phsg_ledger_contribution_account(phsg_contribution_account *out, phsg_ledger *l,
				     const phsg_award *aw, phsg_date as_of);
/** The same account from sums a walk has read. */
void phsg_award_sums_contribution(phsg_contribution_account *out, const phsg_award_sums *sums);

/**
 * A contribution received from the person (or, with `refund`, refunded
 * to them) on `on`.  PHSG_ERULE for money received on an award with no
 * contribution, or a refund of more than they paid beyond what was
 * charged by then.  Inside the caller's transaction.
 */
int phsg_ledger_contribution_record(phsg_ledger *l, const phsg_award *aw, int refund,
				    int64_t amount, phsg_date on);

/* ---- checking a ledger (phsg verify) ---- */

/**
 * Check the ledger (SPEC section 12): the backend's own check (SQLite's
 * integrity check), then
 * phsg's own invariants: every stored date is a calendar date (when one is
 * not, the checks stop there), every stored reference, name and note is
 * valid UTF-8 with no control character, every batch's total equals its payments,
 * every reversal reverses one payment of its batch once, no cycle is paid
 * twice, no payment took an award beyond what the payment rule allowed when
 * it was posted, every award's events replay, every award has its row in
 * the run's index, and (under the scheme the ledger last ran under) no
 * award the index marks clean has a cycle due before the index would read
 * it, or was paid less than the payment rule gives to its last processed
 * cycle.  `fault` is called once per fault found, with one line of text,
 * whole (in text read from the ledger, a control character, a line
 * separator or a byte that is not UTF-8 is given as \n, \r, \t, \xNN or
 * \uNNNN, and a backslash as \\); returns 0 when the checks could run
 * (faults or not), or an error when the ledger could not be read.
 */
int phsg_ledger_verify(size_t *n_faults, phsg_ledger *l,
		       const phsg_scheme *sc, void (*fault)(void *ctx, const char *what), void *ctx);

/* ---- the journal: every money movement, for exports ---- */

/** One money movement of the journal; the strings are valid during the callback only. */
typedef struct {
	/** "cycle", "adjustment", "opening", "reversal", "recovery",
	 *  "contribution-charge", "contribution-withdrawn",
	 *  "contribution-received", "contribution-refund" */
	const char *kind;
	phsg_date date;        /**< due date, or the date money was received */
	const char *award;     /**< the award's reference */
	const char *client;    /**< the client's reference */
	const char *package;   /**< the package's id */
	const char *component; /**< the component's id ("contribution" for a person's own) */
	const char *payee;     /**< who was paid or paid back; the client for contributions */
	phsg_date cycle_start, cycle_end; /**< 0 where there is no cycle */
	/**
	 * Pence, signed so that money paid out or owed by the person is
	 * positive: reversals, recoveries, charges withdrawn and contributions
	 * received are negative.  The sum over cycle, adjustment, opening,
	 * reversal and recovery entries is the net paid.
	 */
	int64_t amount;
	long long batch;       /**< 0 outside a batch */
} phsg_journal_entry;

/**
 * Call fn for every payment, reversal, recovery received and contribution
 * charged dated on or before `as_of`, in date order.  A non-zero return
 * from fn stops the walk and is returned.
 */
int phsg_ledger_journal(phsg_ledger *l, phsg_date as_of,
			int (*fn)(void *ctx, const phsg_journal_entry *e), void *ctx);

/* ---- copying a ledger (SPEC section 14) ---- */

/**
 * Copy every row of `from` into `to`, which must hold nothing (PHSG_ERULE
 * otherwise), in one transaction of `to`'s, then check the copy as
 * phsg_ledger_verify() does before committing it: `fault` is called for
 * each fault found and a copy with faults is rolled back (PHSG_ELEDGER).
 * Row numbers (awards, batches, payments) are kept, so every report of
 * the copy equals the original's.  *rows counts the rows copied.
 */
int phsg_ledger_copy(size_t *rows, size_t *n_faults, phsg_ledger *from,
		     phsg_ledger *to, const phsg_scheme *sc, void (*fault)(void *ctx, const char *what),
		     void *ctx);

#endif
