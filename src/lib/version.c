/*
 * version.c - the version the library was built as.
 */
#include "phsg/version.h"

const char *phsg_version(void)
{
	return PHSG_VERSION;
}
