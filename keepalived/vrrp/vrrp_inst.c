// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_inst.c: VRRP instances at run time: the FSM's actions carried out. */
#include "vrrp_inst.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/reflector.h"
#include "log.h"
#include "nl.h"
#include "scheduler.h"
#include "vrrp_sock.h"

uint64_t vrrp_now_us(const struct vrrp_inst *vi)
{
	return sched_now_us(vi->ctx->s);
}

static const char *addr_str(const struct inet_addr *a, char *buf)
{
	return inet_addr_str(a, buf, INET6_ADDRSTRLEN);
}

/* ---- sending ---- */

/* An advert that did not go out; cookie: its instance. */
static void send_err_cb(void *cookie, const struct inet_addr *dst, int err)
{
	const struct vrrp_inst *vi = cookie;

	(void)dst;
	log_info("(%s): send advert error %d (%s)", vi->name, -err, strerror(-err));	/* keepalived's */
}

/* The multicast destination: mcast_dst_ip, else the protocol's group. */
static struct inet_addr group_of(const struct vrrp_inst *vi)
{
	const struct vc_more *m = vc_more(vi->conf);

	if (m->mcast_dst.family == vi->family)
		return m->mcast_dst;
	return vi->family == AF_INET ? vi->ctx->gd.mcast_group4 : vi->ctx->gd.mcast_group6;
}

struct inet_addr vrrp_inst_group(const struct vrrp_inst *vi)
{
	return group_of(vi);
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

	if (!vi->ent || !vi->has_src)
		return;
	for (unsigned i = 0; i < n_dst; i++) {
		int len, r;

		tx.dst = m->n_peers ? m->peers[i].addr : group_of(vi);
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
			send_err_cb(vi, &tx.dst, r);
	}
	vi->n_adverts_tx++;
	if (!prio)
		vi->n_prio0_tx++;
}

/* ---- VIPs ---- */

static void vip_result_cb(void *arg, const struct vrrp_ipaddr *a, int err, const char *ext)
{
	struct vrrp_inst *vi = arg;
	char buf[INET6_ADDRSTRLEN + 8];

	if (err)
		log_err("(%s) cannot %s %s on %s: %s%s%s", vi->name, vi->op_vips->add ? "add" : "remove",
			vrrp_ipaddr_str(a, buf, sizeof(buf)), a->ifname, strerror(-err),
			ext ? ": " : "", ext ? ext : "");
}

static void vips_apply(struct vrrp_inst *vi, bool add);
static void op_start(struct vrrp_inst *vi, bool deferred);
static void op_finished(struct vrrp_inst *vi, bool was_add);

/*
 * At most VIP_OPS_MAX operations are live (each is a 104-byte allocation): a thousand
 * instances becoming master together wait in a FIFO instead. nl_tx sends them in turn
 * anyway, in windows of up to NL_TX_WINDOW requests.
 */
#define VIP_OPS_MAX NL_TX_WINDOW

static void op_wait_unlink(struct vrrp_inst *vi)
{
	struct vrrp_inst **p = &vi->ctx->op_wait_head;

	while (*p && *p != vi)
		p = &(*p)->op_wait_next;
	if (*p)
		*p = vi->op_wait_next;
	if (vi->ctx->op_wait_tail == vi) {
		struct vrrp_inst *t = vi->ctx->op_wait_head;

		while (t && t->op_wait_next)
			t = t->op_wait_next;
		vi->ctx->op_wait_tail = t;
	}
	vi->op_wait_next = NULL;
	vi->op_waiting = false;
}

/* Starts what waits, while there is room (a start may finish at once and call this again). */
static void op_kick(struct vrrp_ctx *ctx)
{
	while (ctx->op_wait_head && ctx->n_vip_ops < VIP_OPS_MAX) {
		struct vrrp_inst *vi = ctx->op_wait_head;

		op_wait_unlink(vi);
		op_start(vi, true);
	}
}

static void vip_done_cb(void *arg, size_t n_failed)
{
	struct vrrp_inst *vi = arg;
	struct vrrp_ctx *ctx = vi->ctx;
	bool was_add = vi->op_vips->add;

	vi->op_busy = false;
	free(vi->op_vips);
	vi->op_vips = NULL;
	ctx->n_vip_ops--;
	op_kick(ctx);
	op_finished(vi, was_add);
}

static void retired_remove(struct vrrp_ctx *ctx, struct vrrp_inst *vi)
{
	for (unsigned i = 0; i < ctx->n_retired; i++)
		if (ctx->retired[i] == vi) {
			ctx->retired[i] = ctx->retired[--ctx->n_retired];
			return;
		}
}

/* An operation is over (done, or failed to start after waiting): what comes next. */
static void op_finished(struct vrrp_inst *vi, bool was_add)
{
	/* a request that came while this one ran (a retired instance's removal too) */
	if (vi->op_again_pending) {
		vi->op_again_pending = false;
		if (vi->op_again_add != was_add) {
			vips_apply(vi, vi->op_again_add);
			if (vi->op_busy)
				return;
		}
	}
	if (vi->dying) {
		struct vrrp_ctx *ctx = vi->ctx;

		retired_remove(ctx, vi);
		vrrp_inst_free(vi);
		if (ctx->stopping) {	/* vrrp_ctx_stop() counted it */
			ctx->n_releasing--;
			vrrp_ctx_maybe_stopped(ctx);
		}
		return;
	}
	if (vi->ctx->stopping && !was_add && vi->ctx->n_releasing) {
		vi->ctx->n_releasing--;
		vrrp_ctx_maybe_stopped(vi->ctx);
	}
}

/* deferred: started from the FIFO, so a failure finishes the operation here. */
static void op_start(struct vrrp_inst *vi, bool deferred)
{
	bool add = vi->op_want_add;
	int r;

	vi->op_vips = xmalloc(sizeof(*vi->op_vips));
	*vi->op_vips = (struct vrrp_ipaddr_op){
		.addrs = vi->all_vips, .n = vi->n_all_vips, .add = add,
		.result_cb = vip_result_cb, .done_cb = vip_done_cb, .arg = vi,
	};
	vi->ctx->n_vip_ops++;
	r = vrrp_ipaddr_apply(vi->ctx->nl, vi->op_vips);
	if (r < 0) {
		vi->ctx->n_vip_ops--;
		vi->op_busy = false;
		free(vi->op_vips);
		vi->op_vips = NULL;
		log_err("(%s) cannot %s its addresses: %s", vi->name, add ? "set" : "remove",
			strerror(-r));
		if (deferred)
			op_finished(vi, add);
	}
}

/*
 * Adds or removes the instance's addresses. A request while one runs is queued (last
 * wins); one that has not started yet (waiting for room) just changes what it will do.
 */
static void vips_apply(struct vrrp_inst *vi, bool add)
{
	struct vrrp_ctx *ctx = vi->ctx;

	if (!vi->n_all_vips) {
		vi->vips_set = add;
		return;
	}
	if (vi->op_waiting) {
		vi->vips_set = vi->op_want_add = add;
		return;
	}
	if (vi->op_busy) {
		vi->op_again_pending = true;
		vi->op_again_add = add;
		return;
	}
	vi->vips_set = vi->op_want_add = add;
	vi->op_busy = true;	/* waiting counts as busy: stop and reload wait for it too */
	if (ctx->n_vip_ops < VIP_OPS_MAX) {
		op_start(vi, false);
		return;
	}
	vi->op_waiting = true;
	if (ctx->op_wait_tail)
		ctx->op_wait_tail->op_wait_next = vi;
	else
		ctx->op_wait_head = vi;
	ctx->op_wait_tail = vi;
}

/* ---- the FSM's actions ---- */

static void timer_cb(struct sched_ev *ev, void *arg);

/* Only for a line that shows it: most adverts log nothing. */
static const char *from_str(const struct inet_addr *from, char *b)
{
	return from ? addr_str(from, b) : "?";
}

/* keepalived's line for why the FSM did what it did (the state line is apply's). */
static void log_why(struct vrrp_inst *vi, const struct vrrp_fsm_out *o, const struct vrrp_fsm_in *in,
		    const struct inet_addr *from)
{
	char b[INET6_ADDRSTRLEN];

	switch (o->why) {
	case VRRP_WHY_OWNER:
	case VRRP_WHY_DOWN_TIMEOUT:
		log_info("(%s) Receive advertisement timeout", vi->name);
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
		log_info("(%s) Backup received priority 0 advertisement", vi->name);
		break;
	case VRRP_WHY_RX_PRIO0_MASTER:
		log_info("(%s) Master received priority 0 message", vi->name);
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
	/* a backup learning the master's interval is said before its state line */
	if (o->old_adver_int_cs && o->state != VRRP_STATE_MASTER)
		log_info("(%s) advertisement interval updated from %ums to %ums by master", vi->name,
			 o->old_adver_int_cs * 10, vi->fsm.master_adver_int_cs * 10);
}

static void apply(struct vrrp_inst *vi, const struct vrrp_fsm_out *o)
{
	struct sched *s = vi->ctx->s;
	uint32_t a = o->acts;

	/* one timer: the FSM never runs both (cancels come before arms) */
	if ((a & VRRP_ACT_CANCEL_ADVER) && !vi->timer_is_down)
		sched_cancel(&vi->ev_timer);
	if ((a & VRRP_ACT_CANCEL_DOWN) && vi->timer_is_down)
		sched_cancel(&vi->ev_timer);
	if (o->why == VRRP_WHY_INIT || o->why == VRRP_WHY_INIT_FAULT)
		log_info("(%s) removing VIPs.", vi->name);
	if (o->state != o->prev) {
		if (o->state == VRRP_STATE_MASTER)
			vi->n_became_master++;
		if (o->why == VRRP_WHY_INIT)
			log_info("(%s) Entering BACKUP STATE (init)", vi->name);
		else if (o->state != VRRP_STATE_STOP && o->why != VRRP_WHY_INIT_FAULT)
			log_info("(%s) Entering %s STATE", vi->name, vrrp_state_str(o->state));
		if (o->state == VRRP_STATE_MASTER && o->old_adver_int_cs)
			log_info("(%s) changing advert interval from %ums to locally configured %ums",
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
		vrrp_sock_flush(vi->ctx->sock_batch);
		log_info("(%s) sent 0 priority", vi->name);
	}
	if (a & VRRP_ACT_SEND_ADVERT) {
		send_advert(vi, vi->fsm.eff_prio);
		if (o->state != o->prev)
			vrrp_sock_flush(vi->ctx->sock_batch);
	}
	if (a & VRRP_ACT_GARP_STOP)
		garp_stop(vi->garp);
	if ((a & VRRP_ACT_DEL_VIPS) && vi->vips_set) {
		log_info("(%s) removing VIPs.", vi->name);
		if (vi->ctx->stopping && !vi->ctx->release_vips)
			vi->vips_set = false;
		else
			vips_apply(vi, false);
	}
	if (a & VRRP_ACT_ADD_VIPS) {
		if (vi->n_all_vips)
			log_info("(%s) setting VIPs.", vi->name);
		vips_apply(vi, true);
	}
	if (a & VRRP_ACT_GARP_START)
		garp_start_master(vi->garp);
	if (a & VRRP_ACT_GARP_LOWER)
		garp_lower_prio(vi->garp);
	if (a & (VRRP_ACT_ARM_ADVER | VRRP_ACT_ARM_DOWN)) {
		vi->timer_is_down = !(a & VRRP_ACT_ARM_ADVER);
		sched_timer(s, &vi->ev_timer, vi->timer_is_down ? o->down_us : o->adver_us,
			    timer_cb, vi);
	}
	if (a & VRRP_ACT_NOTIFY)
		vrrp_notify_state(vi, o->state);
	if (a & VRRP_ACT_NOTIFY_RX_LOWER)
		vrrp_notify_rx_lower(vi);
}

void vrrp_inst_feed_from(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
			 const struct inet_addr *from)
{
	struct vrrp_fsm_out o;

	vrrp_fsm_step(&vi->fc, &vi->fsm, in, &o);
	log_why(vi, &o, in, from);
	apply(vi, &o);
}

void vrrp_inst_feed(struct vrrp_inst *vi, const struct vrrp_fsm_in *in)
{
	vrrp_inst_feed_from(vi, in, NULL);
}

static void feed_ev(struct vrrp_inst *vi, enum vrrp_ev ev)
{
	vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = ev, .now_us = vrrp_now_us(vi) });
}

static void timer_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_inst *vi = arg;

	feed_ev(vi, vi->timer_is_down ? VRRP_EV_MASTER_DOWN : VRRP_EV_ADVER_TIMER);
}


/* ---- set-up ---- */

static struct vrrp_sock_ent *sock_get(struct vrrp_ctx *ctx, struct vrrp_inst *vi, int proto)
{
	struct vrrp_sock_ent *e;
	int r;

	for (unsigned i = 0; i < ctx->n_socks; i++) {
		e = ctx->socks[i];
		if (vrrp_sock_ifindex(e->vs) == vi->ifindex && vrrp_sock_family(e->vs) == vi->family &&
		    vrrp_sock_proto(e->vs) == proto)
			return e;
	}
	/* each entry has its own allocation: its socket's callback argument points at it */
	e = xcalloc(1, sizeof(*e));
	r = vrrp_sock_open(&e->vs, ctx->sock_batch, vi->family, proto, vi->ifindex, vi->ifname,
			   vrrp_inst_rx_cb, e);
	if (r < 0) {
		log_err("(%s) cannot open a VRRP socket on %s: %s", vi->name, vi->ifname,
			strerror(-r));
		free(e);
		return NULL;
	}
	ctx->socks = xrealloc(ctx->socks, (ctx->n_socks + 1) * sizeof(*ctx->socks));
	ctx->socks[ctx->n_socks++] = e;
	return e;
}

/* The advert source: unicast_src_ip / mcast_src_ip, else the interface's primary address. */
static void pick_src(struct vrrp_inst *vi)
{
	const struct vc_more *m = vc_more(vi->conf);
	const struct reflector_addr *a = NULL;

	vi->has_src = false;
	if (m->n_peers && m->unicast_src.family) {
		vi->src = m->unicast_src;
	} else if (m->mcast_src.family) {
		vi->src = m->mcast_src;
	} else {
		while ((a = reflector_addr_next(vi->ctx->refl, vi->ifindex, a))) {
			if (a->addr.family != vi->family)
				continue;
			if (vi->family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
				continue;
			/* skip our own VIPs: they are not a primary address */
			bool mine = false;
			for (unsigned k = 0; k < vi->n_all_vips && !mine; k++)
				mine = inet_addr_eq(&vi->all_vips[k].addr, &a->addr);
			if (mine)
				continue;
			vi->src = a->addr;
			break;
		}
		if (!a) {
			log_warn("(%s) Cannot find an IP address to use for interface %s", vi->name,
				 vi->ifname);
			return;
		}
	}
	vi->has_src = true;
}

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
			g->pace = vi->ctx->pace;
		}
	}
	garp_set_addrs(vi->garp, vi->garp_addrs, vi->n_garp_addrs);
}

static unsigned mtu_of(const struct vrrp_inst *vi)
{
	const struct reflector_if *ifp = reflector_if_by_name(vi->ctx->refl, vi->ifname);

	return ifp && ifp->mtu ? ifp->mtu : 1500;
}

static int parse_vips(struct vrrp_inst *vi)
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
	adv = (struct inet_addr *)vrrp_vip_addrs(vi);
	for (unsigned i = 0; i < n; i++) {
		bool excl = i >= c->n_vips;
		const struct vrrp_ipaddr *ca = excl ? &c->evip_ia[i - c->n_vips] : &c->vip_ia[i];
		struct vrrp_ipaddr *a = &vi->all_vips[i];

		*a = *ca;
		if (!(a->flags & VRRP_IPADDR_F_DEV))
			snprintf(a->ifname, sizeof(a->ifname), "%s", vi->ifname);
		if (!reflector_if_by_name(vi->ctx->refl, a->ifname))
			log_warn("(%s) interface %s for %s does not exist", vi->name, a->ifname,
				 vrrp_ipaddr_line(ca, line, sizeof(line)));
		if (!excl && a->addr.family == vi->family)
			adv[vi->n_vip_addrs++] = a->addr;
	}
	max = vrrp_pkt_max_addrs(vi->version, vi->family, vi->conf->auth_type == VC_AUTH_AH ?
				 VRRP_AUTH_AH : VRRP_AUTH_NONE, mtu_of(vi));
	if (vi->n_vip_addrs > max) {
		log_warn("(%s) Number of VIPs (%u) exceeds maximum/space available in packet (max %u addresses) - excess moved to eVIPs",
			 vi->name, vi->n_vip_addrs, max);
		vi->n_vip_addrs = max;
	}
	return 0;
}

/* An instance's setting, or global_defs' where it has none (-1). */
#define OR_GLOBAL(v, g)	((v) >= 0 ? (__typeof__(g))(v) : (g))

static void fill_fsm_conf(struct vrrp_inst *vi)
{
	const struct vc_instance *c = vi->conf;
	const struct vc_more *m = vc_more(c);
	const struct gd_vrrp *gd = &vi->ctx->gd;
	uint64_t cs = c->advert_int_us / 10000;

	if (vi->version == 2 && cs % 100) {
		cs = cs < 100 ? 100 : cs - cs % 100;
		log_warn("(%s) VRRPv2 advert_int is whole seconds: using %llu", vi->name,
			 (unsigned long long)(cs / 100));
	}
	vi->fc = (struct vrrp_fsm_conf){
		.priority = c->priority,
		.version = vi->version,
		.adver_int_cs = cs,
		.init_master = c->state == VC_STATE_MASTER,
		.preempt = !c->nopreempt,
		.preempt_delay_us = c->preempt_delay_us,
		.down_timer_adverts = gd->down_timer_adverts,
		.lower_prio_no_advert = OR_GLOBAL(m->lower_prio_no_advert, gd->lower_prio_no_advert),
		.higher_prio_send_advert = OR_GLOBAL(m->higher_prio_send_advert,
						     gd->higher_prio_send_advert),
		.owner_ignore_adverts = gd->owner_ignore_adverts,
		.has_notify_rx_lower = m->notify_master_rx_lower_pri.cmd != NULL,
	};
}

static void garp_params(const struct vrrp_inst *vi, struct garp_params *p)
{
	const struct vc_more *m = vc_more(vi->conf);
	const struct gd_vrrp *gd = &vi->ctx->gd;

	*p = (struct garp_params){
		.master_delay_us = OR_GLOBAL(m->garp_master_delay_us, gd->garp_master_delay_us),
		.master_repeat = OR_GLOBAL(m->garp_master_repeat, gd->garp_master_repeat),
		.master_refresh_us = OR_GLOBAL(m->garp_master_refresh_us, gd->garp_master_refresh_us),
		.master_refresh_repeat = OR_GLOBAL(m->garp_master_refresh_repeat,
						   gd->garp_master_refresh_repeat),
		.lower_prio_delay_us = OR_GLOBAL(m->garp_lower_prio_delay_us,
						 gd->garp_lower_prio_delay_us),
		.lower_prio_repeat = OR_GLOBAL(m->garp_lower_prio_repeat, gd->garp_lower_prio_repeat),
	};
	if (gd->min_garp) {
		p->master_repeat = 1;
		p->master_delay_us = 0;
	}
}

/* Source address, shared socket (VRID table, multicast group, TTL range) for vi's interface. */
static void attach(struct vrrp_inst *vi)
{
	struct vrrp_ctx *ctx = vi->ctx;
	const struct vc_instance *c = vi->conf;
	const struct vc_more *m = vc_more(c);
	struct inet_addr group = group_of(vi);
	struct vrrp_sock_ent *e;
	int r;

	pick_src(vi);
	e = sock_get(ctx, vi, vi->auth && vrrp_auth_get_type(vi->auth) ==
					   VRRP_AUTH_AH ? VRRP_PROTO_AH : VRRP_PROTO);
	if (e) {
		if (e->by_vrid[c->vrid])
			log_err("(%s) VRID %u is already used by %s on %s", vi->name, c->vrid,
				e->by_vrid[c->vrid]->name, vi->ifname);
		else
			e->by_vrid[c->vrid] = vi;
		vi->ent = e;
		/* which adverts vi accepts (destination, source, TTL) is vrrp_rx.c's check */
		if (!m->n_peers && (r = vrrp_sock_join(e->vs, &group)) < 0) {
			log_err("(%s) cannot join the VRRP group on %s: %s", vi->name, vi->ifname,
				strerror(-r));
		}
	}
}

struct vrrp_inst *vrrp_inst_new(struct vrrp_ctx *ctx, const struct vc_instance *c)
{
	struct vrrp_inst *vi = xcalloc(1, sizeof(*vi));
	const struct reflector_if *ifp;
	struct garp_params gp;
	int r;

	vi->conf = c;
	vi->ctx = ctx;
	vi->name = c->id.name;
	vi->family = c->family;
	vi->version = c->version ? c->version : ctx->gd.version;
	if (vi->family == AF_INET6 && vi->version == 2) {
		log_warn("(%s) cannot use IPv6 with VRRP version 2; setting version 3", vi->name);
		vi->version = 3;
	}
	vi->ifname = c->interface ? c->interface : "";
	ifp = reflector_if_by_name(ctx->refl, vi->ifname);
	vi->ifindex = ifp ? ifp->ifindex : 0;
	if (c->auth_type != VC_AUTH_NONE) {
		if (vi->version == 3) {
			log_warn("(%s) authentication is not supported with VRRPv3: ignored", vi->name);
		} else if ((r = vrrp_auth_new(&vi->auth, c->auth_type == VC_AUTH_PASS ? VRRP_AUTH_PASS :
					      VRRP_AUTH_AH, vc_more(c)->auth_pass, NULL)) < 0) {
			log_err("(%s) cannot set up authentication: %s", vi->name, strerror(-r));
		}
	}
	if (c->nopreempt && c->state == VC_STATE_MASTER)
		log_warn("(%s) Warning - nopreempt will not work with initial state MASTER - clearing",
			 vi->name);
	fill_fsm_conf(vi);
	vrrp_fsm_init(&vi->fc, &vi->fsm);
	parse_vips(vi);
	garp_params(vi, &gp);
	if (garp_new(&vi->garp, ctx->garp_ctx, vi->name, &gp) < 0)
		fatal("(%s) cannot set up gratuitous ARP", vi->name);
	refresh_vip_ifindex(vi);
	vrrp_cmd_prepare_notify(vi);
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
	if (vi->op_waiting)
		op_wait_unlink(vi);
	if (vi->op_vips) {
		vrrp_ipaddr_cancel(vi->ctx->nl, vi->op_vips);
		free(vi->op_vips);
		vi->ctx->n_vip_ops--;
	}
	garp_free(vi->garp);
	vrrp_auth_free(vi->auth);
	vrrp_cmd_free_notify(vi);
	free(vi->n_drop);
	vrrp_rx_log_free(vi);
	free(vi->garp_addrs);	/* and all_vips and the advertised addresses: one block */
	if (vi->name_owned)
		free((char *)vi->name);
	free(vi);
}

/* Unhooks vi from its socket's VRID table. */
static void sock_unhook(struct vrrp_inst *vi)
{
	if (vi->ent && vi->ent->by_vrid[vi->conf->vrid] == vi)
		vi->ent->by_vrid[vi->conf->vrid] = NULL;
	vi->ent = NULL;
}

void vrrp_inst_retire(struct vrrp_inst *vi)
{
	vi->dying = true;
	feed_ev(vi, VRRP_EV_STOP);
	sock_unhook(vi);
	if (!vi->op_busy) {
		vrrp_inst_free(vi);
		return;
	}
	/*
	 * Its VIPs are still being removed, after the reload has freed the config: from
	 * here on it uses only what it owns (the VIP copies, this name; garp is stopped).
	 */
	vi->name = xstrdup(vi->name);
	vi->name_owned = true;
	vi->ifname = "";
	vi->conf = NULL;
	/* a stop waits for it, and the child's exit frees it if it is still there */
	vi->ctx->retired = xrealloc(vi->ctx->retired,
				    (vi->ctx->n_retired + 1) * sizeof(*vi->ctx->retired));
	vi->ctx->retired[vi->ctx->n_retired++] = vi;
}

void vrrp_inst_adopt_conf(struct vrrp_inst *vi, const struct vc_instance *c)
{
	vi->conf = c;
	vi->name = c->id.name;
	vi->ifname = c->interface ? c->interface : "";
	garp_set_name(vi->garp, vi->name);
}

void vrrp_inst_begin(struct vrrp_inst *vi)
{
	vrrp_inst_track_update(vi);
	feed_ev(vi, VRRP_EV_START);
}

/* ---- link events ---- */

static void link_cb(void *arg, const struct reflector_if *ifp, enum reflector_link_ev ev,
		    const char *old_name)
{
	struct vrrp_ctx *ctx = arg;

	if (ev != REFLECTOR_LINK_UP && ev != REFLECTOR_LINK_DOWN && ev != REFLECTOR_LINK_DEL &&
	    ev != REFLECTOR_LINK_NEW && ev != REFLECTOR_LINK_RENAME)
		return;
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];

		/* the interface came back (new ifindex) or appeared: a socket on it, again */
		if (ev != REFLECTOR_LINK_DEL && !strcmp(ifp->name, vi->ifname) &&
		    ifp->ifindex != vi->ifindex) {
			sock_unhook(vi);
			vi->ifindex = ifp->ifindex;
			attach(vi);
			refresh_vip_ifindex(vi);
		}
		vrrp_inst_track_update(vi);
	}
}

/*
 * A VIP taken away behind our back while we are master: keepalived logs it and
 * puts it back (it re-runs the election; we re-add the addresses and re-announce).
 */
static void addr_cb(void *arg, const struct reflector_if *ifp, const struct reflector_addr *ra,
		    bool added)
{
	struct vrrp_ctx *ctx = arg;

	if (added) {
		/* an interface that had no address to send from has one now */
		for (unsigned i = 0; i < ctx->n_insts; i++)
			if (!ctx->insts[i]->has_src && ctx->insts[i]->ifindex == ra->ifindex)
				pick_src(ctx->insts[i]);
		return;
	}
	if (ctx->stopping)
		return;
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];

		if (vi->fsm.state != VRRP_STATE_MASTER || !vi->vips_set || vi->op_busy)
			continue;
		for (unsigned k = 0; k < vi->n_all_vips; k++) {
			const struct vrrp_ipaddr *a = &vi->all_vips[k];

			if (a->ifindex != ra->ifindex || !inet_addr_eq(&a->addr, &ra->addr) ||
			    (a->flags & VRRP_IPADDR_F_NO_TRACK))
				continue;
			reflector_log_vip(ifp, ra, false);
			vi->vips_set = false;
			vips_apply(vi, true);
			garp_start_master(vi->garp);
			break;
		}
	}
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
	}
	return false;
}

int vrrp_ctx_start(struct vrrp_ctx *ctx)
{
	const struct vrrp_conf *vc = ctx->conf;
	struct reflector_cbs cbs = { .link_cb = link_cb, .addr_cb = addr_cb, .is_used = is_used,
				     .arg = ctx };
	int r;

	if ((r = reflector_new(&ctx->refl, ctx->s, &cbs)) < 0) {
		log_err("Cannot start the netlink reflector: %s", strerror(-r));
		return r;
	}
	if ((r = nl_tx_new(&ctx->nl, ctx->s)) < 0 || (r = garp_sock_open(&ctx->garp_sock)) < 0) {
		log_err("Cannot open netlink/packet sockets: %s", strerror(-r));
		return r;
	}
	ctx->garp_ctx = garp_ctx_new(ctx->s, garp_sock_send, ctx->garp_sock);
	ctx->pace = garp_pace_new(ctx->gd.garp_interval_us, ctx->gd.gna_interval_us);
	ctx->sock_batch = vrrp_sock_batch_new(ctx->s, send_err_cb);
	ctx->socks = NULL;
	ctx->insts = xcalloc(vc->n_insts ? vc->n_insts : 1, sizeof(*ctx->insts));
	for (unsigned i = 0; i < vc->n_insts; i++)
		if (!vc->insts[i]->is_dup)
			ctx->insts[ctx->n_insts++] = vrrp_inst_new(ctx, vc->insts[i]);
	if ((r = vrrp_scripts_start(ctx, NULL)) < 0)
		return r;
	process_security_summary(ctx->cmds.n_cmds, ctx->cmds.n_insecure, ctx->cmds.security);
	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_begin(ctx->insts[i]);
	return 0;
}

/* The stop is over once the VIPs are released and the notify scripts have finished. */
void vrrp_ctx_maybe_stopped(struct vrrp_ctx *ctx)
{
	if (!ctx->stopping || ctx->n_releasing || ctx->n_notify || ctx->stopped_done)
		return;
	ctx->stopped_done = true;
	if (ctx->stopped_cb)
		ctx->stopped_cb(ctx);
}

void vrrp_ctx_stop(struct vrrp_ctx *ctx)
{
	ctx->stopping = true;
	ctx->n_releasing = ctx->n_retired;	/* a reload dropped them: VIPs still going */
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];
		bool had = vi->vips_set && vi->n_all_vips && ctx->release_vips;

		if (had)
			ctx->n_releasing++;
		feed_ev(vi, VRRP_EV_STOP);
		if (had && !vi->op_busy)
			ctx->n_releasing--;	/* nothing was sent after all */
	}
	vrrp_scripts_free(ctx);
	vrrp_ctx_maybe_stopped(ctx);
}

void vrrp_ctx_free(struct vrrp_ctx *ctx)
{
	if (!ctx)
		return;
	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_free(ctx->insts[i]);
	free(ctx->insts);
	ctx->insts = NULL;
	ctx->n_insts = 0;
	for (unsigned i = 0; i < ctx->n_retired; i++)
		vrrp_inst_free(ctx->retired[i]);
	free(ctx->retired);
	ctx->retired = NULL;
	ctx->n_retired = 0;
	vrrp_scripts_free(ctx);
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
	nl_tx_free(ctx->nl);
	reflector_free(ctx->refl);
}
