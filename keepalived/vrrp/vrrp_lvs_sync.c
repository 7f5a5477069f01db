// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_lvs_sync.c: lvs_sync_daemon tied to a VRRP instance (spec 4.5). */
#include "vrrp_lvs_sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/global_defs.h"
#include "core/ipvs.h"
#include "log.h"
#include "utils.h"
#include "vrrp_conf.h"
#include "vrrp_ctx.h"
#include "vrrp_inst.h"

/* the daemon running (ours to stop): IP_VS_STATE_MASTER 1, IP_VS_STATE_BACKUP 2, or none */
enum { SYNCD_NONE = 0, SYNCD_MASTER = 1, SYNCD_BACKUP = 2 };

/* lvs_sync_daemon's settings as written: a change of any of them restarts the daemon */
struct syncd_set {
	char ifname[16];
	char *inst;			/* the instance's name (owned) */
	int id;				/* -1: the instance's VRID */
	unsigned maxlen, port, ttl;
	struct inet_addr group;		/* family 0: none */
};

struct vrrp_lvs_sync {
	struct syncd_set set;
	struct ipvs_backend *b;		/* NULL: IPVS is not available */
	int running;			/* SYNCD_*: what we started and have not stopped */
	int running_syncid;		/* ... with this syncid (DEL_DAEMON sends it) */
};

/* The child is one process: the recording file and the no-ip_vs lines outlive a reload. */
static FILE *rec_file;
static bool no_ipvs_logged;

static void set_free(struct syncd_set *set)
{
	free(set->inst);
	set->inst = NULL;
}

/*
 * false: lvs_sync_daemon names no instance (none, or the checker runs it). Without it,
 * the first instance with the deprecated lvs_sync_daemon_interface stands for it (2.2.7).
 */
static bool set_of(const struct global_defs *gd, const struct vrrp_conf *conf,
		   struct syncd_set *out)
{
	struct gd_check g;

	global_defs_check(gd, &g);
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; !g.syncd_if && conf && i < conf->n_insts; i++) {
		const struct vc_instance *vi = conf->insts[i];

		if (!vi->is_dup && vc_more(vi)->lvs_sync_if) {
			g.syncd_if = vc_more(vi)->lvs_sync_if;
			g.syncd_inst = vi->id.name;
			g.syncd_id = -1;
		}
	}
	if (!g.syncd_if || !g.syncd_inst)
		return false;
	snprintf(out->ifname, sizeof(out->ifname), "%s", g.syncd_if);
	out->inst = xstrdup(g.syncd_inst);
	out->id = g.syncd_id;
	out->maxlen = g.syncd_maxlen;
	out->port = g.syncd_port;
	out->ttl = g.syncd_ttl;
	out->group = g.syncd_group;
	return true;
}

static bool set_same(const struct syncd_set *a, const struct syncd_set *b)
{
	return !strcmp(a->ifname, b->ifname) && !strcmp(a->inst, b->inst) && a->id == b->id &&
	       a->maxlen == b->maxlen && a->port == b->port && a->ttl == b->ttl &&
	       a->group.family == b->group.family &&
	       (!a->group.family || inet_addr_eq(&a->group, &b->group));
}

static struct vrrp_inst *inst_of(struct vrrp_ctx *ctx, const char *name)
{
	for (unsigned i = 0; i < ctx->n_insts; i++)
		if (ctx->insts[i] && !strcmp(ctx->insts[i]->name, name))
			return ctx->insts[i];
	return NULL;
}

/* 2.2.7's line when the instance is not in the config (it then forgets lvs_sync_daemon) */
static bool inst_exists(const struct vrrp_conf *conf, const struct syncd_set *set)
{
	for (unsigned i = 0; i < conf->n_insts; i++)
		if (!strcmp(conf->insts[i]->id.name, set->inst))
			return true;
	log_info("Unable to find vrrp instance %s for lvs_syncd - clearing lvs_syncd config",
		 set->inst);
	return false;
}

static void backend_open(struct vrrp_lvs_sync *s, bool reload)
{
	int r = ipvs_open_backend(reload, &rec_file, &s->b);

	/* Deliberate difference: 2.2.7's VRRP child exits FATAL here (and the parent with it). */
	if (s->b || r > 0 || no_ipvs_logged)
		return;
	no_ipvs_logged = true;
	log_err("IPVS: Can't initialize ipvs: %s", ipvs_strerror(IPVS_C__COUNT, -r));
	log_warn("lvs_sync_daemon for VRRP instance %s is not started: IPVS is not available",
		 s->set.inst);
}

static void backend_close(struct vrrp_lvs_sync *s)
{
	if (s->b && s->b->close)
		s->b->close(s->b);
	s->b = NULL;
}

static void syncd_stop(struct vrrp_lvs_sync *s)
{
	struct ipvs_daemon d = { .state = s->running, .syncid = s->running_syncid };

	if (s->running == SYNCD_NONE)
		return;
	s->running = SYNCD_NONE;
	if (s->b)
		ipvs_sync_stop(s->b, &d, false);	/* layer 2 logs a failure */
}

static void syncd_start(struct vrrp_lvs_sync *s, const struct vrrp_inst *vi, int state)
{
	struct ipvs_daemon d = { .state = state };

	if (!s->b)
		return;
	snprintf(d.mcast_ifn, sizeof(d.mcast_ifn), "%s", s->set.ifname);
	d.syncid = s->set.id >= 0 ? s->set.id : vi->conf->vrid;
	d.sync_maxlen = (uint16_t)s->set.maxlen;
	d.mcast_port = (uint16_t)s->set.port;
	d.mcast_ttl = (uint8_t)s->set.ttl;
	if (s->set.group.family) {
		d.mcast_af = s->set.group.family;
		if (d.mcast_af == AF_INET)
			d.mcast_group.v4 = s->set.group.v4;
		else
			d.mcast_group.v6 = s->set.group.v6;
	}
	/* a failure is logged; 2.2.7 still stops it later (it may be someone else's) */
	ipvs_sync_start(s->b, &d, false);
	s->running = state;
	s->running_syncid = d.syncid;
}

static int syncd_want(enum vrrp_state state)
{
	switch (state) {
	case VRRP_STATE_MASTER:
		return SYNCD_MASTER;
	case VRRP_STATE_BACKUP:
	case VRRP_STATE_FAULT:
		return SYNCD_BACKUP;
	default:
		return SYNCD_NONE;
	}
}

static struct vrrp_lvs_sync *vrrp_lvs_sync_new(const struct global_defs *gd,
					       struct vrrp_ctx *ctx)
{
	struct vrrp_lvs_sync *s;
	struct syncd_set set;

	if (!set_of(gd, ctx->conf, &set))
		return NULL;
	if (!inst_exists(ctx->conf, &set)) {
		set_free(&set);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->set = set;
	backend_open(s, false);
	return s;
}

static void vrrp_lvs_sync_state(struct vrrp_lvs_sync *s, const struct vrrp_inst *vi,
				enum vrrp_state prev, enum vrrp_state state)
{
	int want = syncd_want(state);

	if (!s || strcmp(vi->name, s->set.inst) || want == s->running)
		return;
	/* 2.2.7 starts BACKUP at every instance's start, an owner's too (then MASTER) */
	if (prev == VRRP_STATE_INIT && s->running == SYNCD_NONE && want == SYNCD_MASTER)
		syncd_start(s, vi, SYNCD_BACKUP);
	syncd_stop(s);
	if (want != SYNCD_NONE)
		syncd_start(s, vi, want);
}

static struct vrrp_lvs_sync *vrrp_lvs_sync_reload_begin(struct vrrp_lvs_sync *s,
							const struct global_defs *gd,
							const struct vrrp_conf *nc)
{
	struct syncd_set set;
	bool have = set_of(gd, nc, &set);

	if (s && have && set_same(&s->set, &set)) {
		set_free(&set);
		return s;
	}
	if (s) {
		syncd_stop(s);
		backend_close(s);
		set_free(&s->set);
		free(s);
		s = NULL;
	}
	if (!have)
		return NULL;
	if (!inst_exists(nc, &set)) {
		set_free(&set);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->set = set;
	backend_open(s, true);
	return s;
}

static void vrrp_lvs_sync_reload_end(struct vrrp_lvs_sync *s, struct vrrp_ctx *ctx)
{
	struct vrrp_inst *vi;

	if (!s)
		return;
	vi = inst_of(ctx, s->set.inst);
	if (vi && s->running == SYNCD_NONE)
		vrrp_lvs_sync_state(s, vi, vi->fsm.state, vi->fsm.state);
}

static void vrrp_lvs_sync_free(struct vrrp_lvs_sync *s)
{
	if (!s)
		return;
	backend_close(s);
	set_free(&s->set);
	free(s);
}

const struct vrrp_lvs_sync_ops vrrp_lvs_sync_impl = {
	.start = vrrp_lvs_sync_new,
	.state = vrrp_lvs_sync_state,
	.reload_begin = vrrp_lvs_sync_reload_begin,
	.reload_end = vrrp_lvs_sync_reload_end,
	.free = vrrp_lvs_sync_free,
};
