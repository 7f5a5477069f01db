// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/check/check_daemon.c: the health-checker child's start, reload and stop (spec 0, 1.11, 1.12). */
#include "check_daemon.h"

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "check_api.h"
#include "check_data.h"
#include "check_engine.h"
#include "check_fifo.h"
#include "check_file.h"
#include "check_metrics.h"
#include "check_ping.h"
#include "check_ssl.h"
#include "core/child.h"
#include "core/global_defs.h"
#include "core/reflector.h"
#include "core/smtp_alert.h"
#include "core/track_file.h"
#include "core/ipvs.h"
#include "log.h"
#include "process.h"

/* keepalived runs notify/quorum scripts at shutdown with a 1 s limit */
#define SHUTDOWN_SCRIPT_US 1000000ULL

/*
 * A notify or quorum script while it runs: a reload or the stop SIGTERMs those still
 * running (as 2.2.7 does to all its scripts); the stop waits for the shutdown ones
 * (omega's), each limited to 1 s.
 */
struct script_run {
	struct process_run run;
	struct check_ctx *ctx;
	struct script_run *next;
	bool shutdown;
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
	bool syncd_running;		/* lvs_sync_daemon without an instance: ours to stop */
	struct reflector *refl;		/* local addresses, for ha_suspend; NULL: none */
	bool stopping;
	struct script_run *scripts;	/* running notify/quorum scripts */
	/* notify FIFOs (check_fifo.c) */
	struct check_fifo *fifo;
};

/* check_conf.c's object is check_data.h's model (read-only after finish). */
static const struct check_conf *conf_of(const void *conf)
{
	return conf;
}

/* --- notify and quorum scripts --- */

static bool any_shutdown_script(const struct check_ctx *ctx)
{
	for (const struct script_run *sr = ctx->scripts; sr; sr = sr->next)
		if (sr->shutdown)
			return true;
	return false;
}

static void script_done(void *arg, const struct process_result *res)
{
	struct script_run *sr = arg, **pp;
	struct check_ctx *ctx = sr->ctx;

	(void)res;
	for (pp = &ctx->scripts; *pp; pp = &(*pp)->next)
		if (*pp == sr) {
			*pp = sr->next;
			break;
		}
	free(sr);
	if (ctx->stopping && !any_shutdown_script(ctx))
		ka_child_stopped(ctx->ch);
}

/* SIGTERM to every running script (no callback runs; the loop reaps them) */
static void scripts_cancel(struct check_ctx *ctx)
{
	struct script_run *sr, *next;

	for (sr = ctx->scripts; sr; sr = next) {
		next = sr->next;
		process_run_cancel(&sr->run);
		free(sr);
	}
	ctx->scripts = NULL;
}

/* exactly the configured command line: 2.2.7 adds no arguments to these scripts */
static void run_script(struct check_ctx *ctx, const struct process_cmd *cmd, bool shutdown)
{
	struct script_run *sr;
	int r;

	if (!cmd || !process_cmd_runnable(cmd))
		return;
	sr = xcalloc(1, sizeof(*sr));
	sr->ctx = ctx;
	sr->shutdown = shutdown;
	/* keepalived gives notify scripts no time limit, except at shutdown */
	r = process_run_start(ctx->s, &sr->run, cmd, NULL, shutdown ? SHUTDOWN_SCRIPT_US : 0,
			      script_done, sr);
	if (r < 0) {
		free(sr);
		log_warn("Cannot run %s: %s", cmd->cmdline, strerror(-r));
		return;
	}
	sr->next = ctx->scripts;
	ctx->scripts = sr;
}

static void rs_notify(void *arg, const struct vs_conf *vs, const struct rs_conf *rs, bool up,
		      bool shutdown)
{
	struct check_ctx *ctx = arg;
	char b[CK_RS_STR_LEN];

	run_script(arg, up ? rs_scripts(rs)->notify_up : rs_scripts(rs)->notify_down, shutdown);
	check_fifo_rs(ctx->fifo, ck_rs_str(vs, &rs->addr, rs->port, b, sizeof(b)), vs->str, up);
}

static void vs_notify(void *arg, const struct vs_conf *vs, bool up, bool shutdown)
{
	run_script(arg, up ? vs->quorum_up : vs->quorum_down, shutdown);
	check_fifo_vs(((struct check_ctx *)arg)->fifo, vs->str, up);
}

/* --- IPVS: open, timeouts, sync daemon --- */

/*
 * After each IPVS command: a start-up or reload programming thousands of servers runs
 * for longer than the parent's heartbeat limit (one netlink round trip each), so the
 * child beats while it works instead of being killed and respawned in a loop.
 */
static void ipvs_progress(void *arg)
{
	ka_child_heartbeat_poll(arg);
}

static void ipvs_hooks(struct check_ctx *ctx)
{
	ctx->b->progress = ipvs_progress;
	ctx->b->progress_arg = ctx->ch;
}

static void ipvs_open(struct check_ctx *ctx, bool reload)
{
	int r = ipvs_open_backend(reload, &ctx->rec, &ctx->b);

	if (ctx->b) {
		ipvs_hooks(ctx);
		return;
	}
	/*
	 * Deliberate difference: 2.2.7 exits FATAL here and the parent stops everything,
	 * VRRP included. We keep going: checks, notify and quorum scripts still run.
	 */
	if (r > 0 || ctx->no_ipvs_logged)
		return;
	ctx->no_ipvs_logged = true;
	log_err("IPVS: Can't initialize ipvs: %s", ipvs_strerror(IPVS_C__COUNT, -r));
	log_warn("IPVS is not available: health checks, notify and quorum scripts run; "
		 "nothing is programmed");
}

static void ipvs_close(struct check_ctx *ctx)
{
	if (ctx->b && ctx->b->close)
		ctx->b->close(ctx->b);
	ctx->b = NULL;
}

/* lvs_timeouts (layer 2 reads the kernel's values once and restores them) */
static void timeouts_apply(struct check_ctx *ctx)
{
	struct ipvs_timeouts t = {
		.tcp_s = ctx->g.timeout_tcp_s,
		.tcpfin_s = ctx->g.timeout_tcpfin_s,
		.udp_s = ctx->g.timeout_udp_s,
	};

	if (!ctx->b)
		return;
	/* NULL: a reload without lvs_timeouts puts the kernel's back, as 2.2.7 */
	ipvs_set_timeouts(ctx->b, t.tcp_s || t.tcpfin_s || t.udp_s ? &t : NULL);
}

static void timeouts_restore(struct check_ctx *ctx)
{
	if (ctx->b)
		ipvs_restore_timeouts(ctx->b);
}

/* 2.2.7 stops both states with no configuration, errors ignored */
static void syncd_stop_both(struct check_ctx *ctx)
{
	for (int state = 1; state <= 2; state++) {
		struct ipvs_daemon d = { .state = state };

		ipvs_sync_stop(ctx->b, &d, true);
	}
}

static void syncd_stop(struct check_ctx *ctx)
{
	if (!ctx->syncd_running)
		return;
	if (ctx->b)
		syncd_stop_both(ctx);
	ctx->syncd_running = false;
}

/* lvs_sync_daemon without a VRRP instance: the checker runs master and backup (spec 4.5) */
static void syncd_start(struct check_ctx *ctx)
{
	const struct gd_check *g = &ctx->g;
	struct ipvs_daemon d = { 0 };

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
	syncd_stop_both(ctx);
	for (int state = 1; state <= 2; state++) {	/* IP_VS_STATE_MASTER, BACKUP */
		d.state = state;
		ipvs_sync_start(ctx->b, &d, false);
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

static bool any_ha_suspend(const struct check_conf *cc)
{
	for (unsigned v = 0; v < cc->n_vs; v++)
		if (cc->vs[v].ha_suspend)
			return true;
	return false;
}

/* keepalived's checker watches addresses only when some VS has ha_suspend */
static void ha_addr_cb(void *arg, const struct reflector_if *ifp, const struct reflector_addr *a,
		       bool added)
{
	struct check_ctx *ctx = arg;
	char buf[INET6_ADDRSTRLEN];

	(void)ifp;
	log_detail("Netlink reflector reports IP %s %s", inet_addr_str(&a->addr, buf, sizeof(buf)),
		   added ? "added" : "removed");
	if (ctx->e)
		ce_address(ctx->e, &a->addr, added);
}

static bool ha_is_used(void *arg, const struct reflector_if *ifp)
{
	(void)arg;
	(void)ifp;
	return false;		/* no interface lines from the checker */
}

/*
 * The engine counts, per VS, its addresses on local interfaces (ce_address()); the
 * runtime starts a VS with none suspended, and the reflector's events then activate
 * and suspend it. At start (and when a reload brings the first ha_suspend) the
 * addresses present now are fed in; a reload otherwise carries the counts over.
 */
static void ha_suspend_start(struct check_ctx *ctx, const struct check_conf *cc)
{
	static const struct reflector_cbs cbs = { .addr_cb = ha_addr_cb, .is_used = ha_is_used };
	struct reflector_cbs c = cbs;
	int r;

	if (ctx->refl || !any_ha_suspend(cc))
		return;
	c.arg = ctx;
	r = reflector_new(&ctx->refl, ctx->s, &c);
	if (r < 0) {
		log_err("ha_suspend: cannot watch the local addresses: %s", strerror(-r));
		return;
	}
	for (const struct reflector_if *i = reflector_if_next(ctx->refl, NULL); i;
	     i = reflector_if_next(ctx->refl, i))
		for (const struct reflector_addr *a = reflector_addr_next(ctx->refl, i->ifindex, NULL);
		     a; a = reflector_addr_next(ctx->refl, i->ifindex, a))
			ce_address(ctx->e, &a->addr, true);
}

/*
 * The config leaves scripts unprepared: the PATH search, access and script-security
 * checks (with keepalived's lines) are made when the checker loads them. A MISC_CHECK
 * whose script cannot run is then dropped by its driver; a notify script is skipped.
 */
static void prepare_cmd(struct process_cmd *cmd, bool security)
{
	if (cmd)
		process_cmd_prepare(cmd, security);
}

static void prepare_rs_scripts(const struct rs_conf *rs, bool security)
{
	prepare_cmd(rs_scripts(rs)->notify_up, security);
	prepare_cmd(rs_scripts(rs)->notify_down, security);
	for (unsigned c = 0; c < rs->n_checkers; c++)
		if (rs->checkers[c].type == CK_MISC)
			prepare_cmd(rs->checkers[c].u.misc.cmd, security);
}

static void prepare_scripts(const struct check_conf *cc, bool security)
{
	for (unsigned v = 0; v < cc->n_vs; v++) {
		const struct vs_conf *vs = &cc->vs[v];

		prepare_cmd(vs->quorum_up, security);
		prepare_cmd(vs->quorum_down, security);
		if (vs->sorry)
			prepare_rs_scripts(vs->sorry, security);
		for (unsigned r = 0; r < vs->n_rs; r++)
			prepare_rs_scripts(&vs->rs[r], security);
	}
}

/* --- start, reload, stop --- */

/* an SMTP alert of the engine (spec 5): one connection per mail, on the child's loop */
static void alert_send(void *arg, const char *subject, const char *body)
{
	struct check_ctx *ctx = arg;

	smtp_alert_send(ctx->s, ka_child_gd(ctx->ch), subject, body);
}

static void hooks_set(struct check_ctx *ctx)
{
	const struct global_defs *gd = ka_child_gd(ctx->ch);

	global_defs_check(gd, &ctx->g);
	ctx->hooks = (struct ce_hooks){
		.rs_notify = rs_notify,
		.vs_notify = vs_notify,
		.alert = alert_send,
		.arg = ctx,
		.router_id = global_defs_router_id(gd),
		.rs_init_notifies = ctx->g.rs_init_notifies,
		.no_checker_emails = ctx->g.no_checker_emails,
		.dont_release_ipvs = ka_child_opts(ctx->ch)->dont_release_ipvs,
		.flush_on_stop = ctx->g.flush_on_stop,
	};
}

/*
 * After a load: the parse's objects (freed at finish) and the old engine are holes
 * between the long-lived ones; give their pages back to the kernel (RssAnon). Measured,
 * 1,000 TCP_CHECKs: 450 KB of 1.4 MB of heap were free chunks.
 */
static void release_free_memory(void)
{
	malloc_trim(0);
}

/* SSL_GET's context (2.2.7: FATAL when it cannot be made). */
static int ssl_init(const struct check_conf *cc)
{
	if (!check_ssl_needed(cc))
		return 0;
	return check_ssl_init(&cc->ssl);
}

static int check_start(struct ka_child *ch)
{
	struct check_ctx *ctx = xcalloc(1, sizeof(*ctx));
	const struct check_conf *cc = conf_of(ka_child_conf(ch));

	/*
	 * Blocks of 8 KB and more (an HTTP fetch's buffers) in maps of their own, returned
	 * to the kernel when freed: 1,000 HTTP_GETs started together on a slow machine had
	 * hundreds of fetches in flight, and the heap kept the 3 MB they took (VM: RssAnon
	 * 4.3 MB against 1.2 MB once the start was over). Ended fetches are reused anyway
	 * (http_fetch.c), so the steady state makes few mmap calls.
	 */
	mallopt(M_MMAP_THRESHOLD, 8 * 1024);

	ctx->ch = ch;
	ctx->s = ka_child_sched(ch);
	ka_child_set_state(ch, ctx);
	srandom((unsigned)getpid() ^ (unsigned)time(NULL));
	hooks_set(ctx);
	/* spec 0, step by step */
	if (cc->n_vs)
		ipvs_open(ctx, false);
	timeouts_apply(ctx);
	syncd_start(ctx);
	raise_nofile(cc);
	if (ctx->g.flush && ctx->b)
		ipvs_flush(ctx->b);	/* layer 2 logs a failure */
	if (ssl_init(cc) < 0)
		return -EIO;
	prepare_scripts(cc, global_defs_script_security(ka_child_gd(ch)));
	/* init_file, then FILE_CHECK's state before the first table (2.2.7's order) */
	track_files_init(global_defs_track_files(ka_child_gd(ch)), false);
	ctx->fifo = check_fifo_open(ctx->s, ka_child_gd(ch),
				    global_defs_script_security(ka_child_gd(ch)));
	ctx->e = ce_new(cc, ctx->b, &ctx->hooks, NULL);
	check_file_initial(ctx->e);
	ce_start(ctx->e, NULL);
	ha_suspend_start(ctx, cc);
	ctx->rt = ck_runtime_start(ctx->s, ctx->e, ctx->g.log_all_failures);
	release_free_memory();
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
	/* probes cancelled; running MISC, notify and quorum scripts get SIGTERM */
	ck_runtime_stop(ctx->rt);
	ctx->rt = NULL;
	scripts_cancel(ctx);
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
	if (ctx->rec && ctx->b) {
		/* the recorder stands for the kernel: its table outlives the reload */
		log_debug("Reinitializing ipvs");
	} else {
		ipvs_close(ctx);
		if (cc->n_vs || ce_n_vs(ctx->e))
			ipvs_open(ctx, true);
	}
	timeouts_apply(ctx);
	if (syncd_changed) {
		syncd_start(ctx);
	}
	raise_nofile(cc);
	if (ssl_init(cc) < 0)
		return -EIO;
	prepare_scripts(cc, global_defs_script_security(ka_child_gd(ch)));
	track_files_init(global_defs_track_files(ka_child_gd(ch)), true);
	ctx->fifo = check_fifo_reload(ctx->fifo, ctx->s, ka_child_gd(ch),
				      global_defs_script_security(ka_child_gd(ch)));
	old = ctx->e;
	ctx->e = ce_new(cc, ctx->b, &ctx->hooks, old);
	ce_start(ctx->e, old);
	ce_free(old);
	ha_suspend_start(ctx, cc);
	ctx->rt = ck_runtime_start(ctx->s, ctx->e, ctx->g.log_all_failures);
	release_free_memory();
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
	scripts_cancel(ctx);
	/* -I / --dont-release-ipvs: the table stays as it is */
	if (ctx->e && !ctx->hooks.dont_release_ipvs)
		ce_shutdown(ctx->e);
	syncd_stop(ctx);
	timeouts_restore(ctx);
	check_ping_restore();
	/* omega's notify_down / quorum_down scripts have 1 s; wait for them */
	if (!any_shutdown_script(ctx))
		ka_child_stopped(ch);
}

static void check_free_state(void *state)
{
	struct check_ctx *ctx = state;

	ck_runtime_stop(ctx->rt);
	scripts_cancel(ctx);
	reflector_free(ctx->refl);
	ce_free(ctx->e);
	check_fifo_free(ctx->fifo);
	check_ssl_free();
	ipvs_close(ctx);
	if (ctx->rec)
		fclose(ctx->rec);
	free(ctx);
}

/*
 * The live status plane (core/ctl.h): each kind of request to its renderer, a part per
 * call (struct ka_module's ctl_render_part); one that renders all at once returns 0.
 */
static size_t check_ctl_render_part(const void *state, enum ka_ctl_req req, FILE *f,
				    size_t cursor)
{
	switch (req) {
	case KA_CTL_STATUS_TEXT:
	case KA_CTL_STATUS_JSON:
		return check_status_render_part(state, req, f, cursor);
	case KA_CTL_METRICS:	/* issue 15 item 3 */
		return check_metrics_render_part(state, f, cursor);
	}
	return 0;
}

void check_module_runtime(struct ka_module *m)
{
	m->start = check_start;
	m->reload = check_reload;
	m->stop = check_stop;
	m->free_state = check_free_state;
	m->dump_state = check_dump_state;
	m->ctl_render_part = check_ctl_render_part;
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
