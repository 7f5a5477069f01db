// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_track.c: vrrp_script checks and tracked interfaces -> priority and FAULT. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/reflector.h"
#include "log.h"
#include "scheduler.h"
#include "vrrp_ctx.h"
#include "vrrp_sync.h"
#include "vrrp_static.h"
#include "vrrp_misc.h"
#include "vrrp_track.h"
#include "vrrp_trackers.h"

/* ---- vrrp_script ---- */

static void script_timer_cb(struct sched_ev *ev, void *arg);

static void script_changed(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_insts; i++)
		if (vc_more(ctx->insts[i]->conf)->n_track_scripts || ctx->insts[i]->sync)
			vrrp_inst_track_update(ctx->insts[i]);
}

/* One result: rise successes in a row make it good, fall failures in a row make it bad. */
static void script_result(struct vrrp_script_rt *sr, bool good, const struct process_result *res)
{
	const struct vc_script *c = sr->conf;
	bool was = sr->ok, was_known = sr->known;

	if (good) {
		sr->n_bad = 0;
		if (++sr->n_good >= c->rise) {
			sr->ok = true;
			sr->n_good = c->rise;
		}
	} else {
		sr->n_good = 0;
		if (++sr->n_bad >= c->fall) {
			sr->ok = false;
			sr->n_bad = c->fall;
		}
	}
	if (sr->ok != was || (!was_known && (sr->ok ? sr->n_good >= c->rise : sr->n_bad >= c->fall))) {
		sr->known = true;
		if (sr->ok)
			log_info("VRRP_Script(%s) succeeded", c->id.name);
		else if (res->timed_out)
			log_info("VRRP_Script(%s) timed_out", c->id.name);
		else if (WIFEXITED(res->status))
			log_info("VRRP_Script(%s) failed (exited with status %d)", c->id.name,
				 WEXITSTATUS(res->status));
		else if (WIFSIGNALED(res->status))
			log_info("VRRP_Script(%s) failed (due to signal %d)", c->id.name,
				 WTERMSIG(res->status));
		else
			log_info("VRRP_Script(%s) failed", c->id.name);
		/* the first result matters too: an unweighted script is a fault until then */
		script_changed(sr->ctx);
	}
}

static void script_done(void *arg, const struct process_result *res)
{
	struct vrrp_script_rt *sr = arg;
	bool exited = !res->timed_out && res->status >= 0 && WIFEXITED(res->status);
	int code = exited ? WEXITSTATUS(res->status) : -1;

	/* keepalived notes every change of exit code, before any state change */
	if (exited && code != sr->last_code && sr->last_code != -2 && code)
		log_info("Script `%s` now returning %d", sr->conf->id.name, code);
	sr->last_code = code;
	script_result(sr, exited && code == 0, res);
}

static void script_timer_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_script_rt *sr = arg;
	const struct vc_script *c = sr->conf;
	int r;

	sched_timer(sr->ctx->s, &sr->ev_timer, c->interval_us, script_timer_cb, sr);
	switch (process_run_state(&sr->run)) {
	case PROCESS_RUN_RUNNING:
		log_info("Track script %s is already running, expect idle - skipping run", c->id.name);
		return;
	case PROCESS_RUN_TIMING_OUT:
		log_info("Track script %s is being timed out, expect idle - skipping run", c->id.name);
		return;
	default:
		break;
	}
	r = process_run_start(sr->ctx->s, &sr->run, sr->cmd, NULL,
			      c->timeout_us ? c->timeout_us : c->interval_us, script_done, sr);
	if (r < 0 && r != -EBUSY) {
		struct process_result res = { .status = -1 };

		log_warn("VRRP_Script(%s) cannot be run: %s", c->id.name, strerror(-r));
		script_result(sr, false, &res);
	}
}

static void script_free(struct vrrp_script_rt *sr)
{
	if (!sr)
		return;
	sched_cancel(&sr->ev_timer);
	process_run_cancel(&sr->run);
	process_cmd_free(sr->cmd);
	free(sr);
}

/* keepalived: init_fail starts failed; otherwise the script counts as good */
static void script_fresh(struct vrrp_script_rt *sr)
{
	sr->ok = !sr->conf->init_fail;
	sr->known = false;
	sr->n_good = sr->n_bad = 0;
	sr->last_code = -2;
}

/*
 * (Re)prepares sr's command with the current script_user and enable_script_security.
 * A script that cannot run is not tracked either: keepalived removes it from the
 * instances that track it, which go on as if it were not there.
 */
static void script_prepare(struct vrrp_ctx *ctx, struct vrrp_script_rt *sr)
{
	const struct vc_script *c = sr->conf;

	process_cmd_free(sr->cmd);
	sr->cmd = vrrp_cmd_prepare(&ctx->cmds, c->script, c->user, c->group, c->id.name);
	sr->removed = !sr->cmd;
	sr->disabled = !sr->cmd || !process_cmd_runnable(sr->cmd);
	if (!sr->cmd || !sr->disabled)
		return;
	if (sr->cmd->state == PROCESS_CHECK_INSECURE)
		log_warn("Disabling track script %s due to insecure", c->id.name);
	else
		log_warn("Disabling track script %s since not found/accessible", c->id.name);
}

/* keepalived's line for each instance that tracks a script removed for its user. */
static void log_removed(const struct vrrp_ctx *ctx)
{
	const struct vrrp_conf *vc = ctx->conf;

	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_more *m = vc_more(vc->insts[i]);

		for (unsigned k = 0; k < m->n_track_scripts && !vc->insts[i]->is_dup; k++) {
			int idx = m->track_scripts[k].script;

			if (idx >= 0 && (unsigned)idx < ctx->n_scripts && ctx->scripts[idx] &&
			    ctx->scripts[idx]->removed)
				log_warn("(%s) track script %s not found, ignoring...",
					 vc->insts[i]->id.name, ctx->scripts[idx]->conf->id.name);
		}
	}
}

int vrrp_scripts_start(struct vrrp_ctx *ctx, struct vrrp_script_rt **kept)
{
	const struct vrrp_conf *vc = ctx->conf;

	ctx->scripts = xcalloc(vc->n_scripts ? vc->n_scripts : 1, sizeof(*ctx->scripts));
	ctx->n_scripts = vc->n_scripts;
	for (unsigned i = 0; i < vc->n_scripts; i++) {
		const struct vc_script *c = vc->scripts[i];
		struct vrrp_script_rt *sr = kept ? kept[i] : NULL;

		if (c->is_dup || !vrrp_conf_script_used(vc, i)) {
			script_free(sr);	/* no longer tracked by anyone */
			continue;
		}
		if (sr) {
			/*
			 * Kept by a reload: its state and a run in progress carry over,
			 * but script_user and enable_script_security apply anew.
			 */
			bool was_disabled = sr->disabled;

			sr->conf = c;
			ctx->scripts[i] = sr;
			script_prepare(ctx, sr);
			if (sr->disabled) {
				sched_cancel(&sr->ev_timer);
				process_run_cancel(&sr->run);
				sr->ok = false;
			} else if (was_disabled) {
				/* it never ran: it starts as a new one would */
				script_fresh(sr);
				sched_timer(ctx->s, &sr->ev_timer, 0, script_timer_cb, sr);
			}
			continue;
		}
		sr = xcalloc(1, sizeof(*sr));
		ctx->scripts[i] = sr;
		sr->conf = c;
		sr->ctx = ctx;
		script_fresh(sr);
		script_prepare(ctx, sr);
		if (sr->disabled)
			sr->ok = false;
		else
			sched_timer(ctx->s, &sr->ev_timer, 0, script_timer_cb, sr);
	}
	log_removed(ctx);
	return 0;
}

void vrrp_scripts_carry(struct vrrp_ctx *ctx, struct vrrp_script_rt **prev)
{
	for (unsigned i = 0; i < ctx->n_scripts; i++) {
		struct vrrp_script_rt *sr = ctx->scripts[i];
		const struct vrrp_script_rt *p = prev[i];

		if (sr && p && p->known && !sr->disabled) {
			sr->ok = p->ok;
			sr->known = true;
			sr->last_code = p->last_code;
			if (sr->ok)
				sr->n_good = sr->conf->rise;
			else
				sr->n_bad = sr->conf->fall;
			log_info("VRRP_Script(%s) considered %ssuccessful on reload", sr->conf->id.name,
				 sr->ok ? "" : "un");
		}
		script_free(prev[i]);
		prev[i] = NULL;
	}
}

void vrrp_scripts_free(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_scripts; i++)
		script_free(ctx->scripts[i]);
	free(ctx->scripts);
	ctx->scripts = NULL;
	ctx->n_scripts = 0;
}

/* ---- the instance's view ---- */

/* vrrp_track.h */
bool vrrp_track_if_ignored(const struct vc_instance *c, const struct vc_track_if *t)
{
	return c->interface && !strcmp(t->name, c->interface);
}

void vrrp_track_apply(bool up, int w, bool reverse, unsigned *faults, int *sum)
{
	if (reverse)
		up = !up;
	if (!w) {
		if (!up)
			(*faults)++;
	} else if (w > 0 ? up : !up) {
		*sum += w;
	}
}

void vrrp_inst_track_update(struct vrrp_inst *vi)
{
	const struct vc_instance *c = vi->conf;
	struct vrrp_ctx *ctx = vi->ctx;
	const struct reflector_if *ifp;
	unsigned faults = 0, n_pending = 0;
	int sum = 0;
	uint8_t prio;

	ifp = reflector_if_by_name(ctx->refl, vi->ifname);
	if (ifp)
		vi->ifindex = ifp->ifindex;
	if (!ifp || (!c->dont_track_primary && !vrrp_misc_is_up(ctx, ifp)))
		faults++;
	if (vi->no_src)		/* nothing to send adverts from (keepalived: FAULT too) */
		faults++;
	if (vi->config_fault)	/* vrrp_strict with unicast_peer (vrrp_eff.c) */
		faults++;
	faults += vrrp_route_faults(vi);	/* routes: route/rule interfaces, track_group */
	faults += vrrp_misc_faults(vi);	/* unicast_fault_no_peer, use_ipvlan */
	for (unsigned k = 0; k < vc_more(c)->n_track_ifs; k++) {
		const struct vc_track_if *t = &vc_more(c)->track_ifs[k];
		const struct reflector_if *tp;

		if (vrrp_track_if_ignored(c, t))
			continue;
		tp = reflector_if_by_name(ctx->refl, t->name);
		vrrp_track_apply(tp && vrrp_misc_is_up(ctx, tp),
				 vrrp_sync_member_if_weight(vi, t->weight), t->reverse, &faults, &sum);
	}
	for (unsigned k = 0; k < vc_more(c)->n_track_scripts; k++) {
		const struct vc_track_script *t = &vc_more(c)->track_scripts[k];
		const struct vrrp_script_rt *sr = t->script >= 0 && (unsigned)t->script < ctx->n_scripts ?
						   ctx->scripts[t->script] : NULL;
		const struct vc_script *sc = sr ? sr->conf : NULL;
		int w = t->has_weight ? t->weight : sc ? sc->weight : 0;
		bool rev = t->has_reverse ? t->reverse : sc && sc->weight_reverse;

		if (sr && sr->disabled)
			continue;	/* keepalived no longer tracks a script it will not run */
		if (vrrp_sync_member_script_dropped(vi, w))
			continue;	/* weighted, in a sync group: keepalived drops it */
		if (!w && sr && !sr->known) {
			/* an unweighted script is a fault until its first result (keepalived) */
			faults++;
			n_pending++;
			continue;
		}
		vrrp_track_apply(sr && sr->ok, w, rev, &faults, &sum);
	}
	vrrp_trackers_eval(vi, &faults, &sum);	/* track_file, track_process */
	vrrp_sync_group_track(vi, &faults, &sum);
	vi->fault_scripts_only = faults && faults == n_pending;
	vi->weight_sum = sum;
	prio = vrrp_fsm_eff_prio(vi->fc.priority, sum);
	if (prio != vi->fsm.eff_prio)
		vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = VRRP_EV_PRIO, .now_us = vrrp_now_us(vi),
						  .new_prio = prio });
	if (vi->sync && !faults != !vi->n_faults) {
		/* its sync group decides when it enters and leaves FAULT */
		vi->n_faults = faults;
		vrrp_sync_member_fault(vi, faults > 0);
		return;
	}
	if (faults && !vi->n_faults)
		vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = VRRP_EV_FAULT, .now_us = vrrp_now_us(vi) });
	else if (!faults && vi->n_faults)
		vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = VRRP_EV_FAULT_CLEAR,
						  .now_us = vrrp_now_us(vi) });
	vi->n_faults = faults;
}
