/* SPDX-License-Identifier: GPL-2.0-or-later */
/* keepalived/vrrp/vrrp_nft_int.h: vrrp_nft.c's state and its netlink batches (vrrp_nft_msg.c). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "vrrp_nft.h"

/*
 * nft's data types (its datatypes.h) as a set's key type says them, 6 bits each for a
 * concatenation, and its byte order in the set's user data: that is how `nft list`
 * prints the keys. The values are nft's, as keepalived 2.2.7 sends them.
 */
enum {
	TYPE_IPADDR = 7, TYPE_IP6ADDR = 8, TYPE_IFINDEX = 20, TYPE_ICMPV6_TYPE = 29,
	TYPE_IFNAME = 41, TYPE_BITS = 6,
};
enum { BYTEORDER_HOST = 1, BYTEORDER_BIG = 2 };
#define MLD2_REPORT 143
#define ROUTER_SOLICIT 133
#define NO_REG UINT32_MAX

struct nft_entry {
	struct vrrp_nft_addr a;
	unsigned refs;
};

struct nft_vmac {
	int ifindex, base_ifindex;
	sa_family_t family;
	bool other_family;
};

/* What is made in the kernel (reset when the tables go). */
struct nft_made {
	bool v4_table, v4_vips, v6_table, v6_vips, ll_index, ll_name, v4_igmp, v6_igmp;
};

struct vrrp_nft {
	char *table;
	int priority;
	bool counters;
	struct mnl_socket *nl;		/* opened on first use */
	uint32_t portid, seq;
	uint32_t set_id;		/* of the last set made (a batch's references) */
	struct nft_made made;
	struct nft_entry *ents;		/* the addresses in the sets, with their holders */
	unsigned n_ents;
	struct nft_vmac *vmacs;
	unsigned n_vmacs;
	/* the batch being built */
	struct mnl_nlmsg_batch *b;
	char *buf;
	size_t b_limit;
	unsigned n_msgs;
	bool b_failed;
};

/*
 * A batch's room: the tables, chains, sets and rules fit in the base, each address takes
 * at most ITEM bytes (its set element). libmnl lets the last message run past the limit,
 * hence a buffer of twice the limit.
 */
#define BATCH_BASE 16384
#define BATCH_ITEM 64

/*
 * vrrp_nft_msg.c: one batch at a time is built in n (vrrp_nft_batch_start() .. _send()),
 * each object put in it by the functions below; an object that does not fit fails the
 * batch as a whole. The expressions add to a rule what keepalived 2.2.7 puts in it.
 */
int vrrp_nft_open(struct vrrp_nft *n);
int vrrp_nft_answers(struct vrrp_nft *n, mnl_cb_t cb, void *arg);
void vrrp_nft_batch_start(struct vrrp_nft *n, size_t n_items);
char *vrrp_nft_batch_cur(struct vrrp_nft *n);
void vrrp_nft_batch_next(struct vrrp_nft *n);
int vrrp_nft_batch_send(struct vrrp_nft *n, const char *what);
void vrrp_nft_e_payload(struct nftnl_rule *r, uint32_t base, uint32_t dreg, uint32_t off,
		      uint32_t len);
void vrrp_nft_e_meta(struct nftnl_rule *r, uint32_t key, uint32_t dreg);
void vrrp_nft_e_cmp(struct nftnl_rule *r, uint32_t sreg, const void *data, uint32_t len);
void vrrp_nft_e_cmp_u8(struct nftnl_rule *r, uint32_t sreg, uint8_t v);
void vrrp_nft_e_bitwise(struct nftnl_rule *r, uint32_t reg, const void *mask, const void *xor,
		      uint32_t len);
void vrrp_nft_e_lookup(struct nftnl_rule *r, uint32_t sreg, uint32_t dreg, const char *set,
		     uint32_t set_id);
void vrrp_nft_e_dup(struct nftnl_rule *r, uint32_t addr_reg, uint32_t dev_reg);
void vrrp_nft_e_verdict(struct vrrp_nft *n, struct nftnl_rule *r, int verdict, const char *chain);
struct nftnl_rule *vrrp_nft_rule_new(struct vrrp_nft *n, int family, const char *chain);
void vrrp_nft_rule_put(struct vrrp_nft *n, struct nftnl_rule *r);
void vrrp_nft_put_table(struct vrrp_nft *n, int family, int type, uint16_t flags);
void vrrp_nft_put_chain(struct vrrp_nft *n, int family, const char *name, int hook);
struct nftnl_set *vrrp_nft_put_set(struct vrrp_nft *n, int family, const char *name, uint32_t type,
				 uint32_t flags, bool map);
struct nftnl_set *vrrp_nft_set_ref(struct vrrp_nft *n, const char *name);
void vrrp_nft_elem_add(struct nftnl_set *s, const void *key, uint32_t len, const void *data,
		     uint32_t dlen);
void vrrp_nft_put_elems(struct vrrp_nft *n, struct nftnl_set *s, int family, int type,
		      uint16_t flags);
