// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/fuzz/fuzz_http_parse.c: libFuzzer target: a response fed whole, cut, byte by byte. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check/http_parse.h"

/*
 * Input: one byte that picks where to cut, then the response. Every way of
 * feeding it must give the same outcome, and these must hold throughout:
 * the head is a prefix of the input and arrives once, the body is never
 * longer than Content-Length or the input, and an error or DONE is sticky.
 */

#define BYTEWISE_MAX 4096	/* feeding byte by byte costs a call per byte */

struct sink {
	const uint8_t *in;
	size_t in_len;
	unsigned n_head;
	size_t head_len;
	uint8_t *body;
	size_t body_len;
};

struct outcome {
	enum http_parse_err fed, fin;
	int status, version_minor;
	bool chunked, has_length;
	uint64_t content_length, body_seen;
	unsigned n_head;
	size_t head_len;	/* compared only once the head is in: a bad status line stops early */
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void on_head(void *arg, const uint8_t *head, size_t len)
{
	struct sink *s = arg;

	check(++s->n_head == 1);
	check(len > 0 && len <= HTTP_PARSE_MAX_HEAD && len <= s->in_len);
	check(memcmp(head, s->in, len) == 0);
	s->head_len = len;
}

static void on_body(void *arg, const uint8_t *data, size_t len)
{
	struct sink *s = arg;

	check(s->n_head == 1);
	check(len > 0 && len <= s->in_len - s->body_len);
	memcpy(s->body + s->body_len, data, len);
	s->body_len += len;
}

static void check_state(const struct http_parser *p, const struct sink *s, enum http_parse_err r)
{
	const char *name = http_parse_err_str(r);

	check(r == p->err && (unsigned)r < HTTP_PARSE_ERR__COUNT);
	check(name != NULL && strcmp(name, "unknown") != 0);
	check(!p->has_length || p->body_seen <= p->content_length);
	check(p->head_len <= HTTP_PARSE_MAX_HEAD);
	check(p->body_seen == s->body_len);
	check(s->n_head == 0 || p->head_len == s->head_len);
	check(s->n_head == 1 || p->body_seen == 0);
}

static enum http_parse_err feed(struct http_parser *p, const struct sink *s,
				const uint8_t *data, size_t len)
{
	enum http_parse_err before = p->err;
	enum http_parse_err r = http_parse_feed(p, data, len);

	check_state(p, s, r);
	check(before == HTTP_PARSE_OK || r == before);
	return r;
}

/* the parser's head buffer (ASan sees a write past it) */
static uint8_t head_buf[HTTP_PARSE_MAX_HEAD];

/* cut == SIZE_MAX: byte by byte; else [0, cut) from an exact-size copy, then the rest. */
static struct outcome run(struct http_parser *p, struct sink *s, size_t cut)
{
	const struct http_parse_cb cb = { on_head, on_body, s };
	struct outcome o = { 0 };
	enum http_parse_err r = HTTP_PARSE_OK;

	s->n_head = 0;
	s->head_len = 0;
	s->body_len = 0;
	http_parse_init(p, &cb, head_buf, sizeof(head_buf));
	if (cut == SIZE_MAX) {
		for (size_t i = 0; i < s->in_len && r == HTTP_PARSE_OK; i++)
			r = feed(p, s, s->in + i, 1);
	} else {
		uint8_t *front = malloc(cut ? cut : 1);

		check(front != NULL);
		memcpy(front, s->in, cut);
		r = feed(p, s, front, cut);
		free(front);
		if (r == HTTP_PARSE_OK)
			r = feed(p, s, s->in + cut, s->in_len - cut);
	}
	o.fed = r;
	o.fin = http_parse_eof(p);
	check_state(p, s, o.fin);
	check(o.fed == HTTP_PARSE_OK || o.fin == o.fed);
	check(o.fin != HTTP_PARSE_OK);
	if (o.fin == HTTP_PARSE_DONE && (p->status < 200 || p->status == 204 || p->status == 304))
		check(p->body_seen == 0);
	if (o.fin == HTTP_PARSE_DONE)
		check(s->n_head == 1);
	/* sticky: more input changes nothing */
	check(feed(p, s, s->in, s->in_len) == o.fin && http_parse_eof(p) == o.fin);

	o.status = p->status;
	o.version_minor = p->version_minor;
	o.chunked = p->chunked;
	o.has_length = p->has_length;
	o.content_length = p->content_length;
	o.body_seen = p->body_seen;
	o.n_head = s->n_head;
	o.head_len = s->n_head ? p->head_len : 0;
	return o;
}

static bool same(const struct outcome *a, const struct outcome *b)
{
	return a->fed == b->fed && a->fin == b->fin && a->status == b->status &&
	       a->version_minor == b->version_minor && a->chunked == b->chunked &&
	       a->has_length == b->has_length && a->content_length == b->content_length &&
	       a->body_seen == b->body_seen && a->n_head == b->n_head && a->head_len == b->head_len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_parser *p;
	struct sink s = { 0 };
	struct outcome whole, o;
	uint8_t *body;
	size_t cut;

	if (size == 0)
		return 0;
	s.in = data + 1;
	s.in_len = size - 1;
	cut = (size_t)data[0] * s.in_len / 255;
	p = malloc(sizeof(*p));
	body = malloc(s.in_len + 1);
	s.body = malloc(s.in_len + 1);
	check(p != NULL && body != NULL && s.body != NULL);

	whole = run(p, &s, s.in_len);
	memcpy(body, s.body, s.body_len);

	o = run(p, &s, cut);
	check(same(&whole, &o) && memcmp(body, s.body, s.body_len) == 0);
	if (s.in_len <= BYTEWISE_MAX) {
		o = run(p, &s, SIZE_MAX);
		check(same(&whole, &o) && memcmp(body, s.body, s.body_len) == 0);
	}
	free(s.body);
	free(body);
	free(p);
	return 0;
}
