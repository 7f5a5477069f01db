// SPDX-License-Identifier: GPL-2.0-or-later
/* tests/unit/test_check_conf.c: the checker's configuration: effective values (spec 1.1), groups, keepalived 2.2.7's messages (1.9), FMT_RS/FMT_VS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_conf.h"
#include "check/check_data.h"
#include "core/global_defs.h"
#include "parser.h"
#include "process.h"
#include "utils.h"

#define S 1000000ULL

struct loaded {
	struct global_defs *gd;
	struct check_conf *cc;
	char *diags;
	size_t diags_len;
	FILE *diag_f;
	unsigned n_errors, n_warnings;
	int r;
};

static void diag_cb(void *arg, const struct cfg_diag *d)
{
	struct loaded *l = arg;
	char buf[2048];

	fprintf(l->diag_f, "%s\n", cfg_diag_format(d, buf, sizeof(buf)));
}

/* parse buf as t.conf, with global_defs and the checker's keywords (test: as -t does) */
static void load_opt(struct loaded *l, const char *buf, bool test)
{
	struct cfg_opts o = { .diag = diag_cb, .diag_arg = l, .config_test = test };
	struct cfg_root roots[2];

	memset(l, 0, sizeof(*l));
	l->gd = global_defs_new();
	l->cc = check_conf_new();
	roots[0] = (struct cfg_root){ global_defs_root_kws, l->gd, global_defs_finish };
	roots[1] = (struct cfg_root){ check_root_kws, l->cc, check_conf_finish };
	l->diag_f = open_memstream(&l->diags, &l->diags_len);
	l->r = cfg_parse_buf("t.conf", buf, strlen(buf), roots, 2, &o, &l->n_errors,
			     &l->n_warnings);
	fclose(l->diag_f);
}

static void load(struct loaded *l, const char *buf)
{
	load_opt(l, buf, false);
}

static void unload(struct loaded *l)
{
	global_defs_free(l->gd);
	check_conf_free(l->cc);
	free(l->diags);
}

static void expect_diag(const struct loaded *l, const char *s)
{
	if (!strstr(l->diags, s))
		fail_msg("missing diagnostic '%s' in:\n%s", s, l->diags);
}

static void expect_no_diag(const struct loaded *l, const char *s)
{
	if (strstr(l->diags, s))
		fail_msg("unexpected diagnostic '%s' in:\n%s", s, l->diags);
}

static uint16_t ss_port(const union ck_sockaddr *ss)
{
	return ntohs(ss->ss_family == AF_INET6 ? ((const struct sockaddr_in6 *)ss)->sin6_port :
		     ((const struct sockaddr_in *)ss)->sin_port);
}

static const char *ss_addr(const union ck_sockaddr *ss, char *buf)
{
	if (ss->ss_family == AF_INET6)
		return inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, buf,
				 INET6_ADDRSTRLEN);
	return inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, buf,
			 INET6_ADDRSTRLEN);
}

/* a complete virtual server around body (real server 10.1.0.1 80 with checker ck) */
static char *vs_with(const char *vs_extra, const char *rs_extra, const char *ck)
{
	return xasprintf("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
			 "%s\n real_server 10.1.0.1 80 {\n%s\n%s\n }\n}\n", vs_extra, rs_extra, ck);
}

/* --- spec 1.1: the defaults of every checker type --- */

static const struct {
	const char *block;
	enum ck_type type;
	unsigned retry;
	uint64_t dbr_us;
} type_defaults[] = {
	{ "TCP_CHECK {\n}", CK_TCP, 1, 1 * S },
	{ "HTTP_GET {\n url {\n path /\n }\n}", CK_HTTP, 1, 3 * S },
	{ "SSL_GET {\n url {\n path /\n }\n}", CK_SSL, 1, 3 * S },
	{ "SMTP_CHECK {\n}", CK_SMTP, 1, 1 * S },
	{ "DNS_CHECK {\n}", CK_DNS, 3, 60 * S },	/* delay_before_retry = delay_loop */
	{ "UDP_CHECK {\n}", CK_UDP, 1, 1 * S },
	{ "PING_CHECK {\n}", CK_PING, 1, 1 * S },
	{ "MISC_CHECK {\n misc_path /bin/true\n}", CK_MISC, 0, 1 * S },
};

static void test_type_defaults(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(type_defaults) / sizeof(type_defaults[0]); i++) {
		char *conf = vs_with("", "", type_defaults[i].block);
		struct loaded l;
		const struct ck_conf *ck;

		load(&l, conf);
		assert_int_equal(l.n_errors, 0);
		assert_int_equal(l.cc->n_vs, 1);
		assert_int_equal(l.cc->vs[0].rs[0].n_checkers, 1);
		ck = &l.cc->vs[0].rs[0].checkers[0];
		assert_int_equal(ck->type, type_defaults[i].type);
		assert_int_equal(ck->retry, type_defaults[i].retry);
		assert_int_equal(ck->delay_before_retry_us, type_defaults[i].dbr_us);
		assert_int_equal(ck->delay_loop_us, 60 * S);
		assert_int_equal(ck->warmup_us, 60 * S);	/* = delay_loop */
		assert_false(ck->alpha);
		if (ck->type != CK_MISC)
			assert_int_equal(ck->conn.connect_timeout_us, 5 * S);
		unload(&l);
		free(conf);
	}
}

static void test_vs_defaults(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;
	const struct rs_conf *rs;

	(void)state;
	load(&l, "virtual_server 10.0.0.1 80 {\n real_server 10.1.0.1 {\n }\n}\n");
	assert_int_equal(l.cc->n_vs, 1);
	vs = &l.cc->vs[0];
	rs = &vs->rs[0];
	assert_int_equal(vs->protocol, IPPROTO_UDP);
	assert_string_equal(vs->sched, "wlc");
	assert_int_equal(vs->fwd.method, LVS_NAT);
	assert_int_equal(vs->delay_loop_us, 60 * S);
	assert_int_equal(vs->quorum, 1);
	assert_int_equal(vs->hysteresis, 0);
	assert_int_equal(vs->af, AF_INET);
	assert_false(vs->smtp_alert);		/* VS: off */
	assert_true(rs->smtp_alert);		/* RS: on */
	assert_int_equal(rs->weight, 1);
	assert_int_equal(rs->port, 80);		/* NAT: the VS's port */
	assert_int_equal(rs->fwd.method, LVS_NAT);
	assert_string_equal(vs->str, "[10.0.0.1]:udp:80");
	expect_diag(&l, "t.conf:1:16: warning: Virtual server [10.0.0.1]:none:80: no protocol set - "
		    "defaulting to UDP");
	expect_diag(&l, "Virtual server [10.0.0.1]:udp:80: no scheduler set, setting default 'wlc'");
	expect_diag(&l, "Virtual server [10.0.0.1]:udp:80: no forwarding method set, setting "
		    "default NAT");
	unload(&l);

	/* global smtp_alert_checker, then smtp_alert, decide both */
	load(&l, "global_defs {\n smtp_alert_checker false\n smtp_alert true\n}\n"
		 "virtual_server 10.0.0.1 80 {\n real_server 10.1.0.1 {\n }\n}\n");
	assert_false(l.cc->vs[0].smtp_alert);
	assert_false(l.cc->vs[0].rs[0].smtp_alert);
	unload(&l);
	load(&l, "global_defs {\n smtp_alert true\n}\n"
		 "virtual_server 10.0.0.1 80 {\n smtp_alert false\n real_server 10.1.0.1 {\n"
		 " smtp_alert false\n }\n}\n");
	assert_false(l.cc->vs[0].smtp_alert);
	assert_false(l.cc->vs[0].rs[0].smtp_alert);
	unload(&l);
}

/* --- inheritance: checker, else real server, else virtual server, else the type's --- */

static void test_inheritance(void **state)
{
	struct loaded l;
	char *conf;
	const struct rs_conf *rs;

	(void)state;
	conf = xasprintf("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
			 " delay_loop 10\n connect_timeout 7\n retry 4\n delay_before_retry 2.5\n"
			 " warmup 0\n alpha\n inhibit_on_failure\n weight 5\n"
			 " real_server 10.1.0.1 80 {\n  TCP_CHECK {\n  }\n"
			 "  MISC_CHECK {\n   misc_path /bin/true\n   delay_loop 3\n  }\n }\n"
			 " real_server 10.1.0.2 80 {\n  delay_loop 20\n  connect_timeout 8\n"
			 "  retry 2\n  delay_before_retry 4\n  warmup 1\n  alpha false\n"
			 "  inhibit_on_failure false\n  weight 0\n"
			 "  TCP_CHECK {\n  }\n"
			 "  TCP_CHECK {\n   retry 0\n   delay_loop 30\n   connect_timeout 0.5\n"
			 "   delay_before_retry 0\n   alpha\n  }\n"
			 "  DNS_CHECK {\n  }\n }\n}\n");
	load(&l, conf);
	assert_int_equal(l.n_errors, 0);
	rs = &l.cc->vs[0].rs[0];
	assert_int_equal(rs->weight, 5);
	assert_true(rs->inhibit);
	assert_true(rs->alpha);
	assert_int_equal(rs->checkers[0].retry, 4);
	assert_int_equal(rs->checkers[0].delay_before_retry_us, 2500000);
	assert_int_equal(rs->checkers[0].delay_loop_us, 10 * S);
	assert_int_equal(rs->checkers[0].warmup_us, 0);
	assert_int_equal(rs->checkers[0].conn.connect_timeout_us, 7 * S);
	assert_true(rs->checkers[0].alpha);
	/* misc_timeout: the VS's delay_loop, not the checker's */
	assert_int_equal(rs->checkers[1].u.misc.timeout_us, 10 * S);
	assert_int_equal(rs->checkers[1].delay_loop_us, 3 * S);
	assert_int_equal(rs->checkers[1].retry, 4);

	rs = &l.cc->vs[0].rs[1];
	assert_int_equal(rs->weight, 0);
	assert_false(rs->inhibit);
	assert_false(rs->alpha);
	assert_int_equal(rs->checkers[0].retry, 2);
	assert_int_equal(rs->checkers[0].delay_before_retry_us, 4 * S);
	assert_int_equal(rs->checkers[0].delay_loop_us, 20 * S);
	assert_int_equal(rs->checkers[0].warmup_us, 1 * S);
	assert_int_equal(rs->checkers[0].conn.connect_timeout_us, 8 * S);
	assert_false(rs->checkers[0].alpha);
	assert_int_equal(rs->checkers[1].retry, 0);
	assert_int_equal(rs->checkers[1].delay_before_retry_us, 0);
	assert_int_equal(rs->checkers[1].delay_loop_us, 30 * S);
	assert_int_equal(rs->checkers[1].warmup_us, 1 * S);	/* the RS's warmup */
	assert_int_equal(rs->checkers[1].conn.connect_timeout_us, 500000);
	assert_true(rs->checkers[1].alpha);
	/* DNS inherits retry and delay_before_retry like the others */
	assert_int_equal(rs->checkers[2].retry, 2);
	assert_int_equal(rs->checkers[2].delay_before_retry_us, 4 * S);
	unload(&l);
	free(conf);

	/* DNS without anything: delay_before_retry = its delay_loop */
	conf = vs_with("", "", "DNS_CHECK {\n delay_loop 7\n}");
	load(&l, conf);
	assert_int_equal(l.cc->vs[0].rs[0].checkers[0].delay_before_retry_us, 7 * S);
	assert_int_equal(l.cc->vs[0].rs[0].checkers[0].warmup_us, 7 * S);
	unload(&l);
	free(conf);
}

/* retry: 1.. at VS and RS level, 0.. inside a checker */
static void test_retry_ranges(void **state)
{
	struct loaded l;
	char *conf;

	(void)state;
	conf = vs_with("retry 0", "", "TCP_CHECK {\n}");
	load(&l, conf);
	expect_diag(&l, "'retry' expects an integer between 1 and 4294967295, got '0'");
	unload(&l);
	free(conf);
	conf = vs_with("", "retry 0", "TCP_CHECK {\n}");
	load(&l, conf);
	expect_diag(&l, "'retry' expects an integer between 1 and 4294967295, got '0'");
	unload(&l);
	free(conf);
	conf = vs_with("", "", "TCP_CHECK {\n retry 0\n}");
	load(&l, conf);
	assert_int_equal(l.n_errors, 0);
	assert_int_equal(l.cc->vs[0].rs[0].checkers[0].retry, 0);
	unload(&l);
	free(conf);
}

/* nb_get_retry: HTTP_GET/SSL_GET only, deprecated with 2.2.7's words; TCP_CHECK: unknown */
static void test_nb_get_retry(void **state)
{
	struct loaded l;
	char *conf;

	(void)state;
	conf = vs_with("", "", "HTTP_GET {\n url {\n path /\n }\n nb_get_retry 5\n}");
	load(&l, conf);
	expect_diag(&l, "warning: nb_get_retry is deprecated - please use 'retry'");
	assert_int_equal(l.n_errors, 0);
	assert_int_equal(l.cc->vs[0].rs[0].checkers[0].retry, 5);
	unload(&l);
	load_opt(&l, conf, true);	/* -t: 2.2.7 fails */
	expect_diag(&l, "error: nb_get_retry is deprecated - please use 'retry'");
	unload(&l);
	free(conf);
	conf = vs_with("", "", "TCP_CHECK {\n nb_get_retry 5\n}");
	load(&l, conf);
	assert_true(l.n_errors > 0);
	expect_diag(&l, "'nb_get_retry'");
	unload(&l);
	free(conf);
	/* tls_compliant is not a 2.2.7 keyword and is not acted on: unknown */
	conf = vs_with("", "", "SSL_GET {\n url {\n path /\n }\n tls_compliant\n}");
	load(&l, conf);
	assert_true(l.n_errors > 0);
	unload(&l);
	free(conf);
}

/* --- connection, virtualhost/SNI, type data --- */

/* where ck connects for rs (resolved: the stored form leaves the RS's address out) */
static const union ck_sockaddr *dst_of(const struct rs_conf *rs, const struct ck_conf *ck)
{
	static union ck_sockaddr out[4];
	static unsigned i;

	i = (i + 1) % 4;
	ck_conf_dst(ck, rs, &out[i]);
	return &out[i];
}

static void test_conn_and_types(void **state)
{
	struct loaded l;
	char *conf, buf[INET6_ADDRSTRLEN];
	const struct rs_conf *rs;
	const struct ck_conf *ck;

	(void)state;
	conf = xasprintf("virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
			 " virtualhost vs.example\n"
			 " real_server 10.1.0.1 8080 {\n  virtualhost rs.example\n"
			 "  HTTP_GET {\n   url {\n    path /a\n   }\n   url {\n    path /b\n"
			 "    status_code 302 500-502\n    virtualhost url.example\n   }\n  }\n"
			 "  SSL_GET {\n   url {\n    path /\n   }\n   virtualhost ck.example\n"
			 "   enable_sni\n  }\n"
			 "  SSL_GET {\n   url {\n    path /\n   }\n   sni_name sni.example\n  }\n"
			 "  SMTP_CHECK {\n   connect_ip 10.9.9.9\n   bindto 10.1.0.100\n"
			 "   bind_port 2000\n  }\n"
			 "  UDP_CHECK {\n   require_reply 01X2\n  }\n"
			 "  DNS_CHECK {\n   type AAAA\n   name example.org\n  }\n"
			 "  TCP_CHECK {\n   connect_port 22\n   bind_if lo\n   fwmark 9\n  }\n"
			 " }\n}\n");
	load(&l, conf);
	assert_int_equal(l.n_errors, 0);
	rs = &l.cc->vs[0].rs[0];
	assert_int_equal(rs->n_checkers, 7);

	ck = &rs->checkers[0];
	assert_string_equal(ss_addr(dst_of(rs, ck), buf), "10.1.0.1");
	assert_int_equal(ss_port(dst_of(rs, ck)), 8080);
	assert_int_equal(ck->conn.src.ss_family, 0);
	assert_string_equal(ck->u.http.virtualhost, "rs.example");	/* RS over VS */
	assert_string_equal(ck->u.http.sni_virtualhost, "vs.example");	/* SNI: not the RS's */
	assert_int_equal(ck->u.http.proto, CK_HTTP_10);
	assert_int_equal(ck->u.http.n_urls, 2);
	/* status 200-299 by default; else what is listed */
	assert_true(ck->u.http.urls[0].status[(200 - 100) / 64] & 1ULL << ((200 - 100) % 64));
	assert_true(ck->u.http.urls[0].status[(299 - 100) / 64] & 1ULL << ((299 - 100) % 64));
	assert_false(ck->u.http.urls[0].status[(300 - 100) / 64] & 1ULL << ((300 - 100) % 64));
	assert_false(ck->u.http.urls[1].status[(200 - 100) / 64] & 1ULL << ((200 - 100) % 64));
	assert_true(ck->u.http.urls[1].status[(302 - 100) / 64] & 1ULL << ((302 - 100) % 64));
	assert_true(ck->u.http.urls[1].status[(501 - 100) / 64] & 1ULL << ((501 - 100) % 64));
	assert_string_equal(ck->u.http.urls[1].virtualhost, "url.example");
	assert_null(ck->u.http.urls[0].virtualhost);

	ck = &rs->checkers[1];
	assert_string_equal(ck->u.http.virtualhost, "ck.example");
	assert_string_equal(ck->u.http.sni_virtualhost, "ck.example");
	assert_true(ck->u.http.enable_sni);
	ck = &rs->checkers[2];
	assert_string_equal(ck->u.http.sni_virtualhost, "sni.example");

	ck = &rs->checkers[3];
	assert_string_equal(ss_addr(dst_of(rs, ck), buf), "10.9.9.9");
	assert_int_equal(ss_port(dst_of(rs, ck)), 8080);	/* SMTP: the RS's port, not 25 */
	assert_string_equal(ss_addr(&ck->conn.src, buf), "10.1.0.100");
	assert_int_equal(ss_port(&ck->conn.src), 2000);
	assert_string_equal(ck->u.smtp.helo_name, "smtpchecker.keepalived.org");

	ck = &rs->checkers[4];
	assert_int_equal(ck->u.udp.payload_len, 32);
	assert_memory_equal(ck->u.udp.payload, "keepalived check - keepalived ch", 32);
	assert_true(ck->u.udp.require_reply);
	assert_int_equal(ck->u.udp.reply_len, 2);
	assert_int_equal(ck->u.udp.reply[0], 0x01);
	assert_int_equal(ck->u.udp.reply_mask[0], 0xff);
	assert_int_equal(ck->u.udp.reply[1], 0x02);
	assert_int_equal(ck->u.udp.reply_mask[1], 0x0f);
	assert_int_equal(ck->u.udp.min_reply_len, 0);
	assert_int_equal(ck->u.udp.max_reply_len, 255);

	ck = &rs->checkers[5];
	assert_int_equal(ck->u.dns.qtype, 28);
	assert_string_equal(ck->u.dns.name, "example.org");

	ck = &rs->checkers[6];
	assert_int_equal(ss_port(dst_of(rs, ck)), 22);
	assert_string_equal(ck->conn.bind_if, "lo");
	assert_int_equal(ck->conn.fwmark, 9);
	unload(&l);
	free(conf);

	/* DNS defaults: SOA for "." */
	conf = vs_with("", "", "DNS_CHECK {\n}");
	load(&l, conf);
	assert_int_equal(l.cc->vs[0].rs[0].checkers[0].u.dns.qtype, 6);
	assert_string_equal(l.cc->vs[0].rs[0].checkers[0].u.dns.name, ".");
	unload(&l);
	free(conf);
}

/* deprecated SMTP host blocks: one more SMTP checker each */
static void test_smtp_hosts(void **state)
{
	struct loaded l;
	char *conf, buf[INET6_ADDRSTRLEN];
	const struct rs_conf *rs;

	(void)state;
	conf = vs_with("", "", "SMTP_CHECK {\n helo_name h.example\n retry 4\n"
		       " host {\n  connect_ip 10.1.0.5\n }\n host {\n  connect_ip 10.1.0.6\n"
		       "  connect_port 2525\n  connect_timeout 9\n }\n}");
	load(&l, conf);
	assert_int_equal(l.n_errors, 0);
	expect_diag(&l, "t.conf:11:2: warning: The SMTP_CHECK host block is deprecated. Please "
		    "define additional checkers.");
	rs = &l.cc->vs[0].rs[0];
	/* no connection keyword of its own: the hosts only */
	assert_int_equal(rs->n_checkers, 2);
	assert_string_equal(ss_addr(dst_of(rs, &rs->checkers[0]), buf), "10.1.0.5");
	assert_int_equal(ss_port(dst_of(rs, &rs->checkers[0])), 80);
	assert_string_equal(ss_addr(dst_of(rs, &rs->checkers[1]), buf), "10.1.0.6");
	assert_int_equal(ss_port(dst_of(rs, &rs->checkers[1])), 2525);
	assert_int_equal(rs->checkers[1].conn.connect_timeout_us, 9 * S);
	assert_int_equal(rs->checkers[0].conn.connect_timeout_us, 5 * S);
	for (int i = 0; i < 2; i++) {
		assert_string_equal(rs->checkers[i].u.smtp.helo_name, "h.example");
		assert_int_equal(rs->checkers[i].retry, 4);
	}
	unload(&l);
	free(conf);

	conf = vs_with("", "", "SMTP_CHECK {\n connect_port 25\n host {\n  connect_ip 10.1.0.5\n"
		       " }\n}");
	load(&l, conf);
	rs = &l.cc->vs[0].rs[0];
	assert_int_equal(rs->n_checkers, 2);	/* its own, and the host's */
	assert_int_equal(ss_port(dst_of(rs, &rs->checkers[0])), 25);
	unload(&l);
	free(conf);
}

/*
 * Real servers with equal checker blocks share one checkers array (each still connects to
 * its own address); a block that differs in anything but its line, or a MISC_CHECK, has
 * its own.
 */
static void test_shared_checkers(void **state)
{
	static const char conf[] =
		"virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
		" real_server 10.1.0.1 80 {\n  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n"
		" real_server 10.1.0.2 80 {\n  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n"
		/* connect_ip and connect_port that are the RS's own: the same definition */
		" real_server 10.1.0.3 80 {\n  TCP_CHECK {\n   connect_ip 10.1.0.3\n"
		"   connect_port 80\n   connect_timeout 3\n  }\n }\n"
		" real_server 10.1.0.4 80 {\n  TCP_CHECK {\n   connect_timeout 4\n  }\n }\n"
		" real_server 10.1.0.5 80 {\n  TCP_CHECK {\n   connect_port 81\n"
		"   connect_timeout 3\n  }\n }\n"
		" real_server 10.1.0.6 80 {\n  TCP_CHECK {\n   connect_ip 10.9.0.1\n"
		"   connect_timeout 3\n  }\n }\n"
		" real_server 10.1.0.7 80 {\n  MISC_CHECK {\n   misc_path /bin/true\n  }\n }\n"
		" real_server 10.1.0.8 80 {\n  MISC_CHECK {\n   misc_path /bin/true\n  }\n }\n"
		"}\n"
		"virtual_server 10.0.0.2 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
		" real_server 10.1.0.9 80 {\n  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n"
		" real_server 10.1.0.10 80 {\n  HTTP_GET {\n   url {\n    path /a\n   }\n  }\n }\n"
		" real_server 10.1.0.11 80 {\n  HTTP_GET {\n   url {\n    path /a\n   }\n  }\n }\n"
		" real_server 10.1.0.12 80 {\n  HTTP_GET {\n   url {\n    path /b\n   }\n  }\n }\n"
		"}\n";
	struct loaded l;
	const struct vs_conf *v0, *v1;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	load(&l, conf);
	assert_int_equal(l.n_errors, 0);
	v0 = &l.cc->vs[0];
	v1 = &l.cc->vs[1];
	assert_int_equal(v0->n_rs, 8);
	assert_ptr_equal(v0->rs[0].checkers, v0->rs[1].checkers);
	assert_ptr_equal(v0->rs[0].checkers, v0->rs[2].checkers);
	assert_ptr_equal(v0->rs[0].checkers, v1->rs[0].checkers);	/* across VSs too */
	assert_ptr_not_equal(v0->rs[0].checkers, v0->rs[3].checkers);	/* connect_timeout */
	assert_ptr_not_equal(v0->rs[0].checkers, v0->rs[4].checkers);	/* connect_port */
	assert_ptr_not_equal(v0->rs[0].checkers, v0->rs[5].checkers);	/* connect_ip */
	assert_ptr_not_equal(v0->rs[6].checkers, v0->rs[7].checkers);	/* MISC: its own line */
	assert_ptr_equal(v1->rs[1].checkers, v1->rs[2].checkers);
	assert_ptr_not_equal(v1->rs[1].checkers, v1->rs[3].checkers);	/* url path */
	/* each real server still connects to its own address and port */
	for (unsigned i = 0; i < 3; i++) {
		char want[16];

		snprintf(want, sizeof(want), "10.1.0.%u", i + 1);
		assert_string_equal(ss_addr(dst_of(&v0->rs[i], v0->rs[i].checkers), buf), want);
		assert_int_equal(ss_port(dst_of(&v0->rs[i], v0->rs[i].checkers)), 80);
	}
	assert_int_equal(ss_port(dst_of(&v0->rs[4], v0->rs[4].checkers)), 81);
	assert_string_equal(ss_addr(dst_of(&v0->rs[4], v0->rs[4].checkers), buf), "10.1.0.5");
	assert_string_equal(ss_addr(dst_of(&v0->rs[5], v0->rs[5].checkers), buf), "10.9.0.1");
	assert_int_equal(ss_port(dst_of(&v0->rs[5], v0->rs[5].checkers)), 80);
	assert_string_equal(ss_addr(dst_of(&v1->rs[2], v1->rs[2].checkers), buf), "10.1.0.11");
	unload(&l);
}

/* --- virtual servers: method, ports, flags, persistence --- */

static void test_methods_and_ports(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;

	(void)state;
	load(&l, "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo sh\n sh-port\n hashed\n"
		 " mh-port\n lvs_method TUN type gue port 6080 csum\n"
		 " persistence_granularity 255.255.255.0\n"
		 " real_server 10.1.0.1 81 {\n }\n"
		 " real_server 10.1.0.2 {\n  lvs_method NAT\n }\n"
		 " real_server 10.1.0.3 90 {\n  lvs_method NAT\n }\n"
		 " real_server 10.1.0.4 {\n  lvs_method DR\n }\n}\n");
	assert_int_equal(l.n_errors, 0);
	vs = &l.cc->vs[0];
	assert_int_equal(vs->flags, IP_VS_SVC_F_SCHED_SH_PORT | IP_VS_SVC_F_PERSISTENT);
	assert_int_equal(vs->persistence_timeout_s, 360);
	assert_int_equal(vs->granularity, htonl(0xffffff00));
	assert_int_equal(vs->fwd.method, LVS_TUN);
	assert_int_equal(vs->fwd.tun_type, LVS_TUN_GUE);
	assert_int_equal(vs->fwd.tun_port, 6080);
	assert_int_equal(vs->fwd.tun_flags, IP_VS_TUNNEL_ENCAP_FLAG_CSUM);
	/* TUN/DR: the VS's port, with 2.2.7's warning when it differed */
	assert_int_equal(vs->rs[0].port, 80);
	assert_int_equal(vs->rs[0].fwd.method, LVS_TUN);
	assert_int_equal(vs->rs[0].fwd.tun_port, 6080);
	expect_diag(&l, "WARNING - virtual server [10.0.0.1]:tcp:80 and real server "
		    "[10.1.0.1]:tcp:81 ports don't match - resetting");
	assert_int_equal(vs->rs[1].port, 80);	/* NAT without a port */
	assert_int_equal(vs->rs[2].port, 90);	/* NAT keeps its own */
	assert_int_equal(vs->rs[3].port, 80);
	/* hashed: 2.2.7 accepts it and does nothing (sh: silently) */
	expect_no_diag(&l, "hashed");
	/* mh-port with sh: nothing set, nothing said */
	expect_no_diag(&l, "mh-port");
	unload(&l);

	/* sh-port before lb_algo sh is refused with 2.2.7's words */
	load(&l, "virtual_server 10.0.0.1 80 {\n protocol UDP\n sh-port\n hashed\n lb_algo sh\n"
		 " lb_kind NAT\n ops\n flag-3\n real_server 10.1.0.1 80 {\n }\n}\n");
	expect_diag(&l, "t.conf:3:2: warning: sh-port only applies to sh scheduler - ignoring");
	expect_diag(&l, "t.conf:4:2: warning: hashed only applies to sh scheduler - ignoring");
	assert_int_equal(l.cc->vs[0].flags, IP_VS_SVC_F_ONEPACKET | IP_VS_SVC_F_SCHED3);
	unload(&l);

	/* tunnel options: 2.2.7's checks */
	load(&l, "virtual_server 10.0.0.1 80 {\n lvs_method TUN type gue\n"
		 " lb_kind TUN type ipip csum\n lb_kind TUN type gre remcsum\n"
		 " lb_kind TUN port 5\n lb_kind TUN type foo\n real_server 10.1.0.1 80 {\n }\n}\n");
	expect_diag(&l, "gue tunnels require port, otherwise cannot have port.");
	expect_diag(&l, "ipip tunnels do not support checksum option.");
	expect_diag(&l, "gre tunnels do not support remote checksum option.");
	expect_diag(&l, "Unknown tunnel type foo for virtual server.");
	unload(&l);
}

/* A second sorry_server replaces the first (its parse shell was freed with the wrong allocator: fuzz_check_conf) */
static void test_sorry_server_twice(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;
	char ip[64];

	(void)state;
	load(&l, "virtual_server 10.0.0.1 80 {\n protocol TCP\n sorry_server 10.1.0.8 80\n"
		 " sorry_server 10.1.0.9 8080\n real_server 10.1.0.1 80 {\n }\n}\n");
	vs = &l.cc->vs[0];
	assert_non_null(vs->sorry);
	assert_int_equal(vs->sorry->port, 8080);
	assert_non_null(inet_ntop(AF_INET, &vs->sorry->addr.v4, ip, sizeof(ip)));
	assert_string_equal(ip, "10.1.0.9");
	unload(&l);
}

/* A group service's family is its group's first entry, also for its real servers (fuzz_check_conf) */
static void test_group_family_before_servers(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;

	(void)state;
	load(&l, "virtual_server_group G1 {\n 2001:db8::1-a 80\n}\n"
		 "virtual_server group G1 {\n protocol TCP\n lb_kind DR\n"
		 " real_server 192.0.2.50 80 {\n }\n real_server 2001:db8::50 80 {\n }\n}\n");
	vs = &l.cc->vs[0];
	assert_int_equal(vs->af, AF_INET6);
	assert_int_equal(vs->n_rs, 1);
	assert_int_equal(vs->rs[0].addr.family, AF_INET6);
	expect_diag(&l, "Address family of virtual server and real server 192.0.2.50 don't match - "
		    "skipping real server.");
	unload(&l);
}

static void test_fwmark(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;
	char buf[CK_RS_STR_LEN];

	(void)state;
	load(&l, "virtual_server fwmark 7 {\n protocol TCP\n lb_kind DR\n ha_suspend\n"
		 " sorry_server 10.1.0.9 80\n"
		 " real_server 10.1.0.1 80 {\n }\n real_server 10.1.0.2 80 {\n  lvs_method NAT\n"
		 " }\n}\n");
	vs = &l.cc->vs[0];
	assert_string_equal(vs->str, "FWM 7");
	assert_int_equal(vs->protocol, 0);
	assert_int_equal(vs->af, AF_INET);
	assert_false(vs->ha_suspend);
	assert_int_equal(vs->rs[0].port, 0);
	assert_int_equal(vs->rs[1].port, 80);	/* NAT keeps its port */
	assert_int_equal(vs->sorry->port, 0);
	assert_string_equal(ck_rs_str(vs, &vs->rs[1].addr, vs->rs[1].port, buf, sizeof(buf)),
			    "[10.1.0.2]:none:80");
	expect_diag(&l, "Virtual server FWM 7: cannot use ha_suspend with fwmarks - clearing "
		    "ha_suspend");
	expect_diag(&l, "Warning: Virtual server FWM 7: protocol specified for fwmark - protocol "
		    "will be ignored");
	expect_diag(&l, "WARNING - fwmark virtual server FWM 7, real server [10.1.0.1]:none:80 has "
		    "port specified - clearing");
	expect_diag(&l, "WARNING - virtual server FWM 7, sorry server has port specified - "
		    "clearing");
	unload(&l);

	/* all tunnelled IPv6 servers: an IPv6 service; ip_family says so too */
	load(&l, "virtual_server fwmark 8 {\n lb_algo rr\n lb_kind TUN\n"
		 " real_server 2001:db8::1 {\n }\n}\n"
		 "virtual_server fwmark 9 {\n ip_family inet6\n lb_algo rr\n lb_kind TUN\n"
		 " real_server 10.1.0.1 {\n  lvs_method TUN\n }\n}\n");
	assert_int_equal(l.cc->vs[0].af, AF_INET6);
	assert_int_equal(l.cc->vs[1].af, AF_INET6);
	unload(&l);
}

/* a real server takes the VS's method as it is read: tunnelled, it may be of the other family */
static void test_family(void **state)
{
	struct loaded l;

	(void)state;
	load(&l, "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind TUN\n"
		 " weight 4\n sorry_server 2001:db8::9 80\n"
		 " real_server 2001:db8::1 80 {\n }\n real_server 10.1.0.1 80 {\n }\n}\n"
		 "virtual_server 10.0.0.2 80 {\n protocol TCP\n lb_algo rr\n"
		 " real_server 2001:db8::1 80 {\n }\n real_server 10.1.0.1 80 {\n }\n"
		 " lb_kind TUN\n}\n");
	assert_int_equal(l.cc->n_vs, 2);
	assert_int_equal(l.cc->vs[0].n_rs, 2);
	assert_int_equal(l.cc->vs[0].rs[0].fwd.method, LVS_TUN);
	assert_int_equal(l.cc->vs[0].rs[0].weight, 4);
	assert_non_null(l.cc->vs[0].sorry);
	assert_int_equal(l.cc->vs[0].sorry->weight, 1);	/* not the VS's weight */
	/* lb_kind after it: the real server was not tunnelled when it was read */
	assert_int_equal(l.cc->vs[1].n_rs, 1);
	expect_diag(&l, "t.conf:15:14: warning: Address family of virtual server and real server "
		    "2001:db8::1 don't match - skipping real server.");
	unload(&l);
}

/* --- quorum, duplicates, ignored virtual servers --- */

static void test_quorum_and_duplicates(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;

	(void)state;
	load(&l, "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
		 " quorum 9\n hysteresis 4\n ops\n"
		 " real_server 10.1.0.1 80 {\n  weight 2\n }\n"
		 " real_server 10.1.0.1 80 {\n  weight 7\n }\n"
		 " real_server 10.1.0.2 80 {\n  weight 1\n }\n}\n"
		 "virtual_server 10.0.0.2 80 {\n}\n"
		 "virtual_server 10.0.0.3 0 {\n protocol UDP\n lb_algo rr\n lb_kind NAT\n"
		 " real_server 10.1.0.1 80 {\n }\n}\n");
	assert_int_equal(l.cc->n_vs, 2);
	vs = &l.cc->vs[0];
	assert_int_equal(vs->n_rs, 2);
	assert_int_equal(vs->rs[0].weight, 2);
	assert_int_equal(vs->quorum, 3);
	assert_int_equal(vs->hysteresis, 2);
	assert_int_equal(vs->flags & IP_VS_SVC_F_ONEPACKET, 0);
	expect_diag(&l, "Virtual server [10.0.0.1]:tcp:80: one packet scheduling requires UDP - "
		    "resetting");
	expect_diag(&l, "VS [10.0.0.1]:tcp:80: real server [10.1.0.1]:tcp:80 is duplicated - "
		    "removing second rs");
	expect_diag(&l, "Warning - quorum 9 for [10.0.0.1]:tcp:80 exceeds total weight of real "
		    "servers 3, reducing quorum to 3");
	expect_diag(&l, "Virtual server [10.0.0.1]:tcp:80: hysteresis 4 >= quorum 3; setting "
		    "hysteresis to 2");
	expect_diag(&l, "t.conf:18:16: warning: Virtual server [10.0.0.2]:none:80 has no real "
		    "servers - ignoring");
	vs = &l.cc->vs[1];
	assert_int_equal(vs->persistence_timeout_s, 360);
	assert_true(vs->flags & IP_VS_SVC_F_PERSISTENT);
	expect_diag(&l, "Virtual server [10.0.0.3]:udp:0: zero port only valid for persistent "
		    "services - setting");
	assert_true(l.cc->has_checker_config);
	unload(&l);

	/* under -t these are errors (2.2.7's -t fails) */
	load_opt(&l, "virtual_server 10.0.0.2 80 {\n}\n", true);
	expect_diag(&l, "t.conf:1:16: error: Virtual server [10.0.0.2]:none:80 has no real "
		    "servers - ignoring");
	assert_true(l.n_errors > 0 || l.r < 0);
	assert_int_equal(l.cc->n_vs, 0);
	assert_true(l.cc->has_checker_config);	/* the checker still starts, as keepalived's */
	unload(&l);
}

/*
 * Many real servers (the duplicate check goes through a hash set): each address twice, on
 * ports 80 and 81 (not duplicates), and every seventh one repeated on port 80, the later
 * copy removed with keepalived's line; the order of the kept ones is the file's.
 */
static void test_duplicates_many(void **state)
{
	size_t len = 0;
	char *buf = NULL, line[160];
	FILE *f = open_memstream(&buf, &len);
	struct loaded l;
	const struct vs_conf *vs;
	unsigned n_dup = 0;

	(void)state;
	fputs("virtual_server fd00::1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n", f);
	for (unsigned i = 0; i < 600; i++) {
		fprintf(f, " real_server fd00::2:%x 80 {\n weight %u\n }\n", i, i % 5 + 1);
		fprintf(f, " real_server fd00::2:%x 81 {\n }\n", i);
		if (i % 7 == 3) {
			fprintf(f, " real_server fd00::2:%x 80 {\n weight 9\n }\n", i);
			n_dup++;
		}
	}
	fputs("}\n", f);
	fclose(f);
	load(&l, buf);
	free(buf);
	assert_int_equal(l.cc->n_vs, 1);
	vs = &l.cc->vs[0];
	assert_int_equal(vs->n_rs, 1200);
	for (unsigned i = 0; i < 600; i++) {
		char a[INET6_ADDRSTRLEN], want[INET6_ADDRSTRLEN];

		snprintf(want, sizeof(want), "fd00::2:%x", i);
		inet_addr_str(&vs->rs[2 * i].addr, a, sizeof(a));
		assert_string_equal(a, want);
		assert_int_equal(vs->rs[2 * i].port, 80);
		assert_int_equal(vs->rs[2 * i].weight, i % 5 + 1);	/* the first copy's */
		assert_int_equal(vs->rs[2 * i + 1].port, 81);
	}
	snprintf(line, sizeof(line), "VS [fd00::1]:tcp:80: real server [fd00::2:3]:tcp:80 is "
		 "duplicated - removing second rs");
	expect_diag(&l, line);
	for (const char *p = l.diags; (p = strstr(p, "is duplicated")); p++)
		n_dup--;
	assert_int_equal(n_dup, 0);
	expect_no_diag(&l, "[fd00::2:3]:tcp:81 is duplicated");
	unload(&l);
}

/*
 * DR real servers on other ports than the service's are reset to its port, fwmark ones
 * cleared to 0: two that differed only by port are then one (the fuzzer's round trip of
 * the dump found both kept); the second goes, and the quorum fits what is left.
 */
static void test_duplicates_after_port_reset(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;

	(void)state;
	load(&l, "virtual_server 192.0.2.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n"
		 " quorum 5\n"
		 " real_server 192.0.2.10 81 {\n  weight 2\n }\n"
		 " real_server 192.0.2.10 810 {\n  weight 3\n }\n"
		 " real_server 192.0.2.11 80 {\n  weight 1\n }\n}\n"
		 "virtual_server fwmark 7 {\n lb_algo rr\n lb_kind DR\n"
		 " real_server 192.0.2.20 81 {\n }\n"
		 " real_server 192.0.2.20 82 {\n }\n}\n");
	assert_int_equal(l.cc->n_vs, 2);
	vs = &l.cc->vs[0];
	assert_int_equal(vs->n_rs, 2);
	assert_int_equal(vs->rs[0].port, 80);
	assert_int_equal(vs->rs[0].weight, 2);	/* the first one's */
	assert_int_equal(vs->rs[1].port, 80);
	assert_int_equal(vs->quorum, 3);
	expect_diag(&l, "WARNING - virtual server [192.0.2.1]:tcp:80 and real server "
		    "[192.0.2.10]:tcp:810 ports don't match - resetting");
	expect_diag(&l, "VS [192.0.2.1]:tcp:80: real server [192.0.2.10]:tcp:80 is duplicated - "
		    "removing second rs");
	expect_diag(&l, "Warning - quorum 5 for [192.0.2.1]:tcp:80 exceeds total weight of real "
		    "servers 3, reducing quorum to 3");
	vs = &l.cc->vs[1];
	assert_int_equal(vs->n_rs, 1);
	assert_int_equal(vs->rs[0].port, 0);
	expect_diag(&l, "VS FWM 7: real server [192.0.2.20]:none:0 is duplicated - removing second rs");
	unload(&l);
}

/* --- virtual_server_group --- */

static void entry_is(const struct vsg_entry *e, const char *first, const char *last, unsigned port)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	assert_false(e->is_fwmark);
	assert_string_equal(inet_addr_str(&e->first, a, sizeof(a)), first);
	assert_string_equal(inet_addr_str(&e->last, b, sizeof(b)), last);
	assert_int_equal(e->port, port);
}

static void test_groups(void **state)
{
	struct loaded l;
	const struct vsg_conf *g;

	(void)state;
	load(&l, "virtual_server_group G1 {\n 10.0.0.1 80\n 10.0.0.1-3 80\n 10.0.1.0/30 81\n"
		 " 10.0.2.250-10.0.3.4\n 2001:db8::1-a 443\n 2001:db8::/126 443\n fwmark 7 inet\n"
		 " fwmark 8 inet6\n"
		 " 10.0.0.5-5 80\n 10.0.0.5/24 80\n 10.0.0.9-10.0.0.1 80\n 10.0.0.1/33 80\n}\n"
		 "virtual_server_group G2 {\n}\n"
		 "virtual_server_group G3 {\n 10.0.0.1 80\n 2001:db8::1 80\n fwmark 1\n}\n"
		 "virtual_server group G1 {\n protocol TCP\n lb_algo rr\n lb_kind DR\n"
		 " persistence_timeout\n real_server 10.1.0.1 {\n }\n}\n"
		 "virtual_server group G1 {\n protocol UDP\n lb_algo rr\n lb_kind NAT\n"
		 " persistence_timeout\n real_server 10.1.0.1 {\n }\n}\n"
		 "virtual_server group NOPE {\n protocol UDP\n lb_algo rr\n lb_kind NAT\n"
		 " real_server 10.1.0.1 {\n }\n}\n");
	assert_int_equal(l.cc->n_vsg, 1);
	g = &l.cc->vsg[0];
	assert_string_equal(g->name, "G1");
	assert_int_equal(g->n_entries, 8);
	entry_is(&g->entries[0], "10.0.0.1", "10.0.0.1", 80);
	entry_is(&g->entries[1], "10.0.0.1", "10.0.0.3", 80);
	entry_is(&g->entries[2], "10.0.1.0", "10.0.1.3", 81);
	entry_is(&g->entries[3], "10.0.2.250", "10.0.3.4", 0);
	entry_is(&g->entries[4], "2001:db8::1", "2001:db8::a", 443);
	entry_is(&g->entries[5], "2001:db8::", "2001:db8::3", 443);
	assert_true(g->entries[6].is_fwmark);
	assert_int_equal(g->entries[6].fwmark, 7);
	assert_int_equal(g->entries[6].fwmark_af, AF_INET);
	assert_int_equal(g->entries[7].fwmark_af, AF_INET6);
	expect_diag(&l, "Address range end is not greater than address range start - 10.0.0.5-5 - "
		    "skipping");
	expect_diag(&l, "Address mask bits not empty - 10.0.0.5/24 - skipping");
	expect_diag(&l, "Address range end is less than address range start - "
		    "10.0.0.9-10.0.0.1 - skipping");
	expect_diag(&l, "Invalid netmask - 10.0.0.1/33 - skipping");
	expect_diag(&l, "virtual server group G2 has no entries - removing");
	expect_diag(&l, "virtual server group G3 cannot have IPv4, IPv6 and fwmark without family "
		    "- removing");
	/* two VSs on one group: [G1]:0 and [G1]:1; the unknown group is ignored */
	assert_int_equal(l.cc->n_vs, 2);
	assert_ptr_equal(l.cc->vs[0].group, g);
	assert_string_equal(l.cc->vs[0].str, "[G1]:0");
	assert_int_equal(l.cc->vs[1].group_index, 1);
	assert_string_equal(l.cc->vs[1].str, "[G1]:1");
	assert_int_equal(l.cc->vs[0].rs[0].port, 0);
	expect_diag(&l, "warning: Virtual server group NOPE specified but not configured - "
		    "ignoring virtual server [NOPE]:0");
	unload(&l);
}

/* --- scripts --- */

static void test_scripts(void **state)
{
	struct loaded l;
	const struct vs_conf *vs;

	(void)state;
	load(&l, "global_defs {\n script_user root\n}\n"
		 "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
		 " quorum_up \"/bin/echo up\" root\n quorum_down /bin/true\n"
		 " real_server 10.1.0.1 80 {\n  notify_up /bin/true\n"
		 "  notify_down \"/bin/echo down\" root root\n"
		 "  MISC_CHECK {\n   misc_path \"/bin/echo 'a b'\"\n   user root\n"
		 "   misc_timeout 5\n   misc_dynamic\n  }\n }\n}\n");
	assert_int_equal(l.n_errors, 0);
	vs = &l.cc->vs[0];
	assert_non_null(vs->quorum_up);
	assert_string_equal(vs->quorum_up->argv[1], "up");
	assert_string_equal(vs->quorum_up_as.user, "root");
	assert_null(vs->quorum_down_as.user);
	assert_int_equal(vs->quorum_down->uid, 0);
	assert_string_equal(vs->rs[0].scripts->notify_down_as.group, "root");
	assert_string_equal(vs->rs[0].checkers[0].u.misc.cmd->argv[1], "a b");
	assert_int_equal(vs->rs[0].checkers[0].u.misc.timeout_us, 5 * S);
	assert_true(vs->rs[0].checkers[0].u.misc.dynamic);
	assert_true(l.cc->has_scripts);
	expect_diag(&l, "warning: SECURITY VIOLATION - check scripts are being executed but "
		    "script_security not enabled.");
	unload(&l);

	load(&l, "global_defs {\n script_user root\n enable_script_security\n}\n"
		 "virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n"
		 " real_server 10.1.0.1 80 {\n  notify_up /bin/true\n"
		 "  notify_up /bin/false\n  MISC_CHECK {\n  }\n }\n}\n");
	expect_no_diag(&l, "SECURITY VIOLATION");
	expect_diag(&l, "notify_up script already specified - ignoring /bin/false");
	expect_diag(&l, "No script path has been specified for MISC_CHECKER - skipping");
	assert_int_equal(l.cc->vs[0].rs[0].n_checkers, 0);
	unload(&l);
}

/* checkers keepalived drops as it reads them */
static void test_dropped_checkers(void **state)
{
	static const struct {
		const char *block, *msg;
	} cases[] = {
		{ "HTTP_GET {\n}", "HTTP/SSL_GET checker has no urls specified - ignoring" },
		{ "SSL_GET {\n url {\n  digest 0123456789abcdef0123456789abcdef\n }\n}",
		  "HTTP/SSL_GET checker url has no path - ignoring" },
		{ "FILE_CHECK {\n}", "FILE_CHECK has no track_file specified - ignoring" },
		{ "TCP_CHECK {\n connect_ip fe80::1\n}",
		  "Checker link local address fe80::1 requires a bind_if" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *conf = vs_with("", "", cases[i].block);
		struct loaded l;

		load(&l, conf);
		expect_diag(&l, cases[i].msg);
		assert_int_equal(l.cc->vs[0].rs[0].n_checkers, 0);
		unload(&l);
		free(conf);
	}
}

/* argument checks of the checker keywords, with 2.2.7's words */
static void test_checker_values(void **state)
{
	static const struct {
		const char *block, *msg;
	} cases[] = {
		{ "HTTP_GET {\n url {\n  path /\n  status_code 99 200-199 600\n }\n}",
		  "Invalid HTTP_GET status code '200-199'" },
		{ "HTTP_GET {\n url {\n  path /\n }\n http_protocol 2.0\n}",
		  "Invalid http_protocol version 2.0" },
		{ "DNS_CHECK {\n type XX\n}", "Unknown DNS check type XX - ignoring" },
		{ "DNS_CHECK {\n name a..b\n}", "DNS_CHECK name 'a..b' has empty label - ignoring" },
		{ "UDP_CHECK {\n payload 0g\n}", "Invalid hex string for UDP_CHECK payload" },
		{ "UDP_CHECK {\n require_reply 0\n}", "Invalid hex string for UDP_CHECK reply" },
		{ "UDP_CHECK {\n min_reply_length 300\n}",
		  "UDP_CHECK min_reply length 300 > max_reply_length 255 - will always fail" },
		{ "TCP_CHECK {\n bindto 10.0.0.1\n connect_ip 2001:db8::1\n}",
		  "connect_ip address 2001:db8::1 does not match address family of bindto - "
		  "skipping" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *conf = vs_with("", "", cases[i].block);
		struct loaded l;

		load(&l, conf);
		expect_diag(&l, cases[i].msg);
		unload(&l);
		free(conf);
	}
}

/* FMT_RS / FMT_VS and the type names */
static void test_fmt(void **state)
{
	struct vs_conf vs = { .kind = VS_ADDR, .protocol = IPPROTO_TCP, .port = 80 };
	struct inet_addr a;
	char buf[CK_RS_STR_LEN];

	(void)state;
	assert_true(inet_addr_parse("fe80::1", &a));
	assert_string_equal(ck_rs_str(&vs, &a, 8080, buf, sizeof(buf)), "[fe80::1]:tcp:8080");
	vs.protocol = IPPROTO_SCTP;
	assert_true(inet_addr_parse("10.1.0.1", &a));
	assert_string_equal(ck_rs_str(&vs, &a, 1, buf, sizeof(buf)), "[10.1.0.1]:sctp:1");
	vs.protocol = IPPROTO_UDP;
	assert_string_equal(ck_rs_str(&vs, &a, 53, buf, sizeof(buf)), "[10.1.0.1]:udp:53");
	vs.protocol = 0;
	assert_string_equal(ck_rs_str(&vs, &a, 0, buf, sizeof(buf)), "[10.1.0.1]:none:0");
	assert_string_equal(ck_type_kw(CK_TCP), "TCP_CHECK");
	assert_string_equal(ck_type_kw(CK_SSL), "SSL_GET");
	assert_string_equal(ck_type_kw(CK_MISC), "MISC_CHECK");
	assert_string_equal(ck_type_kw(CK_BFD), "BFD_CHECK");
}

/* the SSL block and BFD_CHECK (not acted on: kept out of the model) */
static void test_ssl_bfd(void **state)
{
	struct loaded l;
	char *conf, *vs = vs_with("", "", "BFD_CHECK {\n name B\n}");

	(void)state;
	conf = xasprintf("SSL {\n password p\n ca /c\n certificate /cert\n key /k\n key /k2\n}\n%s",
			 vs);
	free(vs);
	load(&l, conf);
	assert_true(l.cc->ssl.configured);
	assert_string_equal(l.cc->ssl.password, "p");
	assert_string_equal(l.cc->ssl.ca, "/c");
	assert_string_equal(l.cc->ssl.certificate, "/cert");
	assert_string_equal(l.cc->ssl.key, "/k2");
	expect_diag(&l, "SSL keyfile already specified - replacing");
	expect_diag(&l, "'BFD_CHECK' is not acted on yet");
	assert_int_equal(l.cc->vs[0].rs[0].n_checkers, 0);
	unload(&l);
	free(conf);
}

/* -d: the dump of the effective model parses again to the same dump */
static void test_dump_round_trip(void **state)
{
	struct loaded l, again;
	char *conf, *out = NULL, *out2 = NULL;
	size_t len = 0, len2 = 0;
	FILE *f;
	char *vs = vs_with("delay_loop 1.5\n virtualhost v\n", "virtualhost r",
			   "SSL_GET {\n url {\n path /\n }\n}");

	(void)state;
	conf = xasprintf("global_defs {\n script_user root\n}\n"
			 "virtual_server_group G {\n 10.0.0.1-3 80\n fwmark 5 inet6\n}\n%s"
			 "virtual_server group G {\n protocol TCP\n lb_algo mh\n mh-fallback\n"
			 " lb_kind TUN type gre csum\n real_server 10.1.0.1 {\n"
			 "  HTTP_GET {\n   url {\n    path /\n    regex \"a.c\"\n"
			 "    regex_options caseless dotall\n    regex_max_offset 10\n   }\n  }\n"
			 "  UDP_CHECK {\n   payload 00ff\n   require_reply ffXX\n  }\n"
			 "  MISC_CHECK {\n   misc_path /bin/true\n  }\n"
			 "  FILE_CHECK {\n   track_file T\n   weight -3 reverse\n  }\n }\n}\n", vs);
	free(vs);
	load(&l, conf);
	assert_int_equal(l.n_errors, 0);
	f = open_memstream(&out, &len);
	check_conf_dump(l.cc, f);
	fclose(f);
	load(&again, out);
	if (again.n_errors)
		fail_msg("the dump does not parse:\n%s\n%s", again.diags, out);
	f = open_memstream(&out2, &len2);
	check_conf_dump(again.cc, f);
	fclose(f);
	assert_string_equal(out, out2);
	/* the SNI name stays the VS's, not the RS's, through the dump */
	assert_string_equal(again.cc->vs[0].rs[0].checkers[0].u.http.sni_virtualhost, "v");
	assert_string_equal(again.cc->vs[0].rs[0].checkers[0].u.http.virtualhost, "r");
	unload(&l);
	unload(&again);
	free(out);
	free(out2);
	free(conf);
}

/* freed before finish (a parse that stops early): nothing leaks (ASan/valgrind runs) */
static void test_free_unfinished(void **state)
{
	struct check_conf *cc = check_conf_new();
	struct cfg_root root = { check_root_kws, cc, NULL };
	const char *buf = "virtual_server_group G {\n 10.0.0.1 80\n}\n"
			  "virtual_server 10.0.0.1 80 {\n quorum_up /bin/true\n sorry_server 10.1.0.9\n"
			  " real_server 10.1.0.1 80 {\n  notify_up /bin/true\n"
			  "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n"
			  "  SMTP_CHECK {\n   host {\n    connect_ip 10.1.0.2\n   }\n  }\n"
			  "  MISC_CHECK {\n   misc_path /bin/true\n   user root\n  }\n }\n}\n";
	struct cfg_opts o = { .diag = NULL };
	struct loaded l = { 0 };

	(void)state;
	l.diag_f = open_memstream(&l.diags, &l.diags_len);
	o.diag = diag_cb;
	o.diag_arg = &l;
	cfg_parse_buf("t.conf", buf, strlen(buf), &root, 1, &o, NULL, NULL);
	fclose(l.diag_f);
	assert_int_equal(cc->n_vs, 0);		/* nothing public before finish */
	check_conf_free(cc);
	free(l.diags);
	check_conf_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_defaults),
		cmocka_unit_test(test_vs_defaults),
		cmocka_unit_test(test_inheritance),
		cmocka_unit_test(test_retry_ranges),
		cmocka_unit_test(test_nb_get_retry),
		cmocka_unit_test(test_conn_and_types),
		cmocka_unit_test(test_smtp_hosts),
		cmocka_unit_test(test_shared_checkers),
		cmocka_unit_test(test_methods_and_ports),
		cmocka_unit_test(test_fwmark),
		cmocka_unit_test(test_sorry_server_twice),
		cmocka_unit_test(test_group_family_before_servers),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_quorum_and_duplicates),
		cmocka_unit_test(test_duplicates_after_port_reset),
		cmocka_unit_test(test_duplicates_many),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_dropped_checkers),
		cmocka_unit_test(test_checker_values),
		cmocka_unit_test(test_fmt),
		cmocka_unit_test(test_ssl_bfd),
		cmocka_unit_test(test_dump_round_trip),
		cmocka_unit_test(test_free_unfinished),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
