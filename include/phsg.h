/*
 * phsg.h - the umbrella header of libphsg, the personal housing support
 * grant calculator: exact money, civil dates, schemes, allocation, awards,
 * the payment rule, the ledger, payment runs, Bacs files, explanations,
 * plans and scenario costing.
 *
 * Including it includes every public header; a program may also include
 * only the modules it uses (each compiles alone).  phsg/sys/ holds what a
 * ledger backend's author needs, and is included here too.
 *
 * Conventions every module follows (see phsg/error.h for errors and
 * memory): functions are named phsg_<module>_<verb>; a function that
 * produces something returns it through its first arguments; a function
 * that can fail returns 0 or a negative PHSG_E* code; what a function
 * gives the caller to own is freed with the matching _free or _release,
 * and those accept NULL (or a zeroed struct).
 */
#ifndef PHSG_H
#define PHSG_H

#include "phsg/version.h"
#include "phsg/error.h"
#include "phsg/text.h"
#include "phsg/money.h"
#include "phsg/date.h"
#include "phsg/scheme.h"
#include "phsg/alloc.h"
#include "phsg/award.h"
#include "phsg/payrule.h"
#include "phsg/plan.h"
#include "phsg/ledger.h"
#include "phsg/sys/ledger_backend.h"
#include "phsg/explain.h"
#include "phsg/run.h"
#include "phsg/bacs.h"
#include "phsg/scenario.h"

#endif
