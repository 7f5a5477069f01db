// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_notify.c: notify scripts on state changes, with keepalived's arguments. */
#include "vrrp_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/global_defs.h"
#include "core/notify_fifo.h"
#include "core/smtp_alert.h"
#include "list.h"
#include "log.h"
#include "scheduler.h"
#include "vrrp_conf.h"
#include "vrrp_ctx.h"
#include "vrrp_inst.h"

/*
 * keepalived 2.2.7 gives notify scripts no timeout: they run as long as they like and
 * are never killed while the daemon runs (at its exit PR_SET_PDEATHSIG sends them
 * SIGTERM). The one bound it has is on the STOP scripts of a shutdown: the stop waits
 * for them at most a second (TIMER_HZ), then kills them and exits. We wait as long
 * and send SIGTERM (SIGKILL PROCESS_TERM_GRACE_US later), so a stop always ends.
 */
#define NOTIFY_STOP_TIMEOUT_US 1000000ULL
/* How long a FIFO script may read the last lines after the FIFO is closed at a stop */
#define NOTIFY_FIFO_DRAIN_US 1000000ULL
/* How long a stop waits for its mails (the parent kills us after child_wait_time, 5 s) */
#define NOTIFY_STOP_MAIL_US 3000000ULL

enum { FIFO_GLOBAL, FIFO_VRRP, FIFO__COUNT };


/* A FIFO a reload replaced: its script reads what is left, then it goes. */
struct fifo_retiring {
	struct notify_fifo *f;
};

struct vrrp_notify {
	struct sched *s;
	void (*idle_cb)(void *arg);
	void *arg;
	bool stopping;
	struct list runs;		/* of struct notify_run: the shutdown's STOP scripts */
	const struct global_defs *gd;	/* borrowed: the child's current one (open, reload) */
	struct gd_vrrp_notify g;
	struct notify_fifo *fifo[FIFO__COUNT];
	char *fifo_sig[FIFO__COUNT];	/* its settings, to spot a change at a reload */
	struct fifo_retiring retiring[FIFO__COUNT];
	unsigned n_fifo_busy;		/* finishing at a stop: scripts still reading */
	struct sched_ev *ev_finish;	/* the FIFOs close at the end of the stop's iteration */
	struct sched_ev *ev_mail_deadline;
	bool mail_deadline_passed;
	struct list mails;		/* the mails under way (smtp_alert_send_cb) */
	unsigned n_mails;
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
	list_init(&n->mails);
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
	sched_cancel(&n->ev_finish);
	sched_cancel(&n->ev_mail_deadline);
	for (int i = 0; i < FIFO__COUNT; i++) {
		notify_fifo_free(n->fifo[i]);
		notify_fifo_free(n->retiring[i].f);
		free(n->fifo_sig[i]);
	}
	smtp_alert_cancel_all(&n->mails);	/* a stop that gave up on them */
	free(n);
}

bool vrrp_notify_busy(const struct vrrp_notify *n)
{
	return !list_empty(&n->runs) || n->ev_finish || n->n_fifo_busy ||
	       (n->n_mails && !n->mail_deadline_passed);
}

static void maybe_idle(struct vrrp_notify *n)
{
	if (n->stopping && !vrrp_notify_busy(n) && n->idle_cb)
		n->idle_cb(n->arg);
}

static void fifo_done_cb(void *arg)
{
	struct vrrp_notify *n = arg;

	n->n_fifo_busy--;
	maybe_idle(n);
}

/* Every STOP line of the stop is written: the FIFOs close, their scripts read the rest. */
static void finish_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_notify *n = arg;

	(void)ev;
	for (int i = 0; i < FIFO__COUNT; i++)
		if (n->fifo[i]) {
			n->n_fifo_busy++;
			notify_fifo_finish(n->fifo[i], NOTIFY_FIFO_DRAIN_US, fifo_done_cb, n);
		}
	maybe_idle(n);
}

void vrrp_notify_stopping(struct vrrp_notify *n)
{
	n->stopping = true;
	if ((n->fifo[FIFO_GLOBAL] || n->fifo[FIFO_VRRP]) &&
	    sched_timer(n->s, &n->ev_finish, 0, finish_cb, n) < 0)
		finish_cb(NULL, n);
}

static void run_done(void *arg, const struct process_result *res)
{
	struct notify_run *nr = arg;
	struct vrrp_notify *n = nr->n;

	(void)res;
	list_del(&nr->node);
	free(nr);
	maybe_idle(n);
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

void vrrp_notify_conflict(struct vrrp_notify *n, const char *name,
			  struct process_cmd *const *cmds, bool ended, const char *peer)
{
	if (!cmds)
		return;
	spawn(n, name, VRRP_STATE_MASTER, cmds[VC_NOTIFY_CONFLICT],
	      (const char *const[]){ "INSTANCE", name, ended ? "CONFLICT_END" : "CONFLICT", peer,
				     NULL });
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

/* ---- FIFOs ---- */

static const char *state_word(enum vrrp_state st)
{
	switch (st) {
	case VRRP_STATE_MASTER: return "MASTER";
	case VRRP_STATE_BACKUP: return "BACKUP";
	case VRRP_STATE_FAULT: return "FAULT";
	case VRRP_STATE_STOP: return "STOP";
	default: return "{UNKNOWN}";
	}
}

static void fifo_line(struct vrrp_notify *n, bool group, const char *name, const char *state,
		      unsigned prio)
{
	char line[512];
	size_t len;

	if (!n->fifo[FIFO_GLOBAL] && !n->fifo[FIFO_VRRP])
		return;
	len = notify_fifo_vrrp_line(line, sizeof(line), group, name, state, prio);
	if (len >= sizeof(line))
		return;		/* names are shorter than that */
	for (int i = 0; i < FIFO__COUNT; i++)
		notify_fifo_write(n->fifo[i], line, len);
}

static void open_one(struct vrrp_notify *n, struct vrrp_cmd_env *env, int i,
		     const struct gd_fifo *f)
{
	static const char *const types[FIFO__COUNT] = { "", "vrrp_" };
	struct notify_fifo_conf c = {
		.path = f->path,
		.type = types[i],
		/* keepalived's line for either script the VRRP child runs */
		.exit_line = "vrrp notify fifo script terminated",
	};
	struct process_cmd *script = NULL;

	n->fifo_sig[i] = notify_fifo_sig(f);
	if (!f->path || !notify_fifo_owner(env->gd, f, types[i], &c.uid, &c.gid))
		return;
	if (f->script)
		script = vrrp_cmd_prepare(env, f->script, f->script_user, f->script_group, NULL);
	c.script = script;
	if (notify_fifo_open(n->s, &c, &n->fifo[i]) < 0)
		n->fifo[i] = NULL;
	process_cmd_free(script);
}

static void get_fifos(const struct global_defs *gd, struct gd_fifo f[FIFO__COUNT])
{
	global_defs_fifo(gd, GD_FIFO_GLOBAL, &f[FIFO_GLOBAL]);
	global_defs_fifo(gd, GD_FIFO_VRRP, &f[FIFO_VRRP]);
}

static void set_gd(struct vrrp_notify *n, const struct global_defs *gd, bool quiet)
{
	struct gd_fifo v;

	n->gd = gd;
	global_defs_vrrp_notify(gd, &n->g);
	global_defs_fifo(gd, GD_FIFO_VRRP, &v);
	/* global_defs_fifo() leaves out a vrrp FIFO named like the global one: say so */
	if (!quiet && v.same_as_global)
		log_info("notify FIFO %s has been specified for global and vrrp FIFO - "
			 "ignoring vrrp FIFO", v.same_as_global);
}

void vrrp_notify_open(struct vrrp_notify *n, struct vrrp_cmd_env *env)
{
	struct gd_fifo f[FIFO__COUNT];

	set_gd(n, env->gd, false);
	get_fifos(env->gd, f);
	for (int i = 0; i < FIFO__COUNT; i++)
		open_one(n, env, i, &f[i]);
}

static void retired_cb(void *arg)
{
	struct fifo_retiring *r = arg;

	notify_fifo_free(r->f);		/* its callback may free it */
	r->f = NULL;
}

void vrrp_notify_reload(struct vrrp_notify *n, struct vrrp_cmd_env *env)
{
	struct gd_fifo f[FIFO__COUNT];

	set_gd(n, env->gd, false);
	get_fifos(env->gd, f);
	for (int i = 0; i < FIFO__COUNT; i++) {
		char *sig = notify_fifo_sig(&f[i]);
		bool same = (!sig && !n->fifo_sig[i]) ||
			    (sig && n->fifo_sig[i] && !strcmp(sig, n->fifo_sig[i]));

		free(sig);
		if (same)
			continue;
		/* the old one's script reads what is left (EOF), as at a stop */
		notify_fifo_free(n->retiring[i].f);
		n->retiring[i].f = n->fifo[i];
		if (n->fifo[i])
			notify_fifo_finish(n->fifo[i], NOTIFY_FIFO_DRAIN_US, retired_cb,
					   &n->retiring[i]);
		n->fifo[i] = NULL;
		free(n->fifo_sig[i]);
		n->fifo_sig[i] = NULL;
		open_one(n, env, i, &f[i]);
	}
}

/* ---- mails ---- */

bool vrrp_notify_mail_text(bool group, const char *router_id, const char *name,
			   enum vrrp_state st, char *subject, size_t subject_len, char *body,
			   size_t body_len)
{
	const char *what, *text;

	switch (st) {
	case VRRP_STATE_MASTER:
		what = "Entering MASTER state";
		text = group ? "=> All VRRP group instances are now in MASTER state <=" :
			       "=> VRRP Instance is now owning VRRP VIPs <=";
		break;
	case VRRP_STATE_BACKUP:
		what = "Entering BACKUP state";
		text = group ? "=> All VRRP group instances are now in BACKUP state <=" :
			       "=> VRRP Instance is no longer owning VRRP VIPs <=";
		break;
	case VRRP_STATE_FAULT:
		what = "Entering FAULT state";
		text = group ? "=> All VRRP group instances are now in FAULT state <=" :
			       "=> VRRP Instance is no longer owning VRRP VIPs <=";
		break;
	case VRRP_STATE_STOP:
		what = "Stopping";
		text = group ? "=> All VRRP group instances are now stopping <=" :
			       "=> VRRP Instance stopping <=";
		break;
	case VRRP_NOTIFY_DELETED:
		if (group)
			return false;
		what = "Deleted";
		text = "=> VRRP Deleted at reload <=";
		break;
	default:
		return false;
	}
	snprintf(subject, subject_len, "[%s] VRRP %s %s - %s", router_id ? router_id : "",
		 group ? "Group" : "Instance", name, what);
	snprintf(body, body_len, "%s", text);
	return true;
}

static void mail_done_cb(void *arg)
{
	struct vrrp_notify *n = arg;

	n->n_mails--;
	maybe_idle(n);
}

static void mail_deadline_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_notify *n = arg;

	(void)ev;
	n->mail_deadline_passed = true;
	log_info("Stopping without waiting for %u SMTP alert(s) still being sent", n->n_mails);
	maybe_idle(n);
}

static void mail(struct vrrp_notify *n, bool group, const char *name, enum vrrp_state st,
		 bool smtp_alert, uint8_t *last_mail)
{
	char subject[SMTP_ALERT_MAX_SUBJECT + 1], body[SMTP_ALERT_MAX_BODY + 1];

	/* keepalived: only a state other than the last one mailed (INIT at first) */
	if (!smtp_alert || !n->gd || (n->g.no_email_faults && st == VRRP_STATE_FAULT) ||
	    *last_mail == st)
		return;
	if (!vrrp_notify_mail_text(group, global_defs_router_id(n->gd), name, st, subject,
				   sizeof(subject), body, sizeof(body)))
		return;
	*last_mail = (uint8_t)st;
	if (smtp_alert_send_cb(n->s, n->gd, subject, body, mail_done_cb, n, &n->mails) > 0) {
		n->n_mails++;
		if (n->stopping && !n->ev_mail_deadline && !n->mail_deadline_passed)
			sched_timer(n->s, &n->ev_mail_deadline, NOTIFY_STOP_MAIL_US,
				    mail_deadline_cb, n);
	}
}

/* ---- what follows the scripts ---- */

void vrrp_notify_inst(struct vrrp_inst *vi, enum vrrp_state prev, enum vrrp_state st)
{
	struct vrrp_notify *n = vi->ctx->notify;
	const struct vc_more *m = vc_more(vi->conf);
	bool mail_on = m->smtp_alert >= 0 ? m->smtp_alert > 0 : n->g.smtp_alert > 0;
	uint8_t prio = vi->fsm.eff_prio;
	char p[8];

	/*
	 * A reload removed it (a STOP while the child runs on): keepalived 2.2.7's DELETED,
	 * sent as FAULT without notify_deleted, and nothing at all for one in FAULT.
	 */
	if (st == VRRP_STATE_STOP && !n->stopping) {
		bool deleted = m->notify_deleted_set;
		const char *word = deleted ? "DELETED" : "FAULT";

		if (!deleted && prev == VRRP_STATE_FAULT)
			return;
		/* 2.2.7 picks the state's script before DELETED becomes FAULT: notify_deleted's */
		snprintf(p, sizeof(p), "%u", prio);
		if (vi->notify_cmd) {
			if (deleted)
				spawn(n, vi->name, VRRP_STATE_FAULT, vi->notify_cmd[VC_NOTIFY_DELETED],
				      NULL);
			spawn(n, vi->name, VRRP_STATE_FAULT, vi->notify_cmd[VC_NOTIFY_ANY],
			      (const char *const[]){ "INSTANCE", vi->name, word, p, NULL });
		}
		fifo_line(n, false, vi->name, word, prio);
		mail(n, false, vi->name, deleted ? VRRP_NOTIFY_DELETED : VRRP_STATE_FAULT, mail_on,
		     &vi->last_mail_state);
		return;
	}
	vrrp_notify_state(n, vi->name, vi->notify_cmd, st, prio);
	fifo_line(n, false, vi->name, state_word(st), prio);
	mail(n, false, vi->name, st, mail_on, &vi->last_mail_state);
}

void vrrp_notify_inst_prio(struct vrrp_inst *vi, enum vrrp_state was)
{
	struct vrrp_notify *n = vi->ctx->notify;
	int own = vc_more(vi->conf)->notify_priority_changes;

	/* keepalived: the instance's, else its sync group's, else global_defs' */
	if (own < 0 && vi->conf->sync_group >= 0 &&
	    (unsigned)vi->conf->sync_group < vi->ctx->conf->n_groups)
		own = vi->ctx->conf->groups[vi->conf->sync_group]->notify_priority_changes;
	if (own >= 0 ? own > 0 : n->g.notify_priority_changes)
		fifo_line(n, false, vi->name, was == VRRP_STATE_MASTER ? "MASTER_PRIORITY" :
			  "BACKUP_PRIORITY", vi->fsm.eff_prio);
}

void vrrp_notify_inst_rx_lower(struct vrrp_inst *vi)
{
	fifo_line(vi->ctx->notify, false, vi->name, "MASTER_RX_LOWER_PRI", vi->fsm.eff_prio);
}

void vrrp_notify_group_after(struct vrrp_notify *n, const char *name, enum vrrp_state st,
		       int smtp_alert, uint8_t *last_mail)
{
	fifo_line(n, true, name, state_word(st), 0);
	mail(n, true, name, st, smtp_alert >= 0 ? smtp_alert > 0 : n->g.smtp_alert > 0,
	     last_mail);
}

void vrrp_notify_group_line(struct vrrp_notify *n, const char *name, enum vrrp_state st)
{
	fifo_line(n, true, name, state_word(st), 0);
}

bool vrrp_notify_states_on_reload(const struct vrrp_notify *n)
{
	return n->g.fifo_write_states_on_reload;
}

void vrrp_notify_reload_states(struct vrrp_ctx *ctx, const bool *kept)
{
	if (!ctx->notify->g.fifo_write_states_on_reload)
		return;
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];

		if (kept[i] && vi->fsm.state != VRRP_STATE_INIT)
			fifo_line(ctx->notify, false, vi->name, state_word(vi->fsm.state),
				  vi->fsm.eff_prio);
	}
}
