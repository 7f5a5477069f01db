// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_route.c: routes and rules installed and watched through rtnetlink. */
#include "vrrp_route.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "core/reflector.h"
#include "log.h"
#include "scheduler.h"
#include "vrrp_rt_words.h"

static size_t alen(sa_family_t f)
{
	return f == AF_INET6 ? sizeof(struct in6_addr) : sizeof(struct in_addr);
}

/* ---- building requests ---- */

static struct nlmsghdr *start(void *buf, size_t room, uint16_t type, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, room < VRRP_ROUTE_MSG_MAX ? room : VRRP_ROUTE_MSG_MAX);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	nlh->nlmsg_seq = seq;
	return nlh;
}

/*
 * The scope when none is written: global, as keepalived 2.2.7 sends it (a gateway-less
 * unicast route too, where `ip route add` would say link); but host for local and nat
 * routes, link for broadcast, multicast and anycast ones, as `ip route add` does: the
 * kernel refuses them with global (2.2.7 fails to add them: EINVAL).
 */
static uint8_t route_scope(const struct vrrp_route *r)
{
	if (r->has_scope)
		return r->scope;
	if (r->type == RTN_LOCAL || r->type == RTN_NAT)
		return RT_SCOPE_HOST;
	if (r->type == RTN_BROADCAST || r->type == RTN_MULTICAST || r->type == RTN_ANYCAST)
		return RT_SCOPE_LINK;
	return RT_SCOPE_UNIVERSE;
}

static bool put_metrics(struct nlmsghdr *nlh, size_t room, const struct vrrp_route *r)
{
	struct nlattr *nest;

	if (!r->metrics_set)
		return true;
	if (!(nest = mnl_attr_nest_start_check(nlh, room, RTA_METRICS)))
		return false;
	for (uint16_t k = 1; k < sizeof(r->metrics) / sizeof(r->metrics[0]); k++)
		if ((r->metrics_set & (1u << k)) &&
		    !mnl_attr_put_u32_check(nlh, room, k, r->metrics[k]))
			return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

static bool put_nexthops(struct nlmsghdr *nlh, size_t room, const struct vrrp_route *r,
			 const int *nh_oif)
{
	struct nlattr *nest;

	if (!r->n_nh)
		return true;
	if (!(nest = mnl_attr_nest_start_check(nlh, room, RTA_MULTIPATH)))
		return false;
	for (unsigned k = 0; k < r->n_nh; k++) {
		const struct vrrp_nexthop *nh = &r->nh[k];
		size_t at = nlh->nlmsg_len;
		struct rtnexthop *rtnh;

		if (at + MNL_ALIGN(sizeof(*rtnh)) > room)
			return false;
		rtnh = (struct rtnexthop *)((char *)nlh + at);
		nlh->nlmsg_len += MNL_ALIGN(sizeof(*rtnh));
		rtnh->rtnh_hops = nh->weight;
		rtnh->rtnh_flags = nh->onlink ? RTNH_F_ONLINK : 0;
		rtnh->rtnh_ifindex = nh_oif ? nh_oif[k] : 0;
		if (nh->via.family &&
		    !mnl_attr_put_check(nlh, room, RTA_GATEWAY, alen(nh->via.family), &nh->via.v6))
			return false;
		rtnh->rtnh_len = (unsigned short)(nlh->nlmsg_len - at);
	}
	mnl_attr_nest_end(nlh, nest);
	return true;
}

int vrrp_route_build(void *buf, size_t room, bool add, uint32_t seq, const struct vrrp_route *r,
		     int oif, const int *nh_oif)
{
	uint16_t flags = 0;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	bool ok = true;

	room &= ~(size_t)(MNL_ALIGNTO - 1);
	if (room < MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*rtm)))
		return -ENOSPC;
	if (add)
		flags = NLM_F_CREATE | (r->flags & VRRP_ROUTE_F_ADD ? NLM_F_EXCL : 0) |
			(r->flags & VRRP_ROUTE_F_APPEND ? NLM_F_APPEND : 0);
	nlh = start(buf, room, add ? RTM_NEWROUTE : RTM_DELROUTE, flags, seq);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->family;
	rtm->rtm_dst_len = r->dst.addr.family ? r->dst.len : 0;
	rtm->rtm_src_len = r->from.addr.family ? r->from.len : 0;
	rtm->rtm_tos = r->tos;
	rtm->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->protocol;
	rtm->rtm_scope = add ? route_scope(r) : RT_SCOPE_NOWHERE;
	rtm->rtm_type = r->type;
	rtm->rtm_flags = r->flags & VRRP_ROUTE_F_ONLINK ? RTNH_F_ONLINK : 0;
	if (r->dst.addr.family)
		ok = mnl_attr_put_check(nlh, room, RTA_DST, alen(r->family), &r->dst.addr.v6);
	if (r->from.addr.family)
		ok = ok && mnl_attr_put_check(nlh, room, RTA_SRC, alen(r->family), &r->from.addr.v6);
	if (r->via.family)
		ok = ok && mnl_attr_put_check(nlh, room, RTA_GATEWAY, alen(r->family), &r->via.v6);
	if (r->src.family)
		ok = ok && mnl_attr_put_check(nlh, room, RTA_PREFSRC, alen(r->family), &r->src.v6);
	if (oif > 0)
		ok = ok && mnl_attr_put_u32_check(nlh, room, RTA_OIF, (uint32_t)oif);
	if (r->metric)
		ok = ok && mnl_attr_put_u32_check(nlh, room, RTA_PRIORITY, r->metric);
	ok = ok && mnl_attr_put_u32_check(nlh, room, RTA_TABLE, r->table);
	if (add)
		ok = ok && put_metrics(nlh, room, r);
	ok = ok && put_nexthops(nlh, room, r, nh_oif);
	return ok ? (int)nlh->nlmsg_len : -ENOSPC;
}

static const uint8_t rule_actions[] = {
	[VRRP_RULE_NONE] = FR_ACT_UNSPEC, [VRRP_RULE_TABLE] = FR_ACT_TO_TBL,
	[VRRP_RULE_GOTO] = FR_ACT_GOTO, [VRRP_RULE_NOP] = FR_ACT_NOP,
	[VRRP_RULE_BLACKHOLE] = FR_ACT_BLACKHOLE, [VRRP_RULE_UNREACHABLE] = FR_ACT_UNREACHABLE,
	[VRRP_RULE_PROHIBIT] = FR_ACT_PROHIBIT,
};

int vrrp_rule_build(void *buf, size_t room, bool add, uint32_t seq, const struct vrrp_rule *r)
{
	struct nlmsghdr *nlh;
	struct fib_rule_hdr *frh;
	bool ok = true;

	room &= ~(size_t)(MNL_ALIGNTO - 1);
	if (room < MNL_ALIGN(sizeof(*nlh)) + MNL_ALIGN(sizeof(*frh)))
		return -ENOSPC;
	nlh = start(buf, room, add ? RTM_NEWRULE : RTM_DELRULE,
		    add ? NLM_F_CREATE | NLM_F_EXCL : 0, seq);
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = (uint8_t)r->family;
	frh->dst_len = r->to.addr.family ? r->to.len : 0;
	frh->src_len = r->from.addr.family ? r->from.len : 0;
	frh->tos = r->tos;
	frh->action = r->action < sizeof(rule_actions) ? rule_actions[r->action] : FR_ACT_UNSPEC;
	frh->flags = r->invert ? FIB_RULE_INVERT : 0;
	if (r->action == VRRP_RULE_TABLE && !r->l3mdev)
		frh->table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_UNSPEC;
	ok = mnl_attr_put_u32_check(nlh, room, FRA_PRIORITY, r->priority);
	if (r->from.addr.family)
		ok = ok && mnl_attr_put_check(nlh, room, FRA_SRC, alen(r->family), &r->from.addr.v6);
	if (r->to.addr.family)
		ok = ok && mnl_attr_put_check(nlh, room, FRA_DST, alen(r->family), &r->to.addr.v6);
	if (r->action == VRRP_RULE_TABLE && !r->l3mdev)
		ok = ok && mnl_attr_put_u32_check(nlh, room, FRA_TABLE, r->table);
	if (r->action == VRRP_RULE_GOTO)
		ok = ok && mnl_attr_put_u32_check(nlh, room, FRA_GOTO, r->goto_target);
	if (r->l3mdev)
		ok = ok && mnl_attr_put_u8_check(nlh, room, FRA_L3MDEV, 1);
	if (r->has_fwmark)
		ok = ok && mnl_attr_put_u32_check(nlh, room, FRA_FWMARK, r->fwmark);
	if (r->has_fwmask)
		ok = ok && mnl_attr_put_u32_check(nlh, room, FRA_FWMASK, r->fwmask);
	if (r->iif[0])
		ok = ok && mnl_attr_put_strz_check(nlh, room, FRA_IIFNAME, r->iif);
	if (r->oif[0])
		ok = ok && mnl_attr_put_strz_check(nlh, room, FRA_OIFNAME, r->oif);
	if (r->suppress_prefixlen >= 0)
		ok = ok && mnl_attr_put_u32_check(nlh, room, FRA_SUPPRESS_PREFIXLEN,
						  (uint32_t)r->suppress_prefixlen);
	if (r->suppress_ifgroup >= 0)
		ok = ok && mnl_attr_put_u32_check(nlh, room, FRA_SUPPRESS_IFGROUP,
						  (uint32_t)r->suppress_ifgroup);
	if (r->realms)
		ok = ok && mnl_attr_put_u32_check(nlh, room, FRA_FLOW, r->realms);
	if (r->has_tun_id)
		ok = ok && mnl_attr_put_u64_check(nlh, room, FRA_TUN_ID, htobe64(r->tun_id));
	if (r->has_uidrange) {
		struct fib_rule_uid_range u = { .start = r->uid_start, .end = r->uid_end };

		ok = ok && mnl_attr_put_check(nlh, room, FRA_UID_RANGE, sizeof(u), &u);
	}
	if (r->ipproto)
		ok = ok && mnl_attr_put_u8_check(nlh, room, FRA_IP_PROTO, r->ipproto);
	if (r->sport[1]) {
		struct fib_rule_port_range pr = { .start = r->sport[0], .end = r->sport[1] };

		ok = ok && mnl_attr_put_check(nlh, room, FRA_SPORT_RANGE, sizeof(pr), &pr);
	}
	if (r->dport[1]) {
		struct fib_rule_port_range pr = { .start = r->dport[0], .end = r->dport[1] };

		ok = ok && mnl_attr_put_check(nlh, room, FRA_DPORT_RANGE, sizeof(pr), &pr);
	}
	ok = ok && mnl_attr_put_u8_check(nlh, room, FRA_PROTOCOL, r->protocol);
	return ok ? (int)nlh->nlmsg_len : -ENOSPC;
}

/* ---- log lines ---- */

struct sbuf {
	char *p;
	size_t len, at;
};

static void sb_add(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->at >= b->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->at, b->len - b->at, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->at += (size_t)n;
}

static void sb_prefix(struct sbuf *b, const char *what, const struct vrrp_rt_prefix *p,
		      bool all_default)
{
	char a[INET6_ADDRSTRLEN];

	if (!p->addr.family) {
		sb_add(b, "%s%s", what, all_default ? "default" : "all");
		return;
	}
	inet_addr_str(&p->addr, a, sizeof(a));
	if (p->len == (p->addr.family == AF_INET ? 32 : 128))
		sb_add(b, "%s%s", what, a);
	else
		sb_add(b, "%s%s/%u", what, a, p->len);
}

static const char *type_name(uint8_t type)
{
	for (const struct rt_name *n = rt_type_names; n->name; n++)
		if (n->id == type)
			return n->name;
	return "unknown";
}

/* keepalived 2.2.7's format_iproute(), for the options we keep */
const char *vrrp_route_str(const struct vrrp_route *r, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };
	char a[INET6_ADDRSTRLEN];

	buf[0] = '\0';
	sb_add(&b, "%s", r->flags & VRRP_ROUTE_F_ADD ? "add " :
			 r->flags & VRRP_ROUTE_F_APPEND ? "append " : "prepend ");
	if (r->type != RTN_UNICAST)
		sb_add(&b, "%s ", type_name(r->type));
	sb_prefix(&b, "", &r->dst, true);
	if (r->from.addr.family)
		sb_prefix(&b, " from ", &r->from, true);
	if (r->tos)
		sb_add(&b, " tos %u", r->tos);
	if (r->via.family)
		sb_add(&b, " via %s %s", r->via.family == AF_INET6 ? "inet6" : "inet",
		       inet_addr_str(&r->via, a, sizeof(a)));
	if (r->oif[0])
		sb_add(&b, " dev %s", r->oif);
	if (r->table != RT_TABLE_MAIN)
		sb_add(&b, " table %u", r->table);
	sb_add(&b, " proto %u", r->protocol);
	if (r->has_scope)
		sb_add(&b, " scope %u", r->scope);
	if (r->metric)
		sb_add(&b, " metric %u", r->metric);
	if (r->src.family)
		sb_add(&b, " src %s", inet_addr_str(&r->src, a, sizeof(a)));
	if (r->track_group)
		sb_add(&b, " track_group %s", r->track_group);
	for (unsigned k = 0; k < r->n_nh; k++) {
		sb_add(&b, " nexthop");
		if (r->nh[k].via.family)
			sb_add(&b, " via %s", inet_addr_str(&r->nh[k].via, a, sizeof(a)));
		if (r->nh[k].dev[0])
			sb_add(&b, " dev %s", r->nh[k].dev);
		if (r->nh[k].weight)
			sb_add(&b, " weight %u", r->nh[k].weight + 1);
	}
	return buf;
}

/* keepalived 2.2.7's format_iprule(), for the options we keep */
const char *vrrp_rule_str(const struct vrrp_rule *r, char *buf, size_t len)
{
	struct sbuf b = { buf, len, 0 };

	buf[0] = '\0';
	if (r->invert)
		sb_add(&b, "not ");
	sb_prefix(&b, "from ", &r->from, false);
	if (r->to.addr.family)
		sb_prefix(&b, " to ", &r->to, false);
	sb_add(&b, " priority %u", r->priority);
	sb_add(&b, " tos 0x%x", r->tos);
	if (r->has_fwmark)
		sb_add(&b, r->has_fwmask ? " fwmark 0x%x/0x%x" : " fwmark 0x%x", r->fwmark, r->fwmask);
	if (r->iif[0])
		sb_add(&b, " iif %s", r->iif);
	if (r->oif[0])
		sb_add(&b, " oif %s", r->oif);
	sb_add(&b, " protocol %u", r->protocol);
	switch (r->action) {
	case VRRP_RULE_TABLE:
		if (r->l3mdev)
			sb_add(&b, " lookup l3mdev");
		else
			sb_add(&b, " lookup %u", r->table);
		break;
	case VRRP_RULE_GOTO:
		sb_add(&b, " goto %u", r->goto_target);
		break;
	case VRRP_RULE_NOP:
		sb_add(&b, " nop");
		break;
	case VRRP_RULE_BLACKHOLE:
		sb_add(&b, " blackhole");
		break;
	case VRRP_RULE_UNREACHABLE:
		sb_add(&b, " unreachable");
		break;
	case VRRP_RULE_PROHIBIT:
		sb_add(&b, " prohibit");
		break;
	default:
		break;
	}
	return buf;
}

/* ---- matching the kernel's notifications ---- */

struct attrs {
	const struct nlattr *tb[FRA_MAX > RTA_MAX ? FRA_MAX + 1 : RTA_MAX + 1];
	unsigned max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *t = data;
	unsigned type = mnl_attr_get_type(a);

	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static bool same_bytes(const struct nlattr *a, const void *want, size_t len)
{
	return a && mnl_attr_get_payload_len(a) >= len && !memcmp(mnl_attr_get_payload(a), want, len);
}

static uint32_t u32_or(const struct nlattr *a, uint32_t def)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : def;
}

bool vrrp_route_match(const struct vrrp_route *r, int oif, const struct nlmsghdr *nlh)
{
	const struct rtmsg *rtm;
	struct attrs t = { .max = RTA_MAX };

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return false;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != r->family || rtm->rtm_tos != r->tos ||
	    rtm->rtm_dst_len != (r->dst.addr.family ? r->dst.len : 0))
		return false;
	if (mnl_attr_parse(nlh, sizeof(*rtm), attr_cb, &t) < 0)
		return false;
	if (u32_or(t.tb[RTA_TABLE], rtm->rtm_table) != r->table ||
	    u32_or(t.tb[RTA_PRIORITY], 0) != r->metric)
		return false;
	/* a default route has no RTA_DST (keepalived 2.2.7 crashed on it) */
	if (r->dst.addr.family && r->dst.len &&
	    !same_bytes(t.tb[RTA_DST], &r->dst.addr.v6, alen(r->family)))
		return false;
	if (oif > 0 && u32_or(t.tb[RTA_OIF], 0) != (uint32_t)oif)
		return false;
	return true;
}

bool vrrp_rule_match(const struct vrrp_rule *r, const struct nlmsghdr *nlh)
{
	const struct fib_rule_hdr *frh;
	struct attrs t = { .max = FRA_MAX };
	uint32_t table;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*frh)))
		return false;
	frh = mnl_nlmsg_get_payload(nlh);
	if (frh->family != r->family || frh->action != rule_actions[r->action] ||
	    frh->src_len != (r->from.addr.family ? r->from.len : 0) ||
	    frh->dst_len != (r->to.addr.family ? r->to.len : 0) || frh->tos != r->tos)
		return false;
	if (mnl_attr_parse(nlh, sizeof(*frh), attr_cb, &t) < 0)
		return false;
	table = u32_or(t.tb[FRA_TABLE], frh->table);
	if (u32_or(t.tb[FRA_PRIORITY], 0) != r->priority ||
	    (r->action == VRRP_RULE_TABLE && !r->l3mdev && table != r->table))
		return false;
	if (r->from.addr.family && r->from.len &&
	    !same_bytes(t.tb[FRA_SRC], &r->from.addr.v6, alen(r->family)))
		return false;
	if (r->to.addr.family && r->to.len &&
	    !same_bytes(t.tb[FRA_DST], &r->to.addr.v6, alen(r->family)))
		return false;
	return true;
}
