// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_sync.c: vrrp_sync_group: its members move as one (see vrrp_sync.h). */
#include "vrrp_sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scheduler.h"
#include "vrrp_ctx.h"
#include "vrrp_notify.h"
#include "vrrp_sock.h"
#include "vrrp_track.h"

/* ---- the pure part ---- */

enum vrrp_sync_do vrrp_sync_on_member(enum vrrp_state group, enum vrrp_state prev,
				      enum vrrp_state now)
{
	switch (now) {
	case VRRP_STATE_MASTER:
		return group != VRRP_STATE_MASTER ? VRRP_SYNC_MASTER : VRRP_SYNC_NONE;
	case VRRP_STATE_BACKUP:
		/* a master stepping down, or the last fault of the group clearing */
		if (prev == VRRP_STATE_MASTER && group != VRRP_STATE_BACKUP)
			return VRRP_SYNC_BACKUP;
		if (prev == VRRP_STATE_FAULT && group == VRRP_STATE_FAULT)
			return VRRP_SYNC_BACKUP;
		return VRRP_SYNC_NONE;
	case VRRP_STATE_FAULT:
		return group != VRRP_STATE_FAULT ? VRRP_SYNC_FAULT : VRRP_SYNC_NONE;
	default:
		return VRRP_SYNC_NONE;
	}
}

enum vrrp_state vrrp_sync_after(enum vrrp_sync_do d, enum vrrp_state group)
{
	switch (d) {
	case VRRP_SYNC_MASTER: return VRRP_STATE_MASTER;
	case VRRP_SYNC_BACKUP: return VRRP_STATE_BACKUP;
	case VRRP_SYNC_FAULT: return VRRP_STATE_FAULT;
	default: return group;
	}
}

bool vrrp_sync_may_master(enum vrrp_state group, const bool *others_want, unsigned n_others)
{
	if (group == VRRP_STATE_MASTER)
		return true;
	for (unsigned i = 0; i < n_others; i++)
		if (!others_want[i])
			return false;
	return true;
}

enum vrrp_state vrrp_sync_init_state(const bool *owner_master, const bool *faulty, unsigned n)
{
	bool all_owners = n > 0;

	for (unsigned i = 0; i < n; i++) {
		if (faulty[i])
			return VRRP_STATE_FAULT;
		all_owners = all_owners && owner_master[i];
	}
	return all_owners ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP;
}

/* ---- the runtime ---- */

struct vrrp_sync {
	const struct vc_group *conf;	/* borrowed: the config tree owns it */
	struct vrrp_ctx *ctx;
	const char *name;
	enum vrrp_state state;
	struct vrrp_inst **members;	/* in the order of the group's list */
	unsigned n;
	bool busy;			/* moving the members: their own moves are ours */
	bool has_owner;			/* a member is an address owner: group weights are 0 */
	struct process_cmd *cmds[VC_NOTIFY__COUNT];
	/* notify FIFOs and SMTP alerts (vrrp_notify.c) */
	uint8_t last_mail_state;	/* enum vrrp_state last mailed; INIT: none yet */
};

static const char *sync_word(enum vrrp_sync_do d)
{
	return d == VRRP_SYNC_MASTER ? "MASTER" : d == VRRP_SYNC_BACKUP ? "BACKUP" : "FAULT";
}

static void feed(struct vrrp_inst *vi, enum vrrp_ev ev)
{
	vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = ev, .now_us = vrrp_now_us(vi) });
}

static void group_notify(struct vrrp_sync *g, enum vrrp_state st)
{
	vrrp_notify_group(g->ctx->notify, g->name, g->cmds, st);
	/* then, as keepalived, the FIFO line and the mail */
	vrrp_notify_group_after(g->ctx->notify, g->name, st, g->conf->smtp_alert,
				&g->last_mail_state);
}

/* The other members follow trigger (NULL: none), then the group's state and notifies. */
static void sync_do(struct vrrp_sync *g, const struct vrrp_inst *trigger, enum vrrp_sync_do d)
{
	log_info("VRRP_Group(%s) Syncing instances to %s state", g->name, sync_word(d));
	g->busy = true;
	if (d == VRRP_SYNC_MASTER) {
		/*
		 * Every member's first advert leaves in one batch, before any member's VIPs,
		 * GARPs and log lines: the last one is not late by the others' work.
		 */
		for (unsigned i = 0; i < g->n; i++)
			if (g->members[i] != trigger && g->members[i]->fsm.state == VRRP_STATE_BACKUP)
				vrrp_inst_queue_advert(g->members[i]);
		vrrp_sock_flush(g->ctx->sock_batch);
	}
	for (unsigned i = 0; i < g->n; i++) {
		struct vrrp_inst *m = g->members[i];
		enum vrrp_state st = m->fsm.state;

		if (m == trigger)
			continue;
		switch (d) {
		case VRRP_SYNC_MASTER:
			if (st == VRRP_STATE_BACKUP)
				feed(m, VRRP_EV_SYNC_MASTER);
			break;
		case VRRP_SYNC_BACKUP:
			if (st == VRRP_STATE_MASTER)
				feed(m, VRRP_EV_SYNC_BACKUP);
			else if (st == VRRP_STATE_FAULT && !m->n_faults)
				feed(m, VRRP_EV_FAULT_CLEAR);
			break;
		case VRRP_SYNC_FAULT:
			/*
			 * keepalived 2.2.7 switches a BACKUP member to FAULT without its
			 * "Entering FAULT STATE" line; ours says it (keepalived.conf(5)).
			 */
			if (st == VRRP_STATE_BACKUP || st == VRRP_STATE_MASTER)
				feed(m, VRRP_EV_FAULT);
			break;
		default:
			break;
		}
	}
	g->busy = false;
	g->state = vrrp_sync_after(d, g->state);
	group_notify(g, g->state);
}

void vrrp_sync_member_moved(struct vrrp_inst *vi, enum vrrp_state prev, enum vrrp_state now)
{
	struct vrrp_sync *g = vi->sync;
	enum vrrp_sync_do d;

	vi->sync_want_master = now == VRRP_STATE_MASTER;
	if (now == VRRP_STATE_STOP || prev == VRRP_STATE_INIT || !g || g->busy ||
	    g->ctx->stopping)
		return;
	d = vrrp_sync_on_member(g->state, prev, now);
	if (d != VRRP_SYNC_NONE)
		sync_do(g, vi, d);
}

bool vrrp_sync_hold_master(struct vrrp_inst *vi)
{
	struct vrrp_sync *g = vi->sync;
	bool want[g->n ? g->n : 1];
	unsigned k = 0;

	for (unsigned i = 0; i < g->n; i++)
		if (g->members[i] != vi)
			want[k++] = g->members[i]->sync_want_master ||
				    g->members[i]->fsm.state == VRRP_STATE_MASTER;
	if (vrrp_sync_may_master(g->state, want, k))
		return false;
	/* keepalived says it only with -D: the member waits for its siblings */
	if (!vi->sync_want_master)
		log_detail("(%s) Receive advertisement timeout", vi->name);
	vi->sync_want_master = true;
	return true;
}

void vrrp_sync_garp_lower(struct vrrp_inst *vi)
{
	struct vrrp_sync *g = vi->sync;

	for (unsigned i = 0; i < g->n; i++)
		if (g->members[i] != vi && g->members[i]->fsm.state == VRRP_STATE_MASTER)
			garp_lower_prio(g->members[i]->garp);
}

static unsigned n_faulty(const struct vrrp_sync *g)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g->n; i++)
		n += g->members[i]->n_faults > 0;
	return n;
}

void vrrp_sync_member_fault(struct vrrp_inst *vi, bool faulty)
{
	struct vrrp_sync *g = vi->sync;

	if (faulty) {
		/* the member's own FAULT takes the group (vrrp_sync_member_moved) */
		feed(vi, VRRP_EV_FAULT);
		return;
	}
	/* it leaves FAULT only once no member of its group has a fault */
	if (vi->fsm.state == VRRP_STATE_INIT || !n_faulty(g))
		feed(vi, VRRP_EV_FAULT_CLEAR);
}

/* ---- trackers ---- */

static bool weights_off(const struct vrrp_inst *vi)
{
	return vi->sync && !vi->sync->conf->tracking_weight;
}

int vrrp_sync_member_if_weight(const struct vrrp_inst *vi, int w)
{
	return weights_off(vi) ? 0 : w;
}

bool vrrp_sync_member_script_dropped(const struct vrrp_inst *vi, int w)
{
	return w && weights_off(vi);
}

bool vrrp_sync_tracks_if(const struct vrrp_inst *vi, const char *name)
{
	for (unsigned k = 0; vi->sync && k < vi->sync->conf->n_track_ifs; k++)
		if (!strcmp(vi->sync->conf->track_ifs[k].name, name))
			return true;
	return false;
}

void vrrp_sync_group_track(const struct vrrp_inst *vi, unsigned *faults, int *sum)
{
	const struct vrrp_sync *g = vi->sync;
	struct vrrp_ctx *ctx = vi->ctx;

	if (!g)
		return;
	for (unsigned k = 0; k < g->conf->n_track_ifs; k++) {
		const struct vc_track_if *t = &g->conf->track_ifs[k];
		const struct reflector_if *tp = reflector_if_by_name(ctx->refl, t->name);

		vrrp_track_apply(tp && tp->is_up, g->has_owner ? 0 : t->weight, t->reverse, faults, sum);
	}
	for (unsigned k = 0; k < g->conf->n_track_scripts; k++) {
		const struct vc_track_script *t = &g->conf->track_scripts[k];
		const struct vrrp_script_rt *sr = t->script >= 0 && (unsigned)t->script <
						  ctx->n_scripts ? ctx->scripts[t->script] : NULL;
		const struct vc_script *sc = sr ? sr->conf : NULL;
		int w = t->has_weight ? t->weight : sc ? sc->weight : 0;
		bool rev = t->has_reverse ? t->reverse : sc && sc->weight_reverse;

		if (!sr || sr->disabled)
			continue;
		if (g->has_owner)
			w = 0;
		if (!w && !sr->known) {
			(*faults)++;	/* unweighted: a fault until its first result */
			continue;
		}
		vrrp_track_apply(sr->ok, w, rev, faults, sum);
	}
}

/* keepalived 2.2.7's lines for the member trackers it neutralises (vrrp.c). */
static void log_member_weights(const struct vrrp_sync *g)
{
	const struct vrrp_ctx *ctx = g->ctx;

	if (g->conf->tracking_weight)
		return;
	for (unsigned i = 0; i < g->n; i++) {
		const struct vrrp_inst *vi = g->members[i];
		const struct vc_more *m = vc_more(vi->conf);

		for (unsigned k = 0; k < m->n_track_ifs; k++)
			if (m->track_ifs[k].weight)
				log_info("(%s) ignoring %s tracked interface weight due to SYNC group",
					 vi->name, m->track_ifs[k].name);
		for (unsigned k = 0; k < m->n_track_scripts; k++) {
			const struct vc_track_script *t = &m->track_scripts[k];
			const struct vc_script *sc = t->script >= 0 && (unsigned)t->script <
						     ctx->conf->n_scripts ?
						     ctx->conf->scripts[t->script] : NULL;

			if (t->has_weight ? t->weight : sc && sc->weight)
				log_info("(%s) ignoring tracked script %s with weights due to SYNC group",
					 vi->name, t->ref.name);
		}
	}
}

/* ---- life ---- */

static void group_free(struct vrrp_sync *g)
{
	for (unsigned i = 0; i < VC_NOTIFY__COUNT; i++)
		process_cmd_free(g->cmds[i]);
	free(g->members);
	free(g);
}

static struct vrrp_inst *find_inst(struct vrrp_ctx *ctx, const char *name)
{
	for (unsigned i = 0; i < ctx->n_insts; i++)
		if (!strcmp(ctx->insts[i]->name, name))
			return ctx->insts[i];
	return NULL;
}

/* The groups of ctx->conf that have members; vi->sync of every member set. */
void vrrp_sync_build(struct vrrp_ctx *ctx)
{
	const struct vrrp_conf *vc = ctx->conf;

	for (unsigned i = 0; i < ctx->n_insts; i++) {
		ctx->insts[i]->sync = NULL;
		ctx->insts[i]->sync_want_master = false;
	}
	ctx->syncs = xcalloc(vc->n_groups ? vc->n_groups : 1, sizeof(*ctx->syncs));
	ctx->n_syncs = 0;
	for (unsigned gi = 0; gi < vc->n_groups; gi++) {
		const struct vc_group *c = vc->groups[gi];
		const struct vc_cmd *cmds[VC_NOTIFY__COUNT] = {
			[VC_NOTIFY_MASTER] = &c->notify_master, [VC_NOTIFY_BACKUP] = &c->notify_backup,
			[VC_NOTIFY_FAULT] = &c->notify_fault, [VC_NOTIFY_STOP] = &c->notify_stop,
			[VC_NOTIFY_ANY] = &c->notify,
		};
		struct vrrp_sync *g;

		if (c->is_dup || !c->n_valid)
			continue;
		g = xcalloc(1, sizeof(*g));
		g->conf = c;
		g->ctx = ctx;
		g->name = c->id.name;
		g->state = VRRP_STATE_INIT;
		g->members = xcalloc(c->n_members, sizeof(*g->members));
		for (unsigned k = 0; k < c->n_members; k++) {
			struct vrrp_inst *vi = find_inst(ctx, c->members[k].name);

			if (!vi || vi->conf->sync_group != (int)gi || vi->sync)
				continue;
			vi->sync = g;
			g->members[g->n++] = vi;
			g->has_owner = g->has_owner || vi->fc.priority == 255;
		}
		for (unsigned k = 0; k < VC_NOTIFY__COUNT; k++)
			if (cmds[k] && cmds[k]->cmd)
				g->cmds[k] = vrrp_cmd_prepare(&ctx->cmds, cmds[k]->cmd, cmds[k]->user,
							      cmds[k]->group, NULL);
		ctx->syncs[ctx->n_syncs++] = g;
		log_member_weights(g);
	}
}

/* The members' trackers counted; FAULT at init for every member of a faulty group. */
static void group_start(struct vrrp_sync *g)
{
	bool owner_master[g->n ? g->n : 1], faulty[g->n ? g->n : 1];
	unsigned n_owner = 0;

	for (unsigned i = 0; i < g->n; i++) {
		struct vrrp_inst *vi = g->members[i];

		vrrp_inst_track_update(vi);
		faulty[i] = vi->n_faults > 0;
		owner_master[i] = vi->fc.priority == 255 && vi->fc.init_master;
		n_owner += owner_master[i];
	}
	g->state = vrrp_sync_init_state(owner_master, faulty, g->n);
	/* owners and others mixed: keepalived starts them all as BACKUP */
	if (n_owner && n_owner != g->n)
		for (unsigned i = 0; i < g->n; i++)
			g->members[i]->fc.init_master = false;
	if (g->state == VRRP_STATE_FAULT) {
		for (unsigned i = 0; i < g->n; i++)
			if (faulty[i])
				log_info("VRRP_Group(%s): Syncing %s to FAULT state", g->name,
					 g->members[i]->name);
		for (unsigned i = 0; i < g->n; i++)
			if (!faulty[i])
				feed(g->members[i], VRRP_EV_FAULT);	/* before its start */
	}
}

void vrrp_sync_begin(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_syncs; i++) {
		group_start(ctx->syncs[i]);
		/*
		 * keepalived: a BACKUP or FAULT group's notifies come before its members' first
		 * ones; a group of owners starting MASTER has none at start (2.2.7, observed)
		 */
		if (ctx->syncs[i]->state != VRRP_STATE_MASTER)
			group_notify(ctx->syncs[i], ctx->syncs[i]->state);
	}
}

/* A group's state from its members' (a reload). */
static enum vrrp_state members_state(const struct vrrp_sync *g)
{
	unsigned n_master = 0;

	for (unsigned i = 0; i < g->n; i++) {
		if (g->members[i]->fsm.state == VRRP_STATE_FAULT)
			return VRRP_STATE_FAULT;
		n_master += g->members[i]->fsm.state == VRRP_STATE_MASTER;
	}
	return n_master ? VRRP_STATE_MASTER : VRRP_STATE_BACKUP;
}

void vrrp_sync_reload(struct vrrp_ctx *ctx)
{
	struct vrrp_sync **old = ctx->syncs;
	unsigned n_old = ctx->n_syncs;

	ctx->syncs = NULL;
	vrrp_sync_build(ctx);
	for (unsigned i = 0; i < ctx->n_syncs; i++) {
		struct vrrp_sync *g = ctx->syncs[i];
		int was = -1;

		for (unsigned k = 0; k < n_old && was < 0; k++)
			if (!strcmp(old[k]->name, g->name)) {
				was = old[k]->state;
				g->last_mail_state = old[k]->last_mail_state;
			}
		g->state = members_state(g);
		/* keepalived: no group notify for a group whose state the reload kept */
		if ((int)g->state != was)
			group_notify(g, g->state);
		else if (vrrp_notify_states_on_reload(ctx->notify))	/* but its FIFO line */
			vrrp_notify_group_line(ctx->notify, g->name, g->state);
	}
	/* the old groups' member pointers may be gone: only names and states were read */
	for (unsigned k = 0; k < n_old; k++)
		group_free(old[k]);
	free(old);
}

void vrrp_sync_stop(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_syncs; i++) {
		ctx->syncs[i]->state = VRRP_STATE_STOP;
		group_notify(ctx->syncs[i], VRRP_STATE_STOP);
	}
}

void vrrp_sync_free(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_syncs; i++)
		group_free(ctx->syncs[i]);
	free(ctx->syncs);
	ctx->syncs = NULL;
	ctx->n_syncs = 0;
	for (unsigned i = 0; i < ctx->n_insts; i++)
		ctx->insts[i]->sync = NULL;
}

void vrrp_sync_info(const struct vrrp_sync *s, struct vrrp_sync_info *out)
{
	*out = (struct vrrp_sync_info){
		.name = s->name, .state = s->state, .members = s->members, .n = s->n,
		.conf = s->conf,
	};
}
