/*
 * progress.c - the progress line of long commands; see progress.h.
 *
 * The check that matters for speed is the first one: when stderr is not a
 * terminal cli_progress_add() returns at once.  On a terminal the clock is
 * read once every 256 items, so a progress line costs nothing measurable.
 */
#include <stdio.h>
#include <unistd.h>
#include "progress.h"

void cli_progress_start(cli_progress *p, const char *what, const char *unit, long long threshold)
{
	p->what = what;
	p->unit = unit;
	p->threshold = threshold;
	p->count = 0;
	p->percent = -1;
	p->tty = isatty(STDERR_FILENO) == 1;
	p->shown = 0;
	p->last.tv_sec = 0;
	p->last.tv_nsec = 0;
}

/* 1234567 -> "1,234,567" */
static void grouped(char out[32], long long n)
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%lld", n < 0 ? 0 : n), o = 0;

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void draw(cli_progress *p, const char *note)
{
	char n[32];

	grouped(n, p->count);
	if (p->percent >= 0 && !note)
		fprintf(stderr, "\rphsg: %s: %s %s (%d%%)\033[K", p->what, n, p->unit, p->percent);
	else
		fprintf(stderr, "\rphsg: %s: %s %s%s%s\033[K", p->what, n, p->unit, note ? ", " : "",
			note ? note : "");
	fflush(stderr);
	p->shown = 1;
}

void cli_progress_add(cli_progress *p, long long n, long long done, long long whole)
{
	struct timespec now;
	long long before = p->count;

	if (!p->tty)
		return;
	p->count += n;
	p->percent = whole > 0 ? (int)((done < whole ? done : whole) * 100 / whole) : -1;
	if (p->count < p->threshold)
		return;
	/* the clock every 256 items, and always on crossing the threshold */
	if (p->shown && before / 256 == p->count / 256)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->shown && (now.tv_sec - p->last.tv_sec) * 1000000000L +
	    (now.tv_nsec - p->last.tv_nsec) < 100000000L)
		return;
	p->last = now;
	draw(p, NULL);
}

void cli_progress_done(cli_progress *p, const char *note)
{
	if (!p->tty || !p->shown)
		return;
	draw(p, note ? note : "done");
	fputc('\n', stderr);
	p->shown = 0;
}
