// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_notify.c: notify scripts on state changes, with keepalived's arguments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "vrrp_inst.h"

/*
 * One notify run. Counted, so that a stop waits for the notify_stop scripts it
 * started: the scripts die with the VRRP child (PR_SET_PDEATHSIG), as in keepalived.
 */
struct notify_run {
	struct process_run run;
	struct vrrp_ctx *ctx;
};

/* keepalived gives notify scripts no timeout; ours only bounds how long a stop waits */
#define NOTIFY_TIMEOUT_US (30ULL * 1000000)

static void notify_done(void *arg, const struct process_result *res)
{
	struct notify_run *nr = arg;
	struct vrrp_ctx *ctx = nr->ctx;

	free(nr);
	ctx->n_notify--;
	vrrp_ctx_maybe_stopped(ctx);
}

static void spawn(struct vrrp_inst *vi, const struct process_cmd *cmd, const char *const *extra)
{
	struct notify_run *nr;
	int r;

	if (!cmd || !process_cmd_runnable(cmd))
		return;
	nr = xcalloc(1, sizeof(*nr));
	nr->ctx = vi->ctx;
	r = process_run_start(vi->ctx->s, &nr->run, cmd, extra, NOTIFY_TIMEOUT_US, notify_done, nr);
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
	spawn(vi, vi->notify_cmd[which], NULL);
	spawn(vi, vi->notify_cmd[VC_NOTIFY_ANY],
	      (const char *const[]){ "INSTANCE", vi->name, state, prio, NULL });
}

void vrrp_notify_rx_lower(struct vrrp_inst *vi)
{
	char prio[8];

	if (!vi->notify_cmd)
		return;
	snprintf(prio, sizeof(prio), "%u", vi->fsm.eff_prio);
	spawn(vi, vi->notify_cmd[VC_NOTIFY_RX_LOWER],
	      (const char *const[]){ "INSTANCE", vi->name, "MASTER_RX_LOWER_PRI", prio, NULL });
}
