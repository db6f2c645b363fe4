/*
 * ledger_chunk.h - the awards a payment run pays, read a chunk at a time
 * (not public: run.c and ledger.c share it).
 *
 * A run reads each chunk of due awards with a handful of statements (their
 * rows and kept states, events, sums and processed cycles, each grouped by
 * award) instead of several statements for every award.  Nothing a run writes for one
 * award changes what another award read, so reading a chunk before paying
 * any of it (and the next chunk before paying this one, while this one is
 * worked out on a second thread) gives what reading each award just before
 * paying it gives.  So on SQLite the chunks are read on that second thread
 * too, with a connection of their own that reads the ledger as the run
 * found it (phsg_ledger_run_reader), while the first writes.
 */
#ifndef PHSG_LEDGER_CHUNK_H
#define PHSG_LEDGER_CHUNK_H

#include "phsg/ledger.h"

/** The most awards one chunk holds. */
#define PHSG_RUN_CHUNK 256

typedef struct phsg_run_chunk phsg_run_chunk;

/**
 * Read awards ids[0..n) (ascending, n at most PHSG_RUN_CHUNK) with what
 * earlier runs did for each, reusing *chunk (NULL the first time): their
 * rows, kept states (else events), sums and processed cycles as the ledger
 * holds them.  A ledger failure is returned.
 */
int phsg_ledger_run_chunk_fetch(phsg_run_chunk **chunk, phsg_ledger *l, const phsg_scheme *sc,
				const long long *ids, size_t n);

/**
 * Rebuild the fetched awards (from their kept states, else their events)
 * and count what was read by component.  It touches only the chunk and the
 * scheme (never the ledger), so it may run on another thread.  An award
 * that cannot be rebuilt is kept as its own failure (phsg_run_chunk_award).
 * When a kept state was refused (phsg_run_chunk_refused), the chunk is not
 * ready until phsg_ledger_run_chunk_rebuild() has read its events.
 */
int phsg_run_chunk_build(phsg_run_chunk *chunk, const phsg_scheme *sc);

/** Did the last build refuse a kept state (a damaged one: phsg writes none it would refuse)? */
int phsg_run_chunk_refused(const phsg_run_chunk *chunk);

/**
 * After such a build, where the ledger may be read: the awards whose
 * states were refused are rebuilt from their events, and kept again as
 * those build them; then the chunk is counted as phsg_run_chunk_build()
 * would have.
 */
int phsg_ledger_run_chunk_rebuild(phsg_run_chunk *chunk, phsg_ledger *l, const phsg_scheme *sc);

/**
 * Should the run keep award i's state (phsg_award_state, in award_states)?
 * Yes unless it was built from one the ledger keeps that is still good: no
 * event since it was written, under this scheme and phsg.
 */
int phsg_run_chunk_state_wanted(const phsg_run_chunk *chunk, size_t i);

/**
 * Award i of the built chunk (owned by the chunk) and its history, filled
 * into `h`; or the failure that holds it, with its message in *why.  It too
 * touches only the chunk, and `h`.
 */
int phsg_run_chunk_award(const phsg_award **aw, const char **why, phsg_award_history *h,
			 phsg_run_chunk *chunk, size_t i);

/**
 * Refuse a ledger holding an amount that is not a whole number of pence (a
 * hand's work): a run reads the sums it kept, not the amounts themselves,
 * so it looks for one first.
 */
int phsg_ledger_amounts_whole(phsg_ledger *l);

/**
 * What the run keeps of built award i's sums in its index
 * (award_index.sums): its payments, recoveries and contributions as read,
 * with the postings of `pr` added, for the next run (and a report) to read
 * instead of the rows; malloc'd.  NULL when a sum would pass 64 bits: then
 * none is kept.  It touches only the chunk.
 */
char *phsg_run_chunk_sums(const phsg_run_chunk *chunk, size_t i, const phsg_payrule_result *pr);

/**
 * What the run keeps of built award i's processed cycles in its index
 * (award_index.cycles): those of `h`, its history as read, and those `pr`
 * processed, for the next run to read instead of the processed marks;
 * malloc'd.  It touches only the chunk.
 */
char *phsg_run_chunk_cycles(const phsg_run_chunk *chunk, size_t i, const phsg_award_history *h,
			    const phsg_payrule_result *pr);

/**
 * A second connection to l's SQLite ledger, for the run that l has begun
 * (phsg_ledger_begin) to read its chunks with on its second thread while
 * it writes on the first.  It reads the ledger as l found it when it began:
 * SQLite gives a reader the last commit, and no other process can commit
 * while l holds the write lock.  So it reads what the run would have read
 * on l, since nothing the run writes for one award changes what another
 * reads.  Unless the run's own writes must be seen: the ledger last ran
 * under another scheme (or phsg), so the run's first step marks every
 * award for reading again (phsg_ledger_scheme_seen()).  Then, and for
 * PostgreSQL, *out is NULL and the run reads on l.  Call it before
 * phsg_ledger_scheme_seen(); close it (phsg_ledger_close) before l commits.
 */
int phsg_ledger_run_reader(phsg_ledger **out, phsg_ledger *l, const char *fingerprint);

/**
 * How many awards phsg_ledger_awards_due() would list, or `limit` if that
 * many or more: a run needs only to know whether it may list them, and
 * counting all 340,000 due of a million took 0.18 s.
 */
int phsg_ledger_awards_due_upto(size_t *n, phsg_ledger *l, phsg_date run_date, size_t limit);

/**
 * *none 1 when no award can be due on run_date: none is marked for the
 * next run, and run_date is before the earliest next due date of the others,
 * as the last run noted it (phsg_ledger_due_from_keep).  0 when some may be,
 * or nothing is noted.  Two rows read, however large the ledger.
 */
int phsg_ledger_nothing_due(int *none, phsg_ledger *l, phsg_date run_date);

/**
 * Note, in the run's transaction, the earliest next due date of the awards
 * the run's index holds unmarked, as the run leaves them: the date
 * phsg_ledger_nothing_due() reads.  Written only when it changes.
 */
int phsg_ledger_due_from_keep(phsg_ledger *l);

/**
 * A connection that only reads, to the ledger of w when w is phsg's own
 * SQLite backend (ledger_sqlite.c); else *out NULL.
 */
int phsg_ledger_sqlite_reader(struct phsg_ledger_backend **out,
			      const struct phsg_ledger_backend *w);

/**
 * Whether the connection of phsg's SQLite backend b checks each row it
 * writes against the schema's references and CHECK constraints: 1 when
 * set, 0 for another backend (left as it is), or a negative phsg error.
 */
int phsg_ledger_sqlite_row_checks(struct phsg_ledger_backend *b, int on);

/**
 * A payment run's write transaction: phsg_ledger_begin(), and on SQLite
 * without checking each row's references and CHECK constraints as it is
 * written.  Every row a run writes names the batch it has just added or an
 * award it has read in this transaction, and the ledger never deletes a
 * row, so each reference would be found; the values the constraints
 * check (a payment's kind, a range of cycles) come from phsg's own code.
 * At 100,000 awards the checks were 28% of the instructions of the
 * thread that writes (look-ups into awards, and for each payment an
 * ephemeral table that SQLite builds for the kind's IN list).  The checks
 * are back on once the run commits, rolls back or fails to begin (and,
 * should turning them on fail, before the connection's next transaction,
 * phsg_ledger_begin), and phsg verify checks every row (integrity_check,
 * which includes CHECK constraints, and foreign_key_check).  PostgreSQL
 * checks each row as always.
 */
int phsg_ledger_begin_run(phsg_ledger *l, int wait_ms);

/** Free a chunk; NULL is a no-op. */
void phsg_run_chunk_free(phsg_run_chunk *chunk);

#endif
