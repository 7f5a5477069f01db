// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_conf.c: checker keywords: virtual servers, real servers, checkers, SSL. */
#include "check_conf.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "userdb.h"
#include "utils.h"

enum cc_vs_kind { CC_VS_ADDR, CC_VS_FWMARK, CC_VS_GROUP };

struct cc_rs {
	struct inet_addr addr;
	unsigned port;			/* 0: the virtual server's */
	int weight;			/* -1: the virtual server's */
};

struct cc_vs {
	enum cc_vs_kind kind;
	struct inet_addr addr;		/* CC_VS_ADDR */
	unsigned port;			/* CC_VS_ADDR; 0: any (persistent services) */
	unsigned fwmark;		/* CC_VS_FWMARK */
	char *group;			/* CC_VS_GROUP: a virtual_server_group name */
	char *desc;			/* the arguments as written, for messages */
	char *file;			/* where virtual_server was written */
	int line, col;
	struct cc_rs *rs;
	unsigned n_rs;
	bool has_rs_lines;		/* real_server given (refused ones too) */
	/* what keepalived defaults, and says so: its -t fails */
	bool has_protocol, has_sched, has_method, has_persistence;
	int method;			/* index in methods[] */
	unsigned weight;		/* a real server's default */
	unsigned quorum;
};

struct check_conf {
	struct cc_vs **vs;
	unsigned n_vs;
};

static int kw_check_port(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned port;

	return cfg_uint(c, a, 1, 1, 65535, &port);
}

/* keepalived takes the protocol in any case */
static int kw_check_protocol(struct cfg *c, void *obj, const struct cfg_args *a)
{
	((struct cc_vs *)obj)->has_protocol = true;
	if (strcasecmp(a->argv[1], "TCP") && strcasecmp(a->argv[1], "UDP") &&
	    strcasecmp(a->argv[1], "SCTP")) {
		cfg_error_arg(c, 1, "'protocol' expects one of TCP|UDP|SCTP, got '%s'", a->argv[1]);
		return -EINVAL;
	}
	return 0;
}

static int kw_check_sched(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const scheds[] = { "rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh",
					      "fo", "ovf", "lblcr", "sed", "nq", "twos", NULL };
	int i;

	((struct cc_vs *)obj)->has_sched = true;
	return cfg_enum(c, a, 1, scheds, &i);
}

/* NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]: the method is checked */
static const char *const methods[] = { "NAT", "DR", "TUN", NULL };

static int kw_check_method(struct cfg *c, void *obj, const struct cfg_args *a)
{
	int i;

	return cfg_enum(c, a, 1, methods, &i);
}

/* the virtual server's own lb_kind / lvs_method */
static int kw_vs_method(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_vs *vs = obj;

	vs->has_method = true;
	return cfg_enum(c, a, 1, methods, &vs->method);
}

/* Timers keepalived refuses when not positive: delay_loop, connect_timeout */
static int kw_check_delay(struct cfg *c, void *obj, const struct cfg_args *a)
{
	uint64_t us;

	return cfg_timer_us(c, a, 1, 1, UINT64_MAX, &us);
}

static int kw_check_timeout(struct cfg *c, void *obj, const struct cfg_args *a)
{
	uint64_t us;

	return cfg_timer_us(c, a, 1, 1, UINT_MAX, &us);
}

static int kw_check_count(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned n;

	return cfg_uint(c, a, 1, 0, UINT_MAX, &n);
}

static int kw_vs_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, INT_MAX, &((struct cc_vs *)obj)->weight);
}

/* in a real_server block obj is its virtual server; the real server is its last one */
static int kw_rs_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_vs *vs = obj;
	unsigned w;

	if (cfg_uint(c, a, 1, 0, INT_MAX, &w) < 0)
		return -EINVAL;
	vs->rs[vs->n_rs - 1].weight = (int)w;
	return 0;
}

static int kw_vs_quorum(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, UINT_MAX, &((struct cc_vs *)obj)->quorum);
}

/* persistence_timeout [1..2678400]: without a value, 360 s */
static int kw_vs_persistence(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned s;

	((struct cc_vs *)obj)->has_persistence = true;
	return a->argc > 1 ? cfg_uint(c, a, 1, 1, 2678400, &s) : 0;
}

/* sorry_server ADDR [PORT] */
static int kw_check_server(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct inet_addr ia;
	unsigned port;

	if (cfg_addr(c, a, 1, &ia) < 0)
		return -EINVAL;
	return a->argc > 2 ? cfg_uint(c, a, 2, 0, 65535, &port) : 0;
}

/* digest: an MD5 sum, as genhash prints it */
static int kw_check_digest(struct cfg *c, void *obj, const struct cfg_args *a)
{
	const char *d = a->argv[1];

	if (strlen(d) != 32 || strspn(d, "0123456789abcdefABCDEF") != 32) {
		cfg_error_arg(c, 1, "'digest' expects 32 hexadecimal digits (an MD5 sum), got '%s'",
			      d);
		return -EINVAL;
	}
	return 0;
}

/* MISC_CHECK's user USER [[:]GROUP]: keepalived refuses a user or group that does not exist. */
static int kw_check_user(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return userdb_cfg_words(c, a, 1, NULL, NULL);
}

/* Keywords every checker takes (connection target, timing). */
#define CHECKER_COMMON_KWS \
	CFG_KW_LATER("connect_ip", cfg_kw_check_addr, CFG_ARG1), \
	CFG_KW_LATER("connect_port", kw_check_port, CFG_ARG1), \
	CFG_KW_LATER("bindto", cfg_kw_check_addr, CFG_ARG1), \
	CFG_KW_LATER("bind_port", kw_check_port, CFG_ARG1), \
	CFG_KW_LATER("bind_if", NULL, CFG_ARG1), \
	CFG_KW_LATER("connect_timeout", kw_check_timeout, CFG_ARG1), \
	CFG_KW_LATER("fwmark", NULL, CFG_ARG1), \
	CFG_KW_LATER("retry", kw_check_count, CFG_ARG1), \
	CFG_KW_LATER("delay_before_retry", NULL, CFG_ARG1), \
	CFG_KW_LATER("warmup", NULL, CFG_ARG1), \
	CFG_KW_LATER("delay_loop", kw_check_delay, CFG_ARG1), \
	CFG_KW_LATER("alpha", cfg_kw_check_bool, CFG_OPT1), \
	CFG_KW_LATER("log_all_failures", cfg_kw_check_bool, CFG_OPT1)

#define URL_KWS \
	CFG_KW_LATER("path", NULL, CFG_ARG1), \
	CFG_KW_LATER("digest", kw_check_digest, CFG_ARG1), \
	CFG_KW_LATER("status_code", NULL, CFG_ARGS(1, CFG_ANY)), \
	CFG_KW_LATER("virtualhost", NULL, CFG_ARG1), \
	CFG_KW_LATER("regex", NULL, CFG_ARG1), \
	CFG_KW_LATER("regex_no_match", cfg_kw_flag, CFG_FLAGARGS), \
	CFG_KW_LATER("regex_options", NULL, CFG_ARGS(1, CFG_ANY)), \
	CFG_KW_LATER("regex_min_offset", NULL, CFG_ARG1), \
	CFG_KW_LATER("regex_max_offset", NULL, CFG_ARG1), \
	CFG_KW_LATER("regex_stack", NULL, .args = 2)

static const struct cfg_kw http_url_kws[] = {
	URL_KWS,
	{ 0 }
};

static const struct cfg_kw ssl_url_kws[] = {
	URL_KWS,
	CFG_KW_LATER("tls_compliant", cfg_kw_check_bool, CFG_OPT1),
	{ 0 }
};

#define HTTP_KWS \
	CHECKER_COMMON_KWS, \
	CFG_KW_LATER("http_protocol", NULL, CFG_ARG1), \
	CFG_KW_LATER("virtualhost", NULL, CFG_ARG1), \
	CFG_KW_LATER("fast_recovery", cfg_kw_check_bool, CFG_OPT1), \
	CFG_KW_LATER("nb_get_retry", NULL, CFG_ARG1, CFG_ALIAS("retry")), \
	CFG_KW_LATER("enable_sni", cfg_kw_check_bool, CFG_OPT1), \
	CFG_KW_LATER("sni_name", NULL, CFG_ARG1)

static const struct cfg_kw http_get_kws[] = {
	HTTP_KWS,
	CFG_KW_LATER("url", NULL, .block = http_url_kws),
	{ 0 }
};

static const struct cfg_kw ssl_get_kws[] = {
	HTTP_KWS,
	CFG_KW_LATER("url", NULL, .block = ssl_url_kws),
	CFG_KW_LATER("tls_compliant", cfg_kw_check_bool, CFG_OPT1),
	{ 0 }
};

static const struct cfg_kw tcp_check_kws[] = {
	CHECKER_COMMON_KWS,
	{ 0 }
};

static const struct cfg_kw udp_check_kws[] = {
	CHECKER_COMMON_KWS,
	CFG_KW_LATER("payload", NULL, CFG_ARG1),
	CFG_KW_LATER("require_reply", NULL, CFG_OPT1),
	CFG_KW_LATER("min_reply_length", NULL, CFG_ARG1),
	CFG_KW_LATER("max_reply_length", NULL, CFG_ARG1),
	{ 0 }
};

static const struct cfg_kw smtp_host_kws[] = {
	CHECKER_COMMON_KWS,
	{ 0 }
};

static const struct cfg_kw smtp_check_kws[] = {
	CHECKER_COMMON_KWS,
	CFG_KW_LATER("helo_name", NULL, CFG_ARG1),
	CFG_KW_LATER("host", NULL, .block = smtp_host_kws,
		     .flags = CFG_KW_DEPRECATED | CFG_KW_DEPRECATED_OK, .alias = "one SMTP_CHECK per target"),
	{ 0 }
};

static const struct cfg_kw dns_check_kws[] = {
	CHECKER_COMMON_KWS,
	CFG_KW_LATER("type", NULL, CFG_ARG1),
	CFG_KW_LATER("name", NULL, CFG_ARG1),
	{ 0 }
};

static const struct cfg_kw misc_check_kws[] = {
	CFG_KW_LATER("misc_path", NULL, CFG_ARG1),
	CFG_KW_LATER("misc_timeout", NULL, CFG_ARG1),
	CFG_KW_LATER("misc_dynamic", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("user", kw_check_user, CFG_ARGS(1, 2)),
	CFG_KW_LATER("retry", kw_check_count, CFG_ARG1),
	CFG_KW_LATER("delay_before_retry", NULL, CFG_ARG1),
	CFG_KW_LATER("warmup", NULL, CFG_ARG1),
	CFG_KW_LATER("delay_loop", kw_check_delay, CFG_ARG1),
	CFG_KW_LATER("alpha", cfg_kw_check_bool, CFG_OPT1),
	CFG_KW_LATER("log_all_failures", cfg_kw_check_bool, CFG_OPT1),
	{ 0 }
};

static const struct cfg_kw ping_check_kws[] = {
	CHECKER_COMMON_KWS,
	{ 0 }
};

static const struct cfg_kw file_check_kws[] = {
	CFG_KW_LATER("track_file", NULL, CFG_ARG1),
	CFG_KW_LATER("weight", NULL, CFG_ARGS(1, 2)),
	{ 0 }
};

static const struct cfg_kw bfd_check_kws[] = {
	CFG_KW_LATER("name", NULL, CFG_ARG1),
	CFG_KW_LATER("alpha", cfg_kw_check_bool, CFG_OPT1),
	{ 0 }
};

static int parse_port(struct cfg *c, const struct cfg_args *a, int i, unsigned *port)
{
	*port = 0;
	return a->argc > i ? cfg_uint(c, a, i, 0, 65535, port) : 0;
}

/* real_server ADDR [PORT] { ... } */
static void *open_rs(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct cc_vs *vs = parent;
	struct cc_rs rs = { .weight = -1 };
	char buf[INET6_ADDRSTRLEN];

	vs->has_rs_lines = true;
	if (cfg_addr(c, a, 1, &rs.addr) < 0 || parse_port(c, a, 2, &rs.port) < 0)
		return NULL;
	/* keepalived 2.2.7 refuses mixed families, even with TUN */
	if (vs->kind == CC_VS_ADDR && vs->addr.family != rs.addr.family) {
		cfg_error_arg(c, 1, "real_server %s is not of the address family of its "
			      "virtual_server %s", a->argv[1],
			      inet_addr_str(&vs->addr, buf, sizeof(buf)));
		return NULL;
	}
	vs->rs = xrealloc(vs->rs, (vs->n_rs + 1) * sizeof(*vs->rs));
	vs->rs[vs->n_rs++] = rs;
	return vs;
}

static const struct cfg_kw real_server_kws[] = {
	CFG_KW_LATER("weight", kw_rs_weight, CFG_ARG1),
	CFG_KW_LATER("lvs_method", kw_check_method, CFG_ARGS(1, 6)),
	CFG_KW_LATER("inhibit_on_failure", cfg_kw_check_bool, CFG_OPT1),
	CFG_KW_LATER("notify_up", NULL, CFG_ARGS(1, 3)),
	CFG_KW_LATER("notify_down", NULL, CFG_ARGS(1, 3)),
	CFG_KW_LATER("uthreshold", NULL, CFG_ARG1),
	CFG_KW_LATER("lthreshold", NULL, CFG_ARG1),
	CFG_KW_LATER("alpha", cfg_kw_check_bool, CFG_OPT1),
	CFG_KW_LATER("retry", kw_check_count, CFG_ARG1),
	CFG_KW_LATER("delay_before_retry", NULL, CFG_ARG1),
	CFG_KW_LATER("warmup", NULL, CFG_ARG1),
	CFG_KW_LATER("connect_timeout", kw_check_timeout, CFG_ARG1),
	CFG_KW_LATER("delay_loop", kw_check_delay, CFG_ARG1),
	CFG_KW_LATER("smtp_alert", cfg_kw_check_bool, CFG_OPT1),
	CFG_KW_LATER("virtualhost", NULL, CFG_ARG1),
	CFG_KW_LATER("snmp_name", NULL, CFG_ARG1),
	CFG_KW_LATER("HTTP_GET", NULL, .block = http_get_kws),
	CFG_KW_LATER("SSL_GET", NULL, .block = ssl_get_kws),
	CFG_KW_LATER("TCP_CHECK", NULL, .block = tcp_check_kws),
	CFG_KW_LATER("MISC_CHECK", NULL, .block = misc_check_kws),
	CFG_KW_LATER("SMTP_CHECK", NULL, .block = smtp_check_kws),
	CFG_KW_LATER("DNS_CHECK", NULL, .block = dns_check_kws),
	CFG_KW_LATER("UDP_CHECK", NULL, .block = udp_check_kws),
	CFG_KW_LATER("PING_CHECK", NULL, .block = ping_check_kws),
	/* they need track_file and BFD, which are not implemented */
	CFG_KW_LATER("FILE_CHECK", NULL, .block = file_check_kws),
	CFG_KW_LATER("BFD_CHECK", NULL, .block = bfd_check_kws),
	{ 0 }
};

static const struct cfg_kw virtual_server_kws[] = {
	CFG_KW_LATER("delay_loop", kw_check_delay, CFG_ARG1),
	CFG_KW_LATER("lb_algo", kw_check_sched, CFG_ARG1),
	CFG_KW_LATER("lvs_sched", kw_check_sched, CFG_ARG1),
	CFG_KW_LATER("lb_kind", kw_vs_method, CFG_ARGS(1, 6)),
	CFG_KW_LATER("lvs_method", kw_vs_method, CFG_ARGS(1, 6)),
	CFG_KW_LATER("protocol", kw_check_protocol, CFG_ARG1),
	CFG_KW_LATER("persistence_timeout", kw_vs_persistence, CFG_OPT1),
	CFG_KW_LATER("persistence_granularity", NULL, CFG_ARG1),
	CFG_KW_LATER("persistence_engine", NULL, CFG_ARG1),
	CFG_KW_LATER("hashed", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("ops", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("flag-1", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("flag-2", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("flag-3", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("sh-port", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("sh-fallback", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("mh-port", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("mh-fallback", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("ha_suspend", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("ip_family", NULL, CFG_ARG1),
	CFG_KW_LATER("virtualhost", NULL, CFG_ARG1),
	CFG_KW_LATER("smtp_alert", cfg_kw_check_bool, CFG_OPT1),
	CFG_KW_LATER("snmp_name", NULL, CFG_ARG1),
	CFG_KW_LATER("alpha", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("omega", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("quorum", kw_vs_quorum, CFG_ARG1),
	CFG_KW_LATER("hysteresis", NULL, CFG_ARG1),
	CFG_KW_LATER("quorum_up", NULL, CFG_ARGS(1, 3)),
	CFG_KW_LATER("quorum_down", NULL, CFG_ARGS(1, 3)),
	CFG_KW_LATER("weight", kw_vs_weight, CFG_ARG1),
	CFG_KW_LATER("sorry_server", kw_check_server, CFG_ARGS(1, 2)),
	CFG_KW_LATER("sorry_server_inhibit", cfg_kw_flag, CFG_FLAGARGS),
	CFG_KW_LATER("sorry_server_lvs_method", kw_check_method, CFG_ARGS(1, 6)),
	CFG_KW_LATER("connect_timeout", kw_check_timeout, CFG_ARG1),
	CFG_KW_LATER("retry", kw_check_count, CFG_ARG1),
	CFG_KW_LATER("delay_before_retry", NULL, CFG_ARG1),
	CFG_KW_LATER("warmup", NULL, CFG_ARG1),
	CFG_KW_LATER("inhibit_on_failure", cfg_kw_check_bool, CFG_OPT1),
	CFG_KW_LATER("real_server", NULL, CFG_ARGS(1, 2), .block = real_server_kws, .open = open_rs),
	{ 0 }
};

/* virtual_server ADDR [PORT] | fwmark N | group NAME */
static void *open_vs(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct check_conf *cc = parent;
	struct cc_vs vs = { 0 };
	struct cc_vs *p;

	if (!strcmp(a->argv[1], "fwmark") || !strcmp(a->argv[1], "group")) {
		if (a->argc < 3) {
			cfg_error_arg(c, 1, "'virtual_server %s' expects a %s", a->argv[1],
				      a->argv[1][0] == 'f' ? "mark" : "virtual_server_group name");
			return NULL;
		}
		if (a->argv[1][0] == 'f') {
			vs.kind = CC_VS_FWMARK;
			if (cfg_uint(c, a, 2, 0, UINT_MAX, &vs.fwmark) < 0)
				return NULL;
		} else {
			vs.kind = CC_VS_GROUP;
		}
	} else if (cfg_addr(c, a, 1, &vs.addr) < 0 || parse_port(c, a, 2, &vs.port) < 0) {
		return NULL;
	}
	p = xcalloc(1, sizeof(*p));
	vs.weight = vs.quorum = 1;
	*p = vs;
	if (vs.kind == CC_VS_GROUP)
		p->group = xstrdup(a->argv[2]);
	p->desc = a->argc > 2 ? xasprintf("%s %s", a->argv[1], a->argv[2]) : xstrdup(a->argv[1]);
	p->file = xstrdup(a->file);
	p->line = a->line;
	p->col = cfg_col(c, 1);
	cc->vs = xrealloc(cc->vs, (cc->n_vs + 1) * sizeof(*cc->vs));
	cc->vs[cc->n_vs++] = p;
	return p;
}

static const struct cfg_kw ssl_kws[] = {
	CFG_KW_LATER("password", NULL, CFG_ARG1),
	CFG_KW_LATER("ca", NULL, CFG_ARG1),
	CFG_KW_LATER("certificate", NULL, CFG_ARG1),
	CFG_KW_LATER("key", NULL, CFG_ARG1),
	{ 0 }
};

const struct cfg_kw check_root_kws[] = {
	CFG_KW_LATER("virtual_server", NULL, CFG_ARGS(1, 2), .block = virtual_server_kws,
		     .open = open_vs),
	CFG_KW_LATER("virtual_server_group", NULL, CFG_ARG1, .line = cfg_line_any),
	CFG_KW_LATER("SSL", NULL, .block = ssl_kws),
	{ 0 }
};

void *check_conf_new(void)
{
	return xcalloc(1, sizeof(struct check_conf));
}

void check_conf_free(void *conf)
{
	struct check_conf *cc = conf;

	if (!cc)
		return;
	for (unsigned i = 0; i < cc->n_vs; i++) {
		free(cc->vs[i]->group);
		free(cc->vs[i]->desc);
		free(cc->vs[i]->file);
		free(cc->vs[i]->rs);
		free(cc->vs[i]);
	}
	free(cc->vs);
	free(cc);
}

/*
 * What keepalived 2.2.7 defaults or corrects in a virtual server, and says so (its -t
 * fails on each): mistakes, at the virtual_server's address.
 */
static void check_vs(struct cfg *c, const struct cc_vs *vs)
{
	unsigned total = 0;

#define VS_MISTAKE(fmt, ...) \
	cfg_report_at(c, CFG_SEV_MISTAKE, vs->file, vs->line, vs->col, "virtual_server %s: " fmt, \
		      vs->desc, ##__VA_ARGS__)
	if (vs->has_rs_lines && !vs->n_rs)
		return;		/* its real servers were refused: reported already */
	if (!vs->n_rs) {
		VS_MISTAKE("no real_server: the virtual server is ignored");
		return;
	}
	if (vs->kind == CC_VS_FWMARK && vs->has_protocol)
		VS_MISTAKE("protocol is ignored with fwmark");
	else if (vs->kind != CC_VS_FWMARK && !vs->has_protocol)
		VS_MISTAKE("no protocol: UDP is used");
	if (!vs->has_sched)
		VS_MISTAKE("no lb_algo: wlc is used");
	if (!vs->has_method)
		VS_MISTAKE("no lb_kind: NAT is used");
	if (vs->kind == CC_VS_ADDR && !vs->port && !vs->has_persistence)
		VS_MISTAKE("port 0 is for persistent services (persistence_timeout) only");
	for (unsigned k = 0; k < vs->n_rs; k++) {
		const struct cc_rs *rs = &vs->rs[k];
		char buf[INET6_ADDRSTRLEN];

		total += rs->weight >= 0 ? (unsigned)rs->weight : vs->weight;
		/* DR and TUN cannot change the port */
		if (vs->kind == CC_VS_ADDR && vs->method != 0 && vs->port && rs->port &&
		    rs->port != vs->port)
			VS_MISTAKE("real_server %s port %u differs from the virtual server's, which "
				   "%s keeps", inet_addr_str(&rs->addr, buf, sizeof(buf)), rs->port,
				   methods[vs->method]);
	}
	if (vs->quorum > total)
		VS_MISTAKE("quorum %u exceeds the real servers' total weight %u: %u is used",
			   vs->quorum, total, total);
#undef VS_MISTAKE
}

int check_conf_finish(struct cfg *c, void *conf)
{
	struct check_conf *cc = conf;

	for (unsigned i = 0; i < cc->n_vs; i++)
		check_vs(c, cc->vs[i]);
	return 0;
}

bool check_conf_has_work(const void *conf)
{
	const struct check_conf *cc = conf;

	return cc->n_vs > 0;
}

unsigned check_conf_n_virtual_servers(const void *conf)
{
	const struct check_conf *cc = conf;

	return cc->n_vs;
}

void check_conf_dump(const void *conf, FILE *f)
{
	const struct check_conf *cc = conf;
	char buf[INET6_ADDRSTRLEN];

	for (unsigned i = 0; i < cc->n_vs; i++) {
		const struct cc_vs *vs = cc->vs[i];

		switch (vs->kind) {
		case CC_VS_ADDR:
			fprintf(f, "virtual_server %s", inet_addr_str(&vs->addr, buf, sizeof(buf)));
			if (vs->port)
				fprintf(f, " %u", vs->port);
			break;
		case CC_VS_FWMARK:
			fprintf(f, "virtual_server fwmark %u", vs->fwmark);
			break;
		case CC_VS_GROUP:
			fprintf(f, "virtual_server group %s", vs->group);
			break;
		}
		fputs(" {\n", f);
		for (unsigned k = 0; k < vs->n_rs; k++) {
			fprintf(f, "\treal_server %s", inet_addr_str(&vs->rs[k].addr, buf, sizeof(buf)));
			if (vs->rs[k].port)
				fprintf(f, " %u", vs->rs[k].port);
			fputs(" {\n\t}\n", f);
		}
		fputs("}\n", f);
	}
}
