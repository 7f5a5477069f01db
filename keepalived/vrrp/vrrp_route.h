/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_route.h: routes and rules installed and watched through rtnetlink. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "nl.h"
#include "vrrp_route_conf.h"

struct sched;
struct reflector;
struct reflector_if;

/*
 * Pure message builders, as keepalived 2.2.7 sends them: every route and rule it
 * installs carries its protocol (RTPROT_KEEPALIVED, 18, unless no_track and protocol).
 * A route's interfaces are given by index: oif for dev, nh_oif[k] for nexthop k (0:
 * none). An add is NLM_F_CREATE (the kernel's prepend), with add NLM_F_EXCL, with
 * append NLM_F_APPEND. A delete matches any scope (RT_SCOPE_NOWHERE) and carries no
 * metrics, so that it finds the route the add made. Returns the length, or -ENOSPC.
 */
int vrrp_route_build(void *buf, size_t room, bool add, uint32_t seq, const struct vrrp_route *r,
		     int oif, const int *nh_oif);
int vrrp_rule_build(void *buf, size_t room, bool add, uint32_t seq, const struct vrrp_rule *r);
#define VRRP_ROUTE_MSG_MAX 1024		/* longest message either builder writes, bytes */

/*
 * The lines keepalived 2.2.7 logs for a route or a rule ("Restoring deleted static
 * route 192.168.60.0/24 via 10.1.0.2 dev eth1 proto 18"), into buf; returns buf.
 */
const char *vrrp_route_str(const struct vrrp_route *r, char *buf, size_t len);
const char *vrrp_rule_str(const struct vrrp_rule *r, char *buf, size_t len);

/*
 * Is nlh (an RTM_NEWROUTE/RTM_DELROUTE from the kernel) about r? The key keepalived
 * uses: family, table, destination and its length, metric, tos, output interface.
 */
bool vrrp_route_match(const struct vrrp_route *r, int oif, const struct nlmsghdr *nlh);
/* Is nlh (RTM_NEWRULE/RTM_DELRULE) about r: family, preference, table, selectors. */
bool vrrp_rule_match(const struct vrrp_rule *r, const struct nlmsghdr *nlh);

/*
 * The run-time side: a set of routes and rules (an instance's virtual_*, or the
 * static_* ones) added or removed as a whole, through the child's nl_tx, in
 * keepalived's order (routes then rules when adding, rules then routes when removing),
 * and watched: a set that is in place and tracked hears of each of its entries deleted
 * by someone else (deleted_cb), and the static set puts such entries back.
 * Safe in scheduler callbacks; never blocks.
 */
struct vrrp_routes;		/* one per VRRP child: the watch socket and every set */
struct vrrp_rtset;		/* opaque */

/*
 * nl (borrowed) carries the requests, in order with the VIPs'; refl (borrowed) names
 * interfaces. idle_cb(arg): no request of any set is left running.
 */
struct vrrp_routes *vrrp_routes_new(struct sched *s, struct nl_tx *nl, struct reflector *refl,
				    void (*idle_cb)(void *arg), void *arg);
void vrrp_routes_free(struct vrrp_routes *rs);	/* NULL is fine; frees the sets too */
bool vrrp_routes_busy(const struct vrrp_routes *rs);
/* Calls idle_cb (if nothing runs): for a user of rs's idle_cb with work of its own. */
void vrrp_routes_notify_idle(struct vrrp_routes *rs);
/* The link's state or name changed: static entries on it come back when it is up again. */
void vrrp_routes_link_event(struct vrrp_routes *rs, const struct reflector_if *ifp, bool up);

/*
 * A set of c's routes and rules (borrowed from the config; vrrp_rtset_reconf() swaps them).
 * name: for log lines ("(VI_1) ..."), copied (NULL: the statics). is_static: entries
 * deleted by someone else are put back ("Restoring deleted static route ..."); else
 * deleted_cb(arg) runs once per deletion of tracked entries while the set is in place.
 */
struct vrrp_rtset *vrrp_rtset_new(struct vrrp_routes *rs, const char *name,
				  const struct vc_routes *c, bool is_static,
				  void (*deleted_cb)(void *arg), void *arg);
void vrrp_rtset_free(struct vrrp_rtset *set);	/* NULL is fine; what it asked still happens */
/* Add (true) or remove every entry; the last request wins while one runs. */
void vrrp_rtset_apply(struct vrrp_rtset *set, bool add);
/*
 * A reload: c replaces the set's entries. Those gone are removed, the new ones added
 * if the set is in place (the kept ones stay).
 */
void vrrp_rtset_reconf(struct vrrp_rtset *set, const struct vc_routes *c);
bool vrrp_rtset_is_set(const struct vrrp_rtset *set);
/* Its entries were put in place by other means (the start-up, vrrp_static.c). */
void vrrp_rtset_assume_set(struct vrrp_rtset *set);
/*
 * How many of the set's tracked interfaces (route dev, rule iif/oif; not no_track) are
 * down or missing: each one is a fault of its instance, as in keepalived.
 */
unsigned vrrp_rtset_faults(const struct vrrp_rtset *set);
/* The same for the static entries of c in track group tg (name). */
unsigned vrrp_routes_group_faults(const struct vrrp_routes *rs, const struct vc_routes *c,
				  const char *tg);
