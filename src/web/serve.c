/*
 * serve.c - phsg serve [--listen ADDR:PORT] [--token-file FILE]
 * (SPEC section 15): the broker's pages, the quote API and, read-only and
 * behind a token, the finance views, over HTTP with libmicrohttpd.
 *
 * The model.  The scheme is loaded once, before the first request, and is
 * immutable after that (phsg/scheme.h), so the handlers share it without a
 * lock; everything else a request needs is its own.  libmicrohttpd answers
 * on a pool of threads (one per processor), each with its own epoll set.
 * The library's last error and the CLI's formatting flag are per thread, so
 * a handler reads its own.
 *
 * A request is read from its raw target (the URI log callback keeps it):
 * the path and the query are percent-decoded here, strictly - a malformed
 * escape, a NUL or invalid UTF-8 is a 400, never passed on - and the
 * handlers (api.c, pages.c) see only decoded parameters.
 *
 * Bounds, so no client can hold the server:
 *   - a request target of at most URL_MAX bytes (414) and headers of at
 *     most HEADERS_MAX bytes (431); past MHD_MEMORY, libmicrohttpd itself
 *     refuses them before they reach us;
 *   - GET and HEAD only (405 with Allow), and no request body (400);
 *   - at most MAX_CONNECTIONS connections; more are closed on accept;
 *   - a connection idle for IDLE_SECONDS is closed by libmicrohttpd, and a
 *     request whose line and headers have not all arrived REQUEST_SECONDS
 *     after the connection opened (or after its previous answer) is cut off
 *     by the watchdog below - a client trickling a byte at a time (a
 *     "slowloris") is not idle, but it is slow.
 *
 * The watchdog.  Each connection has a node holding its socket and a
 * deadline (0 while a request is being answered).  A thread looks at the
 * nodes four times a second and shuts down the socket of any connection
 * past its deadline; libmicrohttpd then sees the end of the stream and
 * closes the connection itself.  libmicrohttpd tells us a connection closed
 * before it closes the socket, and both happen under the same mutex as the
 * shutdown, so the watchdog never touches a socket number that has been
 * reused.
 *
 * The finance views are served only when --token-file is given and the
 * listener is a loopback address, and only to a request carrying the token
 * in its Authorization header (Bearer, or Basic with the token as the
 * password), compared in constant time.  A request with the token in its
 * address is refused: addresses end up in logs and histories.
 *
 * Every answer carries the security headers of SPEC section 15 (and
 * X-Frame-Options).  Nothing here writes to the ledger.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <microhttpd.h>
#include "json_out.h"
#include "web.h"

/*
 * libmicrohttpd, loaded when `phsg serve` starts, not linked: it brings
 * GnuTLS and seven more libraries, whose start-up was 2 ms of every other
 * command (a quote, an idle run) that never serves a page.
 */
#define MHD_FUNCS(X) \
	X(MHD_get_connection_info) \
	X(MHD_lookup_connection_value) \
	X(MHD_get_connection_values) \
	X(MHD_create_response_from_buffer) \
	X(MHD_add_response_header) \
	X(MHD_queue_response) \
	X(MHD_destroy_response) \
	X(MHD_start_daemon) \
	X(MHD_stop_daemon)

static struct {
#define MHD_FIELD(name) __typeof__(name) *name;
	MHD_FUNCS(MHD_FIELD)
#undef MHD_FIELD
} mhd_api;

#define MHD_SONAME "libmicrohttpd.so.12"

/* 0, or a message on standard error and EXIT_LEDGER: the library is missing */
static int mhd_load(void)
{
	void *h = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *missing = h ? NULL : dlerror();

#define MHD_LOAD(name) \
	if (!missing && !(*(void **)&mhd_api.name = dlsym(h, #name))) \
		missing = MHD_SONAME " has no " #name;
	MHD_FUNCS(MHD_LOAD)
#undef MHD_LOAD
	if (!missing)
		return EXIT_OK;
	fprintf(stderr, "phsg: error: phsg serve needs libmicrohttpd, which could not be loaded "
		"(%s); install it (Debian: apt install libmicrohttpd12)\n", missing);
	return EXIT_LEDGER;
}

#define URL_MAX 4096
#define HEADERS_MAX 8192
#define PARAMS_MAX 64
#define MHD_MEMORY (32 * 1024)
#define MAX_CONNECTIONS 2000
#define IDLE_SECONDS 10
#define REQUEST_SECONDS 10
#define TOKEN_MIN 16
#define TOKEN_MAX 1024

static const char usage[] =
	"usage: phsg serve [--listen ADDR:PORT] [--token-file FILE]\n"
	"\n"
	"Serve the scheme over HTTP (default 127.0.0.1:8080): the broker's quote\n"
	"form at /, quotes at /quote and /api/quote (the JSON of phsg quote), the\n"
	"scheme at /api/scheme.  With --token-file, on a loopback address only,\n"
	"the read-only finance views: /finance, /api/awards?client=C,\n"
	"/api/awards/REF, /api/batches, /api/batches/ID and\n"
	"/api/reports/balances?as_of=DATE, for requests with the file's token\n"
	"(Authorization: Bearer TOKEN, or Basic with the token as the password).\n"
	"ADDR is an IPv4 address, [IPv6] or localhost; PORT 0 picks a free port.\n"
	"The address served is printed on stderr.  SIGINT or SIGTERM stops it.\n";

static const char CSP[] = "default-src 'none'; style-src 'unsafe-inline'";

/* ---- the watchdog ---- */

typedef struct conn_node {
	struct conn_node *prev, *next;
	int fd;
	int64_t deadline; /* monotonic milliseconds; 0: none */
} conn_node;

typedef struct {
	web_ctx cx;
	char *token;
	size_t token_len;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	conn_node nodes; /* a ring, with this as its head */
	int stopping;
} server;

/* The monotonic clock in milliseconds (never 0: 0 means "no deadline"). */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 1;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	server *sv = cls;
	conn_node *n;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			mhd_api.MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!(n = calloc(1, sizeof(*n))))
			abort();
		n->fd = ci ? ci->connect_fd : -1;
		pthread_mutex_lock(&sv->mu);
		n->deadline = now_ms() + REQUEST_SECONDS * 1000;
		n->next = sv->nodes.next;
		n->prev = &sv->nodes;
		sv->nodes.next->prev = n;
		sv->nodes.next = n;
		pthread_mutex_unlock(&sv->mu);
		*socket_context = n;
	} else if ((n = *socket_context)) {
		pthread_mutex_lock(&sv->mu);
		n->prev->next = n->next;
		n->next->prev = n->prev;
		pthread_mutex_unlock(&sv->mu);
		free(n);
		*socket_context = NULL;
	}
}

/* A request has arrived (deadline 0) or been answered (the next one's starts). */
static void set_deadline(server *sv, struct MHD_Connection *c, int arrived)
{
	const union MHD_ConnectionInfo *ci =
		mhd_api.MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	conn_node *n = ci ? ci->socket_context : NULL;

	if (!n)
		return;
	pthread_mutex_lock(&sv->mu);
	n->deadline = arrived ? 0 : now_ms() + REQUEST_SECONDS * 1000;
	pthread_mutex_unlock(&sv->mu);
}

static void *watchdog(void *arg)
{
	server *sv = arg;

	pthread_mutex_lock(&sv->mu);
	while (!sv->stopping) {
		struct timespec until;
		int64_t t;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000 * 1000 * 1000) {
			until.tv_sec++;
			until.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&sv->cv, &sv->mu, &until);
		t = now_ms();
		for (conn_node *n = sv->nodes.next; n != &sv->nodes; n = n->next) {
			if (n->deadline > 0 && t >= n->deadline && n->fd >= 0) {
				shutdown(n->fd, SHUT_RDWR);
				n->deadline = 0;
			}
		}
	}
	pthread_mutex_unlock(&sv->mu);
	return NULL;
}

/* ---- the request ---- */

typedef struct {
	char *target;   /* the raw request target, NULL when too long */
	int seen;       /* the access handler has been called for it */
	int answered;
} req_state;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	req_state *st = calloc(1, sizeof(*st));

	(void)cls;
	(void)c;
	if (!st)
		abort();
	if (strlen(uri) <= URL_MAX && !(st->target = strdup(uri)))
		abort();
	return st;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	req_state *st = *req_cls;

	(void)toe;
	if (st) {
		free(st->target);
		free(st);
		*req_cls = NULL;
	}
	set_deadline(cls, c, 0);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decode [s, s + n) into a new string ('+' is a space in a query).
 * NULL, with *why, for a malformed escape, a NUL, or bytes that are not
 * UTF-8.
 */
static char *decode(const char *s, size_t n, int plus, const char **why)
{
	char *out = malloc(n + 1);
	size_t o = 0;

	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
				*why = "a malformed percent-encoding ('%' must be followed by two hex digits)";
				goto bad;
			}
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (plus && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (!phsg_text_utf8_valid(out, o)) {
		*why = "a value that is not UTF-8 text, or holds a NUL";
		goto bad;
	}
	return out;
bad:
	free(out);
	return NULL;
}

static void request_release(web_request *rq)
{
	for (size_t i = 0; i < rq->n_params; i++) {
		free(rq->params[i].key);
		free(rq->params[i].value);
	}
	free(rq->params);
	free((char *)rq->path);
}

/* The target's path and query, decoded; 0, or -1 with *why. */
static int request_parse(const char *target, web_request *rq, const char **why)
{
	const char *q = strchr(target, '?'), *p;
	size_t cap = 0;

	memset(rq, 0, sizeof(*rq));
	if (target[0] != '/') {
		*why = "the request target must be a path beginning with '/'";
		return -1;
	}
	if (!(rq->path = decode(target, q ? (size_t)(q - target) : strlen(target), 0, why)))
		return -1;
	for (p = q ? q + 1 : NULL; p && *p;) {
		const char *end = strchr(p, '&'), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		web_param *w;
		if (len == 0) {
			p = end ? end + 1 : NULL;
			continue;
		}
		if (rq->n_params == PARAMS_MAX) {
			*why = "too many parameters (at most 64)";
			return -1;
		}
		if (rq->n_params == cap) {
			cap = cap ? 2 * cap : 8;
			if (!(rq->params = realloc(rq->params, cap * sizeof(*rq->params))))
				abort();
		}
		w = &rq->params[rq->n_params];
		eq = memchr(p, '=', len);
		if (!(w->key = decode(p, eq ? (size_t)(eq - p) : len, 1, why)))
			return -1;
		if (!(w->value = eq ? decode(eq + 1, len - (size_t)(eq - p) - 1, 1, why) : strdup(""))) {
			free(w->key);
			if (!eq)
				abort();
			return -1;
		}
		rq->n_params++;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

/* ---- the token ---- */

/* Equal, in a time that depends only on the length of the token we hold. */
static int token_equal(const server *sv, const char *given, size_t len)
{
	unsigned long diff = (unsigned long)(len ^ sv->token_len);

	for (size_t i = 0; i < sv->token_len; i++) {
		unsigned char g = i < len ? (unsigned char)given[i] : 0;
		diff |= (unsigned char)(g ^ (unsigned char)sv->token[i]);
	}
	return diff == 0;
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Strict base64 into out (at most cap - 1 bytes, NUL-terminated); its length, or -1. */
static long b64decode(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s), o = 0;
	unsigned bits = 0;
	int nbits = 0;

	while (n && s[n - 1] == '=')
		n--;
	if (strlen(s) - n > 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int v = b64val(s[i]);
		if (v < 0)
			return -1;
		bits = (bits << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			if (o + 1 >= cap)
				return -1;
			out[o++] = (char)((bits >> nbits) & 0xff);
		}
	}
	out[o] = '\0';
	return (long)o;
}

static int has_scheme(const char *h, const char *scheme)
{
	size_t n = strlen(scheme);
	return strncasecmp(h, scheme, n) == 0 && h[n] == ' ';
}

/* Does the request carry the token?  1 yes; 0 no; -1 it is in the address. */
static int authorised(server *sv, struct MHD_Connection *c, const web_request *rq)
{
	const char *h = mhd_api.MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							    MHD_HTTP_HEADER_AUTHORIZATION);
	char buf[2 * TOKEN_MAX + 256];
	int ok = 0;

	for (size_t i = 0; i < rq->n_params; i++) {
		const char *k = rq->params[i].key, *v = rq->params[i].value;
		if (!strcmp(k, "token") || !strcmp(k, "access_token") ||
		    token_equal(sv, v, strlen(v)))
			return -1;
	}
	if (!h)
		return 0;
	if (has_scheme(h, "Bearer")) {
		for (h += 7; *h == ' '; h++)
			;
		ok = token_equal(sv, h, strlen(h));
	} else if (has_scheme(h, "Basic")) {
		long n;
		char *colon;
		for (h += 6; *h == ' '; h++)
			;
		if (strlen(h) < sizeof(buf) / 2 && (n = b64decode(h, buf, sizeof(buf))) >= 0 &&
		    (colon = memchr(buf, ':', (size_t)n)))
			ok = token_equal(sv, colon + 1, (size_t)(n - (colon + 1 - buf)));
		explicit_bzero(buf, sizeof(buf));
	}
	return ok;
}

/* ---- answering ---- */

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	size_t *total = cls;

	(void)kind;
	*total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

static int is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

/* An error answer in the kind the path would have had. */
static void refuse(web_response *rs, const char *path, int status, const char *title,
		   const char *message)
{
	if (is_api(path))
		web_json_error(rs, status, "%s", message);
	else
		web_page_error(rs, status, title, message);
}

static int finance_path(const char *path)
{
	return !strcmp(path, "/finance") || !strcmp(path, "/api/awards") ||
	       !strncmp(path, "/api/awards/", 12) || !strcmp(path, "/api/batches") ||
	       !strncmp(path, "/api/batches/", 13) || !strcmp(path, "/api/reports/balances");
}

static void route(server *sv, struct MHD_Connection *c, web_request *rq, web_response *rs)
{
	const web_ctx *cx = &sv->cx;
	const char *path = rq->path;

	if (finance_path(path)) {
		int ok;
		rs->no_store = 1;
		if (!cx->finance) {
			refuse(rs, path, 404, "Not found", cx->finance_off);
			return;
		}
		if ((ok = authorised(sv, c, rq)) != 1) {
			rs->challenge = 1;
			refuse(rs, path, 401, "The finance views need the token", ok < 0 ?
			       "the token goes in the Authorization header, never in the address" :
			       "the finance views need the token: Authorization: Bearer TOKEN, or "
			       "Basic with the token as the password");
			return;
		}
		if (!strcmp(path, "/finance"))
			web_page_finance(cx, rq, rs);
		else if (!strcmp(path, "/api/awards"))
			web_api_awards(cx, rq, rs);
		else if (!strncmp(path, "/api/awards/", 12))
			web_api_award(cx, rq, path + 12, rs);
		else if (!strcmp(path, "/api/batches"))
			web_api_batches(cx, rq, rs);
		else if (!strncmp(path, "/api/batches/", 13))
			web_api_batch(cx, rq, path + 13, rs);
		else
			web_api_balances(cx, rq, rs);
		return;
	}
	if (!strcmp(path, "/"))
		web_page_form(cx, rq, rs);
	else if (!strcmp(path, "/quote"))
		web_page_quote(cx, rq, rs);
	else if (!strcmp(path, "/api/quote"))
		web_api_quote(cx, rq, rs);
	else if (!strcmp(path, "/api/scheme"))
		web_api_scheme(cx, rq, rs);
	else
		refuse(rs, path, 404, "Not found", "there is nothing at this address");
}

static enum MHD_Result send_response(struct MHD_Connection *c, web_response *rs, int allow)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	size_t len = rs->body.len;
	char *body = rs->body.s;

	if (!body) {
		if (!(body = strdup("")))
			abort();
		len = 0;
	}
	r = mhd_api.MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	mhd_api.MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				rs->type ? rs->type : "text/plain; charset=utf-8");
	mhd_api.MHD_add_response_header(r, "Content-Security-Policy", CSP);
	mhd_api.MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	mhd_api.MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	mhd_api.MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (rs->no_store || rs->challenge)
		mhd_api.MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (rs->challenge) {
		mhd_api.MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Basic realm=\"phsg finance\", charset=\"UTF-8\"");
		mhd_api.MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"phsg finance\"");
	}
	if (allow)
		mhd_api.MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = mhd_api.MHD_queue_response(c, (unsigned)rs->status, r);
	mhd_api.MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	server *sv = cls;
	req_state *st = *req_cls;
	web_response rs;
	web_request rq;
	const char *why = NULL, *te, *cl;
	size_t header_bytes = 0;
	int allow = 0, parsed = 0, get;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	if (st && st->answered) {
		*upload_data_size = 0; /* a body after the answer: dropped */
		return MHD_YES;
	}
	te = mhd_api.MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_TRANSFER_ENCODING);
	cl = mhd_api.MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	if (st && !st->seen) {
		/* the line and headers are in.  A GET without a body is answered at
		 * the next call, once libmicrohttpd knows the request is whole (an
		 * answer queued earlier closes the connection); anything else is
		 * refused now, without reading what follows */
		set_deadline(sv, c, 1);
		st->seen = 1;
		if (get && !te && (!cl || !strcmp(cl, "0")))
			return MHD_YES;
	}
	memset(&rs, 0, sizeof(rs));
	cli_format_reset();
	phsg_error_clear();
	mhd_api.MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &header_bytes);
	if (!get) {
		allow = 1;
		refuse(&rs, url, 405, "Method not allowed", "only GET and HEAD are served: nothing "
		       "is changed over HTTP");
	} else if (!st || !st->target) {
		refuse(&rs, url, 414, "Address too long", "the request's address is too long (at "
		       "most 4096 bytes)");
	} else if (header_bytes > HEADERS_MAX) {
		refuse(&rs, url, 431, "Headers too large", "the request's headers are too large (at "
		       "most 8192 bytes)");
	} else if (te || (cl && strcmp(cl, "0"))) {
		refuse(&rs, url, 400, "Bad request", "a GET or HEAD request has no body");
	} else if (request_parse(st->target, &rq, &why) != 0) {
		parsed = 1;
		refuse(&rs, url, 400, "Bad request", why);
	} else {
		parsed = 1;
		route(sv, c, &rq, &rs);
	}
	if (parsed)
		request_release(&rq);
	if (st)
		st->answered = 1;
	ret = send_response(c, &rs, allow);
	return ret;
}

/* ---- starting ---- */

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("phsg serve: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (*fmt && fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', stderr);
}

/*
 * "127.0.0.1:8080", "[::1]:8080", "localhost:8080", "0.0.0.0:80": the
 * socket address, and whether it is loopback.
 */
static int parse_listen(const char *text, struct sockaddr_storage *ss, socklen_t *len, int *loopback)
{
	char host[128];
	const char *colon, *port_s;
	long port = 0;
	struct addrinfo hints, *ai = NULL;

	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
			goto bad;
		memcpy(host, text + 1, (size_t)(close - text - 1));
		host[close - text - 1] = '\0';
		port_s = close + 2;
	} else {
		if (!(colon = strrchr(text, ':')) || colon == text ||
		    (size_t)(colon - text) >= sizeof(host) || memchr(text, ':', (size_t)(colon - text)))
			goto bad;
		memcpy(host, text, (size_t)(colon - text));
		host[colon - text] = '\0';
		port_s = colon + 1;
	}
	if (!*port_s)
		goto bad;
	for (const char *p = port_s; *p; p++) {
		if (*p < '0' || *p > '9' || port > 65535)
			goto bad;
		port = port * 10 + (*p - '0');
	}
	if (port > 65535)
		goto bad;
	if (!strcmp(host, "localhost"))
		snprintf(host, sizeof(host), "%s", "127.0.0.1");
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	{
		char ps[8];
		snprintf(ps, sizeof(ps), "%ld", port);
		if (getaddrinfo(host, ps, &hints, &ai) || !ai)
			goto bad;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		*loopback = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		*loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr) ||
			    (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) && in6->sin6_addr.s6_addr[12] == 127);
	}
	return 0;
bad:
	return cli_usage_error("--listen: '%s' is not ADDR:PORT (an IPv4 address, [IPv6] or "
			       "localhost, and a port from 0 to 65535)", text);
}

/* Read the token: printable ASCII, no spaces, TOKEN_MIN to TOKEN_MAX characters. */
static int read_token(const char *path, char **out, size_t *len)
{
	char buf[TOKEN_MAX + 64];
	struct stat sb;
	size_t n;
	FILE *f = cli_open_input("the token file", path);

	if (!f)
		return EXIT_USAGE;
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
		fprintf(stderr, "phsg serve: warning: the token file '%s' can be read by other "
			"users (chmod 600 it)\n", path);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
		n--;
	if (n > TOKEN_MAX) {
		explicit_bzero(buf, sizeof(buf));
		return cli_usage_error("the token in '%s' is longer than %d characters", path, TOKEN_MAX);
	}
	for (size_t i = 0; i < n; i++)
		if (buf[i] < 0x21 || buf[i] > 0x7e) {
			explicit_bzero(buf, sizeof(buf));
			return cli_usage_error("the token in '%s' must be printable ASCII without spaces "
					       "(one line)", path);
		}
	if (n < TOKEN_MIN) {
		explicit_bzero(buf, sizeof(buf));
		return cli_usage_error("the token in '%s' is too short: at least %d characters (for "
				       "example: head -c 32 /dev/urandom | base64)", path, TOKEN_MIN);
	}
	if (!(*out = malloc(n + 1)))
		abort();
	memcpy(*out, buf, n);
	(*out)[n] = '\0';
	*len = n;
	explicit_bzero(buf, sizeof(buf));
	return EXIT_OK;
}

static int open_listener(const struct sockaddr_storage *ss, socklen_t len, const char *text,
			 char *shown, size_t shown_size)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;
	struct sockaddr_storage got;
	socklen_t got_len = sizeof(got);
	char host[INET6_ADDRSTRLEN];

	if (fd < 0) {
		fprintf(stderr, "phsg: error: cannot listen on '%s': %s\n", text, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 1024) ||
	    getsockname(fd, (struct sockaddr *)&got, &got_len)) {
		fprintf(stderr, "phsg: error: cannot listen on '%s': %s\n", text, strerror(errno));
		close(fd);
		return -1;
	}
	if (got.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&got;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(shown, shown_size, "http://%s:%u/", host, ntohs(in->sin_port));
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&got;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(shown, shown_size, "http://[%s]:%u/", host, ntohs(in6->sin6_port));
	}
	return fd;
}

int cmd_serve(const cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "token-file", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *listen_at = "127.0.0.1:8080", *token_file = NULL;
	struct sockaddr_storage ss;
	socklen_t ss_len = 0;
	int c, rc, loopback = 0, fd = -1, sig = 0, threads, watching = 0;
	char shown[INET6_ADDRSTRLEN + 32];
	struct MHD_Daemon *d = NULL;
	pthread_t wd;
	sigset_t stop;
	server sv;
	long cpus;

	memset(&sv, 0, sizeof(sv));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen_at = optarg; break;
		case 't': token_file = optarg; break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default: return cli_usage_error("serve: unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("serve: unexpected argument '%s'", argv[optind]);
	if ((rc = parse_listen(listen_at, &ss, &ss_len, &loopback)))
		return rc;
	if (token_file && (rc = read_token(token_file, &sv.token, &sv.token_len)))
		return rc;
	sv.cx.g = g;
	if ((rc = cli_load_scheme(g, &sv.cx.sc)))
		goto cleanup;
	if (!token_file) {
		sv.cx.finance_off = "the finance views are off (phsg serve was started without "
				    "--token-file)";
	} else if (!loopback) {
		sv.cx.finance_off = "the finance views are off: they are served only on a loopback "
				    "listener";
		fprintf(stderr, "phsg serve: warning: the finance views are off: '%s' is not a "
			"loopback address (put a TLS proxy on this host in front of a loopback "
			"listener; see the README)\n", listen_at);
	} else {
		phsg_ledger *l = NULL;
		/* a ledger that cannot be read is said now, not at the first request */
		if ((rc = cli_open_ledger(g, &l, PHSG_LEDGER_READONLY)))
			goto cleanup;
		phsg_ledger_close(l);
		sv.cx.finance = 1;
	}
	if ((rc = mhd_load()))
		goto cleanup;
	if ((fd = open_listener(&ss, ss_len, listen_at, shown, sizeof(shown))) < 0) {
		rc = EXIT_LEDGER;
		goto cleanup;
	}
	/* the threads started below inherit this mask: only sigwait sees these */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	json_object_seed(0); /* before any thread makes a JSON object */
	pthread_mutex_init(&sv.mu, NULL);
	pthread_cond_init(&sv.cv, NULL);
	sv.nodes.next = sv.nodes.prev = &sv.nodes;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	threads = cpus < 1 ? 1 : cpus > 16 ? 16 : (int)cpus;
	d = mhd_api.MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			(ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, on_request, &sv,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_SECONDS,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MHD_MEMORY,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, &sv,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &sv,
		MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "phsg: error: cannot start the web service on '%s'\n", listen_at);
		close(fd);
		rc = EXIT_LEDGER;
		goto cleanup;
	}
	if (pthread_create(&wd, NULL, watchdog, &sv) == 0)
		watching = 1;
	fprintf(stderr, "phsg serve: %s on %s (finance views %s)\n", sv.cx.sc->name, shown,
		sv.cx.finance ? "on, with the token" : "off");
	fflush(stderr);
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "phsg serve: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	mhd_api.MHD_stop_daemon(d);
	close(fd);
	if (watching) {
		pthread_mutex_lock(&sv.mu);
		sv.stopping = 1;
		pthread_cond_signal(&sv.cv);
		pthread_mutex_unlock(&sv.mu);
		pthread_join(wd, NULL);
	}
	pthread_cond_destroy(&sv.cv);
	pthread_mutex_destroy(&sv.mu);
	rc = EXIT_OK;
cleanup:
	phsg_scheme_free(sv.cx.sc);
	if (sv.token) {
		explicit_bzero(sv.token, sv.token_len);
		free(sv.token);
	}
	return rc;
}
