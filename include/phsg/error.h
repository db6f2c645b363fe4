/*
 * phsg/error.h - error codes, the per-thread last error message, and what
 * happens when memory runs out.
 *
 * Every library function that can fail returns 0 on success or one of the
 * negative PHSG_E* codes below.  The human-readable reason (with file:line
 * and the offending setting where there is one) is kept in a thread-local
 * buffer and read with phsg_error_last().  A function that receives an error
 * from a callee passes the code up unchanged and does not overwrite the
 * message with a vaguer one.
 *
 * Only the command-line tool maps codes to exit statuses (see
 * phsg_error_exit_status()).
 *
 * Out of memory: phsg calls abort().  When an allocation phsg makes fails
 * (malloc, calloc, realloc, strdup, a jansson or libcsv object, a SQLite or
 * libpq connection), the process ends there; no function returns an
 * out-of-memory code, and there is none.  This is the policy GMP imposes
 * already: every figure phsg works out is a GMP rational, and GMP aborts
 * when it cannot allocate, so a library that promised to return an error
 * instead could not keep the promise in the one place it matters most.
 * One policy, kept everywhere, also keeps every error path a real one:
 * no half-built award or batch is ever handed back after a failed
 * allocation, and a write in progress is rolled back by the database when
 * the process ends.  A program that must survive running out of memory
 * runs phsg's work in a process of its own.  Where a library below
 * phsg reports its own shortage as an error (SQLite's SQLITE_NOMEM), phsg
 * passes that on as the operation's error, PHSG_ELEDGER with its message.
 */
#ifndef PHSG_ERROR_H
#define PHSG_ERROR_H

#include <stdarg.h>

/** Error codes.  0 means success. */
enum {
	PHSG_OK = 0,        /**< success */
	PHSG_EINVAL = -2,   /**< bad input: malformed value, bad config (exit 2) */
	PHSG_ERULE = -3,    /**< refused by a scheme or payment rule (exit 1) */
	PHSG_ELEDGER = -4,  /**< the ledger could not be read or written (exit 3) */
	PHSG_ENOTFOUND = -6 /**< a named thing does not exist (exit 2) */
};

/**
 * Set the last error message (printf-style) and return `code`, so that
 * callers can write `return phsg_error_set(PHSG_EINVAL, "...")`.
 */
int phsg_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** The message of the last error set on this thread ("" if none). */
const char *phsg_error_last(void);

/** Forget the last error on this thread. */
void phsg_error_clear(void);

/** The process exit status the CLI uses for an error code (0, 1, 2 or 3). */
int phsg_error_exit_status(int code);

#endif
