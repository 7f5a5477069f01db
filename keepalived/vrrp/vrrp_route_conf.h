/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_route_conf.h: route and rule lines, read as keepalived 2.2.7 reads them. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include "parser.h"
#include "utils.h"
#include "vrrp_conf.h"
#include "vrrp_ipaddr.h"

/*
 * The lines of virtual_routes, static_routes, virtual_rules and static_rules take
 * `ip route` / `ip rule` syntax (full option names only). They are read here with the
 * rules keepalived 2.2.7 applies (vrrp_route.c installs them), so that -t reaches its
 * verdict: each problem is reported at its word, as a mistake
 * (cfg_mistake_arg(): keepalived drops or corrects the line and runs on; its -t fails).
 * An interface that does not exist is an error under -t (vrrp_conf_host.h).
 * Names of tables, protocols, scopes, realms, dsfields and groups are looked up as
 * keepalived does: a number, a built-in name, or /etc/iproute2/rt_tables,
 * rt_protos, rt_scopes, rt_realms, rt_dsfield, group.
 */

/* A prefix as a route or rule gives it: "default", "any", "all" are family 0. */
struct vrrp_rt_prefix {
	struct inet_addr addr;		/* family 0: default/any/all */
	uint8_t len;
};

enum vrrp_route_flag {
	VRRP_ROUTE_F_ONLINK	= 1 << 0,
	VRRP_ROUTE_F_NO_TRACK	= 1 << 1,	/* no_track, or keepalived cannot track it */
	VRRP_ROUTE_F_ADD	= 1 << 2,	/* add: fail if it exists (default: prepend) */
	VRRP_ROUTE_F_APPEND	= 1 << 3,
	VRRP_ROUTE_F_NEXTHOPS	= 1 << 4,	/* nexthop (or the deprecated "or"): multipath */
};

#define VRRP_ROUTE_MAX_NH 8		/* nexthops kept per route (more: reported, left out) */

struct vrrp_nexthop {
	struct inet_addr via;		/* family 0: none */
	char dev[IFNAMSIZ];		/* "" for none */
	uint8_t weight;			/* weight - 1, as the kernel takes it (rtnh_hops) */
	bool onlink;
};

/* One route line, parsed (encapsulations, pref, expires, features are checked, not kept). */
struct vrrp_route {
	sa_family_t family;		/* AF_INET unless an address or inet6 says otherwise */
	struct vrrp_rt_prefix dst;
	struct vrrp_rt_prefix from;	/* family 0: none (IPv6 only) */
	struct inet_addr via;		/* family 0: none */
	struct inet_addr src;		/* preferred source; family 0: none */
	char oif[IFNAMSIZ];		/* dev/oif; "" for none */
	uint32_t table;			/* RT_TABLE_MAIN by default */
	uint32_t metric;
	uint8_t type;			/* RTN_UNICAST by default */
	uint8_t scope;			/* RT_SCOPE_UNIVERSE by default */
	uint8_t protocol;		/* RTPROT_KEEPALIVED (18) unless no_track and protocol */
	uint8_t flags;			/* enum vrrp_route_flag */
	uint8_t tos;
	bool has_scope;			/* scope given (else the kernel's rule: see vrrp_route.c) */
	uint8_t n_nh;			/* nexthops */
	uint32_t metrics_set;		/* bit RTAX_*: metrics[RTAX_*] is given */
	uint32_t metrics[17];		/* RTAX_MTU ... (RTAX_LOCK: the locked ones, bit RTAX_*) */
	const char *track_group;	/* static: track_group NAME (the config's copy), or NULL */
	struct vrrp_nexthop nh[VRRP_ROUTE_MAX_NH];
};

/* What a rule does with a packet it matches. */
enum vrrp_rule_action {
	VRRP_RULE_NONE,			/* not given: keepalived drops the rule */
	VRRP_RULE_TABLE,		/* table/lookup N, or l3mdev */
	VRRP_RULE_GOTO,
	VRRP_RULE_NOP,
	VRRP_RULE_BLACKHOLE,
	VRRP_RULE_UNREACHABLE,
	VRRP_RULE_PROHIBIT,
};

/* One rule line, parsed. */
struct vrrp_rule {
	sa_family_t family;
	struct vrrp_rt_prefix from, to;	/* family 0 and len 0: all */
	bool invert;			/* not */
	bool no_track;
	bool l3mdev;
	bool has_fwmark, has_fwmask, has_uidrange, has_tun_id;
	bool has_priority;		/* else keepalived picks one (and says so) */
	bool auto_priority;		/* priority is the one keepalived picked */
	uint8_t tos;
	uint8_t ipproto;		/* 0: none */
	uint8_t protocol;		/* RTPROT_KEEPALIVED unless no_track and protocol */
	uint32_t fwmark, fwmask;
	int32_t suppress_prefixlen;	/* -1: none */
	int32_t suppress_ifgroup;	/* -1: none */
	uint32_t realms;		/* FROM << 16 | TO; 0: none */
	uint32_t uid_start, uid_end;
	uint64_t tun_id;
	uint16_t sport[2], dport[2];	/* ranges; [1] 0: none */
	const char *track_group;	/* static: track_group NAME (the config's copy), or NULL */
	uint32_t priority;		/* preference */
	uint32_t table;
	uint32_t goto_target;
	uint8_t action;			/* enum vrrp_rule_action */
	char iif[IFNAMSIZ], oif[IFNAMSIZ];
};

/*
 * Parse a->argv[0..argc) (the whole line) into *out for the block kw ("virtual_routes",
 * "static_routes", ...; static ones also take track_group NAME). Returns 0 when the
 * line is kept (possibly after mistakes were reported), -EINVAL when keepalived would
 * drop it.
 */
int vrrp_route_parse_cfg(struct cfg *c, const struct cfg_args *a, const char *kw,
			 struct vrrp_route *out);
int vrrp_rule_parse_cfg(struct cfg *c, const struct cfg_args *a, const char *kw,
			struct vrrp_rule *out);

/*
 * What an instance (virtual_*) or the top level (static_*) keeps of these lines.
 * Owned by the config tree (vc_more.routes, vrrp_conf.statics).
 */
struct vc_track_group {
	char *name;
	char **insts;			/* instance names */
	unsigned n_insts;
};

struct vc_routes {
	struct vrrp_route *routes;
	unsigned n_routes;
	struct vrrp_rule *rules;
	unsigned n_rules;
	/* top level only */
	struct vrrp_ipaddr *addrs;	/* static_ipaddress */
	const char **addr_tg;		/* each address's track_group (config's copy) or NULL */
	unsigned n_addrs;
	struct vc_track_group *tgs;
	unsigned n_tgs;
	uint32_t next_pref[2];		/* the preference the next rule without one gets (v4, v6) */
	struct vc_lines route_lines, rule_lines;	/* as written, for the dump */
};
/* The lines of a vc_routes (NULL: none) as blocks kw_routes { } and kw_rules { }. */
/* KW { one line each } at indent ind; nothing when there are none */
void vc_lines_dump(FILE *f, const char *ind, const char *kw, const struct vc_lines *l);
void vc_routes_dump(FILE *f, const char *ind, const struct vc_routes *r, const char *kw_routes,
		    const char *kw_rules);
/* The track_group blocks of the top level. */
void vc_track_groups_dump(FILE *f, const struct vc_routes *r);
#define VRRP_RULE_AUTO_PREF 16384	/* the first preference keepalived picks */
void vc_routes_free(struct vc_routes *r);	/* NULL is fine */
/* A line of virtual_routes/virtual_rules/static_* kept in *rp (allocated on first use). */
void vc_routes_add_route(struct vc_routes **rp, const struct cfg_args *a,
			 const struct vrrp_route *r);
void vc_routes_add_rule(struct cfg *c, struct vc_routes **rp, struct vc_routes *counter,
			const struct cfg_args *a, struct vrrp_rule *r);
