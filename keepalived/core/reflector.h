/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/core/reflector.h: the netlink reflector: the kernel's interfaces and addresses. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <linux/netlink.h>
#include "utils.h"

/*
 * One NETLINK_ROUTE socket joined to RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and
 * RTNLGRP_IPV6_IFADDR, watched on the loop. reflector_new() subscribes first, then
 * dumps links and then addresses on that same socket and reads the answers
 * synchronously (poll, up to 5 s: start-up only, before the loop runs), applying
 * notifications that arrive meanwhile in order; so the table is complete when it
 * returns, and no callback runs for what the start-up dump finds. Notifications
 * then keep it current: renames, deletions, re-creation under the same name with a
 * new ifindex. When the
 * socket overruns (ENOBUFS) or a dump is interrupted, the reflector re-dumps
 * (asynchronously, on the loop) and reconciles: what is new is reported added, what
 * disappeared is reported removed.
 *
 * Lookups by ifindex, by name, and of (ifindex, address) are hash lookups: O(1).
 * The pointers returned stay valid until the next return to the loop (a
 * notification may delete the entry): keep the ifindex or the name, not the pointer.
 *
 * Logging: the lines keepalived 2.2.7 writes, for the interfaces the is_used hook
 * accepts (see reflector_table.c for each line and when it appears).
 *
 * Entries are allocated when an interface or address appears (not per message).
 */
struct reflector;	/* opaque */
struct sched;

struct reflector_if {
	int ifindex;
	char name[IFNAMSIZ];
	unsigned flags;		/* IFF_* (ifi_flags) */
	uint8_t operstate;	/* IF_OPER_* (IFLA_OPERSTATE) */
	uint16_t type;		/* ARPHRD_* */
	unsigned mtu;
	uint8_t hwaddr[32];	/* IFLA_ADDRESS */
	uint8_t hwaddr_len;
	int link_ifindex;	/* IFLA_LINK (the lower device of a VLAN/macvlan), or 0 */
	bool is_up;		/* IFF_UP and IFF_RUNNING, as keepalived judges an interface up */
	unsigned n_addrs;	/* addresses of either family on it */
	/*
	 * The interface's own addresses for adverts, as keepalived picks them: the first
	 * IPv4 address seen, and the first IPv6 link-local one; when it goes, another of
	 * the same kind if there is one.
	 */
	bool has_src4, has_src6;
	struct in_addr src4;
	struct in6_addr src6;
};

struct reflector_addr {
	struct inet_addr addr;	/* IFA_LOCAL (IFA_ADDRESS when there is no local, as for IPv6) */
	int ifindex;
	uint8_t prefix_len;
	uint8_t scope;		/* RT_SCOPE_* */
	uint32_t flags;		/* IFA_F_* (IFA_FLAGS when present, else ifa_flags) */
	/*
	 * IFA_LABEL, or "". One that is the interface's name (the kernel's default, and
	 * what it relabels to on a rename) is that name: the entry stores no copy.
	 */
	const char *label;
};

enum reflector_link_ev {
	REFLECTOR_LINK_NEW,	/* appeared (not reported for the start-up dump) */
	REFLECTOR_LINK_UP,	/* is_up became true */
	REFLECTOR_LINK_DOWN,	/* is_up became false */
	REFLECTOR_LINK_RENAME,	/* same ifindex, new name (old_name has the previous one) */
	REFLECTOR_LINK_CHANGE,	/* mtu, hardware address or flags changed, is_up did not */
	REFLECTOR_LINK_DEL,	/* gone; its addresses were reported removed first */
	REFLECTOR_LINK_EV__COUNT
};
const char *reflector_link_ev_str(enum reflector_link_ev ev);

/*
 * Callbacks (each may be NULL), called from the loop after the table is updated.
 * They may look things up but must not free the reflector. For a link going away,
 * ifp is the entry as it was, still findable by ifindex during the call.
 */
struct reflector_cbs {
	void (*link_cb)(void *arg, const struct reflector_if *ifp, enum reflector_link_ev ev,
			const char *old_name);
	void (*addr_cb)(void *arg, const struct reflector_if *ifp, const struct reflector_addr *a,
			bool added);
	/* Log keepalived's lines for this interface? NULL: log for all. */
	bool (*is_used)(void *arg, const struct reflector_if *ifp);
	void *arg;
};

/* Opens and subscribes the socket, dumps (blocking, start-up only), watches it on s. 0 or -errno. */
int reflector_new(struct reflector **ret, struct sched *s, const struct reflector_cbs *cbs);
void reflector_free(struct reflector *r);	/* NULL is fine */
/*
 * The socket's receive buffer (default NL_RCVBUF_DEFAULT, 8 MiB): global_defs
 * vrrp_netlink_monitor_rcv_bufs [_force]. 0 or -errno.
 */
int reflector_set_rcvbuf(struct reflector *r, unsigned bytes, bool force);

const struct reflector_if *reflector_if_by_index(const struct reflector *r, int ifindex);
const struct reflector_if *reflector_if_by_name(const struct reflector *r, const char *name);
/* The address a (family and bytes; prefix ignored) on interface ifindex, or NULL. */
const struct reflector_addr *reflector_addr_find(const struct reflector *r, int ifindex,
						 const struct inet_addr *a);
/* Iteration: NULL starts; order unspecified; no table change between calls. */
const struct reflector_if *reflector_if_next(const struct reflector *r,
					     const struct reflector_if *prev);
const struct reflector_addr *reflector_addr_next(const struct reflector *r, int ifindex,
						 const struct reflector_addr *prev);
size_t reflector_n_ifs(const struct reflector *r);
size_t reflector_n_addrs(const struct reflector *r);

/*
 * keepalived's line when a VIP it holds (master, not no_track) is removed by someone
 * else: "Netlink reflector reports IP 192.0.2.100 removed from eth0" (-D detail).
 * The reflector does not know which addresses are VIPs: the VRRP code calls this
 * from addr_cb. added writes "... added to eth0", a wording never seen from
 * keepalived 2.2.7 (it logged nothing for VIPs added by hand, in any state).
 */
void reflector_log_vip(const struct reflector_if *ifp, const struct reflector_addr *a, bool added);

struct reflector_stats {
	uint64_t n_msgs;	/* netlink messages handled */
	uint64_t n_dumps;	/* full dumps (start-up included) */
	uint64_t n_overruns;	/* ENOBUFS seen */
	uint64_t n_bad;		/* malformed messages ignored */
};
void reflector_get_stats(const struct reflector *r, struct reflector_stats *out);

/*
 * For unit tests: a table with no socket, fed by hand. reflector_handle_msg() takes
 * one RTM_NEWLINK/DELLINK/NEWADDR/DELADDR message (others are ignored), updates the
 * table, calls the callbacks and logs as notifications do. Returns 0, or -EBADMSG
 * for a malformed message (counted in n_bad, table unchanged).
 */
struct reflector *reflector_new_table(const struct reflector_cbs *cbs);
int reflector_handle_msg(struct reflector *r, const struct nlmsghdr *nlh);
/*
 * Reconciliation as after a re-dump: reflector_resync_begin() marks every entry
 * unseen; messages handled afterwards mark what they name; reflector_resync_end(r,
 * links) removes the unseen links (links true) or the unseen addresses (false).
 */
void reflector_resync_begin(struct reflector *r);
void reflector_resync_end(struct reflector *r, bool links);
