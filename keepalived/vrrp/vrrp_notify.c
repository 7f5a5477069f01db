// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_notify.c: notify scripts on state changes, with keepalived's arguments. */
#include "vrrp_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "log.h"
#include "vrrp_conf.h"

/*
 * keepalived 2.2.7 gives notify scripts no timeout: they run as long as they like and
 * are never killed while the daemon runs (at its exit PR_SET_PDEATHSIG sends them
 * SIGTERM). The one bound it has is on the STOP scripts of a shutdown: the stop waits
 * for them at most a second (TIMER_HZ), then kills them and exits. We wait as long
 * and send SIGTERM (SIGKILL PROCESS_TERM_GRACE_US later), so a stop always ends.
 */
#define NOTIFY_STOP_TIMEOUT_US 1000000ULL

struct vrrp_notify {
	struct sched *s;
	void (*idle_cb)(void *arg);
	void *arg;
	bool stopping;
	struct list runs;		/* of struct notify_run: the shutdown's STOP scripts */
};

/* A STOP script of a shutdown: kept, so that the stop waits for it. */
struct notify_run {
	struct process_run run;
	struct vrrp_notify *n;
	struct list node;
};

uint64_t vrrp_notify_timeout_us(enum vrrp_state st, bool stopping)
{
	return st == VRRP_STATE_STOP && stopping ? NOTIFY_STOP_TIMEOUT_US : 0;
}

struct vrrp_notify *vrrp_notify_new(struct sched *s, void (*idle_cb)(void *arg), void *arg)
{
	struct vrrp_notify *n = xcalloc(1, sizeof(*n));

	n->s = s;
	n->idle_cb = idle_cb;
	n->arg = arg;
	list_init(&n->runs);
	return n;
}

void vrrp_notify_free(struct vrrp_notify *n)
{
	struct list *p, *t;

	if (!n)
		return;
	list_for_each_safe(p, t, &n->runs) {
		struct notify_run *nr = list_entry(p, struct notify_run, node);

		process_run_cancel(&nr->run);
		free(nr);
	}
	free(n);
}

void vrrp_notify_stopping(struct vrrp_notify *n)
{
	n->stopping = true;
}

bool vrrp_notify_busy(const struct vrrp_notify *n)
{
	return !list_empty(&n->runs);
}

static void run_done(void *arg, const struct process_result *res)
{
	struct notify_run *nr = arg;
	struct vrrp_notify *n = nr->n;

	(void)res;
	list_del(&nr->node);
	free(nr);
	if (!vrrp_notify_busy(n) && n->idle_cb)
		n->idle_cb(n->arg);
}

static void spawn(struct vrrp_notify *n, const char *name, enum vrrp_state st,
		  const struct process_cmd *cmd, const char *const *extra)
{
	uint64_t timeout_us = vrrp_notify_timeout_us(st, n->stopping);
	struct notify_run *nr;
	int r;

	if (!cmd || !process_cmd_runnable(cmd))
		return;
	if (!timeout_us) {
		/* fire and forget, as keepalived's notify_exec(): the loop reaps it */
		if ((r = process_spawn(n->s, cmd, extra, NULL)) < 0)
			log_warn("(%s) cannot run notify script %s: %s", name, cmd->cmdline,
				 strerror(-r));
		return;
	}
	nr = xcalloc(1, sizeof(*nr));
	nr->n = n;
	list_add_tail(&n->runs, &nr->node);
	r = process_run_start(n->s, &nr->run, cmd, extra, timeout_us, run_done, nr);
	if (r < 0) {
		list_del(&nr->node);
		free(nr);
		log_warn("(%s) cannot run notify script %s: %s", name, cmd->cmdline, strerror(-r));
	}
}

void vrrp_notify_state(struct vrrp_notify *n, const char *name, struct process_cmd *const *cmds,
		       enum vrrp_state st, uint8_t prio)
{
	char p[8];
	const char *state;
	int which;

	switch (st) {
	case VRRP_STATE_MASTER: which = VC_NOTIFY_MASTER; state = "MASTER"; break;
	case VRRP_STATE_BACKUP: which = VC_NOTIFY_BACKUP; state = "BACKUP"; break;
	case VRRP_STATE_FAULT: which = VC_NOTIFY_FAULT; state = "FAULT"; break;
	case VRRP_STATE_STOP: which = VC_NOTIFY_STOP; state = "STOP"; break;
	default: return;
	}
	if (!cmds)
		return;
	snprintf(p, sizeof(p), "%u", prio);
	spawn(n, name, st, cmds[which], NULL);
	spawn(n, name, st, cmds[VC_NOTIFY_ANY],
	      (const char *const[]){ "INSTANCE", name, state, p, NULL });
}

void vrrp_notify_rx_lower(struct vrrp_notify *n, const char *name,
			  struct process_cmd *const *cmds, uint8_t prio)
{
	char p[8];

	if (!cmds)
		return;
	snprintf(p, sizeof(p), "%u", prio);
	spawn(n, name, VRRP_STATE_MASTER, cmds[VC_NOTIFY_RX_LOWER],
	      (const char *const[]){ "INSTANCE", name, "MASTER_RX_LOWER_PRI", p, NULL });
}

void vrrp_notify_group(struct vrrp_notify *n, const char *name, struct process_cmd *const *cmds,
		       enum vrrp_state st)
{
	int which;

	switch (st) {
	case VRRP_STATE_MASTER: which = VC_NOTIFY_MASTER; break;
	case VRRP_STATE_BACKUP: which = VC_NOTIFY_BACKUP; break;
	case VRRP_STATE_FAULT: which = VC_NOTIFY_FAULT; break;
	case VRRP_STATE_STOP: which = VC_NOTIFY_STOP; break;
	default: return;
	}
	if (!cmds)
		return;
	spawn(n, name, st, cmds[which], NULL);
	spawn(n, name, st, cmds[VC_NOTIFY_ANY],
	      (const char *const[]){ "GROUP", name, vrrp_state_str(st), "0", NULL });
}
