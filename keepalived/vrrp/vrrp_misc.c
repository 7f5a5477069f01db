// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * keepalived/vrrp/vrrp_misc.c: the delayed start, promote_secondaries and
 * disable_local_igmp. The sysctls are written under /proc/sys/net, which is the
 * child's network namespace, and restored at exit to what they were.
 */
#include "vrrp_misc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/reflector.h"
#include "log.h"
#include "scheduler.h"
#include "utils.h"
#include "vrrp_conf.h"
#include "vrrp_ctx.h"
#include "vrrp_sock.h"
#include "vrrp_track.h"

#define IGMP_LL_REPORTS "/proc/sys/net/ipv4/igmp_link_local_mcast_reports"

struct promoted {
	char ifname[IF_NAMESIZE];
};

/* An interface's IPv6 forwarding, as last read */
struct fwd_seen {
	char ifname[IF_NAMESIZE];
	bool on;
	uint64_t at_us;
};

struct vrrp_misc_inst {
	struct garp *extra;		/* garp_extra_if; NULL: off */
	struct garp_addr *addrs;	/* one per other interface */
	unsigned n_addrs;
};

/* interface_up_down_delays: the state instances see of one interface */
struct if_delay {
	char ifname[IF_NAMESIZE];
	uint64_t down_us, up_us;
	bool shown_up;			/* what the instances see */
	bool seen_up;			/* up once: 2.2.7 delays nothing before */
	bool pending_up;		/* with ev: the change waiting */
	unsigned flags;			/* IFF_* as the instances last saw them */
	struct sched_ev *ev;
	struct vrrp_ctx *ctx;
};

/* garp_group: one pacer per group, for its interfaces */
struct group_pace {
	const struct vc_garp_group *conf;	/* borrowed: the current config's */
	struct garp_pace *pace;
};

struct vrrp_misc {
	struct group_pace *groups;
	unsigned n_groups;
	struct if_delay **delays;	/* one allocation each: their timers point at them */
	unsigned n_delays;
	struct fwd_seen *fwd;		/* NA router flag: per interface */
	unsigned n_fwd;
	uint64_t delay_end_us;		/* 0: no delayed start, or it is over */
	bool igmp_reset;		/* igmp_link_local_mcast_reports was 1: set back at exit */
	struct promoted *promoted;	/* interfaces whose promote_secondaries we set to 1 */
	unsigned n_promoted;
};

double vrrp_misc_parse_uptime(const char *text)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || v < 0)
		return -1;
	return v;
}

uint64_t vrrp_misc_start_delay_us(uint64_t startup_us, uint64_t after_boot_us, double uptime_s)
{
	uint64_t up_us, left = 0;

	if (after_boot_us && uptime_s >= 0) {
		up_us = (uint64_t)(uptime_s * 1e6);
		if (up_us < after_boot_us)
			left = after_boot_us - up_us;
	}
	/* both may be written: the longer wins */
	return left > startup_us ? left : startup_us;
}

/* A small sysctl file's first byte ('0', '1' ...); -errno when it cannot be read. */
static int sysctl_read(const char *path)
{
	char c;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = read(fd, &c, 1) == 1 ? c : -EIO;
	close(fd);
	return r;
}

static int sysctl_write(const char *path, char c)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, &c, 1) != 1)
		r = -errno;
	close(fd);
	return r;
}

static void promote_path(char *buf, size_t size, const char *ifname)
{
	snprintf(buf, size, "/proc/sys/net/ipv4/conf/%s/promote_secondaries", ifname);
}

/*
 * promote_secondaries on an instance's interface: removing a VIP that is the primary
 * address of its subnet then keeps the others (the kernel otherwise drops them all). An
 * interface that has it already is left alone, and so it stays at exit.
 */
static void promote(struct vrrp_misc *m, const char *ifname)
{
	char path[128];
	int r;

	if (!ifname || strlen(ifname) >= IF_NAMESIZE)
		return;
	for (unsigned i = 0; i < m->n_promoted; i++)
		if (!strcmp(m->promoted[i].ifname, ifname))
			return;
	promote_path(path, sizeof(path), ifname);
	if ((r = sysctl_read(path)) == '1')
		return;
	if (r < 0 || (r = sysctl_write(path, '1')) < 0) {
		log_err("Cannot set promote_secondaries on %s: %s", ifname, strerror(-r));
		return;
	}
	m->promoted = xrealloc(m->promoted, (m->n_promoted + 1) * sizeof(*m->promoted));
	snprintf(m->promoted[m->n_promoted++].ifname, IF_NAMESIZE, "%s", ifname);
}

static void promote_all(struct vrrp_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->n_insts; i++)
		if (vc_more(ctx->insts[i]->conf)->promote_secondaries)
			promote(ctx->misc, ctx->insts[i]->ifname);
}

/* keepalived 2.2.7 turns igmp_link_local_mcast_reports off if on, and back at exit. */
static void igmp_off(struct vrrp_misc *m)
{
	int r = sysctl_read(IGMP_LL_REPORTS);

	if (r < 0) {
		log_info("Unable to read %s - errno %d", IGMP_LL_REPORTS, -r);
		return;
	}
	if (r != '1')
		return;
	if ((r = sysctl_write(IGMP_LL_REPORTS, '0')) < 0) {
		log_info("Unable to write %s - errno %d", IGMP_LL_REPORTS, -r);
		return;
	}
	m->igmp_reset = true;
}

static double read_uptime(void)
{
	char buf[64];
	ssize_t n;
	int fd = open("/proc/uptime", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return vrrp_misc_parse_uptime(buf);
}

static struct if_delay *delay_of(const struct vrrp_misc *m, const char *ifname)
{
	for (unsigned i = 0; m && i < m->n_delays; i++)
		if (!strcmp(m->delays[i]->ifname, ifname))
			return m->delays[i];
	return NULL;
}

/* The configured delays, at start and after a reload (an interface left out: 0 s). */
static void delays_conf(struct vrrp_ctx *ctx)
{
	struct vrrp_misc *m = ctx->misc;
	const struct vrrp_conf *vc = ctx->conf;

	for (unsigned i = 0; i < m->n_delays; i++)
		m->delays[i]->down_us = m->delays[i]->up_us = 0;
	for (unsigned i = 0; i < vc->n_if_delays; i++) {
		const struct vc_if_delay *c = &vc->if_delays[i];
		struct if_delay *d = delay_of(m, c->ifname);
		const struct reflector_if *ifp;

		if (!d) {
			if (strlen(c->ifname) >= IF_NAMESIZE)
				continue;
			d = xcalloc(1, sizeof(*d));
			d->ctx = ctx;
			snprintf(d->ifname, sizeof(d->ifname), "%s", c->ifname);
			ifp = reflector_if_by_name(ctx->refl, d->ifname);
			d->shown_up = d->seen_up = ifp && ifp->is_up;
			d->flags = ifp ? ifp->flags : 0;
			m->delays = xrealloc(m->delays, (m->n_delays + 1) * sizeof(*m->delays));
			m->delays[m->n_delays++] = d;
		}
		d->down_us = c->down_us;
		d->up_us = c->up_us;
	}
	/*
	 * As 2.2.7: on an instance's own interface a delay must end before its master-down
	 * timer would (down_timer_adverts - 1 adverts), else it is cut to just under that.
	 */
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		const struct vrrp_inst *vi = ctx->insts[i];
		unsigned n = vi->fc.down_timer_adverts ? vi->fc.down_timer_adverts : 3;
		uint64_t adv = vi->fc.adver_int_cs * 10000ULL, limit = (n - 1) * adv;
		struct if_delay *d = delay_of(m, vi->ifname);

		if (!d || n == 1 || (d->down_us < limit && d->up_us < limit))
			continue;
		log_info("%s: interface %s debounce timer(s) not less that %u * advert_int - "
			 "resetting", vi->name, vi->ifname, n - 1);
		if (d->down_us >= limit)
			d->down_us = limit - adv / 256;
		if (d->up_us >= limit)
			d->up_us = limit - adv / 256;
	}
}

/*
 * The receive buffer of each VRRP socket, as keepalived 2.2.7 sizes it: the sum over its
 * instances of kernel_rx_buf_size, else of what vrrp_rx_bufs_policy gives (a size, or the
 * multiplier times the advert's length or the interface's MTU); nothing set: the kernel's.
 */
static unsigned rx_share(const struct vrrp_inst *vi)
{
	const struct gd_vrrp *g = &vi->ctx->gd;
	struct vrrp_pkt_tx tx = { .version = vi->version, .vrid = 1, .priority = 1,
				  .adver_int_cs = vi->version == 2 ? 100 : 1, .src = vi->src,
				  .dst = vi->src, .addrs = vrrp_vip_addrs(vi),
				  .n_addrs = vi->n_vip_addrs, .auth = vi->auth };
	const struct reflector_if *ifp;
	unsigned long long v = 0;

	if (vc_more(vi->conf)->kernel_rx_buf_size)
		return vc_more(vi->conf)->kernel_rx_buf_size;
	if (g->rx_bufs_size_set)
		return g->rx_bufs_size;
	if (g->rx_bufs_advert) {
		tx.src.family = tx.dst.family = vi->family;
		v = (unsigned long long)g->rx_bufs_multiplier * vrrp_pkt_len(&tx);
	} else if (g->rx_bufs_mtu && (ifp = reflector_if_by_name(vi->ctx->refl, vi->ifname))) {
		v = (unsigned long long)g->rx_bufs_multiplier * ifp->mtu;
	}
	return v > UINT_MAX ? UINT_MAX : (unsigned)v;
}

static void rx_bufs(struct vrrp_ctx *ctx)
{
	for (unsigned s = 0; s < ctx->n_socks; s++) {
		unsigned long long sum = 0;
		int r;

		for (unsigned i = 0; i < ctx->n_insts; i++)
			if (ctx->insts[i]->ent == ctx->socks[s])
				sum += rx_share(ctx->insts[i]);
		if (!sum)
			continue;
		if ((r = vrrp_sock_set_rcvbuf(ctx->socks[s]->vs, sum > UINT_MAX ? UINT_MAX :
					      (unsigned)sum)) < 0)
			log_info("vrrp set receive socket buffer size error %d", -r);
	}
}

/* The context's part, made on first use (garp_group's paces are wanted by the instances) */
static struct vrrp_misc *misc_of(struct vrrp_ctx *ctx)
{
	if (!ctx->misc)
		ctx->misc = xcalloc(1, sizeof(*ctx->misc));
	return ctx->misc;
}

/* garp_group: the groups of the current config, by index; a reload keeps the pacers */
static void groups_conf(struct vrrp_ctx *ctx)
{
	struct vrrp_misc *m = misc_of(ctx);
	const struct vrrp_conf *vc = ctx->conf;

	for (unsigned i = 0; i < m->n_groups; i++)
		m->groups[i].conf = NULL;
	if (vc->n_garp_groups > m->n_groups) {
		m->groups = xrealloc(m->groups, vc->n_garp_groups * sizeof(*m->groups));
		for (unsigned i = m->n_groups; i < vc->n_garp_groups; i++)
			m->groups[i].pace = garp_pace_new(0, 0);
		m->n_groups = vc->n_garp_groups;
	}
	for (unsigned i = 0; i < vc->n_garp_groups; i++) {
		const struct vc_garp_group *g = vc->garp_groups[i];

		m->groups[i].conf = g;
		garp_pace_set(m->groups[i].pace, g->garp_us, g->gna_us);
	}
}

struct garp_pace *vrrp_misc_pace(struct vrrp_ctx *ctx, const char *ifname)
{
	struct vrrp_misc *m = misc_of(ctx);

	if (!m->n_groups && ctx->conf->n_garp_groups)
		groups_conf(ctx);
	for (unsigned i = 0; i < m->n_groups; i++) {
		const struct vc_garp_group *g = m->groups[i].conf;

		for (unsigned k = 0; g && k < g->n_ifnames; k++)
			if (!strcmp(g->ifnames[k], ifname))
				return m->groups[i].pace;
	}
	return ctx->pace;
}

void vrrp_misc_start(struct vrrp_ctx *ctx)
{
	struct vrrp_misc *m = misc_of(ctx);
	double up = ctx->gd.delay_after_boot_us ? read_uptime() : 0;
	uint64_t delay;

	if (ctx->gd.delay_after_boot_us && up < 0)
		log_warn("Unable to read /proc/uptime for vrrp_delay_after_boot - ignoring");
	delay = vrrp_misc_start_delay_us(ctx->gd.startup_delay_us, ctx->gd.delay_after_boot_us, up);
	if (delay) {
		m->delay_end_us = sched_now_us(ctx->s) + delay;
		log_info("Delaying startup for %g seconds", delay / 1e6);
	}
	if (ctx->gd.disable_local_igmp)
		igmp_off(m);
	promote_all(ctx);
	delays_conf(ctx);
	rx_bufs(ctx);
}

static const struct inet_addr *src_conf(const struct vrrp_inst *vi);
static bool src_present(const struct vrrp_inst *vi, const struct inet_addr *src);

void vrrp_misc_reload(struct vrrp_ctx *ctx)
{
	if (!ctx->misc)
		return;
	groups_conf(ctx);
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];
		const struct inet_addr *src = src_conf(vi);

		vi->misc_src_missing = vc_more(vi->conf)->track_src_ip && src && !src_present(vi, src);
	}
	promote_all(ctx);
	delays_conf(ctx);
	rx_bufs(ctx);
}

void vrrp_misc_free(struct vrrp_ctx *ctx)
{
	struct vrrp_misc *m = ctx->misc;
	char path[128];
	int r;

	if (!m)
		return;
	for (unsigned i = 0; i < m->n_promoted; i++) {
		promote_path(path, sizeof(path), m->promoted[i].ifname);
		/* an interface deleted meanwhile has nothing to restore */
		if ((r = sysctl_write(path, '0')) < 0 && r != -ENOENT)
			log_err("Cannot reset promote_secondaries on %s: %s", m->promoted[i].ifname,
				strerror(-r));
	}
	if (m->igmp_reset && (r = sysctl_write(IGMP_LL_REPORTS, '1')) < 0)
		log_info("Unable to write %s - errno %d", IGMP_LL_REPORTS, -r);
	for (unsigned i = 0; i < m->n_groups; i++)
		garp_pace_free(m->groups[i].pace);
	free(m->groups);
	for (unsigned i = 0; i < m->n_delays; i++) {
		sched_cancel(&m->delays[i]->ev);
		free(m->delays[i]);
	}
	free(m->delays);
	free(m->promoted);
	free(m->fwd);
	free(m);
	ctx->misc = NULL;
}

bool vrrp_misc_delaying(const struct vrrp_ctx *ctx, uint64_t now_us)
{
	return ctx->misc && ctx->misc->delay_end_us && now_us < ctx->misc->delay_end_us;
}

uint64_t vrrp_misc_down_us(struct vrrp_inst *vi, uint64_t down_us)
{
	uint64_t now = vrrp_now_us(vi);
	bool owner = vi->misc_owner_start;

	vi->misc_owner_start = false;
	if (!vrrp_misc_delaying(vi->ctx, now))
		return down_us;
	return vi->ctx->misc->delay_end_us - now + (owner ? 0 : down_us);
}

/* The configured advert source, as vrrp_inst.c takes it; NULL: none */
static const struct inet_addr *src_conf(const struct vrrp_inst *vi)
{
	const struct vc_more *m = vc_more(vi->conf);

	if (m->n_peers && m->unicast_src.family)
		return &m->unicast_src;
	return m->mcast_src.family ? &m->mcast_src : NULL;
}

static bool src_present(const struct vrrp_inst *vi, const struct inet_addr *src)
{
	const struct reflector_addr *a = NULL;

	while (vi->ifindex && (a = reflector_addr_next(vi->ctx->refl, vi->ifindex, a)))
		if (inet_addr_eq(&a->addr, src))
			return true;
	return false;
}

unsigned vrrp_misc_faults(const struct vrrp_inst *vi)
{
	const struct vc_instance *c = vi->conf;

	return (c->unicast_fault_no_peer && !vc_more(c)->n_peers) + vc_more(c)->use_ipvlan +
	       vi->misc_src_missing;
}

void vrrp_misc_addr_event(struct vrrp_ctx *ctx, const struct reflector_addr *ra, bool added)
{
	for (unsigned i = 0; i < ctx->n_insts; i++) {
		struct vrrp_inst *vi = ctx->insts[i];
		const struct inet_addr *src = src_conf(vi);

		if (!vc_more(vi->conf)->track_src_ip || !src || ra->ifindex != vi->ifindex ||
		    !inet_addr_eq(&ra->addr, src) || vi->misc_src_missing == !added)
			continue;
		vi->misc_src_missing = !added;
		vrrp_inst_track_update(vi);
	}
}

void vrrp_misc_inst_new(struct vrrp_inst *vi)
{
	const struct vc_instance *c = vi->conf;

	/*
	 * A missing interface: 2.2.7 says this with dynamic_interfaces, and waits for it;
	 * without, it says the other and stops the daemon (a config error). Here the
	 * instance waits in FAULT either way.
	 */
	if (!vi->ifindex && vi->ifname[0]) {
		if (vi->ctx->gd.dynamic_interfaces)
			log_info("Configuration specifies interface %s which doesn't currently exist"
				 " - will use if created", vi->ifname);
		else
			log_warn("WARNING - interface %s for vrrp_instance %s doesn't exist",
				 vi->ifname, vi->name);
	}
	if (vc_more(c)->track_src_ip && src_conf(vi) && !src_present(vi, src_conf(vi)))
		vi->misc_src_missing = true;
	if (c->unicast_fault_no_peer && !vc_more(c)->n_peers)
		log_info("(%s) Cannot use unicast without any peers - going to fault state", vi->name);
	if (vc_more(c)->use_ipvlan)
		log_err("(%s): Unable to create ipvlan interface vrrp.%u: ipvlan is not supported "
			"(no kernel module)", vi->name, c->vrid);
}

/* VRRPv3 over IPv4 to unicast peers: the only adverts with two possible checksums */
static bool csum_may_be_old(const struct vrrp_inst *vi)
{
	return vi->version == 3 && vi->family == AF_INET && vc_more(vi->conf)->n_peers;
}

static bool uses_old_csum(const struct vrrp_inst *vi)
{
	return csum_may_be_old(vi) &&
	       (vi->misc_old_csum || vc_more(vi->conf)->old_unicast_csum == VC_OLD_CSUM_ON);
}

bool vrrp_misc_csum_as_v2(const struct vrrp_inst *vi)
{
	const struct vc_more *m = vc_more(vi->conf);

	if (vi->version != 3 || vi->family != AF_INET)
		return false;
	return m->has_v3_csum_as_v2 ? m->v3_csum_as_v2 : vi->ctx->gd.v3_checksum_as_v2;
}

enum vrrp_drop vrrp_misc_rx_csum(struct vrrp_inst *vi, const struct vrrp_advert *ad,
				 enum vrrp_drop why)
{
	if (why == VRRP_DROP_CHECKSUM)
		return vrrp_misc_csum_as_v2(vi) && ad->version == 3 && ad->family == AF_INET &&
		       vrrp_pkt_csum_as_v2_ok(ad) ? VRRP_DROP_NONE : why;
	if (ad->version != 3 || ad->family != AF_INET)
		return VRRP_DROP_NONE;
	if (uses_old_csum(vi))
		return ad->old_csum ? VRRP_DROP_NONE : VRRP_DROP_CHECKSUM;
	if (!ad->old_csum)
		return VRRP_DROP_NONE;
	if (!csum_may_be_old(vi) || vc_more(vi->conf)->old_unicast_csum == VC_OLD_CSUM_NEVER)
		return VRRP_DROP_CHECKSUM;
	vi->misc_old_csum = true;
	log_info("(%s) Setting unicast VRRPv3 checksum to old version", vi->name);
	return VRRP_DROP_NONE;
}

const struct inet_addr *vrrp_misc_tx_csum_dst(const struct vrrp_inst *vi)
{
	return uses_old_csum(vi) ? &vi->ctx->gd.mcast_group4 : NULL;
}

#define FWD_RECHECK_US 5000000ULL

static bool ipv6_forwarding(struct vrrp_misc *m, const char *ifname, uint64_t now)
{
	struct fwd_seen *f = NULL;
	char path[128];

	for (unsigned i = 0; i < m->n_fwd && !f; i++)
		if (!strcmp(m->fwd[i].ifname, ifname))
			f = &m->fwd[i];
	if (f && now - f->at_us < FWD_RECHECK_US)
		return f->on;
	if (!f) {
		m->fwd = xrealloc(m->fwd, (m->n_fwd + 1) * sizeof(*m->fwd));
		f = &m->fwd[m->n_fwd++];
		snprintf(f->ifname, sizeof(f->ifname), "%s", ifname);
	}
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", ifname);
	f->on = sysctl_read(path) == '1';
	f->at_us = now;
	return f->on;
}

void vrrp_misc_na_router(struct vrrp_inst *vi)
{
	uint64_t now = vrrp_now_us(vi);

	if (!vi->ctx->misc)
		return;
	for (unsigned k = 0; k < vi->n_garp_addrs; k++) {
		struct garp_addr *g = &vi->garp_addrs[k];

		if (g->addr.family == AF_INET6 && g->ifname && strlen(g->ifname) < IF_NAMESIZE)
			g->na_router = ipv6_forwarding(vi->ctx->misc, g->ifname, now);
	}
}

/* The instance's garp_extra_if: its own, else global_defs'. 0: off. */
static unsigned extra_secs(const struct vrrp_inst *vi, bool *all)
{
	const struct vc_more *m = vc_more(vi->conf);

	if (m->has_garp_extra_if) {
		*all = m->garp_extra_if_all;
		return m->garp_extra_if_s;
	}
	*all = vi->ctx->gd.garp_extra_if_all;
	return vi->ctx->gd.garp_extra_if_s;
}

void vrrp_misc_extra_addrs(struct vrrp_inst *vi)
{
	struct vrrp_misc_inst *mi = vi->misc;
	struct garp_params p = { .master_refresh_repeat = 1 };
	bool all, was_on = mi && mi->extra;
	unsigned secs = extra_secs(vi, &all), n = 0;
	struct garp_addr *addrs;

	addrs = xcalloc(vi->n_garp_addrs ? vi->n_garp_addrs : 1, sizeof(*addrs));
	/* VMACs only unless "all": this daemon makes no VMAC yet */
	for (unsigned k = 0; secs && all && k < vi->n_garp_addrs; k++) {
		const struct garp_addr *g = &vi->garp_addrs[k];
		bool seen = g->ifindex == vi->ifindex;

		for (unsigned i = 0; i < n && !seen; i++)
			seen = addrs[i].ifindex == g->ifindex;
		if (!seen)
			addrs[n++] = *g;
	}
	if (!n) {		/* no other interface: off, as 2.2.7 */
		free(addrs);
		if (mi) {
			garp_free(mi->extra);
			free(mi->addrs);
			free(mi);
			vi->misc = NULL;
		}
		return;
	}
	if (!mi)
		mi = vi->misc = xcalloc(1, sizeof(*mi));
	p.master_refresh_us = secs * 1000000ULL;
	if (!mi->extra && garp_new(&mi->extra, vi->ctx->garp_ctx, vi->name, &p) < 0)
		fatal("(%s) cannot set up gratuitous ARP", vi->name);
	garp_set_name(mi->extra, vi->name);
	garp_set_params(mi->extra, &p);
	garp_set_addrs(mi->extra, addrs, n);
	free(mi->addrs);
	mi->addrs = addrs;
	mi->n_addrs = n;
	if (!was_on && vi->fsm.state == VRRP_STATE_MASTER)
		garp_start_master(mi->extra);
}

void vrrp_misc_extra_garp(struct vrrp_inst *vi, bool start)
{
	if (!vi->misc)
		return;
	if (start)
		garp_start_master(vi->misc->extra);
	else
		garp_stop(vi->misc->extra);
}

void vrrp_misc_inst_free(struct vrrp_inst *vi)
{
	if (!vi->misc)
		return;
	garp_free(vi->misc->extra);
	free(vi->misc->addrs);
	free(vi->misc);
	vi->misc = NULL;
}

static void delay_cb(struct sched_ev *ev, void *arg)
{
	struct if_delay *d = arg;
	struct vrrp_ctx *ctx = d->ctx;
	const struct reflector_if *ifp = reflector_if_by_name(ctx->refl, d->ifname);

	(void)ev;	/* the handle is d->ev, already NULL */
	d->shown_up = d->pending_up;
	if (ifp)
		d->flags = ifp->flags;
	if (d->shown_up)
		d->seen_up = true;
	if (!ifp)
		return;		/* deleted meanwhile: its deletion reached the instances */
	for (unsigned i = 0; i < ctx->n_insts; i++)
		vrrp_inst_link_event(ctx->insts[i], ifp,
				     d->shown_up ? REFLECTOR_LINK_UP : REFLECTOR_LINK_DOWN);
}

bool vrrp_misc_link_delayed(struct vrrp_ctx *ctx, const struct reflector_if *ifp, int ev)
{
	struct if_delay *d = delay_of(ctx->misc, ifp->name);
	bool now_up = ifp->is_up;
	uint64_t delay;

	if (!d)
		return false;
	if (ev != REFLECTOR_LINK_UP && ev != REFLECTOR_LINK_DOWN) {
		/* gone, new or renamed: at once, as it is */
		sched_cancel(&d->ev);
		d->shown_up = now_up;
		d->flags = ifp->flags;
		return false;
	}
	if (d->ev && ifp->flags == d->flags) {
		sched_cancel(&d->ev);	/* back as it was: silently, as 2.2.7 */
		return true;
	}
	if (d->ev) {
		if (d->pending_up == now_up)
			return true;	/* the same change, still waiting */
		sched_cancel(&d->ev);
		log_info("Delay timer for %s cancelled", d->ifname);
	}
	if (now_up == d->shown_up)
		return true;		/* as the instances last saw it: nothing happened */
	delay = now_up ? d->up_us : d->down_us;
	if (d->seen_up && delay) {
		log_info("%s: Adding flags change from 0x%x to 0x%x delay by %llu", d->ifname,
			 d->flags, ifp->flags, (unsigned long long)delay);
		d->pending_up = now_up;
		sched_timer(ctx->s, &d->ev, delay, delay_cb, d);
		return true;
	}
	d->flags = ifp->flags;
	d->shown_up = now_up;
	if (now_up)
		d->seen_up = true;
	return false;
}

bool vrrp_misc_is_up(const struct vrrp_ctx *ctx, const struct reflector_if *ifp)
{
	const struct if_delay *d = delay_of(ctx->misc, ifp->name);

	return d ? d->shown_up : ifp->is_up;
}
