/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_nft.h: the VRRP child's nftables firewall (no_accept drops, VMAC IGMP/MLD). */
#pragma once
#include <stdbool.h>
#include <net/if.h>
#include <sys/socket.h>

#include "utils.h"

/*
 * keepalived 2.2.7's nftables ruleset, built through libnftnl: a table "ip NAME" and
 * "ip6 NAME" (global_defs' nftables, default keepalived) with the chains, sets and rules
 * it uses, so that `nft list ruleset` reads the same. Objects are made when first needed
 * (a master that does not accept, a VMAC) in one netlink batch per change; the first
 * table made replaces a table of the same name left in either family ("Deleting old
 * ip[6] NAME table"). vrrp_nft_free() deletes both tables.
 *
 * Every call sends its batch and reads the kernel's answers at once: nf_tables handles
 * a batch inside the send, so the answers are there and nothing blocks (safe in a
 * callback). A batch the kernel refuses changes nothing (a transaction) and is logged.
 */
struct vrrp_nft;

struct vrrp_nft_conf {
	const char *table;		/* copied */
	int priority;			/* of the base chains (nftables_priority; -1) */
	bool counters;			/* nftables_counters: a counter in every rule */
};

/* An address dropped while its instance is master without accept mode. */
struct vrrp_nft_addr {
	struct inet_addr addr;
	/* IPv6 link-local only: its interface, by index, or by name (by_name) */
	int ifindex;
	bool by_name;
	char ifname[IFNAMSIZ];
};

/* What one instance holds in the sets (owned by it; zeroed: nothing). */
struct vrrp_nft_hold {
	struct vrrp_nft_addr *addrs;
	unsigned n;
};

struct vrrp_nft *vrrp_nft_new(const struct vrrp_nft_conf *conf);	/* no kernel object yet */
/* Deletes the tables it made (the caller has released its holds or not). NULL is fine. */
void vrrp_nft_free(struct vrrp_nft *n);
/* Same table name, priority and counters? */
bool vrrp_nft_conf_same(const struct vrrp_nft *n, const struct vrrp_nft_conf *conf);
/*
 * Another configuration (a reload): the tables are deleted and made again under it,
 * with every address and VMAC held so far.
 */
void vrrp_nft_reconf(struct vrrp_nft *n, const struct vrrp_nft_conf *conf);

/*
 * h holds exactly addrs[0..n) afterwards: what is new is added to the drop sets, what
 * h held and no longer does is removed (an address two holds share stays until both
 * let go). n 0: release everything. Returns 0 or -errno (h unchanged then).
 */
int vrrp_nft_hold(struct vrrp_nft *n, struct vrrp_nft_hold *h, const struct vrrp_nft_addr *addrs,
		  unsigned cnt);
static inline void vrrp_nft_release(struct vrrp_nft *n, struct vrrp_nft_hold *h)
{
	if (n && h->n)
		vrrp_nft_hold(n, h, NULL, 0);
}

/*
 * A VMAC (macvlan vmac_ifindex on base_ifindex) of an instance of family: its IGMP (IPv4)
 * or MLDv2 reports (IPv6) leave by the base interface instead, and (IPv6) its router
 * solicitations are dropped; other_family: the other family's rules too (an instance
 * with addresses of both). add false: removed again.
 */
int vrrp_nft_vmac(struct vrrp_nft *n, int vmac_ifindex, int base_ifindex, sa_family_t family,
		  bool other_family, bool add);
