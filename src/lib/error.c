/*
 * error.c - the per-thread last error.
 *
 * A fixed buffer per thread: setting an error never allocates, so it works
 * when memory has run out.  Messages longer than the buffer are truncated.
 */
#include <stdio.h>
#include <string.h>
#include "phsg/error.h"

static _Thread_local char last_error[1024];

int phsg_error_set(int code, const char *fmt, ...)
{
	char msg[sizeof(last_error)];
	va_list ap;

	/* formatted apart first: a message may quote the last one (phsg_error_last()) */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_error, msg, sizeof(msg));
	return code;
}

const char *phsg_error_last(void)
{
	return last_error;
}

void phsg_error_clear(void)
{
	last_error[0] = '\0';
}

int phsg_error_exit_status(int code)
{
	switch (code) {
	case PHSG_OK:
		return 0;
	case PHSG_ERULE:
		return 1;
	case PHSG_EINVAL:
	case PHSG_ENOTFOUND:
		return 2;
	default:
		return 3;
	}
}
