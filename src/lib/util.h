/*
 * util.h - small helpers the library's modules share (not public).
 */
#ifndef PHSG_UTIL_H
#define PHSG_UTIL_H

#include <string.h>

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

#endif
