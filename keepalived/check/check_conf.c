// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_conf.c: virtual_server, real_server, sorry_server and SSL keywords. */
#include "check_conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

#include "check_conf_int.h"
#include "userdb.h"
#include "utils.h"

#ifndef IP_VS_SVC_F_SCHED_MH_FALLBACK
#define IP_VS_SVC_F_SCHED_MH_FALLBACK IP_VS_SVC_F_SCHED1
#define IP_VS_SVC_F_SCHED_MH_PORT IP_VS_SVC_F_SCHED2
#endif
#define WEIGHT_MAX INT_MAX		/* IPVS_WEIGHT_LIMIT */
#define PERSISTENCE_DEFAULT_S 360	/* IPVS_SVC_PERSISTENT_TIMEOUT */
#define PERSISTENCE_MAX_S 2678400	/* LVS_MAX_TIMEOUT: 31 days */

/*
 * The parse-time shells of real servers and checkers (cc_rs, cc_ck: ~1 KB per real
 * server) come from mmap'd chunks of their own, not from the heap: freed at finish, in
 * the heap they left a hole per real server between the objects that live on (1,000
 * HTTP_GETs: 330 holes of 961 bytes, 0.5 MB of RssAnon that malloc_trim cannot give
 * back); a chunk goes back to the kernel when its last object is freed.
 */
#define TMP_CHUNK (64 * 1024)
#define TMP_HDR 16			/* before each object: its chunk (keeps 16-byte alignment) */
struct tmp_chunk {
	size_t used, live;
};
static struct tmp_chunk *tmp_cur;

void *cc_tmp_alloc(size_t size)
{
	size_t need = (TMP_HDR + size + 15) & ~(size_t)15;
	struct tmp_chunk **h;

	if (need > TMP_CHUNK - TMP_HDR) {
		h = xcalloc(1, TMP_HDR + size);
		*h = NULL;		/* from the heap */
		return (char *)h + TMP_HDR;
	}
	if (!tmp_cur || tmp_cur->used + need > TMP_CHUNK) {
		void *m = mmap(NULL, TMP_CHUNK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED) {
			h = xcalloc(1, TMP_HDR + size);
			*h = NULL;
			return (char *)h + TMP_HDR;
		}
		if (tmp_cur && !tmp_cur->live)
			munmap(tmp_cur, TMP_CHUNK);
		tmp_cur = m;
		tmp_cur->used = TMP_HDR;
		tmp_cur->live = 0;
	}
	h = (struct tmp_chunk **)((char *)tmp_cur + tmp_cur->used);
	memset(h, 0, need);
	*h = tmp_cur;
	tmp_cur->used += need;
	tmp_cur->live++;
	return (char *)h + TMP_HDR;
}

void cc_tmp_free(void *p)
{
	struct tmp_chunk **h, *c;

	if (!p)
		return;
	h = (struct tmp_chunk **)((char *)p - TMP_HDR);
	if (!(c = *h)) {
		free(h);
		return;
	}
	if (--c->live)
		return;
	if (c == tmp_cur)
		c->used = TMP_HDR;	/* empty: reused from its start */
	else
		munmap(c, TMP_CHUNK);
}

const char *cc_intern_file(struct cc_conf *cc, const char *file)
{
	if (!file)
		return NULL;
	for (unsigned i = cc->n_files; i-- > 0;)
		if (!strcmp(cc->files[i], file))
			return cc->files[i];
	cc->files = xrealloc(cc->files, (cc->n_files + 1) * sizeof(*cc->files));
	return cc->files[cc->n_files++] = xstrdup(file);
}

static struct cc_conf *root_of(struct cfg *c)
{
	return cfg_root_obj(c, check_root_kws);
}

void cc_timing_init(struct cc_timing *t)
{
	*t = (struct cc_timing){ .alpha = -1 };
}

/*
 * retry, delay_before_retry, warmup, delay_loop, connect_timeout at every level: keepalived
 * 2.2.7's ranges (retry is 1.. at VS/RS level, 0.. in a checker).
 */
int cc_kw_timing(struct cfg *c, const struct cfg_args *a, struct cc_timing *t, bool checker)
{
	const char *kw = a->argv[0];

	if (!strcmp(kw, "retry")) {
		if (cfg_uint(c, a, 1, checker ? 0 : 1, UINT_MAX, &t->retry) < 0)
			return -EINVAL;
		t->has_retry = true;
	} else if (!strcmp(kw, "delay_before_retry")) {
		if (cfg_timer_us(c, a, 1, 0, UINT64_MAX, &t->delay_before_retry_us) < 0)
			return -EINVAL;
		t->has_dbr = true;
	} else if (!strcmp(kw, "warmup")) {
		if (cfg_timer_us(c, a, 1, 0, UINT64_MAX, &t->warmup_us) < 0)
			return -EINVAL;
		t->has_warmup = true;
	} else if (!strcmp(kw, "delay_loop")) {
		if (cfg_timer_us(c, a, 1, 1, UINT64_MAX, &t->delay_loop_us) < 0)
			return -EINVAL;
		t->has_delay_loop = true;
	} else if (!strcmp(kw, "connect_timeout")) {
		if (cfg_timer_us(c, a, 1, 1, UINT_MAX, &t->connect_timeout_us) < 0)
			return -EINVAL;
		t->has_connect_timeout = true;
	} else if (!strcmp(kw, "alpha")) {
		bool b;

		if (cfg_bool(c, a, 1, &b) < 0)
			return -EINVAL;
		t->alpha = b;
	}
	return 0;
}

/* SCRIPT [USER [[:]GROUP]]: the user and group must exist */
int cc_kw_cmd(struct cfg *c, const struct cfg_args *a, struct cc_cmd *cmd)
{
	char *user = NULL, *group = NULL;

	if (cmd->cmdline) {
		/* keepalived: "(%s) notify_up script already specified - ignoring %s" */
		cfg_mistake(c, "%s script already specified - ignoring %s", a->argv[0], a->argv[1]);
		return 0;
	}
	if (a->argc > 2 && userdb_cfg_words(c, a, 2, &user, &group) < 0) {
		free(user);
		free(group);
		return -EINVAL;
	}
	cmd->cmdline = xstrdup(a->argv[1]);
	cmd->as.user = user;
	cmd->as.group = group;
	cmd->file = cc_intern_file(root_of(c), a->file);
	cmd->line = a->line;
	cmd->col = cfg_col(c, 1);
	return 0;
}

void cc_cmd_free(struct cc_cmd *cmd)
{
	free(cmd->cmdline);
	free(cmd->as.user);
	free(cmd->as.group);
	cmd->cmdline = NULL;
	cmd->as.user = cmd->as.group = NULL;
}

/*
 * NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum], with keepalived's checks
 * and words. s_type: "virtual", "real" or "sorry".
 */
int cc_parse_fwd(struct cfg *c, const struct cfg_args *a, const char *s_type, struct lvs_fwd *out)
{
	struct lvs_fwd f = { .tun_type = LVS_TUN_IPIP, .tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM };
	unsigned port = 0;

	if (!strcmp(a->argv[1], "NAT")) {
		f.method = LVS_NAT;
	} else if (!strcmp(a->argv[1], "DR")) {
		f.method = LVS_DR;
	} else if (!strcmp(a->argv[1], "TUN")) {
		f.method = LVS_TUN;
	} else {
		cfg_error_arg(c, 1, "'%s' expects one of NAT|DR|TUN, got '%s'", a->argv[0],
			      a->argv[1]);
		return -EINVAL;
	}
	for (int i = 2; i < a->argc; i++) {
		const char *w = a->argv[i];

		if (!strcmp(w, "type")) {
			if (i + 1 == a->argc) {
				cfg_error_arg(c, i, "Missing tunnel type for %s server.", s_type);
				return -EINVAL;
			}
			i++;
			if (!strcmp(a->argv[i], "ipip")) {
				f.tun_type = LVS_TUN_IPIP;
			} else if (!strcmp(a->argv[i], "gue")) {
				f.tun_type = LVS_TUN_GUE;
			} else if (!strcmp(a->argv[i], "gre")) {
				f.tun_type = LVS_TUN_GRE;
			} else {
				cfg_error_arg(c, i, "Unknown tunnel type %s for %s server.", a->argv[i],
					      s_type);
				return -EINVAL;
			}
		} else if (!strcmp(w, "port")) {
			if (i + 1 == a->argc) {
				cfg_error_arg(c, i, "Missing port for %s server gue tunnel.", s_type);
				return -EINVAL;
			}
			i++;
			if (cfg_uint(c, a, i, 1, 65535, &port) < 0)
				return -EINVAL;
		} else if (!strcmp(w, "nocsum")) {
			f.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
		} else if (!strcmp(w, "csum")) {
			f.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
		} else if (!strcmp(w, "remcsum")) {
			f.tun_flags = IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
		} else {
			cfg_error_arg(c, i, "Invalid tunnel option %s for %s server.", w, s_type);
			return -EINVAL;
		}
	}
	if ((f.tun_type == LVS_TUN_GUE) != (port != 0)) {
		cfg_error(c, "gue tunnels require port, otherwise cannot have port.");
		return -EINVAL;
	}
	if (f.tun_type == LVS_TUN_IPIP && f.tun_flags != IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM) {
		cfg_error(c, "ipip tunnels do not support checksum option.");
		return -EINVAL;
	}
	if (f.tun_type == LVS_TUN_GRE && f.tun_flags == IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM) {
		cfg_error(c, "gre tunnels do not support remote checksum option.");
		return -EINVAL;
	}
	f.tun_port = (uint16_t)port;
	*out = f;
	return 0;
}

/* --- real_server --- */

#define RS(o) ((struct cc_rs *)(o))

static int kw_rs_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned w;

	if (cfg_uint(c, a, 1, 0, WEIGHT_MAX, &w) < 0)
		return -EINVAL;
	RS(obj)->r.weight = (int)w;
	RS(obj)->has_weight = true;
	return 0;
}

static int kw_rs_method(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (cc_parse_fwd(c, a, "real", &RS(obj)->r.fwd) < 0)
		return -EINVAL;
	RS(obj)->has_fwd = true;
	return 0;
}

static int set_tri(struct cfg *c, const struct cfg_args *a, signed char *out)
{
	bool b;

	if (cfg_bool(c, a, 1, &b) < 0)
		return -EINVAL;
	*out = b;
	return 0;
}

static int kw_rs_inhibit(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return set_tri(c, a, &RS(obj)->inhibit);
}

static int kw_rs_alpha(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return set_tri(c, a, &RS(obj)->alpha);
}

static int kw_rs_smtp_alert(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return set_tri(c, a, &RS(obj)->smtp_alert);
}

static int kw_rs_notify(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cc_kw_cmd(c, a, strcmp(a->argv[0], "notify_up") ? &RS(obj)->notify_down :
				&RS(obj)->notify_up);
}

static int kw_rs_thresh(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 0, UINT_MAX, a->argv[0][0] == 'u' ? &RS(obj)->r.u_thresh :
			&RS(obj)->r.l_thresh);
}

static int kw_rs_timing(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cc_kw_timing(c, a, &RS(obj)->t, false);
}

static int kw_rs_virtualhost(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &RS(obj)->r.virtualhost);
}

static const struct cfg_kw real_server_kws[] = {
	CFG_KW("weight", kw_rs_weight, CFG_ARG1),
	CFG_KW("lvs_method", kw_rs_method, CFG_ARGS(1, 6)),
	CFG_KW("inhibit_on_failure", kw_rs_inhibit, CFG_OPT1),
	CFG_KW("notify_up", kw_rs_notify, CFG_ARGS(1, 3)),
	CFG_KW("notify_down", kw_rs_notify, CFG_ARGS(1, 3)),
	CFG_KW("uthreshold", kw_rs_thresh, CFG_ARG1),
	CFG_KW("lthreshold", kw_rs_thresh, CFG_ARG1),
	CFG_KW("alpha", kw_rs_alpha, CFG_OPT1),
	CFG_KW("retry", kw_rs_timing, CFG_ARG1),
	CFG_KW("delay_before_retry", kw_rs_timing, CFG_ARG1),
	CFG_KW("warmup", kw_rs_timing, CFG_ARG1),
	CFG_KW("connect_timeout", kw_rs_timing, CFG_ARG1),
	CFG_KW("delay_loop", kw_rs_timing, CFG_ARG1),
	CFG_KW("smtp_alert", kw_rs_smtp_alert, CFG_OPT1),
	CFG_KW("virtualhost", kw_rs_virtualhost, CFG_ARG1),
	CFG_KW_LATER("snmp_name", NULL, CFG_ARG1),
	CC_CHECKER_BLOCKS,
	{ 0 }
};
#undef RS

static struct cc_rs *rs_new(struct cfg *c, const struct cfg_args *a)
{
	struct cc_rs *rs = cc_tmp_alloc(sizeof(*rs));
	unsigned port = 0;

	if (cfg_addr(c, a, 1, &rs->r.addr) < 0 ||
	    (a->argc > 2 && cfg_uint(c, a, 2, 0, 65535, &port) < 0)) {
		cc_tmp_free(rs);
		return NULL;
	}
	rs->r.port = (uint16_t)port;
	rs->has_port = port != 0;
	rs->inhibit = rs->alpha = rs->smtp_alert = -1;
	cc_timing_init(&rs->t);
	rs->file = cc_intern_file(root_of(c), a->file);
	rs->line = a->line;
	rs->col = cfg_col(c, 1);
	return rs;
}

/* real_server ADDR [PORT] { ... } */
static void *open_rs(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct cc_vs *vs = parent;
	struct cc_rs *rs = rs_new(c, a);

	if (!rs)
		return NULL;
	/* keepalived gives it the VS's method as it reads it (a later lb_kind does not change it) */
	if (vs->has_fwd) {
		rs->r.fwd = vs->v.fwd;
		rs->has_fwd = true;
	}
	vs->rs = xrealloc(vs->rs, (vs->n_rs + 1) * sizeof(*vs->rs));
	vs->rs[vs->n_rs++] = rs;
	return rs;
}

/* --- virtual_server --- */

#define VS(o) ((struct cc_vs *)(o))

static int kw_vs_timing(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cc_kw_timing(c, a, &VS(obj)->t, false);
}

static const char *const scheds[] = { "rr", "wrr", "lc", "wlc", "lblc", "sh", "mh", "dh",
				      "fo", "ovf", "lblcr", "sed", "nq", "twos", NULL };

static int kw_vs_sched(struct cfg *c, void *obj, const struct cfg_args *a)
{
	int i;

	if (cfg_enum(c, a, 1, scheds, &i) < 0)
		return -EINVAL;
	strcpy(VS(obj)->v.sched, scheds[i]);
	VS(obj)->has_sched = true;
	return 0;
}

/*
 * ops, flag-1..3, sh-port, sh-fallback, mh-port, mh-fallback, hashed: keepalived 2.2.7
 * sets sh-/mh- flags only when lb_algo sh/mh came first; hashed does nothing.
 */
static int kw_vs_flag(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_vs *vs = obj;
	const char *kw = a->argv[0];

	if (cfg_kw_flag(c, obj, a) < 0)
		return -EINVAL;
	if (!strcmp(kw, "ops"))
		vs->v.flags |= IP_VS_SVC_F_ONEPACKET;
	else if (!strcmp(kw, "flag-1"))
		vs->v.flags |= IP_VS_SVC_F_SCHED1;
	else if (!strcmp(kw, "flag-2"))
		vs->v.flags |= IP_VS_SVC_F_SCHED2;
	else if (!strcmp(kw, "flag-3"))
		vs->v.flags |= IP_VS_SVC_F_SCHED3;
	else if (!strcmp(vs->v.sched, "sh")) {
		if (!strcmp(kw, "sh-port"))
			vs->v.flags |= IP_VS_SVC_F_SCHED_SH_PORT;
		else if (!strcmp(kw, "sh-fallback"))
			vs->v.flags |= IP_VS_SVC_F_SCHED_SH_FALLBACK;
	} else if (!strcmp(vs->v.sched, "mh")) {
		if (!strcmp(kw, "mh-port"))
			vs->v.flags |= IP_VS_SVC_F_SCHED_MH_PORT;
		else if (!strcmp(kw, "mh-fallback"))
			vs->v.flags |= IP_VS_SVC_F_SCHED_MH_FALLBACK;
	} else {
		cfg_mistake(c, "%s only applies to sh scheduler - ignoring", kw);
	}
	return 0;
}

static int kw_vs_method(struct cfg *c, void *obj, const struct cfg_args *a)
{
	if (cc_parse_fwd(c, a, "virtual", &VS(obj)->v.fwd) < 0)
		return -EINVAL;
	VS(obj)->has_fwd = true;
	return 0;
}

/* keepalived takes the protocol in any case */
static int kw_vs_protocol(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const names[] = { "TCP", "UDP", "SCTP" };
	static const uint16_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_SCTP };

	for (unsigned i = 0; i < 3; i++) {
		if (!strcasecmp(a->argv[1], names[i])) {
			VS(obj)->v.protocol = protos[i];
			VS(obj)->has_protocol = true;
			return 0;
		}
	}
	cfg_error_arg(c, 1, "'protocol' expects one of TCP|UDP|SCTP, got '%s'", a->argv[1]);
	return -EINVAL;
}

/* persistence_timeout [1..2678400]: without a value, 360 s */
static int kw_vs_persistence(struct cfg *c, void *obj, const struct cfg_args *a)
{
	unsigned s = PERSISTENCE_DEFAULT_S;

	if (a->argc > 1 && cfg_uint(c, a, 1, 1, PERSISTENCE_MAX_S, &s) < 0)
		return -EINVAL;
	VS(obj)->v.persistence_timeout_s = s;
	VS(obj)->has_persistence = true;
	return 0;
}

/* an IPv4 netmask (any, as ipvsadm), or an IPv6 prefix length; turns persistence on */
static int kw_vs_granularity(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_vs *vs = obj;
	sa_family_t af = vs->v.kind == VS_ADDR ? vs->v.addr.family : vs->ip_family;
	struct in_addr m;
	unsigned prefix;

	if (!af)
		af = strchr(a->argv[1], '.') ? AF_INET : AF_INET6;
	if (af == AF_INET6) {
		if (cfg_uint(c, a, 1, 1, 128, &prefix) < 0)
			return -EINVAL;
		vs->v.granularity = prefix;
	} else {
		if (inet_pton(AF_INET, a->argv[1], &m) != 1) {
			cfg_error_arg(c, 1, "Invalid IPv4 persistence_granularity specified - %s",
				      a->argv[1]);
			return -EINVAL;
		}
		vs->v.granularity = m.s_addr;
	}
	if (!vs->ip_family && vs->v.kind != VS_ADDR)
		vs->ip_family = af;
	if (!vs->v.persistence_timeout_s) {
		vs->v.persistence_timeout_s = PERSISTENCE_DEFAULT_S;
		vs->has_persistence = true;
	}
	return 0;
}

static int kw_vs_engine(struct cfg *c, void *obj, const struct cfg_args *a)
{
	char *pe = VS(obj)->v.pe_name;

	if (strlen(a->argv[1]) >= sizeof(VS(obj)->v.pe_name))
		cfg_mistake_arg(c, 1, "persistence_name too long, truncating - %s", a->argv[1]);
	snprintf(pe, sizeof(VS(obj)->v.pe_name), "%s", a->argv[1]);
	return 0;
}

static int kw_vs_bool(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_vs *vs = obj;
	const char *kw = a->argv[0];
	bool b = true;

	/* ha_suspend, alpha, omega and sorry_server_inhibit ignore what follows them */
	if (!strcmp(kw, "inhibit_on_failure") || !strcmp(kw, "smtp_alert")) {
		if (cfg_bool(c, a, 1, &b) < 0)
			return -EINVAL;
	} else if (cfg_kw_flag(c, obj, a) < 0) {
		return -EINVAL;
	}
	if (!strcmp(kw, "ha_suspend"))
		vs->v.ha_suspend = b;
	else if (!strcmp(kw, "alpha"))
		vs->v.alpha = b;
	else if (!strcmp(kw, "omega"))
		vs->v.omega = b;
	else if (!strcmp(kw, "inhibit_on_failure"))
		vs->v.inhibit = b;
	else if (!strcmp(kw, "smtp_alert"))
		vs->smtp_alert = b;
	else if (!strcmp(kw, "sorry_server_inhibit")) {
		if (!vs->sorry)
			cfg_mistake(c, "Ignoring sorry_server inhibit used before or without "
				    "sorry_server");
		else
			vs->v.sorry_inhibit = true;
	}
	return 0;
}

static int kw_vs_ip_family(struct cfg *c, void *obj, const struct cfg_args *a)
{
	static const char *const fams[] = { "inet", "inet6", NULL };
	struct cc_vs *vs = obj;
	sa_family_t af;
	int i;

	if (cfg_enum(c, a, 1, fams, &i) < 0)
		return -EINVAL;
	af = i ? AF_INET6 : AF_INET;
	if ((vs->v.kind == VS_ADDR && vs->v.addr.family != af) ||
	    (vs->ip_family && vs->ip_family != af)) {
		cfg_mistake_arg(c, 1, "Virtual server specified family %s conflicts with server "
				"family", a->argv[1]);
		return 0;
	}
	vs->ip_family = af;
	return 0;
}

static int kw_vs_virtualhost(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_str(c, a, 1, &VS(obj)->v.virtualhost);
}

/* quorum 1..UINT_MAX; keepalived sets 1 on a bad value */
static int kw_vs_quorum(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, UINT_MAX, &VS(obj)->v.quorum);
}

static int kw_vs_hysteresis(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 0, UINT_MAX, &VS(obj)->v.hysteresis);
}

static int kw_vs_quorum_cmd(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cc_kw_cmd(c, a, strcmp(a->argv[0], "quorum_up") ? &VS(obj)->quorum_down :
				&VS(obj)->quorum_up);
}

static int kw_vs_weight(struct cfg *c, void *obj, const struct cfg_args *a)
{
	return cfg_uint(c, a, 1, 1, WEIGHT_MAX, &VS(obj)->weight);
}

/* sorry_server ADDR [PORT]: a second one replaces the first */
static int kw_vs_sorry(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_vs *vs = obj;
	struct cc_rs *rs = rs_new(c, a);

	if (!rs)
		return -EINVAL;
	cc_free_rs_shell(vs->sorry);	/* from cc_tmp_alloc(), as every rs_new() */
	if (vs->has_fwd) {
		rs->r.fwd = vs->v.fwd;
		rs->has_fwd = true;
	}
	vs->sorry = rs;
	return 0;
}

static int kw_vs_sorry_method(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct cc_vs *vs = obj;
	struct lvs_fwd f;

	if (cc_parse_fwd(c, a, "sorry", &f) < 0)
		return -EINVAL;
	if (!vs->sorry) {
		cfg_mistake(c, "sorry_server forwarding used without sorry_server");
		return 0;
	}
	vs->sorry->r.fwd = f;
	vs->sorry->has_fwd = true;
	return 0;
}

static const struct cfg_kw virtual_server_kws[] = {
	CFG_KW("delay_loop", kw_vs_timing, CFG_ARG1),
	CFG_KW("lb_algo", kw_vs_sched, CFG_ARG1),
	CFG_KW("lvs_sched", kw_vs_sched, CFG_ARG1),
	CFG_KW("lb_kind", kw_vs_method, CFG_ARGS(1, 6)),
	CFG_KW("lvs_method", kw_vs_method, CFG_ARGS(1, 6)),
	CFG_KW("protocol", kw_vs_protocol, CFG_ARG1),
	CFG_KW("persistence_timeout", kw_vs_persistence, CFG_OPT1),
	CFG_KW("persistence_granularity", kw_vs_granularity, CFG_ARG1),
	CFG_KW("persistence_engine", kw_vs_engine, CFG_ARG1),
	CFG_KW("hashed", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("ops", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("flag-1", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("flag-2", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("flag-3", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("sh-port", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("sh-fallback", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("mh-port", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("mh-fallback", kw_vs_flag, CFG_FLAGARGS),
	CFG_KW("ha_suspend", kw_vs_bool, CFG_FLAGARGS),
	CFG_KW("ip_family", kw_vs_ip_family, CFG_ARG1),
	CFG_KW("virtualhost", kw_vs_virtualhost, CFG_ARG1),
	CFG_KW("smtp_alert", kw_vs_bool, CFG_OPT1),
	CFG_KW_LATER("snmp_name", NULL, CFG_ARG1),
	CFG_KW("alpha", kw_vs_bool, CFG_FLAGARGS),
	CFG_KW("omega", kw_vs_bool, CFG_FLAGARGS),
	CFG_KW("quorum", kw_vs_quorum, CFG_ARG1),
	CFG_KW("hysteresis", kw_vs_hysteresis, CFG_ARG1),
	CFG_KW("quorum_up", kw_vs_quorum_cmd, CFG_ARGS(1, 3)),
	CFG_KW("quorum_down", kw_vs_quorum_cmd, CFG_ARGS(1, 3)),
	CFG_KW("weight", kw_vs_weight, CFG_ARG1),
	CFG_KW("sorry_server", kw_vs_sorry, CFG_ARGS(1, 2)),
	CFG_KW("sorry_server_inhibit", kw_vs_bool, CFG_FLAGARGS),
	CFG_KW("sorry_server_lvs_method", kw_vs_sorry_method, CFG_ARGS(1, 6)),
	CFG_KW("connect_timeout", kw_vs_timing, CFG_ARG1),
	CFG_KW("retry", kw_vs_timing, CFG_ARG1),
	CFG_KW("delay_before_retry", kw_vs_timing, CFG_ARG1),
	CFG_KW("warmup", kw_vs_timing, CFG_ARG1),
	CFG_KW("inhibit_on_failure", kw_vs_bool, CFG_OPT1),
	CFG_KW("real_server", NULL, CFG_ARGS(1, 2), .block = real_server_kws, .open = open_rs),
	{ 0 }
};
#undef VS

/* virtual_server ADDR [PORT] | fwmark N | group NAME */
static void *open_vs(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct cc_conf *cc = parent;
	struct cc_vs *vs;
	struct vs_conf v = { 0 };
	unsigned n = 0;

	cc->pub.has_checker_config = true;
	if (!strcmp(a->argv[1], "fwmark") || !strcmp(a->argv[1], "group")) {
		if (a->argc < 3) {
			cfg_error_arg(c, 1, "'virtual_server %s' expects a %s", a->argv[1],
				      a->argv[1][0] == 'f' ? "mark" : "virtual_server_group name");
			return NULL;
		}
		if (a->argv[1][0] == 'f') {
			v.kind = VS_FWMARK;
			if (cfg_uint(c, a, 2, 0, UINT_MAX, &v.fwmark) < 0)
				return NULL;
		} else {
			v.kind = VS_GROUP;
		}
	} else {
		v.kind = VS_ADDR;
		if (cfg_addr(c, a, 1, &v.addr) < 0 ||
		    (a->argc > 2 && cfg_uint(c, a, 2, 0, 65535, &n) < 0))
			return NULL;
		v.port = (uint16_t)n;
	}
	vs = xcalloc(1, sizeof(*vs));
	vs->v = v;
	if (v.kind == VS_GROUP)
		vs->v.group_name = xstrdup(a->argv[2]);
	vs->v.quorum = 1;
	vs->weight = 1;
	vs->smtp_alert = -1;
	cc_timing_init(&vs->t);
	vs->v.file = cc_intern_file(cc, a->file);
	vs->v.line = a->line;
	vs->col = cfg_col(c, 1);
	cc->vs = xrealloc(cc->vs, (cc->n_vs + 1) * sizeof(*cc->vs));
	cc->vs[cc->n_vs++] = vs;
	return vs;
}

/* --- SSL --- */

static void *open_ssl(struct cfg *c, void *parent, const struct cfg_args *a)
{
	struct cc_conf *cc = parent;

	(void)a;
	if (cc->pub.ssl.configured)
		cfg_mistake(c, "SSL context already specified - replacing");
	cc->pub.ssl.configured = true;
	return &cc->pub.ssl;
}

static int kw_ssl_file(struct cfg *c, void *obj, const struct cfg_args *a)
{
	struct ssl_conf *s = obj;
	const char *kw = a->argv[0];
	char **p = !strcmp(kw, "password") ? &s->password : !strcmp(kw, "ca") ? &s->ca :
		   !strcmp(kw, "certificate") ? &s->certificate : &s->key;

	if (*p)
		cfg_mistake(c, "SSL %s already specified - replacing",
			    !strcmp(kw, "certificate") ? "certfile" : !strcmp(kw, "key") ? "keyfile" :
			    !strcmp(kw, "ca") ? "cafile" : kw);
	return cfg_str(c, a, 1, p);
}

static const struct cfg_kw ssl_kws[] = {
	CFG_KW("password", kw_ssl_file, CFG_ARG1),
	CFG_KW("ca", kw_ssl_file, CFG_ARG1),
	CFG_KW("certificate", kw_ssl_file, CFG_ARG1),
	CFG_KW("key", kw_ssl_file, CFG_ARG1),
	{ 0 }
};

const struct cfg_kw check_root_kws[] = {
	CFG_KW("virtual_server", NULL, CFG_ARGS(1, 2), .block = virtual_server_kws,
	       .open = open_vs),
	CFG_KW("virtual_server_group", NULL, CFG_ARG1, .line = cc_vsg_line, .open = cc_open_vsg,
	       .close = cc_close_vsg),
	CFG_KW("SSL", NULL, .block = ssl_kws, .open = open_ssl),
	{ 0 }
};

void *check_conf_new(void)
{
	struct cc_conf *cc = xcalloc(1, sizeof(*cc));

	return &cc->pub;
}

int check_conf_finish(struct cfg *c, void *conf)
{
	return cc_finish(c, cc_of(conf));
}

bool check_conf_has_work(const void *conf)
{
	const struct check_conf *cc = conf;

	return cc->has_checker_config;
}

unsigned check_conf_n_virtual_servers(const void *conf)
{
	const struct check_conf *cc = conf;

	return cc->n_vs;
}
