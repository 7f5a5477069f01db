/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/http_regex.h: an HTTP_GET url's regex, matched across reads (PCRE2). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check_data.h"

/*
 * keepalived 2.2.7's way (check_http.c check_regex): the body is matched piece by
 * piece in a buffer of HTTP_REGEX_BUF bytes with PCRE2_PARTIAL_HARD. A partial match
 * at the end of the buffer keeps its start (and the pattern's lookbehind) for the
 * next piece; everything else is dropped, so a match can span reads only through a
 * partial match, and one longer than the buffer is given up ("Regex partial match
 * preserve too large - discarding"). regex_min_offset skips the body before it,
 * regex_max_offset refuses a match that starts at or after it. The first match
 * decides; regex_no_match inverts the verdict (the caller's).
 */
#define HTTP_REGEX_BUF 4095

struct http_regex;

/* Compiles u's regex (regex_options, the JIT, regex_stack). 0, or -EINVAL with err filled. */
int http_regex_new(const struct ck_url *u, struct http_regex **ret, char *err, size_t err_len);
void http_regex_free(struct http_regex *r);	/* NULL is fine */

/* One response's matching; no allocation. */
struct http_regex_run {
	bool matched;
	unsigned n_discarded;		/* partial matches given up: the buffer was full */
	int last_error;			/* a PCRE2 error other than no match; 0: none */
	size_t len;			/* bytes in buf */
	size_t start;			/* start offset kept from a partial match */
	uint64_t subject_off;		/* body offset of buf[0] */
	uint8_t buf[HTTP_REGEX_BUF];
};

void http_regex_begin(struct http_regex_run *m);
/* The next body bytes, in order. */
void http_regex_feed(const struct http_regex *r, struct http_regex_run *m, const uint8_t *data,
		     size_t len);
