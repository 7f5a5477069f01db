// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/http_regex.c: an HTTP_GET url's regex, matched across reads (PCRE2). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "http_regex.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pcre2.h>

#include "utils.h"

struct http_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;	/* only with regex_stack */
	pcre2_jit_stack *jit_stack;
	uint32_t lookbehind;
	uint64_t min_off, max_off;
};

void http_regex_free(struct http_regex *r)
{
	if (!r)
		return;
	pcre2_match_context_free(r->mctx);
	pcre2_jit_stack_free(r->jit_stack);
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->code);
	free(r);
}

int http_regex_new(const struct ck_url *u, struct http_regex **ret, char *err, size_t err_len)
{
	struct http_regex *r = xcalloc(1, sizeof(*r));
	int code;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[120];

	r->code = pcre2_compile((PCRE2_SPTR)u->regex, PCRE2_ZERO_TERMINATED, u->regex_options,
				&code, &off, NULL);
	if (!r->code) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, err_len, "Invalid regex: '%s' at offset %zu: %s", u->regex,
			 (size_t)off, (const char *)msg);
		http_regex_free(r);
		return -EINVAL;
	}
	/* the JIT when the platform has it; pcre2_match() uses it by itself */
	(void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE | PCRE2_JIT_PARTIAL_HARD);
	if (pcre2_pattern_info(r->code, PCRE2_INFO_MAXLOOKBEHIND, &r->lookbehind) != 0)
		r->lookbehind = 0;
	r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
	if (!r->md) {
		snprintf(err, err_len, "Regex '%s': out of memory", u->regex);
		http_regex_free(r);
		return -ENOMEM;
	}
	if (u->regex_stack_max) {
		size_t start = u->regex_stack_start ? u->regex_stack_start : 32 * 1024;

		if (start > u->regex_stack_max)
			start = u->regex_stack_max;
		r->mctx = pcre2_match_context_create(NULL);
		r->jit_stack = pcre2_jit_stack_create(start, u->regex_stack_max, NULL);
		if (r->mctx && r->jit_stack)
			pcre2_jit_stack_assign(r->mctx, NULL, r->jit_stack);
	}
	r->min_off = u->regex_min_offset;
	r->max_off = u->regex_max_offset;
	*ret = r;
	return 0;
}

void http_regex_begin(struct http_regex_run *m)
{
	m->matched = false;
	m->n_discarded = 0;
	m->last_error = 0;
	m->len = 0;
	m->start = 0;
	m->subject_off = 0;
}

/* One match over buf; true: keep buf (a partial match), else it is dropped. */
static bool step(const struct http_regex *r, struct http_regex_run *m)
{
	size_t start = 0;
	PCRE2_SIZE *ov;
	int rc;

	if (m->matched)
		return false;
	if (r->min_off) {
		uint64_t from = r->min_off > r->lookbehind ? r->min_off - r->lookbehind : 0;

		if (m->subject_off + m->len < from) {
			m->subject_off += m->len;
			return false;
		}
		if (m->subject_off < r->min_off)
			start = (size_t)(r->min_off - m->subject_off);
	}
	if (r->max_off && m->subject_off + m->start >= r->max_off) {
		m->subject_off += m->len;
		return false;
	}
	if (m->start > start)
		start = m->start;
	if (start > m->len) {		/* all of it before regex_min_offset: wait for more */
		if (m->len < HTTP_REGEX_BUF)
			return true;
		m->subject_off += m->len;
		return false;
	}
	rc = pcre2_match(r->code, m->buf, m->len, start, PCRE2_PARTIAL_HARD, r->md, r->mctx);
	m->start = 0;
	ov = pcre2_get_ovector_pointer(r->md);
	if (rc == PCRE2_ERROR_PARTIAL) {
		size_t drop = ov[0] > r->lookbehind ? ov[0] - r->lookbehind : 0;

		if (drop) {
			m->start = r->lookbehind;
			m->len -= drop;
			memmove(m->buf, m->buf + drop, m->len);
			m->subject_off += drop;
		} else if (m->len == HTTP_REGEX_BUF) {
			m->subject_off += m->len;
			m->n_discarded++;
			return false;
		}
		return true;
	}
	if (rc < 0) {
		if (rc != PCRE2_ERROR_NOMATCH)
			m->last_error = rc;
	} else if (!r->max_off || m->subject_off + ov[0] < r->max_off) {
		m->matched = true;
	}
	m->subject_off += m->len;
	return false;
}

void http_regex_feed(const struct http_regex *r, struct http_regex_run *m, const uint8_t *data,
		     size_t len)
{
	while (len && !m->matched) {
		size_t take = HTTP_REGEX_BUF - m->len;

		if (take > len)
			take = len;
		memcpy(m->buf + m->len, data, take);
		m->len += take;
		data += take;
		len -= take;
		if (!step(r, m))
			m->len = 0;
	}
}
