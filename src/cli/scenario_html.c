/*
 * scenario_html.c - one self-contained page for commissioners: the cost of
 * each scenario per financial year against that year's budget, what the
 * cost is made of by package, a chart per package on one common scale, and
 * the tables to the penny.  Inline SVG and CSS only: no script, nothing
 * fetched, printable on A4.
 *
 * No floating point: figures are whole pence (GMP integers), axis ticks are
 * steps of 1, 2 or 5 x 10^k pence, and every coordinate is a whole pixel
 * worked out as floor(value x height / axis maximum) in GMP integers.
 * Chart labels are shortened to three figures ("£7.41m") by integer
 * rounding; the tables and the tooltips give every figure exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "phsg/scenario.h"

/* Scenarios: dark, distinct; the budget line is black and dashed. */
static const char *const scen_palette[] = { "#1f5fa0", "#d0661a", "#2e8540", "#7b3294",
	"#00838f", "#b8336a", "#6d4c41", "#546e7a" };
/* Packages: a lighter set, so a package chart is not read as a scenario chart. */
static const char *const pkg_palette[] = { "#6fa8dc", "#f6b26b", "#93c47d", "#c27ba0",
	"#76d7c4", "#ffd966", "#e06666", "#b4a7d6", "#a1887f", "#b0bec5", "#9fc5e8", "#d5a6bd" };

#define NCOLOURS(p) (sizeof(p) / sizeof((p)[0]))

/* A colour for item i: the palette, then hues a golden angle apart. */
static const char *colour(char buf[32], const char *const *palette, size_t n, size_t i)
{
	if (i < n)
		return palette[i];
	snprintf(buf, 32, "hsl(%zu,55%%,%d%%)", (i * 137) % 360, i % 2 ? 38 : 58);
	return buf;
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* Characters (not bytes) in a UTF-8 string: for estimating label widths. */
static long chars(const char *s)
{
	long n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Pence for people, exact: "£1,234.50". */
static const char *money(char buf[PHSG_NUM_BUF], mpz_srcptr p)
{
	cli_check_format(phsg_money_pretty_pence(buf, PHSG_NUM_BUF, p));
	return buf;
}

/*
 * Pence for a chart label: under £1,000 exact ("£980", "£12.50"); above,
 * three significant figures in thousands, millions or billions ("£250k",
 * "£7.41m", "£1.2bn"), rounded half up with integers.
 */
static const char *compact(char buf[PHSG_NUM_BUF], mpz_srcptr v)
{
	static const char *const unit_name[] = { "k", "m", "bn" };
	static const unsigned long unit_exp[] = { 5, 8, 11 }; /* 10^k pence */
	mpz_t a, u, q, r, lim;
	int neg = mpz_sgn(v) < 0, k;

	mpz_inits(a, u, q, r, lim, NULL);
	mpz_abs(a, v);
	if (mpz_cmp_ui(a, 100000) < 0) {
		if (mpz_divisible_ui_p(a, 100)) {
			mpz_tdiv_q_ui(q, a, 100);
			gmp_snprintf(buf, PHSG_NUM_BUF, "%s\xc2\xa3%Zd", neg ? "-" : "", q);
		} else {
			money(buf, v);
		}
		mpz_clears(a, u, q, r, lim, NULL);
		return buf;
	}
	for (k = 2; k > 0; k--) {
		mpz_ui_pow_ui(u, 10, unit_exp[k]);
		if (mpz_cmp(a, u) >= 0)
			break;
	}
	for (;;) {
		int places;
		mpz_ui_pow_ui(u, 10, unit_exp[k]);
		mpz_tdiv_q(q, a, u);
		places = mpz_cmp_ui(q, 100) >= 0 ? 0 : mpz_cmp_ui(q, 10) >= 0 ? 1 : 2;
		/* q = round(a x 10^places / u), half up */
		mpz_ui_pow_ui(r, 10, (unsigned long)places);
		mpz_mul(q, a, r);
		mpz_mul_ui(q, q, 2);
		mpz_add(q, q, u);
		mpz_mul_ui(r, u, 2);
		mpz_tdiv_q(q, q, r);
		/* 999.6k rounds to 1000k: say 1m */
		mpz_ui_pow_ui(lim, 10, (unsigned long)places + 3);
		if (mpz_cmp(q, lim) >= 0 && k < 2) {
			k++;
			continue;
		}
		char digits[PHSG_NUM_BUF];
		gmp_snprintf(digits, sizeof(digits), "%0*Zd", places + 1, q);
		size_t len = strlen(digits), int_len = len - (size_t)places;
		char frac[4] = { 0 };
		memcpy(frac, digits + int_len, (size_t)places);
		for (int i = places - 1; i >= 0 && frac[i] == '0'; i--)
			frac[i] = '\0';
		digits[int_len] = '\0';
		snprintf(buf, PHSG_NUM_BUF, "%s\xc2\xa3%s%s%s%s", neg ? "-" : "", digits,
			 frac[0] ? "." : "", frac, unit_name[k]);
		break;
	}
	mpz_clears(a, u, q, r, lim, NULL);
	return buf;
}

/* ---- axes ---- */

typedef struct {
	mpz_t max;       /* the top of the axis: intervals x step */
	mpz_t step;      /* 1, 2 or 5 x 10^k pence, at least £1 */
	long intervals;  /* at most 5 */
	long label_w;    /* pixels for the widest tick label */
} axis;

/* The smallest round step that covers `top` in at most 5 intervals. */
static void axis_init(axis *a, mpz_srcptr top)
{
	static const unsigned long mult[] = { 1, 2, 5 };
	mpz_t t, n;
	char b[PHSG_NUM_BUF];

	mpz_inits(a->max, a->step, t, n, NULL);
	for (unsigned long e = 2;; e++) {
		int found = 0;
		for (int i = 0; i < 3 && !found; i++) {
			mpz_ui_pow_ui(t, 10, e);
			mpz_mul_ui(a->step, t, mult[i]);
			mpz_cdiv_q(n, top, a->step);
			found = mpz_cmp_ui(n, 5) <= 0;
		}
		if (found)
			break;
	}
	a->intervals = mpz_sgn(n) > 0 ? mpz_get_si(n) : 1;
	mpz_mul_ui(a->max, a->step, (unsigned long)a->intervals);
	a->label_w = 0;
	for (long k = 0; k <= a->intervals; k++) {
		mpz_mul_ui(t, a->step, (unsigned long)k);
		long w = chars(compact(b, t)) * 8;
		if (w > a->label_w)
			a->label_w = w;
	}
	mpz_clears(t, n, NULL);
}

static void axis_clear(axis *a)
{
	mpz_clears(a->max, a->step, NULL);
}

/* Pixels for v on an axis `h` high: floor(v x h / max), within [0, h]. */
static long scale(const axis *a, mpz_srcptr v, long h)
{
	mpz_t t;
	long px;

	if (mpz_sgn(v) <= 0)
		return 0;
	if (mpz_cmp(v, a->max) >= 0)
		return h;
	mpz_init(t);
	mpz_mul_si(t, v, h);
	mpz_fdiv_q(t, t, a->max);
	px = mpz_get_si(t);
	mpz_clear(t);
	return px;
}

/* Gridlines and tick labels from `left` to `right`; the plot is [top, top + h]. */
static void draw_axis(FILE *f, const axis *a, long left, long right, long top, long h)
{
	char b[PHSG_NUM_BUF];
	mpz_t t;

	mpz_init(t);
	for (long k = 0; k <= a->intervals; k++) {
		mpz_mul_ui(t, a->step, (unsigned long)k);
		long y = top + h - scale(a, t, h);
		fprintf(f, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" class=\"%s\"/>"
			"<text x=\"%ld\" y=\"%ld\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
			left, y, right, y, k ? "grid" : "base", left - 6, y + 4, compact(b, t));
	}
	mpz_clear(t);
}

/* ---- the figures the charts draw ---- */

typedef struct {
	const char *id, *name;   /* the name from the first scheme that has the package */
} pkg_ref;

static mpz_srcptr pkg_pence(const phsg_scenario_year *yr, const char *id)
{
	for (size_t j = 0; j < yr->n_packages; j++)
		if (!strcmp(yr->by_package[j].name, id))
			return yr->by_package[j].pence;
	return NULL;
}

/* The packages of every scenario, in scheme order, each once. */
static pkg_ref *packages_of(const phsg_scenario_result *r, size_t n, size_t *np)
{
	pkg_ref *p = NULL;
	size_t k = 0, cap = 0;

	for (size_t s = 0; s < n; s++) {
		const phsg_scheme *sc = r[s].scheme;
		for (size_t i = 0; i < sc->n_packages; i++) {
			size_t j = 0;
			while (j < k && strcmp(p[j].id, sc->packages[i].id))
				j++;
			if (j < k)
				continue;
			if (k == cap) {
				cap = cap ? cap * 2 : 16;
				p = realloc(p, cap * sizeof(*p));
				if (!p)
					abort();
			}
			p[k++] = (pkg_ref){ sc->packages[i].id, sc->packages[i].name };
		}
	}
	*np = k;
	return p;
}

/* An intervention's or component's name for a table: the scheme's name where it has one. */
static void item_name(FILE *f, const phsg_scenario_result *r, size_t n, const char *id)
{
	for (size_t s = 0; s < n; s++) {
		long i = phsg_scheme_intervention(r[s].scheme, id);
		if (i >= 0) {
			esc(f, r[s].scheme->interventions[i].name);
			return;
		}
	}
	esc(f, id);
	fputs(" <span class=\"small\">(component)</span>", f);
}

static void swatch(FILE *f, const char *fill)
{
	fprintf(f, "<svg class=\"sw\" width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\">"
		"<rect width=\"14\" height=\"14\" fill=\"%s\"/></svg>", fill);
}

static void budget_swatch(FILE *f)
{
	fputs("<svg class=\"sw line\" width=\"28\" height=\"14\" viewBox=\"0 0 28 14\" aria-hidden=\"true\">"
	      "<line x1=\"0\" y1=\"7\" x2=\"28\" y2=\"7\" class=\"budget\"/></svg>", f);
}

static void scenario_legend(FILE *f, const phsg_scenario_result *r, size_t n, int with_budget)
{
	char c[32];

	fputs("<p class=\"legend\">", f);
	for (size_t s = 0; s < n; s++) {
		fputs("<span class=\"key\">", f);
		swatch(f, colour(c, scen_palette, NCOLOURS(scen_palette), s));
		fputs(" <b>", f);
		esc(f, r[s].name);
		fputs("</b> (", f);
		esc(f, r[s].scheme->name);
		fputs(")</span>\n", f);
	}
	if (with_budget) {
		fputs("<span class=\"key\">", f);
		budget_swatch(f);
		fputs(" budget for the year (* prorated by days)</span>\n", f);
	}
	fputs("</p>\n", f);
}

/* ---- chart 1: the cost of each scenario per year, against the year's budget ---- */

static void cost_chart(FILE *f, const phsg_scenario_result *r, size_t n)
{
	const long H = 280, top = 24, gap = 28;
	size_t ny = r[0].n_years;
	long bw, gw, left, width = 980;
	axis ax;
	mpz_t top_v;
	char b[PHSG_NUM_BUF], c[32];

	mpz_init(top_v);
	for (size_t y = 0; y < ny; y++)
		for (size_t s = 0; s < n; s++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			if (mpz_cmp(yr->cost_pence, top_v) > 0)
				mpz_set(top_v, yr->cost_pence);
			if (yr->has_budget && mpz_cmp(yr->budget_pence, top_v) > 0)
				mpz_set(top_v, yr->budget_pence);
		}
	axis_init(&ax, top_v);
	left = ax.label_w + 16;
	/* the years spread over the plot, each group's bars in its middle */
	gw = (width - left - 20) / (long)ny;
	bw = (gw - gap) / (long)n;
	if (bw > 96)
		bw = 96;
	if (bw < 8) { /* many years or scenarios: a wider picture, scaled down by the browser */
		bw = 8;
		gw = (long)n * bw + gap;
		width = left + 20 + (long)ny * gw;
	}
	long x_start = left + 10;
	fprintf(f, "<figure class=\"wide\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %ld %ld\" "
		"width=\"%ld\" height=\"%ld\" role=\"img\" aria-label=\"Cost per financial year by scenario, "
		"against the budget\">\n", width, top + H + 66, width, top + H + 66);
	draw_axis(f, &ax, left, width - 10, top, H);
	fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"blabel\" text-anchor=\"end\">budget</text>\n",
		left + 4, top + H + 34);
	for (size_t y = 0; y < ny; y++) {
		long gx = x_start + (long)y * gw + (gw - (long)n * bw) / 2;
		int same = 1, none = 1;
		for (size_t s = 0; s < n; s++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			long h = scale(&ax, yr->cost_pence, H), x = gx + (long)s * bw;
			fprintf(f, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" fill=\"%s\"><title>",
				x + 1, top + H - h, bw - 2, h, colour(c, scen_palette, NCOLOURS(scen_palette), s));
			esc(f, r[s].name);
			fprintf(f, ", %s: cost %s</title></rect>\n", yr->name, money(b, yr->cost_pence));
			/* the figure inside the bar's top, or above a short bar */
			if (bw >= 44)
				fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"val%s\" text-anchor=\"middle\">%s</text>\n",
					x + bw / 2, h >= 22 ? top + H - h + 15 : top + H - h - 4,
					h >= 22 ? " inbar" : "", compact(b, yr->cost_pence));
			none &= !yr->has_budget;
			if (s > 0 && (yr->has_budget != r[0].years[y].has_budget ||
				      (yr->has_budget && mpz_cmp(yr->budget_pence, r[0].years[y].budget_pence))))
				same = 0;
		}
		/* the budget: one line across the year when every scenario has the same, else one each */
		for (size_t s = 0; s < n; s++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			if (!yr->has_budget || (same && s > 0))
				continue;
			long yb = top + H - scale(&ax, yr->budget_pence, H);
			long x1 = same ? gx - 6 : gx + (long)s * bw - 2;
			long x2 = same ? gx + (long)n * bw + 6 : gx + (long)(s + 1) * bw + 2;
			fprintf(f, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" class=\"budget\"><title>"
				"budget %s", x1, yb, x2, yb, yr->name);
			if (!same) {
				fputs(", ", f);
				esc(f, r[s].name);
			}
			fprintf(f, ": %s%s</title></line>\n", money(b, yr->budget_pence),
				yr->budget_prorated ? " (prorated by days)" : "");
		}
		fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"year\" text-anchor=\"middle\">%s</text>\n",
			gx + (long)n * bw / 2, top + H + 18, r[0].years[y].name);
		if (r[0].years[y].days != r[0].years[y].days_in_year)
			fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"nobudget\" text-anchor=\"middle\">part "
				"year: %ld of %ld days</text>\n", gx + (long)n * bw / 2, top + H + 50,
				r[0].years[y].days, r[0].years[y].days_in_year);
		/* the budgets' row, labelled "budget" at the axis */
		if (none) {
			fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"nobudget\" text-anchor=\"middle\">"
				"no budget</text>\n", gx + (long)n * bw / 2, top + H + 34);
		} else if (same) {
			fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"blabel\" text-anchor=\"middle\">"
				"%s%s</text>\n", gx + (long)n * bw / 2, top + H + 34,
				compact(b, r[0].years[y].budget_pence), r[0].years[y].budget_prorated ? "*" : "");
		} else if (bw >= 44) {
			for (size_t s = 0; s < n; s++) {
				const phsg_scenario_year *yr = &r[s].years[y];
				fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"blabel\" text-anchor=\"middle\">%s%s</text>\n",
					gx + (long)s * bw + bw / 2, top + H + 34,
					yr->has_budget ? compact(b, yr->budget_pence) : "&#8211;",
					yr->has_budget && yr->budget_prorated ? "*" : "");
			}
		} else {
			fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"blabel\" text-anchor=\"middle\">"
				"budgets differ: see the table</text>\n", gx + (long)n * bw / 2, top + H + 34);
		}
	}
	fputs("</svg></figure>\n", f);
	axis_clear(&ax);
	mpz_clear(top_v);
}

/* ---- chart 2: what each scenario's cost is made of, by package ---- */

static void stack_chart(FILE *f, const phsg_scenario_result *r, size_t n, const pkg_ref *pk, size_t np)
{
	const long H = 260, top = 16, gap = 36;
	size_t ny = r[0].n_years;
	long bw, width = 980, left, numbered = 0;
	axis ax;
	mpz_t top_v, sum, base;
	char b[PHSG_NUM_BUF], c[32];

	mpz_inits(top_v, sum, base, NULL);
	for (size_t y = 0; y < ny; y++)
		for (size_t s = 0; s < n; s++) {
			mpz_set_ui(sum, 0);
			for (size_t p = 0; p < np; p++) {
				mpz_srcptr v = pkg_pence(&r[s].years[y], pk[p].id);
				if (v && mpz_sgn(v) > 0)
					mpz_add(sum, sum, v);
			}
			if (mpz_cmp(sum, top_v) > 0)
				mpz_set(top_v, sum);
		}
	axis_init(&ax, top_v);
	left = ax.label_w + 16;
	long gw = (width - left - 20) / (long)ny;
	bw = (gw - gap) / (long)n;
	if (bw > 72)
		bw = 72;
	if (bw < 8) {
		bw = 8;
		gw = (long)n * bw + gap;
		width = left + 20 + (long)ny * gw;
	}
	/* under each bar its scenario's name, or its number when a name is too wide */
	for (size_t s = 0; s < n; s++)
		if (chars(r[s].name) * 6 > bw + 6)
			numbered = 1;
	long x_start = left + 10;
	fprintf(f, "<figure class=\"wide\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %ld %ld\" "
		"width=\"%ld\" height=\"%ld\" role=\"img\" aria-label=\"Cost by package, each scenario "
		"and year\">\n", width, top + H + 44, width, top + H + 44);
	draw_axis(f, &ax, left, width - 10, top, H);
	for (size_t y = 0; y < ny; y++) {
		long gx = x_start + (long)y * gw + (gw - (long)n * bw) / 2;
		for (size_t s = 0; s < n; s++) {
			long x = gx + (long)s * bw, prev = 0;
			mpz_set_ui(base, 0);
			for (size_t p = 0; p < np; p++) {
				mpz_srcptr v = pkg_pence(&r[s].years[y], pk[p].id);
				if (!v || mpz_sgn(v) <= 0)
					continue;
				/* each segment from the running sum, so the stack's height is exact */
				mpz_add(base, base, v);
				long hi = scale(&ax, base, H);
				if (hi > prev) {
					fprintf(f, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" fill=\"%s\">"
						"<title>", x + 2, top + H - hi, bw - 4, hi - prev,
						colour(c, pkg_palette, NCOLOURS(pkg_palette), p));
					esc(f, r[s].name);
					fprintf(f, ", %s, ", r[s].years[y].name);
					esc(f, pk[p].name);
					fprintf(f, ": %s</title></rect>\n", money(b, v));
				}
				prev = hi;
			}
			if (mpz_sgn(base) > 0 && bw >= 40)
				fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"val\" text-anchor=\"middle\">%s</text>\n",
					x + bw / 2, top + H - prev - 4, compact(b, base));
			fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"tick\" text-anchor=\"middle\">", x + bw / 2,
				top + H + 14);
			if (numbered)
				fprintf(f, "%zu", s + 1);
			else
				esc(f, r[s].name);
			fputs("</text>\n", f);
		}
		fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"year\" text-anchor=\"middle\">%s</text>\n",
			gx + (long)n * bw / 2, top + H + 34, r[0].years[y].name);
	}
	fputs("</svg>\n<figcaption class=\"legend\">", f);
	for (size_t p = 0; p < np; p++) {
		fputs("<span class=\"key\">", f);
		swatch(f, colour(c, pkg_palette, NCOLOURS(pkg_palette), p));
		fputc(' ', f);
		esc(f, pk[p].name);
		fputs("</span>\n", f);
	}
	if (numbered) {
		fputs("<br/>Bars: ", f);
		for (size_t s = 0; s < n; s++) {
			fprintf(f, "%s%zu ", s ? ", " : "", s + 1);
			esc(f, r[s].name);
		}
	}
	fputs("</figcaption></figure>\n", f);
	axis_clear(&ax);
	mpz_clears(top_v, sum, base, NULL);
}

/* ---- charts 3: one per package, every one on the same scale ---- */

static void package_charts(FILE *f, const phsg_scenario_result *r, size_t n, const pkg_ref *pk,
			   size_t np)
{
	const long H = 150, top = 14, gap = 16, width = 480;
	size_t ny = r[0].n_years;
	long bw, left;
	axis ax;
	mpz_t top_v;
	char b[PHSG_NUM_BUF], c[32];

	/* one maximum over every package, year and scenario: the bars compare across charts */
	mpz_init(top_v);
	for (size_t p = 0; p < np; p++)
		for (size_t y = 0; y < ny; y++)
			for (size_t s = 0; s < n; s++) {
				mpz_srcptr v = pkg_pence(&r[s].years[y], pk[p].id);
				if (v && mpz_cmp(v, top_v) > 0)
					mpz_set(top_v, v);
			}
	axis_init(&ax, top_v);
	left = ax.label_w + 14;
	long gw = (width - left - 12) / (long)ny, svg_w = width;
	bw = (gw - gap) / (long)n;
	if (bw > 48)
		bw = 48;
	if (bw < 3) {
		bw = 3;
		gw = (long)n * bw + gap;
		svg_w = left + 12 + (long)ny * gw;
	}
	long x_start = left + 6;
	fputs("<div class=\"multiples\">\n", f);
	for (size_t p = 0; p < np; p++) {
		fputs("<figure class=\"small-multiple\"><figcaption>", f);
		esc(f, pk[p].name);
		fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %ld %ld\" "
			"width=\"%ld\" height=\"%ld\" role=\"img\" aria-label=\"", svg_w, top + H + 24, svg_w,
			top + H + 24);
		esc(f, pk[p].name);
		fputs(": cost per year by scenario\">\n", f);
		draw_axis(f, &ax, left, svg_w - 6, top, H);
		int nothing = 1;
		for (size_t y = 0; y < ny; y++)
			for (size_t s = 0; s < n; s++) {
				mpz_srcptr v = pkg_pence(&r[s].years[y], pk[p].id);
				nothing &= !v || mpz_sgn(v) == 0;
			}
		if (nothing)
			fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"nobudget\" text-anchor=\"middle\">"
				"no cost in the period modelled</text>\n", (left + svg_w) / 2, top + H / 2);
		for (size_t y = 0; y < ny; y++) {
			long gx = x_start + (long)y * gw + (gw - (long)n * bw) / 2;
			for (size_t s = 0; s < n; s++) {
				mpz_srcptr v = pkg_pence(&r[s].years[y], pk[p].id);
				long x = gx + (long)s * bw, h = v ? scale(&ax, v, H) : 0;
				if (!v)
					continue; /* not a package of this scenario's scheme */
				fprintf(f, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" fill=\"%s\"><title>",
					x + 1, top + H - h, bw > 2 ? bw - 2 : 1, h,
					colour(c, scen_palette, NCOLOURS(scen_palette), s));
				esc(f, pk[p].name);
				fputs(", ", f);
				esc(f, r[s].name);
				fprintf(f, ", %s: %s</title></rect>\n", r[s].years[y].name, money(b, v));
				if (bw >= 40 && mpz_sgn(v) > 0)
					fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"val small-val\" "
						"text-anchor=\"middle\">%s</text>\n", x + bw / 2,
						top + H - h - 3, compact(b, v));
			}
			fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"tick\" text-anchor=\"middle\">%s</text>\n",
				gx + (long)n * bw / 2, top + H + 16, r[0].years[y].name);
		}
		fputs("</svg></figure>\n", f);
	}
	fputs("</div>\n", f);
	axis_clear(&ax);
	mpz_clear(top_v);
}

/* ---- the page ---- */

static void td_money(FILE *f, mpz_srcptr p, int mark_negative)
{
	char b[PHSG_NUM_BUF];
	fprintf(f, "<td class=\"n%s\">%s</td>", mark_negative && mpz_sgn(p) < 0 ? " neg" : "", money(b, p));
}

static void summary_table(FILE *f, const phsg_scenario_result *r, size_t n, int budgets)
{
	char b[PHSG_NUM_BUF];

	fputs("<table>\n<thead><tr><th>Year</th><th>Scenario</th><th>Cost</th><th>Difference from first</th>"
	      "<th>Support hours</th><th>People</th>", f);
	if (budgets)
		fputs("<th>Budget</th><th>Headroom</th><th>Break-even hourly rate</th>", f);
	fputs("</tr></thead>\n<tbody>\n", f);
	for (size_t y = 0; y < r[0].n_years; y++)
		for (size_t s = 0; s < n; s++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			char h[PHSG_NUM_BUF];
			mpz_t d;
			mpz_init(d);
			fprintf(f, "<tr%s><td>%s</td><td>", s == 0 ? " class=\"first\"" : "", yr->name);
			esc(f, r[s].name);
			fputs("</td>", f);
			td_money(f, yr->cost_pence, 0);
			mpz_sub(d, yr->cost_pence, r[0].years[y].cost_pence);
			if (s)
				td_money(f, d, 0);
			else
				fputs("<td class=\"n\">&#8211;</td>", f);
			mpz_clear(d);
			fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%ld</td>", cli_hours2(h, yr->hours),
				yr->people);
			if (budgets) {
				if (yr->has_budget) {
					fprintf(f, "<td class=\"n\">%s%s</td>", money(b, yr->budget_pence),
						yr->budget_prorated ? "&#160;*" : "");
					td_money(f, yr->headroom_pence, 1);
				} else {
					fputs("<td class=\"n none\">no budget</td><td class=\"n\">&#8211;</td>", f);
				}
				if (yr->has_break_even)
					td_money(f, yr->break_even_pence, 1);
				else
					fputs("<td class=\"n\">&#8211;</td>", f);
			}
			fputs("</tr>\n", f);
		}
	fputs("</tbody></table>\n", f);
}

/* The part years: whose budget is prorated, and the sum that prorates it. */
static void proration_notes(FILE *f, const phsg_scenario_result *r, size_t n)
{
	char full[PHSG_NUM_BUF], part[PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	int any = 0;

	for (size_t y = 0; y < r[0].n_years; y++) {
		const phsg_scenario_year *y0 = &r[0].years[y];
		int prorated = 0;
		for (size_t s = 0; s < n; s++)
			prorated |= r[s].years[y].has_budget && r[s].years[y].budget_prorated;
		if (!prorated)
			continue;
		if (!any)
			fputs("<div class=\"note\"><p><b>* A part year's budget is prorated by days.</b></p><ul>\n", f);
		any = 1;
		phsg_date_format(d1, y0->start);
		phsg_date_format(d2, y0->end - 1);
		fprintf(f, "<li>%s is modelled from %s to %s, %ld of its %ld days: ", y0->name, d1, d2,
			y0->days, y0->days_in_year);
		for (size_t s = 0, k = 0; s < n; s++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			if (!yr->has_budget)
				continue;
			cli_check_format(phsg_money_pretty(full, sizeof(full), yr->budget_year, 2));
			fputs(k++ ? "; " : "", f);
			if (n > 1) {
				esc(f, r[s].name);
				fputs(" ", f);
			}
			fprintf(f, "%s &#215; %ld / %ld = <b>%s</b>", full, yr->days, yr->days_in_year,
				money(part, yr->budget_pence));
		}
		fputs(".</li>\n", f);
	}
	if (any)
		fputs("</ul><p>The prorated budget is rounded once to the penny, by each scheme's rounding "
		      "rule; headroom and the break-even rate are measured against it.</p></div>\n", f);
}

static void item_tables(FILE *f, const phsg_scenario_result *r, size_t n, const pkg_ref *pk, size_t np)
{
	char b[PHSG_NUM_BUF];

	for (int kind = 0; kind < 2; kind++) {
		size_t nk = kind ? r[0].years[0].n_interventions : np;
		fprintf(f, "<h2 id=\"%s\">Cost by %s</h2>\n<table>\n<thead><tr><th>%s</th><th>Year</th>",
			kind ? "by-intervention" : "by-package", kind ? "intervention or component" : "package",
			kind ? "Intervention or component" : "Package");
		for (size_t s = 0; s < n; s++) {
			fputs("<th>", f);
			esc(f, r[s].name);
			fputs("</th>", f);
		}
		fputs("</tr></thead>\n<tbody>\n", f);
		/* interventions and components: the union over the scenarios, in order */
		const char **ids = calloc(nk + 1, sizeof(char *));
		size_t nid = 0;
		if (!ids)
			abort();
		if (kind) {
			for (size_t s = 0; s < n; s++)
				for (size_t k = 0; k < r[s].years[0].n_interventions; k++) {
					const char *id = r[s].years[0].by_intervention[k].name;
					size_t j = 0;
					while (j < nid && strcmp(ids[j], id))
						j++;
					if (j < nid)
						continue;
					if (nid == nk) {
						nk = nk ? nk * 2 : 8;
						ids = realloc(ids, (nk + 1) * sizeof(char *));
						if (!ids)
							abort();
					}
					ids[nid++] = id;
				}
		} else {
			for (size_t p = 0; p < np; p++)
				ids[nid++] = pk[p].id;
		}
		for (size_t k = 0; k < nid; k++) {
			for (size_t y = 0; y < r[0].n_years; y++) {
				fprintf(f, "<tr%s><td>", y == 0 ? " class=\"first\"" : "");
				if (y == 0) {
					if (kind)
						item_name(f, r, n, ids[k]);
					else
						esc(f, pk[k].name);
				}
				fprintf(f, "</td><td>%s</td>", r[0].years[y].name);
				for (size_t s = 0; s < n; s++) {
					const phsg_scenario_year *yr = &r[s].years[y];
					const phsg_named_amount *a = kind ? yr->by_intervention : yr->by_package;
					size_t na = kind ? yr->n_interventions : yr->n_packages;
					const char *v = "&#8211;";
					for (size_t j = 0; j < na; j++)
						if (!strcmp(a[j].name, ids[k]))
							v = money(b, a[j].pence);
					fprintf(f, "<td class=\"n\">%s</td>", v);
				}
				fputs("</tr>\n", f);
			}
		}
		free(ids);
		fputs("</tbody></table>\n", f);
	}
}

int cli_scenario_html(FILE *f, const phsg_scenario_result *r, size_t n, long used, long left_out,
		      const char *caseload, phsg_date from, phsg_date to)
{
	char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];
	int budgets = 0;
	size_t np = 0;
	pkg_ref *pk;

	if (n == 0)
		return cli_usage_error("no scenario to show");
	pk = packages_of(r, n, &np);
	for (size_t s = 0; s < n; s++)
		for (size_t y = 0; y < r[s].n_years; y++)
			budgets |= r[s].years[y].has_budget;
	phsg_date_format(d1, from);
	phsg_date_format(d2, to - 1);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<title>Housing support scenarios: cost against budget</title>\n<style>\n"
	      "body{font-family:Arial,Helvetica,'DejaVu Sans',sans-serif;margin:2em auto;padding:0 1.5em;"
	      "color:#222;max-width:1040px;line-height:1.4}\n"
	      "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;"
	      "border-bottom:2px solid #1f5fa0;padding-bottom:.15em}\n"
	      ".lead{font-size:1.05em}.small{color:#555;font-size:.88em}\n"
	      "table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.92em}\n"
	      "th,td{border:1px solid #c8c8c8;padding:.28em .6em}th{background:#e9eff6;text-align:left}\n"
	      "td{white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	      "tr.first td{border-top:2px solid #888}.neg{color:#b00020;font-weight:bold}.none{color:#777}\n"
	      "figure{margin:.8em 0;break-inside:avoid;page-break-inside:avoid}\n"
	      "figcaption{font-weight:bold;margin-bottom:.2em}figure.wide>svg{width:100%;height:auto}\n"
	      "figure>svg{max-width:100%;height:auto}svg.sw{width:14px;height:14px}svg.sw.line{width:28px}\n"
	      ".tick{font-size:12px;fill:#444}.year{font-size:14px;font-weight:bold;fill:#222}\n"
	      ".val{font-size:12px;fill:#222}.inbar{fill:#fff;font-weight:bold}.small-val{font-size:10px}\n"
	      ".grid{stroke:#e2e2e2;stroke-width:1}.base{stroke:#666;stroke-width:1}\n"
	      ".budget{stroke:#111;stroke-width:2.5;stroke-dasharray:7 4}\n"
	      ".blabel{font-size:13px;fill:#111}.nobudget{font-size:12px;fill:#777;font-style:italic}\n"
	      ".legend{margin:.3em 0 .6em;font-weight:normal}.key{display:inline-block;margin:0 1.4em .3em 0;"
	      "white-space:nowrap}.sw{vertical-align:-2px}\n"
	      ".multiples{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.4em 1.6em}\n"
	      ".note{background:#f6f6ee;border-left:4px solid #b59b00;padding:.3em 1em;margin:1em 0}\n"
	      "@page{size:A4;margin:12mm}\n"
	      "@media print{body{margin:0;padding:0;max-width:none;font-size:10pt}"
	      "h2{break-after:avoid;page-break-after:avoid}table{break-inside:avoid}"
	      "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n"
	      "</style>\n</head>\n<body>\n<h1>Housing support scenarios: cost against budget</h1>\n", f);
	fputs("<p class=\"lead\">", f);
	fprintf(f, "%ld %s costed from the caseload <b>", used, used == 1 ? "person" : "people");
	esc(f, caseload);
	fprintf(f, "</b>%s", left_out ? "" : ".");
	if (left_out)
		fprintf(f, "; %ld %s of the caseload left out as invalid.", left_out,
			left_out == 1 ? "row was" : "rows were");
	fprintf(f, " Period %s to %s, by financial year (1 April to 31 March).</p>\n", d1, d2);
	fputs("<p>Scenarios: ", f);
	for (size_t s = 0; s < n; s++) {
		fputs(s ? "; " : "", f);
		fputs("<b>", f);
		esc(f, r[s].name);
		fputs("</b>: ", f);
		esc(f, r[s].scheme->name);
		fputs(" <span class=\"small\">(", f);
		esc(f, r[s].scheme->path);
		fputs(")</span>", f);
	}
	fputs(".", f);
	if (budgets)
		fputs(r[0].budgets_from_scheme ? " Each scenario is measured against the budgets in its own "
		      "scheme file." : " Every scenario is measured against the budgets given with --budget.", f);
	else
		fputs(" No budget is set, so there is no headroom or break-even rate.", f);
	fputs("</p>\n", f);

	fputs("<h2 id=\"cost\">Cost per financial year against the budget</h2>\n", f);
	scenario_legend(f, r, n, budgets);
	cost_chart(f, r, n);
	summary_table(f, r, n, budgets);
	proration_notes(f, r, n);
	if (budgets)
		fputs("<p class=\"small\">Headroom is the budget less the cost (in red where the cost is over "
		      "the budget). The break-even hourly rate is the one rate that, paid for every support "
		      "hour of the year, would make the cost equal the budget; costs that do not depend on "
		      "the rate stay as they are.</p>\n", f);

	fputs("<h2 id=\"made-of\">What the cost is made of, by package</h2>\n", f);
	stack_chart(f, r, n, pk, np);

	fputs("<h2 id=\"packages\">Each package, on one scale</h2>\n<p class=\"small\">Every chart below has the same "
	      "axis, so the bars compare from one package to another.</p>\n", f);
	scenario_legend(f, r, n, 0);
	package_charts(f, r, n, pk, np);

	item_tables(f, r, n, pk, np);
	fputs("<p class=\"small\">Costs are exact sums of each person's daily entitlement, rounded once "
	      "to the penny; hours are the support hours accrued. Chart labels are shortened to three "
	      "figures (k thousand, m million, bn billion); the tables give every figure to the penny. "
	      "Made by phsg scenario.</p>\n</body>\n</html>\n", f);
	free(pk);
	return ferror(f) ? cli_usage_error("cannot write the page") : EXIT_OK;
}
