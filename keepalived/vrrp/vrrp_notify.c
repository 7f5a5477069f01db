// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_notify.c: notify scripts on state changes, with keepalived's arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp_inst.h"

/*
 * keepalived 2.2.7 gives notify scripts no timeout: they run as long as they like and
 * are never killed while the daemon runs (at its exit PR_SET_PDEATHSIG sends them
 * SIGTERM). The one bound it has is on the STOP scripts of a shutdown: the stop waits
 * for them at most a second (TIMER_HZ), then kills them and exits. We wait as long
 * and send SIGTERM (SIGKILL PROCESS_TERM_GRACE_US later), so a stop always ends.
 */
#define NOTIFY_STOP_TIMEOUT_US 1000000ULL

/* A STOP script of a shutdown: counted, so that the stop waits for it. */
struct notify_run {
	struct process_run run;
	struct vrrp_ctx *ctx;
};

uint64_t vrrp_notify_timeout_us(enum vrrp_state st, bool stopping)
{
	return st == VRRP_STATE_STOP && stopping ? NOTIFY_STOP_TIMEOUT_US : 0;
}

static void notify_done(void *arg, const struct process_result *res)
{
	struct notify_run *nr = arg;
	struct vrrp_ctx *ctx = nr->ctx;

	free(nr);
	ctx->n_notify--;
	vrrp_ctx_maybe_stopped(ctx);
}

static void spawn(struct vrrp_inst *vi, enum vrrp_state st, const struct process_cmd *cmd,
		  const char *const *extra)
{
	uint64_t timeout_us = vrrp_notify_timeout_us(st, vi->ctx->stopping);
	struct notify_run *nr;
	int r;

	if (!cmd || !process_cmd_runnable(cmd))
		return;
	if (!timeout_us) {
		/* fire and forget, as keepalived's notify_exec(): the loop reaps it */
		if ((r = process_spawn(vi->ctx->s, cmd, extra, NULL)) < 0)
			log_warn("(%s) cannot run notify script %s: %s", vi->name, cmd->cmdline,
				 strerror(-r));
		return;
	}
	nr = xcalloc(1, sizeof(*nr));
	nr->ctx = vi->ctx;
	r = process_run_start(vi->ctx->s, &nr->run, cmd, extra, timeout_us, notify_done, nr);
	if (r < 0) {
		free(nr);
		log_warn("(%s) cannot run notify script %s: %s", vi->name, cmd->cmdline, strerror(-r));
		return;
	}
	vi->ctx->n_notify++;
}

/*
 * keepalived runs the state's own script first (as written, no arguments added),
 * then the generic notify with "INSTANCE" NAME STATE PRIORITY appended.
 */
void vrrp_notify_state(struct vrrp_inst *vi, enum vrrp_state st)
{
	char prio[8];
	const char *state;
	int which;

	switch (st) {
	case VRRP_STATE_MASTER: which = VC_NOTIFY_MASTER; state = "MASTER"; break;
	case VRRP_STATE_BACKUP: which = VC_NOTIFY_BACKUP; state = "BACKUP"; break;
	case VRRP_STATE_FAULT: which = VC_NOTIFY_FAULT; state = "FAULT"; break;
	case VRRP_STATE_STOP: which = VC_NOTIFY_STOP; state = "STOP"; break;
	default: return;
	}
	if (!vi->notify_cmd)
		return;
	snprintf(prio, sizeof(prio), "%u", vi->fsm.eff_prio);
	spawn(vi, st, vi->notify_cmd[which], NULL);
	spawn(vi, st, vi->notify_cmd[VC_NOTIFY_ANY],
	      (const char *const[]){ "INSTANCE", vi->name, state, prio, NULL });
}

void vrrp_notify_rx_lower(struct vrrp_inst *vi)
{
	char prio[8];

	if (!vi->notify_cmd)
		return;
	snprintf(prio, sizeof(prio), "%u", vi->fsm.eff_prio);
	spawn(vi, VRRP_STATE_MASTER, vi->notify_cmd[VC_NOTIFY_RX_LOWER],
	      (const char *const[]){ "INSTANCE", vi->name, "MASTER_RX_LOWER_PRI", prio, NULL });
}
