// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_ctx.c: the VRRP child's context: instances, sockets, queues; start and stop. */
#include "vrrp_ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nl.h"
#include "vrrp_fw.h"
#include "vrrp_lvs_sync.h"
#include "vrrp_misc.h"
#include "vrrp_notify.h"
#include "vrrp_route.h"
#include "vrrp_sock.h"
#include "vrrp_sync.h"
#include "vrrp_static.h"
#include "vrrp_track.h"
#include "vrrp_trackers.h"
#include "vrrp_vipq.h"
#include "vrrp_vmac.h"

/*
 * The stop is over once nothing it started still runs: no VIP operation (the
 * instances' removals, a retired instance's too, and any that was under way when the
 * stop came), no notify script. Asked whenever one of them becomes idle.
 */
static void check_stopped(struct vrrp_ctx *ctx)
{
	if (!ctx->stopping || ctx->stopped || (ctx->vipq && vrrp_vipq_busy(ctx->vipq)) ||
	    (ctx->notify && vrrp_notify_busy(ctx->notify)) || vrrp_static_busy(ctx))
		return;
	ctx->stopped = true;
	vrrp_vmacs_free(ctx->vmacs);	/* VMACs deleted, sysctls back: before "Stopped" as 2.2.7 */
	ctx->vmacs = NULL;
	if (ctx->stopped_cb)
		ctx->stopped_cb(ctx);
}

static void part_idle_cb(void *arg)
{
	struct vrrp_ctx *ctx = arg;

	if (!ctx->stopping && ctx->vipq && !vrrp_vipq_busy(ctx->vipq))
		vrrp_vmacs_gc(ctx->vmacs);	/* VMACs of instances gone, now without VIPs */
	check_stopped(arg);
}

struct vrrp_sock_ent *vrrp_ctx_sock(struct vrrp_ctx *ctx, int ifindex, int family, int proto,
				    const char *ifname, const char *inst_name)
{
	struct vrrp_sock_ent *e;
	int r;

	for (unsigned i = 0; i < ctx->n_socks; i++) {
		e = ctx->socks[i];
		if (vrrp_sock_ifindex(e->vs) == ifindex && vrrp_sock_family(e->vs) == family &&
		    vrrp_sock_proto(e->vs) == proto)
			return e;
	}
	/* each entry has its own allocation: its socket's callback argument points at it */
	e = xcalloc(1, sizeof(*e));
	e->ctx = ctx;
	r = vrrp_sock_open(&e->vs, ctx->sock_batch, family, proto, ifindex, ifname,
			   vrrp_inst_rx_cb, e);
	if (r < 0) {
		log_err("(%s) cannot open a VRRP socket on %s: %s", inst_name, ifname, strerror(-r));
		free(e);
		return NULL;
	}
	if (family == AF_INET)	/* misc: the old unicast checksum, per instance (vrrp_misc.c) */
		vrrp_sock_set_old_csum_dst(e->vs, &ctx->gd.mcast_group4);
	ctx->socks = xrealloc(ctx->socks, (ctx->n_socks + 1) * sizeof(*ctx->socks));
	ctx->socks[ctx->n_socks++] = e;
	return e;
}

/* ---- the reflector's events ---- */

static void link_cb(void *arg, const struct reflector_if *ifp, enum reflector_link_ev ev,
		    const char *old_name)
{
	struct vrrp_ctx *ctx = arg;

	(void)old_name;
	if (ev != REFLECTOR_LINK_UP && ev != REFLECTOR_LINK_DOWN && ev != REFLECTOR_LINK_DEL &&
	    ev != REFLECTOR_LINK_NEW && ev != REFLECTOR_LINK_RENAME)
		return;
	if (vrrp_misc_link_delayed(ctx, ifp, ev))	/* interface_up_down_delays */
		return;
	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_link_event(ctx->insts[i], ifp, ev);
	if (ev == REFLECTOR_LINK_UP)
		vrrp_static_link_event(ctx, ifp);	/* routes: static ones back on it */
}

static void addr_cb(void *arg, const struct reflector_if *ifp, const struct reflector_addr *ra,
		    bool added)
{
	struct vrrp_ctx *ctx = arg;

	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_addr_event(ctx->insts[i], ifp, ra, added);
	vrrp_static_addr_event(ctx, ifp, ra, added);	/* routes: static addresses restored */
	vrrp_misc_addr_event(ctx, ra, added);	/* track_src_ip */
}

static bool is_used(void *arg, const struct reflector_if *ifp)
{
	struct vrrp_ctx *ctx = arg;

	for (unsigned i = 0; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];

		if (vi->ifindex == ifp->ifindex || !strcmp(vi->ifname, ifp->name))
			return true;
		for (unsigned k = 0; k < vc_more(vi->conf)->n_track_ifs; k++)
			if (!strcmp(vc_more(vi->conf)->track_ifs[k].name, ifp->name))
				return true;
		if (vrrp_sync_tracks_if(vi, ifp->name))
			return true;
	}
	return vrrp_static_if_used(ctx, ifp->name);	/* routes: track_group interfaces */
}

/* ---- start, stop ---- */

const struct vrrp_lvs_sync_ops *vrrp_lvs_sync;

/*
 * vrrp_netlink_cmd_rcv_bufs / vrrp_netlink_monitor_rcv_bufs (and their _force): the
 * receive buffers of the netlink socket for requests (VIPs, routes) and of the
 * reflector's (link and address events), when given; else lib/nl's default.
 */
void vrrp_ctx_netlink_bufs(struct vrrp_ctx *ctx)
{
	unsigned cmd, mon;
	bool cmd_force, mon_force;
	int r;

	global_defs_vrrp_netlink(ctx->cmds.gd, &cmd, &cmd_force, &mon, &mon_force);
	if (cmd && ctx->nl && (r = nl_tx_set_rcvbuf(ctx->nl, cmd, cmd_force)) < 0)
		log_warn("Cannot set the netlink command socket's receive buffer to %u: %s", cmd,
			 strerror(-r));
	if (mon && ctx->refl && (r = reflector_set_rcvbuf(ctx->refl, mon, mon_force)) < 0)
		log_warn("Cannot set the netlink monitor socket's receive buffer to %u: %s", mon,
			 strerror(-r));
}

int vrrp_ctx_start(struct vrrp_ctx *ctx)
{
	const struct vrrp_conf *vc = ctx->conf;
	struct reflector_cbs cbs = { .link_cb = link_cb, .addr_cb = addr_cb, .is_used = is_used,
				     .arg = ctx };
	int r;

	vrrp_vmac_start(ctx);	/* VMACs first: the reflector's dump finds them */
	/* routes: the static entries first, so that the reflector's dump has them (#2695) */
	vrrp_static_install(vc->statics);
	if ((r = reflector_new(&ctx->refl, ctx->s, &cbs)) < 0) {
		log_err("Cannot start the netlink reflector: %s", strerror(-r));
		return r;
	}
	if ((r = nl_tx_new(&ctx->nl, ctx->s)) < 0 || (r = garp_sock_open(&ctx->garp_sock)) < 0) {
		log_err("Cannot open netlink/packet sockets: %s", strerror(-r));
		return r;
	}
	vrrp_ctx_netlink_bufs(ctx);
	ctx->vipq = vrrp_vipq_new(ctx->nl, vrrp_inst_vips_of, part_idle_cb, ctx);
	ctx->routes = vrrp_routes_new(ctx->s, ctx->nl, ctx->refl, part_idle_cb, ctx);
	vrrp_static_start(ctx);
	ctx->notify = vrrp_notify_new(ctx->s, part_idle_cb, ctx);
	vrrp_notify_open(ctx->notify, &ctx->cmds);	/* FIFOs: before any instance starts */
	ctx->garp_ctx = garp_ctx_new(ctx->s, garp_sock_send, ctx->garp_sock);
	ctx->pace = garp_pace_new(ctx->gd.garp_interval_us, ctx->gd.gna_interval_us);
	ctx->sock_batch = vrrp_sock_batch_new(ctx->s, vrrp_inst_send_err_cb);
	ctx->socks = NULL;
	ctx->insts = xcalloc(vc->n_insts ? vc->n_insts : 1, sizeof(*ctx->insts));
	for (unsigned i = 0; i < vc->n_insts; i++)
		if (!vc->insts[i]->is_dup)
			ctx->insts[ctx->n_insts++] = vrrp_inst_new(ctx, vc->insts[i]);
	vrrp_sync_build(ctx);
	if ((r = vrrp_scripts_start(ctx, NULL)) < 0)
		return r;
	vrrp_trackers_start(ctx, false);
	process_security_summary(ctx->cmds.n_cmds, ctx->cmds.n_insecure, ctx->cmds.security);
	if (vrrp_lvs_sync)
		ctx->lvs = vrrp_lvs_sync->start(ctx->cmds.gd, ctx);
	vrrp_fw_ctx_conf(ctx, vc);
	vrrp_misc_start(ctx);
	vrrp_sync_begin(ctx);
	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_begin(ctx->insts[i]);
	return 0;
}

void vrrp_ctx_stop(struct vrrp_ctx *ctx)
{
	ctx->stopping = true;
	if (ctx->notify)
		vrrp_notify_stopping(ctx->notify);
	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_feed(ctx->insts[i], &(struct vrrp_fsm_in){ .ev = VRRP_EV_STOP,
				.now_us = vrrp_now_us(ctx->insts[i]) });
	vrrp_sync_stop(ctx);
	if (ctx->release_vips)
		vrrp_static_stop(ctx);	/* routes: after the instances, as keepalived */
	vrrp_scripts_free(ctx);
	vrrp_trackers_free(ctx);
	check_stopped(ctx);
}

void vrrp_ctx_free(struct vrrp_ctx *ctx)
{
	if (!ctx)
		return;
	vrrp_sync_free(ctx);
	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_free(ctx->insts[i]);
	free(ctx->insts);
	ctx->insts = NULL;
	ctx->n_insts = 0;
	vrrp_conflict_ctx_free(ctx);	/* conflict: its sockets */
	if (ctx->lvs)
		vrrp_lvs_sync->free(ctx->lvs);
	ctx->lvs = NULL;
	vrrp_scripts_free(ctx);
	vrrp_trackers_free(ctx);
	vrrp_vipq_free(ctx->vipq);
	ctx->vipq = NULL;
	vrrp_static_free(ctx);
	vrrp_routes_free(ctx->routes);
	ctx->routes = NULL;
	vrrp_notify_free(ctx->notify);
	ctx->notify = NULL;
	for (unsigned i = 0; i < ctx->n_socks; i++) {
		vrrp_sock_close(ctx->socks[i]->vs);
		free(ctx->socks[i]);
	}
	free(ctx->socks);
	ctx->socks = NULL;
	ctx->n_socks = 0;
	vrrp_sock_batch_free(ctx->sock_batch);
	ctx->sock_batch = NULL;
	garp_pace_free(ctx->pace);
	garp_ctx_free(ctx->garp_ctx);
	ctx->garp_ctx = NULL;
	garp_sock_close(ctx->garp_sock);
	vrrp_misc_free(ctx);
	nl_tx_free(ctx->nl);
	reflector_free(ctx->refl);
	vrrp_vmacs_free(ctx->vmacs);	/* VMACs deleted, sysctls back */
	ctx->vmacs = NULL;
	vrrp_fw_ctx_free(ctx);	/* the tables go last, after the addresses */
}
