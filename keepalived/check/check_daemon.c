// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_daemon.c: the health-checker child's start, reload and stop (spec 0, 1.11, 1.12). */
#include "check_daemon.h"

#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "check_api.h"
#include "check_data.h"
#include "check_engine.h"
#include "core/child.h"
#include "core/global_defs.h"
#include "ipvs.h"
#include "log.h"
#include "process.h"

/* Tests on a kernel without ip_vs: the IPVS commands go to this file as JSON lines. */
#define IPVS_RECORD_ENV "KEEPALIVED_IPVS_RECORD"
/* keepalived runs notify/quorum scripts at shutdown with a 1 s limit */
#define SHUTDOWN_SCRIPT_US 1000000ULL

/* A notify script run at shutdown: the stop waits for it (or its 1 s limit). */
struct stop_script {
	struct process_run run;
	struct check_ctx *ctx;
	struct stop_script *next;
};

struct check_ctx {
	struct ka_child *ch;
	struct sched *s;
	struct ipvs_backend *b;		/* NULL: no IPVS (nothing is programmed) */
	FILE *rec;			/* the recording backend's file */
	bool no_ipvs_logged;
	struct ce *e;
	struct ce_hooks hooks;
	struct ck_runtime *rt;
	struct gd_check g;
	/* what this child changed in the kernel and restores */
	struct ipvs_timeouts orig_timeouts;
	bool timeouts_saved;
	bool syncd_running;
	struct ipvs_daemon syncd[2];	/* master, backup */
	bool stopping;
	struct stop_script *stop_scripts;
};

/* check_conf.c's object is check_data.h's model (read-only after finish). */
static const struct check_conf *conf_of(const void *conf)
{
	return conf;
}

/* --- notify and quorum scripts --- */

static void stop_script_done(void *arg, const struct process_result *res)
{
	struct stop_script *ss = arg, **pp;
	struct check_ctx *ctx = ss->ctx;

	(void)res;
	for (pp = &ctx->stop_scripts; *pp; pp = &(*pp)->next)
		if (*pp == ss) {
			*pp = ss->next;
			break;
		}
	free(ss);
	if (ctx->stopping && !ctx->stop_scripts)
		ka_child_stopped(ctx->ch);
}

/* exactly the configured command line: 2.2.7 adds no arguments to these scripts */
static void run_script(struct check_ctx *ctx, const struct process_cmd *cmd, bool shutdown)
{
	int r;

	if (!cmd || !process_cmd_runnable(cmd))
		return;
	if (!shutdown) {
		r = process_spawn(ctx->s, cmd, NULL, NULL);
	} else {
		struct stop_script *ss = xcalloc(1, sizeof(*ss));

		ss->ctx = ctx;
		r = process_run_start(ctx->s, &ss->run, cmd, NULL, SHUTDOWN_SCRIPT_US, stop_script_done,
				      ss);
		if (r < 0) {
			free(ss);
		} else {
			ss->next = ctx->stop_scripts;
			ctx->stop_scripts = ss;
		}
	}
	if (r < 0)
		log_warn("Cannot run %s: %s", cmd->cmdline, strerror(-r));
}

static void rs_notify(void *arg, const struct vs_conf *vs, const struct rs_conf *rs, bool up,
		      bool shutdown)
{
	(void)vs;
	run_script(arg, up ? rs->notify_up : rs->notify_down, shutdown);
}

static void vs_notify(void *arg, const struct vs_conf *vs, bool up, bool shutdown)
{
	run_script(arg, up ? vs->quorum_up : vs->quorum_down, shutdown);
}

/* --- IPVS: open, timeouts, sync daemon --- */

static void ipvs_open(struct check_ctx *ctx, bool reload)
{
	const char *rec = getenv(IPVS_RECORD_ENV);
	int r;

	log_debug(reload ? "Reinitializing ipvs" : "Initializing ipvs");
	if (rec && *rec) {
		if (!ctx->rec) {
			ctx->rec = fopen(rec, "ae");
			if (!ctx->rec) {
				log_err("IPVS: cannot open the recording file %s: %s", rec,
					strerror(errno));
				return;
			}
			setvbuf(ctx->rec, NULL, _IOLBF, 0);
		}
		ctx->b = ipvs_rec_open(ctx->rec);
		return;
	}
	r = ipvs_nl_open(&ctx->b);
	if (r >= 0)
		return;
	ctx->b = NULL;
	/*
	 * Deliberate difference: 2.2.7 exits FATAL here and the parent stops everything,
	 * VRRP included. We keep going: checks, notify and quorum scripts still run.
	 */
	if (ctx->no_ipvs_logged)
		return;
	ctx->no_ipvs_logged = true;
	log_err("IPVS: Can't initialize ipvs: %s", strerror(-r));
	log_warn("IPVS is not available: health checks, notify and quorum scripts run; "
		 "nothing is programmed");
}

static void ipvs_close(struct check_ctx *ctx)
{
	if (ctx->b && ctx->b->close)
		ctx->b->close(ctx->b);
	ctx->b = NULL;
}

static void timeouts_restore(struct check_ctx *ctx)
{
	int r;

	if (!ctx->timeouts_saved || !ctx->b)
		return;
	r = ctx->b->set_timeouts(ctx->b, &ctx->orig_timeouts);
	if (r < 0)
		log_err("IPVS: cannot restore the connection timeouts: %s", strerror(-r));
	ctx->timeouts_saved = false;
}

static void timeouts_apply(struct check_ctx *ctx)
{
	struct ipvs_timeouts t = {
		.tcp_s = ctx->g.timeout_tcp_s,
		.tcpfin_s = ctx->g.timeout_tcpfin_s,
		.udp_s = ctx->g.timeout_udp_s,
	};
	int r;

	if (!ctx->b)
		return;
	if (!t.tcp_s && !t.tcpfin_s && !t.udp_s) {
		timeouts_restore(ctx);	/* a reload that dropped lvs_timeouts */
		return;
	}
	if (!ctx->timeouts_saved && ctx->b->get_timeouts) {
		r = ctx->b->get_timeouts(ctx->b, &ctx->orig_timeouts);
		ctx->timeouts_saved = r >= 0;
	}
	r = ctx->b->set_timeouts(ctx->b, &t);
	if (r < 0)
		log_err("IPVS: cannot set the connection timeouts: %s", strerror(-r));
}

static void syncd_stop(struct check_ctx *ctx)
{
	if (!ctx->syncd_running)
		return;
	if (ctx->b)
		for (int i = 0; i < 2; i++)
			ctx->b->daemon(ctx->b, IPVS_C_DEL_DAEMON, &ctx->syncd[i]);
	ctx->syncd_running = false;
}

/* lvs_sync_daemon without a VRRP instance: the checker runs master and backup (spec 4.5) */
static void syncd_start(struct check_ctx *ctx)
{
	const struct gd_check *g = &ctx->g;
	struct ipvs_daemon d = { 0 };
	int r;

	if (!g->syncd_if || g->syncd_inst || !ctx->b)
		return;
	snprintf(d.mcast_ifn, sizeof(d.mcast_ifn), "%s", g->syncd_if);
	d.syncid = g->syncd_id < 0 ? 0 : g->syncd_id;
	d.sync_maxlen = (uint16_t)g->syncd_maxlen;
	d.mcast_port = (uint16_t)g->syncd_port;
	d.mcast_ttl = (uint8_t)g->syncd_ttl;
	if (g->syncd_group.family) {
		d.mcast_af = g->syncd_group.family;
		if (d.mcast_af == AF_INET)
			d.mcast_group.v4 = g->syncd_group.v4;
		else
			d.mcast_group.v6 = g->syncd_group.v6;
	}
	for (int i = 0; i < 2; i++) {
		ctx->syncd[i] = d;
		ctx->syncd[i].state = i ? 2 : 1;	/* IP_VS_STATE_BACKUP, MASTER */
		/* keepalived stops any running one first */
		ctx->b->daemon(ctx->b, IPVS_C_DEL_DAEMON, &ctx->syncd[i]);
	}
	for (int i = 0; i < 2; i++) {
		r = ctx->b->daemon(ctx->b, IPVS_C_NEW_DAEMON, &ctx->syncd[i]);
		if (r < 0)
			log_err("IPVS: cannot start the %s sync daemon on %s: %s",
				i ? "backup" : "master", g->syncd_if, strerror(-r));
	}
	ctx->syncd_running = true;
}

/* 2.2.7: 17 + one per network checker + 10 (core/check_daemon.c's estimate) */
static void raise_nofile(const struct check_conf *cc)
{
	rlim_t want = 17 + 10;
	struct rlimit rl;

	for (unsigned v = 0; v < cc->n_vs; v++)
		for (unsigned r = 0; r < cc->vs[v].n_rs; r++)
			for (unsigned c = 0; c < cc->vs[v].rs[r].n_checkers; c++) {
				enum ck_type t = cc->vs[v].rs[r].checkers[c].type;

				want += t != CK_MISC && t != CK_FILE && t != CK_BFD;
			}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want;
	if (rl.rlim_max < want)
		rl.rlim_max = want;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		log_warn("Cannot raise the open file limit to %llu: %s", (unsigned long long)want,
			 strerror(errno));
}

/* --- ha_suspend: a VS's checkers run only while its address is local --- */

static bool addr_in_range(const struct inet_addr *a, const struct inet_addr *lo,
			  const struct inet_addr *hi)
{
	if (a->family != lo->family)
		return false;
	if (a->family == AF_INET)
		return ntohl(a->v4.s_addr) >= ntohl(lo->v4.s_addr) &&
		       ntohl(a->v4.s_addr) <= ntohl(hi->v4.s_addr);
	return memcmp(&a->v6, &lo->v6, sizeof(a->v6)) >= 0 &&
	       memcmp(&a->v6, &hi->v6, sizeof(a->v6)) <= 0;
}

static bool vs_has_addr(const struct vs_conf *vs, const struct inet_addr *a)
{
	if (vs->kind == VS_ADDR)
		return inet_addr_eq(&vs->addr, a);
	if (vs->kind != VS_GROUP || !vs->group)
		return false;
	/* deliberate difference: 2.2.7 never matched a group (its checkers stayed off) */
	for (unsigned i = 0; i < vs->group->n_entries; i++) {
		const struct vsg_entry *en = &vs->group->entries[i];

		if (!en->is_fwmark && addr_in_range(a, &en->first, &en->last))
			return true;
	}
	return false;
}

/* Before the checkers are registered: which ha_suspend VSs have their address now. */
static void ha_suspend_initial(struct ce *e)
{
	struct ifaddrs *ifa = NULL;
	bool any = false;

	for (unsigned v = 0; v < ce_n_vs(e); v++)
		any |= ce_vs_conf(ce_vs_at(e, v))->ha_suspend;
	if (!any)
		return;
	if (getifaddrs(&ifa) < 0) {
		log_warn("ha_suspend: cannot list the local addresses: %s", strerror(errno));
		return;
	}
	for (unsigned v = 0; v < ce_n_vs(e); v++) {
		struct ce_vs *vs = ce_vs_at(e, v);
		const struct vs_conf *vc = ce_vs_conf(vs);
		bool present = false;

		if (!vc->ha_suspend)
			continue;
		for (struct ifaddrs *i = ifa; i && !present; i = i->ifa_next) {
			struct inet_addr a = { 0 };

			if (!i->ifa_addr)
				continue;
			a.family = i->ifa_addr->sa_family;
			if (a.family == AF_INET)
				a.v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			else if (a.family == AF_INET6)
				a.v6 = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			else
				continue;
			present = vs_has_addr(vc, &a);
		}
		for (unsigned r = 0; r < ce_vs_n_rs(vs); r++)
			for (unsigned c = 0; c < ce_rs_n_ck(ce_rs_at(vs, r)); c++)
				ce_ck_at(ce_rs_at(vs, r), c)->enabled = present;
	}
	freeifaddrs(ifa);
}

/* --- start, reload, stop --- */

static void hooks_set(struct check_ctx *ctx)
{
	const struct global_defs *gd = ka_child_gd(ctx->ch);

	global_defs_check(gd, &ctx->g);
	ctx->hooks = (struct ce_hooks){
		.rs_notify = rs_notify,
		.vs_notify = vs_notify,
		/* TODO(issue 13, SMTP alerts): core/smtp_alert's sender once it lands */
		.alert = NULL,
		.arg = ctx,
		.router_id = global_defs_router_id(gd),
		.rs_init_notifies = ctx->g.rs_init_notifies,
		.no_checker_emails = ctx->g.no_checker_emails,
		.dont_release_ipvs = ka_child_opts(ctx->ch)->dont_release_ipvs,
		.flush_on_stop = ctx->g.flush_on_stop,
	};
}

static void syncd_inst_note(const struct check_ctx *ctx)
{
	if (ctx->g.syncd_if && ctx->g.syncd_inst)
		log_warn("lvs_sync_daemon %s follows VRRP instance %s: not acted on yet (the sync "
			 "daemon is not started)", ctx->g.syncd_if, ctx->g.syncd_inst);
}

/* SSL_GET's context (2.2.7: FATAL when it cannot be made). */
static int ssl_init(const struct check_conf *cc)
{
	(void)cc;
	/* TODO(issue 13, SSL_GET): call check_ssl_init(&cc->ssl) when check_ssl.c lands */
	return 0;
}

static int check_start(struct ka_child *ch)
{
	struct check_ctx *ctx = xcalloc(1, sizeof(*ctx));
	const struct check_conf *cc = conf_of(ka_child_conf(ch));

	ctx->ch = ch;
	ctx->s = ka_child_sched(ch);
	ka_child_set_state(ch, ctx);
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	hooks_set(ctx);
	/* spec 0, step by step */
	if (cc->n_vs)
		ipvs_open(ctx, false);
	timeouts_apply(ctx);
	syncd_inst_note(ctx);
	syncd_start(ctx);
	raise_nofile(cc);
	if (ctx->g.flush && ctx->b) {
		int r = ipvs_flush(ctx->b);

		if (r < 0)
			log_err("IPVS: cannot flush the table: %s", strerror(-r));
	}
	if (ssl_init(cc) < 0)
		return -EIO;
	ctx->e = ce_new(cc, ctx->b, &ctx->hooks, NULL);
	ha_suspend_initial(ctx->e);
	ce_start(ctx->e, NULL);
	ctx->rt = ck_runtime_start(ctx->s, ctx->e, ctx->g.log_all_failures);
	return 0;
}

static int check_reload(struct ka_child *ch, void *old_conf)
{
	struct check_ctx *ctx = ka_child_state(ch);
	const struct check_conf *cc = conf_of(ka_child_conf(ch));
	struct gd_check old_g = ctx->g;
	struct ce *old;
	bool syncd_changed;

	(void)old_conf;		/* the old engine reads it until ce_free() below */
	/* probes cancelled; running MISC scripts get SIGTERM (process_run_cancel) */
	ck_runtime_stop(ctx->rt);
	ctx->rt = NULL;
	hooks_set(ctx);
	syncd_changed = (old_g.syncd_if == NULL) != (ctx->g.syncd_if == NULL) ||
			(old_g.syncd_if && strcmp(old_g.syncd_if, ctx->g.syncd_if)) ||
			(old_g.syncd_inst == NULL) != (ctx->g.syncd_inst == NULL) ||
			old_g.syncd_id != ctx->g.syncd_id || old_g.syncd_port != ctx->g.syncd_port ||
			old_g.syncd_maxlen != ctx->g.syncd_maxlen || old_g.syncd_ttl != ctx->g.syncd_ttl ||
			!inet_addr_eq(&old_g.syncd_group, &ctx->g.syncd_group);
	if (syncd_changed)
		syncd_stop(ctx);
	/* 2.2.7 restores the timeouts and reopens its netlink socket on every reload */
	timeouts_restore(ctx);
	ipvs_close(ctx);
	if (cc->n_vs || ce_n_vs(ctx->e))
		ipvs_open(ctx, true);
	timeouts_apply(ctx);
	if (syncd_changed) {
		syncd_inst_note(ctx);
		syncd_start(ctx);
	}
	raise_nofile(cc);
	if (ssl_init(cc) < 0)
		return -EIO;
	old = ctx->e;
	ctx->e = ce_new(cc, ctx->b, &ctx->hooks, old);
	ha_suspend_initial(ctx->e);
	ce_start(ctx->e, old);
	ce_free(old);
	ctx->rt = ck_runtime_start(ctx->s, ctx->e, ctx->g.log_all_failures);
	return 0;
}

static void check_stop(struct ka_child *ch)
{
	struct check_ctx *ctx = ka_child_state(ch);

	if (!ctx) {
		ka_child_stopped(ch);
		return;
	}
	ctx->stopping = true;
	ck_runtime_stop(ctx->rt);
	ctx->rt = NULL;
	/* -I / --dont-release-ipvs: the table stays as it is */
	if (ctx->e && !ctx->hooks.dont_release_ipvs)
		ce_shutdown(ctx->e);
	syncd_stop(ctx);
	timeouts_restore(ctx);
	/* omega's notify_down / quorum_down scripts have 1 s; wait for them */
	if (!ctx->stop_scripts)
		ka_child_stopped(ch);
}

static void check_free_state(void *state)
{
	struct check_ctx *ctx = state;
	struct stop_script *ss, *next;

	ck_runtime_stop(ctx->rt);
	for (ss = ctx->stop_scripts; ss; ss = next) {
		next = ss->next;
		process_run_cancel(&ss->run);
		free(ss);
	}
	ce_free(ctx->e);
	ipvs_close(ctx);
	if (ctx->rec)
		fclose(ctx->rec);
	free(ctx);
}

void check_module_runtime(struct ka_module *m)
{
	m->start = check_start;
	m->reload = check_reload;
	m->stop = check_stop;
	m->free_state = check_free_state;
	m->dump_state = check_dump_state;
}

const struct ce *check_ctx_engine(const void *state)
{
	return ((const struct check_ctx *)state)->e;
}

const struct sched *check_ctx_sched(const void *state)
{
	return ((const struct check_ctx *)state)->s;
}

bool check_ctx_ipvs(const void *state)
{
	return ((const struct check_ctx *)state)->b != NULL;
}
