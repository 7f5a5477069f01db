// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_conf_finish.c: effective values (spec 1.1) and keepalived 2.2.7's config checks (1.9). */
#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_conf_int.h"
#include "check_engine.h"
#include "core/global_defs.h"
#include "process.h"
#include "userdb.h"
#include "utils.h"

#define S_US 1000000ULL
#define VS_DELAY_LOOP_DEFAULT_US (60 * S_US)
#define VS_CONNECT_TIMEOUT_DEFAULT_US (5 * S_US)
#define PERSISTENCE_DEFAULT_S 360
#define SMTP_HELO_DEFAULT "smtpchecker.keepalived.org"
#define UDP_PAYLOAD_TEXT "keepalived check - "
#define UDP_PAYLOAD_LEN 32

struct fin {
	struct cfg *c;
	struct cc_conf *cc;
	const struct global_defs *gd;
	int smtp_alert;			/* global smtp_alert_checker/smtp_alert; -1: none */
	/* the default script user, looked up once */
	int dflt;			/* 0: not yet; 1: found; -1: none */
	uid_t dflt_uid;
	gid_t dflt_gid;
	const char *script_file;	/* the first script's place */
	int script_line, script_col;
	/* checker arrays that may be shared: open addressing, index + 1 into cc->ck_sets */
	unsigned *ck_tab;
	unsigned n_ck_tab, n_ck_tab_used;
	unsigned cap_ck_sets;
};

/*
 * keepalived's line at the virtual server's keyword. These are what 2.2.7 corrects and
 * logs when it loads; its -t fails on them (a mistake), except where sev says.
 */
static void __attribute__((format(printf, 4, 5)))
vs_report(struct fin *f, const struct cc_vs *vs, enum cfg_sev sev, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_report_at(f->c, sev, vs->v.file, vs->v.line, vs->col, "%s", msg);
}

#define MISTAKE(vs, ...) vs_report(f, vs, CFG_SEV_MISTAKE, __VA_ARGS__)

static void set_str(struct vs_conf *v)
{
	free(v->str);
	v->str = cc_vs_str(v);
}

static const char *rs_str(const struct vs_conf *v, const struct cc_rs *rs, char *buf)
{
	return ck_rs_str(v, &rs->r.addr, rs->r.port, buf, CK_RS_STR_LEN);
}

/* keepalived's "Checker link local address %s requires a bind_if" */
static void ck_report_ll(struct fin *f, const struct cc_ck *k, const char *addr)
{
	cfg_report_at(f->c, CFG_SEV_MISTAKE, k->c.file, k->c.line, k->col,
		      "Checker link local address %s requires a bind_if", addr);
}

/* --- scripts --- */

static bool default_user(struct fin *f, const struct cc_cmd *cmd, uid_t *uid, gid_t *gid)
{
	const char *su = f->gd ? global_defs_script_user(f->gd) : NULL;

	if (!f->dflt) {
		if (su)
			f->dflt = userdb_lookup(su, global_defs_script_group(f->gd), &f->dflt_uid,
						&f->dflt_gid) == USERDB_OK ? 1 : -1;
		else if (process_default_user(&f->dflt_uid, &f->dflt_gid))
			f->dflt = 1;
		else {
			/* keepalived runs them as root then (with script security: not at all) */
			f->dflt = -1;
			f->dflt_uid = getuid();
			f->dflt_gid = getgid();
			if (!f->gd || !global_defs_script_security(f->gd))
				f->dflt = 2;
			else
				cfg_report_at(f->c, CFG_SEV_MISTAKE, cmd->file, cmd->line, cmd->col,
					      "Unable to set default user %s for script",
					      PROCESS_DEFAULT_USER);
		}
	}
	*uid = f->dflt_uid;
	*gid = f->dflt_gid;
	return f->dflt > 0;
}

/*
 * The command with the user it runs as; NULL when it cannot run as anyone (an unknown
 * user is reported where it is written). Its path is checked when the checker loads it
 * (process_cmd_prepare(), the runtime's), and under -t by check_config_test().
 */
static struct process_cmd *make_cmd(struct fin *f, struct cc_cmd *cmd, struct ck_script_user *as,
				    bool misc)
{
	struct process_cmd *pc;
	uid_t uid;
	gid_t gid;

	if (!cmd->cmdline)
		return NULL;
	if (cmd->as.user) {
		if (userdb_lookup(cmd->as.user, cmd->as.group, &uid, &gid) != USERDB_OK)
			return NULL;
	} else if (!default_user(f, cmd, &uid, &gid)) {
		/* script_user unknown, or no keepalived_script under enable_script_security */
		if (misc)
			cfg_report_at(f->c, CFG_SEV_MISTAKE, cmd->file, cmd->line, cmd->col,
				      "Unable to set default user for misc script '%s' - removing",
				      cmd->cmdline);
		else
			cfg_report_at(f->c, CFG_SEV_WARNING, cmd->file, cmd->line, cmd->col,
				      "Failed to set default user for notify script %s - ignoring",
				      cmd->cmdline);
		return NULL;
	}
	if (process_cmd_new(cmd->cmdline, uid, gid, &pc, NULL) < 0) {
		cfg_report_at(f->c, CFG_SEV_ERROR, cmd->file, cmd->line, cmd->col,
			      "cannot split the command '%s' into words", cmd->cmdline);
		return NULL;
	}
	*as = cmd->as;
	cmd->as.user = cmd->as.group = NULL;
	/* one that is not there is dropped when it loads: it does not count for the summary */
	if (!f->script_file && (!strchr(pc->argv[0], '/') || !access(pc->argv[0], F_OK))) {
		f->script_file = cmd->file;
		f->script_line = cmd->line;
		f->script_col = cmd->col;
	}
	f->cc->pub.has_scripts = true;
	return pc;
}

/* --- checkers --- */

static void set_sockaddr(union ck_sockaddr *ss, const struct inet_addr *a, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = a->v4;
		sin->sin_port = htons(port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->v6;
		sin6->sin6_port = htons(port);
	}
}

static unsigned default_retry(enum ck_type t)
{
	return t == CK_DNS ? 3 : t == CK_MISC ? 0 : 1;
}

/*
 * The effective timing of checker k (spec 1.1): its own keyword, else its real
 * server's, else its virtual server's, else the type's default.
 */
static void ck_timing(struct ck_conf *out, const struct cc_ck *k, const struct cc_rs *rs,
		      const struct cc_vs *vs, bool rs_alpha)
{
	const struct cc_timing *kt = &k->t, *rt = &rs->t, *vt = &vs->t;

	out->alpha = kt->alpha >= 0 ? kt->alpha : rs_alpha;
	out->retry = kt->has_retry ? kt->retry : rt->has_retry ? rt->retry :
		     vt->has_retry ? vt->retry : default_retry(out->type);
	out->delay_loop_us = kt->has_delay_loop ? kt->delay_loop_us :
			     rt->has_delay_loop ? rt->delay_loop_us : vs->v.delay_loop_us;
	out->warmup_us = kt->has_warmup ? kt->warmup_us : rt->has_warmup ? rt->warmup_us :
			 vt->has_warmup ? vt->warmup_us : out->delay_loop_us;
	if (kt->has_dbr)
		out->delay_before_retry_us = kt->delay_before_retry_us;
	else if (rt->has_dbr)
		out->delay_before_retry_us = rt->delay_before_retry_us;
	else if (vt->has_dbr)
		out->delay_before_retry_us = vt->delay_before_retry_us;
	else if (out->type == CK_HTTP || out->type == CK_SSL)
		out->delay_before_retry_us = 3 * S_US;
	else if (out->type == CK_DNS)
		out->delay_before_retry_us = out->delay_loop_us;
	else
		out->delay_before_retry_us = 1 * S_US;
	out->conn.connect_timeout_us = k->has_connect_timeout ? k->connect_timeout_us :
				       rt->has_connect_timeout ? rt->connect_timeout_us :
				       vt->has_connect_timeout ? vt->connect_timeout_us :
				       VS_CONNECT_TIMEOUT_DEFAULT_US;
}

static bool is_net(enum ck_type t)
{
	return t != CK_MISC && t != CK_FILE && t != CK_BFD;
}

/* conn of k (a host block: its own keywords) towards the real server; false: dropped */
static bool ck_conn(struct fin *f, struct ck_conf *out, const struct cc_ck *k,
		    const struct cc_rs *rs)
{
	const struct inet_addr *dst = k->has_dst_addr ? &k->dst_addr : &rs->r.addr;
	uint16_t port = k->dst_port ? k->dst_port : rs->r.port;
	char buf[INET6_ADDRSTRLEN];

	/* the real server's own address and port are left 0 (struct ck_conn) */
	if (port == rs->r.port)
		port = 0;
	if (dst->family == rs->r.addr.family && inet_addr_eq(dst, &rs->r.addr)) {
		memset(&out->conn.dst, 0, sizeof(out->conn.dst));
		out->conn.dst.in.sin_port = htons(port);
	} else {
		set_sockaddr(&out->conn.dst, dst, port);
	}
	if (k->has_src_addr)
		set_sockaddr(&out->conn.src, &k->src_addr, k->src_port);
	memcpy(out->conn.bind_if, k->c.conn.bind_if, sizeof(out->conn.bind_if));
	out->conn.fwmark = k->c.conn.fwmark;
	if (dst->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&dst->v6) && !out->conn.bind_if[0]) {
		ck_report_ll(f, k, inet_addr_str(dst, buf, sizeof(buf)));
		return false;
	}
	return true;
}

/*
 * Moves k's data into out (k keeps none of it) and resolves it; conn: the block with the
 * connection keywords (k, or one of its SMTP host blocks). false: dropped.
 */
static bool ck_resolve(struct fin *f, struct ck_conf *out, struct cc_ck *k,
		       const struct cc_ck *conn, const struct cc_rs *rs, const struct cc_vs *vs,
		       bool rs_alpha)
{
	*out = k->c;
	memset(&k->c.u, 0, sizeof(k->c.u));
	ck_timing(out, k, rs, vs, rs_alpha);
	if (is_net(out->type) && !ck_conn(f, out, conn, rs))
		return false;
	switch (out->type) {
	case CK_HTTP:
	case CK_SSL: {
		struct ck_http *h = &out->u.http;
		/* Host: the url's, else the checker's, else the RS's, else the VS's */
		const char *vh = h->virtualhost ? NULL : rs->r.virtualhost ? rs->r.virtualhost :
				 vs->v.virtualhost;
		/* SNI: sni_name, else the checker's, else the VS's (never the RS's) */
		const char *sni = k->sni_name ? k->sni_name : h->virtualhost ? h->virtualhost :
				  vs->v.virtualhost;

		if (sni)
			h->sni_virtualhost = xstrdup(sni);
		if (vh)
			h->virtualhost = xstrdup(vh);
		break;
	}
	case CK_SMTP:
		if (!out->u.smtp.helo_name)
			out->u.smtp.helo_name = xstrdup(SMTP_HELO_DEFAULT);
		break;
	case CK_DNS:
		if (!out->u.dns.qtype)
			out->u.dns.qtype = 6;	/* SOA */
		if (!out->u.dns.name)
			out->u.dns.name = xstrdup(".");
		break;
	case CK_UDP:
		if (!out->u.udp.payload) {
			out->u.udp.payload = xmalloc(UDP_PAYLOAD_LEN);
			for (size_t i = 0; i < UDP_PAYLOAD_LEN; i++)
				out->u.udp.payload[i] =
					(uint8_t)UDP_PAYLOAD_TEXT[i % (sizeof(UDP_PAYLOAD_TEXT) - 1)];
			out->u.udp.payload_len = UDP_PAYLOAD_LEN;
		}
		break;
	case CK_MISC:
		out->u.misc.cmd = make_cmd(f, &k->misc, &out->u.misc.as, true);
		/* keepalived removes a MISC_CHECK whose script cannot run as anyone */
		if (!out->u.misc.cmd)
			return false;
		if (!k->has_misc_timeout)
			out->u.misc.timeout_us = vs->v.delay_loop_us;
		break;
	default:
		break;
	}
	return true;
}

static void add_ck(struct rs_conf *r, const struct ck_conf *ck)
{
	r->checkers = xrealloc(r->checkers, (r->n_checkers + 1) * sizeof(*r->checkers));
	r->checkers[r->n_checkers++] = *ck;
}

static void resolve_into(struct fin *f, struct rs_conf *r, struct cc_ck *k,
			 const struct cc_ck *conn, struct cc_rs *rs, const struct cc_vs *vs)
{
	struct ck_conf out;

	if (ck_resolve(f, &out, k, conn, rs, vs, r->alpha))
		add_ck(r, &out);
	else
		cc_ck_conf_free(&out);
}

/* --- checker arrays shared by real servers whose lists are equal --- */

/* MISC_CHECK's file and line are used (-t), FILE_CHECK and BFD_CHECK are not worth it */
static bool ck_set_shareable(const struct ck_conf *ck, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (ck[i].type == CK_MISC || ck[i].type == CK_FILE || ck[i].type == CK_BFD)
			return false;
	return n > 0;
}

static uint32_t fnv(uint32_t h, const void *data, size_t len)
{
	const uint8_t *b = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* over fields ck_conf_same() compares (equal sets hash equal) */
static uint32_t ck_set_hash(const struct ck_conf *ck, unsigned n)
{
	uint32_t h = fnv(2166136261u, &n, sizeof(n));

	for (unsigned i = 0; i < n; i++) {
		const struct ck_conn *co = &ck[i].conn;

		h = fnv(h, &ck[i].type, sizeof(ck[i].type));
		h = fnv(h, &ck[i].retry, sizeof(ck[i].retry));
		h = fnv(h, &ck[i].delay_loop_us, sizeof(ck[i].delay_loop_us));
		h = fnv(h, &co->connect_timeout_us, sizeof(co->connect_timeout_us));
		h = fnv(h, &co->dst.ss_family, sizeof(co->dst.ss_family));
		h = fnv(h, &co->dst.in.sin_port, sizeof(co->dst.in.sin_port));
		if (co->dst.ss_family == AF_INET)
			h = fnv(h, &co->dst.in.sin_addr, sizeof(co->dst.in.sin_addr));
		else if (co->dst.ss_family == AF_INET6)
			h = fnv(h, &co->dst.in6.sin6_addr, sizeof(co->dst.in6.sin6_addr));
	}
	return h;
}

static bool ck_set_eq(const struct cc_ck_set *a, const struct ck_conf *ck, unsigned n)
{
	if (a->n != n)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (!ck_conf_same(&a->ck[i], &ck[i]))
			return false;
	return true;
}

static unsigned *ck_tab_slot(struct fin *f, const struct ck_conf *ck, unsigned n, uint32_t h)
{
	unsigned i = h % f->n_ck_tab;

	for (; f->ck_tab[i]; i = (i + 1) % f->n_ck_tab)
		if (ck_set_eq(&f->cc->ck_sets[f->ck_tab[i] - 1], ck, n))
			break;
	return &f->ck_tab[i];
}

static void ck_tab_grow(struct fin *f)
{
	unsigned *old = f->ck_tab, n_old = f->n_ck_tab;

	f->n_ck_tab = n_old ? 2 * n_old + 1 : 63;
	f->ck_tab = xcalloc(f->n_ck_tab, sizeof(*f->ck_tab));
	for (unsigned i = 0; i < n_old; i++) {
		const struct cc_ck_set *set;

		if (!old[i])
			continue;
		set = &f->cc->ck_sets[old[i] - 1];
		*ck_tab_slot(f, set->ck, set->n, ck_set_hash(set->ck, set->n)) = old[i];
	}
	free(old);
}

/*
 * r's checkers become the check_conf's: an equal array already kept replaces them
 * (one copy for thousands of real servers with the same checker block), else they are
 * kept. They differ in file and line only, which nothing reads for these types.
 */
static void ck_set_intern(struct fin *f, struct rs_conf *r)
{
	struct cc_conf *cc = f->cc;
	unsigned *slot = NULL;

	if (!r->checkers)
		return;
	if (ck_set_shareable(r->checkers, r->n_checkers)) {
		if (2 * (f->n_ck_tab_used + 1) > f->n_ck_tab)
			ck_tab_grow(f);
		slot = ck_tab_slot(f, r->checkers, r->n_checkers,
				   ck_set_hash(r->checkers, r->n_checkers));
		if (*slot) {
			for (unsigned i = 0; i < r->n_checkers; i++)
				cc_ck_conf_free(&r->checkers[i]);
			free(r->checkers);
			r->checkers = cc->ck_sets[*slot - 1].ck;
			return;
		}
	}
	if (cc->n_ck_sets == f->cap_ck_sets) {
		f->cap_ck_sets = f->cap_ck_sets ? 2 * f->cap_ck_sets : 16;
		cc->ck_sets = xrealloc(cc->ck_sets, f->cap_ck_sets * sizeof(*cc->ck_sets));
	}
	cc->ck_sets[cc->n_ck_sets++] = (struct cc_ck_set){ r->checkers, r->n_checkers };
	if (slot) {
		*slot = cc->n_ck_sets;
		f->n_ck_tab_used++;
	}
}

/* the checkers of rs into r (r's other fields resolved already) */
static void rs_checkers(struct fin *f, struct rs_conf *r, struct cc_rs *rs, const struct cc_vs *vs)
{
	for (unsigned i = 0; i < rs->n_cks; i++) {
		struct cc_ck *k = rs->cks[i];
		/* SMTP: with host blocks and no connection keyword of its own, the first host
		 * takes the checker's place (keepalived's WITH_HOST_ENTRIES) */
		bool own = !(k->c.type == CK_SMTP && k->n_hosts && !k->has_conn_kw);
		char *helo = k->c.type == CK_SMTP && k->c.u.smtp.helo_name ?
			     xstrdup(k->c.u.smtp.helo_name) : NULL;

		if (k->dropped) {
			free(helo);
			continue;
		}
		if (own)
			resolve_into(f, r, k, k, rs, vs);
		for (unsigned h = 0; h < k->n_hosts; h++) {
			const struct cc_ck *host = k->hosts[h];
			struct cc_ck tmp = *k;

			/* a copy of the checker, with the host's connection and connect_timeout */
			tmp.c.u.smtp.helo_name = helo ? xstrdup(helo) : NULL;
			tmp.c.file = host->c.file;
			tmp.c.line = host->c.line;
			tmp.col = host->col;
			tmp.has_connect_timeout = host->has_connect_timeout;
			tmp.connect_timeout_us = host->connect_timeout_us;
			resolve_into(f, r, &tmp, host, rs, vs);
		}
		free(helo);
	}
}

/* --- virtual servers --- */

void cc_free_rs_shell(struct cc_rs *rs)
{
	if (!rs)
		return;
	cc_cmd_free(&rs->notify_up);
	cc_cmd_free(&rs->notify_down);
	for (unsigned i = 0; i < rs->n_cks; i++)
		cc_ck_free(rs->cks[i]);
	free(rs->cks);
	cc_rs_conf_free(&rs->r);
	cc_tmp_free(rs);
}

static bool group_has(const struct vsg_conf *g, bool fwmark)
{
	for (unsigned i = 0; g && i < g->n_entries; i++)
		if (g->entries[i].is_fwmark == fwmark)
			return true;
	return false;
}

static const struct vsg_conf *find_group(const struct cc_conf *cc, const char *name)
{
	for (unsigned i = 0; i < cc->pub.n_vsg; i++)
		if (!strcmp(cc->pub.vsg[i].name, name))
			return &cc->pub.vsg[i];
	return NULL;
}

static bool rs_same(const struct cc_rs *a, const struct cc_rs *b)
{
	return a->r.port == b->r.port && inet_addr_eq(&a->r.addr, &b->r.addr);
}

/* FNV-1a of a real server's address and port: for the duplicate check of vs_resolve(). */
static uint32_t rs_hash(const struct cc_rs *rs)
{
	const struct inet_addr *a = &rs->r.addr;
	const unsigned char *p = a->family == AF_INET6 ? a->v6.s6_addr
						       : (const unsigned char *)&a->v4.s_addr;
	size_t n = a->family == AF_INET6 ? sizeof(a->v6.s6_addr) : sizeof(a->v4.s_addr);
	uint32_t h = 2166136261U ^ rs->r.port;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619U;
	return h;
}

/*
 * The real servers of a virtual server kept so far, found through an open-addressing set
 * (slot: index in vs->rs + 1, 0 empty): a scan of all of them for each made the parse
 * quadratic (10,000 real servers: 80% of the 0.15 s it took, and the checker child parses
 * it again).
 */
struct rs_set {
	unsigned cap, *slot;
};

static void rs_set_init(struct rs_set *set, unsigned n)
{
	set->cap = 16;
	while (set->cap < 2 * n)
		set->cap <<= 1;
	set->slot = xcalloc(set->cap, sizeof(*set->slot));
}

/* true if a server equal to rs[k] is in the set; else rs[k] is added */
static bool rs_set_seen(struct rs_set *set, struct cc_rs *const *rs, unsigned k)
{
	unsigned h = rs_hash(rs[k]) & (set->cap - 1);

	for (; set->slot[h]; h = (h + 1) & (set->cap - 1))
		if (rs_same(rs[set->slot[h] - 1], rs[k]))
			return true;
	set->slot[h] = k + 1;
	return false;
}

static const char *vsge_str(const struct vsg_entry *e, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (e->is_fwmark)
		snprintf(buf, len, "FWM %u", e->fwmark);
	else if (!inet_addr_eq(&e->first, &e->last))
		snprintf(buf, len, "%s-%s,%u", inet_addr_str(&e->first, a, sizeof(a)),
			 inet_addr_str(&e->last, b, sizeof(b)), e->port);
	else
		snprintf(buf, len, "%s,%u", inet_addr_str(&e->first, a, sizeof(a)), e->port);
	return buf;
}

/* The address family: keepalived's vs_end_handler, and a group's entries. */
static void vs_family(struct cc_vs *vs)
{
	struct vs_conf *v = &vs->v;

	if (v->kind == VS_ADDR) {
		v->af = v->addr.family;
		return;
	}
	v->af = vs->ip_family;
	for (unsigned i = 0; !v->af && v->group && i < v->group->n_entries; i++) {
		const struct vsg_entry *e = &v->group->entries[i];

		v->af = e->is_fwmark ? e->fwmark_af : e->first.family;
	}
	if (vs->sorry && vs->sorry->r.fwd.method != LVS_TUN && !v->af)
		v->af = vs->sorry->r.addr.family;
	for (unsigned i = 0; !v->af && i < vs->n_rs; i++)
		if (vs->rs[i]->r.fwd.method != LVS_TUN)
			v->af = vs->rs[i]->r.addr.family;
	if (v->af)
		return;
	/* every server is tunnelled: their family if they all agree, else IPv4 */
	v->af = vs->sorry ? vs->sorry->r.addr.family : vs->rs[0]->r.addr.family;
	for (unsigned i = 0; i < vs->n_rs; i++)
		if (vs->rs[i]->r.addr.family != v->af)
			v->af = AF_INET;
}

/*
 * Forwarding method, inheritance and port of one real (or the sorry) server, with
 * keepalived's corrections. fwd_said: the "no forwarding method" line is once per VS.
 */
static void rs_fwd(struct fin *f, struct cc_vs *vs, struct cc_rs *rs, bool *fwd_said)
{
	if (!rs->has_fwd) {
		if (!vs->has_fwd && !*fwd_said) {
			MISTAKE(vs, "Virtual server %s: no forwarding method set, setting default NAT",
				vs->v.str);
			*fwd_said = true;
		}
		rs->r.fwd = vs->v.fwd;
	}
}

/* A group's ports are not corrected, only said (in keepalived 2.2.7's order). */
static void group_ports(struct fin *f, struct cc_vs *vs)
{
	const struct vs_conf *v = &vs->v;
	const struct cc_rs *ss = vs->sorry;
	char buf[CK_RS_STR_LEN], eb[2 * INET6_ADDRSTRLEN + 16];
	bool ss_port = ss && ss->r.fwd.method != LVS_NAT && ss->r.port;

	if (group_has(v->group, true)) {
		for (unsigned i = 0; i < vs->n_rs; i++) {
			const struct cc_rs *rs = vs->rs[i];

			if (rs->r.fwd.method != LVS_NAT && rs->r.port)
				MISTAKE(vs, "WARNING - fwmark virtual server %s, real server %s has port "
					"specified - port will be ignored", v->str, rs_str(v, rs, buf));
		}
		if (ss_port)
			MISTAKE(vs, "WARNING - fwmark virtual server %s, sorry server has port "
				"specified - port will be ignored", v->str);
	}
	for (unsigned k = 0; k < v->group->n_entries; k++) {
		const struct vsg_entry *e = &v->group->entries[k];

		if (e->is_fwmark)
			continue;
		for (unsigned i = 0; i < vs->n_rs; i++) {
			const struct cc_rs *rs = vs->rs[i];

			if (rs->r.fwd.method != LVS_NAT && rs->r.port && rs->r.port != e->port)
				MISTAKE(vs, "virtual server %s:[%s] and real server %s ports don't match",
					v->str, vsge_str(e, eb, sizeof(eb)), rs_str(v, rs, buf));
		}
		if (ss_port && ss->r.port != e->port)
			MISTAKE(vs, "WARNING - virtual server %s, sorry server has port specified - "
				"port will be ignored", v->str);
	}
}

static void rs_port(struct fin *f, struct cc_vs *vs, struct cc_rs *rs, bool sorry)
{
	struct vs_conf *v = &vs->v;
	char buf[CK_RS_STR_LEN];

	if (rs->r.fwd.method == LVS_NAT) {
		if (v->kind == VS_ADDR && !rs->r.port)
			rs->r.port = v->port;
		return;
	}
	if (v->kind == VS_FWMARK) {
		if (rs->r.port) {
			if (sorry)
				MISTAKE(vs, "WARNING - virtual server %s, sorry server has port "
					"specified - clearing", v->str);
			else
				MISTAKE(vs, "WARNING - fwmark virtual server %s, real server %s has port "
					"specified - clearing", v->str, rs_str(v, rs, buf));
			rs->r.port = 0;
		}
	} else if (!rs->r.port) {
		rs->r.port = v->port;
	} else if (rs->r.port != v->port) {
		if (sorry)
			MISTAKE(vs, "WARNING - virtual server %s and sorry server ports don't match - "
				"resetting", v->str);
		else
			MISTAKE(vs, "WARNING - virtual server %s and real server %s ports don't match - "
				"resetting", v->str, rs_str(v, rs, buf));
		rs->r.port = v->port;
	}
}

/* the real server's effective settings (inheritance of spec 1.1) */
static void rs_inherit(struct fin *f, struct cc_vs *vs, struct cc_rs *rs)
{
	rs->r.alpha = rs->alpha >= 0 ? rs->alpha : vs->v.alpha;
	rs->r.inhibit = rs->inhibit >= 0 ? rs->inhibit : vs->v.inhibit;
	if (!rs->has_weight)
		rs->r.weight = (int)vs->weight;
	rs->r.smtp_alert = rs->smtp_alert >= 0 ? rs->smtp_alert :
			   f->smtp_alert >= 0 ? f->smtp_alert : true;
}

/* the quorum is at most the real servers' total weight, the hysteresis below the quorum */
static void quorum_fit(struct fin *f, struct cc_vs *vs, unsigned weight_sum)
{
	struct vs_conf *v = &vs->v;

	if (v->quorum > weight_sum) {
		MISTAKE(vs, "Warning - quorum %u for %s exceeds total weight of real servers %u, "
			"reducing quorum to %u", v->quorum, v->str, weight_sum, weight_sum);
		v->quorum = weight_sum;
	}
	if (v->hysteresis >= v->quorum) {
		/* 2.2.7 says quorum - 1 even when that wraps (quorum 0): 0 is kept then */
		MISTAKE(vs, "Virtual server %s: hysteresis %u >= quorum %u; setting hysteresis to %u",
			v->str, v->hysteresis, v->quorum, v->quorum - 1);
		v->hysteresis = v->quorum ? v->quorum - 1 : 0;
	}
}

/*
 * Removes the real servers equal to an earlier one (address and port) and takes their
 * weight off *weight_sum; true if any went.
 */
static bool rs_dedup_ports(struct fin *f, struct cc_vs *vs, unsigned *weight_sum)
{
	struct rs_set set;
	unsigned n = 0;
	char buf[CK_RS_STR_LEN];

	rs_set_init(&set, vs->n_rs);
	for (unsigned i = 0; i < vs->n_rs; i++) {
		struct cc_rs *rs = vs->rs[i];

		vs->rs[n] = rs;
		if (rs_set_seen(&set, vs->rs, n)) {
			MISTAKE(vs, "VS %s: real server %s is duplicated - removing second rs",
				vs->v.str, rs_str(&vs->v, rs, buf));
			*weight_sum -= (unsigned)rs->r.weight;
			cc_free_rs_shell(rs);
			continue;
		}
		n++;
	}
	free(set.slot);
	if (n == vs->n_rs)
		return false;
	vs->n_rs = n;
	return true;
}

/* false: the virtual server is ignored (keepalived's reason reported) */
static bool vs_resolve(struct fin *f, struct cc_vs *vs, unsigned group_index)
{
	struct vs_conf *v = &vs->v;
	bool addr_based, fwmark_based, fwd_said = false;
	unsigned weight_sum = 0, n = 0;
	char buf[CK_RS_STR_LEN], ab[INET6_ADDRSTRLEN];
	sa_family_t af;

	if (v->kind == VS_GROUP) {
		v->group = find_group(f->cc, v->group_name);
		v->group_index = group_index;
	}
	set_str(v);
	/*
	 * keepalived drops a server of another family as it reads it, unless its own
	 * lvs_method is TUN; the first other one sets the family of a fwmark/group service.
	 */
	af = v->kind == VS_ADDR ? v->addr.family : vs->ip_family;
	/* a group's first entry gives its family before any server does, as vs_family() */
	for (unsigned i = 0; !af && v->kind == VS_GROUP && v->group && i < v->group->n_entries; i++) {
		const struct vsg_entry *e = &v->group->entries[i];

		af = e->is_fwmark ? e->fwmark_af : e->first.family;
	}
	for (unsigned i = 0; i < vs->n_rs; i++) {
		struct cc_rs *rs = vs->rs[i];

		if (rs->has_fwd && rs->r.fwd.method == LVS_TUN)
			continue;
		if (!af) {
			af = rs->r.addr.family;
		} else if (af != rs->r.addr.family) {
			cfg_report_at(f->c, CFG_SEV_MISTAKE, rs->file, rs->line, rs->col,
				      "Address family of virtual server and real server %s don't "
				      "match - skipping real server.",
				      inet_addr_str(&rs->r.addr, ab, sizeof(ab)));
			cc_free_rs_shell(rs);
			vs->rs[i] = NULL;
		}
	}
	if (vs->sorry && !(vs->sorry->has_fwd && vs->sorry->r.fwd.method == LVS_TUN) && af &&
	    af != vs->sorry->r.addr.family) {
		cfg_report_at(f->c, CFG_SEV_MISTAKE, vs->sorry->file, vs->sorry->line,
			      vs->sorry->col, "Address family of virtual server and sorry server %s "
			      "don't match - skipping sorry server.",
			      inet_addr_str(&vs->sorry->r.addr, ab, sizeof(ab)));
		cc_free_rs_shell(vs->sorry);
		vs->sorry = NULL;
	}
	for (unsigned i = 0; i < vs->n_rs; i++)
		if (vs->rs[i])
			vs->rs[n++] = vs->rs[i];
	vs->n_rs = n;
	if (!vs->n_rs) {
		MISTAKE(vs, "Virtual server %s has no real servers - ignoring", v->str);
		return false;
	}
	if (v->kind == VS_GROUP && !v->group) {
		/* 2.2.7 says so when the checker starts; its -t passes */
		vs_report(f, vs, CFG_SEV_WARNING, "Virtual server group %s specified but not "
			  "configured - ignoring virtual server %s", v->group_name, v->str);
		return false;
	}
	fwmark_based = v->kind == VS_FWMARK || group_has(v->group, true);
	if (v->ha_suspend && fwmark_based) {
		MISTAKE(vs, "Virtual server %s: cannot use ha_suspend with fwmarks - clearing "
			"ha_suspend", v->str);
		v->ha_suspend = false;
	}
	addr_based = v->kind == VS_ADDR || group_has(v->group, false);
	if (addr_based) {
		if (!v->protocol) {
			MISTAKE(vs, "Virtual server %s: no protocol set - defaulting to UDP", v->str);
			v->protocol = IPPROTO_UDP;
			set_str(v);
		}
		if ((v->flags & IP_VS_SVC_F_ONEPACKET) && v->protocol != IPPROTO_UDP) {
			MISTAKE(vs, "Virtual server %s: one packet scheduling requires UDP - resetting",
				v->str);
			v->flags &= ~(uint32_t)IP_VS_SVC_F_ONEPACKET;
		}
		if (!v->persistence_timeout_s && v->kind == VS_ADDR && !v->port) {
			MISTAKE(vs, "Virtual server %s: zero port only valid for persistent services - "
				"setting", v->str);
			v->persistence_timeout_s = PERSISTENCE_DEFAULT_S;
		}
	}
	for (unsigned i = 0; !v->persistence_timeout_s && v->group && i < v->group->n_entries; i++) {
		if (!v->group->entries[i].is_fwmark && !v->group->entries[i].port) {
			MISTAKE(vs, "Virtual server %s: zero port only valid for persistent services - "
				"setting", v->str);
			v->persistence_timeout_s = PERSISTENCE_DEFAULT_S;
		}
	}
	if (v->protocol && !addr_based && fwmark_based) {
		MISTAKE(vs, "Warning: Virtual server %s: protocol specified for fwmark - protocol "
			"will be ignored", v->str);
		v->protocol = 0;
		set_str(v);
	}
	if (!vs->has_sched) {
		MISTAKE(vs, "Virtual server %s: no scheduler set, setting default 'wlc'", v->str);
		strcpy(v->sched, "wlc");
	}
	v->smtp_alert = vs->smtp_alert >= 0 ? vs->smtp_alert : f->smtp_alert > 0;
	if (v->persistence_timeout_s)
		v->flags |= IP_VS_SVC_F_PERSISTENT;
	v->delay_loop_us = vs->t.has_delay_loop ? vs->t.delay_loop_us : VS_DELAY_LOOP_DEFAULT_US;

	/* real servers: duplicates, method, inheritance, the sorry server's inhibit */
	struct rs_set set;

	rs_set_init(&set, vs->n_rs);
	n = 0;
	for (unsigned i = 0; i < vs->n_rs; i++) {
		struct cc_rs *rs = vs->rs[i];

		vs->rs[n] = rs;
		if (rs_set_seen(&set, vs->rs, n)) {
			MISTAKE(vs, "VS %s: real server %s is duplicated - removing second rs", v->str,
				rs_str(v, rs, buf));
			cc_free_rs_shell(rs);
			continue;
		}
		n++;
		rs_fwd(f, vs, rs, &fwd_said);
		rs_inherit(f, vs, rs);
		weight_sum += (unsigned)rs->r.weight;
		if (vs->sorry && rs_same(vs->sorry, rs)) {
			if (v->sorry_inhibit != rs->r.inhibit) {
				MISTAKE(vs, "Virtual server %s: real server %s matches sorry server, but "
					"inhibit setting differs, %sing on sorry server", v->str,
					rs_str(v, rs, buf), rs->r.inhibit ? "sett" : "clear");
				v->sorry_inhibit = rs->r.inhibit;
			}
		}
	}
	free(set.slot);
	vs->n_rs = n;
	if (vs->sorry) {
		rs_fwd(f, vs, vs->sorry, &fwd_said);
		vs->sorry->r.inhibit = v->sorry_inhibit;
		vs->sorry->r.weight = 1;	/* keepalived's, whatever the VS's weight */
		vs->sorry->r.alpha = false;
		vs->sorry->r.smtp_alert = false;
	}
	if (!vs->has_fwd)
		v->fwd.method = LVS_NAT;
	quorum_fit(f, vs, weight_sum);
	if (v->kind == VS_GROUP) {
		group_ports(f, vs);
	} else {
		for (unsigned i = 0; i < vs->n_rs; i++)
			rs_port(f, vs, vs->rs[i], false);
		if (vs->sorry)
			rs_port(f, vs, vs->sorry, true);
		/*
		 * Ports reset to the service's (DR/TUN) or cleared (fwmark) can make two real
		 * servers one: 2.2.7 keeps both in its list; the second goes here, with the
		 * duplicate line, and the quorum is fitted to what is left.
		 */
		if (rs_dedup_ports(f, vs, &weight_sum))
			quorum_fit(f, vs, weight_sum);
	}
	vs_family(vs);
	return true;
}

void cc_free_parse(struct cc_conf *cc)
{
	for (unsigned i = 0; i < cc->n_vs; i++) {
		struct cc_vs *vs = cc->vs[i];

		cc_cmd_free(&vs->quorum_up);
		cc_cmd_free(&vs->quorum_down);
		for (unsigned k = 0; k < vs->n_rs; k++)
			cc_free_rs_shell(vs->rs[k]);
		free(vs->rs);
		cc_free_rs_shell(vs->sorry);
		cc_vs_conf_free(&vs->v);
		free(vs);
	}
	free(cc->vs);
	cc->vs = NULL;
	cc->n_vs = 0;
}

int cc_finish(struct cfg *c, struct cc_conf *cc)
{
	struct fin f = { .c = c, .cc = cc, .smtp_alert = -1 };
	struct check_conf *pub = &cc->pub;

	if (cc->finished)
		return 0;
	cc->finished = true;
	f.gd = cfg_root_obj(c, global_defs_root_kws);
	if (f.gd)
		f.smtp_alert = global_defs_smtp_alert_checker(f.gd);
	pub->vs = xcalloc(cc->n_vs ? cc->n_vs : 1, sizeof(*pub->vs));
	for (unsigned i = 0; i < cc->n_vs; i++) {
		struct cc_vs *vs = cc->vs[i];
		struct vs_conf *out;
		unsigned gi = 0;

		if (vs->v.kind == VS_GROUP)
			for (unsigned k = 0; k < pub->n_vs; k++)
				gi += pub->vs[k].kind == VS_GROUP &&
				      !strcmp(pub->vs[k].group_name, vs->v.group_name);
		if (!vs_resolve(&f, vs, gi))
			continue;
		/* scripts and checkers, resolved in place, then moved into the public arrays */
		for (unsigned k = 0; k < vs->n_rs; k++) {
			struct cc_rs *rs = vs->rs[k];

			if (rs->notify_up.cmdline || rs->notify_down.cmdline) {
				struct rs_scripts *sc = xcalloc(1, sizeof(*sc));

				sc->notify_up = make_cmd(&f, &rs->notify_up, &sc->notify_up_as,
							 false);
				sc->notify_down = make_cmd(&f, &rs->notify_down,
							   &sc->notify_down_as, false);
				sc->file = rs->file;
				sc->line = rs->line;
				rs->r.scripts = sc;
			}
			rs_checkers(&f, &rs->r, rs, vs);
			ck_set_intern(&f, &rs->r);
		}
		vs->v.quorum_up = make_cmd(&f, &vs->quorum_up, &vs->v.quorum_up_as, false);
		vs->v.quorum_down = make_cmd(&f, &vs->quorum_down, &vs->v.quorum_down_as, false);
		out = &pub->vs[pub->n_vs++];
		*out = vs->v;
		memset(&vs->v, 0, sizeof(vs->v));
		out->rs = xcalloc(vs->n_rs, sizeof(*out->rs));
		for (unsigned k = 0; k < vs->n_rs; k++) {
			out->rs[out->n_rs++] = vs->rs[k]->r;
			memset(&vs->rs[k]->r, 0, sizeof(vs->rs[k]->r));
		}
		if (vs->sorry) {
			out->sorry = xcalloc(1, sizeof(*out->sorry));
			*out->sorry = vs->sorry->r;
			memset(&vs->sorry->r, 0, sizeof(vs->sorry->r));
		}
	}
	if (f.script_file && f.gd && !global_defs_script_security(f.gd) && !cfg_config_test(c))
		cfg_report_at(c, CFG_SEV_WARNING, f.script_file, f.script_line, f.script_col,
			      "SECURITY VIOLATION - check scripts are being executed but "
			      "script_security not enabled.");
	free(f.ck_tab);
	if (cc->n_ck_sets < f.cap_ck_sets)
		cc->ck_sets = xrealloc(cc->ck_sets, (cc->n_ck_sets ? cc->n_ck_sets : 1) *
				       sizeof(*cc->ck_sets));
	cc_free_parse(cc);
	return 0;
}
