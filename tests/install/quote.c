/*
 * tests/install/quote.c - a program outside phsg using the installed
 * library, built with `pkg-config --cflags --libs phsg` by
 * tests/install-check: it quotes a Medway acquiring-independence package
 * and prints the award total, which must equal what `phsg quote` says.
 *
 *   quote SCHEME.cfg  ->  "VERSION TOTAL" on stdout, exit 0
 */
#include <stdio.h>
#include <phsg.h>

int main(int argc, char **argv)
{
	static const char *const needs[] = { "intensive=high", "basic=medium", "maintenance=low" };
	phsg_scheme *sc = NULL;
	phsg_assessment a;
	phsg_quote *q = NULL;
	phsg_date start;
	char total[PHSG_NUM_BUF];
	int rc = 1, init = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: quote SCHEME.cfg\n");
		return 2;
	}
	if (phsg_scheme_load(&sc, argv[1]) || phsg_date_parse(&start, "2026-04-06"))
		goto cleanup;
	phsg_alloc_assessment_init(&a, sc);
	init = 1;
	a.package = phsg_scheme_package(sc, "acquiring-independence");
	if (!a.package)
		goto cleanup;
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (phsg_alloc_assessment_set_need(&a, sc, needs[i]))
			goto cleanup;
	if (phsg_alloc_quote(&q, sc, &a, start) ||
	    phsg_money_format_pence(total, sizeof(total), q->award_total_pence))
		goto cleanup;
	printf("%s %s\n", phsg_version(), total);
	rc = 0;
cleanup:
	if (rc)
		fprintf(stderr, "quote: %s\n", phsg_error_last());
	phsg_alloc_quote_free(q);
	if (init)
		phsg_alloc_assessment_release(&a);
	phsg_scheme_free(sc);
	return rc;
}
