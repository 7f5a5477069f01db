/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/http_parse.h: incremental HTTP/1.x response parser (pure: no I/O, no allocation). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Feed the bytes of one response as they arrive, split anywhere. The parser
 * reads the status line and headers (kept in a fixed buffer, so verbose callers
 * can show them raw), then the body, which it hands back de-chunked through
 * on_body. The body ends at Content-Length, at the last chunk of a chunked body,
 * or, when neither is given, at end of stream (call http_parse_eof()).
 *
 * A response bigger than the limits below, a malformed status line, header or
 * chunk size, a negative or overflowing Content-Length, is an error: the parser
 * stops and returns the reason; it never reads past what it was given.
 */
#define HTTP_PARSE_MAX_HEAD 16384	/* status line + headers, bytes */

enum http_parse_err {
	HTTP_PARSE_OK,			/* more input welcome */
	HTTP_PARSE_DONE,		/* the whole response is in; later bytes are ignored */
	HTTP_PARSE_BAD_STATUS,		/* not "HTTP/1.x NNN ..." */
	HTTP_PARSE_BAD_HEADER,		/* a header line without ':' or with bad characters */
	HTTP_PARSE_HEAD_TOO_BIG,	/* over the caller's head_max (at most HTTP_PARSE_MAX_HEAD) */
	HTTP_PARSE_BAD_LENGTH,		/* Content-Length not a decimal that fits in 63 bits */
	HTTP_PARSE_BAD_CHUNK,		/* chunk size line or chunk framing broken */
	HTTP_PARSE_TRUNCATED,		/* end of stream before the body was complete */
	HTTP_PARSE_ERR__COUNT
};
const char *http_parse_err_str(enum http_parse_err e);

/*
 * Either callback may be NULL; http_parse_init() copies the struct. Callbacks
 * must not call back into the parser. head and data point into the parser or
 * into the caller's buffer: valid only during the call.
 */
struct http_parse_cb {
	/*
	 * Called once when the head is complete; head/len is the raw status line + headers,
	 * up to and including the empty line that ends them. status, version_minor, chunked,
	 * has_length and content_length are final by then.
	 */
	void (*on_head)(void *arg, const uint8_t *head, size_t len);
	/* Body bytes after de-chunking, in order, possibly in many pieces. */
	void (*on_body)(void *arg, const uint8_t *data, size_t len);
	void *arg;
};

/*
 * All state is here and the head's buffer is the caller's, so a parser lives inside its
 * check and allocates nothing; the buffer is as big as the caller's limit on the head.
 */
struct http_parser {
	struct http_parse_cb cb;
	int state;			/* private */
	enum http_parse_err err;
	uint8_t *head;			/* head_max bytes, the caller's */
	size_t head_max;		/* a longer head is HTTP_PARSE_HEAD_TOO_BIG */
	size_t head_len;		/* the whole head once on_head ran; before, what is buffered */
	int status;			/* e.g. 200, once the head is in */
	int version_minor;		/* HTTP/1.x */
	bool chunked;			/* Transfer-Encoding: chunked */
	/* Content-Length was given; cleared when Transfer-Encoding overrides it (RFC 9112 §6.3) */
	bool has_length;
	uint64_t content_length;
	uint64_t body_seen;		/* body bytes delivered so far */
	uint64_t chunk_left;		/* private */
	unsigned line_len;		/* private: bytes of the current head/chunk-size/trailer line */
	size_t field_start;		/* private: head offset of the field being read (obs-fold), or 0 */
	bool has_te;			/* private: a Transfer-Encoding field was seen */
};

/*
 * Responses to which no body applies (1xx, 204, 304) are DONE at the end of the head:
 * the parser does not know the request, so a caller that sent HEAD, or that wants the
 * final response after an interim 1xx, handles that itself.
 */
/* cb may be NULL; head: head_max bytes (1..HTTP_PARSE_MAX_HEAD) that outlive the parser's use */
void http_parse_init(struct http_parser *p, const struct http_parse_cb *cb, uint8_t *head,
		     size_t head_max);
/* Returns HTTP_PARSE_OK, HTTP_PARSE_DONE, or the error (sticky: later calls return it again). */
enum http_parse_err http_parse_feed(struct http_parser *p, const uint8_t *data, size_t len);
/* The peer closed: DONE if the body was delimited by the close, TRUNCATED if it was cut short. */
enum http_parse_err http_parse_eof(struct http_parser *p);
