// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_http.c: HTTP_GET and SSL_GET on http_fetch (spec 2.2). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "check_drivers.h"
#include "check_sock.h"
#include "check_ssl.h"
#include "http_fetch.h"
#include "http_regex.h"
#include "http_rule.h"
#include "log.h"
#include "utils.h"

/*
 * One attempt fetches one URL (http_fetch: connect, TLS, the request, the response
 * read to the close, each step with connect_timeout); the response is then judged
 * in keepalived 2.2.7's order: no data, status code, Content-Length (logged, never
 * failing), digest, regex. What follows a pass or a failure (URL walk, retries,
 * recovery from the first URL, fast_recovery) is http_rule's. SSL_GET is the same
 * with the SSL block's context and, with enable_sni, a server name; its lines say
 * HTTP_CHECK like 2.2.7's.
 */

#define SUCCEED_BODY "=> CHECK succeed on service <="
#define FAILED_BODY "=> CHECK failed on service : HTTP request failed <="

/* keepalived reads 4095 bytes at most into a buffer the head must fit in */
#define HTTP_HEAD_MAX 4095

struct url_rt {
	struct http_regex *re;		/* NULL: no regex */
	int64_t len_mismatch;		/* the Content-Length difference last logged */
};

struct http_state {
	struct http_rule_seq seq;
	struct url_rt *urls;
	struct http_fetch *fetch;
	struct http_regex_run *rx;	/* one response's regex matching; NULL: no url has one */
	/* the response of the attempt in flight, as keepalived reads its head (no padding) */
	int64_t content_len;
	int status;
	bool head_crlf;
};

static bool is_tls(const struct ck_probe *p)
{
	return ck_probe_conf(p)->type == CK_SSL;
}

static void set_state(struct ck_probe *p, bool up, const char *body)
{
	struct ce_ck *ck = ck_probe_ck(p);
	bool was_up = ck->is_up;

	ck_probe_set_state(p, up, was_up != up ? body : NULL);
}

static void epilog(struct ck_probe *p, struct http_rule_ck *hc, enum http_rule_event ev)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	struct http_state *st = ck_probe_state(p);
	struct ce_ck *ck = ck_probe_ck(p);
	struct http_rule_out out;

	http_rule_epilog(&st->seq, hc, cf, ev, &out);
	ck->retry_it = hc->retry_it;
	if (out.up) {
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			if (ck_member_ck(m)->enabled)
				log_info("Remote Web server %s succeed on service.", ck_member_rs_str(m));
		set_state(p, true, SUCCEED_BODY);
	}
	if (out.down) {
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m)) {
			if (!ck_member_ck(m)->enabled)
				continue;
			if (out.with_retries)
				log_info("HTTP_CHECK on service %s failed after %u retries.",
					 ck_member_rs_str(m), out.retries);
			else
				log_info("HTTP_CHECK on service %s failed.", ck_member_rs_str(m));
		}
		set_state(p, false, FAILED_BODY);
	}
	ck->has_run = hc->has_run;
	ck_probe_schedule(p, out.now ? 0 : out.delay_us);
}

static void load_ck(const struct ck_probe *p, struct http_rule_ck *hc)
{
	const struct ce_ck *ck = ck_probe_ck(p);

	hc->is_up = ck->is_up;
	hc->has_run = ck->has_run;
	hc->retry_it = ck->retry_it;
}

/* keepalived's timeout_epilog(): what failed, as its line starts */
static void fail(struct ck_probe *p, const char *what)
{
	struct http_rule_ck hc;
	enum http_rule_event ev;

	ck_probe_note_result(p, false);
	load_ck(p, &hc);
	ev = http_rule_failure(&hc);
	if (ev == HTTP_RULE_RETRY && ck_log_all_failures(p))
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			if (ck_member_ck(m)->enabled)
				log_info("%s server %s.", what, ck_member_rs_str(m));
	ck_probe_ck(p)->has_run = hc.has_run;
	epilog(p, &hc, ev);
}

static void pass(struct ck_probe *p, const char *what, const struct ck_url *u)
{
	struct http_rule_ck hc;

	ck_probe_note_result(p, true);
	if (!ck_probe_ck(p)->is_up)
		for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
			if (ck_member_ck(m)->enabled)
				log_info("%s success to %s url(%s)", what, ck_member_rs_str(m), u->path);
	load_ck(p, &hc);
	epilog(p, &hc, HTTP_RULE_OK);
}

/* keepalived's http_handle_response(), for a response whose head came */
static void judge(struct ck_probe *p, const struct http_fetch_result *r)
{
	const struct ck_http *h = &ck_probe_conf(p)->u.http;
	struct http_state *st = ck_probe_state(p);
	const struct ck_url *u = &h->urls[st->seq.url_it];
	struct url_rt *ut = &st->urls[st->seq.url_it];
	const char *what = "HTTP status code";
	uint64_t rx = r->rx_len - r->head_len;

	if (!st->head_crlf) {		/* keepalived never found the head's end */
		fail(p, "Read, no data received from ");
		return;
	}
	if (!http_rule_status_ok(u, st->status)) {
		fail(p, "HTTP status code error to");
		return;
	}
	if (st->content_len >= 0 && (uint64_t)st->content_len != rx) {
		int64_t diff = st->content_len - (int64_t)rx;

		if (ut->len_mismatch != diff) {
			for (struct ck_member *m = ck_probe_members(p); m; m = ck_member_next(m))
				if (ck_member_ck(m)->enabled)
					log_info("http_check for RS %s VS %s url %s%s: content_length "
						 "(%" PRId64 ") does not match received bytes (%" PRIu64 ")",
						 ck_member_rs_str(m), ck_member_vs_str(m),
						 u->virtualhost ? u->virtualhost : "", u->path,
						 st->content_len, rx);
			ut->len_mismatch = diff;
		}
	} else {
		ut->len_mismatch = 0;
	}
	if (u->has_digest) {
		if (memcmp(u->digest, r->md5, sizeof(u->digest))) {
			fail(p, "MD5 digest error to");
			return;
		}
		what = "MD5 digest";
	}
	if (ut->re) {
		for (unsigned i = 0; i < st->rx->n_discarded; i++)
			log_info("Regex partial match preserve too large - discarding");
		if (st->rx->matched == u->regex_no_match) {
			fail(p, "Regex match failed");
			return;
		}
		what = "Regex match";
	}
	pass(p, what, u);
}

static void on_done(void *arg, const struct http_fetch_result *r)
{
	struct ck_probe *p = arg;
	struct http_state *st = ck_probe_state(p);
	const bool tls = is_tls(p);

	/* r is the fetch's copy on its stack; r->head (unused here) would go with the fetch */
	http_fetch_free(st->fetch);
	st->fetch = NULL;
	switch (r->why) {
	case HTTP_FETCH_OK:
	case HTTP_FETCH_TRUNCATED:	/* keepalived judges what came */
		judge(p, r);
		return;
	case HTTP_FETCH_BAD_RESPONSE:
		if (r->head_len)	/* keepalived does not parse the body: judge what came */
			judge(p, r);
		else if (r->parse_err == HTTP_PARSE_HEAD_TOO_BIG)
			fail(p, "Read, no data received from ");
		else			/* no status line keepalived could read */
			fail(p, "HTTP status code error to");
		return;
	case HTTP_FETCH_NO_HEAD:
		fail(p, tls && !r->tls_unclean_close ? "SSL read error from" :
			"Read, no data received from ");
		return;
	case HTTP_FETCH_RECV_FAILED:
		if (!tls)
			fail(p, "Read error with");
		else if (r->head_len)	/* keepalived's SSL reader judges what it has */
			judge(p, r);
		else
			fail(p, "Read, no data received from ");
		return;
	case HTTP_FETCH_NO_ROUTE:
		fail(p, "HTTP_CHECK - network unreachable");
		return;
	case HTTP_FETCH_CONNECT_FAILED:
		if (r->early && !ck_connect_error_counted(r->err)) {
			/* the socket's set-up, not the server: not a failure of the check */
			log_info("WEB socket bind failed. Rescheduling");
			ck_probe_schedule(p, ck_probe_conf(p)->delay_loop_us);
		} else if (r->early) {
			fail(p, "HTTP_CHECK - network unreachable");
		} else {
			fail(p, r->err == ETIMEDOUT ? "Timeout connecting" : "Connection failed");
		}
		return;
	case HTTP_FETCH_CONNECT_TIMEOUT:
	case HTTP_FETCH_TLS_TIMEOUT:
		fail(p, "Timeout connecting");
		return;
	case HTTP_FETCH_TLS_FAILED:
		fail(p, "SSL handshake/communication error connecting to");
		return;
	case HTTP_FETCH_SEND_FAILED:
		fail(p, "Cannot send get request to");
		return;
	case HTTP_FETCH_SEND_TIMEOUT:
		fail(p, "Timeout WEB write");
		return;
	case HTTP_FETCH_RECV_TIMEOUT:
		fail(p, !r->readable ? "Timeout WEB read" : tls ? "Timeout SSL read" :
			"Timeout HTTP read");
		return;
	case HTTP_FETCH__COUNT:
		break;
	}
	fail(p, "Connection failed");
}

static void on_head(void *arg, const uint8_t *head, size_t len)
{
	struct http_state *st = ck_probe_state(arg);

	st->status = http_rule_status(head, len);
	st->content_len = http_rule_content_length(head, len);
	st->head_crlf = http_rule_head_crlf(head, len);
}

static void on_body(void *arg, const uint8_t *data, size_t len)
{
	struct ck_probe *p = arg;
	struct http_state *st = ck_probe_state(p);
	const struct url_rt *ut = &st->urls[st->seq.url_it];

	if (ut->re)
		http_regex_feed(ut->re, st->rx, data, len);
}

static void http_run(struct ck_probe *p)
{
	const struct ck_conf *cf = ck_probe_conf(p);
	const struct ck_http *h = &cf->u.http;
	struct http_state *st = ck_probe_state(p);
	const struct ck_url *u = &h->urls[st->seq.url_it];
	static const enum http_fetch_proto protos[] = {
		[CK_HTTP_10] = HTTP_FETCH_1_0, [CK_HTTP_10C] = HTTP_FETCH_1_0C,
		[CK_HTTP_11] = HTTP_FETCH_1_1,
	};
	char host_buf[HTTP_RULE_HOST_LEN];
	union ck_sockaddr dst;
	struct http_fetch_req req = {
		.addr = (const struct sockaddr *)&dst,	/* filled below */
		.fwmark = cf->conn.fwmark,
		.src = cf->conn.src.ss_family ? (const struct sockaddr *)&cf->conn.src : NULL,
		.src_len = ck_sockaddr_len(&cf->conn.src),
		.bind_if = cf->conn.bind_if,
		.timeout_us = cf->conn.connect_timeout_us,
		.read_max = 4096,
		.head_max = HTTP_HEAD_MAX,
		.wait_close = true,	/* keepalived reads to the close */
		.cb = { .on_head = on_head, .on_body = on_body, .on_done = on_done, .arg = p },
	};
	char *request;
	int r;

	ck_probe_dst(p, &dst);
	req.addr_len = ck_sockaddr_len(&dst);
	if (is_tls(p)) {
		req.tls = check_ssl_ctx();
		req.sni = http_rule_sni(h, u);
	}
	request = http_fetch_request(u->path, http_rule_host(h, u, &dst, host_buf,
							       sizeof(host_buf)),
				     protos[h->proto], &req.request_len);
	req.request = request;
	st->status = 0;
	st->content_len = -1;
	st->head_crlf = false;
	if (st->rx)
		http_regex_begin(st->rx);
	r = req.tls || !is_tls(p) ? http_fetch_start(ck_probe_sched(p), &req, &st->fetch) : -ENOMEM;
	free(request);
	if (r < 0) {
		st->fetch = NULL;
		log_info("WEB connection fail to create socket. Rescheduling.");
		ck_probe_schedule(p, cf->delay_loop_us);
	}
}

static void http_cancel(struct ck_probe *p)
{
	struct http_state *st = ck_probe_state(p);

	http_fetch_free(st->fetch);
	st->fetch = NULL;
}

static void http_release(struct ck_probe *p)
{
	const struct ck_http *h = &ck_probe_conf(p)->u.http;
	struct http_state *st = ck_probe_state(p);

	http_cancel(p);
	if (st->urls)
		for (unsigned i = 0; i < h->n_urls; i++)
			http_regex_free(st->urls[i].re);
	free(st->urls);
	st->urls = NULL;
	free(st->rx);
	st->rx = NULL;
}

static int http_prepare(struct ck_probe *p)
{
	const struct ck_http *h = &ck_probe_conf(p)->u.http;
	struct http_state *st = ck_probe_state(p);
	char err[256];

	if (!h->n_urls)		/* check_conf drops such checkers already */
		return -EINVAL;
	st->seq.url_it = 0;
	st->seq.failed_url = -1;
	st->urls = xcalloc(h->n_urls, sizeof(*st->urls));
	for (unsigned i = 0; i < h->n_urls; i++) {
		if (!h->urls[i].regex)
			continue;
		if (http_regex_new(&h->urls[i], &st->urls[i].re, err, sizeof(err)) < 0) {
			log_info("%s", err);
			http_release(p);
			return -EINVAL;
		}
		if (!st->rx)
			st->rx = xcalloc(1, sizeof(*st->rx));
	}
	if (is_tls(p) && !check_ssl_ctx()) {
		http_release(p);
		return -ENOMEM;
	}
	return 0;
}

/*
 * No .same: the engine's ck_conf_same() already compares all of HTTP_GET's and
 * SSL_GET's data (check_engine_reload.c), so the probe's dedup needs nothing more.
 */
const struct ck_driver ck_driver_http = {
	.type = CK_HTTP,
	.state_size = sizeof(struct http_state),
	.prepare = http_prepare,
	.run = http_run,
	.cancel = http_cancel,
	.release = http_release,
};

const struct ck_driver ck_driver_ssl = {
	.type = CK_SSL,
	.state_size = sizeof(struct http_state),
	.prepare = http_prepare,
	.run = http_run,
	.cancel = http_cancel,
	.release = http_release,
};
