/*
 * scheme.c - loading and validating a scheme file.
 *
 * The loader walks the libconfig tree once, checking every setting it meets
 * against the shape in SPEC section 2 and refusing anything it does not
 * know.  Each error names the file, the line libconfig recorded for the
 * setting, and the setting's path ("packages[2].period_months"), so a
 * council officer can find it.
 *
 * Validation is complete before the scheme is handed out: a caller never
 * sees a half-checked scheme, and nothing later has to re-check it.
 */
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "phsg/error.h"
#include "phsg/text.h"
#include "util.h"
#include "phsg/scheme.h"

/* Where we are in a file, for error messages. */
typedef struct {
	const char *file;
	char *text;        /* the scheme file's bytes, as parsed */
	size_t text_len;
} loader;

#define PATH_BUF 160

static int fail(const loader *ld, const config_setting_t *s, const char *path,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(const loader *ld, const config_setting_t *s, const char *path,
		const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return phsg_error_set(PHSG_EINVAL, "%s:%u: %s: %s", ld->file,
		s ? config_setting_source_line(s) : 0u, path, why);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort(); /* out of memory while loading a scheme: nothing sane to do */
	return d;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static void join(char *out, const char *parent, const char *name)
{
	if (parent[0])
		snprintf(out, PATH_BUF, "%s.%s", parent, name);
	else
		snprintf(out, PATH_BUF, "%s", name);
}

static void join_index(char *out, const char *parent, unsigned i)
{
	snprintf(out, PATH_BUF, "%s[%u]", parent, i);
}

/* Every member of a group must be one of `allowed` (NULL-terminated). */
static int check_keys(const loader *ld, const config_setting_t *group,
		      const char *path, const char *const *allowed)
{
	char sub[PATH_BUF];

	if (!config_setting_is_group(group))
		return fail(ld, group, path, "must be a group { ... }");
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(m);
		int known = 0;

		for (const char *const *a = allowed; *a; a++)
			if (strcmp(*a, name) == 0)
				known = 1;
		if (!known) {
			join(sub, path, name);
			return fail(ld, m, sub, "unknown setting '%s'", name);
		}
	}
	return 0;
}

/* Look up a member; a missing required one is an error at the group's line. */
static int member(const loader *ld, const config_setting_t *group, const char *path,
		  const char *name, int required, const config_setting_t **out)
{
	char sub[PATH_BUF];

	*out = config_setting_get_member(group, name);
	if (!*out && required) {
		join(sub, path, name);
		return fail(ld, group, sub, "missing required setting '%s'", name);
	}
	return 0;
}

static int get_string(const loader *ld, const config_setting_t *group,
		      const char *path, const char *name, int required, char **out)
{
	const config_setting_t *s;
	char sub[PATH_BUF];
	int rc = member(ld, group, path, name, required, &s);

	if (rc || !s)
		return rc;
	join(sub, path, name);
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(ld, s, sub, "must be a string in quotation marks");
	const char *v = config_setting_get_string(s);
	if (!v[0])
		return fail(ld, s, sub, "must not be empty");
	/* ids and payees stand in accounts, files and references: the reference rule */
	if (!strcmp(name, "id") || !strcmp(name, "payee") ?
	    phsg_text_check_ref("the value", v) : phsg_text_check_name("the value", v, PHSG_TEXT_MAX))
		return fail(ld, s, sub, "%s", phsg_error_last());
	*out = xstrdup(v);
	return 0;
}

static int get_int(const loader *ld, const config_setting_t *group, const char *path,
		   const char *name, int required, int min, int max, int *out)
{
	const config_setting_t *s;
	char sub[PATH_BUF];
	int rc = member(ld, group, path, name, required, &s);

	if (rc || !s)
		return rc;
	join(sub, path, name);
	if (config_setting_type(s) != CONFIG_TYPE_INT)
		return fail(ld, s, sub, "must be a whole number");
	int v = config_setting_get_int(s);
	/* libconfig 1.5 wraps a literal too large for an int: read it back from the text */
	if (ld->text) {
		const char *line = ld->text, *p;
		unsigned n = config_setting_source_line(s);
		size_t len = strlen(name);
		for (unsigned i = 1; i < n && line; i++)
			if ((line = strchr(line, '\n')))
				line++;
		for (p = line; p && *p && *p != '\n'; p++) {
			if (strncmp(p, name, len) || (p > line && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z'))))
				continue;
			const char *q = p + len;
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q != '=' && *q != ':')
				continue;
			q++;
			while (*q == ' ' || *q == '\t')
				q++;
			char *end;
			errno = 0;
			long long lit = strtoll(q, &end, 0);
			if (end != q && (errno == ERANGE || lit != v))
				return fail(ld, s, sub, "%.*s is too large", (int)(end - q), q);
			break;
		}
	}
	if (v < min || v > max)
		return fail(ld, s, sub, "%d is out of range (%d to %d)", v, min, max);
	*out = v;
	return 0;
}

/*
 * SPEC section 12: a scheme amount (a week, an hour or a cycle) is at most
 * 1,000,000.00 with at most six decimal places, so no figure built from it
 * can wrap; weekly hours are at most 168, the hours in a week.
 */
static int check_bounds(const loader *ld, const config_setting_t *s, const char *path,
			const mpq_t x)
{
	mpz_t t;
	int places_ok, hours = strstr(path, "hours") != NULL;

	mpz_init(t);
	mpz_mul_ui(t, mpq_numref(x), 1000000UL);
	places_ok = mpz_divisible_p(t, mpq_denref(x));
	mpz_clear(t);
	if (!places_ok)
		return fail(ld, s, path, "'%s' has more than 6 decimal places",
			    config_setting_get_string(s));
	if (hours && mpq_cmp_ui(x, 168, 1) > 0)
		return fail(ld, s, path, "%s hours a week is more than the 168 hours in a week",
			    config_setting_get_string(s));
	if (mpq_cmp_ui(x, 1000000, 1) > 0)
		return fail(ld, s, path, "%s is more than the largest amount a scheme may hold, "
			    "1,000,000.00", config_setting_get_string(s));
	return 0;
}

/* A money or hours value: a non-negative decimal string, never a float. */
static int get_decimal_setting(const loader *ld, const config_setting_t *s,
			       const char *path, mpq_t out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING:
		break;
	case CONFIG_TYPE_FLOAT:
		return fail(ld, s, path,
			"is written as a float; floats cannot hold pence exactly: "
			"write it as a decimal string in quotes, e.g. \"16.50\"");
	default:
		return fail(ld, s, path,
			"must be a decimal string in quotes, e.g. \"16.50\"");
	}
	if (phsg_money_parse(out, config_setting_get_string(s), 0))
		return fail(ld, s, path, "%s", phsg_error_last());
	return check_bounds(ld, s, path, out);
}

static int get_decimal(const loader *ld, const config_setting_t *group,
		       const char *path, const char *name, mpq_t out)
{
	const config_setting_t *s;
	char sub[PATH_BUF];
	int rc = member(ld, group, path, name, 1, &s);

	if (rc)
		return rc;
	join(sub, path, name);
	return get_decimal_setting(ld, s, sub, out);
}

static int get_date(const loader *ld, const config_setting_t *group,
		    const char *path, const char *name, phsg_date *out)
{
	const config_setting_t *s;
	char sub[PATH_BUF];
	int rc = member(ld, group, path, name, 1, &s);

	if (rc)
		return rc;
	join(sub, path, name);
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return fail(ld, s, sub, "must be a date string in quotes, e.g. \"2026-04-06\"");
	if (phsg_date_parse(out, config_setting_get_string(s)))
		return fail(ld, s, sub, "%s", phsg_error_last());
	return 0;
}

/* A list `( {...}, ... )` or array `[ ... ]` member, possibly required. */
static int get_list(const loader *ld, const config_setting_t *group, const char *path,
		    const char *name, int required, int want_array,
		    const config_setting_t **out)
{
	char sub[PATH_BUF];
	int rc = member(ld, group, path, name, required, out);

	if (rc || !*out)
		return rc;
	join(sub, path, name);
	if (want_array ? !config_setting_is_array(*out) : !config_setting_is_list(*out))
		return fail(ld, *out, sub, want_array ?
			"must be an array [ \"...\", ... ]" : "must be a list ( { ... }, ... )");
	if (config_setting_length(*out) == 0 && required)
		return fail(ld, *out, sub, "must not be empty");
	return 0;
}

/* ------------------------------------------------------------------ */

static const char *const need_names[] = { "high", "medium", "low" };

const char *phsg_scheme_need_name(phsg_need need)
{
	return need >= 0 && need < PHSG_NEED_COUNT ? need_names[need] : "none";
}

int phsg_scheme_need_parse(phsg_need *out, const char *text)
{
	for (int i = 0; i < PHSG_NEED_COUNT; i++)
		if (strcmp(text, need_names[i]) == 0) {
			*out = (phsg_need)i;
			return 0;
		}
	return phsg_error_set(PHSG_EINVAL,
		"unknown level of need '%s' (expected high, medium or low)", text);
}

static const char *const kind_names[] = {
	[PHSG_COMP_RAS] = "ras", [PHSG_COMP_FIXED] = "fixed",
	[PHSG_COMP_HOURS] = "hours", [PHSG_COMP_CASH] = "cash",
	[PHSG_COMP_TIER] = "tier",
};

const char *phsg_scheme_component_kind_name(phsg_component_kind kind)
{
	return kind >= PHSG_COMP_RAS && kind <= PHSG_COMP_TIER ? kind_names[kind] : "invalid";
}

static const char *const method_names[] = { "direct", "provider", "card" };

int phsg_scheme_method_parse(int *out, const char *text)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(text, method_names[i]) == 0) {
			*out = 1 << i;
			return 0;
		}
	return phsg_error_set(PHSG_EINVAL,
		"unknown payment method '%s' (expected direct, provider or card)", text);
}

const char *phsg_scheme_method_name(int method)
{
	for (int i = 0; i < 3; i++)
		if (method == 1 << i)
			return method_names[i];
	return "invalid";
}

/* ------------------------------------------------------------------ */

static int load_calendar(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	static const char *const keys[] = { "anchor", "lead_days", "roll", "bank_holidays", NULL };
	const config_setting_t *cal, *s;
	phsg_calendar *c = &sc->calendar;
	char *roll = NULL;
	int rc;

	if ((rc = member(ld, root, "", "calendar", 1, &cal)) ||
	    (rc = check_keys(ld, cal, "calendar", keys)) ||
	    (rc = get_date(ld, cal, "calendar", "anchor", &c->anchor)) ||
	    (rc = get_int(ld, cal, "calendar", "lead_days", 1, 0, 27, &c->lead_days)) ||
	    (rc = get_string(ld, cal, "calendar", "roll", 1, &roll)) ||
	    (rc = get_string(ld, cal, "calendar", "bank_holidays", 1, &c->holidays_path)))
		goto cleanup;
	if (strcmp(roll, "previous") == 0) {
		c->roll = PHSG_ROLL_PREVIOUS;
	} else if (strcmp(roll, "next") == 0) {
		c->roll = PHSG_ROLL_NEXT;
	} else {
		s = config_setting_get_member(cal, "roll");
		rc = fail(ld, s, "calendar.roll", "'%s' is not a roll rule (expected previous or next)", roll);
		goto cleanup;
	}
cleanup:
	free(roll);
	return rc;
}

/* Fold a file's bytes into a running FNV-1a 64 hash. */
static void hash_bytes(const char *buf, size_t n, uint64_t *h)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)buf[i];
		*h *= 0x100000001b3ULL;
	}
}

/* The largest scheme or holiday file phsg reads. */
#define SCHEME_FILE_MAX (4u << 20)

/*
 * Read a scheme or holiday file whole, so that what is parsed is what is
 * fingerprinted, and refuse what libconfig should never see: a NUL byte,
 * invalid UTF-8, an @include (SPEC section 12: a scheme is one file, read
 * and fingerprinted whole), or a file past SCHEME_FILE_MAX.  *text is
 * NUL-terminated; *len excludes the terminator.  PHSG_EINVAL with file:line.
 */
static int read_scheme_text(const char *path, char **text, size_t *len)
{
	/* opened without blocking: a FIFO or a device would wait, or never end */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	size_t n = 0, cap = 8192, line = 1;
	struct stat sb;
	FILE *f;
	char *buf;

	*text = NULL;
	if (fd < 0)
		return phsg_error_set(PHSG_EINVAL, "cannot read '%s'", path);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return phsg_error_set(PHSG_EINVAL, "'%s' is not a regular file", path);
	}
	if (!(f = fdopen(fd, "rb"))) {
		close(fd);
		return phsg_error_set(PHSG_EINVAL, "cannot read '%s'", path);
	}
	buf = xcalloc(cap, 1);
	for (;;) {
		size_t got;
		if (n + 1 >= cap) {
			if (cap >= SCHEME_FILE_MAX) {
				fclose(f);
				free(buf);
				return phsg_error_set(PHSG_EINVAL, "%s: larger than %u bytes, the most "
						      "a scheme file may hold", path, SCHEME_FILE_MAX);
			}
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		if (got == 0)
			break;
		n += got;
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return phsg_error_set(PHSG_EINVAL, "cannot read '%s'", path);
	}
	fclose(f);
	buf[n] = '\0';
	for (size_t i = 0, start = 0; i <= n; i++) {
		if (i < n && buf[i] == '\0') {
			free(buf);
			return phsg_error_set(PHSG_EINVAL, "%s:%zu: a NUL byte: not a text file", path, line);
		}
		if (i < n && buf[i] != '\n')
			continue;
		/* one whole line: [start, i) */
		const char *l = buf + start;
		size_t k = 0;
		if (!phsg_text_utf8_valid(l, i - start)) {
			free(buf);
			return phsg_error_set(PHSG_EINVAL, "%s:%zu: not valid UTF-8", path, line);
		}
		/* an escaped NUL would cut a string short where no one sees it */
		for (size_t x = 0; x + 4 <= i - start; x++)
			if (l[x] == '\\' && (l[x + 1] == 'x' || l[x + 1] == 'X') && l[x + 2] == '0' &&
			    l[x + 3] == '0') {
				free(buf);
				return phsg_error_set(PHSG_EINVAL, "%s:%zu: an escaped NUL (\\x00) in a "
						      "string is not allowed", path, line);
			}
		while (k < i - start && (l[k] == ' ' || l[k] == '\t'))
			k++;
		if (i - start - k >= 8 && strncmp(l + k, "@include", 8) == 0) {
			free(buf);
			return phsg_error_set(PHSG_EINVAL, "%s:%zu: @include is not allowed: a scheme is "
					      "one file (and its bank holiday list), read and "
					      "fingerprinted whole", path, line);
		}
		line++;
		start = i + 1;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* libconfig over text read by read_scheme_text; errors as file:line. */
static int parse_scheme_text(config_t *cfg, const char *path, const char *text)
{
	if (config_read_string(cfg, text))
		return 0;
	return phsg_error_set(PHSG_EINVAL, "%s:%d: %s", path, config_error_line(cfg),
			      config_error_text(cfg));
}

static int cmp_date(const void *a, const void *b)
{
	phsg_date x = *(const phsg_date *)a, y = *(const phsg_date *)b;
	return (x > y) - (x < y);
}

/* The holidays file: `dates = [ "YYYY-MM-DD", ... ];`, relative to the scheme. */
static int load_holidays(const loader *scheme_ld, phsg_scheme *sc, const config_setting_t *root)
{
	static const char *const keys[] = { "dates", NULL };
	phsg_calendar *c = &sc->calendar;
	config_t cfg;
	const config_setting_t *dates;
	char *full = NULL, *text = NULL;
	size_t text_len = 0;
	loader ld = { NULL, NULL, 0 };
	int rc = 0;

	if (c->holidays_path[0] == '/') {
		full = xstrdup(c->holidays_path);
	} else {
		const char *slash = strrchr(sc->path, '/');
		size_t dir = slash ? (size_t)(slash - sc->path) + 1 : 0;
		full = xcalloc(dir + strlen(c->holidays_path) + 1, 1);
		memcpy(full, sc->path, dir);
		memcpy(full + dir, c->holidays_path, strlen(c->holidays_path) + 1);
	}
	config_init(&cfg);
	if (access(full, R_OK) != 0) {
		const config_setting_t *s = config_setting_get_member(root, "calendar");
		rc = fail(scheme_ld, s ? config_setting_get_member(s, "bank_holidays") : NULL,
			  "calendar.bank_holidays", "cannot read '%s'", full);
		goto cleanup;
	}
	if ((rc = read_scheme_text(full, &text, &text_len)) ||
	    (rc = parse_scheme_text(&cfg, full, text)))
		goto cleanup;
	ld.file = full;
	if ((rc = check_keys(&ld, config_root_setting(&cfg), "", keys)) ||
	    (rc = get_list(&ld, config_root_setting(&cfg), "", "dates", 1, 1, &dates)))
		goto cleanup;
	c->n_holidays = (size_t)config_setting_length(dates);
	c->holidays = xcalloc(c->n_holidays, sizeof(phsg_date));
	for (size_t i = 0; i < c->n_holidays; i++) {
		const config_setting_t *s = config_setting_get_elem(dates, (unsigned)i);
		char sub[PATH_BUF];

		join_index(sub, "dates", (unsigned)i);
		if (config_setting_type(s) != CONFIG_TYPE_STRING) {
			rc = fail(&ld, s, sub, "must be a date string");
			goto cleanup;
		}
		if (phsg_date_parse(&c->holidays[i], config_setting_get_string(s))) {
			rc = fail(&ld, s, sub, "%s", phsg_error_last());
			goto cleanup;
		}
	}
	if (c->n_holidays)
		qsort(c->holidays, c->n_holidays, sizeof(phsg_date), cmp_date);
	for (size_t i = 1; i < c->n_holidays; i++) {
		if (c->holidays[i] == c->holidays[i - 1]) {
			char d[PHSG_DATE_BUF];
			phsg_date_format(d, c->holidays[i]);
			rc = fail(&ld, dates, "dates", "%s is listed twice", d);
			goto cleanup;
		}
	}
	{
		/* what was parsed, both files */
		uint64_t h = 0xcbf29ce484222325ULL;
		hash_bytes(scheme_ld->text, scheme_ld->text_len, &h);
		hash_bytes(text, text_len, &h);
		snprintf(sc->fingerprint, sizeof(sc->fingerprint), "%016llx", (unsigned long long)h);
	}
	phsg_date_to_ymd(&c->first_year, NULL, NULL, c->holidays[0]);
	phsg_date_to_ymd(&c->last_year, NULL, NULL, c->holidays[c->n_holidays - 1]);
cleanup:
	config_destroy(&cfg);
	free(full);
	free(text);
	return rc;
}

static int load_rates(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	static const char *const keys[] = { "from", "hourly", NULL };
	const config_setting_t *list;
	int rc;

	if ((rc = get_list(ld, root, "", "rates", 1, 0, &list)))
		return rc;
	sc->n_rates = (size_t)config_setting_length(list);
	sc->rates = xcalloc(sc->n_rates, sizeof(phsg_rate));
	for (size_t i = 0; i < sc->n_rates; i++)
		mpq_init(sc->rates[i].hourly);
	for (size_t i = 0; i < sc->n_rates; i++) {
		const config_setting_t *r = config_setting_get_elem(list, (unsigned)i);
		char path[PATH_BUF];

		join_index(path, "rates", (unsigned)i);
		if ((rc = check_keys(ld, r, path, keys)) ||
		    (rc = get_date(ld, r, path, "from", &sc->rates[i].from)) ||
		    (rc = get_decimal(ld, r, path, "hourly", sc->rates[i].hourly)))
			return rc;
		if (i > 0 && sc->rates[i].from <= sc->rates[i - 1].from) {
			char a[PHSG_DATE_BUF], b[PHSG_DATE_BUF];
			phsg_date_format(a, sc->rates[i].from);
			phsg_date_format(b, sc->rates[i - 1].from);
			return fail(ld, r, path,
				"rate from %s overlaps the rate from %s: list rates in date order, one per date",
				a, b);
		}
	}
	return 0;
}

static int load_interventions(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	static const char *const keys[] = { "id", "name", "hours", NULL };
	static const char *const levels[] = { "high", "medium", "low", NULL };
	const config_setting_t *list;
	int rc;

	if ((rc = get_list(ld, root, "", "interventions", 0, 0, &list)) || !list)
		return rc;
	sc->n_interventions = (size_t)config_setting_length(list);
	sc->interventions = xcalloc(sc->n_interventions, sizeof(phsg_intervention));
	for (size_t i = 0; i < sc->n_interventions; i++)
		for (int l = 0; l < PHSG_NEED_COUNT; l++)
			mpq_init(sc->interventions[i].hours[l]);
	for (size_t i = 0; i < sc->n_interventions; i++) {
		const config_setting_t *iv = config_setting_get_elem(list, (unsigned)i), *hours;
		phsg_intervention *it = &sc->interventions[i];
		char path[PATH_BUF], hpath[PATH_BUF];

		join_index(path, "interventions", (unsigned)i);
		join(hpath, path, "hours");
		if ((rc = check_keys(ld, iv, path, keys)) ||
		    (rc = get_string(ld, iv, path, "id", 1, &it->id)) ||
		    (rc = get_string(ld, iv, path, "name", 1, &it->name)) ||
		    (rc = member(ld, iv, path, "hours", 1, &hours)) ||
		    (rc = check_keys(ld, hours, hpath, levels)))
			return rc;
		for (int l = 0; l < PHSG_NEED_COUNT; l++)
			if ((rc = get_decimal(ld, hours, hpath, need_names[l], it->hours[l])))
				return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(sc->interventions[j].id, it->id) == 0)
				return fail(ld, iv, path, "duplicate intervention id '%s'", it->id);
	}
	return 0;
}

/* period_months and extendable_to_months, in a package or a level. */
static int load_term(const loader *ld, const config_setting_t *g, const char *path, phsg_term *t)
{
	const config_setting_t *ext;
	char sub[PATH_BUF];
	int rc;

	if ((rc = get_int(ld, g, path, "period_months", 1, 1, 1200, &t->period_months)) ||
	    (rc = member(ld, g, path, "extendable_to_months", 1, &ext)))
		return rc;
	join(sub, path, "extendable_to_months");
	if (config_setting_type(ext) == CONFIG_TYPE_STRING) {
		if (strcmp(config_setting_get_string(ext), "unlimited") != 0)
			return fail(ld, ext, sub, "must be a number of months or \"unlimited\"");
		t->extendable_months = PHSG_UNLIMITED;
		return 0;
	}
	if ((rc = get_int(ld, g, path, "extendable_to_months", 1, 1, 1200, &t->extendable_months)))
		return rc;
	if (t->extendable_months < t->period_months)
		return fail(ld, ext, sub, "%d months is shorter than the period of %d months",
			    t->extendable_months, t->period_months);
	return 0;
}

static int load_component(const loader *ld, const phsg_package *pkg,
			  const config_setting_t *c, const char *path, phsg_component *comp)
{
	static const char *const keys[][4] = {
		[PHSG_COMP_RAS] = { "id", "kind", "payee", NULL },
		[PHSG_COMP_FIXED] = { "id", "kind", "weekly", "payee" },
		[PHSG_COMP_HOURS] = { "id", "kind", "max_weekly_hours", "payee" },
		[PHSG_COMP_CASH] = { "id", "kind", "per_cycle", "payee" },
		[PHSG_COMP_TIER] = { "id", "kind", "payee", NULL },
	};
	static const char *const amount_key[] = {
		[PHSG_COMP_FIXED] = "weekly", [PHSG_COMP_HOURS] = "max_weekly_hours",
		[PHSG_COMP_CASH] = "per_cycle",
	};
	char *kind = NULL;
	int rc;

	if (!config_setting_is_group(c))
		return fail(ld, c, path, "must be a group { ... }");
	if ((rc = get_string(ld, c, path, "id", 1, &comp->id)) ||
	    (rc = get_string(ld, c, path, "kind", 1, &kind)))
		goto cleanup;
	for (int k = PHSG_COMP_RAS; k <= PHSG_COMP_TIER; k++)
		if (strcmp(kind, kind_names[k]) == 0)
			comp->kind = (phsg_component_kind)k;
	if (comp->kind == PHSG_COMP_INVALID) {
		char sub[PATH_BUF];
		join(sub, path, "kind");
		rc = fail(ld, config_setting_get_member(c, "kind"), sub,
			  "unknown component kind '%s' (expected ras, fixed, hours, cash or tier)", kind);
		goto cleanup;
	}
	const char *allowed[5] = { 0 };
	memcpy(allowed, keys[comp->kind], sizeof(keys[comp->kind]));
	if ((rc = check_keys(ld, c, path, allowed)) ||
	    (rc = get_string(ld, c, path, "payee", 0, &comp->payee)))
		goto cleanup;
	if (amount_key[comp->kind] &&
	    (rc = get_decimal(ld, c, path, amount_key[comp->kind], comp->amount)))
		goto cleanup;
	if (comp->kind == PHSG_COMP_RAS && pkg->n_interventions == 0)
		rc = fail(ld, c, path, "a ras component needs the package to list interventions");
	else if (comp->kind == PHSG_COMP_TIER && pkg->n_tiers == 0)
		rc = fail(ld, c, path, "a tier component needs the package to list tiers");
cleanup:
	free(kind);
	return rc;
}

static int load_package(const loader *ld, phsg_scheme *sc, const config_setting_t *p,
			const char *path, phsg_package *pkg)
{
	static const char *const keys[] = { "id", "name", "interventions", "period_months",
		"extendable_to_months", "levels", "components", "tiers", NULL };
	static const char *const level_keys[] = { "level", "period_months", "extendable_to_months", NULL };
	static const char *const tier_keys[] = { "tier", "name", "weekly", NULL };
	const config_setting_t *ivs, *levels, *comps, *tiers;
	char sub[PATH_BUF], elem[PATH_BUF];
	int rc;

	if ((rc = check_keys(ld, p, path, keys)) ||
	    (rc = get_string(ld, p, path, "id", 1, &pkg->id)) ||
	    (rc = get_string(ld, p, path, "name", 1, &pkg->name)) ||
	    (rc = get_list(ld, p, path, "interventions", 0, 1, &ivs)) ||
	    (rc = get_list(ld, p, path, "levels", 0, 0, &levels)) ||
	    (rc = get_list(ld, p, path, "components", 0, 0, &comps)) ||
	    (rc = get_list(ld, p, path, "tiers", 0, 0, &tiers)))
		return rc;

	/* interventions: ids the scheme defines, each once */
	if (ivs) {
		join(sub, path, "interventions");
		pkg->n_interventions = (size_t)config_setting_length(ivs);
		pkg->interventions = xcalloc(pkg->n_interventions, sizeof(size_t));
		for (size_t i = 0; i < pkg->n_interventions; i++) {
			const config_setting_t *s = config_setting_get_elem(ivs, (unsigned)i);
			const char *id = config_setting_type(s) == CONFIG_TYPE_STRING ?
				config_setting_get_string(s) : NULL;
			long idx = id ? phsg_scheme_intervention(sc, id) : -1;

			join_index(elem, sub, (unsigned)i);
			if (!id)
				return fail(ld, s, elem, "must be an intervention id string");
			if (idx < 0)
				return fail(ld, s, elem, "unknown intervention '%s'", id);
			for (size_t j = 0; j < i; j++)
				if (pkg->interventions[j] == (size_t)idx)
					return fail(ld, s, elem, "intervention '%s' is listed twice", id);
			pkg->interventions[i] = (size_t)idx;
		}
	}

	/* the term: either on the package or per level, not both */
	if (levels) {
		if (config_setting_get_member(p, "period_months") ||
		    config_setting_get_member(p, "extendable_to_months"))
			return fail(ld, p, path,
				"a package with levels sets period_months and extendable_to_months per level, not on the package");
		join(sub, path, "levels");
		pkg->n_levels = (size_t)config_setting_length(levels);
		pkg->levels = xcalloc(pkg->n_levels, sizeof(phsg_term));
		for (size_t i = 0; i < pkg->n_levels; i++) {
			const config_setting_t *l = config_setting_get_elem(levels, (unsigned)i);
			join_index(elem, sub, (unsigned)i);
			if ((rc = check_keys(ld, l, elem, level_keys)) ||
			    (rc = get_int(ld, l, elem, "level", 1, 1, 99, &pkg->levels[i].level)) ||
			    (rc = load_term(ld, l, elem, &pkg->levels[i])))
				return rc;
			for (size_t j = 0; j < i; j++)
				if (pkg->levels[j].level == pkg->levels[i].level)
					return fail(ld, l, elem, "level %d is listed twice", pkg->levels[i].level);
		}
	} else if ((rc = load_term(ld, p, path, &pkg->term))) {
		return rc;
	}

	/* tiers: 1, 2, 3 ... in order, each costing no less than the one below */
	if (tiers) {
		join(sub, path, "tiers");
		pkg->n_tiers = (size_t)config_setting_length(tiers);
		pkg->tiers = xcalloc(pkg->n_tiers, sizeof(phsg_tier));
		for (size_t i = 0; i < pkg->n_tiers; i++)
			mpq_init(pkg->tiers[i].weekly);
		for (size_t i = 0; i < pkg->n_tiers; i++) {
			const config_setting_t *t = config_setting_get_elem(tiers, (unsigned)i);
			phsg_tier *tr = &pkg->tiers[i];
			join_index(elem, sub, (unsigned)i);
			if ((rc = check_keys(ld, t, elem, tier_keys)) ||
			    (rc = get_int(ld, t, elem, "tier", 1, 1, 99, &tr->tier)) ||
			    (rc = get_string(ld, t, elem, "name", 1, &tr->name)) ||
			    (rc = get_decimal(ld, t, elem, "weekly", tr->weekly)))
				return rc;
			if (tr->tier != (int)i + 1)
				return fail(ld, t, elem,
					"tier %d is out of order: tiers are listed 1, 2, 3 ... (expected tier %zu here)",
					tr->tier, i + 1);
			if (i > 0 && mpq_cmp(tr->weekly, pkg->tiers[i - 1].weekly) < 0)
				return fail(ld, t, elem,
					"tier %d costs less than tier %zu: a higher tier cannot cost less",
					tr->tier, i);
		}
	}

	/* components: explicit, or the one implicit component */
	if (comps) {
		join(sub, path, "components");
		pkg->n_components = (size_t)config_setting_length(comps);
		pkg->components = xcalloc(pkg->n_components, sizeof(phsg_component));
		for (size_t i = 0; i < pkg->n_components; i++)
			mpq_init(pkg->components[i].amount);
		for (size_t i = 0; i < pkg->n_components; i++) {
			const config_setting_t *c = config_setting_get_elem(comps, (unsigned)i);
			phsg_component *comp = &pkg->components[i];
			join_index(elem, sub, (unsigned)i);
			if ((rc = load_component(ld, pkg, c, elem, comp)))
				return rc;
			for (size_t j = 0; j < i; j++) {
				if (strcmp(pkg->components[j].id, comp->id) == 0)
					return fail(ld, c, elem, "duplicate component id '%s'", comp->id);
				if (pkg->components[j].kind == comp->kind &&
				    (comp->kind == PHSG_COMP_RAS || comp->kind == PHSG_COMP_HOURS ||
				     comp->kind == PHSG_COMP_TIER))
					return fail(ld, c, elem, "a package has at most one %s component",
						    kind_names[comp->kind]);
			}
		}
	} else {
		pkg->n_components = 1;
		pkg->components = xcalloc(1, sizeof(phsg_component));
		mpq_init(pkg->components[0].amount);
		pkg->components[0].kind = pkg->n_tiers ? PHSG_COMP_TIER : PHSG_COMP_RAS;
		pkg->components[0].id = xstrdup(pkg->n_tiers ? "tier" : "ras");
		if (pkg->n_tiers == 0 && pkg->n_interventions == 0)
			return fail(ld, p, path,
				"a package needs interventions, tiers or components to have anything to fund");
	}
	if (pkg->n_interventions && !phsg_scheme_package_component_of_kind(pkg, PHSG_COMP_RAS))
		return fail(ld, p, path, "lists interventions but has no ras component to fund them");
	if (pkg->n_tiers && !phsg_scheme_package_component_of_kind(pkg, PHSG_COMP_TIER))
		return fail(ld, p, path, "lists tiers but has no tier component to fund them");
	return 0;
}

static int load_packages(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	const config_setting_t *list;
	int rc;

	if ((rc = get_list(ld, root, "", "packages", 1, 0, &list)))
		return rc;
	sc->n_packages = (size_t)config_setting_length(list);
	sc->packages = xcalloc(sc->n_packages, sizeof(phsg_package));
	for (size_t i = 0; i < sc->n_packages; i++) {
		const config_setting_t *p = config_setting_get_elem(list, (unsigned)i);
		char path[PATH_BUF];

		join_index(path, "packages", (unsigned)i);
		if ((rc = load_package(ld, sc, p, path, &sc->packages[i])))
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(sc->packages[j].id, sc->packages[i].id) == 0)
				return fail(ld, p, path, "duplicate package id '%s'", sc->packages[i].id);
	}
	return 0;
}

static int load_methods(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	const config_setting_t *list;
	int rc;

	if ((rc = get_list(ld, root, "", "payment_methods", 1, 1, &list)))
		return rc;
	for (int i = 0; i < config_setting_length(list); i++) {
		const config_setting_t *s = config_setting_get_elem(list, (unsigned)i);
		char path[PATH_BUF];
		int m = 0;

		join_index(path, "payment_methods", (unsigned)i);
		if (config_setting_type(s) != CONFIG_TYPE_STRING)
			return fail(ld, s, path, "must be a string");
		if (phsg_scheme_method_parse(&m, config_setting_get_string(s)))
			return fail(ld, s, path, "%s", phsg_error_last());
		if (sc->methods & m)
			return fail(ld, s, path, "'%s' is listed twice", phsg_scheme_method_name(m));
		sc->methods |= m;
	}
	return 0;
}

static int load_finance(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	static const char *const keys[] = { "service_user_number", "name", "sort_code", "account", NULL };
	const config_setting_t *g = config_setting_get_member(root, "finance");
	phsg_finance *f = &sc->finance;
	int rc;

	if (!g)
		return 0;
	if ((rc = check_keys(ld, g, "finance", keys)) ||
	    (rc = get_string(ld, g, "finance", "service_user_number", 1, &f->service_user_number)) ||
	    (rc = get_string(ld, g, "finance", "name", 1, &f->name)) ||
	    (rc = get_string(ld, g, "finance", "sort_code", 1, &f->sort_code)) ||
	    (rc = get_string(ld, g, "finance", "account", 1, &f->account)))
		return rc;
	if (!phsg_digits(f->service_user_number, 6))
		return fail(ld, config_setting_get_member(g, "service_user_number"),
			    "finance.service_user_number", "must be 6 digits");
	if (!phsg_digits(f->sort_code, 6))
		return fail(ld, config_setting_get_member(g, "sort_code"), "finance.sort_code",
			    "must be 6 digits");
	if (!phsg_digits(f->account, 8))
		return fail(ld, config_setting_get_member(g, "account"), "finance.account",
			    "must be 8 digits");
	f->present = 1;
	return 0;
}

int phsg_scheme_budget_parse(mpq_t out, const char *text)
{
	mpq_t most;
	int over;

	if (text[0] == '-')
		return phsg_error_set(PHSG_EINVAL, "'%s' is negative: a budget is at least 0.00", text);
	if (phsg_money_parse(out, text, PHSG_MONEY_PENCE))
		return PHSG_EINVAL;
	mpq_init(most);
	mpq_set_str(most, PHSG_BUDGET_MAX_PENCE "/100", 10);
	over = mpq_cmp(out, most) > 0;
	mpq_clear(most);
	if (over)
		return phsg_error_set(PHSG_EINVAL, "%s is more than 999,999,999,999.99, the largest budget",
				      text);
	return 0;
}

static int cmp_budget(const void *a, const void *b)
{
	int x = ((const phsg_budget *)a)->year, y = ((const phsg_budget *)b)->year;
	return (x > y) - (x < y);
}

/*
 * budgets = { y2026 = "15359116.00"; ... };  optional (SPEC section 13): a
 * key is y and the four digits of the year the financial year starts in.
 */
static int load_budgets(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	const config_setting_t *g = config_setting_get_member(root, "budgets");
	char sub[PATH_BUF];

	if (!g)
		return 0;
	if (!config_setting_is_group(g))
		return fail(ld, g, "budgets", "must be a group { y2026 = \"15359116.00\"; ... }: "
			    "a budget for each financial year, named by the year it starts in");
	sc->n_budgets = (size_t)config_setting_length(g);
	sc->budgets = xcalloc(sc->n_budgets, sizeof(phsg_budget));
	for (size_t i = 0; i < sc->n_budgets; i++)
		mpq_init(sc->budgets[i].amount);
	for (size_t i = 0; i < sc->n_budgets; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		const char *name = config_setting_name(s);
		phsg_budget *b = &sc->budgets[i];
		int year = 0, ok = name[0] == 'y' && strlen(name) == 5;

		join(sub, "budgets", name);
		for (int k = 1; ok && k < 5; k++) {
			ok = name[k] >= '0' && name[k] <= '9';
			year = year * 10 + (name[k] - '0');
		}
		if (!ok)
			return fail(ld, s, sub, "unknown setting '%s': a budget is named y and the year "
				    "its financial year starts in (y2026 for 2026-27)", name);
		if (year < 1900 || year > 9998)
			return fail(ld, s, sub, "financial years run from y1900 to y9998");
		b->year = year;
		switch (config_setting_type(s)) {
		case CONFIG_TYPE_STRING:
			break;
		case CONFIG_TYPE_FLOAT:
			return fail(ld, s, sub, "is written as a float; floats cannot hold pence exactly: "
				    "write it as a decimal string in quotes, e.g. \"15359116.00\"");
		default:
			return fail(ld, s, sub, "must be a decimal string in quotes, e.g. \"15359116.00\"");
		}
		if (phsg_scheme_budget_parse(b->amount, config_setting_get_string(s)))
			return fail(ld, s, sub, "%s", phsg_error_last());
	}
	/* libconfig refuses a name given twice in a group, so each year is there once */
	if (sc->n_budgets)
		qsort(sc->budgets, sc->n_budgets, sizeof(phsg_budget), cmp_budget);
	return 0;
}

/* An optional true/false setting. */
static int get_bool(const loader *ld, const config_setting_t *group, const char *path,
		    const char *name, int *out)
{
	const config_setting_t *s = config_setting_get_member(group, name);
	char sub[PATH_BUF];

	*out = 0;
	if (!s)
		return 0;
	join(sub, path, name);
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(ld, s, sub, "must be true or false");
	*out = config_setting_get_bool(s);
	return 0;
}

/* SPEC section 13: outcome areas, the ways a grant is used, review timings. */
static int load_outcomes(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	static const char *const keys[] = { "first_review_weeks", "review_months", "sustain_months",
		"extend_needs_review_days", "areas", "ways", NULL };
	static const char *const area_keys[] = { "id", "name", "theme", NULL };
	static const char *const way_keys[] = { "id", "name", "accredited_provider",
		"needs_social_care", NULL };
	const config_setting_t *g = config_setting_get_member(root, "outcomes"), *list;
	phsg_outcomes *o = &sc->outcomes;
	char path[PATH_BUF];
	int rc;

	if (!g)
		return 0;
	if ((rc = check_keys(ld, g, "outcomes", keys)) ||
	    (rc = get_int(ld, g, "outcomes", "first_review_weeks", 1, 1, 520, &o->first_review_weeks)) ||
	    (rc = get_int(ld, g, "outcomes", "review_months", 1, 1, 120, &o->review_months)) ||
	    (rc = get_int(ld, g, "outcomes", "sustain_months", 1, 0, 120, &o->sustain_months)) ||
	    (rc = get_int(ld, g, "outcomes", "extend_needs_review_days", 0, 1, 3650,
			  &o->extend_needs_review_days)) ||
	    (rc = get_list(ld, g, "outcomes", "areas", 1, 0, &list)))
		return rc;
	o->n_areas = (size_t)config_setting_length(list);
	o->areas = xcalloc(o->n_areas, sizeof(phsg_outcome_area));
	for (size_t i = 0; i < o->n_areas; i++) {
		const config_setting_t *a = config_setting_get_elem(list, (unsigned)i);
		join_index(path, "outcomes.areas", (unsigned)i);
		if ((rc = check_keys(ld, a, path, area_keys)) ||
		    (rc = get_string(ld, a, path, "id", 1, &o->areas[i].id)) ||
		    (rc = get_string(ld, a, path, "name", 1, &o->areas[i].name)) ||
		    (rc = get_string(ld, a, path, "theme", 1, &o->areas[i].theme)))
			return rc;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(o->areas[k].id, o->areas[i].id))
				return fail(ld, a, path, "duplicate area id '%s'", o->areas[i].id);
	}
	if ((rc = get_list(ld, g, "outcomes", "ways", 1, 0, &list)))
		return rc;
	o->n_ways = (size_t)config_setting_length(list);
	o->ways = xcalloc(o->n_ways, sizeof(phsg_way));
	for (size_t i = 0; i < o->n_ways; i++) {
		const config_setting_t *w = config_setting_get_elem(list, (unsigned)i);
		join_index(path, "outcomes.ways", (unsigned)i);
		if ((rc = check_keys(ld, w, path, way_keys)) ||
		    (rc = get_string(ld, w, path, "id", 1, &o->ways[i].id)) ||
		    (rc = get_string(ld, w, path, "name", 1, &o->ways[i].name)) ||
		    (rc = get_bool(ld, w, path, "accredited_provider", &o->ways[i].accredited_provider)) ||
		    (rc = get_bool(ld, w, path, "needs_social_care", &o->ways[i].needs_social_care)))
			return rc;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(o->ways[k].id, o->ways[i].id))
				return fail(ld, w, path, "duplicate way id '%s'", o->ways[i].id);
	}
	o->present = 1;
	return 0;
}

const phsg_outcome_area *phsg_scheme_area(const phsg_scheme *sc, const char *id)
{
	for (size_t i = 0; i < sc->outcomes.n_areas; i++)
		if (!strcmp(sc->outcomes.areas[i].id, id))
			return &sc->outcomes.areas[i];
	return NULL;
}

const phsg_way *phsg_scheme_way(const phsg_scheme *sc, const char *id)
{
	for (size_t i = 0; i < sc->outcomes.n_ways; i++)
		if (!strcmp(sc->outcomes.ways[i].id, id))
			return &sc->outcomes.ways[i];
	return NULL;
}

/* Scheme-fixed payees name no package; a payee on a component must be a reference. */
static int load_top(const loader *ld, phsg_scheme *sc, const config_setting_t *root)
{
	static const char *const keys[] = { "scheme", "currency", "rounding", "calendar", "rates",
		"interventions", "packages", "payment_methods", "finance", "outcomes", "budgets",
		NULL };
	char *rounding = NULL;
	int rc;

	if ((rc = check_keys(ld, root, "", keys)) ||
	    (rc = get_string(ld, root, "", "scheme", 1, &sc->name)) ||
	    (rc = get_string(ld, root, "", "currency", 1, &sc->currency)) ||
	    (rc = get_string(ld, root, "", "rounding", 0, &rounding)))
		goto cleanup;
	if (strcmp(sc->currency, "GBP") != 0) {
		rc = fail(ld, config_setting_get_member(root, "currency"), "currency",
			  "'%s' is not supported (phsg pays in GBP)", sc->currency);
		goto cleanup;
	}
	sc->rounding = PHSG_ROUND_HALF_UP;
	if (rounding && phsg_money_rounding_parse(&sc->rounding, rounding)) {
		rc = fail(ld, config_setting_get_member(root, "rounding"), "rounding", "%s",
			  phsg_error_last());
		goto cleanup;
	}
	if ((rc = load_calendar(ld, sc, root)) ||
	    (rc = load_holidays(ld, sc, root)) ||
	    (rc = load_rates(ld, sc, root)) ||
	    (rc = load_interventions(ld, sc, root)) ||
	    (rc = load_packages(ld, sc, root)) ||
	    (rc = load_methods(ld, sc, root)) ||
	    (rc = load_finance(ld, sc, root)) ||
	    (rc = load_outcomes(ld, sc, root)) ||
	    (rc = load_budgets(ld, sc, root)))
		goto cleanup;
cleanup:
	free(rounding);
	return rc;
}

int phsg_scheme_load(phsg_scheme **out, const char *path)
{
	phsg_scheme *sc = xcalloc(1, sizeof(*sc));
	loader ld = { path, NULL, 0 };
	config_t cfg;
	int rc;

	*out = NULL;
	sc->path = xstrdup(path);
	config_init(&cfg);
	if (access(path, R_OK) != 0) {
		rc = phsg_error_set(PHSG_EINVAL, "cannot read scheme file '%s'", path);
		goto cleanup;
	}
	if ((rc = read_scheme_text(path, &ld.text, &ld.text_len)) ||
	    (rc = parse_scheme_text(&cfg, path, ld.text)))
		goto cleanup;
	rc = load_top(&ld, sc, config_root_setting(&cfg));
cleanup:
	free(ld.text);
	config_destroy(&cfg);
	if (rc)
		phsg_scheme_free(sc);
	else
		*out = sc;
	return rc;
}

void phsg_scheme_free(phsg_scheme *sc)
{
	if (!sc)
		return;
	free(sc->path);
	free(sc->name);
	free(sc->currency);
	free(sc->calendar.holidays_path);
	free(sc->calendar.holidays);
	for (size_t i = 0; sc->rates && i < sc->n_rates; i++)
		mpq_clear(sc->rates[i].hourly);
	free(sc->rates);
	for (size_t i = 0; sc->interventions && i < sc->n_interventions; i++) {
		free(sc->interventions[i].id);
		free(sc->interventions[i].name);
		for (int l = 0; l < PHSG_NEED_COUNT; l++)
			mpq_clear(sc->interventions[i].hours[l]);
	}
	free(sc->interventions);
	for (size_t i = 0; sc->packages && i < sc->n_packages; i++) {
		phsg_package *p = &sc->packages[i];
		free(p->id);
		free(p->name);
		free(p->interventions);
		free(p->levels);
		for (size_t c = 0; p->components && c < p->n_components; c++) {
			free(p->components[c].id);
			free(p->components[c].payee);
			mpq_clear(p->components[c].amount);
		}
		free(p->components);
		for (size_t t = 0; p->tiers && t < p->n_tiers; t++) {
			free(p->tiers[t].name);
			mpq_clear(p->tiers[t].weekly);
		}
		free(p->tiers);
	}
	free(sc->packages);
	for (size_t i = 0; sc->outcomes.areas && i < sc->outcomes.n_areas; i++) {
		free(sc->outcomes.areas[i].id);
		free(sc->outcomes.areas[i].name);
		free(sc->outcomes.areas[i].theme);
	}
	free(sc->outcomes.areas);
	for (size_t i = 0; sc->outcomes.ways && i < sc->outcomes.n_ways; i++) {
		free(sc->outcomes.ways[i].id);
		free(sc->outcomes.ways[i].name);
	}
	free(sc->outcomes.ways);
	free(sc->finance.service_user_number);
	free(sc->finance.name);
	free(sc->finance.sort_code);
	free(sc->finance.account);
	for (size_t i = 0; sc->budgets && i < sc->n_budgets; i++)
		mpq_clear(sc->budgets[i].amount);
	free(sc->budgets);
	free(sc);
}

/* ------------------------------------------------------------------ */

const phsg_package *phsg_scheme_package(const phsg_scheme *sc, const char *id)
{
	for (size_t i = 0; i < sc->n_packages; i++)
		if (strcmp(sc->packages[i].id, id) == 0)
			return &sc->packages[i];
	return NULL;
}

const phsg_budget *phsg_scheme_budget(const phsg_scheme *sc, int year)
{
	for (size_t i = 0; i < sc->n_budgets; i++)
		if (sc->budgets[i].year == year)
			return &sc->budgets[i];
	return NULL;
}

long phsg_scheme_intervention(const phsg_scheme *sc, const char *id)
{
	for (size_t i = 0; i < sc->n_interventions; i++)
		if (strcmp(sc->interventions[i].id, id) == 0)
			return (long)i;
	return -1;
}

int phsg_scheme_rate_at(size_t *index, const phsg_scheme *sc, phsg_date day)
{
	size_t lo = 0, hi = sc->n_rates;

	/* the first rate whose from is after day */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sc->rates[mid].from <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		char d[PHSG_DATE_BUF], f[PHSG_DATE_BUF];
		phsg_date_format(d, day);
		phsg_date_format(f, sc->rates[0].from);
		return phsg_error_set(PHSG_EINVAL,
			"no hourly rate is in force on %s (the first rate is from %s)", d, f);
	}
	*index = lo - 1;
	return 0;
}

int phsg_scheme_package_term(const phsg_term **out, const phsg_package *pkg, int level)
{
	if (pkg->n_levels == 0) {
		if (level != 0)
			return phsg_error_set(PHSG_EINVAL,
				"package '%s' has no levels (--level %d given)", pkg->id, level);
		*out = &pkg->term;
		return 0;
	}
	if (level == 0)
		return phsg_error_set(PHSG_EINVAL,
			"package '%s' needs a level (--level N)", pkg->id);
	for (size_t i = 0; i < pkg->n_levels; i++)
		if (pkg->levels[i].level == level) {
			*out = &pkg->levels[i];
			return 0;
		}
	return phsg_error_set(PHSG_EINVAL, "package '%s' has no level %d", pkg->id, level);
}

const phsg_component *phsg_scheme_package_component(const phsg_package *pkg, const char *id)
{
	for (size_t i = 0; i < pkg->n_components; i++)
		if (strcmp(pkg->components[i].id, id) == 0)
			return &pkg->components[i];
	return NULL;
}

const phsg_component *phsg_scheme_package_component_of_kind(const phsg_package *pkg,
						     phsg_component_kind kind)
{
	for (size_t i = 0; i < pkg->n_components; i++)
		if (pkg->components[i].kind == kind)
			return &pkg->components[i];
	return NULL;
}

int phsg_scheme_package_has_intervention(const phsg_package *pkg, size_t index)
{
	for (size_t i = 0; i < pkg->n_interventions; i++)
		if (pkg->interventions[i] == index)
			return 1;
	return 0;
}

int phsg_scheme_calendar_is_working_day(int *working, const phsg_calendar *cal, phsg_date day)
{
	int year;
	size_t lo = 0, hi = cal->n_holidays;

	phsg_date_to_ymd(&year, NULL, NULL, day);
	if (year < cal->first_year || year > cal->last_year)
		return phsg_error_set(PHSG_EINVAL,
			"the bank holiday list '%s' covers %d to %d, not %d: add %d's bank holidays",
			cal->holidays_path, cal->first_year, cal->last_year, year, year);
	if (phsg_date_weekday(day) >= 5) {
		*working = 0;
		return 0;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	*working = !(lo < cal->n_holidays && cal->holidays[lo] == day);
	return 0;
}

int phsg_scheme_calendar_roll(phsg_date *out, const phsg_calendar *cal, phsg_date day)
{
	int working = 0, rc;

	while ((rc = phsg_scheme_calendar_is_working_day(&working, cal, day)) == 0 && !working)
		day += cal->roll == PHSG_ROLL_NEXT ? 1 : -1;
	if (rc == 0)
		*out = day;
	return rc;
}
