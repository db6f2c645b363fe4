/*
 * cmd_export.c - files finance sends or keeps:
 *   phsg batch export ID --format csv|json|bacs|card [--processing-date DATE] [--part K]
 *   phsg batch remittance ID [--payee REF] [--format text|csv]
 *   phsg export --format ledger|csv|json [--as-of DATE]
 *
 * A failure leaves no partial file behind.  A batch's files and the
 * caseload are built in a temporary file and copied to stdout only when
 * complete.  The ledger's export, millions of entries, is written straight
 * to stdout when that is a file written at its end, and cut back to where
 * it began if the export fails or is interrupted (see out_direct).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "progress.h"
#include "phsg/bacs.h"

/*
 * Where a file is made: a temporary file, copied to stdout only if all went
 * well, or (direct) stdout's own file, cut back to `start` if not.
 */
typedef struct {
	FILE *f;
	int direct;
	off_t start;
} memfile;

/*
 * A direct export stopped by a signal: stdout's file is cut back to cut_to,
 * then the signal does what it would have done.
 */
static const int cut_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGXFSZ };
#define N_CUT_SIGNALS (sizeof(cut_signals) / sizeof(cut_signals[0]))
static struct sigaction cut_saved[N_CUT_SIGNALS];
static off_t cut_to = -1;
static pthread_t cut_writer; /* the thread that writes the export */

/*
 * Only the writer cuts: a signal that lands on another thread (SQLite's
 * sort runs on a second one) is passed to it, so the file is never cut
 * while the writer may still add to it.  pthread_self, pthread_kill,
 * ftruncate, lseek, signal and raise are all async-signal-safe.
 */
static void cut_and_die(int sig)
{
	if (!pthread_equal(pthread_self(), cut_writer)) {
		pthread_kill(cut_writer, sig);
		return;
	}
	if (cut_to >= 0 && ftruncate(STDOUT_FILENO, cut_to) == 0)
		lseek(STDOUT_FILENO, cut_to, SEEK_SET);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Catch (on) or restore (off) the signals, leaving one the caller ignores (nohup) ignored. */
static void cut_on_signals(int on)
{
	struct sigaction sa = { .sa_handler = cut_and_die };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < N_CUT_SIGNALS; i++) {
		if (on && sigaction(cut_signals[i], NULL, &cut_saved[i]) != 0)
			cut_saved[i].sa_handler = SIG_IGN;
		if (cut_saved[i].sa_handler != SIG_IGN)
			sigaction(cut_signals[i], on ? &sa : &cut_saved[i], NULL);
	}
}

/*
 * Straight to stdout when it is a regular file, open for writing, written at
 * its end ("> file", ">> file"): then nothing is written twice (a journal
 * of a million awards is 2.3 GB).  Its length now is where it is cut back
 * to on failure and on SIGINT, SIGTERM, SIGHUP or SIGXFSZ.  A pipe, a
 * terminal or a file opened part way cannot be taken back: those get the
 * temporary file.  Only kill -9 or a crash can leave part of a direct export.
 */
static int out_direct(memfile *m)
{
	struct stat st;
	int fl, fd;

	if (fflush(stdout) != 0 || (fl = fcntl(STDOUT_FILENO, F_GETFL)) < 0 ||
	    fstat(STDOUT_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if (!(fl & O_APPEND) && lseek(STDOUT_FILENO, 0, SEEK_CUR) != st.st_size)
		return 0;
	if ((fd = dup(STDOUT_FILENO)) < 0)
		return 0;
	if (!(m->f = fdopen(fd, "w"))) { /* refused when stdout is read only */
		close(fd);
		return 0;
	}
	m->direct = 1;
	m->start = cut_to = st.st_size;
	cut_writer = pthread_self();
	cut_on_signals(1);
	return 1;
}

/* stream: the ledger's export, which may be written straight to stdout */
static int mem_open(memfile *m, int stream)
{
	m->direct = 0;
	if (!stream || !out_direct(m))
		m->f = tmpfile();
	/* exports run to millions of lines: write them in large blocks */
	if (m->f)
		setvbuf(m->f, NULL, _IOFBF, 1 << 20);
	return m->f ? 0 : -1;
}

/*
 * A direct export's end: kept when ok and written, else cut back.  Only a
 * failure to write (ok, but the file did not take it) or to cut back is
 * reported here; a caller's failure is the caller's to report.
 */
static int direct_finish(memfile *m, int ok)
{
	int written = !ferror(m->f);
	int rc = EXIT_OK;

	if (fclose(m->f) != 0)
		written = 0;
	m->f = NULL;
	if (!ok || !written) {
		if (ftruncate(STDOUT_FILENO, m->start) != 0 || lseek(STDOUT_FILENO, m->start, SEEK_SET) < 0)
			rc = cli_usage_error("cannot cut standard output back to its %lld bytes: %s",
					     (long long)m->start, strerror(errno));
		else if (ok)
			rc = cli_usage_error("cannot write the export to standard output");
	}
	cut_on_signals(0);
	cut_to = -1;
	return rc;
}

/* Copy to stdout when ok, then close.  Returns an exit status. */
static int mem_finish(memfile *m, int ok)
{
	char buf[65536];
	size_t n;
	int rc = EXIT_OK;

	if (m->direct)
		return direct_finish(m, ok);
	if (ok && (fflush(m->f) != 0 || ferror(m->f)))
		ok = 0;
	if (ok) {
		/* the kernel copies file to file itself; to a pipe or a terminal, or
		 * whatever it left, the loop copies */
		off_t at = 0;
		if (fflush(stdout) == 0)
			while (copy_file_range(fileno(m->f), &at, STDOUT_FILENO, NULL, 1 << 30, 0) > 0)
				;
		int lost = fseeko(m->f, at, SEEK_SET) != 0;
		while (!lost && (n = fread(buf, 1, sizeof(buf), m->f)) > 0)
			if (fwrite(buf, 1, n, stdout) != n)
				break;
		if (lost || ferror(m->f) || fflush(stdout) != 0 || ferror(stdout))
			rc = cli_usage_error("cannot write the export to standard output");
	}
	fclose(m->f);
	m->f = NULL;
	return rc;
}

/* "A000001 260413": the award and the cycle's first day, as a payment reference. */
static void reference(char out[32], const phsg_payment_row *p)
{
	char d[PHSG_DATE_BUF];

	phsg_date_format(d, p->cycle_start);
	snprintf(out, 32, "%s %.2s%.2s%.2s", p->award, d + 2, d + 5, d + 8);
}

/* The batch (with its payments when `whole`), refused when voided. */
static int open_batch(phsg_ledger *l, long long id, phsg_batch *b, int whole)
{
	int rc = whole ? phsg_ledger_batch_get(b, l, id) : phsg_ledger_batch_info(b, l, id);

	if (rc)
		return rc;
	if (b->voided) {
		phsg_ledger_batch_release(b);
		return phsg_error_set(PHSG_ERULE, "batch %lld is voided: there is nothing to pay", id);
	}
	return 0;
}

/*
 * What a file made from a batch starts with: the scheme, the ledger, the
 * temporary file and the batch (not voided).  On failure everything opened
 * is closed again and the exit status returned.
 */
static int batch_file_begin(const cli_globals *g, long long id, phsg_scheme **sc, phsg_ledger **l,
			    memfile *m, phsg_batch *b, int whole)
{
	int rc;

	if ((rc = cli_open_both(g, sc, l, PHSG_LEDGER_READONLY)))
		return rc;
	if (mem_open(m, 0))
		rc = cli_usage_error("cannot make a temporary file: %s", strerror(errno));
	else if ((rc = open_batch(*l, id, b, whole)) != 0) {
		mem_finish(m, 0);
		rc = cli_fail(rc);
	}
	if (rc) {
		phsg_ledger_close(*l);
		phsg_scheme_free(*sc);
		*l = NULL;
		*sc = NULL;
	}
	return rc;
}

/* The other end: print the file if rc is 0 (else the error), close all. */
static int batch_file_end(int rc, phsg_scheme *sc, phsg_ledger *l, memfile *m, phsg_batch *b)
{
	phsg_ledger_batch_release(b);
	if (rc) {
		mem_finish(m, 0);
		rc = cli_fail(rc);
	} else {
		rc = mem_finish(m, 1);
	}
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

/* Streaming writers: one callback per payment of the batch. */
typedef struct {
	FILE *out;
	phsg_bacs_writer *w;
	int rc;
	size_t n;          /* payments written */
} exporter;

/* SPEC section 10: no file for a batch with nothing of that format's kind to pay. */
static int nothing_to_export(long long batch, const char *what)
{
	return phsg_error_set(PHSG_ERULE, "batch %lld has no %s: there is no file to make", batch, what);
}

/*
 * Progress (SPEC section 16): a large export (100,000 rows or more) draws a
 * progress line when stderr is a terminal.  One export per process.
 */
static cli_progress export_progress;

static void export_tick(long long done, long long whole)
{
	cli_progress_add(&export_progress, 1, done, whole);
}

static int bacs_payment(void *ctx, const phsg_payment_row *p, const phsg_payee *py)
{
	exporter *x = ctx;
	char ref[32];

	export_tick(0, 0);
	if (p->reverses || p->amount <= 0)
		return 0;
	if (!py)
		return phsg_error_set(PHSG_EINVAL, "payment %lld: unknown payee '%s'", p->payment_id, p->payee);
	if (py->is_card)
		return 0; /* card loads go to the card file */
	reference(ref, p);
	phsg_bacs_credit c = { py->sort_code, py->account, py->name, ref, p->amount };
	phsg_bacs_add(x->w, &c);
	x->n++;
	return 0;
}

/*
 * The Bacs file of a batch, or with part > 0 its part K (SPEC section 17):
 * the library splits the batch; a batch needing several files is refused
 * without --part, saying how many.
 */
static int export_bacs(phsg_ledger *l, const phsg_scheme *sc, const phsg_batch *b,
		       const char *processing_s, int part, FILE *out)
{
	phsg_date processing = b->run_date;
	exporter x = { out, NULL, 0, 0 };
	int rc, working = 0;

	if (processing_s && (rc = phsg_date_parse(&processing, processing_s)))
		return rc;
	if (!processing_s && (rc = phsg_scheme_calendar_roll(&processing, &sc->calendar, processing)))
		return rc;
	if ((rc = phsg_scheme_calendar_is_working_day(&working, &sc->calendar, processing)))
		return rc;
	if (!working)
		return phsg_error_set(PHSG_EINVAL,
			"processing date %s is not a Bacs working day (a weekend or bank holiday)",
			processing_s);
	if ((rc = phsg_bacs_begin_part(&x.w, out, &sc->finance, b->id, b->run_date, processing,
				       part)))
		return rc;
	rc = phsg_ledger_batch_each(l, b->id, bacs_payment, &x);
	int parts = phsg_bacs_parts(x.w);
	int end = phsg_bacs_end(x.w); /* frees the writer; names every refused credit */
	char why[512];
	if (rc == 0 && end == 0 && x.n == 0)
		return nothing_to_export(b->id, "payment to a bank account");
	if (rc || end != PHSG_ERULE)
		return rc ? rc : end;
	snprintf(why, sizeof(why), "%s", phsg_error_last());
	if (!part)
		return phsg_error_set(PHSG_ERULE, "batch %lld: %s; write each with --part K, K from 1 "
				      "to %d", b->id, why, parts);
	return phsg_error_set(PHSG_ERULE, "batch %lld: %s", b->id, why);
}

static int card_payment(void *ctx, const phsg_payment_row *p, const phsg_payee *py)
{
	exporter *x = ctx;
	char amount[PHSG_NUM_BUF], ref[32];

	export_tick(0, 0);
	if (p->reverses || p->amount <= 0 || !py || !py->is_card)
		return 0;
	reference(ref, p);
	x->n++;
	const char *row[] = { py->card_id, cli_pence(amount, p->amount), ref, py->ref, py->name };
	return cli_csv_row(x->out, row, 5) ? phsg_error_set(PHSG_EINVAL, "cannot write the card file") : 0;
}

static int csv_payment(void *ctx, const phsg_payment_row *p, const phsg_payee *py)
{
	exporter *x = ctx;
	char batch[24], d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF], amount[PHSG_NUM_BUF];
	const char *row[] = { batch, p->award, p->client, p->package, p->component, p->kind,
		d1, d2, d3, cli_pence(amount, p->amount), p->payee, p->method };

	(void)py;
	export_tick(0, 0);
	snprintf(batch, sizeof(batch), "%lld", p->id);
	phsg_date_format(d1, p->cycle_start);
	phsg_date_format(d2, p->cycle_end);
	phsg_date_format(d3, p->due);
	return cli_csv_row(x->out, row, 12) ? phsg_error_set(PHSG_EINVAL, "cannot write the CSV file") : 0;
}

static int export_rows(phsg_ledger *l, const phsg_batch *b, FILE *out, int card)
{
	static const char *const card_head[] = { "card_id", "amount", "reference", "payee", "name" };
	static const char *const csv_head[] = { "batch", "award", "client", "package", "component", "kind",
		"cycle_start", "cycle_end", "due", "amount", "payee", "method" };
	exporter x = { out, NULL, 0, 0 };
	int rc;

	if (card ? cli_csv_row(out, card_head, 5) : cli_csv_row(out, csv_head, 12))
		return phsg_error_set(PHSG_EINVAL, "cannot write the file");
	rc = phsg_ledger_batch_each(l, b->id, card ? card_payment : csv_payment, &x);
	if (rc == 0 && card && x.n == 0)
		return nothing_to_export(b->id, "card payment");
	return rc;
}

int cli_batch_export(const cli_globals *g, long long id, const char *format, const char *processing,
		     int part)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_batch b;
	memfile m;
	int rc;

	if (!format || !strcmp(format, "text"))
		return cli_usage_error("batch export: --format csv, json, bacs or card is required");
	if (processing && strcmp(format, "bacs"))
		return cli_usage_error("batch export: --processing-date goes with --format bacs");
	if (part && strcmp(format, "bacs"))
		return cli_usage_error("batch export: --part goes with --format bacs");
	if ((rc = batch_file_begin(g, id, &sc, &l, &m, &b, !strcmp(format, "json"))))
		return rc;
	cli_progress_start(&export_progress, "batch export", "payments", CLI_PROGRESS_EXPORT_ROWS);
	if (!strcmp(format, "bacs"))
		rc = export_bacs(l, sc, &b, processing, part, m.f);
	else if (!strcmp(format, "card") || !strcmp(format, "csv"))
		rc = export_rows(l, &b, m.f, !strcmp(format, "card"));
	else {
		json_t *doc = cli_batch_json(&b);
		rc = json_dumpf(doc, m.f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? PHSG_EINVAL : 0;
		fputc('\n', m.f);
		json_decref(doc);
	}
	cli_progress_done(&export_progress, rc ? "stopped" : "done");
	return batch_file_end(rc, sc, l, &m, &b);
}

/* ---- remittance advice ---- */

/*
 * A sort code as people read it, 12-34-56; one that is not six digits
 * (written into the ledger behind phsg's back) is shown whole, escaped.
 */
#define SORT_CODE_TEXT 9
static const char *sort_code_text(char buf[SORT_CODE_TEXT], const char *code)
{
	if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return cli_shown(code);
	snprintf(buf, SORT_CODE_TEXT, "%.2s-%.2s-%.2s", code, code + 2, code + 4);
	return buf;
}

/* What cycle p's share of the entitlement was, to show what was netted. */
static int cycle_share(phsg_ledger *l, const phsg_scheme *sc, const phsg_payment_row *p,
		       int64_t *share)
{
	phsg_award aw;
	long long id;
	int64_t before = 0, after = 0;
	int rc, comp = -1;

	if ((rc = phsg_ledger_award_lookup(&id, l, p->award)) ||
	    (rc = phsg_ledger_award_load(&aw, l, sc, id))) {
		phsg_award_release(&aw);
		return rc;
	}
	for (size_t c = 0; c < aw.package->n_components; c++)
		if (!strcmp(aw.package->components[c].id, p->component))
			comp = (int)c;
	if (comp >= 0 && (rc = phsg_payrule_entitled_pence(&before, sc, &aw, comp, p->cycle_start)) == 0)
		rc = phsg_payrule_entitled_pence(&after, sc, &aw, comp, p->cycle_end);
	*share = after - before;
	phsg_award_release(&aw);
	return rc;
}

int cli_batch_remittance(const cli_globals *g, long long id, const char *format, const char *payee)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	phsg_batch b;
	memfile m;
	char **done = NULL;
	size_t n_done = 0;
	int rc, csv = !strcmp(format, "csv"), found = 0;

	if (strcmp(format, "text") && !csv)
		return cli_usage_error("batch remittance: --format is text or csv");
	if ((rc = batch_file_begin(g, id, &sc, &l, &m, &b, 1)))
		return rc;
	if (csv) {
		static const char *const head[] = { "batch", "payee", "name", "award", "client", "component",
			"kind", "cycle_start", "cycle_end", "due", "cycle_share", "amount", "netted" };
		cli_csv_row(m.f, head, 13);
	}
	/* one advice per payee, in the order payees first appear in the batch */
	for (size_t i = 0; i < b.n_payments && rc == 0; i++) {
		const char *who = b.payments[i].payee;
		phsg_payee py;
		int64_t total = 0;
		char buf[PHSG_NUM_BUF], d0[PHSG_DATE_BUF];
		int seen = 0;

		for (size_t k = 0; k < n_done; k++)
			seen |= !strcmp(done[k], who);
		if (seen || (payee && strcmp(payee, who)))
			continue;
		done = realloc(done, (n_done + 1) * sizeof(char *));
		if (!done)
			abort();
		done[n_done++] = b.payments[i].payee;
		found = 1;
		/* the details in force for this batch, not the latest */
		if ((rc = phsg_ledger_payee_get_on(&py, l, who, b.run_date)))
			break;
		phsg_date_format(d0, b.run_date);
		if (!csv) {
			char code[SORT_CODE_TEXT];
			fprintf(m.f, "REMITTANCE ADVICE\n%s\n\nTo: %s (%s)\n", sc->name, cli_shown(py.name),
				cli_shown(py.ref));
			if (py.is_card)
				fprintf(m.f, "Paid onto card ending %s\n", cli_shown(strlen(py.card_id) > 4 ?
					py.card_id + strlen(py.card_id) - 4 : py.card_id));
			else
				fprintf(m.f, "Paid to: sort code %s, account ending %s\n",
					sort_code_text(code, py.sort_code), cli_shown(py.account + 4));
			fprintf(m.f, "Payment batch %lld, run on %s\n\n", b.id, d0);
			fprintf(m.f, "%-8s %-12s %-10s %-24s %-10s %12s %12s\n", "Award", "Client", "Component",
				"For the days", "Due", "Cycle share", "Paid");
		}
		for (size_t j = i; j < b.n_payments && rc == 0; j++) {
			const phsg_payment_row *p = &b.payments[j];
			char d1[PHSG_DATE_BUF], d2[PHSG_DATE_BUF], d3[PHSG_DATE_BUF], last[PHSG_DATE_BUF];
			char s1[PHSG_NUM_BUF], s2[PHSG_NUM_BUF], s3[PHSG_NUM_BUF];
			int64_t share = 0;
			if (strcmp(p->payee, who))
				continue;
			if (!strcmp(p->kind, "cycle") && (rc = cycle_share(l, sc, p, &share)))
				break;
			phsg_date_format(d1, p->cycle_start);
			phsg_date_format(d2, p->cycle_end);
			phsg_date_format(last, p->cycle_end - 1);
			phsg_date_format(d3, p->due);
			total += p->amount;
			if (csv) {
				char batch[24];
				int cyc = !strcmp(p->kind, "cycle");
				const char *row[] = { batch, py.ref, py.name, p->award, p->client, p->component,
					p->kind, d1, d2, d3, cyc ? cli_pence(s1, share) : "",
					cli_pence(s2, p->amount), cyc ? cli_pence(s3, share - p->amount) : "" };
				snprintf(batch, sizeof(batch), "%lld", b.id);
				cli_csv_row(m.f, row, 13);
				continue;
			}
			/* the days as "2026-03-16 to 04-12", under the header's 24 columns */
			char days[2 * PHSG_DATE_BUF + 4];
			int cyc = !strcmp(p->kind, "cycle");
			snprintf(days, sizeof(days), "%s to %s", d1, last + 5);
			fprintf(m.f, "%-8s %-12s %-10s %-24s %-10s %12s %12s\n", cli_shown(p->award),
				cli_shown(p->client), cli_shown(p->component), days, d3,
				cyc ? cli_pence(s1, share) : "", cli_pence(s2, p->amount));
			if (!cyc)
				fprintf(m.f, "         %s: arrears from a change dated before this period\n",
					p->kind);
			else if (share > p->amount)
				fprintf(m.f, "         %s netted against an earlier overpayment\n",
					cli_pence_pretty(s3, share - p->amount));
			else if (share < p->amount)
				fprintf(m.f, "         includes %s for changes dated before this period\n",
					cli_pence_pretty(s3, p->amount - share));
		}
		if (!csv)
			fprintf(m.f, "\nTotal paid: %s\n\f\n", cli_pence_pretty(buf, total));
		phsg_ledger_payee_release(&py);
	}
	if (rc == 0 && payee && !found)
		rc = phsg_text_check_ref("the payee reference", payee) ? PHSG_EINVAL :
			phsg_error_set(PHSG_ENOTFOUND, "batch %lld pays nothing to '%s'", id, payee);
	free(done);
	return batch_file_end(rc, sc, l, &m, &b);
}

/* ---- the journal ---- */

/* A date and its text: a journal's entries come in date order, one cycle for many */
typedef struct {
	phsg_date d;
	char text[PHSG_DATE_BUF];
} jdate;

typedef struct {
	FILE *f;
	int format; /* 0 ledger, 1 csv, 2 json */
	size_t n;
	char *buf;  /* a ledger entry, made up before it is written at once */
	size_t len, cap;
	jdate date, cycle_start, cycle_end; /* the last of each, formatted */
} journal;

static const char *jdate_text(jdate *m, phsg_date d)
{
	if (d != m->d || !m->text[0]) {
		phsg_date_format(m->text, d);
		m->d = d;
	}
	return m->text;
}

/*
 * The characters jclean() writes as '_' in a journal: controls, ';' and '|'
 * always, and per use ':' and ',' in a tag's value or ' ' in an account.
 */
enum { JT_TEXT, JT_TAG, JT_ACCOUNT };

static int jbad(int use, unsigned char c)
{
	return c < 0x20 || c == 0x7f || c == ';' || c == '|' ||
		(use == JT_TAG && (c == ':' || c == ',')) || (use == JT_ACCOUNT && c == ' ');
}

static void jreserve(journal *j, size_t more)
{
	if (j->len + more > j->cap) {
		j->cap = 2 * (j->len + more) + 1024;
		if (!(j->buf = realloc(j->buf, j->cap)))
			abort();
	}
}

static void jput(journal *j, const char *s, size_t n)
{
	jreserve(j, n);
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

#define JPUT(j, lit) jput((j), (lit), sizeof(lit) - 1)

static void jputs(journal *j, const char *s)
{
	jput(j, s, strlen(s));
}

/*
 * Text into the entry being made, as ledger and hledger read it: nothing it
 * carries can end a line (and start a posting or directive), open a
 * comment, or start a tag.  References and scheme ids are already
 * restricted (SPEC section 12); this also covers a ledger written before
 * they were.
 */
static void jclean(journal *j, const char *s, int use)
{
	size_t n = s ? strlen(s) : 0;

	jreserve(j, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		j->buf[j->len++] = jbad(use, c) ? '_' : (char)c;
	}
}

/* A tag value: one line, no ':' or ',' (which would start another tag).  NAME is a literal. */
#define JTAG(j, name, value) \
	do { \
		JPUT((j), "    ; " name ": "); \
		jclean((j), (value), JT_TAG); \
		JPUT((j), "\n"); \
	} while (0)

/* A whole number in decimal, its length returned (a batch number: no printf per entry). */
static size_t jnumber(char out[24], long long v)
{
	char rev[24];
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t n = 0, o = 0;

	do {
		rev[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m);
	if (v < 0)
		out[o++] = '-';
	while (n)
		out[o++] = rev[--n];
	return o;
}

/* "£1234.56" */
static void jmoney(journal *j, int64_t pence)
{
	char plain[PHSG_NUM_BUF];

	JPUT(j, "\xc2\xa3");
	jputs(j, cli_pence(plain, pence));
}

/* Entries made up and not yet written: written once they fill a block. */
#define JOURNAL_BLOCK 65536

static int journal_flush(journal *j)
{
	size_t n = j->len;

	j->len = 0;
	return fwrite(j->buf, 1, n, j->f) == n ? 0 : -1;
}

static int journal_entry(void *ctx, const phsg_journal_entry *e)
{
	journal *j = ctx;
	const char *d = jdate_text(&j->date, e->date), *c1 = "", *c2 = "";
	char amount[PHSG_NUM_BUF];

	export_tick(0, 0);

	if (e->cycle_start) {
		c1 = jdate_text(&j->cycle_start, e->cycle_start);
		c2 = jdate_text(&j->cycle_end, e->cycle_end);
	}
	if (j->format == 1) {
		char batch[24];
		const char *row[] = { d, e->kind, e->award, e->client, e->package, e->component, e->payee,
			c1, c2, cli_pence(amount, e->amount), batch };
		if (e->batch)
			snprintf(batch, sizeof(batch), "%lld", e->batch);
		else
			batch[0] = '\0';
		return cli_csv_row(j->f, row, 11);
	}
	if (j->format == 2) {
		json_t *o = json_object();
		json_object_set_new(o, "date", cli_json_str(d));
		json_object_set_new(o, "kind", cli_json_str(e->kind));
		json_object_set_new(o, "award", cli_json_str(e->award));
		json_object_set_new(o, "client", cli_json_str(e->client));
		json_object_set_new(o, "package", cli_json_str(e->package));
		json_object_set_new(o, "component", cli_json_str(e->component));
		json_object_set_new(o, "payee", cli_json_str(e->payee));
		json_object_set_new(o, "cycle_start", e->cycle_start ? cli_json_str(c1) : json_null());
		json_object_set_new(o, "cycle_end", e->cycle_end ? cli_json_str(c2) : json_null());
		json_object_set_new(o, "amount", cli_json_pence64(e->amount));
		json_object_set_new(o, "batch", e->batch ? json_integer(e->batch) : json_null());
		fputs(j->n++ ? ",\n    " : "\n    ", j->f);
		int rc = json_dumpf(o, j->f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(o);
		return rc;
	}
	/* each entry debits its first account by the signed amount and credits the second */
	const char *debit = "Expenses:Grants:", *credit = "Assets:Bank", *pkg = e->package;
	int contribution = !strncmp(e->kind, "contribution-", 13);
	if (!strcmp(e->kind, "opening")) {
		credit = "Equity:Opening Balances";
	} else if (contribution) {
		debit = "Assets:Receivable:Contributions";
		pkg = "";
		credit = !strcmp(e->kind, "contribution-charge") || !strcmp(e->kind, "contribution-withdrawn") ?
			"Income:Contributions" : "Assets:Bank";
	}
	/* "DATE * PAYEE | WHAT": every value through jclean; entries are written
	 * a block of JOURNAL_BLOCK bytes at a time, the rest by journal_flush() */
	jputs(j, d);
	JPUT(j, " * ");
	jclean(j, contribution ? e->client : e->payee, JT_TEXT);
	JPUT(j, " | ");
	jclean(j, e->kind, JT_TEXT);
	JPUT(j, " ");
	jclean(j, e->award, JT_TEXT);
	if (contribution) {
		JPUT(j, " (own contribution, tier upgrade)");
	} else {
		JPUT(j, " ");
		jclean(j, e->component, JT_TEXT);
		if (e->cycle_start) {
			JPUT(j, " ");
			jputs(j, c1);
			JPUT(j, "..");
			jputs(j, c2);
		}
	}
	JPUT(j, "\n");
	JTAG(j, "award", e->award);
	JTAG(j, "client", e->client);
	JTAG(j, "payee", e->payee);
	JTAG(j, "kind", e->kind);
	if (e->cycle_start) {
		JPUT(j, "    ; cycle: ");
		jputs(j, c1);
		JPUT(j, "..");
		jputs(j, c2);
		JPUT(j, "\n");
	}
	if (e->batch) {
		char batch[24];
		JPUT(j, "    ; batch: ");
		jput(j, batch, jnumber(batch, e->batch));
		JPUT(j, "\n");
	}
	JPUT(j, "    ");
	jputs(j, debit);
	jclean(j, pkg, JT_ACCOUNT);
	JPUT(j, "  ");
	jmoney(j, e->amount);
	JPUT(j, "\n    ");
	jputs(j, credit);
	JPUT(j, "  ");
	jmoney(j, -e->amount);
	JPUT(j, "\n\n");
	return j->len >= JOURNAL_BLOCK ? journal_flush(j) : 0;
}

/* ---- the live caseload, for a commissioner's scenarios ---- */

/*
 * export --format caseload: the awards running on or after D (their end is
 * after D) as a caseload CSV (SPEC section 8), needs and tiers as currently
 * assessed, current end, exact hours: phsg scenario can cost them.
 */
typedef struct {
	const phsg_scheme *sc;
	phsg_date as_of;
	FILE *out;
	const char **row;
	size_t cols;
	long long n;
	int write_failed;
} caseload_out;

/*
 * One award's caseload row, if it is running on as_of or after it (SPEC
 * section 13): its end, the first day it does not cover, is after as_of.
 * Without --as-of (PHSG_DATE_MAX), every award not withdrawn.
 */
static int caseload_row(void *ctx, const phsg_award *aw, const phsg_award_sums *sums)
{
	caseload_out *c = ctx;
	const phsg_scheme *sc = c->sc;
	const char **row = c->row;
	size_t cols = c->cols;
	const phsg_assessment *a;
	char level[16] = "", tier[16] = "", chosen[16] = "", hours[PHSG_NUM_BUF] = "";
	char start[PHSG_DATE_BUF], end[PHSG_DATE_BUF];
	int method;

	(void)sums;
	export_tick(c->n++, 0);
	if (aw->withdrawn || (c->as_of != PHSG_DATE_MAX && aw->end <= c->as_of))
		return 0;
	a = &aw->assess[aw->n_assess - 1].a;
	if (a->level)
		snprintf(level, sizeof(level), "%d", a->level);
	if (a->tier)
		snprintf(tier, sizeof(tier), "%d", a->tier);
	if (a->chosen_tier)
		snprintf(chosen, sizeof(chosen), "%d", a->chosen_tier);
	if (a->has_hours)
		cli_check_format(phsg_money_format(hours, sizeof(hours), a->hours, 0));
	phsg_date_format(start, aw->start);
	phsg_date_format(end, aw->end);
	row[0] = aw->client; row[1] = aw->package->id; row[2] = level; row[3] = tier;
	row[4] = chosen; row[5] = hours;
	for (size_t i = 0; i < sc->n_interventions; i++)
		row[6 + i] = a->needs[i] == PHSG_NEED_NONE ? "" : phsg_scheme_need_name(a->needs[i]);
	row[cols - 4] = start;
	row[cols - 3] = end;
	row[cols - 1] = phsg_award_payee(aw, 0, aw->end - 1, &method);
	row[cols - 2] = phsg_scheme_method_name(method);
	if (cli_csv_row(c->out, row, cols)) {
		c->write_failed = 1;
		return -1;
	}
	return 0;
}

/*
 * export --format caseload: the awards running on or after D (their end is
 * after D) as a caseload CSV (SPEC section 8), needs and tiers as currently
 * assessed, current end, exact hours: phsg scenario can cost them.  The
 * awards are walked a chunk at a time: no list of them all is kept.
 */
static int export_caseload(const cli_globals *g, phsg_date as_of, FILE *out)
{
	phsg_scheme *sc = NULL;
	phsg_ledger *l = NULL;
	caseload_out c = { 0 };
	size_t cols;
	const char **row;
	int rc;

	if ((rc = cli_open_both(g, &sc, &l, PHSG_LEDGER_READONLY)))
		return rc;
	cols = 10 + sc->n_interventions;
	row = calloc(cols, sizeof(char *));
	if (!row)
		abort();
	row[0] = "client"; row[1] = "package"; row[2] = "level"; row[3] = "tier";
	row[4] = "chosen_tier"; row[5] = "hours";
	for (size_t i = 0; i < sc->n_interventions; i++)
		row[6 + i] = sc->interventions[i].id;
	row[cols - 4] = "start"; row[cols - 3] = "end"; row[cols - 2] = "method"; row[cols - 1] = "payee";
	if (cli_csv_row(out, row, cols))
		rc = cli_usage_error("cannot write the caseload");
	cli_progress_start(&export_progress, "export", "awards", CLI_PROGRESS_EXPORT_ROWS);
	if (rc == 0) {
		c = (caseload_out){ sc, as_of, out, row, cols, 0, 0 };
		rc = phsg_ledger_awards_walk(l, sc, 0, caseload_row, &c);
		if (c.write_failed)
			rc = cli_usage_error("cannot write the caseload");
		else if (rc)
			rc = cli_fail(rc);
	}
	cli_progress_done(&export_progress, rc ? "stopped" : "done");
	free(row);
	phsg_ledger_close(l);
	phsg_scheme_free(sc);
	return rc;
}

static const char export_usage[] =
	"usage: phsg export --format ledger|csv|json|caseload [--as-of DATE]\n"
	"\n"
	"caseload: the awards running on or after DATE (default: all) as a caseload\n"
	"CSV, needs and tiers as currently assessed, for phsg scenario.  Otherwise:\n"
	"Every payment, reversal, recovery received and own contribution on the\n"
	"ledger, dated on or before DATE (default: all), as a ledger-cli / hledger\n"
	"journal, CSV or JSON.  In the journal a payment debits\n"
	"Expenses:Grants:<package> and credits Assets:Bank; money recovered does the\n"
	"reverse; a person's own contribution debits Assets:Receivable:Contributions\n"
	"and credits Income:Contributions.\n";

int cmd_export(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const formats[] = { "ledger", "csv", "json", "caseload", NULL };
	const char *format = NULL;
	phsg_date as_of = PHSG_DATE_MAX;
	phsg_ledger *l = NULL;
	journal j = { 0 };
	memfile m;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': rc = cli_parse_format(optarg, formats, &format); break;
		case 'a': rc = cli_parse_date("--as-of", optarg, &as_of); break;
		case 'h': fputs(export_usage, stdout); return EXIT_OK;
		default: return cli_usage_error("export: unknown or incomplete option '%s'", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error("export: unexpected argument '%s'", argv[optind]);
	if (!format)
		return cli_usage_error("export: --format ledger, csv, json or caseload is required");
	if (!strcmp(format, "caseload")) {
		if (mem_open(&m, 0))
			return cli_usage_error("cannot make a temporary file: %s", strerror(errno));
		rc = export_caseload(g, as_of, m.f);
		return rc ? (mem_finish(&m, 0), rc) : mem_finish(&m, 1);
	}
	if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_READONLY)))
		return rc;
	if (mem_open(&m, 1)) {
		phsg_ledger_close(l);
		return cli_usage_error("cannot make a temporary file: %s", strerror(errno));
	}
	j.f = m.f;
	j.format = !strcmp(format, "ledger") ? 0 : !strcmp(format, "csv") ? 1 : 2;
	if (j.format == 0) {
		char **pkgs = NULL;
		size_t n_pkgs = 0;
		fprintf(m.f, "; phsg journal%s\n", as_of == PHSG_DATE_MAX ? "" : " (entries dated on or before --as-of)");
		fprintf(m.f, "; payments debit Expenses:Grants:<package> and credit Assets:Bank\n\n");
		/* declared, so that hledger check --strict passes (SPEC section 11) */
		fprintf(m.f, "commodity £1000.00\n\naccount Assets:Bank\naccount Assets:Receivable:Contributions\n"
			"account Equity:Opening Balances\naccount Income:Contributions\n");
		if ((rc = phsg_ledger_packages(&pkgs, &n_pkgs, l)) == 0)
			for (size_t i = 0; i < n_pkgs; i++) {
				JPUT(&j, "account Expenses:Grants:");
				jclean(&j, pkgs[i], JT_ACCOUNT);
				JPUT(&j, "\n");
				if (journal_flush(&j))
					rc = -1;
			}
		for (size_t i = 0; i < n_pkgs; i++)
			free(pkgs[i]);
		free(pkgs);
		fputc('\n', m.f);
	} else if (j.format == 1) {
		static const char *const head[] = { "date", "kind", "award", "client", "package", "component",
			"payee", "cycle_start", "cycle_end", "amount", "batch" };
		cli_csv_row(m.f, head, 11);
	} else {
		fputs("{\n  \"entries\": [", m.f);
	}
	cli_progress_start(&export_progress, "export", "entries", CLI_PROGRESS_EXPORT_ROWS);
	if (rc == 0)
		rc = phsg_ledger_journal(l, as_of, journal_entry, &j);
	if (rc == 0 && j.len)
		rc = journal_flush(&j);
	cli_progress_done(&export_progress, rc ? "stopped" : "done");
	free(j.buf);
	if (j.format == 2)
		fputs(j.n ? "\n  ]\n}\n" : "]\n}\n", m.f);
	if (rc) {
		mem_finish(&m, 0);
		rc = rc != -1 ? cli_fail(rc) : cli_usage_error(m.direct ?
			"cannot write the export to standard output" : "cannot write the export");
	} else {
		rc = mem_finish(&m, 1);
	}
	phsg_ledger_close(l);
	return rc;
}
