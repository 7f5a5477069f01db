// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/core/reflector_table.c: the interface/address table, changed by rtnetlink messages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "core/reflector_int.h"
#include "log.h"

/*
 * The reflector's lines, as keepalived 2.2.7 writes them (observed black-box; the
 * overrun pair is written by reflector.c):
 *   always:  "Netlink reports IF up" / "Netlink reports IF down"   (used interfaces,
 *            when is_up differs from what was last reported for it)
 *            "Interface name has changed from OLD to NEW"          (any interface)
 *            "Netlink: Receive buffer overrun on monitor socket - (No buffer space available)"
 *            "  - increase the relevant netlink_rcv_bufs global parameter and/or set force"
 *            (once per re-dump: the dump that follows puts the table right)
 *   -D only: "Interface IF added" (created, or renamed: after the line above)
 *            "Interface IF deleted" / "Unknown interface IF deleted"
 *            "Assigned address A for interface IF" / "Deassigned address A from interface IF"
 *            (used interfaces: their advert source address, see struct reflector_if)
 * Nothing is written for the start-up dump but the "Assigned address" lines.
 */

static void ht_init(struct htab *h)
{
	h->nb = 64;
	h->n = 0;
	h->b = xcalloc(h->nb, sizeof(*h->b));
}

static void ht_add(struct htab *h, struct hnode *n, uint32_t hash)
{
	if (h->n >= h->nb) {
		size_t nb = h->nb * 2;
		struct hnode **b = xcalloc(nb, sizeof(*b));

		for (size_t i = 0; i < h->nb; i++)
			for (struct hnode *p = h->b[i], *next; p; p = next) {
				next = p->next;
				p->next = b[p->hash & (nb - 1)];
				b[p->hash & (nb - 1)] = p;
			}
		free(h->b);
		h->b = b;
		h->nb = nb;
	}
	n->hash = hash;
	n->next = h->b[hash & (h->nb - 1)];
	h->b[hash & (h->nb - 1)] = n;
	h->n++;
}

static void ht_del(struct htab *h, struct hnode *n)
{
	for (struct hnode **pp = &h->b[n->hash & (h->nb - 1)]; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			h->n--;
			return;
		}
}

#define ht_first(h, hash) ((h)->b[(hash) & ((h)->nb - 1)])

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *s = p;

	while (n--)
		h = (h ^ *s++) * 16777619u;
	return h;
}
#define FNV_INIT 2166136261u

static uint32_t hash_index(int ifindex)
{
	return (uint32_t)ifindex * 2654435761u;
}

static uint32_t hash_name(const char *name)
{
	return fnv(FNV_INIT, name, strlen(name));
}

static uint32_t hash_addr(int ifindex, const struct inet_addr *a)
{
	uint32_t h = fnv(FNV_INIT, &ifindex, sizeof(ifindex));

	return a->family == AF_INET ? fnv(h, &a->v4, sizeof(a->v4)) : fnv(h, &a->v6, sizeof(a->v6));
}

static const char *const link_ev_strs[REFLECTOR_LINK_EV__COUNT] = {
	[REFLECTOR_LINK_NEW] = "new", [REFLECTOR_LINK_UP] = "up", [REFLECTOR_LINK_DOWN] = "down",
	[REFLECTOR_LINK_RENAME] = "rename", [REFLECTOR_LINK_CHANGE] = "change",
	[REFLECTOR_LINK_DEL] = "del",
};

const char *reflector_link_ev_str(enum reflector_link_ev ev)
{
	return (unsigned)ev < REFLECTOR_LINK_EV__COUNT ? link_ev_strs[ev] : "?";
}

static struct rif *rif_of(const struct reflector_if *p)
{
	return container_of(p, struct rif, pub);
}

static struct raddr *raddr_of(const struct reflector_addr *p)
{
	return container_of(p, struct raddr, pub);
}

static struct rif *find_index(const struct reflector *r, int ifindex)
{
	uint32_t h = hash_index(ifindex);

	for (struct hnode *p = ht_first(&r->ifs_by_index, h); p; p = p->next) {
		struct rif *f = container_of(p, struct rif, by_index);

		if (p->hash == h && f->pub.ifindex == ifindex)
			return f;
	}
	return NULL;
}

static struct rif *find_name(const struct reflector *r, const char *name)
{
	uint32_t h = hash_name(name);

	for (struct hnode *p = ht_first(&r->ifs_by_name, h); p; p = p->next) {
		struct rif *f = container_of(p, struct rif, by_name);

		if (p->hash == h && !strcmp(f->pub.name, name))
			return f;
	}
	return NULL;
}

/* prefix_len < 0: any prefix. */
static struct raddr *find_addr(const struct reflector *r, int ifindex, const struct inet_addr *a,
			       int prefix_len)
{
	uint32_t h = hash_addr(ifindex, a);

	for (struct hnode *p = ht_first(&r->addrs, h); p; p = p->next) {
		struct raddr *e = container_of(p, struct raddr, by_key);

		if (p->hash == h && e->pub.ifindex == ifindex && inet_addr_eq(&e->pub.addr, a) &&
		    (prefix_len < 0 || e->pub.prefix_len == prefix_len))
			return e;
	}
	return NULL;
}

const struct reflector_if *reflector_if_by_index(const struct reflector *r, int ifindex)
{
	struct rif *f = find_index(r, ifindex);

	return f ? &f->pub : NULL;
}

const struct reflector_if *reflector_if_by_name(const struct reflector *r, const char *name)
{
	struct rif *f = find_name(r, name);

	return f ? &f->pub : NULL;
}

const struct reflector_addr *reflector_addr_find(const struct reflector *r, int ifindex,
						 const struct inet_addr *a)
{
	struct raddr *e = find_addr(r, ifindex, a, -1);

	return e ? &e->pub : NULL;
}

const struct reflector_if *reflector_if_next(const struct reflector *r,
					     const struct reflector_if *prev)
{
	const struct list *n = prev ? rif_of(prev)->node.next : r->ifs.next;

	return n == &r->ifs ? NULL : &list_entry(n, struct rif, node)->pub;
}

const struct reflector_addr *reflector_addr_next(const struct reflector *r, int ifindex,
						 const struct reflector_addr *prev)
{
	struct rif *f = find_index(r, ifindex);
	const struct list *n;

	if (!f)
		return NULL;
	n = prev ? raddr_of(prev)->node.next : f->addrs.next;
	return n == &f->addrs ? NULL : &list_entry(n, struct raddr, node)->pub;
}

size_t reflector_n_ifs(const struct reflector *r)
{
	return r->n_ifs;
}

size_t reflector_n_addrs(const struct reflector *r)
{
	return r->n_addrs;
}

void reflector_get_stats(const struct reflector *r, struct reflector_stats *out)
{
	*out = r->st;
}

void reflector_log_vip(const struct reflector_if *ifp, const struct reflector_addr *a, bool added)
{
	char s[INET6_ADDRSTRLEN];

	log_detail("Netlink reflector reports IP %s %s %s", inet_addr_str(&a->addr, s, sizeof(s)),
		   added ? "added to" : "removed from", ifp->name);
}

bool reflector_is_used(const struct reflector *r, const struct rif *f)
{
	return !r->cbs.is_used || r->cbs.is_used(r->cbs.arg, &f->pub);
}

static void link_cb(struct reflector *r, struct rif *f, enum reflector_link_ev ev, const char *old)
{
	if (!r->starting && r->cbs.link_cb)
		r->cbs.link_cb(r->cbs.arg, &f->pub, ev, old);
}

static void addr_cb(struct reflector *r, struct rif *f, struct raddr *e, bool added)
{
	if (!r->starting && r->cbs.addr_cb)
		r->cbs.addr_cb(r->cbs.arg, &f->pub, &e->pub, added);
}

/* Source addresses: keepalived's "Assigned"/"Deassigned" bookkeeping. */
static bool is_src_kind(const struct reflector_addr *a)
{
	return a->addr.family == AF_INET || IN6_IS_ADDR_LINKLOCAL(&a->addr.v6);
}

static void src_added(struct reflector *r, struct rif *f, const struct raddr *e)
{
	char s[INET6_ADDRSTRLEN];
	bool v4 = e->pub.addr.family == AF_INET;

	if (!is_src_kind(&e->pub) || (v4 ? f->pub.has_src4 : f->pub.has_src6))
		return;
	if (v4) {
		f->pub.src4 = e->pub.addr.v4;
		f->pub.has_src4 = true;
	} else {
		f->pub.src6 = e->pub.addr.v6;
		f->pub.has_src6 = true;
	}
	if (!r->starting && reflector_is_used(r, f))
		log_detail("Assigned address %s for interface %s",
			   inet_addr_str(&e->pub.addr, s, sizeof(s)), f->pub.name);
}

/* e is leaving f (already unlinked): pick another one of its kind, or none. */
static void src_removed(struct reflector *r, struct rif *f, const struct raddr *e)
{
	char s[INET6_ADDRSTRLEN];
	bool v4 = e->pub.addr.family == AF_INET;
	struct list *p;

	if (!is_src_kind(&e->pub))
		return;
	if (v4 ? !f->pub.has_src4 || f->pub.src4.s_addr != e->pub.addr.v4.s_addr
	       : !f->pub.has_src6 || memcmp(&f->pub.src6, &e->pub.addr.v6, sizeof(f->pub.src6)))
		return;
	list_for_each(p, &f->addrs) {
		const struct raddr *o = list_entry(p, struct raddr, node);

		if (o->pub.addr.family != e->pub.addr.family || !is_src_kind(&o->pub))
			continue;
		if (v4)
			f->pub.src4 = o->pub.addr.v4;
		else
			f->pub.src6 = o->pub.addr.v6;
		return;		/* keepalived switches silently */
	}
	if (v4)
		f->pub.has_src4 = false;
	else
		f->pub.has_src6 = false;
	if (!r->starting && reflector_is_used(r, f))
		log_detail("Deassigned address %s from interface %s",
			   inet_addr_str(&e->pub.addr, s, sizeof(s)), f->pub.name);
}

static const char empty_label[] = "";

/* IFA_LABEL, stored only when it is not the interface's name */
static void label_set(struct rif *f, struct raddr *e, const char *label)
{
	if (e->pub.label && !strcmp(e->pub.label, label ? label : ""))
		return;
	if (e->pub.label != empty_label && e->pub.label != f->pub.name)
		free((char *)e->pub.label);
	e->pub.label = !label || !*label ? empty_label
		       : !strcmp(label, f->pub.name) ? f->pub.name : xstrdup(label);
}

static void addr_free(struct rif *f, struct raddr *e)
{
	if (e->pub.label != empty_label && e->pub.label != f->pub.name)
		free((char *)e->pub.label);
	free(e);
}

static void addr_remove(struct reflector *r, struct rif *f, struct raddr *e)
{
	ht_del(&r->addrs, &e->by_key);
	list_del(&e->node);
	r->n_addrs--;
	f->pub.n_addrs--;
	src_removed(r, f, e);
	addr_cb(r, f, e, false);
	addr_free(f, e);
}

static void link_remove(struct reflector *r, struct rif *f)
{
	struct list *p, *tmp;

	list_for_each_safe(p, tmp, &f->addrs)
		addr_remove(r, f, list_entry(p, struct raddr, node));
	if (!r->starting)
		log_detail("Interface %s deleted", f->pub.name);
	/* still findable by ifindex during the callback */
	link_cb(r, f, REFLECTOR_LINK_DEL, NULL);
	ht_del(&r->ifs_by_index, &f->by_index);
	if (f->named)
		ht_del(&r->ifs_by_name, &f->by_name);
	list_del(&f->node);
	r->n_ifs--;
	free(f);
}

static void name_take(struct reflector *r, struct rif *f)
{
	struct rif *old = find_name(r, f->pub.name);

	/* A stale holder (its deletion or rename was lost or is still to come): the
	 * name now means the newest interface. */
	if (old && old != f) {
		ht_del(&r->ifs_by_name, &old->by_name);
		old->named = false;
	}
	if (old != f) {
		ht_add(&r->ifs_by_name, &f->by_name, hash_name(f->pub.name));
		f->named = true;
	}
}

/* The attributes of a link message we keep, checked. */
struct link_msg {
	const char *name;
	uint32_t mtu;
	uint8_t operstate;
	const uint8_t *hw;
	uint16_t hw_len;
	int link;
};

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct link_msg *m = data;
	uint16_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 || len < 2 || len > IFNAMSIZ)
			return MNL_CB_ERROR;
		m->name = mnl_attr_get_str(a);
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		m->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_OPERSTATE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) < 0)
			return MNL_CB_ERROR;
		m->operstate = mnl_attr_get_u8(a);
		break;
	case IFLA_ADDRESS:
		if (len > sizeof(((struct reflector_if *)0)->hwaddr))
			return MNL_CB_ERROR;
		m->hw = mnl_attr_get_payload(a);
		m->hw_len = len;
		break;
	case IFLA_LINK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		m->link = (int)mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static int handle_link(struct reflector *r, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_msg m = { 0 };
	struct rif *f;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi) ||
	    mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, &m) != MNL_CB_OK || ifi->ifi_index <= 0)
		return -EBADMSG;
	/* AF_BRIDGE (bridge port) messages describe the port, not the link */
	if (ifi->ifi_family != AF_UNSPEC)
		return 0;
	f = find_index(r, ifi->ifi_index);
	if (nlh->nlmsg_type == RTM_DELLINK) {
		if (f)
			link_remove(r, f);
		else if (m.name)
			log_detail("Unknown interface %s deleted", m.name);
		return 0;
	}
	if (!m.name)
		return -EBADMSG;

	bool is_new = !f, renamed = false, changed = false;
	char old_name[IFNAMSIZ] = "";
	bool was_up = f ? f->pub.is_up : false;

	if (is_new) {
		f = xcalloc(1, sizeof(*f));
		f->pub.ifindex = ifi->ifi_index;
		list_init(&f->addrs);
		list_add_tail(&r->ifs, &f->node);
		ht_add(&r->ifs_by_index, &f->by_index, hash_index(f->pub.ifindex));
		r->n_ifs++;
	} else if (strcmp(f->pub.name, m.name)) {
		renamed = true;
		memcpy(old_name, f->pub.name, sizeof(old_name));
		if (f->named) {
			ht_del(&r->ifs_by_name, &f->by_name);
			f->named = false;
		}
	}
	if (is_new || renamed) {
		memset(f->pub.name, 0, sizeof(f->pub.name));
		memcpy(f->pub.name, m.name, strlen(m.name));
		name_take(r, f);
	}
	f->gen = r->gen;
	if (!is_new)
		changed = f->pub.flags != ifi->ifi_flags || f->pub.mtu != m.mtu ||
			  f->pub.hwaddr_len != m.hw_len ||
			  memcmp(f->pub.hwaddr, m.hw ? m.hw : f->pub.hwaddr, m.hw_len) ||
			  f->pub.operstate != m.operstate;
	f->pub.flags = ifi->ifi_flags;
	f->pub.type = ifi->ifi_type;
	f->pub.mtu = m.mtu;
	f->pub.operstate = m.operstate;
	f->pub.link_ifindex = m.link;
	memset(f->pub.hwaddr, 0, sizeof(f->pub.hwaddr));
	if (m.hw)
		memcpy(f->pub.hwaddr, m.hw, m.hw_len);
	f->pub.hwaddr_len = (uint8_t)m.hw_len;
	f->pub.is_up = (ifi->ifi_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);

	if (r->starting) {
		f->reported_up = f->pub.is_up;
		return 0;
	}
	if (is_new) {
		f->reported_up = f->pub.is_up;
		log_detail("Interface %s added", f->pub.name);
		link_cb(r, f, REFLECTOR_LINK_NEW, NULL);
		return 0;
	}
	if (renamed) {
		log_info("Interface name has changed from %s to %s", old_name, f->pub.name);
		log_detail("Interface %s added", f->pub.name);
		link_cb(r, f, REFLECTOR_LINK_RENAME, old_name);
		if (!find_index(r, ifi->ifi_index))
			return 0;	/* a callback may not free us, but stay careful */
	}
	/* The line follows the state keepalived last reported for this interface under a used
	 * name, so a used name that comes back by rename reports its state if it differs. */
	if (reflector_is_used(r, f) && f->pub.is_up != f->reported_up) {
		log_info("Netlink reports %s %s", f->pub.name, f->pub.is_up ? "up" : "down");
		f->reported_up = f->pub.is_up;
	}
	if (f->pub.is_up != was_up)
		link_cb(r, f, f->pub.is_up ? REFLECTOR_LINK_UP : REFLECTOR_LINK_DOWN, NULL);
	else if (changed)
		link_cb(r, f, REFLECTOR_LINK_CHANGE, NULL);
	return 0;
}

struct addr_msg {
	const struct nlattr *local, *address, *label;
	uint32_t flags;
	bool has_flags;
};

static int addr_attr_cb(const struct nlattr *a, void *data)
{
	struct addr_msg *m = data;

	switch (mnl_attr_get_type(a)) {
	case IFA_LOCAL:
		m->local = a;
		break;
	case IFA_ADDRESS:
		m->address = a;
		break;
	case IFA_LABEL:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
		    mnl_attr_get_payload_len(a) > IFNAMSIZ)
			return MNL_CB_ERROR;
		m->label = a;
		break;
	case IFA_FLAGS:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		m->flags = mnl_attr_get_u32(a);
		m->has_flags = true;
		break;
	}
	return MNL_CB_OK;
}

static int handle_addr(struct reflector *r, const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_msg m = { 0 };
	const struct nlattr *aa;
	struct inet_addr a;
	size_t alen;
	struct rif *f;
	struct raddr *e;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) ||
	    mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, &m) != MNL_CB_OK)
		return -EBADMSG;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	alen = ifa->ifa_family == AF_INET ? sizeof(a.v4) : sizeof(a.v6);
	/* IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links */
	aa = m.local ? m.local : m.address;
	if (!aa || mnl_attr_get_payload_len(aa) != alen ||
	    ifa->ifa_prefixlen > (ifa->ifa_family == AF_INET ? 32 : 128))
		return -EBADMSG;
	memset(&a, 0, sizeof(a));
	a.family = ifa->ifa_family;
	memcpy(&a.v6, mnl_attr_get_payload(aa), alen);
	if (!(f = find_index(r, (int)ifa->ifa_index)))
		return 0;	/* its link is gone, or not dumped yet */
	e = find_addr(r, f->pub.ifindex, &a, ifa->ifa_prefixlen);
	if (nlh->nlmsg_type == RTM_DELADDR) {
		if (e)
			addr_remove(r, f, e);
		return 0;
	}
	bool is_new = !e;
	if (is_new) {
		e = xcalloc(1, sizeof(*e));
		e->pub.ifindex = f->pub.ifindex;
		e->pub.addr = a;
		e->pub.prefix_len = ifa->ifa_prefixlen;
		ht_add(&r->addrs, &e->by_key, hash_addr(f->pub.ifindex, &a));
		list_add_tail(&f->addrs, &e->node);
		r->n_addrs++;
		f->pub.n_addrs++;
	}
	e->by_key.gen = r->gen;
	e->pub.scope = ifa->ifa_scope;
	e->pub.flags = m.has_flags ? m.flags : ifa->ifa_flags;
	label_set(f, e, m.label ? mnl_attr_get_str(m.label) : NULL);
	if (is_new) {
		src_added(r, f, e);
		addr_cb(r, f, e, true);
	}
	return 0;
}

int reflector_handle_msg(struct reflector *r, const struct nlmsghdr *nlh)
{
	int ret = 0;

	r->st.n_msgs++;
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		ret = handle_link(r, nlh);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		ret = handle_addr(r, nlh);
		break;
	}
	if (ret < 0)
		r->st.n_bad++;
	return ret;
}

struct reflector *reflector_table_new(const struct reflector_cbs *cbs)
{
	struct reflector *r = xmap_zeroed(sizeof(*r));

	if (cbs)
		r->cbs = *cbs;
	ht_init(&r->ifs_by_index);
	ht_init(&r->ifs_by_name);
	ht_init(&r->addrs);
	list_init(&r->ifs);
	return r;
}

struct reflector *reflector_new_table(const struct reflector_cbs *cbs)
{
	return reflector_table_new(cbs);
}

void reflector_resync_begin(struct reflector *r)
{
	r->gen++;
}

void reflector_resync_end(struct reflector *r, bool links)
{
	struct list *p, *tmp, *q, *qtmp;

	list_for_each_safe(p, tmp, &r->ifs) {
		struct rif *f = list_entry(p, struct rif, node);

		if (links) {
			if (f->gen != r->gen)
				link_remove(r, f);
			continue;
		}
		list_for_each_safe(q, qtmp, &f->addrs) {
			struct raddr *e = list_entry(q, struct raddr, node);

			if (e->by_key.gen != r->gen)
				addr_remove(r, f, e);
		}
	}
}

/* The source addresses of the used interfaces, logged once after the start-up dump. */
void reflector_table_log_sources(struct reflector *r)
{
	for (struct list *p = r->ifs.next; p != &r->ifs; p = p->next) {
		struct rif *f = list_entry(p, struct rif, node);
		char a[INET6_ADDRSTRLEN];

		if (!reflector_is_used(r, f))
			continue;
		if (f->pub.has_src4)
			log_detail("Assigned address %s for interface %s",
				   inet_ntop(AF_INET, &f->pub.src4, a, sizeof(a)), f->pub.name);
		if (f->pub.has_src6)
			log_detail("Assigned address %s for interface %s",
				   inet_ntop(AF_INET6, &f->pub.src6, a, sizeof(a)), f->pub.name);
	}
}

void reflector_table_clear(struct reflector *r)
{
	struct list *p, *tmp, *q, *qtmp;

	list_for_each_safe(p, tmp, &r->ifs) {
		struct rif *f = list_entry(p, struct rif, node);

		list_for_each_safe(q, qtmp, &f->addrs)
			addr_free(f, list_entry(q, struct raddr, node));
		free(f);
	}
	list_init(&r->ifs);
	free(r->ifs_by_index.b);
	free(r->ifs_by_name.b);
	free(r->addrs.b);
}
