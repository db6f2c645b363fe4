/*
 * phsg/version.h - the version of libphsg and of the phsg tool.
 */
#ifndef PHSG_VERSION_H
#define PHSG_VERSION_H

/** The release, as "MAJOR.MINOR.PATCH"; `phsg --version` prints it. */
#define PHSG_VERSION "0.2.0"

/** The version of the library linked in (PHSG_VERSION when it was built). */
const char *phsg_version(void);

#endif
