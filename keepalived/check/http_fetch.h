/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/http_fetch.h: one HTTP(S) GET on the event loop, with the MD5 of the body. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "http_parse.h"

struct sched;

/*
 * One fetch: a non-blocking connect (optionally with SO_MARK), an optional TLS
 * handshake, the request, then the response fed to http_parse as it arrives,
 * all driven by the caller's scheduler. Nothing here blocks and nothing is
 * global; any number of fetches may run on one loop.
 *
 * The digest is keepalived's: the MD5 of the body bytes as they came on the
 * wire after the head, cut at Content-Length. A chunked body is hashed with its
 * chunk framing (keepalived's HTTP_GET/SSL_GET and genhash do so; any bytes
 * after the last chunk that arrive in the same read are hashed too). The fetch
 * ends when the parser has the whole response (unless wait_close), when the
 * peer closes, or on the first failure.
 *
 * The process must ignore SIGPIPE: OpenSSL writes to the socket with write().
 */

enum http_fetch_why {
	HTTP_FETCH_OK,			/* the whole response is in */
	HTTP_FETCH_TRUNCATED,		/* the peer closed inside the body: digest of what came */
	HTTP_FETCH_NO_ROUTE,		/* connect() itself failed with ENETUNREACH/EHOSTUNREACH */
	HTTP_FETCH_CONNECT_FAILED,	/* socket setup or the connection failed; err says why */
	HTTP_FETCH_CONNECT_TIMEOUT,
	HTTP_FETCH_TLS_FAILED,		/* the TLS handshake failed */
	HTTP_FETCH_TLS_TIMEOUT,		/* the TLS handshake timed out */
	HTTP_FETCH_SEND_FAILED,		/* err says why */
	HTTP_FETCH_SEND_TIMEOUT,
	HTTP_FETCH_RECV_FAILED,		/* a read error (err), or a TLS error after the handshake */
	HTTP_FETCH_RECV_TIMEOUT,
	HTTP_FETCH_NO_HEAD,		/* the peer closed before the head was complete */
	HTTP_FETCH_BAD_RESPONSE,	/* the parser said no; parse_err has its reason */
	HTTP_FETCH__COUNT
};
const char *http_fetch_why_str(enum http_fetch_why why);

struct http_fetch_result {
	enum http_fetch_why why;
	int err;			/* errno for *_FAILED (0 if the reason was not a syscall's) */
	enum http_parse_err parse_err;	/* HTTP_FETCH_BAD_RESPONSE: why */
	bool readable;			/* the socket turned readable after the request was sent */
	bool tls_unclean_close;		/* TLS: the peer closed without close_notify */
	int status;			/* HTTP status, 0 if the head never came */
	const uint8_t *head;		/* raw status line + headers; borrowed for the callback */
	size_t head_len;		/* 0 if the head never came */
	uint8_t md5[16];		/* of the body_len bytes hashed (the empty MD5 if none) */
	uint64_t body_len;		/* body bytes received, as hashed */
	uint64_t rx_len;		/* all bytes read, head included, also after the response */
	/*
	 * *_FAILED, NO_ROUTE: the error came from setting the socket up (socket, SO_MARK,
	 * SO_BINDTODEVICE, bind) or from connect() itself, not from the connection attempt
	 */
	bool early;
	uint64_t elapsed_us;		/* from http_fetch_start() to the end */
};

struct http_fetch_cb {
	/*
	 * Every read that returned data, before the data is parsed; in_head: the head
	 * was not complete before this read. Optional (genhash -v marks reads with it).
	 */
	void (*on_read)(void *arg, size_t len, bool in_head);
	/* The head is complete (raw bytes, borrowed). Optional. */
	void (*on_head)(void *arg, const uint8_t *head, size_t len);
	/* Body bytes as hashed, once per read that had any (borrowed). Optional. */
	void (*on_body)(void *arg, const uint8_t *data, size_t len);
	/*
	 * The end, exactly once, unless http_fetch_free() came first. The socket is
	 * closed by then; the callback may free the fetch.
	 */
	void (*on_done)(void *arg, const struct http_fetch_result *r);
	void *arg;
};

#define HTTP_FETCH_READ_MAX 16384

struct http_fetch_req {
	const struct sockaddr *addr;	/* AF_INET or AF_INET6, with the port; copied */
	socklen_t addr_len;
	uint32_t fwmark;		/* SO_MARK for the socket; 0: none */
	const struct sockaddr *src;	/* bind() to it first; NULL: none; copied */
	socklen_t src_len;
	const char *bind_if;		/* SO_BINDTODEVICE; NULL or "": none; copied */
	SSL_CTX *tls;			/* borrowed, must outlive the fetch; NULL: plain HTTP */
	const char *sni;		/* server name for TLS; NULL: none; copied */
	const char *request;		/* the bytes to send (see http_fetch_request()); copied */
	size_t request_len;
	uint64_t timeout_us;		/* each wait: connect, handshake, every send and read; 0: none */
	size_t read_max;		/* bytes per read, at most HTTP_FETCH_READ_MAX; 0: 4096 */
	size_t head_max;		/* give up (HEAD_TOO_BIG) on a longer head; 0: HTTP_PARSE_MAX_HEAD */
	/*
	 * After a complete response, read on (discarding) until the peer closes, then
	 * end with OK; a timeout then also ends with OK, a read error with RECV_FAILED.
	 * genhash sets it: keepalived's genhash always reads to the close, and what it
	 * prints depends on how the connection ends (tls_unclean_close).
	 */
	bool wait_close;
	struct http_fetch_cb cb;
};

struct http_fetch;

/*
 * Start a fetch on s. 0, or -errno if nothing could be armed (no callback then).
 * Failures once started (refused, unreachable, ...) come through on_done, never
 * from here, so the caller has one place to handle them.
 */
int http_fetch_start(struct sched *s, const struct http_fetch_req *req, struct http_fetch **ret);
/* Cancels a running fetch without a callback. NULL is fine; safe in any callback. */
void http_fetch_free(struct http_fetch *f);

enum http_fetch_proto {
	HTTP_FETCH_1_0,			/* HTTP/1.0 */
	HTTP_FETCH_1_0C,		/* HTTP/1.0 with Connection: close */
	HTTP_FETCH_1_1,			/* HTTP/1.1 (always with Connection: close) */
};

/*
 * keepalived's GET request: request line, User-Agent, Connection, Host, blank
 * line. host is the Host header's value as is (e.g. "10.0.0.1:80", "[::1]:80",
 * a virtual host). Returns a string to free(); *len gets its length.
 */
char *http_fetch_request(const char *url, const char *host, enum http_fetch_proto proto,
			 size_t *len);

/*
 * A client SSL_CTX as keepalived's checks use it: any protocol version OpenSSL
 * allows, no certificate verification. 0 or -ENOMEM/-EPROTO.
 */
int http_fetch_tls_ctx_new(SSL_CTX **ret);
