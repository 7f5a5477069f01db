// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_inst.c: one VRRP instance at run time: the FSM's actions carried out. */
#include "vrrp_inst.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "scheduler.h"
#include "vrrp_ctx.h"
#include "vrrp_eff.h"
#include "vrrp_fw.h"
#include "vrrp_lvs_sync.h"
#include "vrrp_misc.h"
#include "vrrp_notify.h"
#include "vrrp_resume.h"
#include "vrrp_sock.h"
#include "vrrp_sync.h"
#include "vrrp_static.h"
#include "vrrp_status.h"
#include "vrrp_track.h"
#include "vrrp_vipq.h"
#include "vrrp_vmac.h"

uint64_t vrrp_now_us(const struct vrrp_inst *vi)
{
	return sched_now_us(vi->ctx->s);
}

static const char *addr_str(const struct inet_addr *a, char *buf)
{
	return inet_addr_str(a, buf, INET6_ADDRSTRLEN);
}

/* ---- sending ---- */

void vrrp_inst_send_err_cb(void *cookie, const struct inet_addr *dst, int err)
{
	struct vrrp_inst *vi = cookie;

	(void)dst;
	if (vrrp_rx_log_pass(vi, VRRP_LINE_SEND_ERR))	/* keepalived's line: */
		log_info("(%s): send advert error %d (%s)", vi->name, -err, strerror(-err));
}

struct inet_addr vrrp_inst_group(const struct vrrp_inst *vi)
{
	return vrrp_eff_group(vi->conf, vi->family, &vi->ctx->gd);
}

/* Queued: see apply() for when the batch goes out. */
static void send_advert(struct vrrp_inst *vi, uint8_t prio)
{
	const struct vc_instance *c = vi->conf;
	const struct vc_more *m = vc_more(c);
	struct vrrp_pkt_tx tx = {
		.version = vi->version,
		.vrid = c->vrid,
		.priority = prio,
		.adver_int_cs = vi->fc.adver_int_cs,
		.src = vi->src,
		.addrs = vrrp_vip_addrs(vi),
		.n_addrs = vi->n_vip_addrs,
		.auth = vi->auth,
		.ah_seq = &vi->ah_seq,
	};
	unsigned n_dst = m->n_peers ? m->n_peers : 1;
	struct inet_addr group;

	if (!vi->ent || !vi->has_src)
		return;
	if (!m->n_peers)
		group = vrrp_inst_group(vi);
	tx.csum_dst = vrrp_misc_tx_csum_dst(vi);	/* old_unicast_checksum */
	tx.csum_as_v2 = vrrp_misc_csum_as_v2(vi);	/* v3_checksum_as_v2 */
	for (unsigned i = 0; i < n_dst; i++) {
		int len, r;

		tx.dst = m->n_peers ? m->peers[i].addr : group;
		tx.ttl = m->n_peers && m->unicast_ttl > 0 ? m->unicast_ttl : 0;
		/* keepalived counts from 1; 0 would make the kernel pick one (and break AH) */
		if (++vi->ip_id == 0)
			vi->ip_id = 1;
		tx.ip_id = vi->ip_id;
		len = vrrp_pkt_encode(&tx, vi->ctx->tx_buf, sizeof(vi->ctx->tx_buf));
		if (len < 0) {
			log_err("(%s) cannot build an advert: %s", vi->name, strerror(-len));
			return;
		}
		r = vrrp_sock_queue(vi->ent->vs, vi->ctx->tx_buf, len, &vi->src, &tx.dst, vi);
		if (r < 0)
			vrrp_inst_send_err_cb(vi, &tx.dst, r);
	}
	vi->n_adverts_tx++;
	if (!prio)
		vi->n_prio0_tx++;
}

void vrrp_inst_vips_of(const struct vrrp_vipq_slot *sl, const char **name,
		       const struct vrrp_ipaddr **addrs, unsigned *n)
{
	const struct vrrp_inst *vi = (const struct vrrp_inst *)
				     ((const char *)sl - offsetof(struct vrrp_inst, vq));

	*name = vi->name;
	*addrs = vi->all_vips;
	*n = vi->n_all_vips;
}

/* Adds or removes the instance's addresses, in the context's queue (see vrrp_vipq.h). */
static void vips_apply(struct vrrp_inst *vi, bool add)
{
	vi->vips_set = add;
	if (vi->n_all_vips)
		vrrp_vipq_request(vi->ctx->vipq, &vi->vq, add);
}

/* ---- the FSM's actions ---- */

static void timer_cb(struct sched_ev *ev, void *arg);

/* Only for a line that shows it: most adverts log nothing. */
static const char *from_str(const struct inet_addr *from, char *b)
{
	return from ? addr_str(from, b) : "?";
}

/* The kind of line an advert's why logs, limited per instance (vrrp_rx.c); -1: none. */
static int rx_line(enum vrrp_why why)
{
	switch (why) {
	case VRRP_WHY_RX_LOWER_DISCARD: return VRRP_LINE_LOWER_DISCARD;
	case VRRP_WHY_RX_PREEMPT_DELAY_START: return VRRP_LINE_PREEMPT_DELAY;
	case VRRP_WHY_RX_PRIO0_BACKUP: return VRRP_LINE_PRIO0_BACKUP;
	case VRRP_WHY_RX_PRIO0_MASTER: return VRRP_LINE_PRIO0_MASTER;
	case VRRP_WHY_RX_OWNER_CONFLICT: return VRRP_LINE_HIGHER;
	case VRRP_WHY_RX_HIGHER: return VRRP_LINE_HIGHER;
	case VRRP_WHY_RX_EQUAL_HIGHER_ADDR: return VRRP_LINE_EQUAL_HIGHER_ADDR;
	case VRRP_WHY_RX_LOWER_MASTER: return VRRP_LINE_LOWER_MASTER;
	default: return -1;
	}
}

/* keepalived's line for why the FSM did what it did (the state line is apply's). */
static void why_line(struct vrrp_inst *vi, const struct vrrp_fsm_out *o,
		     const struct vrrp_fsm_in *in, const struct inet_addr *from)
{
	char b[INET6_ADDRSTRLEN];

	switch (o->why) {
	case VRRP_WHY_OWNER:
	case VRRP_WHY_DOWN_TIMEOUT:
		log_detail("(%s) Receive advertisement timeout", vi->name);
		break;
	case VRRP_WHY_INIT_FAULT:
		/* a tracked script that has not answered yet: keepalived says nothing */
		if (!vi->fault_scripts_only)
			log_info("(%s) entering FAULT state", vi->name);
		break;
	case VRRP_WHY_RX_LOWER_DISCARD:
		log_info("(%s) received lower priority (%u) advert from %s - discarding", vi->name,
			 in->peer_prio, from_str(from, b));
		break;
	case VRRP_WHY_RX_PREEMPT_DELAY_START:
		log_info("(%s) start preempt delay (%f)", vi->name, vi->fc.preempt_delay_us / 1e6);
		break;
	case VRRP_WHY_RX_PRIO0_BACKUP:
		log_detail("(%s) Backup received priority 0 advertisement", vi->name);
		break;
	case VRRP_WHY_RX_PRIO0_MASTER:
		log_detail("(%s) Master received priority 0 message", vi->name);
		break;
	case VRRP_WHY_RX_OWNER_CONFLICT:
		log_info("(%s) CONFIGURATION ERROR: local instance and a remote instance are both "
			 "configured as address owner, please fix - reducing local priority", vi->name);
		/* fall through */
	case VRRP_WHY_RX_HIGHER:
		log_info("(%s) Master received advert from %s with higher priority %u, ours %u",
			 vi->name, from_str(from, b), in->peer_prio, vi->fsm.eff_prio);
		break;
	case VRRP_WHY_RX_EQUAL_HIGHER_ADDR:
		log_info("(%s) Master received advert from %s with same priority %u but higher IP address than ours",
			 vi->name, from_str(from, b), in->peer_prio);
		break;
	case VRRP_WHY_RX_LOWER_MASTER:
		log_info("(%s) Received advert from %s with lower priority %u, ours %u%s", vi->name,
			 from_str(from, b), in->peer_prio, vi->fsm.eff_prio,
			 vi->fc.lower_prio_no_advert ? "" : ", forcing new election");
		break;
	case VRRP_WHY_PRIO:
		if (o->old_prio != vi->fsm.eff_prio)
			log_info("(%s) Changing effective priority from %u to %u", vi->name, o->old_prio,
				 vi->fsm.eff_prio);
		break;
	default:
		break;
	}
}

/*
 * The lines of a step, before apply's: those an advert causes are limited per instance
 * and kind, so that a flood of valid adverts cannot flood the log.
 */
static void log_why(struct vrrp_inst *vi, const struct vrrp_fsm_out *o, const struct vrrp_fsm_in *in,
		    const struct inet_addr *from)
{
	int kind = rx_line(o->why);

	if (kind < 0 || vrrp_rx_log_pass(vi, kind))
		why_line(vi, o, in, from);
	/* a backup learning the master's interval is said before its state line */
	if (o->old_adver_int_cs && o->state != VRRP_STATE_MASTER &&
	    vrrp_rx_log_pass(vi, VRRP_LINE_ADVER_INT))
		log_detail("(%s) advertisement interval updated from %ums to %ums by master", vi->name,
			 o->old_adver_int_cs * 10, vi->fsm.master_adver_int_cs * 10);
}

static void apply(struct vrrp_inst *vi, const struct vrrp_fsm_out *o)
{
	struct vrrp_ctx *ctx = vi->ctx;
	uint32_t a = o->acts;

	/* one timer: the FSM never runs both (cancels come before arms) */
	if ((a & VRRP_ACT_CANCEL_ADVER) && !vi->timer_is_down)
		sched_cancel(&vi->ev_timer);
	if ((a & VRRP_ACT_CANCEL_DOWN) && vi->timer_is_down)
		sched_cancel(&vi->ev_timer);
	/* keepalived's first line at a start, whatever comes next (an owner: MASTER) */
	if (o->why == VRRP_WHY_INIT || o->why == VRRP_WHY_INIT_FAULT || o->why == VRRP_WHY_OWNER) {
		vrrp_route_inst_init(vi);	/* routes: "removing Virtual Rules|Routes" first */
		log_detail("(%s) removing VIPs.", vi->name);
		if (vi->firewall)
			log_detail("(%s) removing firewall drop rule", vi->name);
	}
	if (o->state != o->prev) {
		if (o->state == VRRP_STATE_MASTER)
			vi->n_became_master++;
		vrrp_dump_transition(vi, o->prev, o->state);
		vi->n_transitions++;
		/* an owner waiting for the delayed start says nothing, as keepalived */
		if (o->why == VRRP_WHY_INIT && vi->misc_owner_start)
			;
		else if (o->why == VRRP_WHY_INIT)
			log_info("(%s) Entering BACKUP STATE (init)", vi->name);
		else if (o->state != VRRP_STATE_STOP && o->why != VRRP_WHY_INIT_FAULT)
			log_info("(%s) Entering %s STATE", vi->name, vrrp_state_str(o->state));
		if (o->state == VRRP_STATE_MASTER && o->old_adver_int_cs)
			log_detail("(%s) changing advert interval from %ums to locally configured %ums",
				 vi->name, o->old_adver_int_cs * 10, vi->fsm.master_adver_int_cs * 10);
	}
	/*
	 * Adverts wait for the end of the loop iteration (one sendmmsg for all), except one
	 * that goes with a state change: a priority 0 leaves before the VIPs are removed
	 * (and the socket closed, the process gone), a new master's first before its VIPs
	 * and GARPs, as keepalived orders them on the wire.
	 */
	if (a & VRRP_ACT_SEND_PRIO0) {
		send_advert(vi, 0);
		vrrp_sock_flush(ctx->sock_batch);
		log_detail("(%s) sent 0 priority", vi->name);
	}
	if (a & VRRP_ACT_SEND_ADVERT) {
		send_advert(vi, vi->fsm.eff_prio);
		if (o->state != o->prev)
			vrrp_sock_flush(ctx->sock_batch);
	}
	if (a & VRRP_ACT_GARP_STOP)
		garp_stop(vi->garp);
	/* routes: rules and routes go before the VIPs, as in keepalived */
	if ((a & VRRP_ACT_DEL_VIPS) && !(ctx->stopping && !ctx->release_vips))
		vrrp_route_inst_apply(vi, false);
	if (a & (VRRP_ACT_GARP_STOP | VRRP_ACT_GARP_START))
		vrrp_misc_extra_garp(vi, (a & VRRP_ACT_GARP_START) != 0);	/* garp_extra_if */
	if ((a & VRRP_ACT_DEL_VIPS) && vi->vips_set) {
		log_detail("(%s) removing VIPs.", vi->name);
		if (ctx->stopping && !ctx->release_vips)
			vi->vips_set = false;
		else
			vips_apply(vi, false);
		vrrp_fw_inst(vi, false);	/* after the addresses, as keepalived */
	}
	if (a & VRRP_ACT_ADD_VIPS) {
		vrrp_fw_inst(vi, true);		/* before them: nothing gets through meanwhile */
		if (vi->n_all_vips)
			log_detail("(%s) setting VIPs.", vi->name);
		vips_apply(vi, true);
		vrrp_route_inst_apply(vi, true);	/* routes: after the VIPs */
	}
	if (a & (VRRP_ACT_GARP_START | VRRP_ACT_GARP_LOWER))
		vrrp_misc_na_router(vi);	/* the NA R flag: IPv6 forwarding, as 2.2.7 */
	if (a & VRRP_ACT_GARP_START)
		garp_start_master(vi->garp);
	if (a & VRRP_ACT_GARP_LOWER) {
		garp_lower_prio(vi->garp);
		if (vi->sync)
			vrrp_sync_garp_lower(vi);
	}
	if (a & (VRRP_ACT_ARM_ADVER | VRRP_ACT_ARM_DOWN)) {
		vi->timer_is_down = !(a & VRRP_ACT_ARM_ADVER);
		sched_timer(ctx->s, &vi->ev_timer,
			    vi->timer_is_down ? vrrp_misc_down_us(vi, o->down_us) : o->adver_us,
			    timer_cb, vi);
	}
	if (o->why == VRRP_WHY_PRIO && o->old_prio != vi->fsm.eff_prio)
		vrrp_notify_inst_prio(vi, o->prev);
	if (a & VRRP_ACT_NOTIFY) {
		vrrp_notify_inst(vi, o->prev, o->state);	/* scripts, FIFO line, mail */
	}
	if (a & VRRP_ACT_NOTIFY_RX_LOWER)
		vrrp_notify_rx_lower(ctx->notify, vi->name, vi->notify_cmd, vi->fsm.eff_prio);
	if (o->why == VRRP_WHY_RX_LOWER_MASTER)		/* with or without the script */
		vrrp_notify_inst_rx_lower(vi);
	/* lvs_sync_daemon on this instance: after the notifies, as 2.2.7 */
	if (o->state != o->prev && ctx->lvs)
		vrrp_lvs_sync->state(ctx->lvs, vi, o->prev, o->state);
	/* its sync group follows, after its own notifies (keepalived's order) */
	if (o->state != o->prev && vi->sync)
		vrrp_sync_member_moved(vi, o->prev, o->state);
	/* conflict: the failover line, the conflict sockets follow the masters */
	if (o->state != o->prev)
		vrrp_conflict_moved(vi, o->prev, o->state);
	if (o->state != o->prev)
		vrrp_resume_changed(ctx);	/* the parent knows what a successor may resume */
}

void vrrp_inst_feed_from(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
			 const struct inet_addr *from)
{
	struct vrrp_fsm_out o;

	vrrp_fsm_step(&vi->fc, &vi->fsm, in, &o);
	vrrp_status_note(vi, in, &o, from);
	log_why(vi, &o, in, from);
	apply(vi, &o);
	vrrp_conflict_advert(vi, in, &o, from);	/* another master? the last advert heard */
}

void vrrp_inst_feed(struct vrrp_inst *vi, const struct vrrp_fsm_in *in)
{
	vrrp_inst_feed_from(vi, in, NULL);
}

void vrrp_inst_queue_advert(struct vrrp_inst *vi)
{
	send_advert(vi, vi->fsm.eff_prio);
}

static void feed_ev(struct vrrp_inst *vi, enum vrrp_ev ev)
{
	vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = ev, .now_us = vrrp_now_us(vi) });
}

static void timer_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_inst *vi = arg;

	if (vi->timer_is_down && vi->sync && vrrp_sync_hold_master(vi)) {
		/* its sync group holds it back until the others want MASTER too */
		sched_timer(vi->ctx->s, &vi->ev_timer,
			    vrrp_fsm_down_us(vi->version, vi->fsm.eff_prio,
					     vi->fsm.master_adver_int_cs, vi->fc.down_timer_adverts),
			    timer_cb, vi);
		return;
	}
	feed_ev(vi, vi->timer_is_down ? VRRP_EV_MASTER_DOWN : VRRP_EV_ADVER_TIMER);
}

/* ---- source address and socket ---- */

/* unicast_src_ip / mcast_src_ip, else NULL: the interface's address. */
static const struct inet_addr *src_configured(const struct vrrp_inst *vi)
{
	const struct vc_more *m = vc_more(vi->conf);

	if (m->n_peers && m->unicast_src.family)
		return &m->unicast_src;
	return m->mcast_src.family ? &m->mcast_src : NULL;
}

/* Where the advert source comes from: the interface, or a VMAC's base interface. */
static int src_ifindex(const struct vrrp_inst *vi)
{
	const struct reflector_if *b;

	if (!vi->vmac_base)
		return vi->ifindex;
	b = reflector_if_by_name(vi->ctx->refl, vi->vmac_base);
	return b ? b->ifindex : 0;
}

/* The interface's first address of vi's family (link-local for IPv6) that is none of its VIPs. */
static bool find_src(const struct vrrp_inst *vi, struct inet_addr *out)
{
	const struct reflector_addr *a = NULL;
	int ifindex = src_ifindex(vi);

	while (ifindex && (a = reflector_addr_next(vi->ctx->refl, ifindex, a))) {
		bool mine = false;

		if (a->addr.family != vi->family)
			continue;
		if (vi->family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
			continue;
		for (unsigned k = 0; k < vi->n_all_vips && !mine; k++)
			mine = inet_addr_eq(&vi->all_vips[k].addr, &a->addr);
		if (!mine) {
			*out = a->addr;
			return true;
		}
	}
	return false;
}

/* The advert source; without one the instance is in fault (vrrp_inst_track_update()). */
static void pick_src(struct vrrp_inst *vi, bool quiet)
{
	const struct inet_addr *c = src_configured(vi);

	vi->has_src = true;
	if (c)
		vi->src = *c;
	else if (!find_src(vi, &vi->src))
		vi->has_src = false;
	vi->no_src = !vi->has_src;
	if (vi->no_src && !quiet)
		log_warn("(%s) Cannot find an IP address to use for interface %s", vi->name,
			 vi->ifname);
}

/* Unhooks vi from its socket: its VRID, its membership of group (the one it joined). */
static void detach(struct vrrp_inst *vi, const struct inet_addr *group)
{
	if (vi->ent) {
		if (vi->ent->by_vrid[vi->conf->vrid] == vi)
			vi->ent->by_vrid[vi->conf->vrid] = NULL;
		if (vi->joined)
			vrrp_sock_leave(vi->ent->vs, group);
	}
	vi->joined = false;
	vi->ent = NULL;
}

/* Source address, shared socket (VRID table, multicast group, TTL range) for vi's interface. */
static void attach(struct vrrp_inst *vi)
{
	struct vrrp_ctx *ctx = vi->ctx;
	const struct vc_instance *c = vi->conf;
	const struct vc_more *m = vc_more(c);
	struct vrrp_sock_ent *e;
	struct inet_addr group;
	/* a VMAC's adverts go on the VMAC, or on its base with vmac_xmit_base */
	const char *sname = vrrp_vmac_xmit_ifname(vi);
	const struct reflector_if *sif = reflector_if_by_name(ctx->refl, sname);
	int r;

	pick_src(vi, false);
	if (!sif)
		return;
	e = vrrp_ctx_sock(ctx, sif->ifindex, vi->family, vi->auth && vrrp_auth_get_type(vi->auth) ==
			  VRRP_AUTH_AH ? VRRP_PROTO_AH : VRRP_PROTO, sname, vi->name);
	if (!e)
		return;
	if (e->by_vrid[c->vrid])
		log_err("(%s) VRID %u is already used by %s on %s", vi->name, c->vrid,
			e->by_vrid[c->vrid]->name, vi->ifname);
	else
		e->by_vrid[c->vrid] = vi;
	vi->ent = e;
	/* which adverts vi accepts (destination, source, TTL) is vrrp_rx.c's check */
	if (m->n_peers)
		return;
	group = vrrp_inst_group(vi);
	if ((r = vrrp_sock_join(e->vs, &group)) < 0)
		log_err("(%s) cannot join the VRRP group on %s: %s", vi->name, vi->ifname,
			strerror(-r));
	else
		vi->joined = true;
}

/* ---- VIPs ---- */

/* VIPs and GARP entries follow their interfaces by name. */
static void refresh_vip_ifindex(struct vrrp_inst *vi)
{
	vi->n_garp_addrs = 0;
	for (unsigned k = 0; k < vi->n_all_vips; k++) {
		struct vrrp_ipaddr *a = &vi->all_vips[k];
		const struct reflector_if *ifp = reflector_if_by_name(vi->ctx->refl, a->ifname);

		a->ifindex = ifp ? ifp->ifindex : 0;
		if (ifp) {
			struct garp_addr *g = &vi->garp_addrs[vi->n_garp_addrs++];

			g->ifindex = ifp->ifindex;
			g->ifname = a->ifname;
			memcpy(g->hw, ifp->hwaddr, sizeof(g->hw));
			g->addr = a->addr;
			g->pace = vrrp_misc_pace(vi->ctx, a->ifname);	/* garp_group */
		}
	}
	garp_set_addrs(vi->garp, vi->garp_addrs, vi->n_garp_addrs);
	vrrp_misc_extra_addrs(vi);	/* garp_extra_if: the other interfaces */
	vrrp_conflict_vips_changed(vi);	/* conflict: the sockets' filters */
}

static unsigned mtu_of(const struct vrrp_inst *vi)
{
	const struct reflector_if *ifp = reflector_if_by_name(vi->ctx->refl, vi->ifname);

	return ifp && ifp->mtu ? ifp->mtu : 1500;
}

/* vi's address block from its config (the caller frees the previous one, if any). */
static void build_vips(struct vrrp_inst *vi)
{
	const struct vc_instance *c = vi->conf;
	unsigned n = c->n_vips + c->n_evips, max;
	char line[VRRP_IPADDR_LINE_MAX];
	struct inet_addr *adv;

	/* one block, most aligned first: GARP entries, kernel addresses, advertised addresses */
	vi->garp_addrs = xcalloc(1, n * (sizeof(*vi->garp_addrs) + sizeof(*vi->all_vips)) +
				    c->n_vips * sizeof(*adv) + 1);
	vi->all_vips = (struct vrrp_ipaddr *)(vi->garp_addrs + n);
	vi->n_all_vips = n;
	vi->n_vip_addrs = 0;
	adv = (struct inet_addr *)vrrp_vip_addrs(vi);
	for (unsigned i = 0; i < n; i++) {
		bool excl = i >= c->n_vips;
		const struct vrrp_ipaddr *ca = excl ? &c->evip_ia[i - c->n_vips] : &c->vip_ia[i];
		struct vrrp_ipaddr *a = &vi->all_vips[i];

		*a = *ca;
		if (!(a->flags & VRRP_IPADDR_F_DEV))
			snprintf(a->ifname, sizeof(a->ifname), "%s", vi->ifname);
		else
			vrrp_vmac_vip(vi, a);	/* use_vmac_addr, use_vmac: on a VMAC of its dev */
		if (!reflector_if_by_name(vi->ctx->refl, a->ifname) &&
		    !(vi->vmac_base && !strcmp(a->ifname, vi->ifname)) &&	/* a VMAC made on reload */
		    !(a->flags & VRRP_IPADDR_F_USE_VMAC))
			log_warn("(%s) interface %s for %s does not exist", vi->name, a->ifname,
				 vrrp_ipaddr_line(ca, line, sizeof(line)));
		if (!excl && a->addr.family == vi->family)
			adv[vi->n_vip_addrs++] = a->addr;
	}
	max = vrrp_pkt_max_addrs(vi->version, vi->family, vi->auth &&
				 vrrp_auth_get_type(vi->auth) == VRRP_AUTH_AH ?
				 VRRP_AUTH_AH : VRRP_AUTH_NONE, mtu_of(vi));
	if (vi->n_vip_addrs > max) {
		log_warn("(%s) Number of VIPs (%u) exceeds maximum/space available in packet (max %u addresses) - excess moved to eVIPs",
			 vi->name, vi->n_vip_addrs, max);
		vi->n_vip_addrs = max;
	}
}

/* Is a (of old's block) in vi's current one? */
static bool has_vip(const struct vrrp_inst *vi, const struct vrrp_ipaddr *a)
{
	for (unsigned k = 0; k < vi->n_all_vips; k++)
		if (vrrp_ipaddr_same(&vi->all_vips[k], a))
			return true;
	return false;
}

/*
 * The VIPs of a reload, one by one: those no longer configured are removed now, the
 * others stay where they are (keepalived's lines). True when there are new ones to set.
 */
static bool vips_reconf(struct vrrp_inst *vi)
{
	struct garp_addr *old_block = vi->garp_addrs;
	const struct vrrp_ipaddr *old = vi->all_vips;
	unsigned n_old = vi->n_all_vips, n_gone = 0, n_new = 0;
	struct vrrp_ipaddr *gone = xcalloc(n_old + 1, sizeof(*gone));
	char b[INET6_ADDRSTRLEN + 8];

	vrrp_vipq_slot_changed(&vi->vq);	/* while the old block is there */
	build_vips(vi);
	refresh_vip_ifindex(vi);
	for (unsigned k = 0; k < n_old; k++)
		if (!has_vip(vi, &old[k])) {
			gone[n_gone++] = old[k];
			log_info("(%s) ip address %s dev %s, no longer exist", vi->name,
				 vrrp_ipaddr_str(&old[k], b, sizeof(b)), old[k].ifname);
		}
	for (unsigned k = 0; k < vi->n_all_vips; k++) {
		bool known = false;

		for (unsigned i = 0; i < n_old && !known; i++)
			known = vrrp_ipaddr_same(&old[i], &vi->all_vips[k]);
		n_new += !known;
	}
	/* held, or being added by an operation that copied the old block */
	if (n_gone && (vi->vips_set || vrrp_vipq_slot_busy(&vi->vq)))
		vrrp_vipq_once(vi->ctx->vipq, vi->name, gone, n_gone, false);
	free(gone);
	free(old_block);
	return n_new && vi->vips_set;
}

void vrrp_inst_set_new_vips(struct vrrp_inst *vi)
{
	if (!vi->vips_set)
		return;
	log_detail("(%s) setting VIPs.", vi->name);
	vips_apply(vi, true);	/* those already there stay as they are */
	if (vi->fsm.state == VRRP_STATE_MASTER)
		garp_start_master(vi->garp);	/* keepalived announces them all again */
}

/* ---- life ---- */

/* keepalived's warnings about a setting it adjusts; old: what was said before (a reload). */
static void log_adjustments(const struct vrrp_inst *vi, const struct vrrp_eff *e,
			    const struct vrrp_eff *old)
{
	if (e->version_forced && !(old && old->version_forced))
		log_warn("(%s) cannot use IPv6 with VRRP version 2; setting version 3", vi->name);
	if (e->auth_ignored && !(old && old->auth_ignored))
		log_warn("(%s) authentication is not supported with VRRPv3: ignored", vi->name);
	if (e->nopreempt_cleared && !(old && old->nopreempt_cleared))
		log_warn("(%s) Warning - nopreempt will not work with initial state MASTER - clearing",
			 vi->name);
	if (e->adver_int_rounded && !(old && old->adver_int_rounded))
		log_warn("(%s) VRRPv2 advert_int is whole seconds: using %u", vi->name,
			 e->fc.adver_int_cs / 100);
	if (e->strict_unicast && !(old && old->strict_unicast))
		log_warn("(%s) Unicast peers are not supported in strict mode", vi->name);
	/* what vrrp_strict changed (vrrp_eff.c), in keepalived's words */
	for (unsigned i = 0; i < VRRP_EFF_FIX__COUNT; i++)
		if ((e->strict_fixes & 1u << i) && !(old && (old->strict_fixes & 1u << i)))
			log_warn("(%s) %s", vi->name, vrrp_eff_strict_line(i));
}

static bool garp_lower_gate_cb(void *arg)
{
	return vrrp_rx_log_pass(arg, VRRP_LINE_GARP_LOWER);
}

static void set_auth(struct vrrp_inst *vi, const struct vrrp_eff *e)
{
	int r;

	vrrp_auth_free(vi->auth);
	vi->auth = NULL;
	if (e->auth != VRRP_AUTH_NONE &&
	    (r = vrrp_auth_new(&vi->auth, e->auth, vc_more(vi->conf)->auth_pass, NULL)) < 0)
		log_err("(%s) cannot set up authentication: %s", vi->name, strerror(-r));
}

struct vrrp_inst *vrrp_inst_new(struct vrrp_ctx *ctx, const struct vc_instance *c)
{
	struct vrrp_inst *vi = xcalloc(1, sizeof(*vi));
	const struct reflector_if *ifp;
	struct vrrp_eff e;

	vrrp_eff_compute(c, &ctx->gd, &e);
	vi->conf = c;
	vi->ctx = ctx;
	vi->name = c->id.name;
	vi->family = c->family;
	vi->version = e.version;
	vi->fc = e.fc;
	vi->skip_check_adv_addr = e.skip_check_adv_addr;
	vi->firewall = e.firewall;
	vi->config_fault = e.strict_unicast;
	vi->ifname = e.interface;
	vrrp_vmac_inst_attach(vi);	/* use_vmac: vi->ifname is the VMAC's now */
	ifp = reflector_if_by_name(ctx->refl, vi->ifname);
	vi->ifindex = ifp ? ifp->ifindex : 0;
	log_adjustments(vi, &e, NULL);
	set_auth(vi, &e);
	vrrp_fsm_init(&vi->fc, &vi->fsm);
	build_vips(vi);
	if (garp_new(&vi->garp, ctx->garp_ctx, vi->name, &e.garp) < 0)
		fatal("(%s) cannot set up gratuitous ARP", vi->name);
	garp_set_lower_gate(vi->garp, garp_lower_gate_cb, vi);
	refresh_vip_ifindex(vi);
	vrrp_cmd_prepare_notify(vi);
	vrrp_route_inst_new(vi);
	vrrp_misc_inst_new(vi);
	/* a VMAC made again just now (a reload) is attached when the reflector sees it */
	if (vrrp_vmac_pending(vi))
		return vi;
	if (!vi->ifindex) {
		log_err("(%s) interface %s does not exist", vi->name, vi->ifname);
		return vi;
	}
	attach(vi);
	return vi;
}

void vrrp_inst_free(struct vrrp_inst *vi)
{
	if (!vi)
		return;
	vrrp_sock_flush(vi->ctx->sock_batch);	/* vi is the cookie of the adverts it queued */
	sched_cancel(&vi->ev_timer);
	if (vi->ent) {
		struct inet_addr group = vrrp_inst_group(vi);

		detach(vi, &group);
	}
	vrrp_vipq_slot_detach(vi->ctx->vipq, &vi->vq);	/* what it runs or was asked goes on */
	vrrp_vmac_inst_release(vi);	/* its VMAC goes once its VIPs are gone */
	vrrp_fw_inst_free(vi);
	vrrp_route_inst_free(vi);			/* routes: the same */
	vrrp_conflict_inst_free(vi);
	garp_free(vi->garp);
	vrrp_misc_inst_free(vi);
	vrrp_auth_free(vi->auth);
	vrrp_cmd_free_notify(vi);
	free(vi->n_drop);
	vrrp_rx_log_free(vi);
	free(vi->garp_addrs);	/* and all_vips and the advertised addresses: one block */
	free(vi);
}

void vrrp_inst_retire(struct vrrp_inst *vi)
{
	feed_ev(vi, VRRP_EV_STOP);
	vrrp_inst_free(vi);	/* its VIPs' removal goes on in the queue: a stop waits for it */
}

void vrrp_inst_begin(struct vrrp_inst *vi)
{
	bool owner = vi->fc.init_master;

	vrrp_inst_track_update(vi);
	vi->resume_master = vrrp_resume_check(vi);
	/* a delayed start: an address owner waits in BACKUP too, then takes over at once */
	if (owner && vrrp_misc_delaying(vi->ctx, vrrp_now_us(vi))) {
		vi->fc.init_master = false;
		vi->misc_owner_start = vi->fsm.eff_prio == 255;
	}
	vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = VRRP_EV_START, .now_us = vrrp_now_us(vi),
						   .resume_master = vi->resume_master });
	vi->fc.init_master = owner;
}

static bool same_peers(const struct vc_more *a, const struct vc_more *b)
{
	if (a->n_peers != b->n_peers)
		return false;
	for (unsigned k = 0; k < a->n_peers; k++)
		if (!inet_addr_eq(&a->peers[k].addr, &b->peers[k].addr) ||
		    a->peers[k].min_ttl != b->peers[k].min_ttl ||
		    a->peers[k].max_ttl != b->peers[k].max_ttl)
			return false;
	return true;
}

static bool same_addr(const struct inet_addr *a, const struct inet_addr *b)
{
	return a->family == b->family && (!a->family || inet_addr_eq(a, b));
}

/* The same address lines, as written (options included), in the same order. */
static bool same_vip_lines(const struct vrrp_ipaddr *a, const struct vrrp_ipaddr *b, unsigned n)
{
	char la[VRRP_IPADDR_LINE_MAX], lb[VRRP_IPADDR_LINE_MAX];

	for (unsigned k = 0; k < n; k++)
		if (strcmp(vrrp_ipaddr_line(&a[k], la, sizeof(la)),
			   vrrp_ipaddr_line(&b[k], lb, sizeof(lb))))
			return false;
	return true;
}

bool vrrp_inst_reconf(struct vrrp_inst *vi, const struct vc_instance *c,
		      const struct vrrp_eff *old, const struct vrrp_eff *e)
{
	const struct vc_instance *oc = vi->conf;
	bool auth = old->auth != e->auth ||
		    strcmp(vc_more(oc)->auth_pass, vc_more(c)->auth_pass);
	bool sock = old->proto != e->proto || !same_addr(&old->group, &e->group) ||
		    !same_addr(&old->src, &e->src) || !same_peers(vc_more(oc), vc_more(c));
	bool vips = old->version != e->version || old->proto != e->proto ||
		    oc->n_vips != c->n_vips || oc->n_evips != c->n_evips ||
		    !same_vip_lines(oc->vip_ia, c->vip_ia, c->n_vips) ||
		    !same_vip_lines(oc->evip_ia, c->evip_ia, c->n_evips);
	bool new_vips = false;

	if (sock)
		detach(vi, &old->group);
	vi->conf = c;
	vi->name = c->id.name;
	vi->ifname = e->interface;
	garp_set_name(vi->garp, vi->name);
	log_adjustments(vi, e, old);
	vi->version = e->version;
	vi->fc = e->fc;
	vi->skip_check_adv_addr = e->skip_check_adv_addr;
	vi->config_fault = e->strict_unicast;
	feed_ev(vi, VRRP_EV_RECONF);
	if (auth)
		set_auth(vi, e);
	garp_set_params(vi->garp, &e->garp);
	vrrp_misc_extra_addrs(vi);	/* garp_extra_if may have changed */
	if (vips)
		new_vips = vips_reconf(vi);
	vrrp_route_inst_reconf(vi);
	/* the notify commands: vrrp_ctx_reload() prepares every kept instance's anew */
	if (sock && vi->ifindex)
		attach(vi);
	return new_vips;
}

/* ---- interface and address events ---- */

void vrrp_inst_link_event(struct vrrp_inst *vi, const struct reflector_if *ifp,
			  enum reflector_link_ev ev)
{
	if (vrrp_vmac_link_event(vi, ifp, ev))	/* its VMAC deleted: FAULT, made again */
		return;
	/* the interface came back (new ifindex) or appeared: a socket on it, again */
	if (ev != REFLECTOR_LINK_DEL && !strcmp(ifp->name, vi->ifname) &&
	    ifp->ifindex != vi->ifindex) {
		struct inet_addr group = vrrp_inst_group(vi);

		detach(vi, &group);
		vi->ifindex = ifp->ifindex;
		attach(vi);
		refresh_vip_ifindex(vi);
	}
	vrrp_inst_track_update(vi);
}

/*
 * The address adverts leave from is gone: another of the interface's, silently as
 * keepalived does; none left is a fault until one comes (keepalived goes FAULT too).
 */
static void src_gone(struct vrrp_inst *vi)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	struct inet_addr was = vi->src;

	if (find_src(vi, &vi->src)) {
		log_detail("(%s) source address %s removed: adverts now from %s", vi->name,
			   addr_str(&was, a), addr_str(&vi->src, b));
		return;
	}
	log_info("(%s) no address left on %s to send adverts from", vi->name, vi->ifname);
	vi->no_src = true;
	vrrp_inst_track_update(vi);	/* a master's priority 0 still leaves from the old one */
	vi->has_src = false;
}

void vrrp_inst_addr_event(struct vrrp_inst *vi, const struct reflector_if *ifp,
			  const struct reflector_addr *ra, bool added)
{
	bool mine_if = ra->ifindex == src_ifindex(vi) && ra->addr.family == vi->family &&
		       !src_configured(vi);

	if (added) {
		/* an interface that had no address to send from has one now */
		if (mine_if && !vi->has_src && vi->ifindex) {
			pick_src(vi, true);
			if (vi->has_src)
				vrrp_inst_track_update(vi);
		}
		return;
	}
	if (mine_if && vi->has_src && inet_addr_eq(&vi->src, &ra->addr))
		src_gone(vi);
	/*
	 * A VIP taken away behind our back while we are master: keepalived logs it, gives
	 * the mastership up (priority 0, its addresses removed) and takes it back after
	 * Skew_Time, as for a tracked virtual route (VRRP_EV_RESIGN); no_track: ignored.
	 */
	if (vi->ctx->stopping || vi->fsm.state != VRRP_STATE_MASTER || !vi->vips_set ||
	    vrrp_vipq_slot_busy(&vi->vq))
		return;
	for (unsigned k = 0; k < vi->n_all_vips; k++) {
		const struct vrrp_ipaddr *a = &vi->all_vips[k];

		if (a->ifindex != ra->ifindex || !inet_addr_eq(&a->addr, &ra->addr) ||
		    (a->flags & VRRP_IPADDR_F_NO_TRACK))
			continue;
		reflector_log_vip(ifp, ra, false);
		feed_ev(vi, VRRP_EV_RESIGN);
		return;
	}
}
