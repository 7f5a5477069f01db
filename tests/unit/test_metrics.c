// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_metrics.c: the exposition writer and joiner, /proc/PID/stat, the HTTP head, the VRRP renderer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "core/metrics_expo.h"
#include "core/metrics_http.h"
#include "core/metrics_proc.h"
#include "utils.h"
#include "vrrp/vrrp_conflict.h"
#include "vrrp/vrrp_ctx.h"
#include "vrrp/vrrp_metrics.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* A memory stream and what was written to it. */
struct out {
	char *buf;
	size_t len;
	FILE *f;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
}

static const char *out_text(struct out *o)
{
	fflush(o->f);
	return o->buf;
}

static void out_close(struct out *o)
{
	fclose(o->f);
	free(o->buf);
}

static void expect_text(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want))
		fail_msg("%s:\n--- got ---\n%s--- want ---\n%s", what, got, want);
}

static void test_writer(void **state)
{
	struct out o;
	const struct expo_label l[] = { { "a", "x\\y" }, { "b", "say \"hi\"\nbye" } };

	struct expo w;

	(void)state;
	out_open(&o);
	expo_init(&w, o.f);
	expo_family(&w, "m_total", EXPO_COUNTER, "Help with \\ and\nnewline \"quotes\" kept");
	expo_sample_u64(&w, "m_total", l, 2, 18446744073709551615ull);
	expo_sample_u64(&w, "m_total", NULL, 0, 0);
	expo_family(&w, "g", EXPO_GAUGE, "g");
	expo_sample_i64(&w, "g", l, 1, -5);
	expo_sample_f(&w, "g", NULL, 0, 0.25);
	expo_sample_f(&w, "g", NULL, 0, NAN);
	expo_sample_f(&w, "g", NULL, 0, INFINITY);
	expo_sample_f(&w, "g", NULL, 0, -INFINITY);
	expo_sample_f(&w, "g", NULL, 0, 1e-3);
	expo_family(&w, "u", EXPO_UNTYPED, "");
	{
		char *open = expo_labels_open(l, 2), *none = expo_labels_open(NULL, 0);

		assert_non_null(open);
		expo_sample_pre_u64(&w, "u", open, ",reason=\"ttl\"", 42);
		expo_sample_pre_u64(&w, "u", open, NULL, 0);
		expo_sample_pre_u64(&w, "u", none, NULL, 7);
		free(open);
		free(none);
	}
	expo_flush(&w);
	expect_text("writer", out_text(&o),
		    "# HELP m_total Help with \\\\ and\\nnewline \"quotes\" kept\n"
		    "# TYPE m_total counter\n"
		    "m_total{a=\"x\\\\y\",b=\"say \\\"hi\\\"\\nbye\"} 18446744073709551615\n"
		    "m_total 0\n"
		    "# HELP g g\n# TYPE g gauge\n"
		    "g{a=\"x\\\\y\"} -5\n"
		    "g 0.25\ng NaN\ng +Inf\ng -Inf\ng 0.001\n"
		    "# HELP u \n# TYPE u untyped\n"
		    "u{a=\"x\\\\y\",b=\"say \\\"hi\\\"\\nbye\",reason=\"ttl\"} 42\n"
		    "u{a=\"x\\\\y\",b=\"say \\\"hi\\\"\\nbye\"} 0\n"
		    "u{} 7\n");
	out_close(&o);
}

static void test_names(void **state)
{
	static const struct {
		const char *what, *name;
		bool metric, label;
	} rows[] = {
		{ "plain", "keepalived_up", true, true },
		{ "colon: metric only", "job:rate5m", true, false },
		{ "leading digit", "1abc", false, false },
		{ "dash", "a-b", false, false },
		{ "empty", "", false, false },
		{ "underscore start", "_x", true, true },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		if (expo_name_ok(rows[i].name, true) != rows[i].metric)
			fail_msg("%s: metric name", rows[i].what);
		if (expo_name_ok(rows[i].name, false) != rows[i].label)
			fail_msg("%s: label name", rows[i].what);
	}
}

static void test_join(void **state)
{
	static const struct {
		const char *what;
		const char *parts[3];
		const char *want;
	} rows[] = {
		{ "one part passes through",
		  { "# HELP a A\n# TYPE a gauge\na 1\n" },
		  "# HELP a A\n# TYPE a gauge\na 1\n" },
		{ "a family in two parts is written once, samples in part order",
		  { "# HELP p P\n# TYPE p counter\np{x=\"1\"} 1\n# HELP a A\n# TYPE a gauge\na 1\n",
		    "# HELP p P\n# TYPE p counter\np{x=\"2\"} 2\n# HELP b B\n# TYPE b gauge\nb 2\n" },
		  "# HELP p P\n# TYPE p counter\np{x=\"1\"} 1\np{x=\"2\"} 2\n"
		  "# HELP a A\n# TYPE a gauge\na 1\n# HELP b B\n# TYPE b gauge\nb 2\n" },
		{ "a family reopened in the same part is merged",
		  { "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\na{l=\"2\"} 2\n" },
		  "# TYPE a gauge\na 1\na{l=\"2\"} 2\n# TYPE b gauge\nb 1\n" },
		{ "a counter's _total and a summary's _sum/_count belong to their family",
		  { "# TYPE c counter\nc_total 3\n# TYPE s summary\ns_sum 1\ns_count 2\n" },
		  "# TYPE c counter\nc_total 3\n# TYPE s summary\ns_sum 1\ns_count 2\n" },
		{ "samples without a header make their own family; comments are dropped",
		  { "# just a comment\nx 1\n\ny{a=\"b\"} 2\n", "x 3" },
		  "x 1\nx 3\ny{a=\"b\"} 2\n" },
		{ "the last line gets its newline",
		  { "# TYPE a gauge\na 1", "# TYPE a gauge\na 2" },
		  "# TYPE a gauge\na 1\na 2\n" },
		{ "a family with a header only is kept",
		  { "# HELP e E\n# TYPE e gauge\n", "" },
		  "# HELP e E\n# TYPE e gauge\n" },
		{ "a sample of another family does not take the current one's name prefix",
		  { "# TYPE a gauge\na 1\na_bc 2\n" },
		  "# TYPE a gauge\na 1\na_bc 2\n" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct expo_part p[3];
		unsigned n = 0;
		char *buf;
		size_t len;

		for (; n < 3 && rows[i].parts[n]; n++)
			p[n] = (struct expo_part){ rows[i].parts[n], strlen(rows[i].parts[n]) };
		assert_int_equal(expo_join(p, n, &buf, &len), 0);
		assert_int_equal(len, strlen(buf));
		expect_text(rows[i].what, buf, rows[i].want);
		free(buf);
	}
}

static void test_proc_stat(void **state)
{
	/* a command with spaces and a ')' of its own: the fields start after the last one */
	static const char line[] =
		"4242 (evil) name (x)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 "
		"250 75 0 0 20 0 1 0 123456 10485760 640 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0\n";
	struct metrics_proc_stat st;

	(void)state;
	assert_true(metrics_proc_parse_stat(line, &st));
	assert_int_equal(st.utime_ticks, 250);
	assert_int_equal(st.stime_ticks, 75);
	assert_int_equal(st.start_ticks, 123456);
	assert_int_equal(st.vsize_bytes, 10485760);
	assert_int_equal(st.rss_pages, 640);
	assert_false(metrics_proc_parse_stat("4242 (short) S 1 2 3\n", &st));
	assert_false(metrics_proc_parse_stat("no parenthesis at all", &st));
}

static void test_http_parse(void **state)
{
	static const struct {
		const char *what, *req;
		size_t max;		/* 0: MH_REQ_MAX */
		enum mh_verdict want;
	} rows[] = {
		{ "Prometheus' scrape",
		  "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9165\r\nUser-Agent: Prometheus/2.42.0\r\n"
		  "Accept: text/plain;version=0.0.4;q=1,*/*;q=0.1\r\nAccept-Encoding: gzip\r\n"
		  "X-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n", 0, MH_GET_METRICS },
		{ "HTTP/1.0, LF only", "GET /metrics HTTP/1.0\n\n", 0, MH_GET_METRICS },
		{ "query string ignored", "GET /metrics?name[]=up HTTP/1.1\r\n\r\n", 0, MH_GET_METRICS },
		{ "absolute form", "GET http://127.0.0.1:9165/metrics HTTP/1.1\r\n\r\n", 0,
		  MH_GET_METRICS },
		{ "HEAD", "HEAD /metrics HTTP/1.1\r\n\r\n", 0, MH_HEAD_METRICS },
		{ "head not ended yet", "GET /metrics HTTP/1.1\r\nHost: x\r\n", 0, MH_INCOMPLETE },
		{ "nothing yet", "", 0, MH_INCOMPLETE },
		{ "POST /metrics", "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 0,
		  MH_BAD_METHOD },
		{ "lower-case method is another method", "get /metrics HTTP/1.1\r\n\r\n", 0,
		  MH_BAD_METHOD },
		{ "root", "GET / HTTP/1.1\r\n\r\n", 0, MH_NOT_FOUND },
		{ "a longer path", "GET /metricsx HTTP/1.1\r\n\r\n", 0, MH_NOT_FOUND },
		{ "a sub-path", "GET /metrics/ HTTP/1.1\r\n\r\n", 0, MH_NOT_FOUND },
		{ "POST elsewhere", "POST /x HTTP/1.1\r\n\r\n", 0, MH_NOT_FOUND },
		{ "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0, MH_BAD_REQUEST },
		{ "no version", "GET /metrics\r\n\r\n", 0, MH_BAD_REQUEST },
		{ "two spaces", "GET  /metrics HTTP/1.1\r\n\r\n", 0, MH_BAD_REQUEST },
		{ "garbage", "\x16\x03\x01\x02\x01 x HTTP\r\n\r\n", 0, MH_BAD_REQUEST },
		{ "head too large", "GET /metrics HTTP/1.1\r\nX: yyyyyyyyyyyyyyyyyyyy\r\n", 32,
		  MH_TOO_LARGE },
		{ "a head that ends within max", "GET /metrics HTTP/1.1\r\n\r\n", 25, MH_GET_METRICS },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		size_t len = strlen(rows[i].req);
		enum mh_verdict got = metrics_http_parse(rows[i].req, len,
							 rows[i].max ? rows[i].max : MH_REQ_MAX);

		if (got != rows[i].want)
			fail_msg("%s: got %d, want %d", rows[i].what, got, rows[i].want);
	}
}

/* Each error answer says its own body's length, and its status. */
static void test_http_errors(void **state)
{
	static const struct {
		enum mh_verdict v;
		const char *status;
	} rows[] = {
		{ MH_NOT_FOUND, "HTTP/1.1 404 " }, { MH_BAD_METHOD, "HTTP/1.1 405 " },
		{ MH_BAD_REQUEST, "HTTP/1.1 400 " }, { MH_TOO_LARGE, "HTTP/1.1 431 " },
		{ MH_UNAVAILABLE, "HTTP/1.1 503 " },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const char *r = metrics_http_error_response(rows[i].v);
		const char *cl = strstr(r, "Content-Length: "), *body = strstr(r, "\r\n\r\n");

		assert_non_null(cl);
		assert_non_null(body);
		if (strncmp(r, rows[i].status, strlen(rows[i].status)))
			fail_msg("verdict %d: %s", rows[i].v, r);
		assert_int_equal(strtoul(cl + 16, NULL, 10), strlen(body + 4));
	}
	assert_non_null(strstr(metrics_http_error_response(MH_BAD_METHOD), "\r\nAllow: GET, HEAD\r\n"));
}

/* ---- the VRRP renderer, on instances made by hand ---- */

static struct inet_addr addr(const char *s)
{
	struct inet_addr a;

	assert_true(inet_addr_parse(s, &a));
	return a;
}

static struct vrrp_ipaddr vip(const char *a, unsigned prefix, const char *ifname)
{
	struct vrrp_ipaddr v = { .addr = addr(a), .prefix_len = (uint8_t)prefix };

	snprintf(v.ifname, sizeof(v.ifname), "%s", ifname);
	return v;
}

static int strcmp_p(const char **a, const char **b)
{
	return strcmp(*a, *b);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static void test_vrrp_render(void **state)
{
	struct vc_more more = vc_more_default;
	struct vc_instance c1 = { .interface = "eth0", .more = &more, .vrid = 51, .priority = 200,
				  .advert_int_us = 1000000, .family = AF_INET, .n_vips = 2,
				  .n_evips = 1 };
	struct vc_instance c2 = { .interface = "eth1", .more = &more, .vrid = 7, .priority = 100,
				  .advert_int_us = 1000000, .family = AF_INET };
	struct vrrp_ipaddr vips1[3] = { vip("192.0.2.100", 24, "eth0"), vip("192.0.2.101", 32, "eth9"),
					vip("198.51.100.1", 24, "eth0") };
	uint64_t drops[VRRP_DROP__COUNT] = { [VRRP_DROP_TTL] = 4, [VRRP_DROP_AUTH] = 2,
					     [VRRP_DROP_AH_SEQ] = 1, [VRRP_DROP_LENGTH] = 3 };
	struct vrrp_inst i1 = { .conf = &c1, .name = "VI_1", .ifname = "eth0",
				.all_vips = vips1, .n_all_vips = 3,
				.fc = { .priority = 200 }, .fsm = { .state = VRRP_STATE_MASTER, .eff_prio = 210 },
				.n_adverts_rx = 5, .n_adverts_tx = 77, .n_became_master = 2,
				.dump_n_released_master = 1, .n_transitions = 4, .n_prio0_rx = 1,
				.n_prio0_tx = 0, .n_drop = drops };
	struct vrrp_inst i2 = { .conf = &c2, .name = "weird \"name\"", .ifname = "eth1",
				.fc = { .priority = 100 }, .fsm = { .state = VRRP_STATE_BACKUP, .eff_prio = 100 } };
	struct vrrp_inst *insts[] = { &i1, &i2 };
	struct vrrp_ctx ctx = { .insts = insts, .n_insts = 2,
				.gd = { .garp_master_delay_us = 5000000, .version = 2,
					.mcast_group4 = addr("224.0.0.18"), .mcast_group6 = addr("ff02::12"),
					.down_timer_adverts = 3 } };
	static const char *const want[] = {
		"# TYPE keepalived_vrrp_state gauge",
		"keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",ip_address=\"192.0.2.100/24\"} 2",
		/* a VIP on another dev: the exporter's intf is the VIP's */
		"keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth9\",vrid=\"51\",ip_address=\"192.0.2.101\"} 2",
		/* no VIP: one sample with ip_address "" */
		"keepalived_vrrp_state{iname=\"weird \\\"name\\\"\",intf=\"eth1\",vrid=\"7\",ip_address=\"\"} 1",
		"keepalived_vrrp_excluded_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",ip_address=\"198.51.100.1/24\"} 2",
		"keepalived_advertisements_received_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 5",
		"keepalived_advertisements_sent_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 77",
		"keepalived_become_master_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 2",
		"keepalived_release_master_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 1",
		"keepalived_packet_length_errors_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 3",
		"keepalived_ip_ttl_errors_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 4",
		"keepalived_authentication_failure_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 3",
		"keepalived_priority_zero_received_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 1",
		"keepalived_gratuitous_arp_delay_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 5",
		"keepalived_vrrp_priority{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 200",
		"keepalived_vrrp_effective_priority{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 210",
		"keepalived_vrrp_transitions_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 4",
		"keepalived_vrrp_dropped_adverts_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",reason=\"ttl\"} 4",
		"keepalived_vrrp_dropped_adverts_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",reason=\"ah_seq\"} 1",
		"keepalived_vrrp_dropped_adverts_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",reason=\"version\"} 0",
	};
	struct out o;
	const char *t;
	const char *p;
	unsigned n_types = 0;

	(void)state;
	i1.ctx = i2.ctx = &ctx;
	i1.st_since_us = mono_now_us() - 5000000;	/* in its state for 5 s */
	/* it took over 3.609 s after 192.0.2.2's last advert, and has seen 3 conflicts */
	struct vrrp_conflict_inst cf = {
		.ep = { .active = true, .n_episodes = 3, .n_packets = 12 },
		.fo = { .has_last = true, .last_us = 3609000, .last_from = addr("192.0.2.2"),
			.last_at_us = mono_now_us() - 1000000 },
	};
	i1.cfl = &cf;
	out_open(&o);
	vrrp_metrics_render_families(&ctx, o.f);
	t = out_text(&o);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		if (!has_line(t, want[i]))
			fail_msg("missing line: %s\n--- got ---\n%s", want[i], t);
	/* one family per name: each TYPE line once */
	for (p = t; (p = strstr(p, "# TYPE ")); p++) {
		const char *e = strchr(p + 7, ' ');
		char name[128];

		snprintf(name, sizeof(name), "\n# TYPE %.*s ", (int)(e - p - 7), p + 7);
		if (strstr(p + 1, name))
			fail_msg("family written twice: %s", name + 1);
		n_types++;
	}
	assert_true(n_types > 20);
	{
		const char *l = strstr(t, "keepalived_vrrp_last_transition_timestamp_seconds{iname=\"VI_1\"");
		double since = l ? strtod(strchr(l, '}') + 2, NULL) : 0;
		double now = (double)time(NULL);

		assert_non_null(l);
		if (since < now - 7 || since > now - 3)
			fail_msg("last transition %f, now %f: not 5 s ago", since, now);
		/* the failover: seconds from its last advert, whose */
		if (!has_line(t, "keepalived_vrrp_last_failover_seconds{iname=\"VI_1\",intf=\"eth0\","
			      "vrid=\"51\",from=\"192.0.2.2\"} 3.609000"))
			fail_msg("no failover line:\n%s", t);
		assert_non_null(strstr(t, "keepalived_vrrp_last_failover_timestamp_seconds{iname=\"VI_1\""));
		assert_null(strstr(t, "keepalived_vrrp_last_failover_seconds{iname=\"weird"));
		assert_true(has_line(t, "keepalived_vrrp_conflicts_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 3"));
		assert_true(has_line(t, "keepalived_vrrp_conflict_packets_total{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 12"));
		assert_true(has_line(t, "keepalived_vrrp_conflict_active{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\"} 1"));
		/* not started: no sample */
		assert_null(strstr(t, "keepalived_vrrp_last_transition_timestamp_seconds{iname=\"weird"));
	}
	/* an instance that never dropped an advert has no per-reason series (yet) */
	assert_null(strstr(t, "keepalived_vrrp_dropped_adverts_total{iname=\"weird"));
	assert_string_equal(vrrp_metrics_drop_label(VRRP_DROP_AUTH_TYPE), "auth_type");
	assert_null(vrrp_metrics_drop_label(VRRP_DROP_NONE));
	out_close(&o);
}

/* Sorted sample lines of an exposition, without comments or process_* samples. */
static char **sample_lines(const char *text, unsigned *n)
{
	char **v = NULL, *copy = strdup(text), *save = NULL;

	*n = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (*l == '#' || !strncmp(l, "process_", 8))
			continue;
		v = realloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = strdup(l);
	}
	free(copy);
	qsort(v, *n, sizeof(*v), (int (*)(const void *, const void *))strcmp_p);
	return v;
}

/* A scrape of more instances than a part: the parts, joined, are the whole answer. */
static void test_vrrp_parts(void **state)
{
	enum { N = VRRP_METRICS_PART * 2 + 17 };
	struct vc_more more = vc_more_default;
	static struct vc_instance c[N];
	static struct vrrp_inst vi[N];
	static struct vrrp_inst *insts[N];
	static struct vrrp_ipaddr vips[N];
	static char names[N][16];
	struct vrrp_ctx ctx = { .insts = insts, .n_insts = N,
				.gd = { .garp_master_delay_us = 5000000, .version = 2,
					.mcast_group4 = addr("224.0.0.18"), .mcast_group6 = addr("ff02::12"),
					.down_timer_adverts = 3 } };
	struct out whole, parts;
	size_t cursor = 0;
	unsigned n_parts = 0, nw, nj;
	char **lw, **lj, *joined;
	size_t jlen;
	struct expo_part p;

	(void)state;
	for (unsigned i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "VI_%u", i);
		c[i] = (struct vc_instance){ .interface = "eth0", .more = &more, .vrid = i % 255 + 1,
					     .priority = 100, .advert_int_us = 1000000, .family = AF_INET,
					     .n_vips = 1 };
		vips[i] = vip("192.0.2.100", 24, "eth0");
		vi[i] = (struct vrrp_inst){ .conf = &c[i], .ctx = &ctx, .name = names[i], .ifname = "eth0",
					    .all_vips = &vips[i], .n_all_vips = 1,
					    .fsm = { .state = VRRP_STATE_BACKUP }, .n_adverts_rx = i };
		insts[i] = &vi[i];
	}
	out_open(&whole);
	vrrp_metrics_render_families(&ctx, whole.f);
	out_open(&parts);
	do {
		cursor = vrrp_metrics_render_part(&ctx, parts.f, cursor);
		n_parts++;
	} while (cursor && n_parts < 100);
	assert_int_equal(n_parts, 3);
	p = (struct expo_part){ out_text(&parts), parts.len };
	assert_int_equal(expo_join(&p, 1, &joined, &jlen), 0);
	lw = sample_lines(out_text(&whole), &nw);
	lj = sample_lines(joined, &nj);
	assert_int_equal(nw, nj);
	for (unsigned i = 0; i < nw; i++)
		if (strcmp(lw[i], lj[i]))
			fail_msg("line %u: whole %s, parts %s", i, lw[i], lj[i]);
	/* joined: one family per name again */
	assert_non_null(strstr(joined, "# TYPE keepalived_vrrp_state gauge\n"));
	assert_null(strstr(strstr(joined, "# TYPE keepalived_vrrp_state gauge\n") + 1,
			   "# TYPE keepalived_vrrp_state gauge\n"));
	for (unsigned i = 0; i < nw; i++) {
		free(lw[i]);
		free(lj[i]);
	}
	free(lw);
	free(lj);
	free(joined);
	out_close(&whole);
	out_close(&parts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_proc_stat),
		cmocka_unit_test(test_http_parse),
		cmocka_unit_test(test_http_errors),
		cmocka_unit_test(test_vrrp_render),
		cmocka_unit_test(test_vrrp_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
