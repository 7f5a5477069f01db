/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_notify.h: notify scripts of state changes, with keepalived's arguments. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "process.h"
#include "vrrp_fsm.h"

struct sched;

/*
 * The notify scripts a VRRP child runs. A leaf: it runs what it is given and calls
 * nothing back but idle_cb, which says that the last STOP script of a stop has ended
 * (a stop waits for the notify_stop scripts it started). The scripts die with the child
 * (PR_SET_PDEATHSIG), as keepalived's do.
 *
 * cmds: an instance's prepared commands, VC_NOTIFY__COUNT of them (NULL entries: none),
 * or NULL for none at all; borrowed for the call.
 */
struct vrrp_notify;

struct vrrp_notify *vrrp_notify_new(struct sched *s, void (*idle_cb)(void *arg), void *arg);
/* NULL is fine. Scripts still running get SIGTERM, as keepalived's get when it stops. */
void vrrp_notify_free(struct vrrp_notify *n);
/*
 * The daemon stops: from now on the STOP scripts are waited for (vrrp_notify_busy()), at
 * most a second each (then SIGTERM). Every other notify script runs without a timeout
 * and nothing waits for it, as in keepalived 2.2.7.
 */
void vrrp_notify_stopping(struct vrrp_notify *n);
/* How long a notify script for st may run before it is killed (0: as long as it likes). */
uint64_t vrrp_notify_timeout_us(enum vrrp_state st, bool stopping);
/* A STOP script of the stop is still running. */
bool vrrp_notify_busy(const struct vrrp_notify *n);
/*
 * Instance name entered st with effective priority prio: the state's own script as
 * written, then "notify" with INSTANCE NAME STATE PRIO appended (keepalived's order).
 */
void vrrp_notify_state(struct vrrp_notify *n, const char *name, struct process_cmd *const *cmds,
		       enum vrrp_state st, uint8_t prio);
/* notify_master_rx_lower_pri: INSTANCE NAME MASTER_RX_LOWER_PRI PRIO appended. */
void vrrp_notify_rx_lower(struct vrrp_notify *n, const char *name,
			  struct process_cmd *const *cmds, uint8_t prio);
/*
 * vrrp_sync_group name entered st: its state's script as written, then "notify" with
 * GROUP NAME STATE 0 appended (keepalived's order). cmds: VC_NOTIFY__COUNT, or NULL.
 */
void vrrp_notify_group(struct vrrp_notify *n, const char *name, struct process_cmd *const *cmds,
		       enum vrrp_state st);
