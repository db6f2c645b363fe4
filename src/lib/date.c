/*
 * date.c - civil dates as day counts.
 *
 * The conversions between (year, month, day) and days since 1970-01-01 are
 * the well-known era-based algorithms (a 400-year era has exactly 146097
 * days), exact for every proleptic Gregorian date.
 */
#include <stdio.h>
#include <string.h>
#include "phsg/date.h"
#include "phsg/error.h"

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int phsg_date_days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

static phsg_date days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void phsg_date_to_ymd(int *year, int *month, int *day, phsg_date days)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp < 10 ? mp + 3 : mp - 9;
	int y = yoe + era * 400 + (m <= 2);

	if (year)
		*year = y;
	if (month)
		*month = m;
	if (day)
		*day = d;
}

int phsg_date_from_ymd(phsg_date *out, int year, int month, int day)
{
	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
	    day > phsg_date_days_in_month(year, month))
		return phsg_error_set(PHSG_EINVAL,
			"%04d-%02d-%02d is not a calendar date", year, month, day);
	if (year < 1900)
		return phsg_error_set(PHSG_EINVAL, "%04d-%02d-%02d is before 1900-01-01: phsg's dates "
				      "run from 1900-01-01 to 9999-12-31", year, month, day);
	*out = days_from_civil(year, month, day);
	return 0;
}

int phsg_date_parse(phsg_date *out, const char *text)
{
	int v[3] = { 0, 0, 0 };
	static const int widths[3] = { 4, 2, 2 };
	const char *p = text;

	for (int f = 0; f < 3; f++) {
		for (int i = 0; i < widths[f]; i++, p++) {
			if (*p < '0' || *p > '9')
				goto bad;
			v[f] = v[f] * 10 + (*p - '0');
		}
		if (f < 2 && *p++ != '-')
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	if (phsg_date_from_ymd(out, v[0], v[1], v[2]))
		return v[0] >= 1 && v[0] < 1900 ? PHSG_EINVAL :
			phsg_error_set(PHSG_EINVAL, "'%s' is not a calendar date", text);
	return 0;
bad:
	/* quote it only when it is plain text: never a line break into a message */
	for (p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return phsg_error_set(PHSG_EINVAL, "that is not a date (expected YYYY-MM-DD)");
	return phsg_error_set(PHSG_EINVAL, "'%.40s' is not a date (expected YYYY-MM-DD)", text);
}

void phsg_date_format(char buf[PHSG_DATE_BUF], phsg_date d)
{
	int y, m, day;

	/* by hand: this is on the payment run's hot path */
	phsg_date_to_ymd(&y, &m, &day, d);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + day / 10);
	buf[9] = (char)('0' + day % 10);
	buf[10] = '\0';
}

int phsg_date_add_months_checked(phsg_date *out, phsg_date d, int months)
{
	int y, m, day, dim;
	int64_t total;
	char buf[PHSG_DATE_BUF];

	phsg_date_to_ymd(&y, &m, &day, d);
	total = (int64_t)y * 12 + (m - 1) + months;
	if (total < 1900 * 12 || total > 9999 * 12 + 11) {
		phsg_date_format(buf, d);
		return phsg_error_set(PHSG_EINVAL, "%s + %d months leaves phsg's dates, which run "
				      "from 1900-01-01 to 9999-12-31", buf, months);
	}
	y = (int)(total / 12);
	m = (int)(total % 12) + 1;
	dim = phsg_date_days_in_month(y, m);
	*out = days_from_civil(y, m, day > dim ? dim : day);
	return 0;
}

phsg_date phsg_date_add_months(phsg_date d, int months)
{
	phsg_date out;

	if (phsg_date_add_months_checked(&out, d, months))
		return months < 0 ? PHSG_DATE_FIRST : PHSG_DATE_LAST;
	return out;
}

int phsg_date_weekday(phsg_date d)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)(((int64_t)d % 7 + 7 + 3) % 7);
}

phsg_date phsg_date_fy_start(phsg_date d)
{
	int y, m;

	phsg_date_to_ymd(&y, &m, NULL, d);
	return days_from_civil(m >= 4 ? y : y - 1, 4, 1);
}

void phsg_date_fy_name(char buf[8], phsg_date d)
{
	int y;

	phsg_date_to_ymd(&y, NULL, NULL, phsg_date_fy_start(d));
	int next = (y + 1) % 100;

	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + next / 10);
	buf[6] = (char)('0' + next % 10);
	buf[7] = '\0';
}

int phsg_date_fy_parse(int *year, const char *text)
{
	int y = 0;

	for (int i = 0; i < 4; i++) {
		if (text[i] < '0' || text[i] > '9')
			goto bad;
		y = y * 10 + (text[i] - '0');
	}
	if (text[4] != '-' || text[5] < '0' || text[5] > '9' || text[6] < '0' || text[6] > '9' ||
	    text[7] != '\0')
		goto bad;
	if ((text[5] - '0') * 10 + (text[6] - '0') != (y + 1) % 100)
		return phsg_error_set(PHSG_EINVAL, "'%s' is not a financial year: the year starting "
				      "in April %d is %d-%02d", text, y, y, (y + 1) % 100);
	if (y < 1900 || y > 9998)
		return phsg_error_set(PHSG_EINVAL, "'%s': financial years run from 1900-01 to 9998-99", text);
	*year = y;
	return 0;
bad:
	return phsg_error_set(PHSG_EINVAL, "'%s' is not a financial year (write it as 2026-27: the "
			      "year from 1 April 2026 to 31 March 2027)", text);
}

int phsg_date_fy_days(int year)
{
	int next = year + 1; /* its February */
	int leap = (next % 4 == 0 && next % 100 != 0) || next % 400 == 0;
	return leap ? 366 : 365;
}
