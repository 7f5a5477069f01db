// SPDX-License-Identifier: GPL-2.0-or-later
/* keepalived/vrrp/vrrp_nft.c: keepalived 2.2.7's nftables tables, sets and rules, through libnftnl. */
#include "vrrp_nft.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "log.h"

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

struct entry {
	struct vrrp_nft_addr a;
	unsigned refs;
};

struct vmac {
	int ifindex, base_ifindex;
	sa_family_t family;
	bool other_family;
};

/* What is made in the kernel (reset when the tables go). */
struct made {
	bool v4_table, v4_vips, v6_table, v6_vips, ll_index, ll_name, v4_igmp, v6_igmp;
};

struct vrrp_nft {
	char *table;
	int priority;
	bool counters;
	struct mnl_socket *nl;		/* opened on first use */
	uint32_t portid, seq;
	uint32_t set_id;		/* of the last set made (a batch's references) */
	struct made made;
	struct entry *ents;		/* the addresses in the sets, with their holders */
	unsigned n_ents;
	struct vmac *vmacs;
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

/* ---- the socket and the batch ---- */

static int open_socket(struct vrrp_nft *n)
{
	int one = 1;

	if (n->nl)
		return 0;
	n->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!n->nl)
		return -errno;
	/* errors carry the header of what failed, not all of it */
	mnl_socket_setsockopt(n->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(n->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int r = -errno;

		mnl_socket_close(n->nl);
		n->nl = NULL;
		return r;
	}
	n->portid = mnl_socket_get_portid(n->nl);
	if (!n->seq)
		n->seq = (uint32_t)time(NULL);
	return 0;
}

/* The answers to what was just sent: they are queued already (see vrrp_nft.h). */
static int read_answers(struct vrrp_nft *n, mnl_cb_t cb, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r = 0;

	for (;;) {
		ssize_t len = recv(mnl_socket_get_fd(n->nl), buf, sizeof(buf), MSG_DONTWAIT);

		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && !r)
				r = -errno;
			return r;
		}
		if (mnl_cb_run(buf, len, 0, n->portid, cb, arg) < 0 && !r)
			r = -errno;
	}
}

/* n_items: the addresses (set elements) the batch may carry */
static void batch_start(struct vrrp_nft *n, size_t n_items)
{
	n->b_limit = BATCH_BASE + n_items * BATCH_ITEM;
	n->buf = xcalloc(2, n->b_limit);
	n->b = mnl_nlmsg_batch_start(n->buf, n->b_limit);
	n->n_msgs = 0;
	n->b_failed = false;
	nftnl_batch_begin(mnl_nlmsg_batch_current(n->b), n->seq++);
	mnl_nlmsg_batch_next(n->b);
}

/* Where the next message goes; a batch too big for the buffer fails as a whole. */
static char *batch_cur(struct vrrp_nft *n)
{
	return mnl_nlmsg_batch_current(n->b);
}

static void batch_next(struct vrrp_nft *n)
{
	n->n_msgs++;
	if (!mnl_nlmsg_batch_next(n->b))
		n->b_failed = true;
}

/* Sends the batch (if it has anything) and frees it: 0 or -errno. */
static int batch_send(struct vrrp_nft *n, const char *what)
{
	int r = 0;

	if (n->n_msgs && !n->b_failed) {
		nftnl_batch_end(batch_cur(n), n->seq++);
		mnl_nlmsg_batch_next(n->b);
		if ((r = open_socket(n)) == 0) {
			int sz = (int)mnl_nlmsg_batch_size(n->b);

			/* one send: a big batch needs the room (as nft does) */
			if (sz > 65536)
				setsockopt(mnl_socket_get_fd(n->nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz,
					   sizeof(sz));
			if (mnl_socket_sendto(n->nl, mnl_nlmsg_batch_head(n->b),
					      mnl_nlmsg_batch_size(n->b)) < 0)
				r = -errno;
			else
				r = read_answers(n, NULL, NULL);
		}
	} else if (n->b_failed) {
		r = -EMSGSIZE;
	}
	if (r < 0)
		log_err("nftables: cannot %s in table %s: %s", what, n->table, strerror(-r));
	mnl_nlmsg_batch_stop(n->b);
	free(n->buf);
	n->b = NULL;
	n->buf = NULL;
	return r;
}

/* ---- expressions ---- */

static void add_expr(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (!e)
		fatal("nftables: out of memory");
	nftnl_rule_add_expr(r, e);
}

static void e_payload(struct nftnl_rule *r, uint32_t base, uint32_t dreg, uint32_t off,
		      uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	}
	add_expr(r, e);
}

static void e_meta(struct nftnl_rule *r, uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, dreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	}
	add_expr(r, e);
}

static void e_cmp(struct nftnl_rule *r, uint32_t sreg, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, sreg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, NFT_CMP_EQ);
		nftnl_expr_set_data(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	add_expr(r, e);
}

static void e_cmp_u8(struct nftnl_rule *r, uint32_t sreg, uint8_t v)
{
	e_cmp(r, sreg, &v, 1);
}

static void e_bitwise(struct nftnl_rule *r, uint32_t reg, const void *mask, const void *xor,
		      uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set_data(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
		nftnl_expr_set_data(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
	}
	add_expr(r, e);
}

static void e_lookup(struct nftnl_rule *r, uint32_t sreg, uint32_t dreg, const char *set,
		     uint32_t set_id)
{
	struct nftnl_expr *e = nftnl_expr_alloc("lookup");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, sreg);
		if (dreg != NO_REG)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, dreg);
		nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
		if (set_id)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
	}
	add_expr(r, e);
}

static void e_dup(struct nftnl_rule *r, uint32_t addr_reg, uint32_t dev_reg)
{
	struct nftnl_expr *e = nftnl_expr_alloc("dup");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_ADDR, addr_reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_DEV, dev_reg);
	}
	add_expr(r, e);
}

/* nftables_counters: every rule counts what it matches, before its verdict */
static void e_verdict(struct vrrp_nft *n, struct nftnl_rule *r, int verdict, const char *chain)
{
	struct nftnl_expr *e;

	if (n->counters)
		add_expr(r, nftnl_expr_alloc("counter"));
	e = nftnl_expr_alloc("immediate");
	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		if (chain)
			nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	}
	add_expr(r, e);
}

/* ---- objects ---- */

static struct nftnl_rule *rule_new(struct vrrp_nft *n, int family, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	if (!r)
		fatal("nftables: out of memory");
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, n->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, (uint32_t)family);
	return r;
}

static void rule_put(struct vrrp_nft *n, struct nftnl_rule *r)
{
	struct nlmsghdr *nlh = nftnl_rule_nlmsg_build_hdr(batch_cur(n), NFT_MSG_NEWRULE,
			nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY),
			NLM_F_APPEND | NLM_F_CREATE | NLM_F_ACK, n->seq++);

	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	batch_next(n);
}

static void put_table(struct vrrp_nft *n, int family, int type, uint16_t flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		fatal("nftables: out of memory");
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, (uint32_t)family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, n->table);
	nlh = nftnl_table_nlmsg_build_hdr(batch_cur(n), type, family, flags, n->seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	batch_next(n);
}

/* hook: NF_INET_LOCAL_IN/OUT for a base chain, -1 for a regular one */
static void put_chain(struct vrrp_nft *n, int family, const char *name, int hook)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		fatal("nftables: out of memory");
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, n->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	if (hook >= 0) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, n->priority);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	nlh = nftnl_chain_nlmsg_build_hdr(batch_cur(n), NFT_MSG_NEWCHAIN, family,
					  NLM_F_CREATE | NLM_F_ACK, n->seq++);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	batch_next(n);
}

/* Key length of a (concatenated) nft type. */
static uint32_t type_len(uint32_t type)
{
	uint32_t len = 0;

	for (; type; type >>= TYPE_BITS)
		switch (type & ((1u << TYPE_BITS) - 1)) {
		case TYPE_IPADDR: len += 4; break;
		case TYPE_IP6ADDR: len += 16; break;
		case TYPE_IFINDEX: len += 4; break;
		case TYPE_ICMPV6_TYPE: len += 1; break;
		case TYPE_IFNAME: len += IFNAMSIZ; break;
		}
	return len;
}

/*
 * A named set (map: of iface_index to iface_index). Its id is n->set_id, which a rule
 * of the same batch can name; returned for elements added in that batch (caller frees).
 */
static struct nftnl_set *put_set(struct vrrp_nft *n, int family, const char *name, uint32_t type,
				 uint32_t flags, bool map)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	struct nlmsghdr *nlh;

	if (!s || !ud)
		fatal("nftables: out of memory");
	nftnl_set_set_str(s, NFTNL_SET_TABLE, n->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, (uint32_t)family);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, type_len(type));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, type);
	if (map)
		flags |= NFT_SET_MAP;
	if (flags)
		nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	if (map) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, TYPE_IFINDEX);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, 4);
	}
	nftnl_set_set_u32(s, NFTNL_SET_ID, ++n->set_id);
	/* addresses are in network order, the rest as the host has them (as 2.2.7 says) */
	nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_KEYBYTEORDER,
			    type == TYPE_IPADDR || type == TYPE_IP6ADDR ? BYTEORDER_BIG :
			    BYTEORDER_HOST);
	if (map)
		nftnl_udata_put_u32(ud, NFTNL_UDATA_SET_DATABYTEORDER, BYTEORDER_HOST);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
			   nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
	nlh = nftnl_set_nlmsg_build_hdr(batch_cur(n), NFT_MSG_NEWSET, family,
					NLM_F_CREATE | NLM_F_ACK, n->seq++);
	nftnl_set_nlmsg_build_payload(nlh, s);
	batch_next(n);
	return s;
}

/* A set by name, to carry elements. */
static struct nftnl_set *set_ref(struct vrrp_nft *n, const char *name)
{
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		fatal("nftables: out of memory");
	nftnl_set_set_str(s, NFTNL_SET_TABLE, n->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	return s;
}

static void elem_add(struct nftnl_set *s, const void *key, uint32_t len, const void *data,
		     uint32_t dlen)
{
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();

	if (!e)
		fatal("nftables: out of memory");
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, len);
	if (data)
		nftnl_set_elem_set(e, NFTNL_SET_ELEM_DATA, data, dlen);
	nftnl_set_elem_add(s, e);
}

/* Sends s's elements (if any) with type NEW/DELSETELEM, and frees s. */
static void put_elems(struct vrrp_nft *n, struct nftnl_set *s, int family, int type,
		      uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct nftnl_set_elems_iter *it;

	if (!s)
		return;
	it = nftnl_set_elems_iter_create(s);
	if (it && nftnl_set_elems_iter_cur(it)) {
		nlh = nftnl_nlmsg_build_hdr(batch_cur(n), type, family, flags, n->seq++);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		batch_next(n);
	}
	if (it)
		nftnl_set_elems_iter_destroy(it);
	nftnl_set_free(s);
}

/* ---- keepalived's tables ---- */

static int have_table_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	*(bool *)arg = true;
	return MNL_CB_OK;
}

static bool have_table(struct vrrp_nft *n, int family)
{
	char buf[256];
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	bool have = false;

	if (!t || open_socket(n) < 0) {
		nftnl_table_free(t);
		return false;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, (uint32_t)family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, n->table);
	nlh = nftnl_table_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, family, NLM_F_ACK, n->seq++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (mnl_socket_sendto(n->nl, nlh, nlh->nlmsg_len) >= 0)
		read_answers(n, have_table_cb, &have);	/* ENOENT: there is none */
	return have;
}

/* The first table made replaces what a previous run (or anyone) left under our name. */
static void replace_old_tables(struct vrrp_nft *n)
{
	static const int fams[] = { NFPROTO_IPV4, NFPROTO_IPV6 };

	if (n->made.v4_table || n->made.v6_table)
		return;
	for (unsigned i = 0; i < 2; i++)
		if (have_table(n, fams[i])) {
			log_info("Deleting old ip%s %s table", fams[i] == NFPROTO_IPV4 ? "" : "6",
				 n->table);
			put_table(n, fams[i], NFT_MSG_DELTABLE, NLM_F_ACK);
		}
}

static void setup_table(struct vrrp_nft *n, int family)
{
	bool *made = family == NFPROTO_IPV4 ? &n->made.v4_table : &n->made.v6_table;

	if (*made)
		return;
	replace_old_tables(n);
	put_table(n, family, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_ACK);
	put_chain(n, family, "out", NF_INET_LOCAL_OUT);
	*made = true;
}

/* "ip[6] {s,d}addr @set" then the verdict */
static void rule_addr_set(struct vrrp_nft *n, int family, const char *chain, const char *set,
			  bool saddr)
{
	struct nftnl_rule *r = rule_new(n, family, chain);

	if (family == NFPROTO_IPV4)
		e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
			  saddr ? offsetof(struct iphdr, saddr) : offsetof(struct iphdr, daddr), 4);
	else
		e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
			  saddr ? offsetof(struct ip6_hdr, ip6_src) :
			  offsetof(struct ip6_hdr, ip6_dst), 16);
	e_lookup(r, NFT_REG_1, NO_REG, set, 0);
	e_verdict(n, r, NF_DROP, NULL);
	rule_put(n, r);
}

static void setup_v4_vips(struct vrrp_nft *n)
{
	struct nftnl_set *s;

	if (n->made.v4_vips)
		return;
	setup_table(n, NFPROTO_IPV4);
	put_chain(n, NFPROTO_IPV4, "in", NF_INET_LOCAL_IN);
	s = put_set(n, NFPROTO_IPV4, "vips", TYPE_IPADDR, 0, false);
	nftnl_set_free(s);
	rule_addr_set(n, NFPROTO_IPV4, "in", "vips", false);
	rule_addr_set(n, NFPROTO_IPV4, "out", "vips", true);
	n->made.v4_vips = true;
}

/* "icmpv6 type @neighbor-discovery accept" */
static void rule_nd_accept(struct vrrp_nft *n, const char *chain)
{
	struct nftnl_rule *r = rule_new(n, NFPROTO_IPV6, chain);

	e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1, offsetof(struct ip6_hdr, ip6_nxt), 1);
	e_cmp_u8(r, NFT_REG_1, IPPROTO_ICMPV6);
	e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, NFT_REG_1, offsetof(struct icmp6_hdr, icmp6_type),
		  1);
	e_lookup(r, NFT_REG_1, NO_REG, "neighbor-discovery", 0);
	e_verdict(n, r, NF_ACCEPT, NULL);
	rule_put(n, r);
}

/* "ip6 {s,d}addr fe80::/10 goto CHAIN" */
static void rule_ll_goto(struct vrrp_nft *n, const char *chain, const char *to, bool saddr)
{
	struct nftnl_rule *r = rule_new(n, NFPROTO_IPV6, chain);
	struct in6_addr mask = { .s6_addr = { 0xff, 0xc0 } }, xor = { 0 },
			fe80 = { .s6_addr = { 0xfe, 0x80 } };

	e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
		  saddr ? offsetof(struct ip6_hdr, ip6_src) : offsetof(struct ip6_hdr, ip6_dst), 16);
	e_bitwise(r, NFT_REG_1, &mask, &xor, sizeof(mask));
	e_cmp(r, NFT_REG_1, &fe80, sizeof(fe80));
	e_verdict(n, r, NFT_GOTO, to);
	rule_put(n, r);
}

static void setup_v6_vips(struct vrrp_nft *n)
{
	static const uint8_t nd[] = { ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT };
	struct nftnl_set *s;

	if (n->made.v6_vips)
		return;
	setup_table(n, NFPROTO_IPV6);
	put_chain(n, NFPROTO_IPV6, "in", NF_INET_LOCAL_IN);
	put_chain(n, NFPROTO_IPV6, "in_link_local", -1);
	put_chain(n, NFPROTO_IPV6, "out_link_local", -1);
	nftnl_set_free(put_set(n, NFPROTO_IPV6, "vips", TYPE_IP6ADDR, 0, false));
	s = put_set(n, NFPROTO_IPV6, "neighbor-discovery", TYPE_ICMPV6_TYPE, NFT_SET_CONSTANT, false);
	for (unsigned i = 0; i < sizeof(nd); i++)
		elem_add(s, &nd[i], 1, NULL, 0);
	put_elems(n, s, NFPROTO_IPV6, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_ACK);
	rule_nd_accept(n, "in");
	rule_ll_goto(n, "in", "in_link_local", false);
	rule_nd_accept(n, "out");
	rule_ll_goto(n, "out", "out_link_local", true);
	rule_addr_set(n, NFPROTO_IPV6, "in", "vips", false);
	rule_addr_set(n, NFPROTO_IPV6, "out", "vips", true);
	n->made.v6_vips = true;
}

/* "ip6 {s,d}addr . {o,i}if[name] @SET drop" in {in,out}_link_local */
static void setup_link_local(struct vrrp_nft *n, bool by_name)
{
	const char *set = by_name ? "vips_link_local_name" : "vips_link_local";
	bool *made = by_name ? &n->made.ll_name : &n->made.ll_index;

	if (*made)
		return;
	setup_v6_vips(n);
	nftnl_set_free(put_set(n, NFPROTO_IPV6, set, TYPE_IP6ADDR << TYPE_BITS |
			       (by_name ? TYPE_IFNAME : TYPE_IFINDEX), 0, false));
	for (int out = 0; out < 2; out++) {
		struct nftnl_rule *r = rule_new(n, NFPROTO_IPV6, out ? "out_link_local" :
						"in_link_local");

		e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
			  out ? offsetof(struct ip6_hdr, ip6_src) : offsetof(struct ip6_hdr, ip6_dst),
			  16);
		e_meta(r, out ? (by_name ? NFT_META_OIFNAME : NFT_META_OIF) :
		       (by_name ? NFT_META_IIFNAME : NFT_META_IIF), NFT_REG_2);
		e_lookup(r, NFT_REG_1, NO_REG, set, 0);
		e_verdict(n, r, NF_DROP, NULL);
		rule_put(n, r);
	}
	*made = true;
}

/* ---- addresses ---- */

static bool same_key(const struct vrrp_nft_addr *a, const struct vrrp_nft_addr *b)
{
	if (!inet_addr_eq(&a->addr, &b->addr))
		return false;
	if (a->addr.family != AF_INET6 || !IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
		return true;
	if (a->by_name != b->by_name)
		return false;
	return a->by_name ? !strcmp(a->ifname, b->ifname) : a->ifindex == b->ifindex;
}

static struct entry *find_entry(struct vrrp_nft *n, const struct vrrp_nft_addr *a)
{
	for (unsigned i = 0; i < n->n_ents; i++)
		if (same_key(&n->ents[i].a, a))
			return &n->ents[i];
	return NULL;
}

/* One element set per kind of key, filled while a batch is built. */
enum { SET_V4, SET_V6, SET_LL, SET_LL_NAME, SET__COUNT };

static int set_kind(const struct vrrp_nft_addr *a)
{
	if (a->addr.family == AF_INET)
		return SET_V4;
	if (!IN6_IS_ADDR_LINKLOCAL(&a->addr.v6))
		return SET_V6;
	return a->by_name ? SET_LL_NAME : SET_LL;
}

/* Makes what a's set needs (in the batch) and puts a's key in sets[its kind]. */
static void key_into(struct vrrp_nft *n, const struct vrrp_nft_addr *a, struct nftnl_set **sets,
		     bool setup)
{
	static const char *const names[] = { "vips", "vips", "vips_link_local",
					     "vips_link_local_name" };
	int k = set_kind(a);
	uint8_t key[16 + IFNAMSIZ] = { 0 };
	uint32_t len;

	if (setup) {
		if (k == SET_V4)
			setup_v4_vips(n);
		else if (k == SET_V6)
			setup_v6_vips(n);
		else
			setup_link_local(n, k == SET_LL_NAME);
	}
	if (!sets[k])
		sets[k] = set_ref(n, names[k]);
	if (k == SET_V4) {
		memcpy(key, &a->addr.v4, 4);
		len = 4;
	} else {
		memcpy(key, &a->addr.v6, 16);
		len = 16;
		if (k == SET_LL) {
			uint32_t ix = (uint32_t)a->ifindex;

			memcpy(key + 16, &ix, 4);	/* host order: what meta iif gives */
			len += 4;
		} else if (k == SET_LL_NAME) {
			memcpy(key + 16, a->ifname, strnlen(a->ifname, IFNAMSIZ - 1));
			len += IFNAMSIZ;
		}
	}
	elem_add(sets[k], key, len, NULL, 0);
}

static void put_key_sets(struct vrrp_nft *n, struct nftnl_set **sets, int type, uint16_t flags)
{
	for (int k = 0; k < SET__COUNT; k++) {
		put_elems(n, sets[k], k == SET_V4 ? NFPROTO_IPV4 : NFPROTO_IPV6, type, flags);
		sets[k] = NULL;
	}
}

static bool in_list(const struct vrrp_nft_addr *a, const struct vrrp_nft_addr *l, unsigned cnt)
{
	for (unsigned i = 0; i < cnt; i++)
		if (same_key(a, &l[i]))
			return true;
	return false;
}

int vrrp_nft_hold(struct vrrp_nft *n, struct vrrp_nft_hold *h, const struct vrrp_nft_addr *addrs,
		  unsigned cnt)
{
	struct nftnl_set *add[SET__COUNT] = { 0 }, *del[SET__COUNT] = { 0 };
	struct made was = n->made;
	struct vrrp_nft_addr *keep;
	unsigned n_keep = 0;
	int r;

	batch_start(n, h->n + cnt);
	/* what h lets go of, and nobody else holds, leaves the sets */
	for (unsigned i = 0; i < h->n; i++) {
		struct entry *e = find_entry(n, &h->addrs[i]);

		if (!in_list(&h->addrs[i], addrs, cnt) && e && e->refs == 1)
			key_into(n, &e->a, del, false);
	}
	put_key_sets(n, del, NFT_MSG_DELSETELEM, NLM_F_ACK);
	/* what h takes and nobody holds yet joins them (EXCL: as 2.2.7 adds them) */
	for (unsigned i = 0; i < cnt; i++)
		if (!in_list(&addrs[i], h->addrs, h->n) && !find_entry(n, &addrs[i]) &&
		    !in_list(&addrs[i], addrs, i))
			key_into(n, &addrs[i], add, true);
	put_key_sets(n, add, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	if ((r = batch_send(n, "update the addresses dropped")) < 0) {
		n->made = was;
		return r;
	}
	/* the books: references, then h's own list */
	for (unsigned i = 0; i < h->n; i++) {
		struct entry *e;

		if (in_list(&h->addrs[i], addrs, cnt) || !(e = find_entry(n, &h->addrs[i])))
			continue;
		if (--e->refs == 0)
			*e = n->ents[--n->n_ents];
	}
	for (unsigned i = 0; i < cnt; i++) {
		struct entry *e;

		if (in_list(&addrs[i], h->addrs, h->n) || in_list(&addrs[i], addrs, i))
			continue;
		if ((e = find_entry(n, &addrs[i]))) {
			e->refs++;
			continue;
		}
		n->ents = xrealloc(n->ents, (n->n_ents + 1) * sizeof(*n->ents));
		n->ents[n->n_ents++] = (struct entry){ .a = addrs[i], .refs = 1 };
	}
	keep = cnt ? xcalloc(cnt, sizeof(*keep)) : NULL;
	for (unsigned i = 0; i < cnt; i++)
		if (!in_list(&addrs[i], keep, n_keep))
			keep[n_keep++] = addrs[i];
	free(h->addrs);
	h->addrs = keep;
	h->n = n_keep;
	return 0;
}

/* ---- VMACs ---- */

/* "ip protocol igmp" / "icmpv6 type T" then "meta oifkind "macvlan"" */
static void match_vmac(struct nftnl_rule *r, int family, uint8_t icmp6_type, bool dup)
{
	static const char macvlan[IFNAMSIZ] = "macvlan";

	if (family == NFPROTO_IPV4) {
		e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1, offsetof(struct iphdr, protocol), 1);
		e_cmp_u8(r, NFT_REG_1, IPPROTO_IGMP);
		if (dup)
			e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
				  offsetof(struct iphdr, daddr), 4);
	} else {
		e_meta(r, NFT_META_L4PROTO, NFT_REG_1);
		e_cmp_u8(r, NFT_REG_1, IPPROTO_ICMPV6);
		e_payload(r, NFT_PAYLOAD_TRANSPORT_HEADER, NFT_REG_1,
			  offsetof(struct icmp6_hdr, icmp6_type), 1);
		e_cmp_u8(r, NFT_REG_1, icmp6_type);
		if (dup)
			e_payload(r, NFT_PAYLOAD_NETWORK_HEADER, NFT_REG_1,
				  offsetof(struct ip6_hdr, ip6_dst), 16);
	}
	e_meta(r, NFT_META_OIFKIND, NFT_REG_2);
	e_cmp(r, NFT_REG_2, macvlan, sizeof(macvlan));
	e_meta(r, NFT_META_OIF, NFT_REG_2);
}

static void setup_igmp(struct vrrp_nft *n, int family)
{
	bool *made = family == NFPROTO_IPV4 ? &n->made.v4_igmp : &n->made.v6_igmp;
	struct nftnl_rule *r;
	uint32_t map_id, set_id = 0;

	if (*made)
		return;
	setup_table(n, family);
	nftnl_set_free(put_set(n, family, "vmac_map", TYPE_IFINDEX, 0, true));
	map_id = n->set_id;
	if (family == NFPROTO_IPV6) {
		nftnl_set_free(put_set(n, family, "vmac_set", TYPE_IFINDEX, 0, false));
		set_id = n->set_id;
	}
	/* reports leaving a VMAC go out of its base interface instead */
	r = rule_new(n, family, "out");
	match_vmac(r, family, MLD2_REPORT, true);
	e_lookup(r, NFT_REG_2, NFT_REG_2, "vmac_map", map_id);
	e_dup(r, NFT_REG_1, NFT_REG_2);
	e_verdict(n, r, NF_DROP, NULL);
	rule_put(n, r);
	if (family == NFPROTO_IPV6) {
		r = rule_new(n, family, "out");
		match_vmac(r, family, ROUTER_SOLICIT, false);
		e_lookup(r, NFT_REG_2, NO_REG, "vmac_set", set_id);
		e_verdict(n, r, NF_DROP, NULL);
		rule_put(n, r);
	}
	*made = true;
}

static void vmac_family(struct vrrp_nft *n, const struct vmac *v, int family, bool add)
{
	int type = add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM;
	uint16_t flags = add ? NLM_F_CREATE | NLM_F_ACK : NLM_F_ACK;
	uint32_t ix = (uint32_t)v->ifindex, base = (uint32_t)v->base_ifindex;
	struct nftnl_set *s;

	if (add)
		setup_igmp(n, family);
	s = set_ref(n, "vmac_map");
	elem_add(s, &ix, 4, &base, 4);
	put_elems(n, s, family, type, flags);
	if (family == NFPROTO_IPV6) {
		s = set_ref(n, "vmac_set");
		elem_add(s, &ix, 4, NULL, 0);
		put_elems(n, s, family, type, flags);
	}
}

static void vmac_put(struct vrrp_nft *n, const struct vmac *v, bool add)
{
	int fam = v->family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6;

	vmac_family(n, v, fam, add);
	if (v->other_family)
		vmac_family(n, v, fam == NFPROTO_IPV4 ? NFPROTO_IPV6 : NFPROTO_IPV4, add);
}

int vrrp_nft_vmac(struct vrrp_nft *n, int vmac_ifindex, int base_ifindex, sa_family_t family,
		  bool other_family, bool add)
{
	struct vmac v = { vmac_ifindex, base_ifindex, family, other_family };
	struct made was = n->made;
	unsigned i;
	int r;

	for (i = 0; i < n->n_vmacs; i++)
		if (n->vmacs[i].ifindex == vmac_ifindex)
			break;
	if (!add && i == n->n_vmacs)
		return 0;
	batch_start(n, 8);
	if (add && i < n->n_vmacs)
		vmac_put(n, &n->vmacs[i], false);	/* the same VMAC again: its new base */
	vmac_put(n, &v, add);
	if ((r = batch_send(n, add ? "add a VMAC" : "remove a VMAC")) < 0) {
		n->made = was;
		return r;
	}
	if (!add)
		n->vmacs[i] = n->vmacs[--n->n_vmacs];
	else if (i < n->n_vmacs)
		n->vmacs[i] = v;
	else {
		n->vmacs = xrealloc(n->vmacs, (n->n_vmacs + 1) * sizeof(*n->vmacs));
		n->vmacs[n->n_vmacs++] = v;
	}
	return 0;
}

/* ---- life ---- */

static void set_conf(struct vrrp_nft *n, const struct vrrp_nft_conf *conf)
{
	free(n->table);
	n->table = xstrdup(conf->table);
	n->priority = conf->priority;
	n->counters = conf->counters;
}

struct vrrp_nft *vrrp_nft_new(const struct vrrp_nft_conf *conf)
{
	struct vrrp_nft *n = xcalloc(1, sizeof(*n));

	set_conf(n, conf);
	return n;
}

bool vrrp_nft_conf_same(const struct vrrp_nft *n, const struct vrrp_nft_conf *conf)
{
	return !strcmp(n->table, conf->table) && n->priority == conf->priority &&
	       n->counters == conf->counters;
}

static void delete_tables(struct vrrp_nft *n)
{
	if (!n->made.v4_table && !n->made.v6_table)
		return;
	batch_start(n, 0);
	if (n->made.v4_table)
		put_table(n, NFPROTO_IPV4, NFT_MSG_DELTABLE, NLM_F_ACK);
	if (n->made.v6_table)
		put_table(n, NFPROTO_IPV6, NFT_MSG_DELTABLE, NLM_F_ACK);
	batch_send(n, "delete the tables");
	n->made = (struct made){ 0 };
}

void vrrp_nft_reconf(struct vrrp_nft *n, const struct vrrp_nft_conf *conf)
{
	struct nftnl_set *sets[SET__COUNT] = { 0 };

	delete_tables(n);
	set_conf(n, conf);
	if (!n->n_ents && !n->n_vmacs)
		return;
	batch_start(n, n->n_ents + 4 * n->n_vmacs);
	for (unsigned i = 0; i < n->n_vmacs; i++)
		vmac_put(n, &n->vmacs[i], true);
	for (unsigned i = 0; i < n->n_ents; i++)
		key_into(n, &n->ents[i].a, sets, true);
	put_key_sets(n, sets, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	if (batch_send(n, "make the tables again") < 0)
		n->made = (struct made){ 0 };
}

void vrrp_nft_free(struct vrrp_nft *n)
{
	if (!n)
		return;
	delete_tables(n);
	if (n->nl)
		mnl_socket_close(n->nl);
	free(n->ents);
	free(n->vmacs);
	free(n->table);
	free(n);
}
