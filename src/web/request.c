/*
 * request.c - the small things every handler of phsg serve uses: a text
 * buffer with HTML escaping, query parameters, error answers, and the quote
 * parameters read once for the API and the page.
 *
 * A buffer that cannot grow ends the process (abort), as every other
 * allocation failure in phsg's front ends does; nothing is ever cut short.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_out.h"
#include "web.h"

static void grow(web_buf *b, size_t more)
{
	size_t need = b->len + more + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 1024;
	while (b->cap < need)
		b->cap *= 2;
	if (!(b->s = realloc(b->s, b->cap)))
		abort();
}

void web_buf_addn(web_buf *b, const char *text, size_t n)
{
	grow(b, n);
	memcpy(b->s + b->len, text, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void web_buf_add(web_buf *b, const char *text)
{
	web_buf_addn(b, text, strlen(text));
}

void web_buf_printf(web_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void web_buf_html(web_buf *b, const char *text)
{
	const char *run = text;

	for (const char *p = text; *p; p++) {
		const char *ent;
		switch (*p) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		web_buf_addn(b, run, (size_t)(p - run));
		web_buf_add(b, ent);
		run = p + 1;
	}
	web_buf_add(b, run);
}

const char *web_param_get(const web_request *rq, const char *key, int *twice)
{
	const char *v = NULL;

	if (twice)
		*twice = 0;
	for (size_t i = 0; rq && i < rq->n_params; i++) {
		if (strcmp(rq->params[i].key, key))
			continue;
		if (v && twice)
			*twice = 1;
		if (!v)
			v = rq->params[i].value;
	}
	return v;
}

static int listed(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(key, *list))
			return 1;
	return 0;
}

int web_params_check(const web_request *rq, const char *const *allowed,
		     const char *const *repeatable, int json, web_response *rs)
{
	char msg[200];

	for (size_t i = 0; i < rq->n_params; i++) {
		const char *k = rq->params[i].key;
		int twice;
		if (!listed(k, allowed)) {
			/* the name is the client's: quoted, and cut to a readable length */
			snprintf(msg, sizeof(msg), "unknown parameter '%.60s'", k);
		} else if (!listed(k, repeatable) && (web_param_get(rq, k, &twice), twice)) {
			snprintf(msg, sizeof(msg), "parameter '%s' is given more than once", k);
		} else {
			continue;
		}
		if (json)
			web_json_error(rs, 400, "%s", msg);
		else
			web_page_error(rs, 400, "Bad request", msg);
		return -1;
	}
	return 0;
}

void web_json_doc(web_response *rs, json_t *doc)
{
	char *text;

	if (cli_format_failed()) {
		json_decref(doc);
		web_json_error(rs, 500, "%s", "a figure could not be written (see the server's log)");
		return;
	}
	text = cli_json_text(doc);
	json_decref(doc);
	if (!text)
		abort();
	rs->status = 200;
	rs->type = "application/json; charset=utf-8";
	web_buf_add(&rs->body, text);
	free(text);
}

void web_json_error(web_response *rs, int status, const char *fmt, ...)
{
	char msg[1024];
	json_t *doc, *s;
	char *text;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* a message cut inside a UTF-8 sequence, or carrying bytes that are not
	 * text, is still answered: with the part that is */
	if (!(s = cli_json_str(msg)))
		s = cli_json_str("the request could not be answered");
	doc = json_object();
	json_object_set_new(doc, "error", s);
	text = json_dumps(doc, 0);
	json_decref(doc);
	if (!text)
		abort();
	rs->body.len = 0;
	rs->status = status;
	rs->type = "application/json; charset=utf-8";
	web_buf_add(&rs->body, text);
	web_buf_add(&rs->body, "\n");
	free(text);
}

int web_status_for(int code)
{
	switch (code) {
	case PHSG_EINVAL: return 400;
	case PHSG_ENOTFOUND: return 404;
	case PHSG_ERULE: return 422;
	case PHSG_ELEDGER: return 503;
	default: return 500;
	}
}

static int read_int(const char *name, const char *text, int *out)
{
	long v = 0;

	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9' || v > 1000)
			return phsg_error_set(PHSG_EINVAL, "%s takes a whole number from 1 to 99, "
					      "not '%.40s'", name, text);
		v = v * 10 + (*p - '0');
	}
	if (v < 1 || v > 99)
		return phsg_error_set(PHSG_EINVAL, "%s %ld is out of range (1 to 99)", name, v);
	*out = (int)v;
	return 0;
}

int web_quote_args_read(const web_request *rq, web_quote_args *qa)
{
	const char *v;
	int rc;

	memset(qa, 0, sizeof(*qa));
	for (size_t i = 0; i < rq->n_params; i++) {
		const char *k = rq->params[i].key;
		v = rq->params[i].value;
		if (!*v)
			continue; /* a form's empty field: not given */
		if (!strcmp(k, "package")) {
			qa->o.package = v;
		} else if (!strcmp(k, "level")) {
			if ((rc = read_int("level", v, &qa->o.level)))
				return rc;
		} else if (!strcmp(k, "tier")) {
			if ((rc = read_int("tier", v, &qa->o.tier)))
				return rc;
		} else if (!strcmp(k, "chosen-tier") || !strcmp(k, "chosen_tier")) {
			if ((rc = read_int("chosen-tier", v, &qa->o.chosen_tier)))
				return rc;
		} else if (!strcmp(k, "hours")) {
			qa->o.hours = v;
		} else if (!strcmp(k, "need")) {
			if (qa->o.n_needs == (int)(sizeof(qa->o.needs) / sizeof(qa->o.needs[0])))
				return phsg_error_set(PHSG_EINVAL, "too many needs: at most %d",
						      (int)(sizeof(qa->o.needs) / sizeof(qa->o.needs[0])));
			qa->o.needs[qa->o.n_needs++] = v;
		} else if (!strcmp(k, "start")) {
			qa->o.start = v;
		}
	}
	if (!qa->o.package)
		return phsg_error_set(PHSG_EINVAL, "package is required (see /api/scheme for the packages)");
	if (qa->o.start) {
		if ((rc = phsg_date_parse(&qa->start, qa->o.start)))
			return rc;
	} else {
		qa->start = cli_today();
	}
	return 0;
}
