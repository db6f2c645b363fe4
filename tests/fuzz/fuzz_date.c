/*
 * fuzz_date.c - date parsing and arithmetic (src/lib/date.c).
 *
 * Input: four 32-bit numbers (a day count, a number of months, a year,
 * month and day for phsg_date_from_ymd packed in the rest), then text to
 * parse.  Invariants:
 *   - phsg_date_parse accepts exactly "YYYY-MM-DD" for calendar dates from
 *     1900-01-01 to 9999-12-31 (checked against an independent reader), and
 *     format(parse(s)) == s; a refusal leaves a message;
 *   - for every date in range: ymd -> days -> ymd and format -> parse round
 *     trips, the day after is the next day of the week and of the calendar,
 *     the weekday agrees with Zeller's congruence;
 *   - + N months (any int N): refused exactly when the result leaves
 *     1900-01-01 to 9999-12-31, otherwise the same day of the month or the
 *     month's last day; the saturating form saturates;
 *   - the financial year: starts on 1 April on or before the date, less than
 *     a year before it, and is named "YYYY-YY".
 */
#include "fuzz.h"
#include "phsg/date.h"
#include "phsg/error.h"

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int dim(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* "YYYY-MM-DD", a calendar date in phsg's range. */
static int reference_parse(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *y >= 1900 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= dim(*y, *m);
}

/* 0 Monday ... 6 Sunday, by Zeller's congruence. */
static int zeller(int y, int m, int d)
{
	if (m < 3) {
		m += 12;
		y--;
	}
	int k = y % 100, j = y / 100;
	int h = (d + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7; /* 0 Saturday */
	return (h + 5) % 7;
}

static void check_day(phsg_date d)
{
	int y, m, day, y2, m2, d2;
	phsg_date back, fy;
	char buf[PHSG_DATE_BUF], name[8], want[8];

	phsg_date_to_ymd(&y, &m, &day, d);
	FUZZ_CHECK(y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && day >= 1 && day <= dim(y, m),
		   "day %d is %d-%d-%d", (int)d, y, m, day);
	FUZZ_CHECK(phsg_date_from_ymd(&back, y, m, day) == 0 && back == d,
		   "%d-%d-%d does not come back to day %d", y, m, day, (int)d);
	phsg_date_format(buf, d);
	FUZZ_CHECK(strlen(buf) == 10, "format '%s'", buf);
	FUZZ_CHECK(phsg_date_parse(&back, buf) == 0 && back == d, "'%s' does not parse back", buf);
	FUZZ_CHECK(phsg_date_weekday(d) == zeller(y, m, day), "weekday of %s", buf);
	if (d < PHSG_DATE_LAST) {
		phsg_date_to_ymd(&y2, &m2, &d2, d + 1);
		FUZZ_CHECK(phsg_date_weekday(d + 1) == (phsg_date_weekday(d) + 1) % 7, "the day after %s",
			   buf);
		if (day < dim(y, m))
			FUZZ_CHECK(y2 == y && m2 == m && d2 == day + 1, "the day after %s", buf);
		else if (m < 12)
			FUZZ_CHECK(y2 == y && m2 == m + 1 && d2 == 1, "the day after %s", buf);
		else
			FUZZ_CHECK(y2 == y + 1 && m2 == 1 && d2 == 1, "the day after %s", buf);
	}
	/* the financial year */
	fy = phsg_date_fy_start(d);
	phsg_date_to_ymd(&y2, &m2, &d2, fy);
	FUZZ_CHECK(m2 == 4 && d2 == 1 && fy <= d && d - fy < 366, "financial year of %s", buf);
	FUZZ_CHECK(y2 == (m >= 4 ? y : y - 1), "financial year of %s starts in %d", buf, y2);
	phsg_date_fy_name(name, d);
	snprintf(want, sizeof(want), "%04d-%02d", y2, (y2 + 1) % 100);
	FUZZ_CHECK(strcmp(name, want) == 0, "financial year of %s named '%s'", buf, name);
}

static void check_months(phsg_date d, int months)
{
	int y, m, day, y2, m2, d2, rc;
	int64_t total;
	phsg_date out = 12345, sat;
	char buf[PHSG_DATE_BUF];

	phsg_date_to_ymd(&y, &m, &day, d);
	phsg_date_format(buf, d);
	total = (int64_t)y * 12 + (m - 1) + months;
	phsg_error_clear();
	rc = phsg_date_add_months_checked(&out, d, months);
	sat = phsg_date_add_months(d, months);
	if (total < 1900 * 12 || total > 9999 * 12 + 11) {
		FUZZ_CHECK(rc == PHSG_EINVAL && phsg_error_last()[0], "%s + %d months: rc %d", buf,
			   months, rc);
		FUZZ_CHECK(out == 12345, "a refused sum wrote its result");
		FUZZ_CHECK(sat == (months < 0 ? PHSG_DATE_FIRST : PHSG_DATE_LAST),
			   "%s + %d months does not saturate", buf, months);
		return;
	}
	FUZZ_CHECK(rc == 0, "%s + %d months refused: %s", buf, months, phsg_error_last());
	FUZZ_CHECK(out == sat, "the two forms of + months disagree");
	phsg_date_to_ymd(&y2, &m2, &d2, out);
	FUZZ_CHECK(y2 == (int)(total / 12) && m2 == (int)(total % 12) + 1, "%s + %d months: month",
		   buf, months);
	FUZZ_CHECK(d2 == (day <= dim(y2, m2) ? day : dim(y2, m2)), "%s + %d months: day %d", buf,
		   months, d2);
	/* and back: exact when the day exists in every month */
	if (day <= 28) {
		phsg_date again;
		FUZZ_CHECK(phsg_date_add_months_checked(&again, out, -months) == 0 && again == d,
			   "%s + %d - %d months", buf, months, months);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_in in = { data, size };
	uint32_t raw_day = (uint32_t)fuzz_u64(&in, 4);
	int32_t months = (int32_t)(uint32_t)fuzz_u64(&in, 4);
	int32_t yy = (int32_t)(uint32_t)fuzz_u64(&in, 4);
	int32_t md = (int32_t)(uint32_t)fuzz_u64(&in, 4);
	char *text = fuzz_string(&in);
	int y, m, d, rc, want;
	phsg_date day, got = 777;
	uint32_t span = (uint32_t)(PHSG_DATE_LAST - PHSG_DATE_FIRST) + 1;

	/* parsing */
	phsg_error_clear();
	rc = phsg_date_parse(&got, text);
	want = reference_parse(text, &y, &m, &d);
	FUZZ_CHECK((rc == 0) == want, "phsg_date_parse('%s') = %d", text, rc);
	if (rc == 0) {
		char buf[PHSG_DATE_BUF];
		int y2, m2, d2;
		phsg_date_format(buf, got);
		FUZZ_CHECK(strcmp(buf, text) == 0, "'%s' formats back as '%s'", text, buf);
		phsg_date_to_ymd(&y2, &m2, &d2, got);
		FUZZ_CHECK(y2 == y && m2 == m && d2 == d, "'%s' read as %d-%d-%d", text, y2, m2, d2);
		FUZZ_CHECK(got >= PHSG_DATE_FIRST && got <= PHSG_DATE_LAST, "'%s' out of range", text);
		check_day(got);
		check_months(got, months);
	} else {
		FUZZ_CHECK(rc == PHSG_EINVAL && phsg_error_last()[0] != '\0', "'%s' refused silently",
			   text);
		FUZZ_CHECK(got == 777, "a refused date wrote its result");
	}

	/* a day in range, from the raw number */
	day = (phsg_date)(PHSG_DATE_FIRST + (int64_t)(raw_day % span));
	check_day(day);
	check_months(day, months);
	check_months(day, months % 2400);

	/* from year, month and day, any ints */
	y = yy;
	m = (int)((uint32_t)md >> 16) - 8;
	d = (int)((uint32_t)md & 0xffff) - 8;
	phsg_error_clear();
	got = 777;
	rc = phsg_date_from_ymd(&got, y, m, d);
	want = y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= dim(y, m);
	FUZZ_CHECK((rc == 0) == want, "phsg_date_from_ymd(%d, %d, %d) = %d", y, m, d, rc);
	if (rc == 0)
		check_day(got);
	else
		FUZZ_CHECK(got == 777 && phsg_error_last()[0] != '\0', "from_ymd refused silently");

	/* floor division, for cycle arithmetic on dates before an anchor */
	{
		int64_t a = (int64_t)(int32_t)raw_day, b = (int64_t)((uint32_t)md % 100000) + 1;
		int64_t q = phsg_date_floor_div(a, b);
		FUZZ_CHECK(q * b <= a && a < (q + 1) * b, "floor_div(%lld, %lld) = %lld", (long long)a,
			   (long long)b, (long long)q);
	}
	free(text);
	return 0;
}
