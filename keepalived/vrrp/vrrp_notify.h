/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_notify.h: notify scripts of state changes, with keepalived's arguments. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "process.h"
#include "vrrp_fsm.h"

struct sched;
struct vrrp_cmd_env;
struct vrrp_ctx;
struct vrrp_inst;

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
/*
 * The stop is not over: a STOP script still runs, a FIFO script still reads the last
 * lines (at most NOTIFY_FIFO_DRAIN_US), or a STOP mail is still being sent (at most
 * NOTIFY_STOP_MAIL_US).
 */
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
/* notify_conflict (ours, vrrp_conflict.h): INSTANCE NAME CONFLICT|CONFLICT_END PEER appended. */
void vrrp_notify_conflict(struct vrrp_notify *n, const char *name,
			  struct process_cmd *const *cmds, bool ended, const char *peer);

/*
 * Notify FIFOs and SMTP alerts (spec vrrp-advanced.md 2 and 3). After the scripts of a
 * state change come, as in keepalived 2.2.7, the FIFO line (notify_fifo and
 * vrrp_notify_fifo) then the mail (smtp_alert). Unlike 2.2.7 a stop writes its STOP
 * lines before the FIFO scripts are stopped: the FIFOs are closed at the end of the
 * stop's loop iteration (after every STOP line, the sync groups' too), so a script
 * reading with `while read` reads them, then EOF; and the STOP mails are delivered
 * before the child exits.
 */

/*
 * notify_fifo and vrrp_notify_fifo of env->gd made, their scripts started (prepared with
 * env, counted in its security summary): at start, before any instance starts, so that
 * a FIFO script sees the first lines. Logs keepalived's
 * "notify FIFO %s has been specified for global and vrrp FIFO - ignoring vrrp FIFO".
 */
void vrrp_notify_open(struct vrrp_notify *n, struct vrrp_cmd_env *env);
/*
 * A reload (env->gd the new global_defs): a FIFO whose settings changed is closed (and
 * removed if we made it) and made again with its script; an unchanged one stays open
 * and its script runs on (2.2.7 closes and reopens them all, restarting the scripts).
 */
void vrrp_notify_reload(struct vrrp_notify *n, struct vrrp_cmd_env *env);

/*
 * vi entered st from prev: its notify scripts (vrrp_notify_state()), FIFO line and mail,
 * in keepalived's order. An instance a reload removes (STOP while the child is not
 * stopping) is notified as 2.2.7 does: with notify_deleted, its script and DELETED
 * (`notify` gets INSTANCE NAME DELETED PRIO, the FIFO `INSTANCE "VI_1" DELETED 100`,
 * the mail "Deleted"); without, as entering FAULT but with no notify_fault script
 * (2.2.7 picks DELETED's, none), and not at all if it was in FAULT.
 */
void vrrp_notify_inst(struct vrrp_inst *vi, enum vrrp_state prev, enum vrrp_state st);
/*
 * vi's effective priority changed while in state `was`: with notify_priority_changes
 * (the instance's, else vrrp_notify_priority_changes) the FIFO line
 * `INSTANCE "VI_1" MASTER_PRIORITY 120` (BACKUP_PRIORITY in any other state).
 */
void vrrp_notify_inst_prio(struct vrrp_inst *vi, enum vrrp_state was);
/* A lower priority advert reached vi as master: `INSTANCE "VI_1" MASTER_RX_LOWER_PRI 100`. */
void vrrp_notify_inst_rx_lower(struct vrrp_inst *vi);
/*
 * For the sync groups (vrrp_sync.c), after the group's notify scripts for st: the
 * `GROUP "G1" MASTER 0` line and the group's mail. smtp_alert: the group's own setting,
 * -1 when it has none (then smtp_alert_vrrp, else smtp_alert, as for an instance);
 * last_mail: the group's last mailed state (start at VRRP_STATE_INIT).
 */
void vrrp_notify_group_after(struct vrrp_notify *n, const char *name, enum vrrp_state st,
		       int smtp_alert, uint8_t *last_mail);
/*
 * fifo_write_vrrp_states_on_reload: after a reload, each instance's current state line
 * for those the reload kept (kept[i] for ctx->insts[i]). The sync groups write theirs
 * with vrrp_notify_group_line().
 */
void vrrp_notify_reload_states(struct vrrp_ctx *ctx, const bool *kept);
void vrrp_notify_group_line(struct vrrp_notify *n, const char *name, enum vrrp_state st);
bool vrrp_notify_states_on_reload(const struct vrrp_notify *n);

/* keepalived's DELETED (an instance a reload removed), for vrrp_notify_mail_text() */
#define VRRP_NOTIFY_DELETED VRRP_STATE__COUNT
/* Pure: keepalived's mail for an object entering st (false: none for that state). */
bool vrrp_notify_mail_text(bool group, const char *router_id, const char *name,
			   enum vrrp_state st, char *subject, size_t subject_len, char *body,
			   size_t body_len);
/*
 * vrrp_sync_group name entered st: its state's script as written, then "notify" with
 * GROUP NAME STATE 0 appended (keepalived's order). cmds: VC_NOTIFY__COUNT, or NULL.
 */
void vrrp_notify_group(struct vrrp_notify *n, const char *name, struct process_cmd *const *cmds,
		       enum vrrp_state st);
