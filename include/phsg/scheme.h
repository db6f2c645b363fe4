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
	PHSG_COMP_INVALID = 0,
	PHSG_COMP_RAS,   /**< assessed hours per intervention x hourly rate */
	PHSG_COMP_FIXED, /**< a fixed weekly amount */
	PHSG_COMP_HOURS, /**< hours the person chooses (up to a maximum) x rate */
	PHSG_COMP_CASH,  /**< a fixed amount per 28-day cycle, pro rata by day */
	PHSG_COMP_TIER   /**< the weekly charge of the funded tier */
} phsg_component_kind;

const char *phsg_scheme_component_kind_name(phsg_component_kind kind);

typedef struct {
	char *id;
	phsg_component_kind kind;
	/** fixed: weekly amount; hours: max_weekly_hours; cash: per_cycle. */
	mpq_t amount;
	/** A payee reference fixed by the scheme, or NULL (the award's payee). */
	char *payee;
} phsg_component;

typedef struct {
	int tier;   /**< 1, 2, ... in order */
	char *name;
	mpq_t weekly;
} phsg_tier;

/** An award period and its ceiling, for a package or one of its levels. */
typedef struct {
	int level;              /**< 0 for a package without levels */
	int period_months;
	int extendable_months;  /**< or PHSG_UNLIMITED */
} phsg_term;

typedef struct {
	char *id;
	char *name;
	mpq_t hours[PHSG_NEED_COUNT]; /**< weekly hours for high, medium, low */
} phsg_intervention;

typedef struct {
	char *id;
	char *name;
	size_t n_interventions;
	size_t *interventions;   /**< indexes into the scheme's interventions */
	phsg_term term;          /**< when n_levels == 0 */
	size_t n_levels;
	phsg_term *levels;
	size_t n_components;
	phsg_component *components;
	size_t n_tiers;
	phsg_tier *tiers;        /**< tiers[i].tier == i + 1 */
} phsg_package;

typedef struct {
	phsg_date from;
	mpq_t hourly;
} phsg_rate;

/** The length of a payment cycle, in days: every cycle is four weeks. */
#define PHSG_CYCLE_DAYS 28

/** Roll a due date on a non-working day to the previous or next one. */
typedef enum { PHSG_ROLL_PREVIOUS = 1, PHSG_ROLL_NEXT } phsg_roll;

typedef struct {
	phsg_date anchor;      /**< a cycle boundary; cycles are PHSG_CYCLE_DAYS long */
	int lead_days;
	phsg_roll roll;
	char *holidays_path;
	phsg_date *holidays;   /**< sorted, unique */
	size_t n_holidays;
	int first_year, last_year; /**< the years the holiday list covers */
} phsg_calendar;

/** Payment methods (bit flags). */
enum {
	PHSG_METHOD_DIRECT = 1,
	PHSG_METHOD_PROVIDER = 2,
	PHSG_METHOD_CARD = 4
};
int phsg_scheme_method_parse(int *out, const char *text);
const char *phsg_scheme_method_name(int method);

typedef struct {
	int present;
	char *service_user_number;
	char *name;
	char *sort_code;
	char *account;
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

typedef struct phsg_scheme {
	char *path;
	char *name;
	char *currency;
	phsg_rounding rounding;
	phsg_calendar calendar;
	size_t n_rates;
	phsg_rate *rates;        /**< ascending by from */
	size_t n_interventions;
	phsg_intervention *interventions;
	size_t n_packages;
	phsg_package *packages;
	int methods;             /**< PHSG_METHOD_* flags allowed */
	phsg_finance finance;
	size_t n_budgets;
	phsg_budget *budgets;    /**< ascending by year; none when the file has no `budgets` */
	phsg_outcomes outcomes;
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

/**
 * The rate in force on `day`: the index of the last rate whose `from` is on
 * or before it.  PHSG_EINVAL when no rate is in force yet.
 */
/** The outcome area or way with that id, or NULL. */
const phsg_outcome_area *phsg_scheme_area(const phsg_scheme *scheme, const char *id);
const phsg_way *phsg_scheme_way(const phsg_scheme *scheme, const char *id);

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
