// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/vrrp/vrrp_conflict_edge.c: conflicts and failover time at run time: the packet
 * sockets on the masters' interfaces, the episodes' timers, log lines, notify_conflict and
 * the re-announcement (the decisions are vrrp_conflict.c's).
 */
#include "vrrp_conflict.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <sys/socket.h>

#include "log.h"
#include "scheduler.h"
#include "vrrp_ctx.h"
#include "vrrp_inst.h"
#include "vrrp_notify.h"

/* Frames read per callback before yielding to the loop */
#define READ_BUDGET 64

/* One VIP of a MASTER instance on an interface. */
struct cf_ent {
	struct inet_addr addr;
	struct vrrp_inst *vi;		/* NULL: the instance went away since the table was built */
};

/* One interface that holds VIPs of a MASTER instance: its socket and their table. */
struct cf_if {
	struct vrrp_conflict_ctx *cc;
	int ifindex;
	int fd;
	struct sched_ev *ev;
	struct cf_ent *ents;		/* sorted by address (ent_cmp) */
	size_t n_ents;
	bool all;			/* too many VIPs for the filter: it passes every ARP and NA */
	bool used;			/* a sync's mark */
	bool parked;			/* no master here now: its filter passes nothing */
};

struct vrrp_conflict_ctx {
	struct vrrp_ctx *ctx;
	struct sched_ev *ev_sync;	/* the sockets follow the masters at the iteration's end */
	bool dirty;
	struct cf_if **ifs;
	size_t n_ifs;
};

/* ---- the tables ---- */

static int addr_cmp(const struct inet_addr *a, const struct inet_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return a->family == AF_INET ? memcmp(&a->v4, &b->v4, 4) : memcmp(&a->v6, &b->v6, 16);
}

/* The sync's list: by ifindex, then address */
struct cf_tmp {
	int ifindex;
	struct cf_ent e;
};

static int tmp_cmp(const void *pa, const void *pb)
{
	const struct cf_tmp *a = pa, *b = pb;

	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return addr_cmp(&a->e.addr, &b->e.addr);
}

static struct vrrp_inst *lookup(const struct cf_if *cif, const struct inet_addr *a)
{
	size_t lo = 0, hi = cif->n_ents;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = addr_cmp(a, &cif->ents[mid].addr);

		if (!c)
			return cif->ents[mid].vi;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* ---- sockets ---- */

static void read_cb(struct sched_ev *ev, void *arg);

static void if_close(struct cf_if *cif)
{
	sched_cancel(&cif->ev);
	if (cif->fd >= 0)
		close(cif->fd);
	free(cif->ents);
	free(cif);
}

/*
 * No master left on the interface: the socket stays, with a filter that passes nothing
 * (no wakeup; one instruction per packet in the kernel), because closing a packet
 * socket waits for an RCU grace period (synchronize_net() in packet_release: 5-20 ms
 * here, a stall of the loop at every MASTER -> BACKUP). Closed when its interface is
 * gone or the child ends.
 */
static int park(struct cf_if *cif)
{
	struct sock_filter none = { .code = BPF_RET | BPF_K, .k = 0 };
	struct sock_fprog fp = { .len = 1, .filter = &none };

	free(cif->ents);
	cif->ents = NULL;
	cif->n_ents = 0;
	cif->parked = true;
	return setsockopt(cif->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0 ? -errno : 0;
}

static int set_filter(struct cf_if *cif, int fd)
{
	size_t n4 = 0, n6 = 0, n;
	struct in_addr *v4 = xcalloc(cif->n_ents + 1, sizeof(*v4));
	struct in6_addr *v6 = xcalloc(cif->n_ents + 1, sizeof(*v6));
	struct sock_filter *prog = xcalloc(BPF_MAXINSNS, sizeof(*prog));
	struct sock_fprog fp;
	int r = 0;

	for (size_t i = 0; i < cif->n_ents; i++) {
		if (cif->ents[i].addr.family == AF_INET)
			v4[n4++] = cif->ents[i].addr.v4;
		else
			v6[n6++] = cif->ents[i].addr.v6;
	}
	n = vrrp_conflict_bpf(v4, n4, v6, n6, prog, BPF_MAXINSNS, &cif->all);
	fp = (struct sock_fprog){ .len = (unsigned short)n, .filter = prog };
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof(fp)) < 0)
		r = -errno;
	free(prog);
	free(v6);
	free(v4);
	return r;
}

/*
 * Protocol 0 until the filter is in place: a packet socket bound to ETH_P_ALL would
 * otherwise queue whatever comes meanwhile. Our own frames never pass (the filter, and
 * PACKET_IGNORE_OUTGOING where the kernel has it).
 */
static int if_open(struct cf_if *cif)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = cif->ifindex,
	};
	int one = 1, r, fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if ((r = set_filter(cif, fd)) < 0)
		goto fail;
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = sched_read(cif->cc->ctx->s, &cif->ev, fd, 0, read_cb, cif)) < 0)
		goto fail;
	cif->fd = fd;
	return 0;
fail:
	close(fd);
	return r;
}

/* Is mac one of this host's interfaces' (a VMAC included)? */
static bool is_local_mac(const struct vrrp_ctx *ctx, const uint8_t *mac)
{
	const struct reflector_if *ifp = NULL;

	while ((ifp = reflector_if_next(ctx->refl, ifp)))
		if (ifp->hwaddr_len == 6 && !memcmp(ifp->hwaddr, mac, 6))
			return true;
	return false;
}

static void hit(struct vrrp_inst *vi, const struct vrrp_conflict_peer *p, const char *ifname);

static void read_cb(struct sched_ev *ev, void *arg)
{
	struct cf_if *cif = arg;
	struct vrrp_ctx *ctx = cif->cc->ctx;
	uint8_t buf[VRRP_CONFLICT_SNAP_LEN];

	(void)ev;
	for (int i = 0; i < READ_BUDGET; i++) {
		struct sockaddr_ll sll;
		socklen_t slen = sizeof(sll);
		struct vrrp_conflict_frame fr;
		struct vrrp_conflict_peer p;
		const struct reflector_if *ifp;
		struct vrrp_inst *vi;
		ssize_t n = recvfrom(cif->fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&sll,
				     &slen);

		if (n < 0)
			break;		/* EAGAIN: drained (or an error the next wakeup sees again) */
		if ((size_t)n > sizeof(buf))
			n = sizeof(buf);
		if (sll.sll_pkttype == PACKET_OUTGOING ||
		    vrrp_conflict_parse(buf, (size_t)n, &fr) == VRRP_CONFLICT_NONE)
			continue;
		if (!(vi = lookup(cif, &fr.addr)) || vi->fsm.state != VRRP_STATE_MASTER)
			continue;	/* with "all": not one of ours; or no longer master */
		if (is_local_mac(ctx, fr.mac) || is_local_mac(ctx, fr.eth_src))
			continue;	/* our own, from another of our interfaces (a VMAC) */
		p = (struct vrrp_conflict_peer){ .kind = fr.kind, .has_mac = true, .addr = fr.addr };
		memcpy(p.mac, fr.mac, 6);
		ifp = reflector_if_by_index(ctx->refl, cif->ifindex);
		hit(vi, &p, ifp ? ifp->name : "?");
	}
}

/* The sockets follow the MASTER instances' VIPs. */
static void sync_now(struct vrrp_conflict_ctx *cc)
{
	struct vrrp_ctx *ctx = cc->ctx;
	struct cf_tmp *t;
	size_t n = 0, cap = 0, n_kept = 0;

	cc->dirty = false;
	sched_cancel(&cc->ev_sync);
	if (ctx->stopping)
		return;		/* the masters leave: the sockets go with the child (no stall) */
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];

		vi->conflict_listed = vi->fsm.state == VRRP_STATE_MASTER && vi->n_garp_addrs;
		if (vi->conflict_listed)
			cap += vi->n_garp_addrs;
	}
	t = xcalloc(cap + 1, sizeof(*t));
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];

		for (unsigned k = 0; vi->conflict_listed && k < vi->n_garp_addrs; k++) {
			const struct garp_addr *g = &vi->garp_addrs[k];
			const struct reflector_if *ifp = reflector_if_by_index(ctx->refl, g->ifindex);

			if (ifp && ifp->type == ARPHRD_ETHER)	/* ARP and NA on Ethernet only */
				t[n++] = (struct cf_tmp){ .ifindex = g->ifindex,
							  .e = { .addr = g->addr, .vi = vi } };
		}
	}
	qsort(t, n, sizeof(*t), tmp_cmp);
	for (size_t k = 0; k < cc->n_ifs; k++)
		cc->ifs[k]->used = false;
	for (size_t a = 0, b; a < n; a = b) {
		struct cf_if *cif = NULL;
		int r;

		for (b = a; b < n && t[b].ifindex == t[a].ifindex; b++)
			;
		for (size_t k = 0; k < cc->n_ifs && !cif; k++)
			if (cc->ifs[k]->ifindex == t[a].ifindex)
				cif = cc->ifs[k];
		if (!cif) {
			cif = xcalloc(1, sizeof(*cif));
			cif->cc = cc;
			cif->ifindex = t[a].ifindex;
			cif->fd = -1;
			cc->ifs = xrealloc(cc->ifs, (cc->n_ifs + 1) * sizeof(*cc->ifs));
			cc->ifs[cc->n_ifs++] = cif;
		}
		cif->used = true;
		cif->parked = false;
		free(cif->ents);
		cif->n_ents = 0;
		cif->ents = xcalloc(b - a, sizeof(*cif->ents));
		for (size_t k = a; k < b; k++)	/* one VIP in two masters (a mistake): the first */
			if (!cif->n_ents || addr_cmp(&cif->ents[cif->n_ents - 1].addr, &t[k].e.addr))
				cif->ents[cif->n_ents++] = t[k].e;
		r = cif->fd < 0 ? if_open(cif) : set_filter(cif, cif->fd);
		if (r < 0)
			log_warn("cannot watch interface %d for VIP conflicts: %s", cif->ifindex,
				 strerror(-r));
	}
	for (size_t k = 0; k < cc->n_ifs; k++) {
		struct cf_if *cif = cc->ifs[k];

		int r;

		if (!cif->used && cif->fd >= 0 && reflector_if_by_index(ctx->refl, cif->ifindex)) {
			if (!cif->parked && (r = park(cif)) < 0)
				log_warn("cannot park the VIP conflict socket of interface %d: %s",
					 cif->ifindex, strerror(-r));
			cif->used = true;
		}
		if (cif->used)
			cc->ifs[n_kept++] = cif;
		else
			if_close(cif);
	}
	cc->n_ifs = n_kept;
	free(t);
}

static void sync_cb(struct sched_ev *ev, void *arg)
{
	(void)ev;
	sync_now(arg);
}

static void changed(struct vrrp_ctx *ctx)
{
	struct vrrp_conflict_ctx *cc = ctx->conflict;

	if (!cc) {
		cc = ctx->conflict = xcalloc(1, sizeof(*cc));
		cc->ctx = ctx;
	}
	cc->dirty = true;
	/* a thousand instances becoming master together: one sync */
	if (!cc->ev_sync && sched_defer(ctx->s, &cc->ev_sync, sync_cb, cc) < 0)
		sync_now(cc);
}

void vrrp_conflict_vips_changed(struct vrrp_inst *vi)
{
	if (vi->fsm.state == VRRP_STATE_MASTER || vi->conflict_listed)
		changed(vi->ctx);
}

void vrrp_conflict_inst_free(struct vrrp_inst *vi)
{
	struct vrrp_conflict_ctx *cc = vi->ctx->conflict;

	if (vi->cfl) {
		sched_cancel(&vi->cfl->ev);
		free(vi->cfl);
		vi->cfl = NULL;
	}
	if (!cc || !vi->conflict_listed)
		return;
	for (size_t k = 0; k < cc->n_ifs; k++)
		for (size_t i = 0; i < cc->ifs[k]->n_ents; i++)
			if (cc->ifs[k]->ents[i].vi == vi)
				cc->ifs[k]->ents[i].vi = NULL;
	vi->conflict_listed = false;
	changed(vi->ctx);
}

void vrrp_conflict_ctx_free(struct vrrp_ctx *ctx)
{
	struct vrrp_conflict_ctx *cc = ctx->conflict;

	if (!cc)
		return;
	sched_cancel(&cc->ev_sync);
	for (size_t k = 0; k < cc->n_ifs; k++)
		if_close(cc->ifs[k]);
	free(cc->ifs);
	free(cc);
	ctx->conflict = NULL;
}

/* ---- episodes ---- */

static struct vrrp_conflict_inst *cfl(struct vrrp_inst *vi)
{
	if (!vi->cfl)
		vi->cfl = xcalloc(1, sizeof(*vi->cfl));
	return vi->cfl;
}

static uint64_t quiet_us(const struct vrrp_inst *vi)
{
	return vrrp_conflict_quiet_us(vi->fsm.master_adver_int_cs);
}

static void notify(struct vrrp_inst *vi, bool ended)
{
	char peer[VRRP_CONFLICT_PEER_STRLEN];

	vrrp_notify_conflict(vi->ctx->notify, vi->name, vi->notify_cmd, ended,
			     vrrp_conflict_peer_str(&vi->cfl->ep.last, peer, sizeof(peer)));
}

/* An episode is over: its line (if its start had one) and notify_conflict. */
static void ended(struct vrrp_inst *vi, const char *what)
{
	const struct vrrp_conflict_ep *ep = &vi->cfl->ep;
	char peer[VRRP_CONFLICT_PEER_STRLEN];

	if (!ep->logged)
		return;
	log_info("(%s) conflict with %s ended after %.1f s (%llu packet%s): %s", vi->name,
		 vrrp_conflict_peer_str(&ep->last, peer, sizeof(peer)),
		 (ep->last_us - ep->start_us) / 1e6, (unsigned long long)ep->n_ep_packets,
		 ep->n_ep_packets == 1 ? "" : "s", what);
	notify(vi, true);
}

static void end_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_inst *vi = arg;
	uint64_t q = quiet_us(vi);

	(void)ev;
	if (!vrrp_conflict_check(&vi->cfl->ep, vrrp_now_us(vi), q)) {
		if (vi->cfl->ep.active)	/* a packet came since: later */
			sched_timer_at(vi->ctx->s, &vi->cfl->ev,
				       vrrp_conflict_due_us(&vi->cfl->ep, q), end_cb, vi);
		return;
	}
	ended(vi, "announcing the VIPs again");
	/* the other side may have taken them meanwhile: tell the link where they are */
	garp_start_master(vi->garp);
}

static void hit(struct vrrp_inst *vi, const struct vrrp_conflict_peer *p, const char *ifname)
{
	struct vrrp_conflict_ep *ep = &cfl(vi)->ep;
	uint64_t now = vrrp_now_us(vi);
	char a[INET6_ADDRSTRLEN], b[VRRP_CONFLICT_PEER_STRLEN];

	if (!vrrp_conflict_seen(ep, p, now))
		return;		/* counted; the episode goes on */
	sched_timer_at(vi->ctx->s, &vi->cfl->ev, vrrp_conflict_due_us(ep, quiet_us(vi)),
		       end_cb, vi);
	if (!vrrp_conflict_log_pass(ep, now))
		return;
	ep->logged = true;
	if (p->kind == VRRP_CONFLICT_ADVERT)
		log_info("(%s) conflict: another master %s (priority %u) advertises VRID %u on %s",
			 vi->name, inet_addr_str(&p->addr, a, sizeof(a)), p->prio, vi->conf->vrid,
			 ifname);
	else
		log_info("(%s) conflict: %s is claimed by %s on %s (%s)", vi->name,
			 inet_addr_str(&p->addr, a, sizeof(a)),
			 vrrp_conflict_peer_str(p, b, sizeof(b)), ifname,
			 vrrp_conflict_kind_str(p->kind));
	notify(vi, false);
}

/* ---- hooks ---- */

void vrrp_conflict_advert(struct vrrp_inst *vi, const struct vrrp_fsm_in *in,
			  const struct vrrp_fsm_out *o, const struct inet_addr *from)
{
	if (in->ev != VRRP_EV_ADVERT || !from)
		return;
	if (o->prev == VRRP_STATE_BACKUP)	/* from whom: st_master (vrrp_status_note) */
		vi->fo_heard_us = in->now_us;
	/* a master that stays master hears another one (priority 0: it is leaving) */
	if (o->prev == VRRP_STATE_MASTER && o->state == VRRP_STATE_MASTER && in->peer_prio)
		hit(vi, &(struct vrrp_conflict_peer){ .kind = VRRP_CONFLICT_ADVERT,
				.prio = in->peer_prio, .addr = *from }, vi->ifname);
}

void vrrp_conflict_moved(struct vrrp_inst *vi, int prev, int state)
{
	struct vrrp_failover_heard h = { .us = vi->fo_heard_us, .from = vi->st_master,
					 .heard = vi->fo_heard_us != 0 };
	char b[INET6_ADDRSTRLEN];

	vi->fo_heard_us = 0;		/* a new state: what comes next is heard anew */
	if (state == VRRP_STATE_MASTER && prev == VRRP_STATE_BACKUP && h.heard &&
	    vrrp_failover_master(&h, &cfl(vi)->fo, vrrp_now_us(vi)))
		log_info("(%s) took over from %s, %llu ms after its last advert", vi->name,
			 inet_addr_str(&vi->cfl->fo.last_from, b, sizeof(b)),
			 (unsigned long long)(vi->cfl->fo.last_us / 1000));
	if (prev == VRRP_STATE_MASTER && vi->cfl && vrrp_conflict_stop(&vi->cfl->ep)) {
		sched_cancel(&vi->cfl->ev);
		ended(vi, "no longer master");
	}
	if (prev == VRRP_STATE_MASTER || state == VRRP_STATE_MASTER)
		changed(vi->ctx);
}

/* ---- for the status and metrics ---- */

uint64_t vrrp_conflict_n_episodes(const struct vrrp_inst *vi)
{
	return vi->cfl ? vi->cfl->ep.n_episodes : 0;
}

uint64_t vrrp_conflict_n_packets(const struct vrrp_inst *vi)
{
	return vi->cfl ? vi->cfl->ep.n_packets : 0;
}

bool vrrp_conflict_is_active(const struct vrrp_inst *vi)
{
	return vi->cfl && vi->cfl->ep.active;
}

const struct vrrp_conflict_peer *vrrp_conflict_last_peer(const struct vrrp_inst *vi)
{
	return vi->cfl && vi->cfl->ep.last.kind != VRRP_CONFLICT_NONE ? &vi->cfl->ep.last : NULL;
}

bool vrrp_conflict_failover(const struct vrrp_inst *vi, uint64_t *duration_us,
			    struct inet_addr *from, uint64_t *at_us)
{
	const struct vrrp_failover *f = vi->cfl ? &vi->cfl->fo : NULL;

	if (!f || !f->has_last)
		return false;
	if (duration_us)
		*duration_us = f->last_us;
	if (from)
		*from = f->last_from;
	if (at_us)
		*at_us = f->last_at_us;
	return true;
}
