/*
 * scenario_html.c - one self-contained page for commissioners: cost per
 * year per scenario against the budget, a chart per package, and the
 * tables; inline SVG and CSS, no scripts, nothing fetched.  Bar heights are
 * whole pixels worked out from whole pence by integer arithmetic.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "phsg/scenario.h"

static const char *const palette[] = { "#1b6ca8", "#e07a1f", "#3a9a4a", "#8e44ad", "#c0392b",
	"#16a085", "#7f8c8d", "#d4ac0d" };

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

static int64_t pence64(const mpz_t p)
{
	return mpz_fits_slong_p(p) ? mpz_get_si(p) : 0;
}

static const char *money(char buf[PHSG_NUM_BUF], int64_t p)
{
	return cli_pence_pretty(buf, p);
}

/* Whole pixels: v * height / max, by integer arithmetic. */
static long px(int64_t v, int64_t max, long height)
{
	if (max <= 0 || v <= 0)
		return 0;
	__int128 t = (__int128)v * height / max;
	return (long)t;
}

/* A grouped bar chart: groups (years or packages) x series (scenarios). */
static void chart(FILE *f, const char *title, size_t n_groups, const char *const *group_names,
		  size_t n_series, const char *const *series_names, const int64_t *values /* [g * s] */,
		  int64_t line /* budget, or -1 */)
{
	const long H = 220, top = 30, left = 110, bar = 26, gap = 18;
	long width = left + (long)n_groups * ((long)n_series * bar + gap) + 20;
	int64_t max = line > 0 ? line : 0;
	char b[PHSG_NUM_BUF];

	for (size_t i = 0; i < n_groups * n_series; i++)
		if (values[i] > max)
			max = values[i];
	if (width < 420)
		width = 420;
	fprintf(f, "<figure><figcaption>");
	esc(f, title);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" height=\"%ld\" "
		"viewBox=\"0 0 %ld %ld\" role=\"img\">\n", width, top + H + 60, width, top + H + 60);
	/* axis with four gridlines */
	for (int k = 0; k <= 4; k++) {
		long y = top + H - px(max * k / 4, max, H);
		fprintf(f, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" class=\"grid\"/>", left, y,
			width - 10, y);
		fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"axis\" text-anchor=\"end\">%s</text>\n",
			left - 6, y + 4, money(b, max * k / 4));
	}
	for (size_t g = 0; g < n_groups; g++) {
		long x0 = left + 10 + (long)g * ((long)n_series * bar + gap);
		for (size_t s = 0; s < n_series; s++) {
			int64_t v = values[g * n_series + s];
			long h = px(v, max, H);
			fprintf(f, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" fill=\"%s\">"
				"<title>", x0 + (long)s * bar, top + H - h, bar - 4, h, palette[s % 8]);
			esc(f, series_names[s]);
			fprintf(f, " %s: %s</title></rect>\n", group_names[g], money(b, v));
		}
		fprintf(f, "<text x=\"%ld\" y=\"%ld\" class=\"axis\" text-anchor=\"middle\">",
			x0 + (long)n_series * bar / 2, top + H + 16);
		esc(f, group_names[g]);
		fputs("</text>\n", f);
	}
	if (line > 0) {
		long y = top + H - px(line, max, H);
		fprintf(f, "<line x1=\"%ld\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" class=\"budget\"/>"
			"<text x=\"%ld\" y=\"%ld\" class=\"budgetlabel\" text-anchor=\"end\">budget %s</text>\n",
			left, y, width - 10, y, width - 10, y - 5, money(b, line));
	}
	/* legend */
	for (size_t s = 0; s < n_series; s++) {
		long x = left + (long)s * 150;
		fprintf(f, "<rect x=\"%ld\" y=\"%ld\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			"<text x=\"%ld\" y=\"%ld\" class=\"axis\">", x, top + H + 32, palette[s % 8], x + 16,
			top + H + 43);
		esc(f, series_names[s]);
		fputs("</text>\n", f);
	}
	fputs("</svg></figure>\n", f);
}

int cli_scenario_html(FILE *f, const phsg_scenario_result *r, size_t n, const mpq_t budget,
		      int has_budget, long used, long left_out, const char *caseload)
{
	const char *group_names[64] = { 0 }, *series[64] = { 0 };
	int64_t values[64 * 64] = { 0 }, line = -1;
	size_t ny = n ? r[0].n_years : 0, np = n ? r[0].years[0].n_packages : 0;
	char b[PHSG_NUM_BUF], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF];

	if (ny > 64)
		ny = 64;
	if (has_budget) {
		mpz_t bp;
		mpz_init(bp);
		phsg_round_pence(bp, NULL, budget, PHSG_ROUND_HALF_UP); /* whole pence already */
		line = pence64(bp);
		mpz_clear(bp);
	}
	for (size_t s = 0; s < n && s < 64; s++)
		series[s] = r[s].name;
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<title>Housing support scenarios</title>\n<style>\n"
	      "body{font-family:Arial,Helvetica,sans-serif;margin:2em;color:#222;max-width:1100px}\n"
	      "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
	      "table{border-collapse:collapse;margin:.6em 0 1.2em}\n"
	      "th,td{border:1px solid #bbb;padding:.25em .6em}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	      "th{background:#eef2f6;text-align:left}figure{margin:1em 0;page-break-inside:avoid}\n"
	      "figcaption{font-weight:bold;margin-bottom:.3em}.grid{stroke:#ddd;stroke-width:1}\n"
	      ".axis{font-size:11px;fill:#444}.budget{stroke:#c0392b;stroke-width:2;stroke-dasharray:6 4}\n"
	      ".budgetlabel{font-size:11px;fill:#c0392b}.neg{color:#c0392b}.small{color:#666;font-size:.9em}\n"
	      ".packages{display:flex;flex-wrap:wrap;gap:1em}\n"
	      "@media print{body{margin:1cm}h2{page-break-after:avoid}table{page-break-inside:avoid}}\n"
	      "</style>\n</head>\n<body>\n<h1>Housing support: scenarios side by side</h1>\n", f);
	if (n) {
		phsg_date_format(d1, r[0].years[0].start);
		phsg_date_format(d2, r[0].years[ny - 1].end - 1);
	}
	fprintf(f, "<p>Caseload <b>");
	esc(f, caseload);
	fprintf(f, "</b>: %ld people costed, %ld rows left out. Period %s to %s. ", used, left_out,
		n ? d1 : "", n ? d2 : "");
	if (has_budget)
		fprintf(f, "Budget %s a year.", money(b, line));
	fputs("</p>\n<p class=\"small\">Costs are exact sums of daily entitlements, each rounded once "
	      "to the penny; hours are support hours accrued.</p>\n", f);

	/* chart 1: cost per year per scenario against the budget */
	for (size_t y = 0; y < ny; y++) {
		group_names[y] = r[0].years[y].name;
		for (size_t s = 0; s < n && s < 64; s++)
			values[y * n + s] = pence64(r[s].years[y].cost_pence);
	}
	fputs("<h2>Cost per financial year</h2>\n", f);
	chart(f, "Cost per year, by scenario, against the budget", ny, group_names, n, series, values, line);

	/* the summary table */
	fputs("<table>\n<tr><th>Year</th><th>Scenario</th><th>Cost</th><th>Difference from first</th>"
	      "<th>Support hours</th><th>People</th>", f);
	if (has_budget)
		fputs("<th>Headroom</th><th>Break-even hourly rate</th>", f);
	fputs("</tr>\n", f);
	for (size_t y = 0; y < ny; y++)
		for (size_t s = 0; s < n; s++) {
			const phsg_scenario_year *yr = &r[s].years[y];
			int64_t diff = pence64(yr->cost_pence) - pence64(r[0].years[y].cost_pence);
			char h[PHSG_NUM_BUF];
			mpz_t hp;
			mpz_init(hp);
			phsg_round_pence(hp, NULL, yr->hours, r[s].scheme->rounding);
			cli_check_format(phsg_pence_format(h, sizeof(h), hp));
			mpz_clear(hp);
			fprintf(f, "<tr><td>%s</td><td>", yr->name);
			esc(f, r[s].name);
			fprintf(f, "</td><td class=\"n\">%s</td>", money(b, pence64(yr->cost_pence)));
			fprintf(f, "<td class=\"n\">%s</td>", s ? money(b, diff) : "&#8211;");
			fprintf(f, "<td class=\"n\">%s</td><td class=\"n\">%ld</td>", h, yr->people);
			if (has_budget) {
				int64_t hr = pence64(yr->headroom_pence);
				fprintf(f, "<td class=\"n%s\">%s</td>", hr < 0 ? " neg" : "", money(b, hr));
				fprintf(f, "<td class=\"n\">%s</td>", yr->has_break_even ?
					money(b, pence64(yr->break_even_pence)) : "&#8211;");
			}
			fputs("</tr>\n", f);
		}
	fputs("</table>\n", f);

	/* a chart per package */
	fputs("<h2>Cost per package</h2>\n<div class=\"packages\">\n", f);
	for (size_t p = 0; p < np; p++) {
		const char *pkg = r[0].years[0].by_package[p].name;
		char title[160];
		for (size_t y = 0; y < ny; y++)
			for (size_t s = 0; s < n && s < 64; s++) {
				values[y * n + s] = 0;
				for (size_t j = 0; j < r[s].years[y].n_packages; j++)
					if (!strcmp(r[s].years[y].by_package[j].name, pkg))
						values[y * n + s] = pence64(r[s].years[y].by_package[j].pence);
			}
		snprintf(title, sizeof(title), "Package %s", pkg);
		chart(f, title, ny, group_names, n, series, values, -1);
	}
	fputs("</div>\n", f);

	/* tables by package and by intervention or component */
	for (int kind = 0; kind < 2; kind++) {
		fprintf(f, "<h2>Cost by %s</h2>\n<table>\n<tr><th>%s</th><th>Year</th>",
			kind ? "intervention or component" : "package", kind ? "Intervention" : "Package");
		for (size_t s = 0; s < n; s++) {
			fputs("<th>", f);
			esc(f, r[s].name);
			fputs("</th>", f);
		}
		fputs("</tr>\n", f);
		size_t nk = kind ? r[0].years[0].n_interventions : np;
		for (size_t k = 0; k < nk; k++) {
			const char *name = kind ? r[0].years[0].by_intervention[k].name : r[0].years[0].by_package[k].name;
			for (size_t y = 0; y < ny; y++) {
				fputs("<tr><td>", f);
				esc(f, name);
				fprintf(f, "</td><td>%s</td>", r[0].years[y].name);
				for (size_t s = 0; s < n; s++) {
					const phsg_scenario_year *yr = &r[s].years[y];
					const phsg_named_amount *a = kind ? yr->by_intervention : yr->by_package;
					size_t na = kind ? yr->n_interventions : yr->n_packages;
					const char *v = "&#8211;";
					for (size_t j = 0; j < na; j++)
						if (!strcmp(a[j].name, name))
							v = money(b, pence64(a[j].pence));
					fprintf(f, "<td class=\"n\">%s</td>", v);
				}
				fputs("</tr>\n", f);
			}
		}
		fputs("</table>\n", f);
	}
	fputs("<p class=\"small\">Made by phsg scenario. Scenario schemes: ", f);
	for (size_t s = 0; s < n; s++) {
		esc(f, r[s].name);
		fputs(" = ", f);
		esc(f, r[s].scheme->path);
		fputs(s + 1 < n ? "; " : ".", f);
	}
	fputs("</p>\n</body>\n</html>\n", f);
	return ferror(f) ? cli_usage_error("cannot write the page") : EXIT_OK;
}
