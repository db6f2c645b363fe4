/*
 * phsg.h - the umbrella header of libphsg, the personal housing support
 * grant calculator: exact money, civil dates, schemes and allocation.
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

#endif
