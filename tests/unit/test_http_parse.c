// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_http_parse.c: HTTP responses fed whole, cut in two anywhere, byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check/http_parse.h"
#include "utils.h"

#define CRLF "\r\n"
#define OK_HEAD "HTTP/1.1 200 OK" CRLF
#define CHUNKED OK_HEAD "Transfer-Encoding: chunked" CRLF CRLF

/* Well-formed responses: head is sent first, then rest (framing and anything after the end). */
static const struct good {
	const char *what;
	const char *head;	/* expected on_head bytes */
	const char *rest;
	const char *body;	/* expected body, de-chunked */
	int status, minor;
	bool eof;		/* the body ends at the close */
	bool chunked;
	int64_t length;		/* content_length, or -1 for !has_length */
} goods[] = {
	{ "Content-Length, later bytes ignored",
	  OK_HEAD "Server: test" CRLF "Content-Length: 5" CRLF CRLF, "hello" "HTTP/1.1 200 OK" CRLF,
	  "hello", 200, 1, false, false, 5 },
	{ "chunked with extensions and trailers", CHUNKED,
	  "5;name=value" CRLF "hello" CRLF "7 ; a=\"b;c\" ; d" CRLF ", world" CRLF
	  "0;last" CRLF "X-Trailer: 1" CRLF "X-Other: two" CRLF CRLF "JUNK",
	  "hello, world", 200, 1, false, true, -1 },
	{ "chunked, hex sizes in both cases with leading zeros", CHUNKED,
	  "000A" CRLF "0123456789" CRLF "b" CRLF "abcdefghijk" CRLF "00" CRLF CRLF,
	  "0123456789abcdefghijk", 200, 1, false, true, -1 },
	{ "chunked, blanks before the line end and CRLF inside the data", CHUNKED,
	  "4 \t" CRLF "a" CRLF "b" CRLF "0" CRLF CRLF, "a\r\nb", 200, 1, false, true, -1 },
	{ "chunked wins over an earlier Content-Length",
	  OK_HEAD "Content-Length: 3" CRLF "Transfer-Encoding: chunked" CRLF CRLF,
	  "4" CRLF "abcd" CRLF "0" CRLF CRLF, "abcd", 200, 1, false, true, -1 },
	{ "chunked wins over a later Content-Length",
	  OK_HEAD "Transfer-Encoding: chunked" CRLF "Content-Length: 100" CRLF CRLF,
	  "4" CRLF "abcd" CRLF "0" CRLF CRLF, "abcd", 200, 1, false, true, -1 },
	{ "chunked last of codings over two fields, any case",
	  OK_HEAD "Transfer-Encoding: gzip" CRLF "transfer-encoding: , CHUNKED ," CRLF CRLF,
	  "4" CRLF "gzip" CRLF "0" CRLF CRLF, "gzip", 200, 1, false, true, -1 },
	{ "chunked not last: body to the close despite Content-Length",
	  OK_HEAD "Transfer-Encoding: chunked, gzip" CRLF "Content-Length: 2" CRLF CRLF,
	  "3" CRLF "abc" CRLF "0" CRLF CRLF, "3" CRLF "abc" CRLF "0" CRLF CRLF,
	  200, 1, true, false, -1 },
	{ "close-delimited body", OK_HEAD "Connection: close" CRLF CRLF,
	  "<html>all of it</html>\n", "<html>all of it</html>\n", 200, 1, true, false, -1 },
	{ "close-delimited, empty body", OK_HEAD CRLF, "", "", 200, 1, true, false, -1 },
	{ "204 ends at the head despite Content-Length",
	  "HTTP/1.1 204 No Content" CRLF "Content-Length: 10" CRLF CRLF, OK_HEAD CRLF,
	  "", 204, 1, false, false, 10 },
	{ "204 ends at the head despite chunked",
	  "HTTP/1.1 204 No Content" CRLF "Transfer-Encoding: chunked" CRLF CRLF,
	  "5" CRLF "hello" CRLF "0" CRLF CRLF, "", 204, 1, false, true, -1 },
	{ "304 ends at the head despite Content-Length",
	  "HTTP/1.1 304 Not Modified" CRLF "Content-Length: 5" CRLF CRLF, OK_HEAD CRLF,
	  "", 304, 1, false, false, 5 },
	{ "100 Continue ends at the head", "HTTP/1.1 100 Continue" CRLF CRLF,
	  OK_HEAD "Content-Length: 0" CRLF CRLF, "", 100, 1, false, false, -1 },
	{ "Content-Length: 0 ends at the head", OK_HEAD "Content-Length: 0" CRLF CRLF, "NEXT",
	  "", 200, 1, false, false, 0 },
	{ "LF-only line ends", "HTTP/1.1 200 OK\nContent-Length: 3\n\n", "abc",
	  "abc", 200, 1, false, false, 3 },
	{ "LF-only chunked", "HTTP/1.1 200 OK\ntransfer-encoding: chunked\n\n",
	  "3\nabc\n2;x\nde\n0\nT: 1\n\n", "abcde", 200, 1, false, true, -1 },
	{ "mixed CRLF and LF", "HTTP/1.1 200 OK\nContent-Length: 2" CRLF "\n", "ok",
	  "ok", 200, 1, false, false, 2 },
	{ "HTTP/1.0, close-delimited", "HTTP/1.0 200 OK" CRLF "Server: old" CRLF CRLF, "old style",
	  "old style", 200, 0, true, false, -1 },
	{ "HTTP/1.0 404 with Content-Length", "HTTP/1.0 404 Not Found" CRLF "Content-Length: 4" CRLF CRLF,
	  "gone", "gone", 404, 0, false, false, 4 },
	{ "status without a reason", "HTTP/1.1 200" CRLF "Content-Length: 1" CRLF CRLF, "x",
	  "x", 200, 1, false, false, 1 },
	{ "status with a blank and no reason", "HTTP/1.1 301 " CRLF "Content-Length: 1" CRLF CRLF, "x",
	  "x", 301, 1, false, false, 1 },
	{ "blanks, a tab and non-ASCII in the status line",
	  "HTTP/1.1  503\tService \xc3\xa9\x01 Unavailable  " CRLF "Content-Length: 1" CRLF CRLF, "x",
	  "x", 503, 1, false, false, 1 },
	{ "status 999, HTTP/1.9", "HTTP/1.9 999 Custom" CRLF "Content-Length: 1" CRLF CRLF, "x",
	  "x", 999, 9, false, false, 1 },
	{ "header names in any case, blanks around values", OK_HEAD "cOnTeNt-LeNgTh:\t 3 \t" CRLF CRLF,
	  "abc", "abc", 200, 1, false, false, 3 },
	{ "blank before the colon", OK_HEAD "Content-Length : 2" CRLF CRLF, "ok",
	  "ok", 200, 1, false, false, 2 },
	{ "repeated identical Content-Length", OK_HEAD "Content-Length: 2" CRLF
	  "Content-Length: 2, 02" CRLF CRLF, "ok", "ok", 200, 1, false, false, 2 },
	{ "obs-fold continues values", OK_HEAD "X-Long: a" CRLF " b" CRLF "\tc" CRLF
	  "Content-Length:" CRLF " 2" CRLF CRLF, "ok", "ok", 200, 1, false, false, 2 },
	{ "obs-fold inside Transfer-Encoding",
	  OK_HEAD "Transfer-Encoding: gzip," CRLF " chunked" CRLF CRLF,
	  "2" CRLF "ok" CRLF "0" CRLF CRLF, "ok", 200, 1, false, true, -1 },
	{ "empty value, every tchar in a name", OK_HEAD "X-Empty:" CRLF "!#$%&'*+-.^_`|~09az: x" CRLF
	  "Content-Length: 1" CRLF CRLF, "x", "x", 200, 1, false, false, 1 },
	{ "other codings' parameters skipped", OK_HEAD "Transfer-Encoding: foo;q=\"chunked\"" CRLF CRLF,
	  "data", "data", 200, 1, true, false, -1 },
	{ "trailer lines of all shapes are skipped", CHUNKED,
	  "1" CRLF "x" CRLF "0" CRLF "\rodd: 1" CRLF "no colon\n" " fold" CRLF CRLF "AFTER",
	  "x", 200, 1, false, true, -1 },
};

/* Broken responses: the error, detected before the close unless it is TRUNCATED. */
#define S(lit) lit, sizeof(lit) - 1
static const struct bad {
	const char *what;
	const char *in;
	size_t len;
	enum http_parse_err want;
} bads[] = {
	{ "empty reply", S(""), HTTP_PARSE_TRUNCATED },
	{ "garbage status", S("garbage" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "HTML instead of a status line, no LF yet", S("<html><body>"), HTTP_PARSE_BAD_STATUS },
	{ "leading empty line", S(CRLF OK_HEAD CRLF), HTTP_PARSE_BAD_STATUS },
	{ "HTTP/2", S("HTTP/2 200 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "HTTP/1.", S("HTTP/1." CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "lower-case version", S("http/1.1 200 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "minor not a digit", S("HTTP/1.x 200 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "two-digit minor", S("HTTP/1.10 200 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "no blank after the version", S("HTTP/1.1200 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "two-digit status", S("HTTP/1.1 20 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "four-digit status", S("HTTP/1.1 2000 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "status glued to the reason", S("HTTP/1.1 200OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "status below 100", S("HTTP/1.1 099 Low" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "status not numeric", S("HTTP/1.1 abc" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "negative status", S("HTTP/1.1 -200 OK" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "version only", S("HTTP/1.1" CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "version and a blank only", S("HTTP/1.1 " CRLF CRLF), HTTP_PARSE_BAD_STATUS },
	{ "status line cut", S("HTTP/1.1 200 O"), HTTP_PARSE_TRUNCATED },
	{ "header without a colon", S(OK_HEAD "NoColon" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "blank inside a header name", S(OK_HEAD "Bad Name: x" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "empty header name", S(OK_HEAD ": x" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "control byte in a header name", S(OK_HEAD "X\x01Y: z" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "NUL in a value", S(OK_HEAD "X: a\0b" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "bare CR in a value", S(OK_HEAD "X: a\rb" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "bare CR in a folded value", S(OK_HEAD "X: a" CRLF " \rb" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "continuation line before any field", S(OK_HEAD " folded" CRLF CRLF), HTTP_PARSE_BAD_HEADER },
	{ "head cut before the empty line", S(OK_HEAD "Content-Length: 1" CRLF), HTTP_PARSE_TRUNCATED },
	{ "head cut after CR", S(OK_HEAD "\r"), HTTP_PARSE_TRUNCATED },
	{ "negative Content-Length", S(OK_HEAD "Content-Length: -1" CRLF CRLF), HTTP_PARSE_BAD_LENGTH },
	{ "Content-Length with a sign", S(OK_HEAD "Content-Length: +1" CRLF CRLF), HTTP_PARSE_BAD_LENGTH },
	{ "non-numeric Content-Length", S(OK_HEAD "Content-Length: abc" CRLF CRLF),
	  HTTP_PARSE_BAD_LENGTH },
	{ "hex Content-Length", S(OK_HEAD "Content-Length: 0x10" CRLF CRLF), HTTP_PARSE_BAD_LENGTH },
	{ "empty Content-Length", S(OK_HEAD "Content-Length:" CRLF CRLF), HTTP_PARSE_BAD_LENGTH },
	{ "Content-Length with a blank inside", S(OK_HEAD "Content-Length: 1 2" CRLF CRLF),
	  HTTP_PARSE_BAD_LENGTH },
	{ "Content-Length 2^63", S(OK_HEAD "Content-Length: 9223372036854775808" CRLF CRLF),
	  HTTP_PARSE_BAD_LENGTH },
	{ "huge Content-Length", S(OK_HEAD "Content-Length: 99999999999999999999999" CRLF CRLF),
	  HTTP_PARSE_BAD_LENGTH },
	{ "conflicting Content-Length list", S(OK_HEAD "Content-Length: 5, 6" CRLF CRLF),
	  HTTP_PARSE_BAD_LENGTH },
	{ "conflicting Content-Length fields",
	  S(OK_HEAD "Content-Length: 5" CRLF "Content-Length: 6" CRLF CRLF), HTTP_PARSE_BAD_LENGTH },
	{ "empty list element in Content-Length", S(OK_HEAD "Content-Length: 5," CRLF CRLF),
	  HTTP_PARSE_BAD_LENGTH },
	{ "bad Content-Length beside chunked",
	  S(OK_HEAD "Transfer-Encoding: chunked" CRLF "Content-Length: x" CRLF CRLF),
	  HTTP_PARSE_BAD_LENGTH },
	{ "largest Content-Length, then the close",
	  S(OK_HEAD "Content-Length: 9223372036854775807" CRLF CRLF "abc"), HTTP_PARSE_TRUNCATED },
	{ "EOF mid-body", S(OK_HEAD "Content-Length: 10" CRLF CRLF "12345"), HTTP_PARSE_TRUNCATED },
	{ "EOF right after the head", S(OK_HEAD "Content-Length: 1" CRLF CRLF), HTTP_PARSE_TRUNCATED },
	{ "non-hex chunk size", S(CHUNKED "zz" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunk size missing", S(CHUNKED CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunk size missing before an extension", S(CHUNKED ";x" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunk size with a blank first", S(CHUNKED " 5" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunk size 0x5", S(CHUNKED "0x5" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "negative chunk size", S(CHUNKED "-1" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunk size 2^63", S(CHUNKED "8000000000000000" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunk size 2^64", S(CHUNKED "10000000000000000" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunk size of 20 hex digits", S(CHUNKED "FFFFFFFFFFFFFFFFFFFF" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "chunks summing past 2^63", S(CHUNKED "1" CRLF "a" CRLF "7fffffffffffffff" CRLF),
	  HTTP_PARSE_BAD_CHUNK },
	{ "junk after the chunk size", S(CHUNKED "5 x" CRLF), HTTP_PARSE_BAD_CHUNK },
	{ "CR without LF after the chunk size", S(CHUNKED "5\rX"), HTTP_PARSE_BAD_CHUNK },
	{ "no CRLF after chunk data", S(CHUNKED "5" CRLF "helloXY"), HTTP_PARSE_BAD_CHUNK },
	{ "CR without LF after chunk data", S(CHUNKED "5" CRLF "hello\rX"), HTTP_PARSE_BAD_CHUNK },
	{ "two CRs after chunk data", S(CHUNKED "5" CRLF "hello\r\r\n0" CRLF CRLF),
	  HTTP_PARSE_BAD_CHUNK },
	{ "chunk data longer than its size", S(CHUNKED "3" CRLF "hello" CRLF "0" CRLF CRLF),
	  HTTP_PARSE_BAD_CHUNK },
	{ "largest chunk size, then the close", S(CHUNKED "7fffffffffffffff" CRLF "ab"),
	  HTTP_PARSE_TRUNCATED },
	{ "EOF after the chunk size line", S(CHUNKED "5" CRLF), HTTP_PARSE_TRUNCATED },
	{ "EOF mid chunk data", S(CHUNKED "5" CRLF "hel"), HTTP_PARSE_TRUNCATED },
	{ "EOF before the CRLF after chunk data", S(CHUNKED "3" CRLF "abc\r"), HTTP_PARSE_TRUNCATED },
	{ "EOF after the last chunk", S(CHUNKED "0" CRLF), HTTP_PARSE_TRUNCATED },
	{ "EOF inside the trailers", S(CHUNKED "0" CRLF "X: 1" CRLF "\r"), HTTP_PARSE_TRUNCATED },
	{ "EOF inside a chunk extension", S(CHUNKED "0;ext"), HTTP_PARSE_TRUNCATED },
	{ "EOF after a trailer line that starts with CR", S(CHUNKED "0" CRLF "\rX: 1" CRLF),
	  HTTP_PARSE_TRUNCATED },
};

/* A response as bytes, whichever table or generator it came from. */
struct resp {
	char what[96];
	uint8_t *in;
	size_t len;
	size_t head_len;
	const uint8_t *body;
	size_t body_len;
	int status, minor;
	bool eof, chunked;
	int64_t length;
	size_t cut_step;	/* 0: cut at every byte (see want_cut()) */
};

struct sink {
	uint8_t head[HTTP_PARSE_MAX_HEAD];
	size_t head_len;
	unsigned n_head;
	unsigned n_empty_body;		/* on_body calls with no bytes */
	uint8_t *body;
	size_t body_len, body_cap;
	bool body_overflow;
	/* malloc'd, of exactly the input's size: each piece fed ends where its block ends */
	uint8_t *whole, *front;
};

static void on_head(void *arg, const uint8_t *head, size_t len)
{
	struct sink *s = arg;

	s->n_head++;
	s->head_len = len;
	if (len <= sizeof(s->head))
		memcpy(s->head, head, len);
}

static void on_body(void *arg, const uint8_t *data, size_t len)
{
	struct sink *s = arg;
	size_t n = len;

	if (len == 0)
		s->n_empty_body++;
	if (n > s->body_cap - s->body_len) {
		s->body_overflow = true;
		n = s->body_cap - s->body_len;
	}
	memcpy(s->body + s->body_len, data, n);
	s->body_len += n;
}

static void sink_reset(struct sink *s)
{
	s->head_len = 0;
	s->n_head = 0;
	s->n_empty_body = 0;
	s->body_len = 0;
	s->body_overflow = false;
}

/* The error after the input (fed) and after the close (fin). */
struct outcome {
	enum http_parse_err fed, fin;
};

/* the parser's head buffer (ASan sees a write past it) */
static uint8_t head_buf[HTTP_PARSE_MAX_HEAD];

/*
 * cut == SIZE_MAX: one byte at a time; else two pieces [0, cut) and [cut, len).
 * Every piece ends at the end of a malloc'd block, so ASan and valgrind catch
 * any read past the length given.
 */
static struct outcome run(struct http_parser *p, struct sink *s, const struct resp *r, size_t cut)
{
	const struct http_parse_cb cb = { on_head, on_body, s };
	struct outcome o = { HTTP_PARSE_OK, HTTP_PARSE_OK };

	sink_reset(s);
	http_parse_init(p, &cb, head_buf, sizeof(head_buf));
	if (cut == SIZE_MAX) {
		uint8_t *last = s->front + r->len - 1;

		for (size_t i = 0; i < r->len && o.fed == HTTP_PARSE_OK; i++) {
			*last = r->in[i];
			o.fed = http_parse_feed(p, last, 1);
		}
	} else {
		memcpy(s->front + r->len - cut, r->in, cut);
		o.fed = http_parse_feed(p, s->front + r->len - cut, cut);
		if (o.fed == HTTP_PARSE_OK)
			o.fed = http_parse_feed(p, s->whole + cut, r->len - cut);
	}
	o.fin = http_parse_eof(p);
	return o;
}

static const char *cut_str(char *buf, size_t size, size_t cut)
{
	if (cut == SIZE_MAX)
		snprintf(buf, size, "byte by byte");
	else
		snprintf(buf, size, "split at %zu", cut);
	return buf;
}

/*
 * Every cut of an input up to 70 KB unless it says otherwise; else every
 * cut_step'th (4093 by default) and every cut near the head's end and the limit.
 */
static bool want_cut(size_t cut, const struct resp *r)
{
	size_t marks[] = { r->head_len, HTTP_PARSE_MAX_HEAD };
	size_t step = r->cut_step ? r->cut_step : r->len <= 70000 ? 1 : 4093;

	if (cut % step == 0 || cut == r->len)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(marks); i++)
		if (cut + 2 >= marks[i] && cut <= marks[i] + 2)
			return true;
	return false;
}

static void check_good_run(struct http_parser *p, struct sink *s, const struct resp *r, size_t cut)
{
	struct outcome o = run(p, s, r, cut);
	char c[40];
	const char *how = cut_str(c, sizeof(c), cut);
	enum http_parse_err want_fed = r->eof ? HTTP_PARSE_OK : HTTP_PARSE_DONE;

	if (o.fed != want_fed || o.fin != HTTP_PARSE_DONE)
		fail_msg("%s (%s): got %s then %s at the close, want %s then done", r->what, how,
			 http_parse_err_str(o.fed), http_parse_err_str(o.fin),
			 http_parse_err_str(want_fed));
	if (p->status != r->status || p->version_minor != r->minor)
		fail_msg("%s (%s): got HTTP/1.%d %d, want HTTP/1.%d %d", r->what, how,
			 p->version_minor, p->status, r->minor, r->status);
	if (p->chunked != r->chunked || p->has_length != (r->length >= 0) ||
	    (r->length >= 0 && p->content_length != (uint64_t)r->length))
		fail_msg("%s (%s): framing chunked=%d has_length=%d length=%llu", r->what, how,
			 p->chunked, p->has_length, (unsigned long long)p->content_length);
	if (s->n_head != 1 || s->head_len != r->head_len || p->head_len != r->head_len ||
	    memcmp(s->head, r->in, r->head_len) != 0)
		fail_msg("%s (%s): on_head called %u times with %zu bytes, want once with %zu",
			 r->what, how, s->n_head, s->head_len, r->head_len);
	if (s->body_overflow || s->body_len != r->body_len ||
	    memcmp(s->body, r->body, r->body_len) != 0)
		fail_msg("%s (%s): body of %zu bytes%s differs from the %zu expected", r->what, how,
			 s->body_len, s->body_overflow ? " and more" : "", r->body_len);
	if (p->body_seen != r->body_len || s->n_empty_body != 0)
		fail_msg("%s (%s): body_seen %llu, %u empty on_body calls", r->what, how,
			 (unsigned long long)p->body_seen, s->n_empty_body);
	/* DONE is sticky: more bytes are ignored, and are not body */
	if (http_parse_feed(p, (const uint8_t *)"xyz", 3) != HTTP_PARSE_DONE ||
	    s->body_len != r->body_len)
		fail_msg("%s (%s): not sticky after done", r->what, how);
}

static void scratch_new(struct sink *s, const struct resp *r)
{
	s->whole = malloc(r->len ? r->len : 1);
	s->front = malloc(r->len ? r->len : 1);
	assert_non_null(s->whole);
	assert_non_null(s->front);
	memcpy(s->whole, r->in, r->len);
}

static void scratch_free(struct sink *s)
{
	free(s->whole);
	free(s->front);
}

static void check_good(struct sink *s, const struct resp *r)
{
	struct http_parser *p = malloc(sizeof(*p));

	assert_non_null(p);
	scratch_new(s, r);
	s->body = malloc(r->body_len + 1);
	assert_non_null(s->body);
	s->body_cap = r->body_len;
	for (size_t cut = 0; cut <= r->len; cut++)
		if (want_cut(cut, r))
			check_good_run(p, s, r, cut);
	check_good_run(p, s, r, SIZE_MAX);
	scratch_free(s);
	free(s->body);
	free(p);
}

static void check_bad_run(struct http_parser *p, struct sink *s, const struct resp *r,
			  enum http_parse_err want, size_t cut)
{
	struct outcome o = run(p, s, r, cut);
	char c[40];
	const char *how = cut_str(c, sizeof(c), cut);
	enum http_parse_err want_fed = want == HTTP_PARSE_TRUNCATED ? HTTP_PARSE_OK : want;

	if (o.fed != want_fed || o.fin != want)
		fail_msg("%s (%s): got %s then %s at the close, want %s then %s", r->what, how,
			 http_parse_err_str(o.fed), http_parse_err_str(o.fin),
			 http_parse_err_str(want_fed), http_parse_err_str(want));
	if (s->n_head > 1 || (p->has_length && p->body_seen > p->content_length) ||
	    p->head_len > HTTP_PARSE_MAX_HEAD || s->n_empty_body != 0 || s->body_overflow)
		fail_msg("%s (%s): invariant broken", r->what, how);
	if (http_parse_feed(p, (const uint8_t *)OK_HEAD CRLF, sizeof(OK_HEAD CRLF) - 1) != want ||
	    http_parse_eof(p) != want)
		fail_msg("%s (%s): error not sticky", r->what, how);
}

static void check_bad(struct sink *s, const struct resp *r, enum http_parse_err want)
{
	struct http_parser *p = malloc(sizeof(*p));

	assert_non_null(p);
	scratch_new(s, r);
	s->body_cap = r->len;		/* a body never outgrows the input */
	s->body = malloc(s->body_cap + 1);
	assert_non_null(s->body);
	for (size_t cut = 0; cut <= r->len; cut++)
		if (want_cut(cut, r))
			check_bad_run(p, s, r, want, cut);
	check_bad_run(p, s, r, want, SIZE_MAX);
	scratch_free(s);
	free(s->body);
	free(p);
}

static struct resp good_resp(const struct good *g)
{
	struct resp r = { .head_len = strlen(g->head), .body = (const uint8_t *)g->body,
			  .body_len = strlen(g->body), .status = g->status, .minor = g->minor,
			  .eof = g->eof, .chunked = g->chunked, .length = g->length };

	snprintf(r.what, sizeof(r.what), "%s", g->what);
	r.len = r.head_len + strlen(g->rest);
	r.in = malloc(r.len + 1);
	assert_non_null(r.in);
	memcpy(r.in, g->head, r.head_len);
	memcpy(r.in + r.head_len, g->rest, r.len - r.head_len);
	return r;
}

static void test_good_table(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));

	(void)state;
	assert_non_null(s);
	for (size_t i = 0; i < ARRAY_SIZE(goods); i++) {
		struct resp r = good_resp(&goods[i]);

		check_good(s, &r);
		free(r.in);
	}
	free(s);
}

static void test_bad_table(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));

	(void)state;
	assert_non_null(s);
	for (size_t i = 0; i < ARRAY_SIZE(bads); i++) {
		struct resp r = { .len = bads[i].len };

		snprintf(r.what, sizeof(r.what), "%s", bads[i].what);
		r.in = malloc(r.len + 1);
		assert_non_null(r.in);
		memcpy(r.in, bads[i].in, r.len);
		check_bad(s, &r, bads[i].want);
		free(r.in);
	}
	free(s);
}

/* A growing buffer for generated responses. */
struct buf {
	uint8_t *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_fill(struct buf *b, uint8_t c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(b, &c, 1);
}

/* Every byte value, CR, LF and NUL included, in a pattern that does not repeat every 256. */
static uint8_t *big_body(size_t len)
{
	uint8_t *body = malloc(len);

	assert_non_null(body);
	for (size_t i = 0; i < len; i++)
		body[i] = (uint8_t)(i * 7 + (i >> 8));
	return body;
}

#define BIG (3 * HTTP_PARSE_MAX_HEAD + 17)

static void test_big_content_length(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	uint8_t *body = big_body(BIG);
	struct buf b = { 0 };
	char line[64];
	struct resp r = { .what = "big Content-Length body", .body = body, .body_len = BIG,
			  .status = 200, .minor = 1, .length = BIG };

	(void)state;
	assert_non_null(s);
	snprintf(line, sizeof(line), "Content-Length: %d" CRLF CRLF, BIG);
	puts_(&b, OK_HEAD);
	puts_(&b, line);
	r.head_len = b.len;
	put(&b, body, BIG);
	r.in = b.p;
	r.len = b.len;
	check_good(s, &r);
	free(b.p);
	free(body);
	free(s);
}

static void test_big_chunked(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	uint8_t *body = big_body(BIG);
	struct buf b = { 0 };
	char line[64];
	struct resp r = { .what = "big chunked body, sizes 1 to 4096", .body = body,
			  .body_len = BIG, .status = 200, .minor = 1, .chunked = true,
			  .length = -1 };
	size_t n;

	(void)state;
	assert_non_null(s);
	puts_(&b, CHUNKED);
	r.head_len = b.len;
	for (size_t off = 0, i = 0; off < BIG; off += n, i++) {
		n = (i * 997) % 4096 + 1;
		if (n > BIG - off)
			n = BIG - off;
		if (i % 2)
			snprintf(line, sizeof(line), "%zX" CRLF, n);
		else
			snprintf(line, sizeof(line), "%zx;i=%zu" CRLF, n, i);
		puts_(&b, line);
		put(&b, body + off, n);
		puts_(&b, CRLF);
	}
	puts_(&b, "0" CRLF "Checksum: none" CRLF CRLF);
	r.in = b.p;
	r.len = b.len;
	check_good(s, &r);
	free(b.p);
	free(body);
	free(s);
}

/*
 * A head of total bytes: OK_HEAD, padding, Content-Length: 2, the empty line.
 * Cutting 16 KB of filler at every byte costs 16 KB x 16 KB: take every 61st.
 */
static struct buf head_of(size_t total, unsigned n_fields)
{
	static const char tail[] = "Content-Length: 2" CRLF CRLF;
	struct buf b = { 0 };
	size_t pad = total - (sizeof(OK_HEAD) - 1) - (sizeof(tail) - 1);

	puts_(&b, OK_HEAD);
	for (unsigned i = 0; i < n_fields; i++) {
		size_t n = pad / (n_fields - i);	/* "X: " + filler + CRLF */

		puts_(&b, "X: ");
		put_fill(&b, 'a', n - 5);
		puts_(&b, CRLF);
		pad -= n;
	}
	puts_(&b, tail);
	assert_int_equal(b.len, total);
	return b;
}

static void test_head_limit(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct buf b = head_of(HTTP_PARSE_MAX_HEAD, 1);
	struct resp r = { .what = "head of exactly HTTP_PARSE_MAX_HEAD bytes", .head_len = b.len,
			  .body = (const uint8_t *)"ok", .body_len = 2, .status = 200, .minor = 1,
			  .length = 2, .cut_step = 61 };

	(void)state;
	assert_non_null(s);
	puts_(&b, "ok");
	r.in = b.p;
	r.len = b.len;
	check_good(s, &r);
	free(b.p);

	b = head_of(HTTP_PARSE_MAX_HEAD + 1, 1);
	puts_(&b, "ok");
	r = (struct resp){ .what = "head one byte over the limit", .in = b.p, .len = b.len,
			   .cut_step = 61 };
	check_bad(s, &r, HTTP_PARSE_HEAD_TOO_BIG);
	free(b.p);

	b = head_of(HTTP_PARSE_MAX_HEAD + 1, 200);
	puts_(&b, "ok");
	r = (struct resp){ .what = "many short fields over the limit", .in = b.p, .len = b.len,
			   .cut_step = 61 };
	check_bad(s, &r, HTTP_PARSE_HEAD_TOO_BIG);
	free(b.p);
	free(s);
}

static void test_hostile_sizes(void **state)
{
	struct sink *s = calloc(1, sizeof(*s));
	struct buf b = { 0 };
	struct resp r = { .what = "header line of 1 MB" };

	(void)state;
	assert_non_null(s);
	puts_(&b, OK_HEAD "X-Big: ");
	put_fill(&b, 'x', 1 << 20);
	puts_(&b, CRLF CRLF);
	r.in = b.p;
	r.len = b.len;
	check_bad(s, &r, HTTP_PARSE_HEAD_TOO_BIG);

	b.len = 0;
	put_fill(&b, 'H', 1 << 20);
	r = (struct resp){ .what = "1 MB of garbage, no LF", .in = b.p, .len = b.len };
	check_bad(s, &r, HTTP_PARSE_BAD_STATUS);

	b.len = 0;
	puts_(&b, CHUNKED "5;");
	put_fill(&b, 'e', 2 * HTTP_PARSE_MAX_HEAD);
	puts_(&b, CRLF "hello" CRLF "0" CRLF CRLF);
	r = (struct resp){ .what = "chunk extension of 32 KB", .in = b.p, .len = b.len };
	check_bad(s, &r, HTTP_PARSE_BAD_CHUNK);

	b.len = 0;
	puts_(&b, CHUNKED "0" CRLF "T: ");
	put_fill(&b, 't', 2 * HTTP_PARSE_MAX_HEAD);
	puts_(&b, CRLF CRLF);
	r = (struct resp){ .what = "trailer line of 32 KB", .in = b.p, .len = b.len };
	check_bad(s, &r, HTTP_PARSE_BAD_CHUNK);
	free(b.p);
	free(s);
}

static void test_null_callbacks(void **state)
{
	static const char resp[] = OK_HEAD "Content-Length: 2" CRLF CRLF "ok";
	struct http_parser *p = malloc(sizeof(*p));

	(void)state;
	assert_non_null(p);
	http_parse_init(p, NULL, head_buf, sizeof(head_buf));
	assert_int_equal(http_parse_feed(p, (const uint8_t *)resp, sizeof(resp) - 1),
			 HTTP_PARSE_DONE);
	assert_int_equal(p->status, 200);
	assert_int_equal(p->body_seen, 2);
	free(p);
}

static void test_err_str(void **state)
{
	(void)state;
	for (int i = 0; i < HTTP_PARSE_ERR__COUNT; i++) {
		const char *name = http_parse_err_str((enum http_parse_err)i);

		if (name == NULL || name[0] == '\0' || strcmp(name, "unknown") == 0)
			fail_msg("reason %d has no name", i);
		for (int j = 0; j < i; j++)
			if (strcmp(name, http_parse_err_str((enum http_parse_err)j)) == 0)
				fail_msg("reasons %d and %d are both \"%s\"", j, i, name);
	}
	assert_string_equal(http_parse_err_str(HTTP_PARSE_ERR__COUNT), "unknown");
	assert_string_equal(http_parse_err_str((enum http_parse_err)-1), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_table),
		cmocka_unit_test(test_bad_table),
		cmocka_unit_test(test_big_content_length),
		cmocka_unit_test(test_big_chunked),
		cmocka_unit_test(test_head_limit),
		cmocka_unit_test(test_hostile_sizes),
		cmocka_unit_test(test_null_callbacks),
		cmocka_unit_test(test_err_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
