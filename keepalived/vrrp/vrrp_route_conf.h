/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_route_conf.h: route and rule lines, read as keepalived 2.2.7 reads them. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include "parser.h"
#include "utils.h"

/*
 * The lines of virtual_routes, static_routes, virtual_rules and static_rules take
 * `ip route` / `ip rule` syntax (full option names only). The VRRP engine does not act
 * on them yet; they are read here with the rules keepalived 2.2.7 applies, so that -t
 * reaches its verdict: each problem is reported at its word, as a mistake
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

/* One route line, parsed (the metrics and encapsulations are checked, not kept). */
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

/* One rule line, parsed (selectors beyond these are checked, not kept). */
struct vrrp_rule {
	sa_family_t family;
	struct vrrp_rt_prefix from, to;	/* family 0 and len 0: all */
	bool invert;			/* not */
	bool no_track;
	bool has_priority;		/* else keepalived picks one (and says so) */
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
