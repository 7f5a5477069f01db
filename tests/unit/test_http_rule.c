// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_http_rule.c: HTTP_GET/SSL_GET's request, response reading, URL walk, regex. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>
#include <pcre2.h>

#include "check/http_fetch.h"
#include "check/http_regex.h"
#include "check/http_rule.h"

static union ck_sockaddr addr4(const char *ip, unsigned port)
{
	union ck_sockaddr ss = { 0 };
	struct sockaddr_in *s = (struct sockaddr_in *)&ss;

	s->sin_family = AF_INET;
	s->sin_port = htons(port);
	inet_pton(AF_INET, ip, &s->sin_addr);
	return ss;
}

static union ck_sockaddr addr6(const char *ip, unsigned port)
{
	union ck_sockaddr ss = { 0 };
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

	s->sin6_family = AF_INET6;
	s->sin6_port = htons(port);
	inet_pton(AF_INET6, ip, &s->sin6_addr);
	return ss;
}

/* The bytes check_http.c sends: http_fetch_request() with http_rule_host(). */
static void expect_request(const struct ck_http *h, const struct ck_url *u,
			   const union ck_sockaddr *dst, enum http_fetch_proto proto,
			   const char *want)
{
	char buf[HTTP_RULE_HOST_LEN];
	size_t len;
	char *req = http_fetch_request(u->path, http_rule_host(h, u, dst, buf, sizeof(buf)), proto,
				       &len);

	assert_string_equal(req, want);
	assert_int_equal(len, strlen(want));
	free(req);
}

static void test_request(void **state)
{
	struct ck_url u = { .path = "/health.html" };
	struct ck_http h = { .urls = &u, .n_urls = 1 };
	union ck_sockaddr d4 = addr4("10.1.0.4", 8080), d6 = addr6("fd00::4", 80);

	/* no virtualhost: <ip>:<port>, the port always there */
	expect_request(&h, &u, &d4, HTTP_FETCH_1_0,
		       "GET /health.html HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
		       "Host: 10.1.0.4:8080\r\n\r\n");
	expect_request(&h, &u, &d4, HTTP_FETCH_1_0C,
		       "GET /health.html HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
		       "Connection: close\r\nHost: 10.1.0.4:8080\r\n\r\n");
	expect_request(&h, &u, &d4, HTTP_FETCH_1_1,
		       "GET /health.html HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
		       "Connection: close\r\nHost: 10.1.0.4:8080\r\n\r\n");
	/* IPv6: [addr]:port */
	expect_request(&h, &u, &d6, HTTP_FETCH_1_1,
		       "GET /health.html HTTP/1.1\r\nUser-Agent: KeepAliveClient\r\n"
		       "Connection: close\r\nHost: [fd00::4]:80\r\n\r\n");
	/* the checker's effective virtualhost (checker, RS or VS: check_conf resolves it) */
	h.virtualhost = "www.example.com";
	expect_request(&h, &u, &d6, HTTP_FETCH_1_0,
		       "GET /health.html HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
		       "Host: www.example.com\r\n\r\n");
	/* the url's own wins */
	u.virtualhost = "api.example.com";
	expect_request(&h, &u, &d4, HTTP_FETCH_1_0,
		       "GET /health.html HTTP/1.0\r\nUser-Agent: KeepAliveClient\r\n"
		       "Host: api.example.com\r\n\r\n");
}

static void test_sni(void **state)
{
	struct ck_url u = { .path = "/" };
	struct ck_http h = { .urls = &u, .n_urls = 1, .virtualhost = "rs.example.com" };

	assert_null(http_rule_sni(&h, &u));		/* no enable_sni */
	h.enable_sni = true;
	assert_null(http_rule_sni(&h, &u));		/* the RS's virtualhost is no SNI */
	h.sni_virtualhost = "vs.example.com";
	assert_string_equal(http_rule_sni(&h, &u), "vs.example.com");
	u.virtualhost = "url.example.com";
	assert_string_equal(http_rule_sni(&h, &u), "url.example.com");
	h.enable_sni = false;
	assert_null(http_rule_sni(&h, &u));
}

static int status(const char *head)
{
	return http_rule_status((const uint8_t *)head, strlen(head));
}

static void test_status(void **state)
{
	assert_int_equal(status("HTTP/1.1 200 OK\r\n\r\n"), 200);
	assert_int_equal(status("HTTP/1.0 404 Not Found\r\n\r\n"), 404);
	assert_int_equal(status("HTTP/1.1 200 \r\n\r\n"), 200);
	/* no reason phrase: keepalived 2.2.7 reads no code (kept: spec 2.2) */
	assert_int_equal(status("HTTP/1.1 200\r\n\r\n"), 0);
	assert_int_equal(status("HTTP/1.1  200 OK\r\n\r\n"), 0);
	assert_int_equal(status("HTTP/1.1 2000 OK\r\n\r\n"), 0);
	assert_int_equal(status("HTTP/1.1 20 OK\r\n\r\n"), 0);
	assert_int_equal(status("HTTP/1.1\r\n200 OK\r\n\r\n"), 0);
	assert_int_equal(status("ICY 200 OK\r\n\r\n"), 200);
	assert_int_equal(status("HTTP/1.1 200 "), 200);
	assert_int_equal(status("HTTP/1.1 200"), 0);
	assert_int_equal(status(""), 0);
}

static void set_range(struct ck_url *u, int lo, int hi)
{
	for (int c = lo; c <= hi; c++) {
		unsigned bit = (unsigned)(c - CK_HTTP_STATUS_MIN);

		u->status[bit / 64] |= 1ull << (bit % 64);
	}
}

static void test_status_ok(void **state)
{
	struct ck_url u = { 0 };

	set_range(&u, 200, 299);	/* check_conf's default */
	assert_true(http_rule_status_ok(&u, 200));
	assert_true(http_rule_status_ok(&u, 299));
	assert_false(http_rule_status_ok(&u, 199));
	assert_false(http_rule_status_ok(&u, 300));
	assert_false(http_rule_status_ok(&u, 0));
	assert_false(http_rule_status_ok(&u, 600));
	assert_false(http_rule_status_ok(&u, -1));
	memset(u.status, 0, sizeof(u.status));
	set_range(&u, 100, 100);
	set_range(&u, 301, 302);
	set_range(&u, 599, 599);
	assert_true(http_rule_status_ok(&u, 100));
	assert_true(http_rule_status_ok(&u, 301));
	assert_true(http_rule_status_ok(&u, 302));
	assert_true(http_rule_status_ok(&u, 599));
	assert_false(http_rule_status_ok(&u, 200));
	assert_false(http_rule_status_ok(&u, 303));
	assert_false(http_rule_status_ok(&u, 163));
}

static int64_t clen(const char *head)
{
	return http_rule_content_length((const uint8_t *)head, strlen(head));
}

static void test_content_length(void **state)
{
	assert_int_equal(clen("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"), 10);
	assert_int_equal(clen("HTTP/1.1 200 OK\r\nContent-Length:7\r\n\r\n"), 7);
	assert_int_equal(clen("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"), 0);
	/* matched as written, as keepalived's strstr() does */
	assert_int_equal(clen("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n"), -1);
	assert_int_equal(clen("HTTP/1.1 200 OK\r\nContent-Length: 10x\r\n\r\n"), -1);
	assert_int_equal(clen("HTTP/1.1 200 OK\r\n\r\n"), -1);
	assert_int_equal(clen("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"),
			 -1);
}

static void test_head_crlf(void **state)
{
	assert_true(http_rule_head_crlf((const uint8_t *)"HTTP/1.0 200 OK\r\n\r\n", 19));
	assert_false(http_rule_head_crlf((const uint8_t *)"HTTP/1.0 200 OK\n\n", 17));
	assert_false(http_rule_head_crlf((const uint8_t *)"\r\n", 2));
}

/*
 * The URL walk: a string of attempt results ('o' pass, 'x' fail) run through
 * http_rule as check_http.c does; returns what happened, one token per attempt:
 * the url fetched, then U (up), D (down) or Dn (down after n retries), '*' (next at
 * once) or the delay in seconds.
 */
struct walk {
	struct ck_url urls[3];
	struct ck_conf cf;
	struct http_rule_seq seq;
	struct http_rule_ck ck;
	char trace[512];
};

static void walk_init(struct walk *w, unsigned n_urls, unsigned retry, bool fast)
{
	memset(w, 0, sizeof(*w));
	w->cf.type = CK_HTTP;
	w->cf.retry = retry;
	w->cf.delay_loop_us = 10000000;
	w->cf.delay_before_retry_us = 3000000;
	w->cf.u.http.urls = w->urls;
	w->cf.u.http.n_urls = n_urls;
	w->cf.u.http.fast_recovery = fast;
	w->seq.failed_url = -1;
	/* the engine at cold start: is_up, not run, retry_it = retry */
	w->ck.is_up = true;
	w->ck.retry_it = retry;
}

static const char *walk(struct walk *w, const char *results)
{
	size_t off = 0;

	w->trace[0] = '\0';
	for (const char *r = results; *r; r++) {
		struct http_rule_out out;
		unsigned url = w->seq.url_it;
		enum http_rule_event ev = *r == 'o' ? HTTP_RULE_OK : http_rule_failure(&w->ck);

		http_rule_epilog(&w->seq, &w->ck, &w->cf, ev, &out);
		off += (size_t)snprintf(w->trace + off, sizeof(w->trace) - off, "%s%u%c", off ? " " : "",
					url, *r);
		if (out.up)
			off += (size_t)snprintf(w->trace + off, sizeof(w->trace) - off, "U");
		if (out.down && out.with_retries)
			off += (size_t)snprintf(w->trace + off, sizeof(w->trace) - off, "D%u",
						out.retries);
		else if (out.down)
			off += (size_t)snprintf(w->trace + off, sizeof(w->trace) - off, "D");
		if (out.now)
			off += (size_t)snprintf(w->trace + off, sizeof(w->trace) - off, "*");
		else
			off += (size_t)snprintf(w->trace + off, sizeof(w->trace) - off, "%u",
						(unsigned)(out.delay_us / 1000000));
	}
	return w->trace;
}

static void test_walk_one_url(void **state)
{
	struct walk w;

	/* start-up: up at once, then every delay_loop */
	walk_init(&w, 1, 1, false);
	assert_string_equal(walk(&w, "ooo"), "0oU10 0o10 0o10");
	assert_true(w.ck.is_up && w.ck.has_run);

	/*
	 * The first failure after start takes it down (retry_it starts at retry); 2.2.7
	 * says "after 1 retries" since has_run is set first. While down the failed URL is
	 * tried every max(delay_before_retry, delay_loop); once it passes, all URLs again
	 * from the first: two passes to come back.
	 */
	walk_init(&w, 1, 1, false);
	assert_string_equal(walk(&w, "xxooo"), "0xD110 0x10 0o10 0oU10 0o10");

	/* retry 0: "failed." */
	walk_init(&w, 1, 0, false);
	assert_string_equal(walk(&w, "x"), "0xD10");

	/* up, retry 2: two retries delay_before_retry apart, the third failure takes it down */
	walk_init(&w, 1, 2, false);
	assert_string_equal(walk(&w, "oxxx"), "0oU10 0x3 0x3 0xD210");
	/* a pass in between resets the count */
	walk_init(&w, 1, 2, false);
	assert_string_equal(walk(&w, "oxxoxxx"), "0oU10 0x3 0x3 0o10 0x3 0x3 0xD210");

	/*
	 * A failure while down after the failed URL passed is not marked as the failed
	 * URL (2.2.7): delay_before_retry, and the next pass brings the checker up.
	 */
	walk_init(&w, 1, 1, false);
	assert_string_equal(walk(&w, "xoxoo"), "0xD110 0o10 0x3 0oU10 0o10");
}

static void test_walk_urls(void **state)
{
	struct walk w;

	/* one URL per delay_loop; up when the last passed */
	walk_init(&w, 3, 1, false);
	assert_string_equal(walk(&w, "oooooo"), "0o10 1o10 2oU10 0o10 1o10 2o10");

	/* still the first round: a failure on URL 1 takes it down at once */
	walk_init(&w, 3, 1, false);
	assert_string_equal(walk(&w, "ox"), "0o10 1xD110");

	/* up: retries stay on the failing URL; recovery: it, then all from the first */
	walk_init(&w, 3, 1, false);
	assert_string_equal(walk(&w, "oooo" "xx" "x" "o" "ooo"),
			    "0o10 1o10 2oU10 0o10 1x3 1xD110 1x10 1o10 0o10 1o10 2oU10");
}

static void test_walk_fast_recovery(void **state)
{
	struct walk w;

	/* not yet run: no delay between the URLs */
	walk_init(&w, 3, 1, true);
	assert_string_equal(walk(&w, "oooo"), "0o* 1o* 2oU10 0o10");
	/* down with the failed URL known: the usual delay; once it passed, no delay */
	walk_init(&w, 2, 0, true);
	assert_string_equal(walk(&w, "oo" "x" "xooo"), "0o* 1oU10 0xD10 0x10 0o* 0o* 1oU10");
}

static struct http_regex *regex(const char *pattern, uint32_t options, uint64_t min_off,
				uint64_t max_off)
{
	struct ck_url u = { .path = "/", .regex = (char *)pattern, .regex_options = options,
			    .regex_min_offset = min_off, .regex_max_offset = max_off };
	struct http_regex *r = NULL;
	char err[200];

	assert_int_equal(http_regex_new(&u, &r, err, sizeof(err)), 0);
	return r;
}

/* Feeds body cut into pieces of step bytes (0: whole). */
static bool matches(const struct http_regex *r, const char *body, size_t step,
		    unsigned *n_discarded)
{
	static struct http_regex_run m;
	size_t len = strlen(body);

	http_regex_begin(&m);
	for (size_t i = 0; i < len; i += step ? step : len)
		http_regex_feed(r, &m, (const uint8_t *)body + i,
				step && len - i > step ? step : len - i);
	if (n_discarded)
		*n_discarded = m.n_discarded;
	return m.matched;
}

static void test_regex(void **state)
{
	struct http_regex *r = regex("status: *OK", 0, 0, 0);
	struct ck_url bad = { .path = "/", .regex = "a(b" };
	struct http_regex *rb = NULL;
	char err[200];

	for (size_t step = 0; step < 6; step++) {
		assert_true(matches(r, "<html>status: OK</html>", step, NULL));
		assert_false(matches(r, "<html>status: KO</html>", step, NULL));
	}
	http_regex_free(r);

	r = regex("ok", PCRE2_CASELESS, 0, 0);
	assert_true(matches(r, "ALL OK", 0, NULL));
	http_regex_free(r);

	/* regex_min_offset: earlier matches do not count */
	r = regex("abc", 0, 5, 0);
	assert_false(matches(r, "abc..", 0, NULL));
	assert_true(matches(r, "abc..abc", 0, NULL));
	assert_true(matches(r, "abc..abc", 2, NULL));
	http_regex_free(r);
	/* regex_max_offset: a match must start before it */
	r = regex("abc", 0, 0, 4);
	assert_true(matches(r, "...abc", 0, NULL));
	assert_false(matches(r, "....abc", 0, NULL));
	assert_false(matches(r, "....abc", 3, NULL));
	http_regex_free(r);

	/* a partial match longer than the buffer is given up, as keepalived does */
	r = regex("<a>[^<]*</a>", 0, 0, 0);
	{
		char *big = malloc(3 + 5000 + 5);
		unsigned n = 0;

		memcpy(big, "<a>", 3);
		memset(big + 3, 'x', 5000);
		strcpy(big + 5003, "</a>");
		assert_false(matches(r, big, 1000, &n));
		assert_true(n >= 1);
		/* within the buffer it spans reads */
		strcpy(big + 3 + 3000, "</a>");
		assert_true(matches(r, big, 1000, &n));
		free(big);
	}
	http_regex_free(r);

	assert_int_not_equal(http_regex_new(&bad, &rb, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "Invalid regex: 'a(b' at offset 3: "));
	http_regex_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_sni),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_ok),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_head_crlf),
		cmocka_unit_test(test_walk_one_url),
		cmocka_unit_test(test_walk_urls),
		cmocka_unit_test(test_walk_fast_recovery),
		cmocka_unit_test(test_regex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
