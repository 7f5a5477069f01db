// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/http_fetch.c: non-blocking HTTP(S) GET with an MD5 of the body, on lib/scheduler. */
#include "http_fetch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <openssl/err.h>

#include "check_sock.h"
#include "md5.h"
#include "scheduler.h"
#include "utils.h"

/* Reads per readiness callback before the loop gets a turn (STYLE §5). */
#define READ_BUDGET 16

enum phase { PH_CONNECT, PH_HANDSHAKE, PH_SEND, PH_RECV, PH_DONE };

struct http_fetch {
	struct sched *s;		/* borrowed */
	struct http_fetch_cb cb;
	enum phase phase;
	int fd;
	SSL *ssl;
	struct sched_ev *ev_rd, *ev_wr, *ev_later;
	sched_fn *rd_fn, *wr_fn;	/* what ev_rd/ev_wr call, to re-arm only on a change */
	uint64_t timeout_us;
	size_t read_max, head_max;
	bool wait_close;
	bool complete;			/* wait_close: the response is in, waiting for the close */
	char *req;
	size_t req_len, req_sent;
	/* a failure found inside http_fetch_start(), reported from the loop */
	enum http_fetch_why later_why;
	int later_err;

	struct md5 md;			/* of the body (lib/md5.c: no libcrypto for HTTP_GET) */
	uint64_t body_len;
	uint64_t start_us;
	bool readable, tls_unclean;
	size_t head_fed;		/* bytes fed while the head was incomplete */
	uint64_t rx_len;		/* all bytes read */
	bool early;			/* the failure came from the set-up or connect() */
	bool head_done, head_now;	/* head_now: completed by the current read */
	struct http_parser parser;
	size_t size;			/* allocated, with mem[] */
	uint8_t *buf;			/* read_max bytes: in mem[], then the head's head_max */
	uint8_t mem[];
};

/*
 * Ended fetches kept for the next ones (same buffer sizes, the common case): a checker
 * doing hundreds of HTTP checks a second would otherwise spread its 8 KB blocks over the
 * whole heap, each page touched once staying resident (1,000 HTTP_GETs: +0.8 MB RssAnon).
 * Reused, the memory is that of the fetches in flight at the busiest moment.
 */
#define FETCH_CACHE 8
static struct http_fetch *fetch_cache[FETCH_CACHE];
static unsigned n_fetch_cache;

static struct http_fetch *fetch_alloc(size_t size)
{
	for (unsigned i = 0; i < n_fetch_cache; i++) {
		struct http_fetch *f = fetch_cache[i];

		if (f->size != size)
			continue;
		fetch_cache[i] = fetch_cache[--n_fetch_cache];
		memset(f, 0, size);
		f->size = size;
		return f;
	}
	struct http_fetch *f = xcalloc(1, size);

	f->size = size;
	return f;
}

static void fetch_release(struct http_fetch *f)
{
	if (n_fetch_cache < FETCH_CACHE) {
		fetch_cache[n_fetch_cache++] = f;
		return;
	}
	free(f);
}

static const char *const why_names[HTTP_FETCH__COUNT] = {
	[HTTP_FETCH_OK] = "ok",
	[HTTP_FETCH_TRUNCATED] = "body cut short by the close",
	[HTTP_FETCH_NO_ROUTE] = "network unreachable",
	[HTTP_FETCH_CONNECT_FAILED] = "connection failed",
	[HTTP_FETCH_CONNECT_TIMEOUT] = "connect timeout",
	[HTTP_FETCH_TLS_FAILED] = "TLS handshake failed",
	[HTTP_FETCH_TLS_TIMEOUT] = "TLS handshake timeout",
	[HTTP_FETCH_SEND_FAILED] = "send failed",
	[HTTP_FETCH_SEND_TIMEOUT] = "send timeout",
	[HTTP_FETCH_RECV_FAILED] = "read failed",
	[HTTP_FETCH_RECV_TIMEOUT] = "read timeout",
	[HTTP_FETCH_NO_HEAD] = "closed before the response head",
	[HTTP_FETCH_BAD_RESPONSE] = "invalid HTTP response",
};

const char *http_fetch_why_str(enum http_fetch_why why)
{
	return (unsigned)why < HTTP_FETCH__COUNT ? why_names[why] : "?";
}

static void release(struct http_fetch *f)
{
	sched_cancel(&f->ev_rd);
	sched_cancel(&f->ev_wr);
	sched_cancel(&f->ev_later);
	SSL_free(f->ssl);
	f->ssl = NULL;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* The end: the caller's callback is the last thing that touches f. */
static void finish(struct http_fetch *f, enum http_fetch_why why, int err)
{
	struct http_fetch_result r = {
		.why = why,
		.err = err,
		.parse_err = why == HTTP_FETCH_BAD_RESPONSE ? f->parser.err : HTTP_PARSE_OK,
		.readable = f->readable,
		.tls_unclean_close = f->tls_unclean,
		.status = f->head_done ? f->parser.status : 0,
		.head = f->head_done ? f->parser.head : NULL,
		.head_len = f->head_done ? f->parser.head_len : 0,
		.body_len = f->body_len,
		.rx_len = f->rx_len,
		.early = f->early,
	};
	release(f);
	f->phase = PH_DONE;
	md5_final(&f->md, r.md5);
	r.elapsed_us = mono_now_us() - f->start_us;
	f->cb.on_done(f->cb.arg, &r);
}

/* Wait for one direction only, arming it if it is not armed with fn already. */
static int wait_io(struct http_fetch *f, bool rd, sched_fn *fn)
{
	int r = 0;

	if (rd) {
		sched_cancel(&f->ev_wr);
		if (!f->ev_rd || f->rd_fn != fn)
			r = sched_read_named(f->s, &f->ev_rd, f->fd, f->timeout_us, fn, f,
					     "http_fetch_read");
		f->rd_fn = fn;
	} else {
		sched_cancel(&f->ev_rd);
		if (!f->ev_wr || f->wr_fn != fn)
			r = sched_write_named(f->s, &f->ev_wr, f->fd, f->timeout_us, fn, f,
					      "http_fetch_write");
		f->wr_fn = fn;
	}
	return r;
}

static void recv_cb(struct sched_ev *ev, void *arg);
static void send_step(struct http_fetch *f);

/* Body framing aside, a response to GET with one of these statuses has no body. */
static bool no_body_status(int status)
{
	return status < 200 || status == 204 || status == 304;
}

static void parse_head_cb(void *arg, const uint8_t *head, size_t len)
{
	struct http_fetch *f = arg;

	f->head_done = f->head_now = true;
	if (f->cb.on_head)
		f->cb.on_head(f->cb.arg, head, len);
}

/* One read's bytes. True if the fetch has ended (f may be gone). */
static bool process(struct http_fetch *f, const uint8_t *data, size_t len)
{
	struct http_parser *p = &f->parser;
	uint64_t seen = p->body_seen;
	size_t start = 0, raw = 0;
	enum http_parse_err e;

	f->rx_len += len;
	if (f->complete)	/* wait_close: what comes after the response is dropped */
		return false;
	if (f->cb.on_read)
		f->cb.on_read(f->cb.arg, len, !f->head_done);
	if (!f->head_done) {
		f->head_now = false;
		e = http_parse_feed(p, data, len);
		if (!f->head_done) {
			f->head_fed += len;
			if (e == HTTP_PARSE_OK && f->head_fed >= f->head_max) {
				p->err = HTTP_PARSE_HEAD_TOO_BIG;
				e = HTTP_PARSE_HEAD_TOO_BIG;
			}
		} else {
			start = p->head_len - f->head_fed;
		}
	} else {
		e = http_parse_feed(p, data, len);
	}
	if (e != HTTP_PARSE_OK && e != HTTP_PARSE_DONE) {
		finish(f, HTTP_FETCH_BAD_RESPONSE, 0);
		return true;
	}
	/*
	 * keepalived hashes the body as it comes on the wire: a chunked body with its
	 * framing. Other bodies are the parser's own bytes (cut at Content-Length).
	 */
	if (f->head_done) {
		if (p->chunked)
			raw = no_body_status(p->status) ? 0 : len - start;
		else
			raw = (size_t)(p->body_seen - seen);
	}
	if (raw) {
		md5_update(&f->md, data + start, raw);
		f->body_len += raw;
		if (f->cb.on_body)
			f->cb.on_body(f->cb.arg, data + start, raw);
	}
	if (e == HTTP_PARSE_DONE) {
		if (f->wait_close) {
			f->complete = true;
			return false;
		}
		finish(f, HTTP_FETCH_OK, 0);
		return true;
	}
	return false;
}

static void at_eof(struct http_fetch *f, bool unclean)
{
	enum http_parse_err e = f->complete ? HTTP_PARSE_DONE : http_parse_eof(&f->parser);

	f->tls_unclean = unclean;
	if (!f->head_done)
		finish(f, HTTP_FETCH_NO_HEAD, 0);
	else if (e == HTTP_PARSE_DONE)
		finish(f, HTTP_FETCH_OK, 0);
	else if (e == HTTP_PARSE_TRUNCATED)
		finish(f, HTTP_FETCH_TRUNCATED, 0);
	else
		finish(f, HTTP_FETCH_BAD_RESPONSE, 0);
}

static size_t read_size(const struct http_fetch *f)
{
	/* While the head is incomplete, never read past head_max in all. */
	if (!f->head_done && f->head_max - f->head_fed < f->read_max)
		return f->head_max - f->head_fed;
	return f->read_max;
}

/* One TLS read. >0: bytes; 0: wait (armed); -1: the fetch has ended. */
static ssize_t tls_read(struct http_fetch *f)
{
	int n, e;
	unsigned long lib_err;

	ERR_clear_error();
	errno = 0;
	n = SSL_read(f->ssl, f->buf, (int)read_size(f));
	if (n > 0)
		return n;
	e = SSL_get_error(f->ssl, n);
	switch (e) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		if (wait_io(f, e == SSL_ERROR_WANT_READ, recv_cb) == 0)
			return 0;
		finish(f, HTTP_FETCH_RECV_FAILED, ENOMEM);
		return -1;
	case SSL_ERROR_ZERO_RETURN:	/* close_notify */
		at_eof(f, false);
		return -1;
	case SSL_ERROR_SYSCALL:
		if (errno == 0) {	/* OpenSSL 1.1: EOF without close_notify */
			at_eof(f, true);
			return -1;
		}
		finish(f, HTTP_FETCH_RECV_FAILED, errno);
		return -1;
	default:
		lib_err = ERR_peek_error();
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
		/* OpenSSL 3 reports an EOF without close_notify as a protocol error */
		if (ERR_GET_LIB(lib_err) == ERR_LIB_SSL &&
		    ERR_GET_REASON(lib_err) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			at_eof(f, true);
			return -1;
		}
#endif
		(void)lib_err;
		finish(f, HTTP_FETCH_RECV_FAILED, EPROTO);
		return -1;
	}
}

/* One plain read. >0: bytes; 0: wait; -1: the fetch has ended. */
static ssize_t plain_read(struct http_fetch *f)
{
	ssize_t n;

	do
		n = read(f->fd, f->buf, read_size(f));
	while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	if (n == 0) {
		at_eof(f, false);
		return -1;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		return 0;
	finish(f, HTTP_FETCH_RECV_FAILED, errno);
	return -1;
}

static void recv_more_cb(struct sched_ev *ev, void *arg);

static void recv_cb(struct sched_ev *ev, void *arg)
{
	struct http_fetch *f = arg;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		finish(f, f->complete ? HTTP_FETCH_OK : HTTP_FETCH_RECV_TIMEOUT, 0);
		return;
	}
	f->readable = true;
	for (int i = 0; i < READ_BUDGET; i++) {
		ssize_t n = f->ssl ? tls_read(f) : plain_read(f);

		if (n <= 0)
			return;
		if (process(f, f->buf, (size_t)n))
			return;
	}
	/* Out of budget: OpenSSL may hold decrypted bytes epoll cannot see, so come back. */
	if (f->ssl && SSL_pending(f->ssl) > 0 &&
	    sched_timer(f->s, &f->ev_later, 0, recv_more_cb, f) < 0)
		finish(f, HTTP_FETCH_RECV_FAILED, ENOMEM);
}

static void recv_more_cb(struct sched_ev *ev, void *arg)
{
	struct http_fetch *f = arg;

	/* not a fd event: recv_cb must not see SCHED_TIMER as a timeout */
	(void)ev;
	for (int i = 0; i < READ_BUDGET; i++) {
		ssize_t n = tls_read(f);

		if (n <= 0)
			return;
		if (process(f, f->buf, (size_t)n))
			return;
	}
	if (SSL_pending(f->ssl) > 0 && sched_timer(f->s, &f->ev_later, 0, recv_more_cb, f) < 0)
		finish(f, HTTP_FETCH_RECV_FAILED, ENOMEM);
}

static void start_recv(struct http_fetch *f)
{
	f->phase = PH_RECV;
	if (wait_io(f, true, recv_cb) < 0)
		finish(f, HTTP_FETCH_RECV_FAILED, ENOMEM);
}

static void send_cb(struct sched_ev *ev, void *arg)
{
	struct http_fetch *f = arg;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		finish(f, HTTP_FETCH_SEND_TIMEOUT, 0);
		return;
	}
	send_step(f);
}

static void send_step(struct http_fetch *f)
{
	while (f->req_sent < f->req_len) {
		const char *p = f->req + f->req_sent;
		size_t left = f->req_len - f->req_sent;
		ssize_t n;

		if (f->ssl) {
			int e;

			ERR_clear_error();
			errno = 0;
			n = SSL_write(f->ssl, p, (int)left);
			if (n <= 0) {
				e = SSL_get_error(f->ssl, (int)n);
				if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
					if (wait_io(f, e == SSL_ERROR_WANT_READ, send_cb) < 0)
						finish(f, HTTP_FETCH_SEND_FAILED, ENOMEM);
					return;
				}
				finish(f, HTTP_FETCH_SEND_FAILED,
				       e == SSL_ERROR_SYSCALL && errno ? errno : EPROTO);
				return;
			}
		} else {
			n = send(f->fd, p, left, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno == EAGAIN || errno == EWOULDBLOCK) {
					if (wait_io(f, false, send_cb) < 0)
						finish(f, HTTP_FETCH_SEND_FAILED, ENOMEM);
					return;
				}
				finish(f, HTTP_FETCH_SEND_FAILED, errno);
				return;
			}
		}
		f->req_sent += (size_t)n;
	}
	start_recv(f);
}

static void handshake_cb(struct sched_ev *ev, void *arg);

static void handshake_step(struct http_fetch *f)
{
	int r, e;

	ERR_clear_error();
	errno = 0;
	r = SSL_connect(f->ssl);
	if (r == 1) {
		f->phase = PH_SEND;
		send_step(f);
		return;
	}
	e = SSL_get_error(f->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		if (wait_io(f, e == SSL_ERROR_WANT_READ, handshake_cb) < 0)
			finish(f, HTTP_FETCH_TLS_FAILED, ENOMEM);
		return;
	}
	finish(f, HTTP_FETCH_TLS_FAILED, e == SSL_ERROR_SYSCALL ? errno : 0);
}

static void handshake_cb(struct sched_ev *ev, void *arg)
{
	struct http_fetch *f = arg;

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		finish(f, HTTP_FETCH_TLS_TIMEOUT, 0);
		return;
	}
	handshake_step(f);
}

static void connect_cb(struct sched_ev *ev, void *arg)
{
	struct http_fetch *f = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	if (sched_ev_why(ev) == SCHED_TIMEOUT) {
		finish(f, HTTP_FETCH_CONNECT_TIMEOUT, 0);
		return;
	}
	/* EPOLLOUT alone is a connect that succeeded: no getsockopt() needed to know it */
	if ((sched_ev_revents(ev) & (EPOLLERR | EPOLLHUP)) &&
	    getsockopt(f->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		finish(f, HTTP_FETCH_CONNECT_FAILED, err);
		return;
	}
	if (f->ssl) {
		f->phase = PH_HANDSHAKE;
		handshake_step(f);
	} else {
		f->phase = PH_SEND;
		send_step(f);
	}
}

static void later_cb(struct sched_ev *ev, void *arg)
{
	struct http_fetch *f = arg;

	(void)ev;
	finish(f, f->later_why, f->later_err);
}

/* Socket, mark, TLS object and connect(); a failure is reported from the loop. */
static int open_conn(struct http_fetch *f, const struct http_fetch_req *req)
{
	int fd, r;

	fd = socket(req->addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		return -errno;
	f->fd = fd;
	r = ck_sock_setup(fd, req->fwmark, req->bind_if, req->src, req->src_len);
	if (r < 0)
		return r;
	if (req->tls) {
		f->ssl = SSL_new(req->tls);
		if (!f->ssl || !SSL_set_fd(f->ssl, fd) ||
		    (req->sni && !SSL_set_tlsext_host_name(f->ssl, req->sni)))
			return -ENOMEM;
		SSL_set_connect_state(f->ssl);
	}
	if (connect(fd, req->addr, req->addr_len) == 0 || errno == EINPROGRESS)
		return 0;
	return -errno;
}

int http_fetch_start(struct sched *s, const struct http_fetch_req *req, struct http_fetch **ret)
{
	const size_t read_max = req->read_max && req->read_max <= HTTP_FETCH_READ_MAX ?
				req->read_max : 4096;
	const size_t head_max = req->head_max && req->head_max <= HTTP_PARSE_MAX_HEAD ?
				req->head_max : HTTP_PARSE_MAX_HEAD;
	/* the buffers are what this fetch may use, not the largest any fetch may */
	struct http_fetch *f = fetch_alloc(sizeof(*f) + read_max + head_max);
	const struct http_parse_cb pcb = { .on_head = parse_head_cb, .arg = f };
	int r;

	f->s = s;
	f->cb = req->cb;
	f->fd = -1;
	f->timeout_us = req->timeout_us;
	f->wait_close = req->wait_close;
	f->read_max = read_max;
	f->head_max = head_max;
	f->buf = f->mem;
	f->req = xmalloc(req->request_len);
	memcpy(f->req, req->request, req->request_len);
	f->req_len = req->request_len;
	f->start_us = mono_now_us();
	http_parse_init(&f->parser, &pcb, f->mem + read_max, head_max);
	md5_init(&f->md);

	r = open_conn(f, req);
	if (r == 0) {
		f->phase = PH_CONNECT;
		r = wait_io(f, false, connect_cb);
		if (r < 0) {
			http_fetch_free(f);
			return r;
		}
	} else {
		f->later_why = r == -ENETUNREACH || r == -EHOSTUNREACH ? HTTP_FETCH_NO_ROUTE :
			       HTTP_FETCH_CONNECT_FAILED;
		f->later_err = -r;
		f->early = true;
		release(f);
		r = sched_timer(s, &f->ev_later, 0, later_cb, f);
		if (r < 0) {
			http_fetch_free(f);
			return r;
		}
	}
	*ret = f;
	return 0;
}

void http_fetch_free(struct http_fetch *f)
{
	if (!f)
		return;
	release(f);
	free(f->req);
	fetch_release(f);
}

char *http_fetch_request(const char *url, const char *host, enum http_fetch_proto proto,
			 size_t *len)
{
	char *s = xasprintf("GET %s HTTP/1.%d\r\n"
			    "User-Agent: KeepAliveClient\r\n"
			    "%s"
			    "Host: %s\r\n"
			    "\r\n",
			    url, proto == HTTP_FETCH_1_1 ? 1 : 0,
			    proto == HTTP_FETCH_1_0 ? "" : "Connection: close\r\n", host);

	*len = strlen(s);
	return s;
}

int http_fetch_tls_ctx_new(SSL_CTX **ret)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (!ctx)
		return -ENOMEM;
	/* keepalived checks liveness and content, not identity: no verification */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	*ret = ctx;
	return 0;
}
