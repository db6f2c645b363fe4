/*
 * common.c - helpers shared by the subcommands: errors, numbers, formats,
 * JSON values, and the assessment options of quote and award create.
 */
#include <csv.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

int cli_fail(int code)
{
	fprintf(stderr, "phsg: error: %s\n", cli_shown(phsg_error_last()));
	return phsg_error_exit_status(code);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("phsg: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int cli_load_scheme(const cli_globals *g, phsg_scheme **out)
{
	int rc = phsg_scheme_load(out, g->config_path);
	return rc ? cli_fail(rc) : EXIT_OK;
}

int cli_parse_int(const char *opt, const char *text, int min, int max, int *out)
{
	long v = 0;
	const char *p = text;

	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 100000000)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v < min || v > max)
		return cli_usage_error("%s %s is out of range (%d to %d)", opt, text, min, max);
	*out = (int)v;
	return EXIT_OK;
bad:
	return cli_usage_error("%s takes a whole number, not '%s'", opt, text);
}

int cli_parse_format(const char *text, const char *const *allowed, const char **out)
{
	for (const char *const *a = allowed; *a; a++)
		if (strcmp(text, *a) == 0) {
			*out = *a;
			return EXIT_OK;
		}
	return cli_usage_error("unknown format '%s'", text);
}

/*
 * A figure too long to print (impossible within the scheme's bounds, SPEC
 * section 12) is never printed as something else: the command notes it
 * and main() ends it with an error and exit 3.
 */
static _Thread_local int format_failed; /* per thread: phsg serve answers on several */

void cli_check_format(int rc)
{
	if (rc && !format_failed) {
		format_failed = 1;
		fprintf(stderr, "phsg: error: %s\n", cli_shown(phsg_error_last()));
	}
}

int cli_format_failed(void)
{
	return format_failed;
}

void cli_format_reset(void)
{
	format_failed = 0;
}

json_t *cli_json_pence(const mpz_t pence)
{
	char buf[PHSG_NUM_BUF];
	cli_check_format(phsg_money_format_pence(buf, sizeof(buf), pence));
	return cli_json_str(buf);
}

json_t *cli_json_money(const phsg_scheme *sc, const mpq_t x)
{
	mpz_t p;
	json_t *j;

	mpz_init(p);
	phsg_money_round_pence(p, NULL, x, sc->rounding);
	j = cli_json_pence(p);
	mpz_clear(p);
	return j;
}

json_t *cli_json_exact(const mpq_t x)
{
	char buf[PHSG_NUM_BUF];
	cli_check_format(phsg_money_format(buf, sizeof(buf), x, 0));
	return cli_json_str(buf);
}

json_t *cli_json_date(phsg_date d)
{
	char buf[PHSG_DATE_BUF];
	phsg_date_format(buf, d);
	return cli_json_str(buf);
}

int cli_print_json(json_t *doc)
{
	int rc = json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(doc);
	return rc == 0 ? EXIT_OK : EXIT_LEDGER;
}

int cli_assessment_from_opts(const phsg_scheme *sc, const cli_assessment_opts *o,
			     phsg_assessment *a)
{
	int rc;

	phsg_alloc_assessment_init(a, sc);
	if (!o->package)
		return phsg_error_set(PHSG_EINVAL, "--package ID is required");
	a->package = phsg_scheme_package(sc, o->package);
	if (!a->package)
		return phsg_error_set(PHSG_EINVAL, "unknown package '%s' in %s", o->package, sc->path);
	a->level = o->level;
	a->tier = o->tier;
	a->chosen_tier = o->chosen_tier;
	if (o->hours) {
		if ((rc = phsg_money_parse(a->hours, o->hours, 0)))
			return rc;
		a->has_hours = 1;
	}
	for (int i = 0; i < o->n_needs; i++)
		if ((rc = phsg_alloc_assessment_set_need(a, sc, o->needs[i])))
			return rc;
	return phsg_alloc_assessment_validate(a, sc);
}

int cli_build_assessment(const phsg_scheme *sc, const cli_assessment_opts *o,
			 phsg_assessment *a)
{
	int rc = cli_assessment_from_opts(sc, o, a);
	return rc ? cli_fail(rc) : EXIT_OK;
}

/*
 * Make the folders above `path` that are missing, each 0700 (the XDG base
 * directory specification's mode for a data folder it creates).  A failure
 * is left for opening the ledger to report, naming the path.
 */
static void make_parent_dirs(const char *path)
{
	char *dir = strdup(path);

	if (!dir)
		return;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(dir);
}

int cli_open_ledger(const cli_globals *g, phsg_ledger **out, int mode)
{
	int rc;

	if (g->make_ledger_dir && mode == PHSG_LEDGER_CREATE)
		make_parent_dirs(g->ledger_path);
	rc = phsg_ledger_open(out, g->ledger_path, g->operator_name, mode);
	return rc ? cli_fail(rc) : EXIT_OK;
}

int cli_open_both(const cli_globals *g, phsg_scheme **sc, phsg_ledger **l, int mode)
{
	int rc;

	*sc = NULL;
	*l = NULL;
	if ((rc = cli_load_scheme(g, sc)))
		return rc;
	if ((rc = cli_open_ledger(g, l, mode))) {
		phsg_scheme_free(*sc);
		*sc = NULL;
	}
	return rc;
}

int cli_json_put_pair(json_t *obj, const char *spec, const char *what)
{
	const char *value;
	char key[128];
	int rc;

	if ((rc = phsg_text_split_pair(key, sizeof(key), &value, spec, what)))
		return rc;
	if (json_object_get(obj, key))
		return phsg_error_set(PHSG_EINVAL, "'%s' is given twice", key);
	json_object_set_new(obj, key, cli_json_str(value));
	return 0;
}

int cli_parse_date(const char *opt, const char *text, phsg_date *out)
{
	if (phsg_date_parse(out, text))
		return cli_usage_error("%s: %s", opt, phsg_error_last());
	return EXIT_OK;
}

int cli_parse_pence(const char *opt, const char *text, int64_t *out)
{
	mpq_t q;
	mpz_t p;
	int rc = EXIT_OK;

	mpq_init(q);
	mpz_init(p);
	if (phsg_money_parse(q, text, PHSG_MONEY_PENCE)) {
		rc = cli_usage_error("%s: %s", opt, phsg_error_last());
	} else {
		phsg_money_round_pence(p, NULL, q, PHSG_ROUND_DOWN); /* exact: at most 2 places */
		if (!mpz_fits_slong_p(p) || mpz_cmp_ui(p, 100000000000ULL) > 0)
			rc = cli_usage_error("%s: %s is too large", opt, text);
		else
			*out = mpz_get_si(p);
	}
	mpq_clear(q);
	mpz_clear(p);
	return rc;
}

/*
 * Pence as pounds, from the int64 directly (no GMP: a journal writes
 * millions): "-1234.50", or with `pretty` "-£1,234.50".  Exact for every
 * int64, INT64_MIN included (its magnitude is taken as unsigned).
 */
static const char *pence_text(char buf[PHSG_NUM_BUF], int64_t pence, int pretty)
{
	uint64_t mag = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	uint64_t pounds = mag / 100;
	char digits[24];
	size_t nd = 0, o = 0;

	do {
		digits[nd++] = (char)('0' + pounds % 10);
		pounds /= 10;
	} while (pounds);
	if (pence < 0)
		buf[o++] = '-';
	if (pretty) {
		memcpy(buf + o, "\xc2\xa3", 2);
		o += 2;
	}
	for (size_t i = nd; i-- > 0;) {
		buf[o++] = digits[i];
		if (pretty && i && i % 3 == 0)
			buf[o++] = ',';
	}
	buf[o++] = '.';
	buf[o++] = (char)('0' + mag % 100 / 10);
	buf[o++] = (char)('0' + mag % 10);
	buf[o] = '\0';
	return buf;
}

const char *cli_pence(char buf[PHSG_NUM_BUF], int64_t pence)
{
	return pence_text(buf, pence, 0);
}

const char *cli_pence_pretty(char buf[PHSG_NUM_BUF], int64_t pence)
{
	return pence_text(buf, pence, 1);
}

const char *cli_hours2(char buf[PHSG_NUM_BUF], const mpq_t hours)
{
	/* hours to two places, half-up: a spreadsheet reads 33/7 as a date */
	mpz_t p;

	mpz_init(p);
	phsg_money_round_pence(p, NULL, hours, PHSG_ROUND_HALF_UP);
	cli_check_format(phsg_money_format_pence(buf, PHSG_NUM_BUF, p));
	mpz_clear(p);
	return buf;
}

const char *cli_pretty_plain(char buf[PHSG_NUM_BUF], const char *plain)
{
	/* "-1234.50" -> "-£1,234.50": the same figure, written for people */
	const char *digits = plain && *plain == '-' ? plain + 1 : plain;
	size_t int_len, o = 0;

	if (!plain || strlen(plain) + strlen(plain) / 3 + 4 >= PHSG_NUM_BUF) {
		cli_check_format(phsg_error_set(PHSG_EINVAL, "a figure is too long to print"));
		buf[0] = '\0';
		return buf;
	}
	int_len = strcspn(digits, ".");
	if (digits != plain)
		buf[o++] = '-';
	memcpy(buf + o, "\xc2\xa3", 2);
	o += 2;
	for (size_t i = 0; i < int_len; i++) {
		if (i && (int_len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	memcpy(buf + o, digits + int_len, strlen(digits + int_len) + 1);
	return buf;
}

json_t *cli_json_pence64(int64_t pence)
{
	char buf[PHSG_NUM_BUF];
	return cli_json_str(cli_pence(buf, pence));
}

int cli_copy_out(FILE *from)
{
	char buf[65536];
	size_t n;

	if (fflush(from) != 0)
		return -1;
	rewind(from);
	while ((n = fread(buf, 1, sizeof(buf), from)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return -1;
	return ferror(from) ? -1 : 0;
}

FILE *cli_open_input(const char *what, const char *path)
{
	struct stat sb;
	FILE *f;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		cli_usage_error("cannot read %s '%s': it is a directory", what, path);
		return NULL;
	}
	if (!(f = fopen(path, "rb")))
		cli_usage_error("cannot read %s '%s': %s", what, path, strerror(errno));
	return f;
}

phsg_date cli_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	phsg_date d = 0;

	localtime_r(&now, &tm);
	phsg_date_from_ymd(&d, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	return d;
}

/*
 * Every text a command takes in is checked (SPEC section 12), so text in a
 * ledger that phsg_text_printable() refuses was written there behind
 * phsg's back, and `phsg verify` names it.  A text report shows it escaped
 * (phsg_text_escape()): it cannot end its line and start one that looks
 * like another payment, or drive the terminal.  Text phsg could have
 * written is shown as it is.  A ring of CLI_SHOWN copies: enough for every
 * text of one printed line, and no copy to free at each call site.
 */
const char *cli_shown(const char *s)
{
	static char *ring[CLI_SHOWN];
	static size_t next;

	if (phsg_text_printable(s))
		return s;
	free(ring[next]);
	ring[next] = phsg_text_escape(s, strlen(s));
	s = ring[next];
	next = (next + 1) % CLI_SHOWN;
	return s;
}

void cli_json_shown(json_t *doc)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_string(doc) && !phsg_text_printable(json_string_value(doc))) {
		char *e = phsg_text_escape(json_string_value(doc), json_string_length(doc));
		json_string_set(doc, e);
		free(e);
	} else if (json_is_object(doc)) {
		json_object_foreach(doc, key, v)
			cli_json_shown(v);
	} else if (json_is_array(doc)) {
		json_array_foreach(doc, i, v)
			cli_json_shown(v);
	}
}

json_t *cli_json_str(const char *s)
{
	json_t *j;
	char *e;

	if (!s)
		return NULL;
	if ((j = json_string(s)))
		return j;
	e = phsg_text_escape(s, strlen(s));
	j = json_string(e);
	free(e);
	return j;
}

int cli_csv_row(FILE *f, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = fields[i] ? fields[i] : "";
		if (i)
			fputc(',', f);
		if (phsg_text_csv_needs_guard(v)) {
			/* "'=..." : read as text, never as a formula (SPEC section 12) */
			size_t len = strlen(v);
			char *g = malloc(len + 2);
			int bad;
			if (!g)
				abort();
			g[0] = '\'';
			memcpy(g + 1, v, len + 1);
			bad = csv_fwrite(f, g, len + 1) != 0;
			free(g);
			if (bad)
				return -1;
		} else if (csv_fwrite(f, v, strlen(v)) != 0) {
			return -1;
		}
	}
	fputs("\r\n", f);
	return ferror(f) ? -1 : 0;
}
