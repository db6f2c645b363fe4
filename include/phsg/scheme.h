/*
 * phsg/scheme.h - one council's scheme, loaded from a libconfig file.
 *
 * A scheme is loaded once, validated completely, and is immutable after
 * that: every structure below is read-only for callers.  A scheme that loads
 * is a scheme that can pay: every package has a term, every component a
 * kind and an amount, every rate a date, and the calendar a holiday list.
 *
 * Money and hours are mpq_t.  The file writes them as decimal strings;
 * libconfig floats are refused with the file and line, because a binary
 * float cannot hold pence exactly.
 */
#ifndef PHSG_SCHEME_H
#define PHSG_SCHEME_H

#include <stddef.h>
#include <gmp.h>
#include "phsg/date.h"
#include "phsg/money.h"

/** Levels of assessed need, in the order the scheme file lists them. */
typedef enum {
	PHSG_NEED_HIGH = 0,
	PHSG_NEED_MEDIUM = 1,
	PHSG_NEED_LOW = 2,
	PHSG_NEED_COUNT = 3,
	PHSG_NEED_NONE = -1 /**< not assessed for this intervention */
} phsg_need;

/** "high", "medium", "low". */
const char *phsg_scheme_need_name(phsg_need need);
/** Parse a need level name; PHSG_EINVAL otherwise. */
int phsg_scheme_need_parse(phsg_need *out, const char *text);

/** extendable_to_months = "unlimited" */
#define PHSG_UNLIMITED (-1)

/** How a component's weekly amount is found. */
typedef enum {
	PHSG_COMP_INVALID = 0, /**< never a loaded component's kind */
	PHSG_COMP_RAS,   /**< assessed hours per intervention x hourly rate */
	PHSG_COMP_FIXED, /**< a fixed weekly amount */
	PHSG_COMP_HOURS, /**< hours the person chooses (up to a maximum) x rate */
	PHSG_COMP_CASH,  /**< a fixed amount per cycle (PHSG_CYCLE_DAYS), pro rata by day */
	PHSG_COMP_TIER   /**< the weekly charge of the funded tier */
} phsg_component_kind;

/** The configuration name of a component kind ("ras", "fixed", "hours", "cash", "tier"). */
const char *phsg_scheme_component_kind_name(phsg_component_kind kind);

/** One component of a package: a part of the budget paid on its own. */
typedef struct {
	char *id;                 /**< its id in the scheme file */
	phsg_component_kind kind; /**< how its weekly amount is found */
	/** fixed: weekly amount; hours: max_weekly_hours; cash: per_cycle. */
	mpq_t amount;
	/** A payee reference fixed by the scheme, or NULL (the award's payee). */
	char *payee;
} phsg_component;

/** A tier of a tiered package. */
typedef struct {
	int tier;       /**< 1, 2, ... in order */
	char *name;     /**< its name for people */
	mpq_t weekly;   /**< its weekly charge */
} phsg_tier;

/** An award period and its ceiling, for a package or one of its levels. */
typedef struct {
	int level;              /**< 0 for a package without levels */
	int period_months;      /**< the award's first period */
	int extendable_months;  /**< the ceiling from the start, or PHSG_UNLIMITED */
} phsg_term;

/** An intervention a person may be assessed for, and its hours by level of need. */
typedef struct {
	char *id;                /**< its id in the scheme file */
	char *name;              /**< its name for people */
	mpq_t hours[PHSG_NEED_COUNT]; /**< weekly hours for high, medium, low */
} phsg_intervention;

/** A package of support: its interventions, terms, components and tiers. */
typedef struct {
	char *id;                /**< its id in the scheme file */
	char *name;              /**< its name for people */
	size_t n_interventions;  /**< the number of interventions it allows */
	size_t *interventions;   /**< indexes into the scheme's interventions */
	phsg_term term;          /**< when n_levels == 0 */
	size_t n_levels;         /**< the number of levels (0: none) */
	phsg_term *levels;       /**< the term of each level */
	size_t n_components;     /**< the number of components */
	phsg_component *components; /**< in the scheme file's order */
	size_t n_tiers;          /**< the number of tiers (0: not tiered) */
	phsg_tier *tiers;        /**< tiers[i].tier == i + 1 */
} phsg_package;

/** An hourly rate, in force from a date until the next rate. */
typedef struct {
	phsg_date from;          /**< the first day it applies */
	mpq_t hourly;            /**< pounds an hour */
} phsg_rate;

/** The length of a payment cycle, in days: every cycle is four weeks. */
#define PHSG_CYCLE_DAYS 28

/** Roll a due date on a non-working day to the previous or next one. */
typedef enum { PHSG_ROLL_PREVIOUS = 1, PHSG_ROLL_NEXT } phsg_roll;

/** When payments fall due: the cycles, their lead time and the working days. */
typedef struct {
	phsg_date anchor;      /**< a cycle boundary; cycles are PHSG_CYCLE_DAYS long */
	int lead_days;         /**< a cycle is due this many days before it starts */
	phsg_roll roll;        /**< where a due date on a non-working day goes */
	char *holidays_path;   /**< the bank holiday file */
	phsg_date *holidays;   /**< sorted, unique */
	size_t n_holidays;     /**< the number of holidays */
	int first_year, last_year; /**< the years the holiday list covers */
} phsg_calendar;

/** Payment methods (bit flags). */
enum {
	PHSG_METHOD_DIRECT = 1,   /**< a direct payment to the person's account */
	PHSG_METHOD_PROVIDER = 2, /**< paid to a provider */
	PHSG_METHOD_CARD = 4      /**< loaded onto a prepaid card */
};

/** Parse "direct", "provider" or "card" into a PHSG_METHOD_*; PHSG_EINVAL otherwise. */
int phsg_scheme_method_parse(int *out, const char *text);

/** The name of one PHSG_METHOD_* ("direct", "provider", "card"). */
const char *phsg_scheme_method_name(int method);

/** The council's bank details, the originator of Bacs files (the `finance` group). */
typedef struct {
	int present;               /**< the scheme has a `finance` group */
	char *service_user_number; /**< the Bacs service user number (6 digits) */
	char *name;                /**< the originator's name */
	char *sort_code;           /**< 6 digits */
	char *account;             /**< 8 digits */
} phsg_finance;

/**
 * A budget for one financial year (SPEC section 13), from the scheme's
 * `budgets = { y2026 = "15359116.00"; ... };` or the command line.
 */
typedef struct {
	int year;       /**< the financial year starting 1 April `year` */
	mpq_t amount;   /**< pounds, whole pence, 0 to 999,999,999,999.99 */
} phsg_budget;

/** The largest budget, in pence (SPEC section 12: 999,999,999,999.99). */
#define PHSG_BUDGET_MAX_PENCE "99999999999999"

/**
 * Parse a budget: a decimal string of pounds with at most two decimal
 * places, not negative, at most 999,999,999,999.99.  Returns 0 or
 * PHSG_EINVAL with a message naming the text.
 */
int phsg_scheme_budget_parse(mpq_t out, const char *text);

/** An outcome area of the Supporting People core outcomes set (SPEC section 13). */
typedef struct {
	char *id, *name, *theme;
} phsg_outcome_area;

/** A way the grant is used (Medway's six ways). */
typedef struct {
	char *id, *name;
	int accredited_provider;   /**< only through an accredited provider */
	int needs_social_care;     /**< only for a person also funded by adult social care */
} phsg_way;

/** The scheme's `outcomes` group; present is 0 when it has none. */
typedef struct {
	int present;
	int first_review_weeks;    /**< the first review this long after the start */
	int review_months;         /**< then every this many months after the latest */
	int sustain_months;        /**< achieved this long before the end = sustained */
	int extend_needs_review_days; /**< 0, or extend refused without a review this recent */
	size_t n_areas;
	phsg_outcome_area *areas;
	size_t n_ways;
	phsg_way *ways;
} phsg_outcomes;

/** A loaded scheme (read-only; free with phsg_scheme_free()). */
typedef struct phsg_scheme {
	char *path;              /**< the file it was loaded from */
	char *name;              /**< the council's name for it */
	char *currency;          /**< "GBP" */
	phsg_rounding rounding;  /**< how figures are rounded to pence */
	phsg_calendar calendar;  /**< cycles and working days */
	size_t n_rates;          /**< the number of hourly rates */
	phsg_rate *rates;        /**< ascending by from */
	size_t n_interventions;  /**< the number of interventions */
	phsg_intervention *interventions; /**< in the file's order */
	size_t n_packages;       /**< the number of packages */
	phsg_package *packages;  /**< in the file's order */
	int methods;             /**< PHSG_METHOD_* flags allowed */
	phsg_finance finance;    /**< the originator's bank details */
	size_t n_budgets;        /**< the number of budgets */
	phsg_budget *budgets;    /**< ascending by year; none when the file has no `budgets` */
	phsg_outcomes outcomes;  /**< the outcomes group */
	/** FNV-1a 64 of the scheme and holiday files: a run notices any change */
	char fingerprint[17];
} phsg_scheme;

/**
 * Load and validate the scheme file at `path`.  On success *out owns a new
 * scheme (free with phsg_scheme_free()).  On failure returns PHSG_EINVAL
 * with a message "FILE:LINE: SETTING: reason".
 */
int phsg_scheme_load(phsg_scheme **out, const char *path);

/** The scheme's budget for the financial year starting 1 April `year`, or NULL. */
const phsg_budget *phsg_scheme_budget(const phsg_scheme *scheme, int year);

/** Free a scheme; NULL is a no-op. */
void phsg_scheme_free(phsg_scheme *scheme);

/** The package with this id, or NULL. */
const phsg_package *phsg_scheme_package(const phsg_scheme *scheme, const char *id);

/** The index of the intervention with this id, or -1. */
long phsg_scheme_intervention(const phsg_scheme *scheme, const char *id);

/** The outcome area with that id, or NULL. */
const phsg_outcome_area *phsg_scheme_area(const phsg_scheme *scheme, const char *id);

/** The way of using the grant with that id, or NULL. */
const phsg_way *phsg_scheme_way(const phsg_scheme *scheme, const char *id);

/**
 * The rate in force on `day`: *index receives the index of the last rate
 * whose `from` is on or before it.  PHSG_EINVAL when no rate is in force yet.
 */
int phsg_scheme_rate_at(size_t *index, const phsg_scheme *scheme, phsg_date day);

/** The term for a package (level 0 for a package without levels). */
int phsg_scheme_package_term(const phsg_term **out, const phsg_package *pkg, int level);

/** The component of `pkg` with this id, or NULL. */
const phsg_component *phsg_scheme_package_component(const phsg_package *pkg, const char *id);

/** The package's single component of `kind`, or NULL. */
const phsg_component *phsg_scheme_package_component_of_kind(const phsg_package *pkg,
						     phsg_component_kind kind);

/** Whether `package` lists the intervention with this scheme index. */
int phsg_scheme_package_has_intervention(const phsg_package *pkg, size_t index);

/**
 * Is `day` a working day?  PHSG_EINVAL (naming the year) when the day's
 * year is outside the years the holiday list covers.
 */
int phsg_scheme_calendar_is_working_day(int *working, const phsg_calendar *cal, phsg_date day);

/** Roll `day` to a working day by the calendar's rule. */
int phsg_scheme_calendar_roll(phsg_date *out, const phsg_calendar *cal, phsg_date day);

#endif
