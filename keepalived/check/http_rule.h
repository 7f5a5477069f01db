/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/check/http_rule.h: keepalived 2.2.7's rules for HTTP_GET/SSL_GET (pure: no I/O). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "check_data.h"

/*
 * What HTTP_GET and SSL_GET decide, apart from the sockets (check_http.c): the
 * request's Host, how the response's status line and Content-Length are read, and
 * the URL sequencing with its retry and recovery rules (spec checker-ipvs.md 1.2,
 * 2.2). The response is read as keepalived reads it, not as http_parse does:
 * genhash shares http_parse and keeps its own behaviour.
 */

/*
 * The Host header's value: the url's virtualhost, else the checker's effective one
 * (checker, RS, VS), else "<ip>:<port>" of dst ("[<ip6>]:<port>"). buf: at least
 * HTTP_RULE_HOST_LEN bytes when no virtualhost applies.
 */
#define HTTP_RULE_HOST_LEN (INET6_ADDRSTRLEN + 8)
const char *http_rule_host(const struct ck_http *h, const struct ck_url *u,
			   const union ck_sockaddr *dst, char *buf, size_t len);
/* The TLS server name: enable_sni and the url's virtualhost, else the checker's SNI one. */
const char *http_rule_sni(const struct ck_http *h, const struct ck_url *u);

/*
 * The status code as keepalived reads it: after the first space of the head, exactly
 * three digits followed by a space. 0 otherwise, so "HTTP/1.1 200\r\n" (no reason
 * phrase) has none and fails (2.2.7 behaviour, kept).
 */
int http_rule_status(const uint8_t *head, size_t len);
/* status in the url's status_code set (default 200-299)? */
bool http_rule_status_ok(const struct ck_url *u, int status);
/* "Content-Length:" (case as written) with a decimal ending the line; -1: none. */
int64_t http_rule_content_length(const uint8_t *head, size_t len);
/* keepalived finds the head's end only at CR LF CR LF. */
bool http_rule_head_crlf(const uint8_t *head, size_t len);

/* One checker's URL walk (check_http.c keeps it per probe). */
struct http_rule_seq {
	unsigned url_it;		/* the URL the next attempt fetches */
	int failed_url;			/* the URL that took the checker down; -1: none */
};

/* The checker's counters (the probe's ce_ck: is_up, has_run, retry_it). */
struct http_rule_ck {
	bool is_up, has_run;
	unsigned retry_it;
};

enum http_rule_event {
	HTTP_RULE_OK,			/* the URL passed (keepalived's REGISTER_CHECKER_NEW) */
	HTTP_RULE_RETRY,		/* it failed while up or not yet run (..._RETRY) */
	HTTP_RULE_FAILED,		/* it failed while known down (..._FAILED) */
};

struct http_rule_out {
	bool up;			/* "Remote Web server %s succeed on service.", set up */
	bool down;			/* "HTTP_CHECK on service %s failed[ after %u retries].", down */
	bool with_retries;		/* down: the "after %u retries" form, retries = n */
	unsigned retries;
	bool now;			/* fast_recovery: next attempt at once */
	uint64_t delay_us;		/* else after this */
};

/*
 * A failure: with the checker up or not yet run, HTTP_RULE_RETRY (has_run becomes
 * true: the caller logs "<reason> server <rs>." before when log_all_failures);
 * else HTTP_RULE_FAILED.
 */
enum http_rule_event http_rule_failure(struct http_rule_ck *ck);
/* keepalived's epilog(): advance seq and ck, say what to log and when to run next. */
void http_rule_epilog(struct http_rule_seq *seq, struct http_rule_ck *ck, const struct ck_conf *cf,
		      enum http_rule_event ev, struct http_rule_out *out);
