/*
 * banned.h - functions phsg never calls, made into compile errors.
 *
 * Included in every translation unit of the library and the tool (the
 * Makefile passes -include).  strcpy/strcat/sprintf/gets cannot bound
 * their writes; strtok keeps hidden global state; atof and strtod would
 * bring binary floating point near money, and atoi cannot report errors.
 */
#ifndef PHSG_BANNED_H
#define PHSG_BANNED_H

/* the system's declarations first, so that the bans below touch only phsg's code */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_banned_in_phsg

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atof
#define atof(x) BANNED(atof)
#undef strtod
#define strtod(x, y) BANNED(strtod)
#undef atoi
#define atoi(x) BANNED(atoi)

#endif
