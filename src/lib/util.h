/*
 * util.h - small helpers the library's modules share (not public).
 */
#ifndef PHSG_UTIL_H
#define PHSG_UTIL_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "phsg/error.h"
#include "phsg/money.h"

/* "12.34" (a sum in pence) for messages. */
/* One UTF-8 sequence at s (n bytes left): its length, its code point in *cp; 0 if invalid (text.c). */
size_t phsg_utf8_one(const unsigned char *s, size_t n, unsigned long *cp);

static inline const char *phsg_pence_text(char buf[PHSG_NUM_BUF], int64_t p)
{
	mpz_t z;

	mpz_init_set_si(z, p);
	if (phsg_money_format_pence(buf, PHSG_NUM_BUF, z))
		snprintf(buf, PHSG_NUM_BUF, "%lld pence", (long long)p);
	mpz_clear(z);
	return buf;
}

/* Is s exactly n ASCII digits (a sort code, an account number)?  NULL: no. */
static inline int phsg_digits(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Work done beside the caller on a thread of its own (or by the caller,
 * when no thread can be made), and its failure, kept for the caller: the
 * work sets rc and, when rc is not 0, why.
 */
typedef struct {
	pthread_t thread;
	int threaded;
	int rc;
	char why[1024];
} phsg_side_job;

static inline void phsg_side_start(phsg_side_job *j, void *(*work)(void *), void *arg)
{
	j->rc = 0;
	j->threaded = pthread_create(&j->thread, NULL, work, arg) == 0;
	if (!j->threaded)
		work(arg);
}

/* The work's failure noted from the calling thread's last error. */
static inline void phsg_side_failed(phsg_side_job *j, int rc)
{
	j->rc = rc;
	snprintf(j->why, sizeof(j->why), "%s", phsg_error_last());
}

/* Wait for the work, if it is running; nothing else. */
static inline void phsg_side_join(phsg_side_job *j)
{
	if (j->threaded)
		pthread_join(j->thread, NULL);
	j->threaded = 0;
}

/* Wait for the work; its failure, if any, set as the caller's error and returned. */
static inline int phsg_side_wait(phsg_side_job *j)
{
	phsg_side_join(j);
	return j->rc ? phsg_error_set(j->rc, "%s", j->why) : 0;
}

#endif
