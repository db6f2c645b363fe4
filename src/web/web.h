/*
 * web.h - what the parts of `phsg serve` share (SPEC section 15).
 *
 * serve.c owns the socket, libmicrohttpd, the limits, the token and the
 * security headers; it turns each request into a web_request (the path and
 * the query, percent-decoded strictly) and sends the web_response it gets
 * back.  api.c answers /api/... with the JSON the CLI prints (json_out.h);
 * pages.c answers the HTML pages.  Neither part sees HTTP: a handler reads
 * its parameters and fills in a status, a content type and a body.
 *
 * Nothing here writes to the ledger: the finance views open it with
 * PHSG_LEDGER_READONLY for each request and close it before answering.
 */
#ifndef PHSG_WEB_H
#define PHSG_WEB_H

#include <stddef.h>
#include "cli.h"

/** A growing text buffer; s is NULL until something is added. */
typedef struct {
	char *s;
	size_t len, cap;
} web_buf;

void web_buf_add(web_buf *b, const char *text);
void web_buf_addn(web_buf *b, const char *text, size_t n);
void web_buf_printf(web_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Add `text` with & < > " ' written as entities: safe in content and in quoted attributes. */
void web_buf_html(web_buf *b, const char *text);

/** One query parameter, percent-decoded: valid UTF-8 without NUL. */
typedef struct {
	char *key, *value;
} web_param;

typedef struct {
	const char *path;        /* percent-decoded */
	size_t n_params;
	web_param *params;       /* in the order given */
	int finance_ok;          /* the token was given (and the finance views are on) */
} web_request;

typedef struct {
	int status;
	const char *type;        /* Content-Type */
	web_buf body;
	int challenge;           /* 401: ask for the token (WWW-Authenticate) */
	int no_store;            /* Cache-Control: no-store (the finance views) */
} web_response;

/** What every request may read: loaded once at the start, never changed. */
typedef struct {
	const cli_globals *g;
	phsg_scheme *sc;
	int finance;             /* --token-file given and the listener is loopback */
	const char *finance_off; /* why the finance views are off, for the 404 */
} web_ctx;

/** The value of parameter `key`, or NULL; *twice is set when it was given more than once. */
const char *web_param_get(const web_request *rq, const char *key, int *twice);

/**
 * Check that every parameter is one of `allowed` (NULL-terminated) and that
 * none but those in `repeatable` is given twice; on failure fills `rs` with a
 * 400 (JSON when `json`, else a short page) and returns -1.
 */
int web_params_check(const web_request *rq, const char *const *allowed,
		     const char *const *repeatable, int json, web_response *rs);

/** An error answer: {"error": "MESSAGE"} with `status`. */
void web_json_error(web_response *rs, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** A JSON document as the CLI prints it (takes the reference). */
void web_json_doc(web_response *rs, json_t *doc);
/** The HTTP status for a library error code (400, 404, 422, 500, 503). */
int web_status_for(int code);

/* The quote form's parameters, read the same way for /api/quote and /quote. */
typedef struct {
	cli_assessment_opts o;
	phsg_date start;
} web_quote_args;

/**
 * Read the quote parameters: package, level, tier, chosen-tier (or
 * chosen_tier), hours, need (repeatable), start.  An empty value counts
 * as not given (a form sends every field).  0, or a PHSG_E* code with the
 * message (PHSG_EINVAL: a 400).
 */
int web_quote_args_read(const web_request *rq, web_quote_args *qa);

/* api.c */
void web_api_quote(const web_ctx *cx, const web_request *rq, web_response *rs);
void web_api_scheme(const web_ctx *cx, const web_request *rq, web_response *rs);
void web_api_awards(const web_ctx *cx, const web_request *rq, web_response *rs);
void web_api_award(const web_ctx *cx, const web_request *rq, const char *ref, web_response *rs);
void web_api_batches(const web_ctx *cx, const web_request *rq, web_response *rs);
void web_api_batch(const web_ctx *cx, const web_request *rq, const char *id, web_response *rs);
void web_api_balances(const web_ctx *cx, const web_request *rq, web_response *rs);

/* pages.c */
void web_page_form(const web_ctx *cx, const web_request *rq, web_response *rs);
void web_page_quote(const web_ctx *cx, const web_request *rq, web_response *rs);
void web_page_finance(const web_ctx *cx, const web_request *rq, web_response *rs);
void web_page_error(web_response *rs, int status, const char *title, const char *message);

#endif
