// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/http_rule.c: keepalived 2.2.7's rules for HTTP_GET/SSL_GET. */
#include "http_rule.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

const char *http_rule_host(const struct ck_http *h, const struct ck_url *u,
			   const union ck_sockaddr *dst, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "";

	if (u->virtualhost)
		return u->virtualhost;
	if (h->virtualhost)
		return h->virtualhost;
	if (dst->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)dst;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)dst;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(s4->sin_port));
	}
	return buf;
}

const char *http_rule_sni(const struct ck_http *h, const struct ck_url *u)
{
	if (!h->enable_sni)
		return NULL;
	return u->virtualhost ? u->virtualhost : h->sni_virtualhost;
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

int http_rule_status(const uint8_t *head, size_t len)
{
	size_t i = 0;

	while (i < len && head[i] != ' ' && head[i] != '\r')
		i++;
	if (i >= len || head[i] != ' ')
		return 0;
	i++;
	/* three digits and a space; keepalived also wants a byte after that space */
	if (i + 3 >= len || !is_digit(head[i]) || !is_digit(head[i + 1]) || !is_digit(head[i + 2]) ||
	    head[i + 3] != ' ')
		return 0;
	return (head[i] - '0') * 100 + (head[i + 1] - '0') * 10 + (head[i + 2] - '0');
}

bool http_rule_status_ok(const struct ck_url *u, int status)
{
	unsigned bit;

	if (status < CK_HTTP_STATUS_MIN || status > CK_HTTP_STATUS_MAX)
		return false;
	bit = (unsigned)(status - CK_HTTP_STATUS_MIN);
	return u->status[bit / 64] >> (bit % 64) & 1;
}

int64_t http_rule_content_length(const uint8_t *head, size_t len)
{
	static const char tag[] = "Content-Length:";
	const size_t tl = sizeof(tag) - 1;
	size_t i, j;
	uint64_t v = 0;

	for (i = 0; i + tl <= len; i++)
		if (!memcmp(head + i, tag, tl))
			break;
	if (i + tl > len)
		return -1;
	/* strtoul's way: blanks, an optional sign, digits; the line must end there */
	for (j = i + tl; j < len && (head[j] == ' ' || head[j] == '\t'); j++)
		;
	if (j < len && head[j] == '+')
		j++;
	for (; j < len && is_digit(head[j]); j++) {
		if (v > (uint64_t)INT64_MAX / 10)
			return -1;
		v = v * 10 + (head[j] - '0');
	}
	if (v > (uint64_t)INT64_MAX || (j < len && head[j] != '\r' && head[j] != '\n'))
		return -1;
	return (int64_t)v;
}

bool http_rule_head_crlf(const uint8_t *head, size_t len)
{
	return len >= 4 && !memcmp(head + len - 4, "\r\n\r\n", 4);
}

enum http_rule_event http_rule_failure(struct http_rule_ck *ck)
{
	if (ck->is_up || !ck->has_run) {
		ck->has_run = true;
		return HTTP_RULE_RETRY;
	}
	return HTTP_RULE_FAILED;
}

void http_rule_epilog(struct http_rule_seq *seq, struct http_rule_ck *ck, const struct ck_conf *cf,
		      enum http_rule_event ev, struct http_rule_out *out)
{
	const struct ck_http *h = &cf->u.http;
	bool at_end = false;

	memset(out, 0, sizeof(*out));
	if (ev == HTTP_RULE_OK) {
		if (seq->url_it + 1 >= h->n_urls)
			at_end = true;
		else
			seq->url_it++;
		ck->retry_it = 0;
	} else if (ev == HTTP_RULE_RETRY) {
		ck->retry_it++;
	}

	if (ev == HTTP_RULE_OK && at_end && seq->failed_url < 0) {
		/* every URL passed, one after the other */
		if (!ck->is_up || !ck->has_run) {
			out->up = true;
			ck->is_up = true;
			ck->has_run = true;
		}
		seq->url_it = 0;
		ck->retry_it = 0;
	} else if (ev == HTTP_RULE_RETRY && ck->retry_it > cf->retry) {
		if (ck->is_up || !ck->has_run) {
			out->down = true;
			out->with_retries = ck->has_run && cf->retry;
			out->retries = ck->retry_it - 1;
			ck->is_up = false;
		}
		seq->failed_url = (int)seq->url_it;
	} else if (ev == HTTP_RULE_OK && seq->failed_url >= 0) {
		/* the failed URL passed: all of them again from the first */
		seq->failed_url = -1;
		seq->url_it = 0;
		ck->retry_it = 0;
	}

	if (ev == HTTP_RULE_OK) {
		out->delay_us = cf->delay_loop_us;
		if (!ck->has_run)
			ck->retry_it = cf->retry;
	} else if (seq->failed_url >= 0) {
		out->delay_us = cf->delay_before_retry_us > cf->delay_loop_us ?
				cf->delay_before_retry_us : cf->delay_loop_us;
	} else {
		out->delay_us = cf->delay_before_retry_us;
	}
	out->now = h->fast_recovery && (!ck->has_run || (!ck->is_up && seq->failed_url < 0));
}
