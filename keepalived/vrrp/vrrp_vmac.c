// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_vmac.c: VMACs (use_vmac): macvlan interfaces carrying the virtual router's MAC. */
#include "vrrp_vmac.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>

#include "log.h"
#include "scheduler.h"
#include "core/reflector.h"
#include "utils.h"
#include "vrrp_ctx.h"
#include "vrrp_fw.h"
#include "vrrp_nft.h"
#include "vrrp_inst.h"
#include "vrrp_vipq.h"
#include "vrrp_vmac_int.h"

/* ---- pure helpers ---- */

void vrrp_vmac_mac(uint8_t out[6], sa_family_t family, uint8_t vrid)
{
	out[0] = 0x00;
	out[1] = 0x00;
	out[2] = 0x5e;
	out[3] = 0x00;
	out[4] = family == AF_INET6 ? 0x02 : 0x01;
	out[5] = vrid;
}

bool vrrp_vmac_ifname_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p))
			return false;
	return true;
}

int vrrp_vmac_parse_mac(const char *s, uint8_t out[6], bool *with_vrid)
{
	unsigned n = 0;
	const char *p = s;

	while (n < 6) {
		char *end;
		unsigned long v;

		if (!isxdigit((unsigned char)*p))
			return -EINVAL;
		v = strtoul(p, &end, 16);
		if (end - p > 2 || v > 0xff)
			return -EINVAL;
		out[n++] = (uint8_t)v;
		p = end;
		if (!*p)
			break;
		if (*p++ != ':')
			return -EINVAL;
	}
	if (*p || n < 5)
		return -EINVAL;
	*with_vrid = n == 5;
	if (out[0] & 1)
		return -EADDRNOTAVAIL;
	if (out[0] == 0 && out[1] == 0 && out[2] == 0x5e && out[3] == 0 &&
	    (out[4] == 1 || out[4] == 2))
		return -EADDRINUSE;
	return 0;
}

/* "<prefix><tag>.<vrid>" in 15 bytes at most: the prefix gives way. */
static void make_name(char out[IFNAMSIZ], const char *prefix, const char *tag, uint8_t vrid)
{
	char tail[24], full[64];
	size_t room, pl = strlen(prefix);

	snprintf(tail, sizeof(tail), "%.8s.%u", tag, vrid);
	room = IFNAMSIZ - 1 - strlen(tail);
	if (pl > room)
		pl = room;
	snprintf(full, sizeof(full), "%.*s%s", (int)pl, prefix, tail);
	memcpy(out, full, IFNAMSIZ - 1);
	out[IFNAMSIZ - 1] = 0;
}

int vrrp_vmac_default_name(char out[IFNAMSIZ], const char *prefix, uint8_t vrid,
			   sa_family_t family, vrrp_vmac_taken_fn *taken, void *arg)
{
	char tag[8];

	make_name(out, prefix, "", vrid);
	if (!taken(arg, out))
		return 0;
	if (family == AF_INET6) {
		make_name(out, prefix, "6", vrid);
		if (!taken(arg, out))
			return 0;
	}
	for (unsigned i = 1; i < 1000; i++) {
		if (family == AF_INET6 && i == 6)
			continue;
		snprintf(tag, sizeof(tag), "%u", i);
		make_name(out, prefix, tag, vrid);
		if (!taken(arg, out))
			return 0;
	}
	return -ENOSPC;
}

void vrrp_vmac_eui64(struct in6_addr *out, const uint8_t mac[6])
{
	memset(out, 0, sizeof(*out));
	out->s6_addr[0] = 0xfe;
	out->s6_addr[1] = 0x80;
	out->s6_addr[8] = mac[0] ^ 0x02;
	out->s6_addr[9] = mac[1];
	out->s6_addr[10] = mac[2];
	out->s6_addr[11] = 0xff;
	out->s6_addr[12] = 0xfe;
	out->s6_addr[13] = mac[3];
	out->s6_addr[14] = mac[4];
	out->s6_addr[15] = mac[5];
}

struct vmac {
	char inst[64];			/* the instance's name (for the log lines) */
	bool extra;			/* use_vmac_addr / an address's use_vmac: on another interface */
	char ifname[IFNAMSIZ];
	char base[IFNAMSIZ];
	sa_family_t family;
	int ifindex, base_ifindex;
	bool other_family;		/* in the firewall's vmac_map of both families */
	bool released;			/* its instance let it go: delete at the next gc */
	bool used;			/* an instance runs on it */
};

/* The arp_* of a base interface as we found them, while VMACs of ours sit on it. */
struct base {
	char name[IFNAMSIZ];
	unsigned n_vmacs;
	bool set;			/* we set arp_ignore/arp_filter to 1 */
	int arp_ignore, arp_filter;	/* before */
};

/* An interface's rp_filter we raised (the rp_filter dance), to put back. */
struct rp_saved {
	char name[IFNAMSIZ];
	int was, now;
};

struct vrrp_vmacs {
	struct vrrp_ctx *ctx;		/* for the firewall (vrrp_fw.c) */
	struct sched_ev *gc_ev;		/* VMACs let go by a reload: deleted from the loop */
	struct vmac_nl nl;		/* the synchronous netlink socket (vrrp_vmac_nl.c) */
	struct vmac **v;		/* each its own allocation: instances borrow ifname */
	unsigned n;
	struct base *bases;
	unsigned n_bases;
	/* the rp_filter dance, done once */
	bool rp_done, rp_all_set, rp_default_set;
	int rp_all_was, rp_default_was, rp_default_now;
	struct rp_saved *rps;
	unsigned n_rps;
};

/* ---- the registry ---- */

struct vrrp_vmacs *vrrp_vmacs_new(struct vrrp_ctx *ctx)
{
	struct vrrp_vmacs *vs = xcalloc(1, sizeof(*vs));

	vs->ctx = ctx;
	return vs;
}

/*
 * The firewall's part, as 2.2.7 (vrrp_nft.c): the VMAC's IGMP/MLD reports leave by its
 * base, so that a switch never learns the virtual MAC from a backup's reports.
 */
static void vmac_fw(struct vrrp_vmacs *vs, const struct vmac *m, bool add)
{
	struct vrrp_nft *n;

	if (!vs->ctx || !m->ifindex || !(add || vs->ctx->nft) || !(n = vrrp_fw_nft(vs->ctx)))
		return;
	vrrp_nft_vmac(n, m->ifindex, m->base_ifindex, m->family, m->other_family, add);
}

static struct vmac *find_inst(struct vrrp_vmacs *vs, const char *inst)
{
	for (unsigned i = 0; i < vs->n; i++)
		if (!vs->v[i]->released && !vs->v[i]->extra && !strcmp(vs->v[i]->inst, inst))
			return vs->v[i];
	return NULL;
}

/* An instance's extra VMAC on base (use_vmac_addr). */
static struct vmac *find_extra(struct vrrp_vmacs *vs, const char *inst, const char *base,
			       sa_family_t family)
{
	for (unsigned i = 0; i < vs->n; i++)
		if (!vs->v[i]->released && vs->v[i]->extra && !strcmp(vs->v[i]->inst, inst) &&
		    !strcmp(vs->v[i]->base, base) && vs->v[i]->family == family)
			return vs->v[i];
	return NULL;
}

static struct vmac *find_if(struct vrrp_vmacs *vs, const char *ifname)
{
	for (unsigned i = 0; i < vs->n; i++)
		if (!strcmp(vs->v[i]->ifname, ifname))
			return vs->v[i];
	return NULL;
}

static struct base *base_get(struct vrrp_vmacs *vs, const char *name)
{
	struct base *b;

	for (unsigned i = 0; i < vs->n_bases; i++)
		if (!strcmp(vs->bases[i].name, name))
			return &vs->bases[i];
	vs->bases = xrealloc(vs->bases, (vs->n_bases + 1) * sizeof(*vs->bases));
	b = &vs->bases[vs->n_bases++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	return b;
}

/* arp_ignore and arp_filter 1 on the base of an IPv4 VMAC, counted per base. */
static void base_take(struct vrrp_vmacs *vs, const char *base, const char *vmac)
{
	struct base *b = base_get(vs, base);

	if (b->n_vmacs++)
		return;
	if (vmac_sysctl_get(0, base, "arp_ignore", &b->arp_ignore) < 0 ||
	    vmac_sysctl_get(0, base, "arp_filter", &b->arp_filter) < 0) {
		log_err("Set base flags on %s failed for VMAC %s", base, vmac);
		return;
	}
	if (b->arp_ignore == 1 && b->arp_filter == 1)
		return;
	if (vmac_sysctl_set(0, base, "arp_ignore", 1) < 0 || vmac_sysctl_set(0, base, "arp_filter", 1) < 0)
		log_err("Set base flags on %s failed for VMAC %s", base, vmac);
	b->set = true;
}

/* The last VMAC on base is gone: its arp_* back, where they still hold ours. */
static void base_drop(struct vrrp_vmacs *vs, const char *base)
{
	struct base *b = base_get(vs, base);
	int v;

	if (!b->n_vmacs || --b->n_vmacs || !b->set)
		return;
	b->set = false;
	if (vmac_sysctl_get(0, base, "arp_ignore", &v) == 0 && v == 1)
		vmac_sysctl_set(0, base, "arp_ignore", b->arp_ignore);
	if (vmac_sysctl_get(0, base, "arp_filter", &v) == 0 && v == 1)
		vmac_sysctl_set(0, base, "arp_filter", b->arp_filter);
}

/*
 * 2.2.7's rp_filter dance, once, at the first IPv4 VMAC: with all.rp_filter N > 0,
 * default and every interface below N go up to N (what all.rp_filter enforced), then
 * all.rp_filter goes to 0, so that the VMAC's own 0 counts.
 */
static void rp_filter_dance(struct vrrp_vmacs *vs)
{
	struct if_nameindex *ifs, *i;
	int all, v;

	if (vs->rp_done)
		return;
	vs->rp_done = true;
	if (vmac_sysctl_get(0, "all", "rp_filter", &all) < 0 || all <= 0)
		return;
	if (vmac_sysctl_get(0, "default", "rp_filter", &v) == 0 && v < all) {
		log_info("NOTICE: setting sysctl net.ipv4.conf.default.rp_filter from %d to %d", v, all);
		if (vmac_sysctl_set(0, "default", "rp_filter", all) == 0) {
			vs->rp_default_set = true;
			vs->rp_default_was = v;
			vs->rp_default_now = all;
		}
	}
	if ((ifs = if_nameindex())) {
		for (i = ifs; i->if_index; i++) {
			struct rp_saved *s;

			/* [OBS] 2.2.7 leaves the loopback alone */
			if (!strcmp(i->if_name, "lo") ||
			    vmac_sysctl_get(0, i->if_name, "rp_filter", &v) < 0 || v >= all ||
			    vmac_sysctl_set(0, i->if_name, "rp_filter", all) < 0)
				continue;
			vs->rps = xrealloc(vs->rps, (vs->n_rps + 1) * sizeof(*vs->rps));
			s = &vs->rps[vs->n_rps++];
			snprintf(s->name, sizeof(s->name), "%s", i->if_name);
			s->was = v;
			s->now = all;
		}
		if_freenameindex(ifs);
	}
	log_info("NOTICE: setting sysctl net.ipv4.conf.all.rp_filter from %d to 0", all);
	if (vmac_sysctl_set(0, "all", "rp_filter", 0) == 0) {
		vs->rp_all_set = true;
		vs->rp_all_was = all;
	}
}

static void rp_filter_restore(struct vrrp_vmacs *vs)
{
	int v;

	if (vs->rp_all_set && vmac_sysctl_get(0, "all", "rp_filter", &v) == 0 && v == 0) {
		log_info("NOTICE: resetting sysctl net.ipv4.conf.all.rp_filter to %d", vs->rp_all_was);
		vmac_sysctl_set(0, "all", "rp_filter", vs->rp_all_was);
	}
	if (vs->rp_default_set && vmac_sysctl_get(0, "default", "rp_filter", &v) == 0 &&
	    v == vs->rp_default_now) {
		log_info("NOTICE: resetting sysctl net.ipv4.conf.default.rp_filter to %d",
			 vs->rp_default_was);
		vmac_sysctl_set(0, "default", "rp_filter", vs->rp_default_was);
	}
	for (unsigned k = 0; k < vs->n_rps; k++)
		if (vmac_sysctl_get(0, vs->rps[k].name, "rp_filter", &v) == 0 && v == vs->rps[k].now)
			vmac_sysctl_set(0, vs->rps[k].name, "rp_filter", vs->rps[k].was);
	free(vs->rps);
	vs->rps = NULL;
	vs->n_rps = 0;
	vs->rp_all_set = vs->rp_default_set = vs->rp_done = false;
}

static void vmac_delete(struct vrrp_vmacs *vs, struct vmac *m)
{
	int r;

	vmac_fw(vs, m, false);
	r = vmac_link_del(&vs->nl, m->ifname);

	if (r < 0 && r != -ENODEV)
		log_err("(%s) Error removing VMAC interface %s", m->inst, m->ifname);
	else if (r == 0)
		log_detail("(%s) Success removing VMAC interface %s", m->inst, m->ifname);
	if (m->family == AF_INET)
		base_drop(vs, m->base);
}

/* Takes entry i out of the table (its VMAC already deleted). */
static void vmac_forget(struct vrrp_vmacs *vs, unsigned i)
{
	free(vs->v[i]);
	vs->v[i] = vs->v[--vs->n];
}

static void gc_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_ctx *ctx = arg;

	(void)ev;
	if (ctx->vmacs && !(ctx->vipq && vrrp_vipq_busy(ctx->vipq)))
		vrrp_vmacs_gc(ctx->vmacs);	/* else when the queue is idle (vrrp_ctx.c) */
}

void vrrp_vmacs_gc(struct vrrp_vmacs *vs)
{
	if (!vs)
		return;
	for (unsigned i = vs->n; i-- > 0;)
		if (vs->v[i]->released) {
			vmac_delete(vs, vs->v[i]);
			vmac_forget(vs, i);
		}
}

void vrrp_vmacs_free(struct vrrp_vmacs *vs)
{
	if (!vs)
		return;
	sched_cancel(&vs->gc_ev);
	for (unsigned i = vs->n; i-- > 0;) {
		vmac_delete(vs, vs->v[i]);
		vmac_forget(vs, i);
	}
	rp_filter_restore(vs);
	free(vs->v);
	free(vs->bases);
	vmac_nl_close(&vs->nl);
	free(vs);
}

/* ---- making one ---- */

struct taken_arg {
	struct vrrp_vmacs *vs;
	const char *inst;
};

/* In use: by another instance's VMAC, or an interface that is no VMAC we may reuse. */
static bool name_taken(void *arg, const char *name)
{
	struct taken_arg *t = arg;
	struct vmac *m = find_if(t->vs, name);

	if (m)
		return !(m->released || !strcmp(m->inst, t->inst));
	return if_nametoindex(name) != 0;
}

/* The settings of an instance's VMAC, from its config. */
struct vmac_spec {
	const char *inst, *base, *prefix;
	const char *name;		/* use_vmac's; NULL: the default */
	uint8_t mac[6];
	uint8_t vrid;
	sa_family_t family;
	bool ipv6;			/* IPv6 on the VMAC: an IPv6 instance or IPv6 eVIPs */
	bool other_family;		/* addresses of the other family on it too */
	bool xmit_base;
	bool extra;			/* an address's VMAC on its own dev */
	const struct in6_addr *src6;	/* a configured IPv6 source, or NULL */
};

static void spec_of(const struct vc_instance *c, const char *prefix, struct vmac_spec *sp)
{
	const struct vc_more *m = vc_more(c);

	memset(sp, 0, sizeof(*sp));
	sp->inst = c->id.name;
	sp->base = c->interface ? c->interface : "";
	sp->prefix = prefix && *prefix ? prefix : "vrrp";
	sp->name = m->vmac_ifname;
	sp->vrid = c->vrid;
	sp->family = c->family;
	sp->xmit_base = c->vmac_xmit_base || m->n_peers;	/* 2.2.7 sets it for unicast */
	if (m->has_vmac_mac) {
		memcpy(sp->mac, m->vmac_mac, 6);
		if (m->vmac_mac_vrid)
			sp->mac[5] = c->vrid;
	} else {
		vrrp_vmac_mac(sp->mac, c->family, c->vrid);
	}
	for (unsigned k = 0; k < c->n_vips + c->n_evips; k++) {
		const struct vrrp_ipaddr *a = k < c->n_vips ? &c->vip_ia[k] : &c->evip_ia[k - c->n_vips];

		if (a->addr.family && a->addr.family != c->family && !(a->flags & VRRP_IPADDR_F_DEV))
			sp->other_family = true;
	}
	sp->ipv6 = c->family == AF_INET6 || sp->other_family;
	if (m->mcast_src.family == AF_INET6)
		sp->src6 = &m->mcast_src.v6;
	else if (m->n_peers && m->unicast_src.family == AF_INET6)
		sp->src6 = &m->unicast_src.v6;
}

/* The name the VMAC gets: use_vmac's if it can be had, else the default. */
static int pick_name(struct vrrp_vmacs *vs, const struct vmac_spec *sp, char out[IFNAMSIZ])
{
	struct taken_arg t = { vs, sp->inst };

	if (sp->name) {
		struct vmac *m = find_if(vs, sp->name);
		struct link_info li;

		if (m && !m->released && strcmp(m->inst, sp->inst)) {
			log_err("(%s) VRRP instance %s is already using %s - ignoring name", sp->inst,
				m->inst, sp->name);
		} else if (!m && if_nametoindex(sp->name) &&
			   (vmac_link_get(&vs->nl, sp->name, &li) < 0 || strcmp(li.kind, "macvlan") ||
			    li.mode != MACVLAN_MODE_PRIVATE)) {
			log_err("(%s) interface %s already exists and is not a private macvlan; ignoring vmac if_name",
				sp->inst, sp->name);
		} else {
			snprintf(out, IFNAMSIZ, "%s", sp->name);
			return 0;
		}
	}
	return vrrp_vmac_default_name(out, sp->prefix, sp->vrid, sp->family, name_taken, &t);
}

/* Sysctls and addresses of a new VMAC, then up. */
static int vmac_setup(struct vrrp_vmacs *vs, const struct vmac_spec *sp, const char *name,
		      int ifindex, int base)
{
	int r;

	if ((r = vmac_link_addrgenmode_none(&vs->nl, ifindex)) < 0)
		return r;
	if (sp->family == AF_INET) {
		rp_filter_dance(vs);
		vmac_sysctl_set(0, name, "arp_ignore", 1);
		vmac_sysctl_set(0, name, "accept_local", 1);
		vmac_sysctl_set(0, name, "rp_filter", 0);
		vmac_sysctl_set(0, name, "promote_secondaries", 1);
		base_take(vs, sp->base, name);
	}
	vmac_sysctl_set(1, name, "disable_ipv6", sp->ipv6 ? 0 : 1);
	if ((r = vmac_link_up(&vs->nl, ifindex)) < 0)
		return r;
	if (sp->family == AF_INET6 && !sp->xmit_base) {
		struct in6_addr ll;

		if (sp->src6)
			ll = *sp->src6;
		else if (!vmac_ll_of(&vs->nl, base, &ll)) {
			struct link_info li;

			if (vmac_link_get(&vs->nl, sp->base, &li) < 0)
				memset(li.mac, 0, sizeof(li.mac));
			vrrp_vmac_eui64(&ll, li.mac);
		}
		if (vmac_ll_add(&vs->nl, ifindex, &ll) < 0) {
			log_err("Adding link-local address to vmac failed");
			log_err("(%s) adding link-local address to %s failed", sp->inst, name);
		}
	}
	return 0;
}

/* Makes (or finds) the VMAC of sp. Its entry, or NULL. */
static struct vmac *vmac_make(struct vrrp_vmacs *vs, const struct vmac_spec *sp)
{
	char name[IFNAMSIZ];
	struct link_info li;
	struct vmac *m;
	int base, ifindex, r;

	if ((m = sp->extra ? find_extra(vs, sp->inst, sp->base, sp->family) : find_inst(vs, sp->inst)))
		return m;
	if (!(base = (int)if_nametoindex(sp->base))) {
		log_err("(%s): Unable to create VMAC interface: interface %s does not exist",
			sp->inst, sp->base);
		return NULL;
	}
	if (pick_name(vs, sp, name) < 0) {
		log_err("(%s): Unable to create VMAC interface: no name left", sp->inst);
		return NULL;
	}
	/* one a reload let go, the same again: it carries on */
	if ((m = find_if(vs, name)) && m->released && !strcmp(m->base, sp->base) &&
	    m->family == sp->family && vmac_link_get(&vs->nl, name, &li) == 0 &&
	    !memcmp(li.mac, sp->mac, 6)) {
		m->released = false;
		m->extra = sp->extra;
		snprintf(m->inst, sizeof(m->inst), "%s", sp->inst);
		return m;
	}
	if (m) {
		vmac_delete(vs, m);
		for (unsigned i = 0; i < vs->n; i++)
			if (vs->v[i] == m)
				vmac_forget(vs, i--);
	}
	/* a VMAC left behind (a crash), or a macvlan of that name: made again, ours */
	if (if_nametoindex(name)) {
		if (vmac_link_get(&vs->nl, name, &li) == 0 && !strcmp(li.kind, "macvlan")) {
			log_info("(%s) Removing old VMAC interface %s due to conflicting interface",
				 sp->inst, name);
			vmac_link_del(&vs->nl, name);
		} else {
			log_err("VMAC %s conflicts with existing interface", name);
			return NULL;
		}
	}
	if ((r = vmac_link_create(&vs->nl, name, base, sp->mac)) < 0 ||
	    !(ifindex = (int)if_nametoindex(name)) ||
	    (r = vmac_setup(vs, sp, name, ifindex, base)) < 0) {
		log_err("(%s): Unable to create VMAC interface %s", sp->inst, name);
		vmac_link_del(&vs->nl, name);
		return NULL;
	}
	log_detail("(%s): Success creating VMAC interface %s", sp->inst, name);
	vs->v = xrealloc(vs->v, (vs->n + 1) * sizeof(*vs->v));
	m = vs->v[vs->n++] = xcalloc(1, sizeof(*m));
	snprintf(m->inst, sizeof(m->inst), "%s", sp->inst);
	snprintf(m->ifname, sizeof(m->ifname), "%s", name);
	snprintf(m->base, sizeof(m->base), "%s", sp->base);
	m->family = sp->family;
	m->extra = sp->extra;
	m->ifindex = ifindex;
	m->base_ifindex = base;
	m->other_family = sp->other_family;
	vmac_fw(vs, m, true);
	return m;
}

/* Does address a of instance c go on a VMAC of its own dev? */
static bool vip_wants_vmac(const struct vc_instance *c, const struct vrrp_ipaddr *a)
{
	if (!(a->flags & VRRP_IPADDR_F_DEV) || (c->interface && !strcmp(a->ifname, c->interface)))
		return false;
	return (a->flags & VRRP_IPADDR_F_USE_VMAC) || vc_more(c)->use_vmac_addr;
}

static struct vmac *vip_vmac(struct vrrp_vmacs *vs, const struct vc_instance *c,
			     const struct vrrp_ipaddr *a, const char *addr_prefix, bool warn)
{
	struct vmac_spec sp;
	char line[VRRP_IPADDR_LINE_MAX];

	if (warn && (a->flags & VRRP_IPADDR_F_USE_VMAC) && vc_more(c)->use_vmac_addr)
		log_warn("(%s) use_vmac_addr specified and use_vmac specified for VIP/eVIP %s",
			 c->id.name, vrrp_ipaddr_str(a, line, sizeof(line)));
	spec_of(c, addr_prefix, &sp);
	sp.extra = true;
	sp.name = NULL;
	sp.base = a->ifname;
	sp.family = a->addr.family;
	sp.xmit_base = true;		/* no adverts there: no link-local needed */
	sp.ipv6 = a->addr.family == AF_INET6;
	sp.other_family = false;
	if (!vc_more(c)->has_vmac_mac)
		vrrp_vmac_mac(sp.mac, sp.family, c->vrid);
	return vmac_make(vs, &sp);
}

static const char *addr_prefix(const struct vrrp_ctx *ctx)
{
	return ctx->gd.vmac_addr_prefix ? ctx->gd.vmac_addr_prefix : ctx->gd.vmac_prefix;
}

void vrrp_vmac_start(struct vrrp_ctx *ctx)
{
	const struct vrrp_conf *vc = ctx->conf;
	struct vmac_spec sp;

	if (!ctx->vmacs)
		ctx->vmacs = vrrp_vmacs_new(ctx);
	for (unsigned i = 0; i < vc->n_insts; i++) {
		const struct vc_instance *c = vc->insts[i];

		if (c->is_dup)
			continue;
		if (c->use_vmac && c->interface) {
			spec_of(c, ctx->gd.vmac_prefix, &sp);
			vmac_make(ctx->vmacs, &sp);
		}
		for (unsigned k = 0; k < c->n_vips + c->n_evips; k++) {
			const struct vrrp_ipaddr *a = k < c->n_vips ? &c->vip_ia[k] :
						      &c->evip_ia[k - c->n_vips];

			if (vip_wants_vmac(c, a))
				vip_vmac(ctx->vmacs, c, a, addr_prefix(ctx), true);
		}
	}
}

void vrrp_vmac_vip(struct vrrp_inst *vi, struct vrrp_ipaddr *a)
{
	struct vrrp_ctx *ctx = vi->ctx;
	struct vmac *m;

	if (!vip_wants_vmac(vi->conf, a))
		return;
	if (!ctx->vmacs)
		ctx->vmacs = vrrp_vmacs_new(ctx);
	if (!(m = vip_vmac(ctx->vmacs, vi->conf, a, addr_prefix(ctx), false)))
		return;
	m->used = true;
	snprintf(a->ifname, sizeof(a->ifname), "%s", m->ifname);
	a->flags |= VRRP_IPADDR_F_USE_VMAC;
}

void vrrp_vmac_inst_attach(struct vrrp_inst *vi)
{
	struct vrrp_ctx *ctx = vi->ctx;
	struct vmac_spec sp;
	struct vmac *m;

	if (!vi->conf->use_vmac)
		return;
	if (!vi->conf->interface) {
		if (vc_more(vi->conf)->n_peers)
			log_warn("(%s): Cannot use VMAC/ipvlan with unicast and no interface - clearing use_vmac",
				 vi->name);
		return;
	}
	if (vc_more(vi->conf)->n_peers && !vi->conf->vmac_xmit_base)
		log_warn("(%s) unicast with use_vmac requires vmac_xmit_base - setting", vi->name);
	if (!ctx->vmacs)
		ctx->vmacs = vrrp_vmacs_new(ctx);
	spec_of(vi->conf, ctx->gd.vmac_prefix, &sp);
	vi->vmac_base = vi->ifname;
	vi->vmac_xmit_base = sp.xmit_base;
	if (!(m = vmac_make(ctx->vmacs, &sp)))
		return;
	m->used = true;
	snprintf(vi->vmac_ifname, sizeof(vi->vmac_ifname), "%s", m->ifname);
	vi->ifname = vi->vmac_ifname;
}

static void remake_cb(struct sched_ev *ev, void *arg)
{
	struct vrrp_inst *vi = arg;
	struct vrrp_ctx *ctx = vi->ctx;
	struct vmac *m;
	struct vmac_spec sp;

	(void)ev;
	if (ctx->stopping || !ctx->vmacs)
		return;
	/* the entry of the one deleted goes (its sysctls with it), a new one comes */
	if ((m = find_inst(ctx->vmacs, vi->name))) {
		vmac_fw(ctx->vmacs, m, false);
		if (m->family == AF_INET)
			base_drop(ctx->vmacs, m->base);
		for (unsigned i = 0; i < ctx->vmacs->n; i++)
			if (ctx->vmacs->v[i] == m)
				vmac_forget(ctx->vmacs, i);
	}
	spec_of(vi->conf, ctx->gd.vmac_prefix, &sp);
	if (!(m = vmac_make(ctx->vmacs, &sp)))
		return;		/* stays in FAULT */
	m->used = true;
	snprintf(vi->vmac_ifname, sizeof(vi->vmac_ifname), "%s", m->ifname);
}

bool vrrp_vmac_link_event(struct vrrp_inst *vi, const struct reflector_if *ifp, int ev)
{
	struct vmac *m;

	if (!vi->vmac_base || ev != REFLECTOR_LINK_DEL || ifp->ifindex != vi->ifindex ||
	    strcmp(ifp->name, vi->ifname) || vi->ctx->stopping || !vi->ctx->vmacs)
		return false;
	/* the one we made, not one we replaced ourselves (a reload) */
	if (!(m = find_inst(vi->ctx->vmacs, vi->name)) || m->ifindex != ifp->ifindex)
		return false;
	/* its addresses went with it: nothing to remove */
	vi->vips_set = false;
	if (!vi->n_faults)
		vrrp_inst_feed(vi, &(struct vrrp_fsm_in){ .ev = VRRP_EV_FAULT,
						  .now_us = vrrp_now_us(vi) });
	vi->n_faults = 1;	/* until the new one is up (vrrp_inst_track_update) */
	vi->ifindex = 0;
	sched_timer(vi->ctx->s, &vi->vmac_ev, 0, remake_cb, vi);
	return true;
}

void vrrp_vmac_inst_release(struct vrrp_inst *vi)
{
	struct vrrp_ctx *ctx = vi->ctx;
	struct vmac *m;

	bool any = false;

	sched_cancel(&vi->vmac_ev);
	if (!ctx->vmacs)
		return;
	for (unsigned i = 0; i < ctx->vmacs->n; i++) {
		m = ctx->vmacs->v[i];
		if (m->released || strcmp(m->inst, vi->name))
			continue;
		m->released = true;
		m->used = false;
		any = true;
	}
	if (!any)
		return;
	/*
	 * A stop deletes them all once the VIPs are gone; otherwise (a reload) from the
	 * loop, once the reload has made its instances: one that wants the same VMAC keeps it.
	 */
	if (!ctx->stopping)
		sched_timer(ctx->s, &ctx->vmacs->gc_ev, 0, gc_cb, ctx);
}

bool vrrp_vmac_pending(const struct vrrp_inst *vi)
{
	struct vmac *m;

	if (!vi->vmac_base || !vi->ctx->vmacs || !(m = find_inst(vi->ctx->vmacs, vi->name)))
		return false;
	return vi->ifindex != m->ifindex;
}

bool vrrp_vmac_of_inst(const struct vrrp_inst *vi, const char *ifname)
{
	const struct vrrp_vmacs *vs = vi->ctx->vmacs;

	for (unsigned i = 0; vs && i < vs->n; i++)
		if (!vs->v[i]->released && !strcmp(vs->v[i]->inst, vi->name) &&
		    !strcmp(vs->v[i]->ifname, ifname))
			return true;
	return false;
}

const char *vrrp_vmac_xmit_ifname(const struct vrrp_inst *vi)
{
	return vi->vmac_base && vi->vmac_xmit_base ? vi->vmac_base : vi->ifname;
}
