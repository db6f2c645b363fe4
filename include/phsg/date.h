/*
 * phsg/date.h - civil dates, months, financial years and working days.
 *
 * A date is a count of days since 1970-01-01 in the proleptic Gregorian
 * calendar, so day arithmetic is integer arithmetic.  Periods are half-open,
 * [start, end).  Dates run from 1900-01-01 to 9999-12-31 (SPEC section 12).
 */
#ifndef PHSG_DATE_H
#define PHSG_DATE_H

#include <stddef.h>
#include <stdint.h>

/** A civil date: days since 1970-01-01 (negative before). */
typedef int32_t phsg_date;

/** "YYYY-MM-DD" plus the terminating NUL. */
#define PHSG_DATE_BUF 11

/**
 * Parse an ISO 8601 calendar date, exactly "YYYY-MM-DD".  Impossible dates
 * (2026-02-30, 2025-02-29, month 13) are errors.  Returns 0 or PHSG_EINVAL.
 */
int phsg_date_parse(phsg_date *out, const char *text);

/** Build a date from year, month (1-12) and day; PHSG_EINVAL if impossible. */
int phsg_date_from_ymd(phsg_date *out, int year, int month, int day);

/** Split a date into year, month (1-12) and day (any pointer may be NULL). */
void phsg_date_to_ymd(int *year, int *month, int *day, phsg_date d);

/** Write "YYYY-MM-DD" into buf (at least PHSG_DATE_BUF bytes). */
void phsg_date_format(char buf[PHSG_DATE_BUF], phsg_date d);

/** Days in a month of a year. */
int phsg_date_days_in_month(int year, int month);

/** The first date phsg accepts: 1900-01-01 (SPEC section 12). */
#define PHSG_DATE_FIRST ((phsg_date)-25567)

/** The last date phsg accepts: 9999-12-31 (SPEC section 12). */
#define PHSG_DATE_LAST ((phsg_date)2932896)

/**
 * date + N months: the same day of the month, or the last day of the month
 * where that day does not exist (2026-01-31 + 1 = 2026-02-28).  N may be
 * negative.  PHSG_EINVAL when the result would leave 1900-01-01 to
 * 9999-12-31.
 */
int phsg_date_add_months_checked(phsg_date *out, phsg_date d, int months);

/** phsg_date_add_months_checked, saturating at the first or last date. */
phsg_date phsg_date_add_months(phsg_date d, int months);

/** Day of the week: 0 Monday ... 6 Sunday. */
int phsg_date_weekday(phsg_date d);

/** The first day (1 April) of the financial year containing d. */
phsg_date phsg_date_fy_start(phsg_date d);

/** The financial year containing d as "2026-27" (buf of 8 bytes). */
void phsg_date_fy_name(char buf[8], phsg_date d);

/**
 * Parse a financial year's name, exactly "YYYY-YY" with YY the last two
 * digits of YYYY + 1 ("2026-27"), into the year it starts in (1 April
 * YYYY).  Years 1900 to 9998 (the last whose every day phsg can date).
 * Returns 0 or PHSG_EINVAL with a message naming the text.
 */
int phsg_date_fy_parse(int *year, const char *text);

/** The days in the financial year starting 1 April `year`: 365, or 366 with a 29 February. */
int phsg_date_fy_days(int year);

/** floor(a / b) for b > 0, for cycle arithmetic on dates before an anchor. */
static inline int64_t phsg_date_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

#endif
